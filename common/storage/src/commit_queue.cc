#include "anding/storage/commit_queue.h"

#include <algorithm>

namespace anding::storage {

// How the checkpoints and the commit interval work.
//
// A separate checkpoint thread runs passive WAL checkpoints on its own
// connection so that checkpoints do not stall commits. A passive checkpoint
// never catches up with a writer that commits every millisecond, and SQLite
// only starts the WAL over from its beginning when everything in it has been
// copied back, so under steady load the WAL would grow without bound (about
// 45 MB/s at 5,000 events/s, every commit extending the file). So once the
// WAL holds more than `restart_after_frames`, the checkpoint thread runs one
// more passive checkpoint right after the bulk one while holding the commit
// gate (the commit thread takes it around each transaction): only the frames
// committed during the bulk copy remain, so the gate is held briefly, and the
// next transaction writes the WAL from its start.
//
// Under sustained light load the commit thread would start a transaction,
// and an fsync, for every two or three events. On a virtual disk each fsync
// also costs the host CPU time that it takes from the guest's vCPUs (steal,
// BENCHMARKS.md), so transactions start at least `min_commit_interval`
// apart: work submitted meanwhile waits and shares the next one. A queue
// that was idle for that long commits at once, so a lone event is not
// delayed, and under full load a transaction takes longer than the interval
// anyway.

Result<std::unique_ptr<CommitQueue>> CommitQueue::Start(const std::string& path, Poster post,
                                                        Options options) {
  OpenOptions writer_options;
  writer_options.auto_checkpoint = false;
  ANDING_ASSIGN_OR_RETURN(auto writer, Database::Open(path, writer_options));
  ANDING_ASSIGN_OR_RETURN(auto checkpointer, Database::Open(path));
  return std::unique_ptr<CommitQueue>(
      new CommitQueue(std::move(writer), std::move(checkpointer), std::move(post), options));
}

CommitQueue::CommitQueue(std::unique_ptr<Database> writer, std::unique_ptr<Database> checkpointer,
                         Poster post, Options options)
    : writer_(std::move(writer)),
      checkpointer_(std::move(checkpointer)),
      post_(std::move(post)),
      options_(options) {
  commit_thread_ = std::thread([this] { CommitLoop(); });
  checkpoint_thread_ = std::thread([this] { CheckpointLoop(); });
}

CommitQueue::~CommitQueue() { Stop(); }

namespace {
thread_local uint64_t attempt = 0;
thread_local bool isolating = false;
}  // namespace

uint64_t CommitQueue::Attempt() { return attempt; }
bool CommitQueue::Isolating() { return isolating; }

bool IsContentError(const Status& status) {
  return status.code() == StatusCode::kFailedPrecondition ||
         status.code() == StatusCode::kInvalidArgument;
}

void CommitQueue::Submit(std::vector<Write> writes, Done done) {
  Submit(std::move(writes), {},
         [done = std::move(done)](Status status, Refusals) { done(std::move(status)); });
}

void CommitQueue::Submit(std::vector<Write> writes, std::vector<uint64_t> groups, GroupsDone done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(Batch{std::move(writes), std::move(groups), std::move(done), {}});
      // Not while it waits out the commit interval: it would only go back
      // to sleep, one futex wake-up per event.
      if (idle_) wake_.notify_one();
      return;
    }
  }
  post_([done = std::move(done)] { done(UnavailableError("the store is shutting down"), {}); });
}

void CommitQueue::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !commit_thread_.joinable()) return;
    stopping_ = true;
    wake_.notify_all();
    checkpoint_wake_.notify_all();
  }
  if (commit_thread_.joinable()) commit_thread_.join();
  if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
}

void CommitQueue::Resume() {
  std::lock_guard lock(mutex_);
  halted_ = false;
}

bool CommitQueue::halted() const {
  std::lock_guard lock(mutex_);
  return halted_;
}

CommitQueue::Stats CommitQueue::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void CommitQueue::CommitLoop() {
  std::chrono::steady_clock::time_point last_start{};
  while (true) {
    std::vector<Batch> batches;
    {
      std::unique_lock lock(mutex_);
      idle_ = true;
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      idle_ = false;
      // Stop() cuts the interval short: what is queued commits at once.
      const auto due = last_start + options_.min_commit_interval;
      if (std::chrono::steady_clock::now() < due) {
        wake_.wait_until(lock, due, [this] { return stopping_; });
      }
      last_start = std::chrono::steady_clock::now();
      if (queue_.empty()) return;  // stopping and drained
      size_t writes = 0;
      while (!queue_.empty() && (batches.empty() || writes + queue_.front().writes.size() <=
                                                        options_.max_writes_per_commit)) {
        writes += queue_.front().writes.size();
        batches.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }

    bool halted;
    {
      std::lock_guard lock(mutex_);
      halted = halted_;
    }
    if (halted) {
      for (auto& batch : batches) {
        post_([done = std::move(batch.done)] {
          done(UnavailableError("the store halted after a failed commit"), {});
        });
      }
      continue;
    }

    size_t write_count = 0;
    std::unique_lock gate(commit_gate_);
    ++attempt;
    isolating = false;
    Status status = InTransaction(*writer_, [&]() -> Status {
      for (auto& batch : batches) {
        for (auto& write : batch.writes) {
          ANDING_RETURN_IF_ERROR(write(*writer_));
          ++write_count;
        }
      }
      return OkStatus();
    });
    bool refused = false;
    if (IsContentError(status)) {
      write_count = 0;
      status = CommitIsolated(batches, write_count);
      for (const auto& batch : batches) refused = refused || !batch.refused.empty();
    }
    gate.unlock();

    {
      std::lock_guard lock(mutex_);
      if (status.ok()) {
        ++stats_.commits;
        stats_.writes += write_count;
        for (const auto& batch : batches) stats_.refused_groups += batch.refused.size();
      } else {
        ++stats_.failed_commits;
      }
      // After a refusal the owner's state holds what was left out: stop
      // until it has rebuilt it, as after a failure.
      if (!status.ok() || refused) halted_ = true;
    }
    for (auto& batch : batches) {
      post_([done = std::move(batch.done), status, refusals = std::move(batch.refused)]() mutable {
        done(status, std::move(refusals));
      });
    }
  }
}

Status CommitQueue::CommitIsolated(std::vector<Batch>& batches, size_t& write_count) {
  ++attempt;
  isolating = true;
  // Groups after a refused one may have written records that hold its
  // effects (a later copy of the same ledger item, say): they are left out
  // too, as unavailable, and their senders retry once the owner has
  // rebuilt its state. Groups before it commit.
  bool refused_one = false;
  return InTransaction(*writer_, [&]() -> Status {
    for (auto& batch : batches) {
      batch.refused.clear();
      // Each group's writes run together, in a savepoint, in the order the
      // group first appears; writes without a group run where they stand.
      std::vector<uint64_t> order;
      for (size_t i = 0; i < batch.writes.size(); ++i) {
        const uint64_t group = batch.groups.empty() ? 0 : batch.groups[i];
        if (group == 0 || std::find(order.begin(), order.end(), group) == order.end()) {
          order.push_back(group);
        }
      }
      size_t next_ungrouped = 0;
      for (const uint64_t group : order) {
        if (group == 0) {
          // The next write without a group.
          while (!batch.groups.empty() && batch.groups[next_ungrouped] != 0) ++next_ungrouped;
          ANDING_RETURN_IF_ERROR(batch.writes[next_ungrouped++](*writer_));
          ++write_count;
          continue;
        }
        if (refused_one) {
          batch.refused.emplace_back(
              group, UnavailableError("not stored: an input before it was refused; retry"));
          continue;
        }
        ANDING_RETURN_IF_ERROR(writer_->Exec("SAVEPOINT isolated"));
        Status status = OkStatus();
        size_t count = 0;
        for (size_t i = 0; i < batch.writes.size() && status.ok(); ++i) {
          if (batch.groups[i] != group) continue;
          status = batch.writes[i](*writer_);
          ++count;
        }
        if (!status.ok() && !IsContentError(status)) return status;
        if (!status.ok()) {
          ANDING_RETURN_IF_ERROR(writer_->Exec("ROLLBACK TO isolated"));
          batch.refused.emplace_back(group, status);
          refused_one = true;
        } else {
          write_count += count;
        }
        ANDING_RETURN_IF_ERROR(writer_->Exec("RELEASE isolated"));
      }
    }
    return OkStatus();
  });
}

void CommitQueue::CheckpointLoop() {
  // On its own clock and condition variable: woken by every commit, it
  // checkpointed after nearly every commit, and its fsyncs of the database
  // file queued behind (and ahead of) the WAL fsyncs that acks wait for.
  std::unique_lock lock(mutex_);
  while (true) {
    const auto due = std::chrono::steady_clock::now() + options_.checkpoint_interval;
    if (checkpoint_wake_.wait_until(lock, due, [this] { return stopping_; })) break;
    lock.unlock();
    Checkpoint();
    lock.lock();
  }
}

void CommitQueue::Checkpoint() {
  auto bulk = checkpointer_->CheckpointPassive();
  if (!bulk.ok()) return;  // retried next interval
  bool gated = false;
  std::chrono::microseconds held{0};
  if (bulk->log_frames > options_.restart_after_frames) {
    const auto start = std::chrono::steady_clock::now();
    {
      std::lock_guard gate(commit_gate_);
      gated = checkpointer_->CheckpointPassive().ok();
    }
    held = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                 start);
  }
  std::lock_guard lock(mutex_);
  ++stats_.checkpoints;
  if (gated) {
    ++stats_.gated_checkpoints;
    stats_.longest_gate = std::max(stats_.longest_gate, held);
  }
}

}  // namespace anding::storage

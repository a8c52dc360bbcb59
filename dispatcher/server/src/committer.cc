#include "committer.h"

#include <boost/asio/post.hpp>

#include "anding/common/strings.h"

namespace anding::dispatcher {

Committer::Committer(boost::asio::io_context& io, storage::CommitQueue& queue,
                     std::function<void(const Status&)> on_failure)
    : io_(io), queue_(queue), on_failure_(std::move(on_failure)) {}

Committer::GroupScope::GroupScope(Committer& committer)
    : committer_(committer), previous_(committer.group_) {
  committer_.group_ = committer_.next_group_++;
}

Committer::GroupScope::~GroupScope() { committer_.group_ = previous_; }

bool Committer::refused(uint64_t group) const {
  if (refusals_ == nullptr || group == 0) return false;
  for (const auto& [refused_group, status] : *refusals_) {
    if (refused_group == group) return true;
  }
  return false;
}

void Committer::Add(Write write) {
  current_.writes.push_back(std::move(write));
  current_.groups.push_back(group_);
  ScheduleFlush();
}

void Committer::OnCommitted(std::function<void()> fn) {
  current_.on_committed.emplace_back(group_, std::move(fn));
  ScheduleFlush();
}

void Committer::OnRefused(std::function<void(uint64_t, const Status&)> fn) {
  current_.on_refused.emplace_back(group_, std::move(fn));
}

void Committer::BeforeSubmit(std::function<void()> fn) {
  current_.before_submit.push_back(std::move(fn));
  ScheduleFlush();
}

void Committer::ScheduleFlush() {
  if (flush_posted_) return;
  flush_posted_ = true;
  boost::asio::post(io_, [this] { Flush(); });
}

void Committer::Flush() {
  // before_submit callbacks may add writes (and register further
  // before_submit callbacks, which run too); run them first, once each,
  // even when the batch is then discarded: their owners hand over (and
  // reset) their per-batch state there. What they add joins this batch, so
  // no further flush is posted while they run.
  flush_posted_ = true;
  while (!current_.before_submit.empty()) {
    auto before = std::move(current_.before_submit);
    current_.before_submit.clear();
    for (auto& fn : before) fn();
  }
  flush_posted_ = false;
  if (failed_) {
    current_ = Batch{};  // recovering: nothing new is stored or acknowledged
    return;
  }
  Batch batch = std::move(current_);
  current_ = Batch{};
  if (batch.writes.empty()) {
    // Nothing to store: callbacks can run at once, but after earlier
    // batches so that their order is preserved.
    if (batch.on_committed.empty()) return;
    if (in_flight_ == 0) {
      for (auto& [group, fn] : batch.on_committed) fn();
      return;
    }
  }
  ++in_flight_;
  // A measurement, not domain time: the monotonic clock.
  batch.submitted = std::chrono::steady_clock::now();
  auto writes = std::move(batch.writes);
  auto groups = std::move(batch.groups);
  queue_.Submit(std::move(writes), std::move(groups),
                [this, batch = std::make_shared<Batch>(std::move(batch))](
                    Status status, storage::CommitQueue::Refusals refused) {
                  Report(*batch, status, refused);
                });
}

void Committer::Report(Batch& batch, const Status& status,
                       const storage::CommitQueue::Refusals& refused) {
  --in_flight_;
  if (latency_observer_) latency_observer_(std::chrono::steady_clock::now() - batch.submitted);
  if (status.ok() && !failed_) {
    refusals_ = &refused;
    for (auto& [group, fn] : batch.on_committed) {
      if (!this->refused(group)) fn();
    }
    for (auto& [group, fn] : batch.on_refused) {
      for (const auto& [refused_group, error] : refused) {
        if (group == 0 || refused_group == group) fn(refused_group, error);
      }
    }
    refusals_ = nullptr;
    if (refused.empty()) return;
    // The state holds what was refused: rebuild it, as after a failure
    // (the queue stopped after this commit).
    failed_ = true;
    failure_ = AbortedError(StrCat("an input was refused by the store for its content (",
                                   refused.front().second.ToString(), ")"));
  } else if (!failed_) {
    failed_ = true;
    failure_ = status;
  }
  if (in_flight_ == 0) on_failure_(failure_);
}

void Committer::Resume() {
  queue_.Resume();
  failed_ = false;
  failure_ = OkStatus();
}

}  // namespace anding::dispatcher

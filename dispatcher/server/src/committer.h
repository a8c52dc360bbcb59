// Collects the writes made during one turn of the io_context and submits
// them to the CommitQueue as one batch at the end of the turn; runs the
// callbacks registered for that batch, in order, once it is durable.
//
// After a failed commit the CommitQueue refuses further work. Once every
// batch in flight has been reported (all failed, none written), on_failure
// runs: the owner rebuilds its in-memory state from the store and calls
// Resume(). So in-memory state never runs ahead of what is stored, and
// nothing is acknowledged that was not committed.
//
// One input's writes (an agent's envelope, say) can form a group (Group()):
// if one of them fails for its content, only that group is left out, its
// OnRefused callbacks run instead of its OnCommitted ones, the rest of the
// batch commits, and then on_failure runs with a kAborted status (nothing
// else failed, but the state holds the refused input and is rebuilt).
// Thread-safety: io_context thread only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "anding/storage/commit_queue.h"

namespace anding::dispatcher {

class Committer {
 public:
  using Write = storage::CommitQueue::Write;

  Committer(boost::asio::io_context& io, storage::CommitQueue& queue,
            std::function<void(const Status&)> on_failure);

  // Writes and callbacks added while a GroupScope lives belong to its group.
  class [[nodiscard]] GroupScope {
   public:
    explicit GroupScope(Committer& committer);
    ~GroupScope();
    GroupScope(const GroupScope&) = delete;
    GroupScope& operator=(const GroupScope&) = delete;

   private:
    Committer& committer_;
    uint64_t previous_;
  };
  GroupScope Group() { return GroupScope(*this); }
  // The group being assembled (0: none).
  [[nodiscard]] uint64_t current_group() const { return group_; }
  // During the callbacks of a batch: whether `group` was left out of it.
  [[nodiscard]] bool refused(uint64_t group) const;

  // Adds `write` to the current batch (and group).
  void Add(Write write);
  // Runs `fn` after the current batch has committed (not if it fails, nor
  // if the current group is refused).
  void OnCommitted(std::function<void()> fn);
  // Runs `fn` with the group and its write's error for each group left out
  // of the current batch for its content (inside a group: only for that
  // group).
  void OnRefused(std::function<void(uint64_t group, const Status& why)> fn);
  // Runs `fn` once, just before the current batch is submitted (or, after
  // a failure, discarded): the place to add writes that summarise the
  // batch (for example a counter).
  void BeforeSubmit(std::function<void()> fn);

  // True from a failed commit until Resume(): callers refuse new work
  // (agents get UNAVAILABLE and retry).
  [[nodiscard]] bool failed() const { return failed_; }
  // Accept and commit work again; call after on_failure rebuilt the state.
  void Resume();
  // Batches submitted and not yet reported.
  [[nodiscard]] size_t in_flight() const { return in_flight_; }
  // Why the store failed, while failed().
  [[nodiscard]] const Status& failure() const { return failure_; }
  // Called with each batch's time from submission to its report (for the
  // commit latency histogram of /metrics).
  void SetLatencyObserver(std::function<void(std::chrono::steady_clock::duration)> observer) {
    latency_observer_ = std::move(observer);
  }

 private:
  struct Batch {
    std::vector<Write> writes;
    std::vector<uint64_t> groups;
    std::vector<std::pair<uint64_t, std::function<void()>>> on_committed;
    std::vector<std::pair<uint64_t, std::function<void(uint64_t, const Status&)>>> on_refused;
    std::vector<std::function<void()>> before_submit;
    std::chrono::steady_clock::time_point submitted{};
  };
  void Report(Batch& batch, const Status& status, const storage::CommitQueue::Refusals& refused);
  void ScheduleFlush();
  void Flush();

  boost::asio::io_context& io_;
  storage::CommitQueue& queue_;
  std::function<void(const Status&)> on_failure_;
  Batch current_;
  bool flush_posted_ = false;
  bool failed_ = false;
  size_t in_flight_ = 0;
  Status failure_;
  std::function<void(std::chrono::steady_clock::duration)> latency_observer_;
  uint64_t group_ = 0;
  uint64_t next_group_ = 1;
  // The groups refused in the batch whose callbacks are running.
  const storage::CommitQueue::Refusals* refusals_ = nullptr;
};

}  // namespace anding::dispatcher

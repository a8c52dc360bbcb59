// Collects the writes made during one turn of the io_context and submits
// them to the CommitQueue as one batch at the end of the turn; runs the
// callbacks registered for that batch, in order, once it is durable.
//
// After a failed commit the CommitQueue refuses further work. Once every
// batch in flight has been reported (all failed, none written), on_failure
// runs: the owner rebuilds its in-memory state from the store and calls
// Resume(). So in-memory state never runs ahead of what is stored, and
// nothing is acknowledged that was not committed.
// Thread-safety: io_context thread only.
#pragma once

#include <boost/asio/io_context.hpp>
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

  // Adds `write` to the current batch.
  void Add(Write write);
  // Runs `fn` after the current batch has committed (not if it fails).
  void OnCommitted(std::function<void()> fn);
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

 private:
  struct Batch {
    std::vector<Write> writes;
    std::vector<std::function<void()>> on_committed;
    std::vector<std::function<void()>> before_submit;
  };
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
};

}  // namespace anding::dispatcher

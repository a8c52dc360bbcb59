#include "committer.h"

#include <boost/asio/post.hpp>

namespace anding::dispatcher {

Committer::Committer(boost::asio::io_context& io, storage::CommitQueue& queue,
                     std::function<void(const Status&)> on_failure)
    : io_(io), queue_(queue), on_failure_(std::move(on_failure)) {}

void Committer::Add(Write write) {
  current_.writes.push_back(std::move(write));
  ScheduleFlush();
}

void Committer::OnCommitted(std::function<void()> fn) {
  current_.on_committed.push_back(std::move(fn));
  ScheduleFlush();
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
      for (auto& fn : batch.on_committed) fn();
      return;
    }
  }
  ++in_flight_;
  queue_.Submit(std::move(batch.writes),
                [this, callbacks = std::move(batch.on_committed)](Status status) {
                  --in_flight_;
                  if (status.ok() && !failed_) {
                    for (auto& fn : callbacks) fn();
                    return;
                  }
                  if (!failed_) {
                    failed_ = true;
                    failure_ = status;
                  }
                  if (in_flight_ == 0) on_failure_(failure_);
                });
}

void Committer::Resume() {
  queue_.Resume();
  failed_ = false;
  failure_ = OkStatus();
}

}  // namespace anding::dispatcher

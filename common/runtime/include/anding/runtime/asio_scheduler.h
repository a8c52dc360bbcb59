// The production Scheduler: timers on an Asio io_context against the
// system clock. Thread-safety: call ScheduleAt / Cancel only from the
// io_context's thread; callbacks run there.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/system_timer.hpp>
#include <memory>
#include <unordered_map>

#include "anding/common/clock.h"

namespace anding::runtime {

class AsioScheduler final : public Scheduler {
 public:
  explicit AsioScheduler(boost::asio::io_context& io) : io_(io) {}
  ~AsioScheduler() override;

  [[nodiscard]] const Clock& clock() const override { return clock_; }
  TimerId ScheduleAt(Time at, std::function<void()> fn) override;
  bool Cancel(TimerId id) override;
  [[nodiscard]] size_t pending() const { return timers_.size(); }

 private:
  boost::asio::io_context& io_;
  SystemClock clock_;
  TimerId next_id_ = 1;
  std::unordered_map<TimerId, std::unique_ptr<boost::asio::system_timer>> timers_;
};

}  // namespace anding::runtime

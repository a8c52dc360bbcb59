// The production Scheduler: timers on an Asio io_context against the clock
// the daemon runs on — the system clock, or a simulated one in tests of the
// real daemons (anding/runtime/simulated_clock.h).
//
// A timer waits in real time for (due - now) / clock.rate(), at most
// `recheck_every`, then reads the clock again: it fires once the clock says
// it is due, and otherwise waits again. So a timer never fires early when
// the wall clock is set back, fires at most `recheck_every` late when it is
// set forward, and follows a simulated clock at any rate.
//
// Thread-safety: call ScheduleAt / Cancel only from the io_context's
// thread; callbacks run there. The clock must outlive the scheduler.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <unordered_map>

#include "anding/common/clock.h"

namespace anding::runtime {

class AsioScheduler final : public Scheduler {
 public:
  AsioScheduler(boost::asio::io_context& io, const Clock& clock,
                std::chrono::milliseconds recheck_every = std::chrono::minutes(1));
  ~AsioScheduler() override;
  AsioScheduler(const AsioScheduler&) = delete;
  AsioScheduler& operator=(const AsioScheduler&) = delete;

  [[nodiscard]] const Clock& clock() const override { return clock_; }
  TimerId ScheduleAt(Time at, std::function<void()> fn) override;
  bool Cancel(TimerId id) override;
  [[nodiscard]] size_t pending() const { return timers_.size(); }

 private:
  struct Timer {
    Timer(boost::asio::io_context& io, Time at, std::function<void()> fn)
        : at(at), fn(std::move(fn)), wait(io) {}
    Time at;
    std::function<void()> fn;
    boost::asio::steady_timer wait;
  };

  // Waits (in real time) until the timer may be due, then checks.
  void Arm(TimerId id, Timer& timer);
  void OnWake(TimerId id);

  boost::asio::io_context& io_;
  const Clock& clock_;
  const std::chrono::milliseconds recheck_every_;
  TimerId next_id_ = 1;
  std::unordered_map<TimerId, std::unique_ptr<Timer>> timers_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace anding::runtime

// The production Scheduler: timers on an Asio io_context against the clock
// the daemon runs on — the system clock, or a simulated one in tests of the
// real daemons (anding/runtime/simulated_clock.h).
//
// One real-time (steady) timer waits for the earliest pending instant: for
// (due - now) / clock.rate(), at most `recheck_every`. On waking it reads
// the clock and runs, in time order (ties in scheduling order), every timer
// the clock says is due; then it waits for the next. So a timer never fires
// early when the wall clock is set back, fires at most `recheck_every` late
// when it is set forward, and follows a simulated clock at any rate. Timers
// that callbacks schedule in the past run on the next turn, so a callback
// that keeps doing that cannot starve the io_context.
//
// Thread-safety: call ScheduleAt / Cancel only from the io_context's
// thread; callbacks run there. The clock must outlive the scheduler.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <map>
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
  // Sets the real-time wait for the earliest timer (none when idle).
  void Arm();
  void OnWake();

  const Clock& clock_;
  const std::chrono::milliseconds recheck_every_;
  boost::asio::steady_timer wake_;
  // The instant `wake_` waits for; Time::max() when it is not armed.
  Time armed_for_ = Time::max();
  TimerId next_id_ = 1;
  // Ordered by (instant, id) so ties fire in scheduling order.
  std::map<std::pair<Time, TimerId>, std::function<void()>> timers_;
  std::unordered_map<TimerId, Time> due_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace anding::runtime

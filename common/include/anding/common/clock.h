// Time is injected: code that needs "now" takes a Clock&, code that needs to
// act later takes a Scheduler&. Production uses SystemClock and the Asio
// scheduler (anding/runtime/asio_scheduler.h); unit tests use ManualClock and
// ManualScheduler and fire timers by hand, so no test sleeps; tests of the
// real daemons run them on a simulated clock (anding/runtime/simulated_clock.h).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <utility>

#include "anding/common/time.h"

namespace anding {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current instant. Thread-safety: implementations are thread-safe.
  [[nodiscard]] virtual Time Now() const = 0;
  // How far this clock moves per unit of real time, so that a scheduler
  // waiting in real time knows how long to wait: 1 for the system clock, N
  // for a clock simulated N times faster, 0 for one that moves only when
  // told to.
  [[nodiscard]] virtual double rate() const { return 1.0; }
};

// The system's real-time (wall) clock. Only a program's main() creates one;
// everything else is handed the clock it runs against.
class SystemClock final : public Clock {
 public:
  [[nodiscard]] Time Now() const override;
};

// A clock that only moves when told to. Not thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Time start) : now_(start) {}
  [[nodiscard]] Time Now() const override { return now_; }
  [[nodiscard]] double rate() const override { return 0.0; }
  void Set(Time t) { now_ = t; }
  void Advance(Duration d) { now_ += d; }

 private:
  Time now_;
};

using TimerId = uint64_t;

// Runs callbacks at instants. Callbacks run on the scheduler's own thread
// (the daemon's io_context thread, or the test's thread for the manual one),
// never inline inside ScheduleAt.
class Scheduler {
 public:
  virtual ~Scheduler() = default;
  [[nodiscard]] virtual const Clock& clock() const = 0;
  // Runs `fn` once at `at` (at once, on the next turn, if `at` is past).
  // Returns an id for Cancel.
  virtual TimerId ScheduleAt(Time at, std::function<void()> fn) = 0;
  // Prevents a pending timer from firing. False if it already fired, was
  // cancelled, or never existed.
  virtual bool Cancel(TimerId id) = 0;

  TimerId ScheduleAfter(Duration d, std::function<void()> fn) {
    return ScheduleAt(clock().Now() + d, std::move(fn));
  }
};

// A scheduler driven by the test: AdvanceTo moves the ManualClock forward
// and fires every due timer in time order (ties in scheduling order), with
// the clock set to each timer's instant while it runs. Timers scheduled by a
// firing callback fire in the same call if they are due. Not thread-safe.
class ManualScheduler final : public Scheduler {
 public:
  explicit ManualScheduler(ManualClock& clock) : clock_(clock) {}
  [[nodiscard]] const Clock& clock() const override { return clock_; }
  TimerId ScheduleAt(Time at, std::function<void()> fn) override;
  bool Cancel(TimerId id) override;

  // Fires everything due up to `t` and leaves the clock at `t`.
  // Returns how many timers fired.
  size_t AdvanceTo(Time t);
  size_t AdvanceBy(Duration d) { return AdvanceTo(clock_.Now() + d); }
  // Fires what is due now (for example timers scheduled in the past).
  size_t RunDue() { return AdvanceTo(clock_.Now()); }
  [[nodiscard]] size_t pending() const { return timers_.size(); }
  // When the next timer is due; Time::max() when none is pending.
  [[nodiscard]] Time next_due() const;

 private:
  ManualClock& clock_;
  TimerId next_id_ = 1;
  // Ordered by (instant, id) so ties fire in scheduling order.
  std::map<std::pair<Time, TimerId>, std::function<void()>> timers_;
};

}  // namespace anding

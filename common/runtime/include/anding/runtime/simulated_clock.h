// A clock for running the real daemons through hours of simulated time in
// seconds, from any instant: the last second of a quarter, 29 February.
//
// It reads `start` at the steady-clock instant `anchor` and from then on
// advances `rate` times as fast as the steady clock (rate 60: a minute per
// second). Being tied to the steady clock it never jumps. The steady clock
// (CLOCK_MONOTONIC) is shared by every process on a Linux machine, so
// processes given the same start, rate and anchor read the same time: a
// dispatcher and its agents agree on "now", and a daemon restarted after
// kill -9 continues the same simulated time instead of starting over.
//
// Thread-safety: immutable; Now() may be called from any thread.
#pragma once

#include <chrono>

#include "anding/common/clock.h"

namespace anding::runtime {

class SimulatedClock final : public Clock {
 public:
  using Steady = std::chrono::steady_clock;

  // `rate` must be positive (checked: aborts otherwise).
  SimulatedClock(Time start, double rate, Steady::time_point anchor = Steady::now());

  [[nodiscard]] Time Now() const override;
  [[nodiscard]] double rate() const override { return rate_; }

  // The simulated time at the steady instant `at`.
  [[nodiscard]] Time At(Steady::time_point at) const;
  [[nodiscard]] Time start() const { return start_; }
  [[nodiscard]] Steady::time_point anchor() const { return anchor_; }

 private:
  Time start_;
  double rate_;
  Steady::time_point anchor_;
};

}  // namespace anding::runtime

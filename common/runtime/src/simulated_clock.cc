#include "anding/runtime/simulated_clock.h"

#include <cmath>
#include <cstdlib>

namespace anding::runtime {

SimulatedClock::SimulatedClock(Time start, double rate, Steady::time_point anchor)
    : start_(start), rate_(rate), anchor_(anchor) {
  if (!(rate > 0) || !std::isfinite(rate)) std::abort();  // a broken invariant, not input
}

Time SimulatedClock::Now() const { return At(Steady::now()); }

Time SimulatedClock::At(Steady::time_point at) const {
  const auto real = std::chrono::duration_cast<std::chrono::nanoseconds>(at - anchor_);
  // Real nanoseconds scaled to simulated microseconds; a double is exact to
  // well under a microsecond for any run a test makes.
  const double simulated_us = std::floor(static_cast<double>(real.count()) * rate_ / 1000.0);
  return start_ + Duration(static_cast<Duration::rep>(simulated_us));
}

}  // namespace anding::runtime

// The clock a program runs against, chosen on its command line. Without
// options it is the system clock. For tests of the real processes (never in
// production) three options replace it with a SimulatedClock:
//
//   --simulated-clock TIME   the instant it reads at start-up (RFC 3339,
//                            e.g. 2026-12-31T23:59:50+08:00)
//   --clock-rate R           simulated time per real time (default 1; 60
//                            makes a minute pass in a second)
//   --clock-anchor NS        the steady-clock reading (CLOCK_MONOTONIC, in
//                            nanoseconds) at which it reads TIME, instead of
//                            start-up: processes given the same three values
//                            share one simulated clock, across restarts
//
// Thread-safety: functions are reentrant; the clocks they return are
// thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "anding/common/clock.h"
#include "anding/common/status.h"
#include "anding/runtime/simulated_clock.h"

namespace anding::runtime {

// The options above as a paragraph for a program's usage text.
inline constexpr const char* kClockOptionsHelp =
    "For tests only (never in production), run on a simulated clock:\n"
    "  --simulated-clock TIME  start at TIME (RFC 3339, e.g. 2026-12-31T23:59:50+08:00)\n"
    "  --clock-rate R          simulated seconds per real second (default 1)\n"
    "  --clock-anchor NS       CLOCK_MONOTONIC nanoseconds at which the clock reads TIME\n"
    "                          (default: start-up); processes given the same values share\n"
    "                          one clock\n";

// Removes the clock options (`--name VALUE` or `--name=VALUE`) from `words`,
// leaving the rest in order, and returns the clock they describe: a
// SystemClock when --simulated-clock is absent. InvalidArgument naming the
// option for a malformed or non-positive value, a missing value, an option
// given twice, or --clock-rate / --clock-anchor without --simulated-clock.
[[nodiscard]] Result<std::unique_ptr<Clock>> TakeClockOptions(std::vector<std::string>& words);

// A line for the operator's log when `clock` is simulated (so that a test
// clock left in a production command line does not go unnoticed); empty for
// any other clock.
[[nodiscard]] std::string SimulatedClockWarning(const Clock& clock);

// The options that make another process run on `clock` (same start, rate
// and anchor), for test harnesses that start processes.
[[nodiscard]] std::vector<std::string> ClockOptionsFor(const SimulatedClock& clock);

}  // namespace anding::runtime

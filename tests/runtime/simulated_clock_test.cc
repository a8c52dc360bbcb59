#include "anding/runtime/simulated_clock.h"

#include <gtest/gtest.h>

namespace anding::runtime {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const Time kStart = *ParseRfc3339("2027-03-31T23:59:58+08:00");

TEST(SimulatedClockTest, ReadsStartAtTheAnchorAndRunsAtItsRate) {
  const auto anchor = SimulatedClock::Steady::now();
  const SimulatedClock clock(kStart, 60, anchor);
  EXPECT_EQ(clock.At(anchor), kStart);
  EXPECT_EQ(clock.At(anchor + seconds(1)), kStart + std::chrono::minutes(1));
  EXPECT_EQ(clock.At(anchor + milliseconds(2)), kStart + milliseconds(120));
  EXPECT_EQ(clock.At(anchor - seconds(1)), kStart - std::chrono::minutes(1));
  EXPECT_EQ(clock.rate(), 60.0);
}

TEST(SimulatedClockTest, FractionalRates) {
  const auto anchor = SimulatedClock::Steady::now();
  const SimulatedClock slow(kStart, 0.5, anchor);
  EXPECT_EQ(slow.At(anchor + seconds(3)), kStart + milliseconds(1500));
  const SimulatedClock fast(kStart, 3600, anchor);
  EXPECT_EQ(fast.At(anchor + seconds(1)), kStart + std::chrono::hours(1));
}

TEST(SimulatedClockTest, NowFollowsTheSteadyClock) {
  const auto before = SimulatedClock::Steady::now();
  // Anchored a second ago: an hour has passed at rate 3600.
  const SimulatedClock clock(kStart, 3600, before - seconds(1));
  const Time now = clock.Now();
  const auto after = SimulatedClock::Steady::now();
  EXPECT_GE(now, clock.At(before));
  EXPECT_LE(now, clock.At(after));
  EXPECT_GE(now, kStart + std::chrono::hours(1));
}

}  // namespace
}  // namespace anding::runtime

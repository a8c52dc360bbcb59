#include "anding/runtime/clock_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anding::runtime {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ClockOptionsTest, WithoutOptionsTheSystemClock) {
  std::vector<std::string> words = {"--config", "x.yaml", "run"};
  auto clock = TakeClockOptions(words);
  ASSERT_TRUE(clock.ok()) << clock.status();
  EXPECT_NE(dynamic_cast<const SystemClock*>(clock->get()), nullptr);
  EXPECT_THAT(words, ElementsAre("--config", "x.yaml", "run"));
}

TEST(ClockOptionsTest, TakesTheClockOptionsAndLeavesTheRest) {
  std::vector<std::string> words = {
      "--config", "x.yaml",         "--simulated-clock", "2026-12-31T23:59:50+08:00",
      "run",      "--clock-rate=60"};
  const auto before = SimulatedClock::Steady::now();
  auto clock = TakeClockOptions(words);
  ASSERT_TRUE(clock.ok()) << clock.status();
  EXPECT_THAT(words, ElementsAre("--config", "x.yaml", "run"));
  const auto* simulated = dynamic_cast<const SimulatedClock*>(clock->get());
  ASSERT_NE(simulated, nullptr);
  EXPECT_EQ(simulated->start(), *ParseRfc3339("2026-12-31T15:59:50Z"));
  EXPECT_EQ(simulated->rate(), 60.0);
  EXPECT_GE(simulated->anchor(), before);  // anchored at start-up
}

TEST(ClockOptionsTest, ProcessesGivenTheSameOptionsShareOneClock) {
  const SimulatedClock original(*ParseRfc3339("2028-02-29T23:59:59.123456+08:00"), 37.5,
                                SimulatedClock::Steady::now() - std::chrono::seconds(3));
  std::vector<std::string> words = ClockOptionsFor(original);
  auto clock = TakeClockOptions(words);
  ASSERT_TRUE(clock.ok()) << clock.status();
  EXPECT_TRUE(words.empty());
  const auto* copy = dynamic_cast<const SimulatedClock*>(clock->get());
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->start(), original.start());
  EXPECT_EQ(copy->rate(), original.rate());
  EXPECT_EQ(copy->anchor(), original.anchor());
  const auto at = SimulatedClock::Steady::now();
  EXPECT_EQ(copy->At(at), original.At(at));
}

TEST(ClockOptionsTest, ErrorsNameTheOption) {
  auto error = [](std::vector<std::string> words) {
    auto clock = TakeClockOptions(words);
    return clock.ok() ? std::string("ok") : clock.status().message();
  };
  EXPECT_THAT(error({"--clock-rate", "60"}), HasSubstr("--clock-rate needs --simulated-clock"));
  EXPECT_THAT(error({"--simulated-clock", "tomorrow"}), HasSubstr("--simulated-clock: expected"));
  EXPECT_THAT(error({"--simulated-clock"}), HasSubstr("--simulated-clock needs a value"));
  const std::string start = "2026-12-31T23:59:50+08:00";
  EXPECT_THAT(error({"--simulated-clock", start, "--clock-rate", "0"}), HasSubstr("positive"));
  EXPECT_THAT(error({"--simulated-clock", start, "--clock-rate", "-5"}), HasSubstr("positive"));
  EXPECT_THAT(error({"--simulated-clock", start, "--clock-rate", "6x"}), HasSubstr("positive"));
  EXPECT_THAT(error({"--simulated-clock", start, "--clock-anchor", "soon"}),
              HasSubstr("--clock-anchor: expected"));
  EXPECT_THAT(error({"--simulated-clock", start, "--simulated-clock", start}),
              HasSubstr("more than once"));
}

}  // namespace
}  // namespace anding::runtime

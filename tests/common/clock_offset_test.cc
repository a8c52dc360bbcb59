// The clock-offset estimator and the filing-time rule, on hand-made times
// (no clock is read).
#include "anding/common/clock_offset.h"

#include <gtest/gtest.h>

namespace anding {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

const Time kT0 = FromUnixMicros(1'796'000'000'000'000);  // late 2026

// One exchange with an agent whose clock is `behind` the dispatcher's,
// sent at dispatcher time `at`, taking `up` to arrive, `think` to answer
// and `down` to come back.
ClockExchangeTimes Exchange(Time at, Duration behind, Duration up, Duration down,
                            Duration think = milliseconds(1)) {
  ClockExchangeTimes t;
  t.agent_sent = at - behind;
  t.dispatcher_received = at + up;
  t.dispatcher_replied = at + up + think;
  t.agent_received = at + up + think + down - behind;
  return t;
}

TEST(ClockOffsetTest, SymmetricExchangeGivesTheOffsetExactly) {
  auto sample = OffsetOf(Exchange(kT0, hours(2), milliseconds(20), milliseconds(20)));
  ASSERT_TRUE(sample.ok());
  EXPECT_EQ(sample->offset, hours(2));
  EXPECT_EQ(sample->round_trip, milliseconds(40));
}

TEST(ClockOffsetTest, AsymmetricDelayErrsByAtMostHalfTheRoundTrip) {
  // 900 ms up, 10 ms down: the offset is off by (900 − 10) / 2, within
  // half the round trip.
  auto sample = OffsetOf(Exchange(kT0, hours(2), milliseconds(900), milliseconds(10)));
  ASSERT_TRUE(sample.ok());
  EXPECT_EQ(sample->offset, hours(2) + milliseconds(445));
  EXPECT_LE(sample->offset - hours(2), sample->round_trip / 2);
}

TEST(ClockOffsetTest, ImpossibleExchangesAreRefused) {
  ClockExchangeTimes t = Exchange(kT0, seconds(0), milliseconds(5), milliseconds(5));
  std::swap(t.dispatcher_received, t.dispatcher_replied);
  EXPECT_EQ(OffsetOf(t).status().code(), StatusCode::kInvalidArgument);
  t = Exchange(kT0, seconds(0), milliseconds(5), milliseconds(5));
  t.agent_received = t.agent_sent - milliseconds(1);
  EXPECT_EQ(OffsetOf(t).status().code(), StatusCode::kInvalidArgument);
  ClockOffsetEstimator estimator;
  EXPECT_FALSE(estimator.Add(t).ok());
  EXPECT_FALSE(estimator.estimate().has_value());
}

TEST(ClockOffsetTest, KeepsTheShortestRoundTripSoQueueingDelaysDoNotCount) {
  ClockOffsetEstimator estimator(8);
  EXPECT_FALSE(estimator.estimate().has_value());
  // Asymmetric and varying delays: the uplink is congested most of the time.
  const Duration ups[] = {milliseconds(800), milliseconds(300), milliseconds(15),
                          milliseconds(1200), milliseconds(450)};
  Time at = kT0;
  for (Duration up : ups) {
    ASSERT_TRUE(estimator.Add(Exchange(at, hours(2), up, milliseconds(10))).ok());
    at += seconds(5);
  }
  auto estimate = estimator.estimate();
  ASSERT_TRUE(estimate.has_value());
  EXPECT_EQ(estimate->round_trip, milliseconds(25));
  // From the 15 ms / 10 ms exchange: 2.5 ms off.
  EXPECT_EQ(estimate->offset, hours(2) + std::chrono::microseconds(2500));
}

TEST(ClockOffsetTest, ASingleOutlierDoesNotSwingTheEstimate) {
  ClockOffsetEstimator estimator(8);
  Time at = kT0;
  for (int i = 0; i < 4; ++i, at += seconds(5)) {
    ASSERT_TRUE(estimator.Add(Exchange(at, hours(2), milliseconds(20), milliseconds(20))).ok());
  }
  // A sample that claims a very short round trip and a clock an hour away
  // (a glitch, a forged echo): held aside, not used.
  ASSERT_TRUE(estimator.Add(Exchange(at, hours(1), milliseconds(1), milliseconds(1))).ok());
  EXPECT_EQ(estimator.held_aside(), 1u);
  EXPECT_EQ(estimator.estimate()->offset, hours(2));
  // The next sample agrees with the old ones: the outlier is forgotten.
  at += seconds(5);
  ASSERT_TRUE(estimator.Add(Exchange(at, hours(2), milliseconds(20), milliseconds(20))).ok());
  EXPECT_EQ(estimator.held_aside(), 0u);
  EXPECT_EQ(estimator.estimate()->offset, hours(2));
}

TEST(ClockOffsetTest, AStepOfTheClockIsFollowedAfterTwoAgreeingSamples) {
  ClockOffsetEstimator estimator(8);
  Time at = kT0;
  for (int i = 0; i < 4; ++i, at += seconds(5)) {
    ASSERT_TRUE(estimator.Add(Exchange(at, seconds(0), milliseconds(5), milliseconds(5))).ok());
  }
  // The officer sets the clock back a day (to backdate a report).
  ASSERT_TRUE(estimator.Add(Exchange(at, hours(24), milliseconds(40), milliseconds(40))).ok());
  EXPECT_EQ(estimator.estimate()->offset, seconds(0));
  at += seconds(5);
  ASSERT_TRUE(estimator.Add(Exchange(at, hours(24), milliseconds(30), milliseconds(30))).ok());
  // Longer round trips than the old samples, but the old clock is gone.
  EXPECT_EQ(estimator.estimate()->offset, hours(24));
  EXPECT_EQ(estimator.estimate()->round_trip, milliseconds(60));
}

TEST(ClockOffsetTest, OldSamplesLeaveTheWindow) {
  ClockOffsetEstimator estimator(3);
  Time at = kT0;
  ASSERT_TRUE(estimator.Add(Exchange(at, seconds(10), milliseconds(1), milliseconds(1))).ok());
  for (int i = 0; i < 3; ++i) {
    at += seconds(5);
    // Drifting by 100 ms per sample, with longer round trips.
    ASSERT_TRUE(estimator
                    .Add(Exchange(at, seconds(10) + milliseconds(100 * (i + 1)), milliseconds(50),
                                  milliseconds(50)))
                    .ok());
  }
  EXPECT_EQ(estimator.estimate()->round_trip, milliseconds(100));
  EXPECT_EQ(estimator.estimate()->offset, seconds(10) + milliseconds(300));
}

TEST(ClockOffsetTest, ASeedFromBeforeARestartCountsAsOneSample) {
  ClockOffsetEstimator estimator(8);
  estimator.Seed(ClockOffset{hours(2), milliseconds(30), kT0});
  EXPECT_EQ(estimator.estimate()->offset, hours(2));
  // Agreeing samples join it; a seed never replaces samples of its own.
  ASSERT_TRUE(estimator.Add(Exchange(kT0, hours(2), milliseconds(5), milliseconds(5))).ok());
  EXPECT_EQ(estimator.estimate()->round_trip, milliseconds(10));
  estimator.Seed(ClockOffset{hours(5), milliseconds(1), kT0});
  EXPECT_EQ(estimator.estimate()->offset, hours(2));
}

// ---- the filing-time rule -------------------------------------------------

TEST(FilingTimeTest, AClockWithinTheThresholdIsTakenAsItIs) {
  const Time sent = kT0;
  FilingTime f = JudgeFilingTime(sent, sent + seconds(1), seconds(30), seconds(60), std::nullopt);
  EXPECT_EQ(f.at, sent);
  EXPECT_EQ(f.correction, Duration::zero());
  EXPECT_TRUE(f.basis.empty());
  // Unknown offset (an agent of an earlier version): as it is, too.
  f = JudgeFilingTime(sent, sent + seconds(1), std::nullopt, seconds(60), std::nullopt);
  EXPECT_EQ(f.at, sent);
}

TEST(FilingTimeTest, AClockBeyondTheThresholdIsCorrected) {
  // The agent's clock is 2 h slow: it says 10:00 when it is 12:00.
  const Time real = kT0;
  FilingTime f = JudgeFilingTime(real - hours(2), real + seconds(1), hours(2), seconds(60),
                                 real - seconds(30));
  EXPECT_EQ(f.at, real);
  EXPECT_EQ(f.correction, hours(2));
  EXPECT_EQ(f.basis, "agent clock corrected by +7200s");
  // 2 h fast, the other way.
  f = JudgeFilingTime(real + hours(2), real + seconds(1), -hours(2), seconds(60), std::nullopt);
  EXPECT_EQ(f.at, real);
  EXPECT_EQ(f.correction, -hours(2));
}

TEST(FilingTimeTest, NeverAfterReceipt) {
  const Time received = kT0;
  FilingTime f =
      JudgeFilingTime(received + hours(1), received, std::nullopt, seconds(60), std::nullopt);
  EXPECT_EQ(f.at, received);
  EXPECT_EQ(f.basis, "not after its receipt");
}

TEST(FilingTimeTest, ABackdatedClaimIsNotEarlierThanWhatTheLinkWitnessed) {
  // The link showed at 12:00 that the message did not exist yet; the agent
  // (its clock set back, not yet measured) claims 11:00.
  const Time witnessed = kT0;
  FilingTime f = JudgeFilingTime(witnessed - hours(1), witnessed + hours(3), std::nullopt,
                                 seconds(60), witnessed);
  EXPECT_EQ(f.at, witnessed);
  EXPECT_NE(f.basis.find("not before the link showed it did not exist yet"), std::string::npos);
  // A claim after the witness stands: a report filed during an outage.
  f = JudgeFilingTime(witnessed + hours(1), witnessed + hours(3), std::nullopt, seconds(60),
                      witnessed);
  EXPECT_EQ(f.at, witnessed + hours(1));
  EXPECT_TRUE(f.basis.empty());
}

TEST(FilingTimeTest, FormatsOffsetsForPeople) {
  EXPECT_EQ(FormatOffset(hours(2)), "+7200s");
  EXPECT_EQ(FormatOffset(-milliseconds(250)), "-0.25s");
  EXPECT_EQ(FormatOffset(Duration::zero()), "+0s");
}

}  // namespace
}  // namespace anding

// AgentClocks, on hand-made heartbeats: the exchange, what an agent of an
// earlier version gets, forged echoes, one alert per episode, and the
// bounds on filing times.
#include "agent_clocks.h"

#include <gtest/gtest.h>

#include "anding/wire/codec.h"

namespace anding::dispatcher {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

const Time kT0 = FromUnixMicros(1'796'000'000'000'000);

class AgentClocksTest : public ::testing::Test {
 protected:
  // One heartbeat exchange with `unit`'s agent, `behind` the dispatcher, at
  // dispatcher time `at` (10 ms each way); the agent's echo of the previous
  // answer rides on this heartbeat. Returns the dispatcher's answer.
  v1::Heartbeat Beat(const std::string& unit, Time at, Duration behind, uint64_t last_sequence,
                     bool measures = true) {
    v1::Heartbeat heartbeat;
    heartbeat.set_last_sequence(last_sequence);
    if (measures) *heartbeat.mutable_sent_at() = wire::ToProto(at - behind);
    if (echo_.count(unit) != 0) *heartbeat.mutable_exchange() = echo_[unit];
    v1::Heartbeat reply;
    clocks_.OnHeartbeat(unit, heartbeat, at + milliseconds(10), at + milliseconds(11), reply);
    if (reply.has_exchange()) {
      echo_[unit] = reply.exchange();
      *echo_[unit].mutable_agent_received_at() = wire::ToProto(at + milliseconds(21) - behind);
    }
    return reply;
  }

  std::vector<core::HqAlert> alerts_;
  std::map<std::string, v1::ClockExchange> echo_;
  std::map<std::string, ClockOffset> kept_;
  AgentClocks clocks_{
      seconds(60), [this](core::HqAlert alert) { alerts_.push_back(alert); },
      [this](const std::string& unit, const ClockOffset& estimate) { kept_[unit] = estimate; }};
};

TEST_F(AgentClocksTest, MeasuresFromTheEchoAndAlertsOncePerEpisode) {
  EXPECT_TRUE(Beat("mine-3", kT0, hours(2), 0).has_exchange());
  EXPECT_FALSE(clocks_.Estimate("mine-3").has_value());  // nothing echoed yet
  Beat("mine-3", kT0 + seconds(5), hours(2), 0);
  ASSERT_TRUE(clocks_.Estimate("mine-3").has_value());
  EXPECT_EQ(clocks_.Estimate("mine-3")->offset, hours(2));
  EXPECT_EQ(clocks_.Estimate("mine-3")->round_trip, milliseconds(20));
  EXPECT_TRUE(clocks_.Wrong("mine-3"));
  EXPECT_EQ(kept_["mine-3"].offset, hours(2));
  ASSERT_EQ(alerts_.size(), 1u);
  EXPECT_EQ(alerts_[0].kind, "clock_offset");
  EXPECT_EQ(alerts_[0].unit_id, "mine-3");
  EXPECT_EQ(alerts_[0].severity, core::HqAlert::Severity::kWarning);
  for (int i = 2; i < 6; ++i) Beat("mine-3", kT0 + seconds(5 * i), hours(2), 0);
  EXPECT_EQ(alerts_.size(), 1u);
  // The officer fixes the clock: after two agreeing samples it is back
  // within, and an info alert closes the episode.
  for (int i = 6; i < 10; ++i) Beat("mine-3", kT0 + seconds(5 * i), seconds(1), 0);
  EXPECT_FALSE(clocks_.Wrong("mine-3"));
  ASSERT_EQ(alerts_.size(), 2u);
  EXPECT_EQ(alerts_[1].severity, core::HqAlert::Severity::kInfo);
}

TEST_F(AgentClocksTest, AnAgentThatDoesNotMeasureStaysUnknown) {
  // An agent of an earlier version: no time in its heartbeat, none in the
  // answer, no estimate, no alert.
  EXPECT_FALSE(Beat("old", kT0, hours(2), 0, false).has_exchange());
  EXPECT_FALSE(Beat("old", kT0 + seconds(5), hours(2), 0, false).has_exchange());
  EXPECT_FALSE(clocks_.Estimate("old").has_value());
  EXPECT_TRUE(alerts_.empty());
  // Its times are taken as they are...
  FilingTime filing = clocks_.Judge("old", 1, kT0 + milliseconds(5500), kT0 + seconds(6));
  EXPECT_EQ(filing.at, kT0 + milliseconds(5500));
  EXPECT_EQ(filing.correction, Duration::zero());
  EXPECT_TRUE(filing.basis.empty());
  // ...within what its heartbeats witnessed: at kT0 + 5 s it had not
  // created message 2 yet.
  filing = clocks_.Judge("old", 2, kT0, kT0 + seconds(7));
  EXPECT_EQ(filing.at, kT0 + milliseconds(5500));
}

TEST_F(AgentClocksTest, AnEchoTheDispatcherDidNotAnswerIsIgnored) {
  Beat("mine-3", kT0, Duration::zero(), 0);
  // A forged echo: the dispatcher's times an hour off.
  v1::ClockExchange forged = echo_["mine-3"];
  *forged.mutable_dispatcher_received_at() = wire::ToProto(kT0 + hours(1));
  *forged.mutable_dispatcher_replied_at() = wire::ToProto(kT0 + hours(1));
  echo_["mine-3"] = forged;
  Beat("mine-3", kT0 + seconds(5), Duration::zero(), 0);
  EXPECT_FALSE(clocks_.Estimate("mine-3").has_value());
  EXPECT_TRUE(alerts_.empty());
}

TEST_F(AgentClocksTest, FilingTimesAreCorrectedAndBoundedByWhatTheLinkSaw) {
  Beat("mine-3", kT0, hours(2), 4);
  Beat("mine-3", kT0 + seconds(5), hours(2), 4);
  // Message 5, filed at the mine at kT0 + 7 s (its clock: 2 h earlier).
  FilingTime filing = clocks_.Judge("mine-3", 5, kT0 + seconds(7) - hours(2), kT0 + seconds(8));
  EXPECT_EQ(filing.at, kT0 + seconds(7));
  EXPECT_EQ(filing.correction, hours(2));
  EXPECT_NE(filing.basis.find("corrected by +7200s"), std::string::npos);
  // Message 6 claims a time before the last heartbeat that had not seen it
  // (the clock set back a day, not yet measured): bounded by that
  // heartbeat (less its transit) and by message 5's filing time.
  Beat("mine-3", kT0 + seconds(10), hours(2), 5);
  filing = clocks_.Judge("mine-3", 6, kT0 - hours(26), kT0 + seconds(12));
  EXPECT_EQ(filing.at, kT0 + seconds(10) + milliseconds(10) - seconds(1));
  EXPECT_NE(filing.basis.find("not before"), std::string::npos);
}

TEST_F(AgentClocksTest, ARestoredEstimateContinuesItsEpisode) {
  clocks_.Restore("mine-3", ClockOffset{hours(2), milliseconds(20), kT0});
  EXPECT_TRUE(clocks_.Wrong("mine-3"));
  Beat("mine-3", kT0, hours(2), 0);
  Beat("mine-3", kT0 + seconds(5), hours(2), 0);
  EXPECT_TRUE(alerts_.empty());  // the episode's alert was raised before
  // A fresher estimate is not overwritten by a restore.
  clocks_.Restore("mine-3", ClockOffset{hours(5), milliseconds(1), kT0});
  EXPECT_EQ(clocks_.Estimate("mine-3")->offset, hours(2));
}

}  // namespace
}  // namespace anding::dispatcher

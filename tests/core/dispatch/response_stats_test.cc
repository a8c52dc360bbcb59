// Response-time statistics on a small hand-computed set of records: the
// share of deadlines met (exact, truncated or half-up), median and worst
// response time, per unit and per rule; running and cancelled ones do not
// count.
#include "anding/core/dispatch/response_stats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anding::core::dispatch {
namespace {

using std::chrono::minutes;

Response Arrived(std::string unit, std::string rule, Duration took, bool on_time) {
  Response r;
  r.unit_id = std::move(unit);
  if (!rule.empty()) r.deadline = Deadline{std::move(rule), "", minutes(60), Time{}};
  r.arrived_at = Time{} + took;
  r.response_time = took;
  if (r.deadline) r.on_time = on_time;
  return r;
}

Response Breached(std::string unit, std::string rule) {
  Response r;
  r.unit_id = std::move(unit);
  r.deadline = Deadline{std::move(rule), "", minutes(60), Time{}};
  r.breach_at = Time{} + minutes(61);
  return r;
}

Response Running(std::string unit) {
  Response r;
  r.unit_id = std::move(unit);
  r.deadline = Deadline{"r1", "", minutes(60), Time{}};
  return r;
}

class ResponseStatsTest : public ::testing::Test {
 protected:
  ResponseStatsTest() {
    first_.responses = {Arrived("mine-a", "r1", minutes(30), true),
                        Arrived("mine-b", "r1", minutes(20), true)};
    second_.responses = {Arrived("mine-a", "r1", minutes(40), true), Running("mine-b"),
                         Arrived("mine-b", "", minutes(50), false)};
    third_.responses = {Breached("mine-a", "r2")};
    cancelled_.state = IncidentState::kCancelled;
    cancelled_.responses = {Breached("mine-a", "r1"), Arrived("mine-b", "r1", minutes(5), true)};
    all_ = {&first_, &second_, &third_, &cancelled_};
  }

  Incident first_, second_, third_, cancelled_;
  std::vector<const Incident*> all_;
};

TEST_F(ResponseStatsTest, PerUnitAndTotal) {
  const ResponseStats stats = ComputeResponseStats(all_, false, visits::Rounding::kTruncate);
  ASSERT_EQ(stats.rows.size(), 2u);
  const ResponseStatsRow& a = stats.rows[0];
  EXPECT_EQ(a.unit_id, "mine-a");
  EXPECT_EQ(a.responses, 3);
  EXPECT_EQ(a.arrivals, 2);
  EXPECT_EQ(a.decided, 3);
  EXPECT_EQ(a.met, 2);
  EXPECT_EQ(a.met_hundredths, 6666);  // 2/3 = 66.666…%, truncated
  EXPECT_EQ(a.median, minutes(35));   // the mean of 30 and 40
  EXPECT_EQ(a.worst, minutes(40));
  const ResponseStatsRow& b = stats.rows[1];
  EXPECT_EQ(b.unit_id, "mine-b");
  EXPECT_EQ(b.responses, 2);  // the running one does not count yet
  EXPECT_EQ(b.decided, 1);    // the arrival without a deadline has no verdict
  EXPECT_EQ(b.met_hundredths, 10000);
  EXPECT_EQ(b.median, minutes(35));
  EXPECT_EQ(b.worst, minutes(50));
  EXPECT_EQ(stats.total.responses, 5);
  EXPECT_EQ(stats.total.decided, 4);
  EXPECT_EQ(stats.total.met, 3);
  EXPECT_EQ(stats.total.met_hundredths, 7500);
  EXPECT_EQ(stats.total.median, minutes(35));
  EXPECT_EQ(stats.total.worst, minutes(50));

  const ResponseStats half_up = ComputeResponseStats(all_, false, visits::Rounding::kHalfUp);
  EXPECT_EQ(half_up.rows[0].met_hundredths, 6667);
}

TEST_F(ResponseStatsTest, ByRuleAndNoBase) {
  const ResponseStats stats = ComputeResponseStats(all_, true, visits::Rounding::kTruncate);
  ASSERT_EQ(stats.rows.size(), 4u);
  EXPECT_EQ(stats.rows[0].unit_id, "mine-a");
  EXPECT_EQ(stats.rows[0].rule_id, "r1");
  EXPECT_EQ(stats.rows[0].met_hundredths, 10000);
  EXPECT_EQ(stats.rows[1].rule_id, "r2");
  EXPECT_EQ(stats.rows[1].met_hundredths, 0);
  EXPECT_EQ(stats.rows[1].median, std::nullopt);  // nobody arrived
  EXPECT_EQ(stats.rows[2].unit_id, "mine-b");
  EXPECT_EQ(stats.rows[2].rule_id, "");                   // the arrival no rule covered
  EXPECT_EQ(stats.rows[2].met_hundredths, std::nullopt);  // no base
  EXPECT_EQ(stats.rows[3].rule_id, "r1");

  const ResponseStats empty = ComputeResponseStats({}, false, visits::Rounding::kTruncate);
  EXPECT_TRUE(empty.rows.empty());
  EXPECT_EQ(empty.total.met_hundredths, std::nullopt);
  EXPECT_EQ(empty.total.median, std::nullopt);
}

}  // namespace
}  // namespace anding::core::dispatch

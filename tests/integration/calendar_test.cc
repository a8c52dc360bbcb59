// The calendar's edges with the real daemons: each test starts the
// dispatcher and its agents on one simulated clock seconds before the
// instant it is about — midnight at the end of a year, of a quarter, of a
// leap day — so that what happens there is seen in a second or two.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "anding/common/strings.h"
#include "support/cluster.h"

namespace anding::testing {
namespace {

using std::chrono::seconds;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

Time At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

ClusterOptions Simulated(std::vector<std::string> agents, const char* start, double rate,
                         const char* yaml) {
  ClusterOptions options;
  options.agent_units = std::move(agents);
  options.extra_dispatcher_yaml = yaml;
  options.simulated_start = At(start);
  options.clock_rate = rate;
  return options;
}

void StartAll(Cluster& cluster, const ClusterOptions& options) {
  cluster.StartDispatcher();
  for (const auto& unit : options.agent_units) cluster.StartAgent(unit);
}

// Orders an agent has received whose text contains `text`.
int64_t OrdersWith(Cluster& cluster, const std::string& unit, const std::string& text) {
  return Cluster::QueryInt(
      cluster.AgentDatabase(unit),
      StrCat("SELECT COUNT(*) FROM orders WHERE instr(envelope, CAST('", text, "' AS BLOB)) > 0"));
}

// When the dispatcher raised its first alert of `kind` about `reference`
// (Unix microseconds; -1 if none).
int64_t RaisedAt(Cluster& cluster, const std::string& kind, const std::string& reference) {
  return Cluster::QueryInt(
      cluster.DispatcherDatabase(),
      StrCat("SELECT COALESCE(MIN(raised_at_us), -1) FROM alerts WHERE kind = '", kind,
             "' AND reference_id = '", reference, "'"));
}

// Alerts of `kind` whose text contains `text`.
int64_t AlertsWith(Cluster& cluster, const std::string& kind, const std::string& text) {
  return Cluster::QueryInt(cluster.DispatcherDatabase(),
                           StrCat("SELECT COUNT(*) FROM alerts WHERE kind = '", kind,
                                  "' AND instr(text, '", text, "') > 0"));
}

constexpr const char* kDailySummaryYaml = R"(
ledger:
  screening: {units: [], track_from: "2026-12-01"}
  daily_report:
    units: [mine-3, mine-6]
    summary_time: "00:01"
)";

// From one second before midnight on New Year's Eve, the summary of
// 2026-12-31 is published at 00:01 on 2027-01-01 — not earlier, and only
// once — naming the units that had not reported, who are reminded; a report
// filed afterwards shows in the summary produced on demand.
TEST(CalendarTest, DailySummaryAtItsConfiguredTimeFromOneSecondBeforeMidnight) {
  const ClusterOptions options =
      Simulated({"mine-3", "mine-6"}, "2026-12-31T23:59:59+08:00", 10, kDailySummaryYaml);
  Cluster cluster("daily-summary", options);
  StartAll(cluster, options);

  const Time summary_time = At("2027-01-01T00:01:00+08:00");
  ASSERT_TRUE(
      WaitFor([&] { return RaisedAt(cluster, "daily_summary", "2026-12-31") > 0; }, seconds(20)))
      << cluster.Operator({"alerts", "list"}).out;
  const Time raised = FromUnixMicros(RaisedAt(cluster, "daily_summary", "2026-12-31"));
  EXPECT_GE(raised, summary_time);
  EXPECT_LT(raised, summary_time + seconds(30));
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM alerts WHERE kind = 'daily_summary' AND "
                              "reference_id = '2026-12-31'"),
            1);
  const auto alerts = cluster.Operator({"alerts", "list"});
  EXPECT_THAT(alerts.out,
              ContainsRegex("2027-01-01 00:01:[0-2][0-9] warning +\\[daily_summary\\]"));
  EXPECT_THAT(alerts.out, HasSubstr("2026-12-31 风险预控日报汇总：应报 2 个单位，已报 0 个"));
  EXPECT_THAT(alerts.out, HasSubstr("未报：三矿、六矿"));
  for (const std::string unit : {"mine-3", "mine-6"}) {
    ASSERT_TRUE(WaitFor([&] { return OrdersWith(cluster, unit, "日报告催报：2026-12-31") == 1; },
                        seconds(20)))
        << unit;
  }

  auto late = cluster.Agent("mine-3", {"report", "daily", "--day", "2026-12-31", "--zero"});
  ASSERT_EQ(late.exit_code, 0) << late.err;
  const auto daily = cluster.Operator({"report", "daily", "--day", "2026-12-31"});
  ASSERT_EQ(daily.exit_code, 0) << daily.err;
  EXPECT_THAT(daily.out, HasSubstr("mine-3       zero_report"));
  EXPECT_THAT(daily.out, HasSubstr("not reported: mine-6"));
}

constexpr const char* kQuarterEndYaml = R"(
ledger:
  screening:
    units: [mine-3, mine-6]
    track_from: "2027-03-21"
    grace: {ten_day: 0s, month: 0s, quarter: 0s}
  daily_report: {units: []}
)";

// The third ten-day period of March (21st–31st), March and the first
// quarter all close at 2027-04-01 00:00 +08:00: at midnight, not before,
// every unit that filed none of them is chased for each; a report filed
// after that is recorded as late, and stays so across a restart.
TEST(CalendarTest, ScreeningPeriodsEndWithTheLastDayOfAQuarter) {
  const ClusterOptions options =
      Simulated({"mine-3", "mine-6"}, "2027-03-31T23:59:50+08:00", 10, kQuarterEndYaml);
  Cluster cluster("quarter-end", options);
  StartAll(cluster, options);

  const Time midnight = At("2027-04-01T00:00:00+08:00");
  auto reminders = [&] {
    return Cluster::QueryInt(cluster.DispatcherDatabase(),
                             "SELECT COUNT(*) FROM ledger_screening_reminders");
  };
  ASSERT_TRUE(WaitFor([&] { return reminders() == 6; }, seconds(20)))
      << cluster.Operator({"alerts", "list"}).out;
  for (const char* period : {"2027-03-T3", "2027-03", "2027-Q1"}) {
    for (const char* unit : {"mine-3", "mine-6"}) {
      const int64_t sent = Cluster::QueryInt(
          cluster.DispatcherDatabase(),
          StrCat("SELECT sent_at_us FROM ledger_screening_reminders WHERE unit_id = '", unit,
                 "' AND period = '", period, "'"));
      EXPECT_GE(FromUnixMicros(sent), midnight) << unit << " " << period;
      EXPECT_LT(FromUnixMicros(sent), midnight + seconds(30)) << unit << " " << period;
    }
  }
  // Order texts name the period: "贵单位尚未报送 2027年3月下旬 不稳定因素排查报告…".
  for (const std::string title :
       {"尚未报送 2027年3月下旬 不稳定因素", "尚未报送 2027年3月 不稳定因素",
        "尚未报送 2027年第1季度 不稳定因素"}) {
    for (const std::string unit : {"mine-3", "mine-6"}) {
      ASSERT_TRUE(WaitFor([&] { return OrdersWith(cluster, unit, title) == 1; }, seconds(20)))
          << unit << " " << title;
    }
  }
  EXPECT_EQ(AlertsWith(cluster, "report_overdue", "报送期限 2027-04-01 00:00"), 6);
  // Nothing is due for April's first ten-day period yet.
  EXPECT_EQ(OrdersWith(cluster, "mine-3", "2027年4月"), 0);

  auto late = cluster.Agent("mine-3", {"report", "screening", "--period", "2027-Q1", "--zero"});
  ASSERT_EQ(late.exit_code, 0) << late.err;
  // After a restart the checked periods' reports are in the store only: a
  // corrected report revises the stored one (still late: lateness is the
  // first filing's), and the status is read from there.
  cluster.KillDispatcher();
  cluster.StartDispatcher();
  auto corrected = cluster.Agent(
      "mine-3", {"report", "screening", "--period", "2027-Q1", "--zero", "--remarks", "补报说明"});
  ASSERT_EQ(corrected.exit_code, 0) << corrected.err;
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT revision * 10 + late FROM ledger_screening_reports WHERE "
                              "unit_id = 'mine-3' AND period = '2027-Q1'"),
            21);
  const auto status = cluster.Operator({"screening", "status", "--period", "2027-Q1"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("mine-3       zero report (late)"));
  EXPECT_THAT(status.out, HasSubstr("mine-6       NOT FILED  OVERDUE"));
  EXPECT_THAT(status.out, HasSubstr("reminded 2027-04-01 00:00:"));
}

constexpr const char* kLeapDayYaml = R"(
ledger:
  screening:
    units: [mine-3]
    track_from: "2028-02-21"
    grace: {ten_day: 0s, month: 90d, quarter: 200d}
  daily_report:
    units: [mine-3]
    summary_time: "00:00"
)";

// 2028 is a leap year: February's third ten-day period runs from the 21st
// to the 29th and closes at 2028-03-01 00:00 +08:00, when the summary of the
// 29th is published. A ledger item due "2028-02-29" is due at its last
// second: supervised (督办) then, and again as 1 March begins. The clock
// runs at its real rate: that second is a second for the daemons too, on a
// loaded machine.
TEST(CalendarTest, AcrossTheTwentyNinthOfFebruary2028) {
  const ClusterOptions options =
      Simulated({"mine-3"}, "2028-02-29T23:59:50+08:00", 1, kLeapDayYaml);
  Cluster cluster("leap-day", options);
  StartAll(cluster, options);

  auto registered = cluster.Operator({"ledger", "register", "--unit", "mine-3", "--category",
                                      "other", "--description", "闰日到期的台账事项", "--persons",
                                      "3", "--level", "medium", "--leader", "李矿长", "--person",
                                      "赵信访员", "--deadline", "2028-02-29"});
  ASSERT_EQ(registered.exit_code, 0) << registered.err;
  const auto at = registered.out.find("TZ-");
  ASSERT_NE(at, std::string::npos) << registered.out;
  const std::string item = registered.out.substr(at, 12);

  const Time deadline = At("2028-02-29T23:59:59+08:00");
  const Time march_first = At("2028-03-01T00:00:00+08:00");
  auto supervised = [&](const char* aggregate) {
    return Cluster::QueryInt(cluster.DispatcherDatabase(),
                             StrCat("SELECT ", aggregate,
                                    " FROM alerts WHERE kind = "
                                    "'ledger_overdue' AND reference_id = '",
                                    item, "'"));
  };
  ASSERT_TRUE(WaitFor(
      [&] {
        return supervised("COUNT(*)") == 2 &&
               RaisedAt(cluster, "daily_summary", "2028-02-29") > 0 &&
               OrdersWith(cluster, "mine-3", "排查报告催报：2028年2月下旬") == 1 &&
               OrdersWith(cluster, "mine-3", StrCat("督办通知：台账 ", item)) == 2;
      },
      seconds(20)))
      << cluster.Operator({"alerts", "list"}).out;
  EXPECT_GE(FromUnixMicros(supervised("MIN(raised_at_us)")), deadline);
  EXPECT_LT(FromUnixMicros(supervised("MIN(raised_at_us)")), march_first);
  EXPECT_GE(FromUnixMicros(supervised("MAX(raised_at_us)")), march_first);
  EXPECT_GE(FromUnixMicros(RaisedAt(cluster, "daily_summary", "2028-02-29")), march_first);
  EXPECT_EQ(AlertsWith(cluster, "report_overdue",
                       "2028年2月下旬 排查报告（含零报告），报送期限 2028-03-01 00:00"),
            1);

  const auto alerts = cluster.Operator({"alerts", "list"});
  EXPECT_THAT(alerts.out, HasSubstr("已超过办结时限（2028-02-29 23:59）"));
  EXPECT_THAT(alerts.out, HasSubstr("2028-02-29 风险预控日报汇总"));
  const auto shown = cluster.Operator({"ledger", "show", item});
  EXPECT_THAT(shown.out, HasSubstr("deadline 2028-02-29 23:59:59"));
  EXPECT_THAT(shown.out, HasSubstr("OVERDUE"));
  const auto status = cluster.Operator({"screening", "status", "--period", "2028-02/3"});
  EXPECT_THAT(status.out, HasSubstr("mine-3       NOT FILED  OVERDUE"));
}

}  // namespace
}  // namespace anding::testing

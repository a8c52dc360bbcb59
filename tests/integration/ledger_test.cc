// The ledger (台账), screening cadence, daily/monthly reports and special
// reports with real processes: agents file screening reports (one a zero
// report) while a third unit stays silent and is chased; a major early
// warning yields a special report; an item goes from registration to
// close-out through agent and operator; summaries and the CSV export show
// it all; and a restart repeats nothing.
//
// The daemons run on a simulated clock that starts a minute before the
// screening period ends and runs sixty times as fast as real time, so the
// unit that does not file is chased two real seconds after the start.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "anding/common/strings.h"
#include "support/cluster.h"

namespace anding::testing {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::Not;

Time At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

// Ten-day period 2 of May 2027 (11th–20th) closes at 2027-05-21 00:00 +08:00;
// with a minute's grace the silent unit is chased at 00:01, eight minutes
// (eight real seconds) after the clock starts: time for a loaded machine to
// start four processes and file two reports before then.
constexpr const char* kLedgerYaml = R"(
ledger:
  screening:
    units: [mine-3, mine-6, mine-9]
    track_from: "2027-05-11"
    grace: {ten_day: 1m, month: 90d, quarter: 200d}
  daily_report:
    units: [mine-3, mine-6, mine-9]
  major_warning: {persons_threshold: 30}
)";

int64_t ReminderOrders(Cluster& cluster, const std::string& unit) {
  return Cluster::QueryInt(
      cluster.AgentDatabase(unit),
      "SELECT COUNT(*) FROM orders WHERE instr(envelope, CAST('排查报告催报' AS BLOB)) > 0");
}

std::string ExtractItemId(const std::string& text) {
  const auto at = text.find("TZ-");
  return at == std::string::npos ? "" : text.substr(at, 12);
}

TEST(LedgerIntegrationTest, ScreeningReportsWarningsItemsAndSummaries) {
  ClusterOptions options;
  options.agent_units = {"mine-3", "mine-6", "mine-9"};
  options.extra_dispatcher_yaml = kLedgerYaml;
  // Start four processes and file two reports before the grace ends.
  options.simulated_start = At("2027-05-20T23:53:00+08:00");
  options.clock_rate = 60;
  Cluster cluster("ledger", options);
  cluster.StartDispatcher();
  for (const auto& unit : options.agent_units) cluster.StartAgent(unit);
  const std::string period = "2027-05/2";
  const Time due = At("2027-05-21T00:01:00+08:00");

  // Two units file on the period's last day: a finding and a zero report.
  auto filed = cluster.Agent(
      "mine-3", {"report", "screening", "--period", period, "--finding",
                 "three-supplies-handover|供暖移交费用争议|25|medium", "--by", "赵信访员"});
  ASSERT_EQ(filed.exit_code, 0) << filed.err;
  EXPECT_THAT(filed.out, HasSubstr("stored by the dispatcher"));
  filed = cluster.Agent("mine-6", {"report", "screening", "--period", period, "--zero"});
  ASSERT_EQ(filed.exit_code, 0) << filed.err;
  ASSERT_LT(cluster.clock().Now(), due) << "filed too late to test chasing; start earlier";

  // A zero report with findings is refused by the dispatcher's rules (the
  // agent checks it first and does not queue it).
  auto invalid = cluster.Agent(
      "mine-6", {"report", "screening", "--period", period, "--zero", "--finding", "other|x|1"});
  EXPECT_NE(invalid.exit_code, 0);

  // The third unit says nothing: once the grace time is over it is chased.
  ASSERT_TRUE(WaitFor([&] { return ReminderOrders(cluster, "mine-9") == 1; }, seconds(30)))
      << cluster.Operator({"alerts", "list"}).out;
  EXPECT_GE(cluster.clock().Now(), due);
  EXPECT_EQ(ReminderOrders(cluster, "mine-3"), 0);
  EXPECT_EQ(ReminderOrders(cluster, "mine-6"), 0);
  const auto alerts = cluster.Operator({"alerts", "list"});
  EXPECT_THAT(alerts.out, HasSubstr("[report_overdue] 九矿 未按时报送"));
  const auto status = cluster.Operator({"screening", "status", "--period", period});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("mine-3       filed"));
  EXPECT_THAT(status.out, HasSubstr("mine-6       zero report"));
  EXPECT_THAT(status.out, HasSubstr("mine-9       NOT FILED  OVERDUE"));

  // A major early warning (heading for Beijing) is special-reported at once.
  auto warning =
      cluster.Agent("mine-3", {"report", "early-warning", "--summary", "退休职工酝酿赴京上访",
                               "--persons", "35", "--category", "retiree-management", "--level",
                               "high", "--destination", "beijing"});
  ASSERT_EQ(warning.exit_code, 0) << warning.err;
  const std::string warning_item = ExtractItemId(warning.out);
  ASSERT_FALSE(warning_item.empty()) << warning.out;
  const auto special = cluster.Operator({"alerts", "list", "--json"});
  EXPECT_THAT(special.out, HasSubstr("\"kind\":\"special_report\""));
  EXPECT_THAT(special.out, HasSubstr("\"severity\":\"critical\""));

  // An item registered by HQ, worked by the unit, closed out with its leader.
  auto registered = cluster.Operator(
      {"ledger", "register", "--unit", "mine-6", "--category", "work-injury-aid", "--description",
       "工伤职工就业补助金发放争议", "--persons", "8", "--level", "medium", "--leader",
       "陈矿长:+8613800000061", "--person", "刘科长", "--deadline", "2027-06-30"});
  ASSERT_EQ(registered.exit_code, 0) << registered.err;
  const std::string item = ExtractItemId(registered.out);
  ASSERT_FALSE(item.empty()) << registered.out;
  auto update = cluster.Agent("mine-6", {"ledger", "update", "--item", item, "--progress",
                                         "已与劳动保障部核对名单", "--by", "刘科长"});
  ASSERT_EQ(update.exit_code, 0) << update.err;
  // Close-out before the case is resolved is refused.
  auto early = cluster.Operator(
      {"ledger", "close-out", "--item", item, "--resolution", "x", "--leader", "陈矿长"});
  EXPECT_EQ(early.exit_code, 1);
  EXPECT_THAT(early.err, HasSubstr("resolved"));
  auto resolve = cluster.Agent("mine-6", {"ledger", "update", "--item", item, "--resolution",
                                          "补助金已全部发放到位", "--by", "刘科长"});
  ASSERT_EQ(resolve.exit_code, 0) << resolve.err;
  // Another unit's agent cannot touch it.
  auto foreign = cluster.Agent("mine-3", {"ledger", "update", "--item", item, "--progress", "x"});
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_THAT(foreign.out, HasSubstr("REJECTED"));
  auto wrong_leader = cluster.Operator(
      {"ledger", "close-out", "--item", item, "--resolution", "案结事了", "--leader", "李矿长"});
  EXPECT_EQ(wrong_leader.exit_code, 1);
  auto closed = cluster.Operator({"ledger", "close-out", "--item", item, "--resolution",
                                  "补助金已全部发放到位，职工签字确认", "--leader", "陈矿长"});
  ASSERT_EQ(closed.exit_code, 0) << closed.err;
  const auto shown = cluster.Operator({"ledger", "show", item});
  EXPECT_THAT(shown.out, HasSubstr("closed_out"));
  EXPECT_THAT(shown.out, HasSubstr("operator:test  registered"));
  EXPECT_THAT(shown.out, HasSubstr("agent:mine-6  progress"));
  EXPECT_THAT(shown.out, HasSubstr("agent:mine-6  resolved"));
  EXPECT_THAT(shown.out, HasSubstr("operator:test  closed_out"));
  EXPECT_THAT(shown.out, HasSubstr("(陈矿长)"));

  // Daily reports and the summaries.
  const std::string today = "2027-05-21";
  ASSERT_EQ(FormatDay(TimeZone::Shanghai().DayOf(cluster.clock().Now())), today);
  ASSERT_EQ(cluster
                .Agent("mine-3",
                       {"report", "daily", "--day", today, "--text", "稳定", "--new-warnings", "1"})
                .exit_code,
            0);
  ASSERT_EQ(cluster.Agent("mine-6", {"report", "daily", "--day", today, "--zero"}).exit_code, 0);
  const auto daily = cluster.Operator({"report", "daily", "--day", today});
  ASSERT_EQ(daily.exit_code, 0) << daily.err;
  EXPECT_THAT(daily.out, HasSubstr("mine-3       filed"));
  EXPECT_THAT(daily.out, HasSubstr("mine-6       zero_report"));
  EXPECT_THAT(daily.out, HasSubstr("not reported: mine-9"));
  const auto monthly = cluster.Operator({"report", "monthly"});
  ASSERT_EQ(monthly.exit_code, 0) << monthly.err;
  EXPECT_THAT(monthly.out, HasSubstr("closed out 1"));
  EXPECT_THAT(monthly.out, HasSubstr("work-injury-aid"));

  const std::string csv_path = cluster.dir() + "/ledger.csv";
  const auto csv = cluster.Operator({"ledger", "export", "--format", "csv", "--out", csv_path});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  std::ifstream in(csv_path);
  const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content.rfind("\xEF\xBB\xBF", 0), 0u) << "UTF-8 BOM for Excel";
  EXPECT_THAT(content, HasSubstr(item));
  EXPECT_THAT(content, HasSubstr(warning_item));
  EXPECT_THAT(content, HasSubstr("包案领导"));
  const auto html =
      cluster.Operator({"report", "daily", "--day", today, "--format", "html", "--lang", "en"});
  EXPECT_THAT(html.out, HasSubstr("<html"));

  // A restart repeats no reminder and loses nothing.
  cluster.KillDispatcher();
  cluster.StartDispatcher();
  ASSERT_TRUE(WaitFor(
      [&] {
        return cluster.Operator({"ledger", "show", item}).out.find("closed_out") !=
               std::string::npos;
      },
      seconds(20)));
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM outbound WHERE unit_id = 'mine-9' AND "
                              "instr(envelope, CAST('排查报告催报' AS BLOB)) > 0"),
            1);
}

// The dispatcher holds only what is open or recent of the ledger: an item
// closed out days before a restart is not loaded, and is still shown,
// listed, exported, counted in the statistics and the monthly summary, and
// reopened (反弹) from the store; its log stays whole, in sequence, across a
// second restart. The simulated clock runs half a day per real second, so
// the close-out is days old after about eight real seconds (and the
// commands themselves take simulated hours: the day they fall on is read
// from the store).
TEST(LedgerIntegrationTest, AnItemClosedOutBeforeARestartIsReadFromTheStore) {
  ClusterOptions options;
  options.simulated_start = At("2027-05-03T09:00:00+08:00");
  options.clock_rate = 43200;
  // No agents: the link's timing only has to be valid.
  options.offline_after = std::chrono::hours(1);
  options.heartbeat_interval = std::chrono::minutes(10);
  Cluster cluster("ledger-history", options);
  cluster.StartDispatcher();
  auto register_item = [&](const char* description) {
    auto registered = cluster.Operator(
        {"ledger", "register", "--unit", "mine-6", "--category", "work-injury-aid", "--description",
         description, "--persons", "8", "--level", "medium", "--leader", "陈矿长:+8613800000061",
         "--person", "刘科长", "--deadline", "2027-06-30"});
    EXPECT_EQ(registered.exit_code, 0) << registered.err;
    return ExtractItemId(registered.out);
  };
  const std::string closed = register_item("工伤职工就业补助金发放争议");
  const std::string open = register_item("退休职工取暖费争议");
  ASSERT_FALSE(closed.empty());
  ASSERT_FALSE(open.empty());
  ASSERT_EQ(cluster
                .Operator({"ledger", "update", "--item", closed, "--resolution",
                           "补助金已全部发放到位", "--by", "刘科长"})
                .exit_code,
            0);
  auto closed_out = cluster.Operator({"ledger", "close-out", "--item", closed, "--resolution",
                                      "补助金已全部发放到位，职工签字确认", "--leader", "陈矿长"});
  ASSERT_EQ(closed_out.exit_code, 0) << closed_out.err;
  // The item's history rows but the system's 督办 (supervised) entries:
  // simulated days pass quickly, and once the item is reopened a missing
  // progress report may be supervised before the count below is taken.
  const std::string history_rows =
      StrCat("SELECT COUNT(*) FROM ledger_item_history WHERE item_id = '", closed,
             "' AND action <> 'supervised'");
  const int64_t rows_before = Cluster::QueryInt(cluster.DispatcherDatabase(), history_rows);

  // The day of the first registration (commands take simulated hours).
  const TimeZone zone = TimeZone::Shanghai();
  const CivilDay first_day = zone.DayOf(FromUnixMicros(Cluster::QueryInt(
      cluster.DispatcherDatabase(),
      StrCat("SELECT registered_at_us FROM ledger_items WHERE id = '", closed, "'"))));
  const int64_t registered_that_day =
      Cluster::QueryInt(cluster.DispatcherDatabase(),
                        StrCat("SELECT COUNT(*) FROM ledger_items WHERE registered_at_us >= ",
                               ToUnixMicros(zone.StartOf(first_day)), " AND registered_at_us < ",
                               ToUnixMicros(zone.StartOf(first_day + 1))));
  // Days later the close-out is older than what a start loads.
  ASSERT_TRUE(WaitFor([&] { return cluster.clock().Now() >= At("2027-05-08T00:00:00+08:00"); },
                      seconds(60)));
  cluster.KillDispatcher();
  cluster.StartDispatcher();

  const auto shown = cluster.Operator({"ledger", "show", closed});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("closed_out"));
  EXPECT_THAT(shown.out, HasSubstr("operator:test  closed_out"));
  EXPECT_THAT(shown.out, HasSubstr("(陈矿长)"));
  EXPECT_EQ(cluster.Operator({"ledger", "show", "TZ-2027-9999"}).exit_code, 1);

  const auto all = cluster.Operator({"ledger", "list"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_THAT(all.out, HasSubstr(closed));
  EXPECT_THAT(all.out, HasSubstr(open));
  const auto open_only = cluster.Operator({"ledger", "list", "--open"});
  ASSERT_EQ(open_only.exit_code, 0) << open_only.err;
  EXPECT_THAT(open_only.out, Not(HasSubstr(closed)));
  EXPECT_THAT(open_only.out, HasSubstr(open));

  const std::string csv_path = cluster.dir() + "/ledger.csv";
  ASSERT_EQ(cluster.Operator({"ledger", "export", "--format", "csv", "--out", csv_path}).exit_code,
            0);
  std::ifstream in(csv_path);
  const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(content, HasSubstr(closed));
  EXPECT_THAT(content, HasSubstr("补助金已全部发放到位，职工签字确认"));

  const auto stats = cluster.Operator({"stats", "ledger", "--format", "csv"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_THAT(stats.out, ::testing::ContainsRegex("\\(mine-6\\),2,1,1,1,"));
  const auto since = cluster.Operator(
      {"stats", "ledger", "--from", "2027-05-03", "--to", "2027-05-05", "--format", "csv"});
  ASSERT_EQ(since.exit_code, 0) << since.err;
  EXPECT_THAT(since.out, ::testing::ContainsRegex("\\(mine-6\\),2,1,1,1,"));
  const auto monthly = cluster.Operator({"report", "monthly", "--month", "2027-05"});
  ASSERT_EQ(monthly.exit_code, 0) << monthly.err;
  EXPECT_THAT(monthly.out, HasSubstr("closed out 1"));
  const auto daily = cluster.Operator({"report", "daily", "--day", FormatDay(first_day)});
  ASSERT_EQ(daily.exit_code, 0) << daily.err;
  EXPECT_THAT(daily.out, HasSubstr(StrCat("new ", registered_that_day, " ")));
  EXPECT_THAT(daily.out,
              ::testing::ContainsRegex(StrCat("mine-6 .*new ", registered_that_day, " ")));

  // A rebound: the old item is read by key and reopened.
  auto reopened =
      cluster.Operator({"ledger", "reopen", "--item", closed, "--reason", "职工再次集体上访"});
  ASSERT_EQ(reopened.exit_code, 0) << reopened.err;
  EXPECT_THAT(reopened.out, HasSubstr("reopened"));
  cluster.KillDispatcher();
  cluster.StartDispatcher();
  const auto after = cluster.Operator({"ledger", "show", closed});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_THAT(after.out, HasSubstr("operator:test  reopened"));
  EXPECT_THAT(after.out, HasSubstr("operator:test  closed_out"));
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(), history_rows), rows_before + 1);
  const auto open_again = cluster.Operator({"ledger", "list", "--open"});
  EXPECT_THAT(open_again.out, HasSubstr(closed));
}

}  // namespace
}  // namespace anding::testing

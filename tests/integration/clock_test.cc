// A mine office whose clock is two hours slow, with the real daemons on a
// shared simulated clock (a minute per second): the dispatcher measures the
// offset from heartbeats, shows it and raises one alert; a screening report
// filed at the mine before its due time while the link was down is on time;
// an incident the mine reports gets a deadline from the real time and is
// dispatched; a daily report filed after midnight (the mine's clock still
// says the day before) is filed under the right day.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "anding/common/strings.h"
#include "support/cluster.h"

namespace anding::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;

constexpr const char* kYaml = R"(
ledger:
  screening: {units: [mine-3], track_from: "2026-11-01", grace: {ten_day: 2d}}
dispatch:
  auto_confirm: true
  mobilisation: 15m
  team_sizing: {leaders: 1, petitioners_per_staff: 15, min_staff: 1, max_staff: 6,
                vehicles_need_drivers: true}
  travel:
    speed_kmh: 60
    within_region: 30m
  teams:
    - id: team-mine3
      name: 三矿处置队
      home_unit: mine-3
      members:
        - {id: m3-l1, name: 施红, role: leader, phone: "+8613903923001"}
        - {id: m3-s1, name: 张华, role: staff, phone: "+8613903923011"}
        - {id: m3-s2, name: 孔明, role: staff, phone: "+8613903923012"}
        - {id: m3-d1, name: 严冬, role: driver, phone: "+8613903923021"}
  vehicles:
    - {id: veh-m3-1, name: 别克GL8, plate: 豫F·B0301, home_unit: mine-3, seats: 7}
)";

int64_t Query(Cluster& cluster, const std::string& sql) {
  return Cluster::QueryInt(cluster.DispatcherDatabase(), sql);
}

std::string AgentLine(Cluster& cluster, const std::string& unit) {
  const auto listed = cluster.Operator({"agents", "list"});
  for (size_t start = 0; start < listed.out.size();) {
    const size_t end = listed.out.find('\n', start);
    const std::string line = listed.out.substr(start, end - start);
    if (line.rfind(unit, 0) == 0) return line;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return "";
}

TEST(ClockIntegrationTest, AMineWhoseClockIsTwoHoursSlow) {
  ClusterOptions options;
  options.agent_units = {"mine-3", "zz-office"};
  options.extra_dispatcher_yaml = kYaml;
  // HQ: 23:15 on 2 December; the screening of 21–30 November is due at
  // midnight (period end plus two days' grace).
  options.simulated_start = *ParseRfc3339("2026-12-02T23:15:00+08:00");
  options.clock_rate = 60;
  options.agent_clock_behind = {{"mine-3", hours(2)}};
  Cluster cluster("clock", options);
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");
  cluster.StartAgent("zz-office");
  const TimeZone zone = TimeZone::Shanghai();
  const Time due = *ParseRfc3339("2026-12-03T00:00:00+08:00");

  // The offset is measured and shown; one alert, for mine-3 only.
  std::string line;
  ASSERT_TRUE(WaitFor(
      [&] {
        line = AgentLine(cluster, "mine-3");
        return line.find("CLOCK WRONG") != std::string::npos;
      },
      seconds(30)))
      << line;
  EXPECT_THAT(line, ContainsRegex("clock 7(19[5-9]|20[0-4])(\\.[0-9]+)?s slow")) << line;
  ASSERT_TRUE(WaitFor(
      [&] {
        return AgentLine(cluster, "zz-office").find("clock ") != std::string::npos &&
               AgentLine(cluster, "zz-office").find("unknown") == std::string::npos;
      },
      seconds(30)));
  EXPECT_THAT(AgentLine(cluster, "zz-office"), ::testing::Not(HasSubstr("CLOCK WRONG")));
  EXPECT_EQ(Query(cluster, "SELECT COUNT(*) FROM alerts WHERE kind = 'clock_offset'"), 1);
  EXPECT_EQ(Query(cluster,
                  "SELECT COUNT(*) FROM alerts WHERE kind = 'clock_offset' AND "
                  "unit_id = 'mine-3'"),
            1);
  const auto json = cluster.Operator({"agents", "list", "--json"});
  EXPECT_THAT(json.out, HasSubstr("\"clock_wrong\":true")) << json.out;

  // The link goes down (the key is withdrawn), and the mine files its
  // screening report before midnight: its clock says about 21:30.
  ASSERT_LT(cluster.clock().Now(), due - minutes(5));
  ASSERT_EQ(cluster.Operator({"agents", "revoke", "--unit", "mine-3"}).exit_code, 0);
  ASSERT_TRUE(WaitFor(
      [&] { return AgentLine(cluster, "mine-3").find("not enrolled") != std::string::npos; },
      seconds(10)));
  const auto filed = cluster.Agent(
      "mine-3", {"report", "screening", "--period", "2026-11/3", "--zero", "--no-wait"});
  ASSERT_EQ(filed.exit_code, 0) << filed.err << filed.out;
  const Time filed_at_hq = cluster.clock().Now();
  ASSERT_LT(filed_at_hq, due);
  // The link comes back after the due time.
  ASSERT_TRUE(WaitFor([&] { return cluster.clock().Now() > due + minutes(1); }, seconds(120)));
  ASSERT_EQ(cluster
                .Operator({"agents", "enrol", "--unit", "mine-3", "--key",
                           cluster.AgentPublicKey("mine-3")})
                .exit_code,
            0);
  ASSERT_TRUE(WaitFor(
      [&] {
        return Query(cluster,
                     "SELECT COUNT(*) FROM ledger_screening_reports WHERE unit_id = 'mine-3'") == 1;
      },
      seconds(30)))
      << cluster.Agent("mine-3", {"outbox", "--all"}).out << cluster.dispatcher()->Stderr();
  // On time: judged by when it was filed at the mine, corrected for its clock.
  EXPECT_EQ(Query(cluster, "SELECT late FROM ledger_screening_reports WHERE unit_id = 'mine-3'"),
            0);
  const int64_t first_filed = Query(
      cluster, "SELECT first_filed_at_us FROM ledger_screening_reports WHERE unit_id = 'mine-3'");
  EXPECT_LT(FromUnixMicros(first_filed), due);
  EXPECT_GT(FromUnixMicros(first_filed), filed_at_hq - minutes(2));
  // The correction is recorded with the event and shown.
  const int64_t correction = Query(
      cluster, "SELECT clock_correction_us FROM events WHERE payload_kind = 'screening_report'");
  EXPECT_NEAR(static_cast<double>(correction), 7200e6, 5e6);
  const auto events = cluster.Operator({"events", "list", "--unit", "mine-3"});
  EXPECT_THAT(events.out, ContainsRegex("agent clock corrected by \\+7(19[5-9]|20[0-4])"))
      << events.out;

  // An incident reported at the mine: its deadline runs from the real time,
  // and a team is dispatched (the 1-hour home-city deadline is not past).
  const Time before = cluster.clock().Now();
  const auto reported = cluster.Agent(
      "mine-3", {"report", "incident", "--type", "group-petition", "--region", "hebi", "--address",
                 "矿区办公楼", "--persons", "20", "--summary", "退休职工20人聚集"});
  ASSERT_EQ(reported.exit_code, 0) << reported.err << reported.out;
  const auto at = reported.out.find("INC-");
  ASSERT_NE(at, std::string::npos) << reported.out;
  const std::string id = reported.out.substr(at, 16);
  ASSERT_TRUE(WaitFor(
      [&] {
        return Cluster::QueryInt(cluster.AgentDatabase("mine-3"),
                                 "SELECT COUNT(*) FROM orders WHERE instr(envelope, "
                                 "CAST('出警指令' AS BLOB)) > 0") == 1;
      },
      seconds(30)));
  const auto shown = cluster.Operator({"incident", "show", id});
  EXPECT_THAT(shown.out, HasSubstr("dispatched")) << shown.out;
  EXPECT_EQ(Query(cluster, StrCat("SELECT COUNT(*) FROM alerts WHERE kind = 'deadline_breach' "
                                  "AND reference_id = '",
                                  id, "'")),
            0);
  // Arrive by an hour after the real report time (not an hour after the
  // mine's clock, which was already past).
  const auto orders = cluster.Agent("mine-3", {"orders"});
  EXPECT_THAT(orders.out, HasSubstr(zone.FormatLocal(before + hours(1), "arrive by %Y-%m-%d %H:")))
      << orders.out;

  // After midnight the mine's clock still says 2 December; its daily report
  // (no --day) is filed under 3 December, on time.
  const auto daily = cluster.Agent("mine-3", {"report", "daily", "--zero"});
  ASSERT_EQ(daily.exit_code, 0) << daily.err << daily.out;
  ASSERT_TRUE(WaitFor(
      [&] {
        return Query(cluster,
                     "SELECT COUNT(*) FROM ledger_daily_reports WHERE unit_id = "
                     "'mine-3'") == 1;
      },
      seconds(30)));
  EXPECT_EQ(Query(cluster,
                  "SELECT COUNT(*) FROM ledger_daily_reports WHERE unit_id = 'mine-3' "
                  "AND day = '2026-12-03'"),
            1);
  const int64_t daily_filed =
      Query(cluster, "SELECT filed_at_us FROM ledger_daily_reports WHERE unit_id = 'mine-3'");
  EXPECT_GE(FromUnixMicros(daily_filed), due);
  EXPECT_LT(FromUnixMicros(daily_filed), zone.StartOf(CivilDay(2026, 12, 4)));

  // A restarted dispatcher knows the offset at once (kept with the agent's
  // row) and raises no second alert for the same episode.
  cluster.KillDispatcher();
  cluster.StartDispatcher();
  EXPECT_THAT(AgentLine(cluster, "mine-3"), HasSubstr("CLOCK WRONG"));
  EXPECT_EQ(Query(cluster, "SELECT COUNT(*) FROM alerts WHERE kind = 'clock_offset'"), 1);
}

}  // namespace
}  // namespace anding::testing

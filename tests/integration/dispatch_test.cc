// Incident response and reserve funds with real processes: deadlines from
// the places, a proposal confirmed at once, the dispatch order at the
// unit's agent, arrival and response time; and for a Beijing incident, the
// dispatch hold on the unit's reserve, two expense reports posted against
// it, the remainder released on settlement, and the cost estimated vs
// actual.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "anding/common/strings.h"
#include "support/cluster.h"

namespace anding::testing {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;

constexpr const char* kDispatchAndFunds = R"(
dispatch:
  auto_confirm: true
  mobilisation: 15m
  team_sizing: {leaders: 1, petitioners_per_staff: 15, min_staff: 1, max_staff: 6,
                vehicles_need_drivers: true}
  travel:
    speed_kmh: 60
    within_region: 30m
    matrix:
      hebi: {zhengzhou: {time: 1h35m, km: 175}, beijing: {time: 4h, km: 560}}
  teams:
    - id: team-mine3
      name: 三矿处置队
      home_unit: mine-3
      members:
        - {id: m3-l1, name: 施红, role: leader, phone: "+8613903923001"}
        - {id: m3-s1, name: 张华, role: staff, phone: "+8613903923011"}
        - {id: m3-s2, name: 孔明, role: staff, phone: "+8613903923012"}
        - {id: m3-s3, name: 曹雨, role: staff, phone: "+8613903923013"}
        - {id: m3-d1, name: 严冬, role: driver, phone: "+8613903923021"}
    - id: team-mine6
      name: 六矿处置队
      home_unit: mine-6
      members:
        - {id: m6-l1, name: 华山, role: leader, phone: "+8613903926001"}
        - {id: m6-s1, name: 金石, role: staff, phone: "+8613903926011"}
        - {id: m6-s2, name: 魏然, role: staff, phone: "+8613903926012"}
        - {id: m6-d1, name: 陶然, role: driver, phone: "+8613903926021"}
    - id: team-zz
      name: 郑州办事处处置组
      home_unit: zz-office
      mobilisation: 10m
      members:
        - {id: zz-l1, name: 邹亮, role: leader, phone: "+8613703711001"}
        - {id: zz-s1, name: 喻琳, role: staff, phone: "+8613703711011"}
        - {id: zz-s2, name: 柏松, role: staff, phone: "+8613703711012"}
        - {id: zz-s3, name: 林木, role: staff, phone: "+8613703711013"}
        - {id: zz-d1, name: 水清, role: driver, phone: "+8613703711021"}
  vehicles:
    - {id: veh-m3-1, name: 别克GL8, plate: 豫F·B0301, home_unit: mine-3, seats: 7}
    - {id: veh-m6-1, name: 依维柯, plate: 豫F·B0601, home_unit: mine-6, seats: 9}
    - {id: veh-zz-1, name: 别克GL8, plate: 豫A·Z0001, home_unit: zz-office, seats: 7}
funds:
  pool: {name: 公司应急备用金}
  reserves:
    - {unit: mine-3, quota_fen: 5000000}
    - {unit: mine-6, quota_fen: 5000000}
    - {unit: zz-office, quota_fen: 8000000}
  opening_balances:
    - {id: opening-pool, account: pool, amount_fen: 50000000, reason: 年度拨款}
    - {id: opening-mine-6, account: reserve/mine-6, amount_fen: 3000000, reason: 年度备用金}
  rates:
    destinations:
      home_city: {per_person_day_fen: 10000, days: 1}
      provincial_capital: {per_person_day_fen: 35000, days: 2}
      national_capital: {per_person_day_fen: 60000, days: 3}
      other: {per_person_day_fen: 30000, days: 2}
    per_vehicle_trip_fen: 20000
    per_vehicle_km_fen: 250
)";

std::string IncidentId(const std::string& text) {
  const auto at = text.find("INC-");
  return at == std::string::npos ? "" : text.substr(at, 16);
}

int64_t DispatchOrders(Cluster& cluster, const std::string& unit) {
  return Cluster::QueryInt(
      cluster.AgentDatabase(unit),
      "SELECT COUNT(*) FROM orders WHERE instr(envelope, CAST('出警指令' AS BLOB)) > 0");
}

TEST(DispatchIntegrationTest, ZhengzhouPetitionInvolvingAHebiMine) {
  ClusterOptions options;
  options.agent_units = {"mine-3", "zz-office"};
  options.extra_dispatcher_yaml = kDispatchAndFunds;
  Cluster cluster("dispatch", options);
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");
  cluster.StartAgent("zz-office");

  const Time before = cluster.clock().Now();
  auto reported = cluster.Agent(
      "zz-office", {"report", "incident", "--type", "group-petition", "--region", "zhengzhou",
                    "--address", "省政府信访局", "--persons", "40", "--representatives", "5",
                    "--involved", "mine-3", "--summary", "三矿退休职工40人到省信访局集体上访"});
  ASSERT_EQ(reported.exit_code, 0) << reported.err;
  const std::string id = IncidentId(reported.out);
  ASSERT_FALSE(id.empty()) << reported.out;

  // Proposed and confirmed at once: both units receive their dispatch order.
  ASSERT_TRUE(WaitFor([&] { return DispatchOrders(cluster, "mine-3") == 1; }, seconds(30)));
  ASSERT_TRUE(WaitFor([&] { return DispatchOrders(cluster, "zz-office") == 1; }, seconds(30)));
  const auto orders = cluster.Agent("mine-3", {"orders"});
  EXPECT_THAT(orders.out, HasSubstr("incident " + id + " at zhengzhou 省政府信访局"));
  EXPECT_THAT(orders.out, HasSubstr("team team-mine3"));
  EXPECT_THAT(orders.out, HasSubstr("leader: 施红"));
  // Times shown to people are in the configured zone, with the date.
  const std::string arrive_by =
      TimeZone::Shanghai().FormatLocal(before + std::chrono::hours(2), "arrive by %Y-%m-%d ");
  EXPECT_THAT(orders.out, HasSubstr(arrive_by)) << orders.out;
  EXPECT_THAT(orders.out, ::testing::Not(::testing::ContainsRegex("[0-9]Z[ )]"))) << orders.out;

  auto shown = cluster.Operator({"incident", "show", id});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("dispatched"));
  // Deadlines from the places: the Zhengzhou office 1h, the Hebi mine 2h.
  EXPECT_THAT(shown.out, HasSubstr("unit mine-3       arrive by"));
  EXPECT_THAT(shown.out, HasSubstr("provincial-capital-province"));
  EXPECT_THAT(shown.out, HasSubstr("provincial-capital-local"));
  EXPECT_THAT(shown.out, HasSubstr("confirmed team team-mine3"));
  EXPECT_THAT(shown.out, HasSubstr("confirmed team team-zz"));

  // The Hebi mine departs and arrives; the response time is measured.
  ASSERT_EQ(cluster.Agent("mine-3", {"report", "status", "--incident", id, "--step", "departed"})
                .exit_code,
            0);
  auto arrived = cluster.Agent("mine-3", {"report", "status", "--incident", id, "--step", "arrived",
                                          "--by", "施红 三矿处置队"});
  ASSERT_EQ(arrived.exit_code, 0) << arrived.err;
  const Time after = cluster.clock().Now();

  const auto json = cluster.Operator({"incident", "show", id, "--json"});
  EXPECT_THAT(json.out, HasSubstr("\"state\":\"INCIDENT_STATE_ON_SCENE\""));
  EXPECT_THAT(json.out, HasSubstr("\"punctuality\":\"on_time\""));
  shown = cluster.Operator({"incident", "show", id});
  EXPECT_THAT(shown.out, HasSubstr("(on_time)"));
  for (const char* event : {"reported", "proposed", "confirmed", "departed", "arrived"}) {
    EXPECT_THAT(shown.out, HasSubstr(StrCat("  ", event, " "))) << event;
  }
  // Response time: seconds, not minutes or hours (both steps were real-time).
  // (JSON omits a zero int64, and writes others as strings.)
  const auto at = json.out.find("\"response_time_seconds\":\"");
  const int64_t response = at == std::string::npos ? 0 : std::stoll(json.out.substr(at + 25));
  EXPECT_GE(response, 0);
  EXPECT_LE(response, std::chrono::duration_cast<seconds>(after - before).count() + 1);

  // An illegal step is refused with a clear error and changes nothing.
  auto closed = cluster.Agent("mine-3", {"report", "status", "--incident", id, "--step", "closed"});
  EXPECT_EQ(closed.exit_code, 1);
  EXPECT_THAT(closed.out, HasSubstr("FAILED_PRECONDITION"));

  // A restart keeps everything. The restarted dispatcher holds the open
  // incident without its timeline: the view reads it from the store, and
  // a step after the restart follows it, in the view and in the store.
  cluster.KillDispatcher();
  cluster.StartDispatcher();
  EXPECT_THAT(cluster.Operator({"incident", "show", id, "--json"}).out,
              HasSubstr("\"punctuality\":\"on_time\""));
  // A timeline line: the event padded to 22 columns, then the actor.
  auto line = [](std::string_view event) {
    return StrCat("  ", event, std::string(23 - event.size(), ' '));
  };
  // Where the last of the events before the restart is, if all are there
  // in order.
  auto timeline_in = [&](const std::string& text) {
    size_t from = 0;
    for (const char* event : {"reported", "proposed", "confirmed", "departed", "arrived"}) {
      const size_t found = text.find(line(event), from);
      EXPECT_NE(found, std::string::npos) << event << " in order in\n" << text;
      if (found == std::string::npos) return std::string::npos;
      from = found;
    }
    return from;
  };
  EXPECT_NE(timeline_in(cluster.Operator({"incident", "show", id}).out), std::string::npos);
  const auto settled =
      cluster.Operator({"incident", "status", id, "--step", "settled", "--unit", "mine-3"});
  ASSERT_EQ(settled.exit_code, 0) << settled.err;
  EXPECT_NE(timeline_in(settled.out), std::string::npos) << "the command's answer has it all";
  shown = cluster.Operator({"incident", "show", id});
  const size_t arrived_at = timeline_in(shown.out);
  ASSERT_NE(arrived_at, std::string::npos);
  EXPECT_NE(shown.out.find(line("settled"), arrived_at), std::string::npos) << shown.out;
  cluster.KillDispatcher();
  cluster.StartDispatcher();
  shown = cluster.Operator({"incident", "show", id});
  const size_t reloaded_arrived_at = timeline_in(shown.out);
  ASSERT_NE(reloaded_arrived_at, std::string::npos);
  EXPECT_NE(shown.out.find(line("settled"), reloaded_arrived_at), std::string::npos) << shown.out;
}

// Alerts about one incident: (kind, raised at), oldest first.
std::vector<std::pair<std::string, Time>> IncidentAlerts(Cluster& cluster, const std::string& id) {
  std::vector<std::pair<std::string, Time>> alerts;
  for (const char* kind : {"deadline_warning", "deadline_breach"}) {
    for (int64_t n = 1;; ++n) {
      const int64_t at = Cluster::QueryInt(
          cluster.DispatcherDatabase(),
          StrCat("SELECT raised_at_us FROM alerts WHERE kind = '", kind, "' AND reference_id = '",
                 id, "' ORDER BY id LIMIT 1 OFFSET ", n - 1));
      if (at < 0) break;
      alerts.emplace_back(kind, FromUnixMicros(at));
    }
  }
  std::sort(alerts.begin(), alerts.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  return alerts;
}

// Nobody confirms arrival at a Hebi incident: HQ is warned 30 and 10
// minutes before the mine's one-hour deadline and alerted when it passes; a
// later arrival is late. An hour on a clock 3600 times as fast as real
// time is a real second.
TEST(DispatchIntegrationTest, AMissedDeadlineIsWarnedTwiceThenBreached) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  options.extra_dispatcher_yaml = kDispatchAndFunds;
  options.simulated_start = *ParseRfc3339("2027-06-15T09:00:00+08:00");
  options.clock_rate = 3600;
  Cluster cluster("deadline", options);
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");

  const Time before = cluster.clock().Now();
  auto reported =
      cluster.Agent("mine-3", {"report", "incident", "--type", "group-petition", "--region", "hebi",
                               "--address", "市信访局", "--persons", "20", "--involved", "mine-3",
                               "--summary", "三矿职工20人到市信访局上访"});
  ASSERT_EQ(reported.exit_code, 0) << reported.err;
  const Time after = cluster.clock().Now();
  const std::string id = IncidentId(reported.out);
  ASSERT_FALSE(id.empty()) << reported.out;

  ASSERT_TRUE(WaitFor([&] { return IncidentAlerts(cluster, id).size() == 3; }, seconds(30)))
      << cluster.Operator({"alerts", "list"}).out;
  const auto alerts = IncidentAlerts(cluster, id);
  // The deadline is an hour after the report; the scheduler fires within a
  // few simulated seconds of each instant (a real millisecond is 3.6 s).
  const auto within = [&](Time at, Duration offset) {
    return at >= before + offset && at <= after + offset + std::chrono::minutes(1);
  };
  EXPECT_EQ(alerts[0].first, "deadline_warning");
  EXPECT_TRUE(within(alerts[0].second, std::chrono::minutes(30))) << FormatUtc(alerts[0].second);
  EXPECT_EQ(alerts[1].first, "deadline_warning");
  EXPECT_TRUE(within(alerts[1].second, std::chrono::minutes(50))) << FormatUtc(alerts[1].second);
  EXPECT_EQ(alerts[2].first, "deadline_breach");
  EXPECT_TRUE(within(alerts[2].second, std::chrono::hours(1))) << FormatUtc(alerts[2].second);
  EXPECT_GT(alerts[2].second, before + std::chrono::hours(1));

  const auto shown = cluster.Operator({"incident", "show", id});
  EXPECT_THAT(shown.out, HasSubstr("DEADLINE BREACHED"));
  EXPECT_THAT(shown.out, HasSubstr("(30m warning)"));
  EXPECT_THAT(shown.out, HasSubstr("(10m warning)"));
  auto arrived =
      cluster.Agent("mine-3", {"report", "status", "--incident", id, "--step", "arrived"});
  ASSERT_EQ(arrived.exit_code, 0) << arrived.err;
  EXPECT_THAT(cluster.Operator({"incident", "show", id, "--json"}).out,
              HasSubstr("\"punctuality\":\"late\""));
}

ClusterOptions WithFunds() {
  ClusterOptions options;
  options.agent_units = {"mine-6"};
  options.extra_dispatcher_yaml = kDispatchAndFunds;
  return options;
}

// HQ reports twelve of 六矿's workers at the national petition office; the
// incident's id, or "" (with a test failure) if it was not registered.
std::string ReportBeijingPetition(Cluster& cluster) {
  auto reported = cluster.Operator({"incident", "report", "--type", "group-petition", "--region",
                                    "beijing", "--address", "国家信访局", "--persons", "12",
                                    "--involved", "mine-6", "--summary", "六矿职工赴京上访"});
  EXPECT_EQ(reported.exit_code, 0) << reported.err;
  EXPECT_THAT(reported.out, HasSubstr("national-capital"));
  return IncidentId(reported.out);
}

std::string ThisMonth(const Cluster& cluster) {
  return FormatDay(TimeZone::Shanghai().DayOf(cluster.clock().Now())).substr(0, 7);
}

TEST(DispatchIntegrationTest, BeijingDispatchHoldsFundsAndExpensesPostAgainstIt) {
  Cluster cluster("funds", WithFunds());
  cluster.StartDispatcher();
  cluster.StartAgent("mine-6");
  const std::string id = ReportBeijingPetition(cluster);
  ASSERT_FALSE(id.empty());

  // The confirmed dispatch holds the estimated cost on the unit's reserve:
  // 3 people (a leader, one staff per 15 petitioners, a driver) x 600.00 x
  // 3 days + one car (200.00 + 2.50 x 2 x 560 km) = 5,400.00 + 3,000.00 =
  // 8,400.00 yuan.
  auto holds = cluster.Operator({"funds", "holds", "--incident", id});
  ASSERT_EQ(holds.exit_code, 0) << holds.err;
  EXPECT_THAT(holds.out, HasSubstr("on reserve/mine-6: ¥8,400.00 pending"));

  // Two expense reports from the unit's agent post against the hold.
  auto first =
      cluster.Agent("mine-6", {"report", "expense", "--incident", id, "--amount-yuan", "3150.00",
                               "--code", "transport", "--reason", "高铁票 4 张"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto second = cluster.Agent("mine-6", {"report", "expense", "--incident", id, "--amount-yuan",
                                         "1680.50", "--code", "lodging", "--reason", "住宿 2 晚"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  holds = cluster.Operator({"funds", "holds", "--incident", id});
  EXPECT_THAT(holds.out, HasSubstr("pending (posted ¥4,830.50, remaining ¥3,569.50)"));

  // Arrival and settlement (劝离): the remainder returns to the reserve.
  ASSERT_EQ(cluster.Agent("mine-6", {"report", "status", "--incident", id, "--step", "arrived"})
                .exit_code,
            0);
  auto settled =
      cluster.Operator({"incident", "status", id, "--step", "settled", "--note", "已劝返"});
  ASSERT_EQ(settled.exit_code, 0) << settled.err;
  holds = cluster.Operator({"funds", "holds", "--incident", id});
  EXPECT_THAT(holds.out, HasSubstr("voided (posted ¥4,830.50, remaining ¥0.00)"));

  const auto cost = cluster.Operator({"funds", "incident", id});
  ASSERT_EQ(cost.exit_code, 0) << cost.err;
  EXPECT_THAT(cost.out, HasSubstr("estimated ¥8,400.00, actual ¥4,830.50 (variance -¥3,569.50)"));
  EXPECT_THAT(cost.out, HasSubstr("transport ¥3,150.00"));
  EXPECT_THAT(cost.out, HasSubstr("lodging ¥1,680.50"));
  const auto accounts = cluster.Operator({"funds", "accounts"});
  EXPECT_THAT(accounts.out, HasSubstr("reserve/mine-6"));
  // 30,000.00 opening - 4,830.50 spent.
  EXPECT_THAT(accounts.out, HasSubstr("¥25,169.50"));
  const auto reconcile = cluster.Operator({"funds", "reconcile", "--month", ThisMonth(cluster)});
  EXPECT_THAT(reconcile.out, HasSubstr("BALANCED"));

  // An overdraft is refused and changes nothing.
  auto overdraft = cluster.Agent("mine-6", {"report", "expense", "--incident", id, "--amount-yuan",
                                            "99999", "--code", "other"});
  EXPECT_EQ(overdraft.exit_code, 1);
  EXPECT_THAT(overdraft.out, HasSubstr("REJECTED"));
  EXPECT_THAT(cluster.Operator({"funds", "accounts"}).out, HasSubstr("¥25,169.50"));
}

TEST(DispatchIntegrationTest, AReassignedDispatchReleasesItsHold) {
  Cluster cluster("funds-reassign", WithFunds());
  cluster.StartDispatcher();
  const std::string id = ReportBeijingPetition(cluster);
  ASSERT_FALSE(id.empty());
  const std::string first = "hold dispatch/" + id + "/mine-6/1 ";
  ASSERT_THAT(cluster.Operator({"funds", "holds", "--incident", id}).out,
              HasSubstr(first + "on reserve/mine-6: ¥8,400.00 pending"));

  // HQ sends another team: the first one stands down and its hold is
  // released before the new dispatch holds its own estimate.
  auto reassigned = cluster.Operator({"incident", "reassign", id, "--unit", "mine-6", "--exclude",
                                      "team-mine6", "--note", "六矿队伍另有任务"});
  ASSERT_EQ(reassigned.exit_code, 0) << reassigned.err;
  const auto holds = cluster.Operator({"funds", "holds", "--incident", id}).out;
  EXPECT_THAT(holds, HasSubstr(first + "on reserve/mine-6: ¥8,400.00 voided (posted ¥0.00, "
                                       "remaining ¥0.00)"));
  EXPECT_THAT(holds, HasSubstr("dispatch cancelled"));
  EXPECT_THAT(holds, HasSubstr("hold dispatch/" + id + "/mine-6/2 on reserve/mine-6"));
  EXPECT_THAT(holds, ::testing::ContainsRegex("/mine-6/2 on reserve/mine-6: ¥[0-9,.]+ pending"));
  const auto reconcile = cluster.Operator({"funds", "reconcile", "--month", ThisMonth(cluster)});
  EXPECT_THAT(reconcile.out, HasSubstr("BALANCED"));
}

int64_t StandDownOrders(Cluster& cluster, const std::string& unit) {
  return Cluster::QueryInt(
      cluster.AgentDatabase(unit),
      "SELECT COUNT(*) FROM orders WHERE instr(envelope, CAST('取消出警' AS BLOB)) > 0");
}

// A report made in error: HQ cancels it. The unit's agent gets the
// withdrawal of its dispatch order, the hold returns to the reserve, the
// incident stays in the record as cancelled (also after a restart).
TEST(DispatchIntegrationTest, ACancelledIncidentReleasesItsHoldAndWithdrawsItsOrders) {
  Cluster cluster("cancel", WithFunds());
  cluster.StartDispatcher();
  cluster.StartAgent("mine-6");
  const std::string id = ReportBeijingPetition(cluster);
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(WaitFor([&] { return DispatchOrders(cluster, "mine-6") == 1; }, seconds(30)));
  ASSERT_THAT(cluster.Operator({"funds", "holds", "--incident", id}).out,
              HasSubstr("on reserve/mine-6: ¥8,400.00 pending"));

  // A reason is required (invalid input: exit code 2).
  auto no_reason = cluster.Operator({"incident", "cancel", id, "--reason", " "});
  EXPECT_EQ(no_reason.exit_code, 2);
  EXPECT_THAT(no_reason.out + no_reason.err, HasSubstr("reason"));

  auto cancelled =
      cluster.Operator({"incident", "cancel", id, "--reason", "误报：实为正常来访，未赴京"});
  ASSERT_EQ(cancelled.exit_code, 0) << cancelled.err << cancelled.out;
  EXPECT_THAT(cancelled.out, HasSubstr("cancelled"));
  EXPECT_THAT(cancelled.out, HasSubstr("withdrawn team team-mine6"));

  const auto holds = cluster.Operator({"funds", "holds", "--incident", id}).out;
  EXPECT_THAT(holds, HasSubstr("on reserve/mine-6: ¥8,400.00 voided (posted ¥0.00, "
                               "remaining ¥0.00)"));
  EXPECT_THAT(holds, ::testing::Not(HasSubstr("pending")));
  EXPECT_THAT(cluster.Operator({"funds", "accounts"}).out, HasSubstr("¥30,000.00"));
  ASSERT_TRUE(WaitFor([&] { return StandDownOrders(cluster, "mine-6") == 1; }, seconds(30)));
  EXPECT_THAT(cluster.Agent("mine-6", {"orders"}).out, HasSubstr("误报"));

  // Kept in the record, not open, final.
  EXPECT_THAT(cluster.Operator({"incident", "list", "--state", "cancelled"}).out, HasSubstr(id));
  EXPECT_THAT(cluster.Operator({"incident", "list", "--open"}).out, ::testing::Not(HasSubstr(id)));
  auto step = cluster.Agent("mine-6", {"report", "status", "--incident", id, "--step", "arrived"});
  EXPECT_EQ(step.exit_code, 1);
  cluster.KillDispatcher();
  cluster.StartDispatcher();
  EXPECT_THAT(cluster.Operator({"incident", "show", id, "--json"}).out,
              HasSubstr("\"state\":\"INCIDENT_STATE_CANCELLED\""));
  const auto reconcile = cluster.Operator({"funds", "reconcile", "--month", ThisMonth(cluster)});
  EXPECT_THAT(reconcile.out, HasSubstr("BALANCED"));
}

// A Beijing petition from report to closed: dispatched with a hold,
// expenses paid, settled; the follow-up 台账 item is registered for 六矿's
// leader, the incident cannot close until its review is complete, the
// review shows the estimated against the actual cost from the fund book,
// a new incident of 六矿 in the watch is a rebound, and then it closes.
TEST(DispatchIntegrationTest, ABeijingPetitionClosesOnlyWithItsReview) {
  Cluster cluster("review", WithFunds());
  cluster.StartDispatcher();
  cluster.StartAgent("mine-6");
  const std::string id = ReportBeijingPetition(cluster);
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(cluster
                .Agent("mine-6", {"report", "expense", "--incident", id, "--amount-yuan", "3150.00",
                                  "--code", "transport", "--reason", "高铁票 4 张"})
                .exit_code,
            0);
  ASSERT_EQ(cluster
                .Agent("mine-6", {"report", "expense", "--incident", id, "--amount-yuan", "1680.50",
                                  "--code", "lodging", "--reason", "住宿 2 晚"})
                .exit_code,
            0);
  ASSERT_EQ(cluster.Agent("mine-6", {"report", "status", "--incident", id, "--step", "arrived"})
                .exit_code,
            0);
  auto settled = cluster.Operator({"incident", "status", id, "--step", "settled"});
  ASSERT_EQ(settled.exit_code, 0) << settled.err;

  // Settled: the review is open and the follow-up item is on the ledger,
  // owned by the unit's responsible leader and linked to the incident.
  auto review = cluster.Operator({"incident", "review", "show", id, "--json"});
  ASSERT_EQ(review.exit_code, 0) << review.err;
  const auto at = review.out.find("\"ledger_item_id\":\"");
  ASSERT_NE(at, std::string::npos) << review.out;
  const std::string item = review.out.substr(at + 18, review.out.find('"', at + 18) - at - 18);
  const auto ledger = cluster.Operator({"ledger", "show", item, "--json"});
  EXPECT_THAT(ledger.out, HasSubstr("陈矿长"));
  EXPECT_THAT(ledger.out, HasSubstr("\"source\":\"incident\""));
  EXPECT_THAT(ledger.out, HasSubstr(id));

  // Not closable yet: the gate names what is missing, and nothing changes.
  ASSERT_EQ(cluster.Operator({"incident", "status", id, "--step", "aftermath"}).exit_code, 0);
  auto refused = cluster.Operator({"incident", "status", id, "--step", "closed"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("lessons"));
  EXPECT_THAT(cluster.Operator({"incident", "show", id}).out, HasSubstr("aftermath"));

  // A new petition of 六矿 inside the watch is a rebound of this one.
  const std::string rebound = ReportBeijingPetition(cluster);
  ASSERT_FALSE(rebound.empty());
  ASSERT_EQ(cluster.Operator({"incident", "cancel", rebound, "--reason", "测试反弹"}).exit_code, 0);

  const std::string told = FormatUtc(cluster.clock().Now());
  auto filled = cluster.Operator({"incident",
                                  "review",
                                  id,
                                  "--investigation",
                                  "核实工资差额",
                                  "--solution",
                                  "按政策补发",
                                  "--department",
                                  "人力资源部",
                                  "--told-at",
                                  told,
                                  "--told-by",
                                  "信访办 王主任",
                                  "--root-cause",
                                  "policy",
                                  "--other-losses",
                                  "1200.00",
                                  "--other-losses-text",
                                  "停产半天",
                                  "--responsibility",
                                  "劳资科解释不到位"});
  ASSERT_EQ(filled.exit_code, 0) << filled.err;
  EXPECT_THAT(filled.out, HasSubstr("missing: lessons"));
  ASSERT_EQ(cluster.Operator({"incident", "review", id, "--lessons", "政策变动前先排查"}).exit_code,
            0);

  const auto text = cluster.Operator({"incident", "review", "show", id});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("突发事件善后复盘报告 " + id));
  EXPECT_THAT(text.out, HasSubstr("¥8,400.00"));  // estimated, from the dispatch hold
  EXPECT_THAT(text.out, HasSubstr("¥4,830.50"));  // actual: the two expenses
  EXPECT_THAT(text.out, HasSubstr("¥6,030.50"));  // actual + other losses
  EXPECT_THAT(text.out, HasSubstr("反弹事件"));
  EXPECT_THAT(text.out, HasSubstr(rebound));
  EXPECT_THAT(text.out, HasSubstr("完整，可以结案"));
  const auto html = cluster.Operator({"incident", "review", "show", id, "--format", "html"});
  EXPECT_THAT(html.out, HasSubstr("<h2>损失评估</h2>"));
  // Printed on the operator's machine, the same document as a PDF.
  const std::string pdf = cluster.dir() + "/review.pdf";
  const auto printed =
      cluster.Operator({"incident", "review", "show", id, "--format", "pdf", "--out", pdf});
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  const auto pdf_text = RunCommand("/usr/bin/pdftotext", {pdf, "-"});
  EXPECT_THAT(pdf_text.out, HasSubstr("损失评估"));
  EXPECT_THAT(pdf_text.out, HasSubstr("¥4,830.50"));
  EXPECT_THAT(cluster.Operator({"alerts", "list", "--all"}).out, HasSubstr("rebound"));

  auto closed = cluster.Operator({"incident", "status", id, "--step", "closed", "--note", "结案"});
  ASSERT_EQ(closed.exit_code, 0) << closed.err;
  EXPECT_THAT(closed.out, HasSubstr("closed"));

  // Response-time statistics: 六矿 arrived within its Beijing deadline;
  // the cancelled incident does not count.
  const auto stats = cluster.Operator({"stats", "responses"});
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_THAT(stats.out, ::testing::ContainsRegex("\\(mine-6\\) +1 +1 +1 +1 +100.00%"));
  EXPECT_THAT(stats.out, ::testing::ContainsRegex("合计 +1 +1 +1 +1 +100.00%"));

  // 台账 statistics: the follow-up item of 六矿 is open, not yet due (no
  // base for the on-time share), and its review found one rebound.
  const auto ledger_stats = cluster.Operator({"stats", "ledger", "--format", "csv"});
  ASSERT_EQ(ledger_stats.exit_code, 0) << ledger_stats.err;
  EXPECT_THAT(ledger_stats.out,
              ::testing::ContainsRegex("\\(mine-6\\),1,0,0,0,无基数,-,1,[01],0,1\r\n"));
  const auto by_category =
      cluster.Operator({"stats", "ledger", "--by", "category", "--lang", "en"});
  ASSERT_EQ(by_category.exit_code, 0) << by_category.err;
  EXPECT_THAT(by_category.out, HasSubstr("local days from registration to close-out"));
  // Reserve-fund use: both incidents are uncategorised; the cancelled one
  // was estimated and held but spent nothing; the expenses are the actual.
  const auto funds = cluster.Operator({"stats", "funds", "--format", "csv"});
  ASSERT_EQ(funds.exit_code, 0) << funds.err;
  EXPECT_THAT(funds.out, HasSubstr("未分类,2,2,\"16,800.00\",\"16,800.00\","
                                   "\"4,830.50\",100.00%"));
  EXPECT_THAT(funds.out, HasSubstr("其他 (other),0,0,0.00,0.00,0.00,0.00%"));
  const auto funds_json = cluster.Operator({"stats", "funds", "--format", "json"});
  EXPECT_THAT(funds_json.out, HasSubstr("\"actual_fen\": \"483050\""));
  const std::string funds_pdf = cluster.dir() + "/fund-use.pdf";
  ASSERT_EQ(cluster.Operator({"stats", "funds", "--format", "pdf", "--out", funds_pdf}).exit_code,
            0);
  EXPECT_THAT(RunCommand("/usr/bin/pdftotext", {funds_pdf, "-"}).out, HasSubstr("4,830.50"));
  // The yearly report: every statistic of this year in one document, the
  // same digits as the statistics above.
  const std::string year =
      FormatDay(TimeZone::Shanghai().DayOf(cluster.clock().Now())).substr(0, 4);
  const auto yearly = cluster.Operator({"stats", "yearly", "--year", year});
  ASSERT_EQ(yearly.exit_code, 0) << yearly.err;
  EXPECT_THAT(yearly.out, ::testing::StartsWith(StrCat(year, " 年度信访维稳统计报告\n")));
  for (const char* section :
       {"接处访统计（按合计）", "接处访统计（按去向）", "响应时间统计（按响应单位）",
        "台账统计（按单位）", "备用金使用统计（按事件类别）"}) {
    EXPECT_THAT(yearly.out, HasSubstr(section));
  }
  EXPECT_THAT(yearly.out, ::testing::ContainsRegex("\\(mine-6\\) +1 +1 +1 +1 +100.00%"));
  const auto yearly_csv =
      cluster.Operator({"stats", "yearly", "--year", year, "--format", "csv", "--lang", "en"});
  ASSERT_EQ(yearly_csv.exit_code, 0) << yearly_csv.err;
  EXPECT_THAT(yearly_csv.out, HasSubstr("uncategorised,2,2,\"16,800.00\",\"16,800.00\","
                                        "\"4,830.50\",100.00%"));
  const auto yearly_json =
      cluster.Operator({"stats", "yearly", "--year", year, "--format", "json"});
  ASSERT_EQ(yearly_json.exit_code, 0) << yearly_json.err;
  EXPECT_THAT(yearly_json.out, HasSubstr("\"actual_fen\": \"483050\""));
  const std::string yearly_pdf = cluster.dir() + "/yearly.pdf";
  ASSERT_EQ(
      cluster.Operator({"stats", "yearly", "--year", year, "--format", "pdf", "--out", yearly_pdf})
          .exit_code,
      0);
  const std::string yearly_text = RunCommand("/usr/bin/pdftotext", {yearly_pdf, "-"}).out;
  EXPECT_THAT(yearly_text, HasSubstr("年度信访维稳统计报告"));
  EXPECT_THAT(yearly_text, HasSubstr("4,830.50"));
  const auto no_year = cluster.Operator({"stats", "yearly", "--year", "1999"});
  EXPECT_EQ(no_year.exit_code, 2);
  EXPECT_THAT(no_year.err, HasSubstr("--year: must be a whole number from 2000 to 2100"));
  // Bad ranges and breakdowns are refused, naming the option.
  const auto reversed =
      cluster.Operator({"stats", "ledger", "--from", "2026-02-01", "--to", "2026-01-01"});
  EXPECT_NE(reversed.exit_code, 0);
  EXPECT_THAT(reversed.err, HasSubstr("--to 2026-01-01 is before --from 2026-02-01"));
  const auto unknown = cluster.Operator({"stats", "ledger", "--by", "person"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.err, HasSubstr("--by: must be one of unit|category"));
  const auto bad_day = cluster.Operator({"stats", "funds", "--from", "2026-02-30"});
  EXPECT_NE(bad_day.exit_code, 0);
  EXPECT_THAT(bad_day.err, HasSubstr("--from: expected a day YYYY-MM-DD"));

  // A restart keeps the review.
  cluster.KillDispatcher();
  cluster.StartDispatcher();
  EXPECT_THAT(cluster.Operator({"incident", "review", "show", id}).out,
              HasSubstr("完整，可以结案"));
}

// The dispatcher holds only the incidents that are open or recent: one
// closed days before a restart is not loaded, and is still shown, listed
// (not with --open), counted in the response statistics, and its review
// and cost still answer, all as before the restart; a command naming it
// sees it closed, and a new incident gets a new number. The simulated
// clock runs half a day per real second, so the close is days old after
// about eight real seconds.
TEST(DispatchIntegrationTest, AnIncidentClosedBeforeARestartIsReadFromTheStore) {
  ClusterOptions options = WithFunds();
  options.agent_units = {};
  options.simulated_start = *ParseRfc3339("2027-05-03T09:00:00+08:00");
  options.clock_rate = 43200;
  // No agents: the link's timing only has to be valid.
  options.offline_after = std::chrono::hours(1);
  options.heartbeat_interval = std::chrono::minutes(10);
  Cluster cluster("dispatch-history", options);
  cluster.StartDispatcher();
  const std::string id = ReportBeijingPetition(cluster);
  ASSERT_FALSE(id.empty());
  for (const char* step : {"arrived", "settled", "aftermath"}) {
    auto done = cluster.Operator({"incident", "status", id, "--step", step, "--unit", "mine-6"});
    ASSERT_EQ(done.exit_code, 0) << step << ": " << done.err;
  }
  auto filled = cluster.Operator({"incident",
                                  "review",
                                  id,
                                  "--investigation",
                                  "核实工资差额",
                                  "--solution",
                                  "按政策补发",
                                  "--department",
                                  "人力资源部",
                                  "--told-at",
                                  FormatUtc(cluster.clock().Now()),
                                  "--told-by",
                                  "信访办 王主任",
                                  "--root-cause",
                                  "policy",
                                  "--other-losses",
                                  "1200.00",
                                  "--other-losses-text",
                                  "停产半天",
                                  "--responsibility",
                                  "劳资科解释不到位",
                                  "--lessons",
                                  "政策变动前先排查"});
  ASSERT_EQ(filled.exit_code, 0) << filled.err;
  auto closed = cluster.Operator({"incident", "status", id, "--step", "closed", "--note", "结案"});
  ASSERT_EQ(closed.exit_code, 0) << closed.err;
  const std::string open = ReportBeijingPetition(cluster);
  ASSERT_FALSE(open.empty());
  // Money of that time: a top-up, partly reversed.
  const std::vector<std::string> top_up = {"funds",    "top-up",    "--id",     "tu-history",
                                           "--unit",   "mine-6",    "--amount", "500.00",
                                           "--reason", "补充备用金"};
  ASSERT_EQ(cluster.Operator(top_up).exit_code, 0);
  ASSERT_EQ(cluster
                .Operator({"funds", "reverse", "--id", "rv-history", "--transfer", "tu-history",
                           "--amount", "100.00", "--reason", "多拨"})
                .exit_code,
            0);

  // The open incident's six-hour deadline passes in half a second of this
  // clock: wait for its breach, so that what HQ sees changes no more.
  ASSERT_TRUE(WaitFor(
      [&] {
        return cluster.Operator({"incident", "show", open}).out.find("DEADLINE BREACHED") !=
               std::string::npos;
      },
      seconds(60)));

  // What HQ sees while the incident and the money are held.
  const std::string month = ThisMonth(cluster);
  const std::vector<std::vector<std::string>> commands = {
      {"incident", "show", id},
      {"stats", "responses"},
      {"stats", "responses", "--format", "csv"},
      {"incident", "review", "show", id},
      {"funds", "incident", id},
      {"funds", "holds", "--incident", id},
      {"funds", "statement", "--account", "reserve/mine-6", "--period", month},
      {"funds", "reconcile", "--month", month},
      {"stats", "funds", "--format", "csv"}};
  std::vector<std::string> before;
  for (const auto& command : commands) {
    const auto answered = cluster.Operator(command);
    ASSERT_EQ(answered.exit_code, 0) << command[0] << " " << command[1] << ": " << answered.err;
    before.push_back(answered.out);
  }
  EXPECT_THAT(before[0], HasSubstr("closed"));
  EXPECT_THAT(before[1], HasSubstr("(mine-6)"));

  // Days later the incident is older than what a start loads.
  ASSERT_TRUE(
      WaitFor([&] { return cluster.clock().Now() >= *ParseRfc3339("2027-05-08T00:00:00+08:00"); },
              seconds(60)));
  cluster.KillDispatcher();
  cluster.StartDispatcher();

  for (size_t i = 0; i < commands.size(); ++i) {
    const auto answered = cluster.Operator(commands[i]);
    ASSERT_EQ(answered.exit_code, 0)
        << commands[i][0] << " " << commands[i][1] << ": " << answered.err;
    EXPECT_EQ(answered.out, before[i]) << commands[i][0] << " " << commands[i][1];
  }
  EXPECT_THAT(cluster.Operator({"incident", "show", id, "--json"}).out,
              HasSubstr("\"state\":\"INCIDENT_STATE_CLOSED\""));
  EXPECT_EQ(cluster.Operator({"incident", "show", "INC-20270503-999"}).exit_code, 1);
  const auto all = cluster.Operator({"incident", "list"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_THAT(all.out, HasSubstr(id));
  EXPECT_THAT(all.out, HasSubstr(open));
  const auto closed_only = cluster.Operator({"incident", "list", "--state", "closed"});
  ASSERT_EQ(closed_only.exit_code, 0) << closed_only.err;
  EXPECT_THAT(closed_only.out, HasSubstr(id));
  EXPECT_THAT(closed_only.out, ::testing::Not(HasSubstr(open)));
  const auto open_only = cluster.Operator({"incident", "list", "--open"});
  ASSERT_EQ(open_only.exit_code, 0) << open_only.err;
  EXPECT_THAT(open_only.out, ::testing::Not(HasSubstr(id)));
  EXPECT_THAT(open_only.out, HasSubstr(open));

  // A command naming it sees it closed (not unknown), and changes nothing.
  const std::string stored =
      StrCat("SELECT updated_at_us FROM dispatch_incidents WHERE id = '", id, "'");
  const int64_t updated = Cluster::QueryInt(cluster.DispatcherDatabase(), stored);
  const auto cancel = cluster.Operator({"incident", "cancel", id, "--reason", "重复"});
  EXPECT_EQ(cancel.exit_code, 1);
  EXPECT_THAT(cancel.err, ::testing::Not(HasSubstr("no incident")));
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(), stored), updated);
  // Money made before the restart: a repeated top-up is the original, the
  // same id with other content is refused, and a reversal counts the
  // earlier one.
  const char* transfers = "SELECT COUNT(*) FROM funds_transfers";
  const int64_t made = Cluster::QueryInt(cluster.DispatcherDatabase(), transfers);
  EXPECT_EQ(cluster.Operator(top_up).exit_code, 0);
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(), transfers), made);
  auto other = top_up;
  other[7] = "501.00";
  const auto reused = cluster.Operator(other);
  EXPECT_EQ(reused.exit_code, 1);
  EXPECT_THAT(reused.err, HasSubstr("tu-history"));
  const auto too_much = cluster.Operator({"funds", "reverse", "--id", "rv-history-2", "--transfer",
                                          "tu-history", "--amount", "400.01", "--reason", "x"});
  EXPECT_EQ(too_much.exit_code, 1);
  EXPECT_THAT(too_much.err, HasSubstr("left to reverse"));
  EXPECT_EQ(cluster
                .Operator({"funds", "reverse", "--id", "rv-history-2", "--transfer", "tu-history",
                           "--amount", "400.00", "--reason", "全部退回"})
                .exit_code,
            0);
  // The open incident's next dispatch is numbered after its first one.
  auto reassigned = cluster.Operator({"incident", "reassign", open, "--unit", "mine-6", "--exclude",
                                      "team-mine6", "--note", "另派队伍"});
  ASSERT_EQ(reassigned.exit_code, 0) << reassigned.err;
  EXPECT_THAT(cluster.Operator({"funds", "holds", "--incident", open}).out,
              HasSubstr("hold dispatch/" + open + "/mine-6/2 on reserve/mine-6"));
  EXPECT_THAT(cluster.Operator({"funds", "reconcile", "--month", month}).out,
              HasSubstr("BALANCED"));

  // A new incident is numbered after every stored one.
  const std::string next = ReportBeijingPetition(cluster);
  ASSERT_FALSE(next.empty());
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(DISTINCT sequence) FROM dispatch_incidents"),
            3);
}

}  // namespace
}  // namespace anding::testing

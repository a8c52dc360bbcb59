// The visit register, petition matters and statistics with real processes:
// an agent reports two visits by the same group (the second is flagged as
// a repeat), an operator registers last year's visits and asks for the
// yearly statistics in CSV and JSON, a petition matter's acceptance limit
// warns HQ before it runs out, and a restart keeps everything and warns
// nothing twice.
//
// The daemons run on a simulated clock sixty times as fast as real time
// that starts two minutes before the matter's warning is due.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "anding/common/strings.h"
#include "support/cluster.h"

namespace anding::testing {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;

Time At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

// A short acceptance limit so that its warning falls inside the test: a
// matter received on 28 March must be decided by the end of 30 March and
// HQ is warned at the start of 30 March.
constexpr const char* kVisitsYaml = R"(
visits:
  repeat_window_days: 30
  time_limits:
    accept_decision_days: 2
    warn_before_days: 1
)";

int64_t AlertsOfKind(Cluster& cluster, const std::string& kind) {
  return Cluster::QueryInt(cluster.DispatcherDatabase(),
                           StrCat("SELECT COUNT(*) FROM alerts WHERE kind = '", kind, "'"));
}

TEST(VisitsIntegrationTest, RegisterRepeatsStatisticsAndMatterTimers) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  options.extra_dispatcher_yaml = kVisitsYaml;
  options.simulated_start = At("2027-03-29T23:58:00+08:00");
  options.clock_rate = 60;
  Cluster cluster("visits", options);
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");

  // Two visits by the same group from the unit's agent.
  for (int i = 0; i < 2; ++i) {
    auto reported = cluster.Agent(
        "mine-3", {"report", "visit", "--day", "2027-03-29", "--batches", "1", "--persons", "6",
                   "--category", "retiree-management", "--destination", "beijing",
                   "--representative", "王某", "--contact", "+8613800000001"});
    ASSERT_EQ(reported.exit_code, 0) << reported.err;
    EXPECT_THAT(reported.out, HasSubstr("stored by the dispatcher"));
  }
  auto repeats = cluster.Operator({"visits", "list", "--repeats"});
  ASSERT_EQ(repeats.exit_code, 0) << repeats.err;
  EXPECT_THAT(repeats.out, HasSubstr("V-000002"));
  EXPECT_THAT(repeats.out, HasSubstr("repeat of V-000001 (window)"));
  EXPECT_THAT(repeats.out, HasSubstr("\n1 visit\n"));

  // Last year's visits, by hand: 4 batches / 10 persons, against this
  // year's 2 / 12 → −50.00 % and +20.00 %.
  auto recorded = cluster.Operator({"visits", "register", "--unit", "mine-3", "--day", "2026-06-01",
                                    "--channel", "letter", "--batches", "4", "--persons", "10",
                                    "--category", "other"});
  ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  EXPECT_THAT(recorded.out, HasSubstr("V-000003"));
  auto csv = cluster.Operator({"stats", "visits", "--year", "2027", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_THAT(csv.out, HasSubstr("合计,2,12,4,10,-50.00%,20.00%,4,10,-50.00%,20.00%,1,2"));
  // Chinese words by default, English ones with --lang en; the same figures.
  auto by_level = cluster.Operator({"stats", "visits", "--year", "2027", "--by", "destination"});
  ASSERT_EQ(by_level.exit_code, 0) << by_level.err;
  EXPECT_THAT(by_level.out, HasSubstr("进京"));
  EXPECT_THAT(by_level.out, HasSubstr("无基数"));
  auto in_english = cluster.Operator(
      {"stats", "visits", "--year", "2027", "--by", "destination", "--lang", "en"});
  ASSERT_EQ(in_english.exit_code, 0) << in_english.err;
  EXPECT_THAT(in_english.out, HasSubstr("beijing"));
  EXPECT_THAT(in_english.out, HasSubstr("no base"));
  auto in_french = cluster.Operator({"stats", "visits", "--year", "2027", "--lang", "fr"});
  EXPECT_EQ(in_french.exit_code, 2);
  EXPECT_THAT(in_french.err, HasSubstr("--lang must be zh or en"));
  auto json = cluster.Operator({"stats", "visits", "--year", "2027", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"hundredths\": \"-5000\""));

  // Bad input is refused, naming the field, and changes nothing.
  auto bad = cluster.Operator({"visits", "register", "--unit", "mine-3", "--channel", "fax"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("channel"));
  auto future = cluster.Operator({"visits", "register", "--unit", "mine-3", "--day", "2027-04-02"});
  EXPECT_NE(future.exit_code, 0);
  EXPECT_THAT(future.err, HasSubstr("after today"));

  // A matter received on 28 March: decide by 30 March, warned at its start.
  auto matter = cluster.Operator({"matters", "register", "--unit", "mine-3", "--summary",
                                  "退休人员统筹外待遇", "--category", "retiree-management",
                                  "--visit", "V-000002", "--received", "2027-03-28"});
  ASSERT_EQ(matter.exit_code, 0) << matter.err;
  EXPECT_THAT(matter.out, HasSubstr("M-000001  received"));
  EXPECT_THAT(matter.out, HasSubstr("accept by 2027-03-30"));
  ASSERT_TRUE(
      WaitFor([&] { return AlertsOfKind(cluster, "matter_deadline_warning") == 1; }, seconds(30)))
      << "no warning before the acceptance limit";
  auto alerts = cluster.Operator({"alerts", "list"});
  EXPECT_THAT(alerts.out, HasSubstr("M-000001"));
  auto open = cluster.Operator({"matters", "list", "--open"});
  EXPECT_THAT(open.out, HasSubstr("due soon"));
  // The day's summary counts it as near its limit (信访事项临期).
  const std::string today = FormatDay(TimeZone::Shanghai().DayOf(cluster.clock().Now()));
  auto daily = cluster.Operator({"report", "daily", "--day", today});
  ASSERT_EQ(daily.exit_code, 0) << daily.err;
  EXPECT_THAT(daily.out, ::testing::ContainsRegex("mine-3 .*matters due soon 1 overdue 0"));

  // Accepted: the conclusion limit (60 days) runs instead.
  auto accepted = cluster.Operator({"matters", "accept", "M-000001", "--text", "予以受理"});
  ASSERT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_THAT(accepted.out, HasSubstr("conclude by 2027-05-29"));
  auto twice = cluster.Operator({"matters", "accept", "M-000001"});
  EXPECT_NE(twice.exit_code, 0);
  EXPECT_THAT(twice.err, HasSubstr("cannot accept"));

  // A restart keeps the register and fires nothing again.
  EXPECT_EQ(cluster.StopDispatcher(), 0);
  cluster.StartDispatcher();
  auto after = cluster.Operator({"visits", "list"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_THAT(after.out, HasSubstr("3 visits"));
  // A page at a time: the cursor the first page printed gives the rest.
  auto first = cluster.Operator({"visits", "list", "--limit", "2"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("2 visits"));
  const auto at = first.out.find("next page: --cursor ");
  ASSERT_NE(at, std::string::npos) << first.out;
  const std::string cursor = first.out.substr(at + 20, first.out.find('\n', at) - at - 20);
  auto rest = cluster.Operator({"visits", "list", "--limit", "2", "--cursor", cursor});
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  EXPECT_THAT(rest.out, HasSubstr("\n1 visit\n"));
  EXPECT_THAT(rest.out, ::testing::Not(HasSubstr("next page")));
  // Each visit on exactly one page (a line of its own starts with its id).
  auto listed = [](const std::string& out, const std::string& id) {
    return ("\n" + out).find("\n" + id + "  ") != std::string::npos ? 1 : 0;
  };
  for (const char* id : {"V-000001", "V-000002", "V-000003"}) {
    EXPECT_EQ(listed(first.out, id) + listed(rest.out, id), 1) << id;
  }
  auto bad_cursor = cluster.Operator({"visits", "list", "--cursor", "yesterday"});
  EXPECT_NE(bad_cursor.exit_code, 0);
  EXPECT_THAT(bad_cursor.err, HasSubstr("cursor: not one this listing returned"));
  auto matters = cluster.Operator({"matters", "list"});
  EXPECT_THAT(matters.out, HasSubstr("M-000001  accepted"));
  EXPECT_EQ(AlertsOfKind(cluster, "matter_deadline_warning"), 1);
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM visits WHERE repeat_of = 'V-000001'"),
            1);

  // Matters a page at a time, by id.
  auto second =
      cluster.Operator({"matters", "register", "--unit", "mine-3", "--summary", "工资拖欠"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  auto page = cluster.Operator({"matters", "list", "--limit", "1"});
  ASSERT_EQ(page.exit_code, 0) << page.err;
  EXPECT_THAT(page.out, HasSubstr("M-000001  accepted"));
  EXPECT_THAT(page.out, ::testing::Not(HasSubstr("M-000002")));
  EXPECT_THAT(page.out, HasSubstr("next page: --cursor M-000001"));
  auto next = cluster.Operator({"matters", "list", "--limit", "1", "--cursor", "M-000001"});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_THAT(next.out, HasSubstr("M-000002  received"));
  EXPECT_THAT(next.out, ::testing::Not(HasSubstr("next page")));

  // A concluded matter runs no limit: the dispatcher leaves it in the
  // store, and a command that names it, before or after a restart, reads
  // it back and decides as before.
  auto concluded = cluster.Operator({"matters", "conclude", "M-000001", "--text", "已答复"});
  ASSERT_EQ(concluded.exit_code, 0) << concluded.err;
  auto concluded_again = cluster.Operator({"matters", "conclude", "M-000001", "--text", "已答复"});
  EXPECT_NE(concluded_again.exit_code, 0);
  EXPECT_THAT(concluded_again.err, HasSubstr("is concluded: cannot conclude"));
  EXPECT_EQ(cluster.StopDispatcher(), 0);
  cluster.StartDispatcher();
  auto after_restart = cluster.Operator({"matters", "conclude", "M-000001", "--text", "已答复"});
  EXPECT_THAT(after_restart.err, HasSubstr("is concluded: cannot conclude"));
  auto unknown = cluster.Operator({"matters", "accept", "M-000009"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.err, HasSubstr("no matter 'M-000009'"));
  auto by_state = cluster.Operator({"matters", "list", "--state", "concluded"});
  ASSERT_EQ(by_state.exit_code, 0) << by_state.err;
  EXPECT_THAT(by_state.out, HasSubstr("M-000001  concluded"));
  EXPECT_THAT(by_state.out, ::testing::Not(HasSubstr("M-000002")));
  auto running = cluster.Operator({"matters", "list", "--open"});
  EXPECT_THAT(running.out, ::testing::Not(HasSubstr("M-000001")));
  EXPECT_THAT(running.out, HasSubstr("M-000002  received"));
  auto review = cluster.Operator({"matters", "request-review", "M-000001", "--text", "不服"});
  ASSERT_EQ(review.exit_code, 0) << review.err;
  EXPECT_THAT(review.out, HasSubstr("M-000001  review_requested"));
  auto reviewing = cluster.Operator({"matters", "list", "--open", "--unit", "mine-3"});
  EXPECT_THAT(reviewing.out, HasSubstr("M-000001  review_requested"));
  // The next id follows the highest stored, whichever matters are held.
  auto third = cluster.Operator({"matters", "register", "--unit", "mine-3", "--summary", "欠薪"});
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_THAT(third.out, HasSubstr("M-000003  received"));
  auto bad_state = cluster.Operator({"matters", "list", "--state", "lost"});
  EXPECT_NE(bad_state.exit_code, 0);
  EXPECT_THAT(bad_state.err, HasSubstr("state"));
}

}  // namespace
}  // namespace anding::testing

// The operator command line as a careless operator uses it: the same
// command run twice, in separate processes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <regex>
#include <set>

#include "support/cluster.h"
#include "support/process.h"

namespace anding::testing {
namespace {

using ::testing::HasSubstr;

// The incident id in `anding incident report`'s output, or "".
std::string IncidentId(const std::string& out) {
  std::smatch match;
  return std::regex_search(out, match, std::regex("INC-[0-9]{8}-[0-9]{3}")) ? match.str() : "";
}

TEST(CliTest, TwoIdenticalIncidentReportsAreTwoIncidents) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  Cluster cluster("cli-request-ids", options);
  cluster.StartDispatcher();
  const std::vector<std::string> report = {
      "incident",  "report", "--type",     "group-petition", "--region",  "zhengzhou",
      "--persons", "30",     "--involved", "mine-3",         "--summary", "三矿职工到省信访局"};
  const auto first = cluster.Operator(report);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto second = cluster.Operator(report);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  // Each command's request id is its own: the second is not mistaken for a
  // repeat of the first (request ids are idempotency keys for reports).
  EXPECT_FALSE(IncidentId(first.out).empty()) << first.out;
  EXPECT_FALSE(IncidentId(second.out).empty()) << second.out;
  EXPECT_NE(IncidentId(first.out), IncidentId(second.out));
  EXPECT_EQ(
      Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM dispatch_incidents"),
      2);
  // Not unique by luck of process ids: every request id is a random UUID
  // (the audit trail keeps each request as sent).
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM audit_log WHERE "
                              "instr(request, 'cli-') > 0"),
            0);
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM audit_log WHERE "
                              "kind = 'report_incident'"),
            2);
}

// Both command lines hold an incident's summary to one rule (optional; at
// most 200 characters) and refuse text that is not UTF-8 before sending,
// naming the option.
TEST(CliTest, CommandLineInputIsCheckedBeforeSendingByBothPrograms) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  Cluster cluster("cli-input", options);
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");
  auto incidents = [&] {
    return Cluster::QueryInt(cluster.DispatcherDatabase(),
                             "SELECT COUNT(*) FROM dispatch_incidents");
  };
  auto queued = [&] {
    return Cluster::QueryInt(cluster.AgentDatabase("mine-3"), "SELECT COUNT(*) FROM outbox");
  };
  const std::vector<std::string> hq = {"incident",   "report",    "--type",    "group-petition",
                                       "--region",   "zhengzhou", "--persons", "30",
                                       "--involved", "mine-3"};
  const std::vector<std::string> mine = {"report",   "incident",  "--type",    "group-petition",
                                         "--region", "zhengzhou", "--persons", "30"};
  auto with = [](std::vector<std::string> words, std::vector<std::string> extra) {
    words.insert(words.end(), extra.begin(), extra.end());
    return words;
  };

  // An empty summary: accepted by both, and HQ writes one.
  const auto hq_empty = cluster.Operator(with(hq, {"--summary", ""}));
  EXPECT_EQ(hq_empty.exit_code, 0) << hq_empty.err;
  const auto mine_empty = cluster.Agent("mine-3", with(mine, {"--summary", ""}));
  EXPECT_EQ(mine_empty.exit_code, 0) << mine_empty.err << mine_empty.out;
  ASSERT_TRUE(WaitFor([&] { return incidents() == 2; }, std::chrono::seconds(20)));

  // 200 characters pass at both; 201 are refused by both before sending.
  std::string longest;
  for (int i = 0; i < 200; ++i) longest += "访";
  EXPECT_EQ(cluster.Operator(with(hq, {"--summary", longest})).exit_code, 0);
  EXPECT_EQ(cluster.Agent("mine-3", with(mine, {"--summary", longest})).exit_code, 0);
  ASSERT_TRUE(WaitFor([&] { return incidents() == 4; }, std::chrono::seconds(20)));
  const int64_t outbox_before = queued();
  for (const auto& result : {cluster.Operator(with(hq, {"--summary", longest + "x"})),
                             cluster.Agent("mine-3", with(mine, {"--summary", longest + "x"}))}) {
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_THAT(result.err, HasSubstr("--summary is too long (201 characters; at most 200)"));
  }

  // Invalid UTF-8, in a text option or in `--name=value` form.
  const std::string half = "\xe4\xb8";
  for (const auto& result : {cluster.Operator(with(hq, {"--summary", "三矿" + half})),
                             cluster.Agent("mine-3", with(mine, {"--summary", "三矿" + half})),
                             cluster.Operator(with(hq, {"--summary", "x", "--address=" + half}))}) {
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_THAT(result.err, ::testing::AnyOf(HasSubstr("--summary is not valid UTF-8"),
                                             HasSubstr("--address is not valid UTF-8")));
    EXPECT_THAT(result.err, ::testing::Not(HasSubstr("libprotobuf")));
    EXPECT_THAT(result.err, ::testing::Not(HasSubstr("malformed request")));
  }
  EXPECT_EQ(queued(), outbox_before);
  EXPECT_EQ(incidents(), 4);
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM audit_log WHERE "
                              "kind = 'report_incident'"),
            2);
}

// The keys of a JSON object, sorted.
std::set<std::string> Keys(const boost::json::value& value) {
  std::set<std::string> keys;
  for (const auto& [key, ignored] : value.as_object()) keys.insert(std::string(key));
  return keys;
}

// `anding-agent --json`: every field at every call, default values too, so
// that scripts at a mine office can rely on the keys.
TEST(CliTest, TheAgentsJsonHasAStableShape) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  Cluster cluster("cli-json", options);
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");

  const auto status = cluster.Agent("mine-3", {"--json", "status"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  const auto status_json = boost::json::parse(status.out);
  EXPECT_EQ(Keys(status_json), (std::set<std::string>{"error", "status"}));
  for (const char* key :
       {"unit_id", "connected", "dispatcher_endpoint", "outbox_depth", "last_sequence"}) {
    EXPECT_TRUE(status_json.at("status").as_object().contains(key)) << key << status.out;
  }

  const auto daily = cluster.Agent("mine-3", {"--json", "report", "daily", "--zero"});
  ASSERT_EQ(daily.exit_code, 0) << daily.err;
  const auto daily_json = boost::json::parse(daily.out);
  const auto& entries = daily_json.at("submit").at("entries").as_array();
  ASSERT_EQ(entries.size(), 1u);
  for (const char* key : {"sequence", "message_id", "summary", "state", "attempts"}) {
    EXPECT_TRUE(entries[0].as_object().contains(key)) << key << daily.out;
  }

  const auto outbox = cluster.Agent("mine-3", {"--json", "outbox", "--all"});
  ASSERT_EQ(outbox.exit_code, 0) << outbox.err;
  EXPECT_TRUE(boost::json::parse(outbox.out).at("list_outbox").as_object().contains("entries"))
      << outbox.out;
  const auto orders = cluster.Agent("mine-3", {"--json", "orders"});
  ASSERT_EQ(orders.exit_code, 0) << orders.err;
  EXPECT_TRUE(boost::json::parse(orders.out).at("list_orders").as_object().contains("orders"))
      << orders.out;
  // The same keys the second time, with other values (a time that is
  // unset, such as the last contact before the first, is left out).
  const auto again = cluster.Agent("mine-3", {"--json", "status"});
  auto keys = Keys(boost::json::parse(again.out).at("status"));
  keys.erase("last_contact");
  EXPECT_EQ(keys, Keys(status_json.at("status")));
}

// The agent daemon gone: the command says so and exits 3 (unavailable),
// not 1 (refused); a bad option exits 2 before anything is tried.
TEST(CliTest, ExitCodesSayWhatToDoNext) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  Cluster cluster("cli-exit", options);
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");
  ASSERT_EQ(cluster.StopAgent("mine-3"), 0);
  // A daemon that is not running (a socket left behind would make the
  // command wait for an answer first; the outcome is the same).
  std::filesystem::remove(cluster.dir() + "/data/agent-mine-3/agent.sock");
  const auto unreachable = cluster.Agent("mine-3", {"status"});
  EXPECT_EQ(unreachable.exit_code, 3) << unreachable.err;
  EXPECT_THAT(unreachable.err, HasSubstr("not running"));
  const auto zh = cluster.Agent("mine-3", {"--lang", "zh", "status"});
  EXPECT_EQ(zh.exit_code, 3);
  EXPECT_THAT(zh.err, HasSubstr("代理守护进程未运行"));
  EXPECT_EQ(cluster.Agent("mine-3", {"status", "--limit", "3"}).exit_code, 2);

  // The same for headquarters: a dispatcher that does not answer is 3,
  // whatever the command; a bad value is 2, and nothing is tried.
  ASSERT_EQ(cluster.Operator({"status"}).exit_code, 0);
  cluster.KillDispatcher();
  const auto hq = cluster.Operator({"incident", "list"});
  EXPECT_EQ(hq.exit_code, 3) << hq.err;
  EXPECT_THAT(hq.err, HasSubstr("did not answer"));
  const auto funds = cluster.Operator(
      {"funds", "top-up", "--unit", "mine-3", "--amount", "10", "--reason", "r", "--id", "T-1"});
  EXPECT_EQ(funds.exit_code, 3) << funds.err;
  EXPECT_THAT(funds.err, HasSubstr("with the same --id"));
  EXPECT_EQ(
      cluster
          .Operator({"funds", "top-up", "--unit", "mine-3", "--amount", "0.001", "--reason", "r"})
          .exit_code,
      2);
}

}  // namespace
}  // namespace anding::testing

// The operator command line as a careless operator uses it: the same
// command run twice, in separate processes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

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

}  // namespace
}  // namespace anding::testing

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

}  // namespace
}  // namespace anding::testing

// The walking skeleton end to end: a mine agent reports an event from its
// command line, the dispatcher stores it and acknowledges it, the operator
// sees it in `anding events list`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "support/cluster.h"

namespace anding::testing {
namespace {

using ::testing::HasSubstr;

TEST(SkeletonTest, ReportIsStoredAcknowledgedAndListed) {
  Cluster cluster("skeleton");
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");

  const auto report = cluster.Agent(
      "mine-3", {"report", "early-warning", "--summary", "退休人员集体反映养老金待遇问题",
                 "--persons", "12", "--category", "retiree-management", "--level", "high"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(report.out, HasSubstr("stored by the dispatcher"));
  EXPECT_THAT(report.out, HasSubstr("退休人员集体反映养老金待遇问题"));

  const auto list = cluster.Operator({"events", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("1 of 1 stored events"));
  EXPECT_THAT(list.out, HasSubstr("mine-3"));
  EXPECT_THAT(list.out, HasSubstr("12 persons: 退休人员集体反映养老金待遇问题"));

  const auto json = cluster.Operator({"events", "list", "--json", "--unit", "mine-3"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"category_id\":\"retiree-management\""));

  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM events"), 1);
  EXPECT_EQ(Cluster::QueryInt(cluster.AgentDatabase("mine-3"),
                              "SELECT COUNT(*) FROM outbox WHERE state = 1"),
            0);
}

TEST(SkeletonTest, InvalidReportIsRefusedAtTheAgentAndNothingIsQueued) {
  Cluster cluster("skeleton-invalid");
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");
  const auto report = cluster.Agent(
      "mine-3", {"report", "early-warning", "--summary", "x", "--category", "", "--persons", "3"});
  EXPECT_EQ(report.exit_code, 1);
  EXPECT_THAT(report.err, HasSubstr("early_warning.category_id: is required"));
  const auto typo = cluster.Agent("mine-3", {"report", "early-warning", "--sumary", "x"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_THAT(typo.err, HasSubstr("unknown option --sumary"));
  EXPECT_EQ(Cluster::QueryInt(cluster.AgentDatabase("mine-3"), "SELECT COUNT(*) FROM outbox"), 0);
}

TEST(SkeletonTest, InvalidConfigurationStopsTheDaemonNamingFileLineAndKey) {
  TempDir dir("badconfig");
  const std::string path = dir.path() + "/dispatcher.yaml";
  {
    std::ofstream out(path);
    out << "data_dir: data\nlink:\n  endpoint: tcp://127.0.0.1:*\n  secret_key_file: k\n"
           "  enrolled_keys_file: e\n  heartbeat_intervall: 5s\nregions:\n"
           "  - {id: hebi, name: 鹤壁, kind: hometown}\n";
  }
  const auto result = RunCommand(ANDING_DISPATCHER_BIN, {"--config", path});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(path + ":6:3: link.heartbeat_intervall: unknown key"));
  EXPECT_THAT(result.err, HasSubstr(path + ":8:36: regions[0].kind: expected home_city"));

  const std::string agent_path = dir.path() + "/agent.yaml";
  {
    std::ofstream out(agent_path);
    out << "unit_id: mine-3\ndata_dir: d\nsecret_key_file: k\ndispatcher:\n"
           "  endpoint: 127.0.0.1:7100\n  public_key: short\n";
  }
  const auto agent = RunCommand(ANDING_AGENT_BIN, {"--config", agent_path, "run"});
  EXPECT_EQ(agent.exit_code, 2);
  EXPECT_THAT(agent.err,
              HasSubstr(agent_path + ":5:13: dispatcher.endpoint: expected a ZeroMQ endpoint"));
  EXPECT_THAT(agent.err, HasSubstr(agent_path + ":6:15: dispatcher.public_key: not a Z85"));
}

}  // namespace
}  // namespace anding::testing

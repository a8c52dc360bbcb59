// Enrolment under mistakes and by command: a revocation takes effect even
// when the enrolled-keys file has errors elsewhere (which enrol nobody and
// raise one alert), and operators enrol and revoke agents with `anding
// agents enrol|revoke|keys` without editing the file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "anding/runtime/curve_keys.h"
#include "support/cluster.h"
#include "support/process.h"
#include "support/raw_agent.h"

namespace anding::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;

RawAgent Enrolled(zmq::context_t& context, Cluster& cluster, const std::string& unit) {
  return RawAgent(context, cluster.LinkEndpoint(), cluster.DispatcherPublicKey(),
                  cluster.AgentPublicKey(unit), cluster.AgentSecretKey(unit));
}

// True once `agent`'s messages are refused as not enrolled.
bool Refused(RawAgent& agent, const std::string& unit, uint64_t& sequence) {
  auto answer = agent.Exchange(agent.MakeEarlyWarning(unit, ++sequence), milliseconds(300));
  return answer && answer->has_nack() &&
         answer->nack().reason() == v1::NACK_REASON_PERMISSION_DENIED;
}

std::string EnrolmentFile(Cluster& cluster) { return cluster.dir() + "/keys/enrolled.txt"; }

TEST(EnrolmentTest, ARevocationTakesEffectDespiteMistakesElsewhereInTheFile) {
  ClusterOptions options;
  options.agent_units = {"mine-3", "mine-6"};
  Cluster cluster("revoke-with-errors", options);
  cluster.StartDispatcher();
  zmq::context_t context(1);
  RawAgent mine6 = Enrolled(context, cluster, "mine-6");
  auto reply = mine6.Exchange(mine6.MakeEarlyWarning("mine-6", 1), seconds(10));
  ASSERT_TRUE(reply && reply->has_ack());

  // One edit: mine-6's line goes, and a line with a broken key appears.
  cluster.Revoke("mine-6");
  {
    std::ofstream out(EnrolmentFile(cluster), std::ios::app);
    out << "agent mine-7 NOT-A-KEY\n";
  }
  uint64_t sequence = 1;
  ASSERT_TRUE(WaitFor([&] { return Refused(mine6, "mine-6", sequence); }, seconds(10)));

  // mine-3, on a valid line, still delivers.
  RawAgent mine3 = Enrolled(context, cluster, "mine-3");
  reply = mine3.Exchange(mine3.MakeEarlyWarning("mine-3", 1), seconds(10));
  ASSERT_TRUE(reply && reply->has_ack());

  // The mistake is named, once, in an alert and in `anding agents keys`.
  ASSERT_TRUE(WaitFor(
      [&] {
        return cluster.Operator({"alerts", "list"}).out.find("enrolment_error") !=
               std::string::npos;
      },
      seconds(10)));
  const auto alerts = cluster.Operator({"alerts", "list"});
  EXPECT_THAT(alerts.out, HasSubstr("enrolled.txt:"));
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM alerts WHERE kind = 'enrolment_error'"),
            1);
  const auto keys = cluster.Operator({"agents", "keys"});
  ASSERT_EQ(keys.exit_code, 0) << keys.err;
  EXPECT_THAT(keys.out, HasSubstr("NOT ENROLLED"));
  EXPECT_THAT(keys.out, HasSubstr("not a Z85 CURVE public key"));
  EXPECT_THAT(keys.out, ::testing::Not(HasSubstr("mine-6")));
}

TEST(EnrolmentTest, OperatorsEnrolAndRevokeByCommand) {
  ClusterOptions options;
  options.agent_units = {"mine-3", "mine-6"};
  Cluster cluster("enrol-by-command", options);
  cluster.Revoke("mine-6");  // mine-6 has keys but is not enrolled yet
  cluster.StartDispatcher();
  zmq::context_t context(1);

  RawAgent mine6 = Enrolled(context, cluster, "mine-6");
  EXPECT_FALSE(mine6.Exchange(mine6.MakeEarlyWarning("mine-6", 1), seconds(2)).has_value());

  // Bad input changes nothing.
  auto bad = cluster.Operator({"agents", "enrol", "--unit", "mine-6", "--key", "short"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("Z85"));
  bad = cluster.Operator(
      {"agents", "enrol", "--unit", "mine-99", "--key", cluster.AgentPublicKey("mine-6")});
  EXPECT_NE(bad.exit_code, 0);
  bad = cluster.Operator(
      {"agents", "enrol", "--unit", "mine-6", "--key", cluster.AgentPublicKey("mine-3")});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("already enrolled"));

  const auto enrolled = cluster.Operator(
      {"agents", "enrol", "--unit", "mine-6", "--key", cluster.AgentPublicKey("mine-6")});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  EXPECT_THAT(enrolled.out, HasSubstr("mine-6"));
  // In effect at once: a new connection is admitted.
  RawAgent admitted = Enrolled(context, cluster, "mine-6");
  auto reply = admitted.Exchange(admitted.MakeEarlyWarning("mine-6", 1), seconds(10));
  ASSERT_TRUE(reply && reply->has_ack());

  const auto revoked = cluster.Operator({"agents", "revoke", "--unit", "mine-6"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  uint64_t sequence = 1;
  EXPECT_TRUE(Refused(admitted, "mine-6", sequence) ||
              WaitFor([&] { return Refused(admitted, "mine-6", sequence); }, seconds(5)));
  // Revoking again: nothing to revoke.
  EXPECT_NE(cluster.Operator({"agents", "revoke", "--unit", "mine-6"}).exit_code, 0);
  // Both changes are in the audit trail.
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM audit_log WHERE kind IN "
                              "('enrol_agent', 'revoke_agent') AND outcome = 'ok'"),
            2);
}

// A mine office's side: `anding-agent enrol` makes the office's key pair
// and prints the line HQ enters; nobody copies key files by hand.
TEST(EnrolmentTest, AnOfficeEnrolsWithTheLineItsAgentPrints) {
  ClusterOptions options;
  options.agent_units = {"mine-3", "mine-6"};
  Cluster cluster("enrol-from-the-office", options);
  cluster.Revoke("mine-6");
  const std::string key_file = cluster.dir() + "/keys/mine-6.key";
  std::filesystem::remove(key_file);
  cluster.StartDispatcher();

  const auto made = cluster.Agent("mine-6", {"enrol"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_THAT(made.out, HasSubstr("made a new key pair in"));
  std::smatch line;
  ASSERT_TRUE(std::regex_search(made.out, line,
                                std::regex("anding agents enrol --unit mine-6 --key (\\S{40})")))
      << made.out;
  const std::string public_key = line[1];
  auto pair = runtime::ReadKeyFile(key_file, /*require_secret=*/true);
  ASSERT_TRUE(pair.ok()) << pair.status().ToString();
  EXPECT_EQ(pair->public_key, public_key);

  // Run again (an officer re-runs commands): the same key, nothing replaced.
  const auto again = cluster.Agent("mine-6", {"enrol"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("this office's key pair is in"));
  EXPECT_THAT(again.out, HasSubstr(public_key));

  // HQ enters the printed line; the office's agent then delivers.
  const auto enrolled =
      cluster.Operator({"agents", "enrol", "--unit", "mine-6", "--key", public_key});
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.err;
  cluster.StartAgent("mine-6");
  const auto report =
      cluster.Agent("mine-6", {"report", "early-warning", "--summary", "职工反映工资拖欠",
                               "--persons", "5", "--category", "other", "--wait", "20s"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(report.out, HasSubstr("stored by the dispatcher"));

  // A damaged key file is not overwritten without --force.
  {
    std::ofstream out(key_file, std::ios::trunc);
    out << "not a key\n";
  }
  const auto damaged = cluster.Agent("mine-6", {"enrol"});
  EXPECT_NE(damaged.exit_code, 0);
  EXPECT_THAT(damaged.err, HasSubstr(key_file));
  const auto forced = cluster.Agent("mine-6", {"enrol", "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_THAT(forced.out, HasSubstr("the previous key no longer works"));
}

}  // namespace
}  // namespace anding::testing

// Intake's answers to what a confused or tampered agent sends: two
// versions of one message id in the same frame, and new messages that
// reuse sequence numbers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/cluster.h"
#include "support/process.h"
#include "support/raw_agent.h"

namespace anding::testing {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;

// Answers (acks or nacks) to `count` envelopes, by message id and content.
std::vector<v1::Envelope> Answers(RawAgent& agent, size_t count) {
  std::vector<v1::Envelope> answers;
  const auto deadline = std::chrono::steady_clock::now() + seconds(10);
  while (answers.size() < count && std::chrono::steady_clock::now() < deadline) {
    auto frame = agent.Receive(std::chrono::milliseconds(200));
    if (!frame) continue;
    for (const auto& envelope : frame->envelopes()) {
      if (envelope.has_ack() || envelope.has_nack()) answers.push_back(envelope);
    }
  }
  return answers;
}

TEST(IntakeTest, TwoVersionsOfOneMessageIdInOneFrameGetAnAckAndAConflict) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  Cluster cluster("two-versions", options);
  cluster.StartDispatcher();
  zmq::context_t context(1);
  RawAgent agent(context, cluster.LinkEndpoint(), cluster.DispatcherPublicKey(),
                 cluster.AgentPublicKey("mine-3"), cluster.AgentSecretKey("mine-3"));
  v1::Envelope first = agent.MakeEarlyWarning("mine-3", 1);
  v1::Envelope second = first;
  second.set_sequence(2);
  second.mutable_early_warning()->set_summary("另一个内容 other content");
  v1::Envelope repeat = first;  // the same envelope again: answered by the first's ack
  ASSERT_TRUE(agent.Send({first, second, repeat}));

  const auto answers = Answers(agent, 2);
  ASSERT_EQ(answers.size(), 2u);
  int acks = 0, conflicts = 0;
  for (const auto& answer : answers) {
    if (answer.has_ack()) ++acks;
    if (answer.has_nack() && answer.nack().reason() == v1::NACK_REASON_CONFLICT) ++conflicts;
  }
  EXPECT_EQ(acks, 1);
  EXPECT_EQ(conflicts, 1);
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM events"), 1);

  // The same conflict once the first is stored.
  auto later = agent.Exchange(second, seconds(10));
  ASSERT_TRUE(later && later->has_nack());
  EXPECT_EQ(later->nack().reason(), v1::NACK_REASON_CONFLICT);
}

TEST(IntakeTest, NewMessagesThatReuseSequenceNumbersAreCountedAndShown) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  Cluster cluster("reused-sequences", options);
  cluster.StartDispatcher();
  zmq::context_t context(1);
  RawAgent agent(context, cluster.LinkEndpoint(), cluster.DispatcherPublicKey(),
                 cluster.AgentPublicKey("mine-3"), cluster.AgentSecretKey("mine-3"));
  for (uint64_t sequence : {1, 2, 3, 5}) {
    auto answer = agent.Exchange(agent.MakeEarlyWarning("mine-3", sequence), seconds(10));
    ASSERT_TRUE(answer && answer->has_ack());
  }
  // A retransmission is not a reuse; 4 fills the gap; 2 and 5 under new
  // ids are.
  for (uint64_t sequence : {4, 2, 5}) {
    auto answer = agent.Exchange(agent.MakeEarlyWarning("mine-3", sequence), seconds(10));
    ASSERT_TRUE(answer && answer->has_ack()) << "stored all the same: nothing is lost";
  }
  const auto listed = cluster.Operator({"agents", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("REUSED SEQUENCE NUMBERS 2"));
  EXPECT_THAT(listed.out, HasSubstr("gaps 1"));
  EXPECT_THAT(cluster.dispatcher()->Stderr(), HasSubstr("reuses sequence number 2"));
  // Counted across a restart.
  ASSERT_EQ(cluster.StopDispatcher(), 0);
  cluster.StartDispatcher();
  const auto json = cluster.Operator({"agents", "list", "--json"});
  EXPECT_THAT(json.out, HasSubstr("\"repeated_sequences\":\"2\""));
}

TEST(IntakeTest, AnOversizedFrameIsRefusedCountedAndLoggedPerUnit) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  Cluster cluster("oversized", options);
  cluster.StartDispatcher();
  zmq::context_t context(1);
  RawAgent agent(context, cluster.LinkEndpoint(), cluster.DispatcherPublicKey(),
                 cluster.AgentPublicKey("mine-3"), cluster.AgentSecretKey("mine-3"));
  // 10 MiB: over the 1 MiB limit, under the transport's 16 MiB.
  ASSERT_TRUE(agent.SendBytes(std::string(10 << 20, 'x')));
  std::optional<v1::Frame> answer;
  ASSERT_TRUE(WaitFor(
      [&] {
        answer = agent.Receive(std::chrono::milliseconds(200));
        return answer.has_value();
      },
      seconds(10)));
  ASSERT_EQ(answer->envelopes_size(), 1);
  EXPECT_EQ(answer->envelopes(0).nack().reason(), v1::NACK_REASON_MALFORMED);
  EXPECT_THAT(answer->envelopes(0).nack().detail(), HasSubstr("over the limit"));
  // The connection is still good.
  auto reply = agent.Exchange(agent.MakeEarlyWarning("mine-3", 1), seconds(10));
  ASSERT_TRUE(reply && reply->has_ack());
  EXPECT_THAT(cluster.Operator({"status"}).out, HasSubstr("oversized 1"));
  EXPECT_THAT(cluster.Operator({"agents", "list"}).out, HasSubstr("OVERSIZED FRAMES 1"));
  EXPECT_THAT(cluster.dispatcher()->Stderr(),
              HasSubstr("unit mine-3: refused a frame of 10485760"));
}

// Ids that are not UUIDv7 (an import's, derived from its file) carry no
// time: once the dispatcher no longer remembers one (here: restarted after
// the de-duplication window), it asks the store, and a repeat is answered
// as a duplicate instead of being stored twice.
TEST(IntakeTest, ARepeatedNonV7IdIsRecognisedAfterTheWindow) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  options.simulated_start = *ParseRfc3339("2026-12-02T10:00:00+08:00");
  options.clock_rate = 60;
  options.extra_dispatcher_yaml = "intake: {dedupe_window: 1m}\n";
  Cluster cluster("non-v7-after-window", options);
  cluster.StartDispatcher();
  zmq::context_t context(1);
  v1::Envelope envelope;
  {
    RawAgent agent(context, cluster.LinkEndpoint(), cluster.DispatcherPublicKey(),
                   cluster.AgentPublicKey("mine-3"), cluster.AgentSecretKey("mine-3"));
    envelope = agent.MakeEarlyWarning("mine-3", 1);
    envelope.set_message_id("0f1e2d3c-4b5a-8697-a8b9-cadbecfd0e1f");  // version 8
    auto answer = agent.Exchange(envelope, seconds(10));
    ASSERT_TRUE(answer && answer->has_ack());
    EXPECT_FALSE(answer->ack().duplicate());
  }
  const Time stored = cluster.clock().Now();
  ASSERT_TRUE(WaitFor([&] { return cluster.clock().Now() > stored + std::chrono::minutes(2); },
                      seconds(30)));
  cluster.KillDispatcher();
  cluster.StartDispatcher();
  RawAgent agent(context, cluster.LinkEndpoint(), cluster.DispatcherPublicKey(),
                 cluster.AgentPublicKey("mine-3"), cluster.AgentSecretKey("mine-3"));
  auto again = agent.Exchange(envelope, seconds(10));
  ASSERT_TRUE(again && again->has_ack());
  EXPECT_TRUE(again->ack().duplicate());
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM events"), 1);
}

}  // namespace
}  // namespace anding::testing

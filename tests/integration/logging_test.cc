// What one hostile agent can do to the dispatcher's log: nothing it sends
// forges a line, no field of it makes a huge line, and a frame full of bad
// envelopes writes a handful of warnings and one "suppressed" line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "support/cluster.h"
#include "support/process.h"
#include "support/raw_agent.h"

namespace anding::testing {
namespace {

using std::chrono::seconds;

// The limiter's burst per unit and interval (kRefusalLogBurst in
// dispatcher/server/src/link_server.h).
constexpr size_t kBurst = 10;

size_t CountNacks(RawAgent& agent, size_t count) {
  size_t nacks = 0;
  const auto deadline = std::chrono::steady_clock::now() + seconds(20);
  while (nacks < count && std::chrono::steady_clock::now() < deadline) {
    auto frame = agent.Receive(std::chrono::milliseconds(200));
    if (!frame) continue;
    for (const auto& envelope : frame->envelopes()) nacks += envelope.has_nack() ? 1 : 0;
  }
  return nacks;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(LoggingTest, AHostileAgentCannotForgeOrFloodTheLog) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  Cluster cluster("hostile-log", options);
  cluster.StartDispatcher();
  zmq::context_t context(1);
  RawAgent agent(context, cluster.LinkEndpoint(), cluster.DispatcherPublicKey(),
                 cluster.AgentPublicKey("mine-3"), cluster.AgentSecretKey("mine-3"));

  v1::Envelope forged = agent.MakeEarlyWarning("mine-3", 1);
  forged.set_message_id(
      "x\n1999-01-01T00:00:00.000Z critical [dispatcher] STORAGE FAILURE: forged by mine-3");
  ASSERT_TRUE(agent.Send({forged}));
  ASSERT_EQ(CountNacks(agent, 1), 1u);

  v1::Envelope huge = agent.MakeEarlyWarning("mine-3", 2);
  huge.set_message_id(std::string(100 * 1024, 'h'));
  ASSERT_TRUE(agent.Send({huge}));
  ASSERT_EQ(CountNacks(agent, 1), 1u);

  std::vector<v1::Envelope> bad;
  for (int i = 0; i < 1000; ++i) {
    bad.push_back(agent.MakeEarlyWarning("mine-3", 3 + i));
    bad.back().set_message_id("bad-" + std::to_string(i));
  }
  ASSERT_TRUE(agent.Send(bad));
  ASSERT_EQ(CountNacks(agent, 1000), 1000u);

  const std::string err = cluster.dispatcher()->Stderr();
  size_t refusals = 0, suppressed = 0;
  bool escaped_forgery = false;
  for (const auto& line : Lines(err)) {
    EXPECT_EQ(line.rfind("1999-01-01", 0), std::string::npos) << "forged line: " << line;
    EXPECT_LT(line.size(), 4096u) << line.substr(0, 200);
    if (line.find("\\n1999-01-01T00:00:00.000Z critical") != std::string::npos) {
      escaped_forgery = true;
    }
    if (line.find("unit mine-3: refused envelope") != std::string::npos) ++refusals;
    if (line.find("mine-3: ") != std::string::npos &&
        line.find("more refusal warnings suppressed") != std::string::npos) {
      ++suppressed;
    }
  }
  EXPECT_TRUE(escaped_forgery) << err.substr(0, 4096);
  EXPECT_EQ(refusals, kBurst);
  EXPECT_EQ(suppressed, 1u);
  EXPECT_THAT(err, ::testing::HasSubstr("…(+"));
  EXPECT_TRUE(cluster.DispatcherRunning());
}

}  // namespace
}  // namespace anding::testing

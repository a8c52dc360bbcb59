// Every program meets a broken configuration with a clear message and a
// non-zero exit status, never with an abort: a missing file, an empty one,
// values of the wrong type, endpoints missing, key files missing or
// malformed, a directory where a file belongs. And a running dispatcher
// told to reload (SIGHUP, systemctl reload) checks its edited file: an
// invalid one is reported at once, not at the next restart.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "support/cluster.h"
#include "support/process.h"

namespace anding::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

void Write(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

struct Case {
  std::string name;
  std::string binary;
  std::vector<std::string> args;
  // Part of the message the program must print.
  std::string expected;
};

void ExpectClearRefusal(const Case& c) {
  SCOPED_TRACE(c.name);
  const CommandResult result = RunCommand(c.binary, c.args, std::chrono::seconds(30));
  EXPECT_NE(result.exit_code, 0) << result.err;
  EXPECT_GT(result.exit_code, 0) << "did not finish: " << result.err;
  EXPECT_LT(result.exit_code, 128) << "ended by a signal: " << result.err;
  EXPECT_NE(result.exit_code, 70) << "internal error instead of a clear refusal: " << result.err;
  EXPECT_THAT(result.err, Not(HasSubstr("terminate called")));
  EXPECT_THAT(result.err + result.out, HasSubstr(c.expected));
}

class BrokenConfigTest : public ::testing::Test {
 protected:
  BrokenConfigTest() : cluster_("broken-config", Options()) {}

  static ClusterOptions Options() {
    ClusterOptions options;
    options.agent_units = {"mine-3"};
    return options;
  }
  std::string Path(const std::string& name) const { return cluster_.dir() + "/" + name; }

  // The cases every program shares: the configuration file itself.
  std::vector<Case> FileCases(const std::string& binary, const std::vector<std::string>& tail,
                              const std::string& wrong_types) {
    Write(Path("empty.yaml"), "");
    Write(Path("types-" + std::filesystem::path(binary).filename().string() + ".yaml"),
          wrong_types);
    std::filesystem::create_directories(Path("a-directory.yaml"));
    auto with = [&](const std::string& config) {
      std::vector<std::string> args = {"--config", config};
      args.insert(args.end(), tail.begin(), tail.end());
      return args;
    };
    return {
        {"missing file", binary, with(Path("nope.yaml")), "nope.yaml"},
        {"empty file", binary, with(Path("empty.yaml")), "empty.yaml"},
        {"directory", binary, with(Path("a-directory.yaml")), "a-directory.yaml"},
        {"wrong types", binary,
         with(Path("types-" + std::filesystem::path(binary).filename().string() + ".yaml")),
         "types-"},
    };
  }

  Cluster cluster_;
};

TEST_F(BrokenConfigTest, Dispatcher) {
  std::vector<Case> cases =
      FileCases(ANDING_DISPATCHER_BIN, {}, "data_dir: [1, 2]\nlink: 5\nlogging: {level: [x]}\n");
  Write(Path("keys/malformed.key"), "this is not a key file\n");
  auto with_key = [](const std::string& key_file) {
    return "data_dir: data/other\n"
           "link:\n  endpoint: tcp://127.0.0.1:*\n  enrolled_keys_file: keys/enrolled.txt\n"
           "  secret_key_file: " +
           key_file +
           "\nops: {endpoint: \"tcp://127.0.0.1:*\"}\n"
           "feed: {publish_endpoint: \"tcp://127.0.0.1:*\", snapshot_endpoint: "
           "\"tcp://127.0.0.1:*\"}\n";
  };
  Write(Path("no-key.yaml"), with_key("keys/none.key"));
  Write(Path("bad-key.yaml"), with_key("keys/malformed.key"));
  Write(Path("dir-key.yaml"), with_key("keys"));
  Write(Path("no-endpoint.yaml"),
        "data_dir: data/other\nlink: {secret_key_file: keys/dispatcher.key, "
        "enrolled_keys_file: keys/enrolled.txt, endpoint: localhost}\n");
  Write(Path("log-inside.yaml"),
        "data_dir: data/other\nlink: {secret_key_file: keys/dispatcher.key, "
        "enrolled_keys_file: keys/enrolled.txt}\nlogging: {json_file: data/other/d.jsonl}\n");
  Write(Path("http-bad.yaml"),
        with_key("keys/dispatcher.key") + "http: {listen: \"nowhere\", max_body_bytes: 5}\n");
  Write(Path("http-not-ip.yaml"),
        with_key("keys/dispatcher.key") + "http: {listen: \"localhost:0\"}\n");
  Write(Path("http-websocket.yaml"),
        with_key("keys/dispatcher.key") +
            "http: {listen: \"127.0.0.1:0\", websocket: {max_queue_messages: 10, "
            "max_queue_items: 10, max_message_bytes: 100}}\n");
  Write(Path("orders-held.yaml"),
        "data_dir: data/other\nlink: {secret_key_file: keys/dispatcher.key, "
        "enrolled_keys_file: keys/enrolled.txt, orders_held_per_unit: 0}\n");
  const std::string bin = ANDING_DISPATCHER_BIN;
  cases.push_back({"no order held per unit",
                   bin,
                   {"--config", Path("orders-held.yaml")},
                   "link.orders_held_per_unit"});
  cases.push_back({"websocket queue bound under both names",
                   bin,
                   {"--config", Path("http-websocket.yaml")},
                   "older name of max_queue_items"});
  cases.push_back({"websocket message limit",
                   bin,
                   {"--config", Path("http-websocket.yaml")},
                   "http.websocket.max_message_bytes"});
  cases.push_back(
      {"http listen malformed", bin, {"--config", Path("http-bad.yaml")}, "http.listen"});
  cases.push_back(
      {"http body limit", bin, {"--config", Path("http-bad.yaml")}, "http.max_body_bytes"});
  cases.push_back({"http host not an address",
                   bin,
                   {"--config", Path("http-not-ip.yaml")},
                   "is not an IP address"});
  cases.push_back({"key file missing", bin, {"--config", Path("no-key.yaml")}, "none.key"});
  cases.push_back({"key file malformed", bin, {"--config", Path("bad-key.yaml")}, "malformed.key"});
  cases.push_back({"key file a directory", bin, {"--config", Path("dir-key.yaml")}, "keys"});
  cases.push_back(
      {"endpoint malformed", bin, {"--config", Path("no-endpoint.yaml")}, "link.endpoint"});
  cases.push_back(
      {"log inside data_dir", bin, {"--config", Path("log-inside.yaml")}, "outside data_dir"});
  for (const Case& c : cases) ExpectClearRefusal(c);
}

TEST_F(BrokenConfigTest, Agent) {
  const std::string bin = ANDING_AGENT_BIN;
  std::vector<Case> cases;
  for (const std::string command : {"run", "status", "--check-config"}) {
    auto file_cases = FileCases(bin, {command}, "unit_id: [a]\ndata_dir: {x: 1}\nretry: 5\n");
    cases.insert(cases.end(), file_cases.begin(), file_cases.end());
  }
  Write(Path("keys/malformed.key"), "this is not a key file\n");
  const std::string base =
      "unit_id: mine-3\ndata_dir: data/agent-other\n"
      "dispatcher: {endpoint: \"tcp://127.0.0.1:1\", public_key_file: keys/dispatcher.pub}\n";
  Write(Path("agent-no-key.yaml"), base + "secret_key_file: keys/none.key\n");
  Write(Path("agent-bad-key.yaml"), base + "secret_key_file: keys/malformed.key\n");
  Write(Path("agent-no-endpoint.yaml"),
        "unit_id: mine-3\ndata_dir: data/agent-other\nsecret_key_file: keys/mine-3.key\n"
        "dispatcher: {public_key_file: keys/dispatcher.pub}\n");
  Write(Path("agent-bad-server-key.yaml"),
        "unit_id: mine-3\ndata_dir: data/agent-other\nsecret_key_file: keys/mine-3.key\n"
        "dispatcher: {endpoint: \"tcp://127.0.0.1:1\", public_key_file: keys/malformed.key}\n");
  cases.push_back(
      {"key file missing", bin, {"--config", Path("agent-no-key.yaml"), "run"}, "none.key"});
  cases.push_back({"key file malformed",
                   bin,
                   {"--config", Path("agent-bad-key.yaml"), "run"},
                   "malformed.key"});
  cases.push_back(
      {"endpoint missing", bin, {"--config", Path("agent-no-endpoint.yaml"), "run"}, "endpoint"});
  cases.push_back({"server key malformed",
                   bin,
                   {"--config", Path("agent-bad-server-key.yaml"), "run"},
                   "malformed.key"});
  // --check-config finds what `run` would, before a service starts.
  cases.push_back({"checked: key file missing",
                   bin,
                   {"--config", Path("agent-no-key.yaml"), "--check-config"},
                   "enrol makes this office's key pair"});
  cases.push_back({"checked: server key malformed",
                   bin,
                   {"--config", Path("agent-bad-server-key.yaml"), "--check-config"},
                   "malformed.key"});
  for (const Case& c : cases) ExpectClearRefusal(c);
  Write(Path("agent-valid.yaml"), base + "secret_key_file: keys/mine-3.key\n");
  const auto valid = RunCommand(bin, {"--config", Path("agent-valid.yaml"), "--check-config"});
  EXPECT_EQ(valid.exit_code, 0) << valid.err;
  EXPECT_THAT(valid.out, HasSubstr("configuration is valid"));
}

TEST_F(BrokenConfigTest, OperatorCommandLine) {
  const std::string bin = ANDING_CLI_BIN;
  std::vector<Case> cases;
  for (const std::string command : {"watch", "status"}) {
    auto file_cases = FileCases(bin, {command}, "dispatcher: [1]\nsecret_key_file: {a: b}\n");
    cases.insert(cases.end(), file_cases.begin(), file_cases.end());
  }
  Write(Path("keys/malformed.key"), "this is not a key file\n");
  const std::string base =
      "dispatcher: {ops_endpoint: \"tcp://127.0.0.1:1\", public_key_file: keys/dispatcher.pub}\n";
  Write(Path("op-no-feed.yaml"), base + "secret_key_file: keys/operator.key\n");
  Write(Path("op-no-key.yaml"), base + "secret_key_file: keys/none.key\n");
  Write(Path("op-bad-key.yaml"), base + "secret_key_file: keys/malformed.key\n");
  Write(Path("op-no-endpoint.yaml"),
        "dispatcher: {public_key_file: keys/dispatcher.pub}\nsecret_key_file: keys/operator.key\n");
  Write(Path("op-bad-feed.yaml"),
        "dispatcher: {ops_endpoint: \"tcp://127.0.0.1:1\", feed_endpoint: nowhere, "
        "snapshot_endpoint: nowhere, public_key_file: keys/dispatcher.pub}\n"
        "secret_key_file: keys/operator.key\n");
  Write(Path("op-gone.yaml"),
        "dispatcher: {endpoints_file: data/none/endpoints.yaml}\n"
        "secret_key_file: keys/operator.key\n");
  cases.push_back({"watch without a feed endpoint",
                   bin,
                   {"--config", Path("op-no-feed.yaml"), "watch"},
                   "feed_endpoint"});
  cases.push_back({"watch with a malformed feed endpoint",
                   bin,
                   {"--config", Path("op-bad-feed.yaml"), "watch"},
                   "nowhere"});
  cases.push_back(
      {"key file missing", bin, {"--config", Path("op-no-key.yaml"), "status"}, "none.key"});
  cases.push_back({"key file malformed",
                   bin,
                   {"--config", Path("op-bad-key.yaml"), "status"},
                   "malformed.key"});
  cases.push_back({"endpoint missing",
                   bin,
                   {"--config", Path("op-no-endpoint.yaml"), "status"},
                   "ops_endpoint"});
  cases.push_back({"endpoints file missing",
                   bin,
                   {"--config", Path("op-gone.yaml"), "watch"},
                   "is the dispatcher running?"});
  for (const Case& c : cases) ExpectClearRefusal(c);
}

// The file is read again and checked as a start would; the dispatcher
// goes on serving on the configuration it started with either way.
TEST(ReloadTest, ASighupChecksTheEditedConfigurationFile) {
  Cluster cluster("reload");
  cluster.StartDispatcher();
  // The first start writes the ports it chose into the file: start again
  // on the file as it now is.
  ASSERT_EQ(cluster.StopDispatcher(), 0);
  cluster.StartDispatcher();
  const std::string path = cluster.DispatcherConfig();
  std::string original;
  {
    std::ifstream in(path);
    original.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto logged = [&](const std::string& text) {
    return WaitFor([&] { return cluster.dispatcher()->Stderr().find(text) != std::string::npos; },
                   std::chrono::seconds(20));
  };
  cluster.dispatcher()->Signal(SIGHUP);
  EXPECT_TRUE(logged("unchanged since the start")) << cluster.dispatcher()->Stderr();

  Write(path, original + "\nledger: {items: {update_cadence: soon}}\n");
  cluster.dispatcher()->Signal(SIGHUP);
  EXPECT_TRUE(logged("is NOT valid; still running with the configuration read at start"))
      << cluster.dispatcher()->Stderr();
  EXPECT_TRUE(WaitFor(
      [&] {
        return cluster.Operator({"alerts", "list"}).out.find("configuration_invalid") !=
               std::string::npos;
      },
      std::chrono::seconds(20)));
  EXPECT_THAT(cluster.Operator({"status"}).exit_code, 0);

  Write(path, original + "\n# a comment, a valid change\n");
  cluster.dispatcher()->Signal(SIGHUP);
  EXPECT_TRUE(logged("changed and is valid; it takes effect when the dispatcher restarts"))
      << cluster.dispatcher()->Stderr();
  EXPECT_TRUE(cluster.DispatcherRunning());
  EXPECT_EQ(cluster.StopDispatcher(), 0);
}

}  // namespace
}  // namespace anding::testing

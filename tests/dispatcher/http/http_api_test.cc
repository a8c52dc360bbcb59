// The dispatcher's HTTP face against a real, in-process dispatcher (the
// standard modules plus test-only accounts) over loopback: the REST API's
// success and error paths, the WebSocket live feed (snapshot, live items
// batched per message, a reconnect that misses nothing, a slow client
// dropped while others keep receiving), /metrics, /healthz and /readyz.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <cmath>
#include <deque>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "anding/common/config.h"
#include "anding/dispatcher/dispatcher.h"
#include "anding/dispatcher/standard_modules.h"
#include "dispatcher/http/http_client.h"
#include "dispatcher/http/test_modules.h"
#include "support/cluster.h"
#include "support/raw_agent.h"

namespace anding::testing {
namespace {

using dispatcher::Dispatcher;
using Headers = std::map<std::string, std::string>;

const Headers kReader = {{"X-Test-User", "zhang"}};
const Headers kWriter = {{"X-Test-User", "zhang"}, {"X-CSRF-Token", "ok"}};

// The standard dispatcher of `cluster`'s configuration, with the test's
// accounts (instead of the users module's logins), in this process on its own io thread.
class InProcessDispatcher {
 public:
  explicit InProcessDispatcher(Cluster& cluster) {
    auto document = ConfigDocument::LoadFile(cluster.DispatcherConfig());
    EXPECT_TRUE(document.ok()) << document.status().ToString();
    ConfigNode root = document->root();
    Dispatcher::Options options;
    options.config = dispatcher::ReadDispatcherConfig(root, document->directory());
    options.config.config_path = cluster.DispatcherConfig();
    options.organisation = core::Organisation::Read(root);
    options.modules = dispatcher::StandardModules(root, options.organisation);
    // Before the users module: the first HttpAuthenticator answers.
    options.modules.insert(options.modules.begin(), TestAuthenticator::Factory());
    options.modules.push_back(StoreBreaker::Factory());
    options.clock = &clock_;
    const Status finished = document->Finish();
    EXPECT_TRUE(finished.ok()) << finished.ToString();
    endpoints_file_ = options.config.endpoints_file;
    std::filesystem::remove(endpoints_file_);
    auto created = Dispatcher::Create(io_, std::move(options));
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    dispatcher_ = std::move(*created);
  }
  ~InProcessDispatcher() { Stop(); }

  Status Start() {
    Status started = dispatcher_->Start();
    if (started.ok()) thread_ = std::thread([this] { io_.run(); });
    return started;
  }
  void Stop() {
    if (!thread_.joinable()) return;
    boost::asio::post(io_, [this] { dispatcher_->Stop([this] { io_.stop(); }); });
    thread_.join();
  }
  // An endpoint it bound, from its endpoints file.
  std::string Endpoint(const std::string& key) const {
    auto document = ConfigDocument::LoadFile(endpoints_file_);
    EXPECT_TRUE(document.ok());
    ConfigNode root = document->root();
    return root.Get<std::string>(key);
  }

 private:
  SystemClock clock_;
  boost::asio::io_context io_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::string endpoints_file_;
  std::thread thread_;
};

boost::json::object Json(const std::string& text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  EXPECT_FALSE(ec) << text;
  return ec || !value.is_object() ? boost::json::object() : value.as_object();
}

std::string ErrorCode(const HttpAnswer& answer) {
  auto body = Json(answer.body);
  if (!body.contains("error")) return {};
  return std::string(body["error"].as_object()["code"].as_string());
}

std::string ErrorMessage(const HttpAnswer& answer) {
  auto body = Json(answer.body);
  if (!body.contains("error")) return {};
  return std::string(body["error"].as_object()["message"].as_string());
}

// The samples of a Prometheus text scrape by "name{labels}"; fails the
// test on a line that is not a comment or a sample.
std::map<std::string, double> ParseMetrics(const std::string& text) {
  static const std::regex kSample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?) (\S+)$)");
  static const std::regex kComment(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$)");
  std::map<std::string, double> samples;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, kComment)) continue;
    if (!std::regex_match(line, match, kSample)) {
      ADD_FAILURE() << "not Prometheus text: " << line;
      continue;
    }
    const std::string value = match[3];
    samples[match[1]] = value == "+Inf" ? INFINITY : std::stod(value);
  }
  return samples;
}

class HttpApiTest : public ::testing::Test {
 protected:
  static ClusterOptions Options() {
    ClusterOptions options;
    // Small per-client bounds so that a client that reads nothing is
    // dropped after a few hundred items.
    options.extra_http_yaml =
        ", max_body_bytes: 65536, websocket: {max_queue_items: 128, max_queue_bytes: 262144, "
        "send_buffer_bytes: 4096}";
    return options;
  }
  HttpApiTest() : cluster_("http-api", Options()), dispatcher_(cluster_) {}

  void SetUp() override {
    ASSERT_TRUE(dispatcher_.Start().ok());
    http_ = dispatcher_.Endpoint("http");
    agent_ = std::make_unique<RawAgent>(
        zmq_, dispatcher_.Endpoint("link"), cluster_.DispatcherPublicKey(),
        cluster_.AgentPublicKey("mine-3"), cluster_.AgentSecretKey("mine-3"));
  }

  HttpAnswer Get(const std::string& target, const Headers& headers = kReader) {
    return HttpCall(http_, "GET", target, {}, headers);
  }
  HttpAnswer Post(const std::string& target, const std::string& body,
                  const Headers& headers = kWriter) {
    return HttpCall(http_, "POST", target, body, headers);
  }
  // Reports an early warning from mine-3 and returns its message id.
  std::string Report() {
    v1::Envelope envelope = agent_->MakeEarlyWarning("mine-3", ++sequence_);
    auto answer = agent_->Exchange(envelope, std::chrono::seconds(10));
    EXPECT_TRUE(answer.has_value() && answer->has_ack());
    return envelope.message_id();
  }

  Cluster cluster_;
  InProcessDispatcher dispatcher_;
  zmq::context_t zmq_{1};
  std::unique_ptr<RawAgent> agent_;
  std::string http_;
  uint64_t sequence_ = 0;
};

TEST_F(HttpApiTest, AQueryIsServedByTheSameModulesAsTheCommandLine) {
  Report();
  HttpAnswer answer = Get("/api/v1/list_events?unit_id=mine-3&limit=10");
  ASSERT_EQ(answer.status, 200u) << answer.body;
  EXPECT_NE(answer.content_type.find("application/json"), std::string::npos);
  auto body = Json(answer.body);
  EXPECT_FALSE(body["request_id"].as_string().empty());
  auto& events = body["list_events"].as_object()["events"].as_array();
  ASSERT_EQ(events.size(), 1u);
  auto& event = events[0].as_object();
  EXPECT_EQ(event["unit_id"], "mine-3");
  EXPECT_TRUE(event["envelope"].as_object().contains("early_warning")) << answer.body;
  // An empty query ("?") is no parameter at all.
  answer = Get("/api/v1/list_events?");
  EXPECT_EQ(answer.status, 200u) << answer.body;

  // POST with a JSON body: the same request; the Idempotency-Key becomes
  // the request id.
  Headers keyed = kWriter;
  keyed["Idempotency-Key"] = "5b1c2d3e-0000-4000-8000-000000000001";
  answer = Post("/api/v1/list_ledger_items", R"({"unitId":"mine-3"})", keyed);
  ASSERT_EQ(answer.status, 200u) << answer.body;
  body = Json(answer.body);
  EXPECT_EQ(body["request_id"], "5b1c2d3e-0000-4000-8000-000000000001");
  ASSERT_EQ(body["ledger_items"].as_object()["items"].as_array().size(), 1u) << answer.body;
}

TEST_F(HttpApiTest, ACommandChangesStateAndAConflictingOneIs409) {
  Report();
  auto items = Json(Get("/api/v1/list_ledger_items").body);
  const std::string id(
      items["ledger_items"].as_object()["items"].as_array()[0].as_object()["id"].as_string());
  // Only a resolved item can be closed out.
  HttpAnswer answer = Post("/api/v1/close_out_ledger_item",
                           R"({"close_out":{"ledger_item_id":")" + id +
                               R"(","resolution":"已解决","confirmed_by_leader":"李"}})");
  EXPECT_EQ(answer.status, 409u) << answer.body;
  EXPECT_EQ(ErrorCode(answer), "FAILED_PRECONDITION");
  EXPECT_NE(ErrorMessage(answer).find(id), std::string::npos) << answer.body;
}

TEST_F(HttpApiTest, ErrorsNameTheProblemWithTheirHttpStatus) {
  // Out of the shared limits: refused at the edge, naming the field.
  HttpAnswer answer = Post("/api/v1/acknowledge_alert", R"({"alertId":"0"})");
  EXPECT_EQ(answer.status, 400u) << answer.body;
  EXPECT_EQ(ErrorCode(answer), "INVALID_ARGUMENT");
  EXPECT_NE(ErrorMessage(answer).find("acknowledge_alert.alert_id"), std::string::npos)
      << answer.body;
  // A field the message does not have, malformed JSON.
  answer = Post("/api/v1/list_events", R"({"colour":"red"})");
  EXPECT_EQ(answer.status, 400u);
  EXPECT_NE(ErrorMessage(answer).find("colour"), std::string::npos) << answer.body;
  answer = Post("/api/v1/list_events", R"({"limit":)");
  EXPECT_EQ(answer.status, 400u);
  // A request that changes state is refused over GET (which carries no
  // CSRF token), and nothing changes.
  answer = Get("/api/v1/register_ledger_item?unit_id=mine-3");
  EXPECT_EQ(answer.status, 400u) << answer.body;
  EXPECT_NE(ErrorMessage(answer).find("POST"), std::string::npos) << answer.body;
  // Unknown request, unknown record.
  answer = Get("/api/v1/launch_rockets");
  EXPECT_EQ(answer.status, 404u);
  EXPECT_EQ(ErrorCode(answer), "NOT_FOUND");
  answer = Get("/api/v1/show_ledger_item?ledger_item_id=TZ-NOPE-1");
  EXPECT_EQ(answer.status, 404u) << answer.body;
  // Nobody logged in; a POST without its CSRF token; a reader that may
  // not write.
  answer = Get("/api/v1/list_events", {});
  EXPECT_EQ(answer.status, 401u);
  EXPECT_EQ(ErrorCode(answer), "UNAUTHENTICATED");
  answer = Post("/api/v1/list_events", "{}", kReader);
  EXPECT_EQ(answer.status, 403u);
  EXPECT_EQ(ErrorCode(answer), "PERMISSION_DENIED");
  answer = Post("/api/v1/list_events", "{}", {{"X-Test-User", "auditor"}, {"X-CSRF-Token", "ok"}});
  EXPECT_EQ(answer.status, 403u);
  // The feed is a WebSocket.
  answer = Get("/api/v1/feed");
  EXPECT_EQ(answer.status, 426u);
  // The body limit of the listener.
  answer = Post("/api/v1/list_events", std::string(70000, ' '));
  EXPECT_EQ(answer.status, 413u);
  // Nothing of it was stored: no ledger item was registered.
  auto items = Json(Get("/api/v1/list_ledger_items").body);
  EXPECT_FALSE(items["ledger_items"].as_object().contains("items"));
}

TEST_F(HttpApiTest, HealthReadinessAndMetrics) {
  HttpAnswer answer = Get("/healthz", {});
  EXPECT_EQ(answer.status, 200u);
  EXPECT_EQ(answer.body, "ok\n");
  EXPECT_EQ(Get("/readyz", {}).status, 200u);

  answer = Get("/metrics", {});
  ASSERT_EQ(answer.status, 200u);
  EXPECT_NE(answer.content_type.find("version=0.0.4"), std::string::npos);
  auto before = ParseMetrics(answer.body);
  EXPECT_EQ(before["anding_ready"], 1);
  Report();
  Report();
  Get("/api/v1/launch_rockets");
  auto after = ParseMetrics(Get("/metrics", {}).body);
  EXPECT_EQ(after["anding_events_received_total"] - before["anding_events_received_total"], 2);
  EXPECT_EQ(
      after["anding_acks_total{kind=\"stored\"}"] - before["anding_acks_total{kind=\"stored\"}"],
      2);
  EXPECT_GT(after["anding_commit_latency_seconds_count"],
            before["anding_commit_latency_seconds_count"]);
  EXPECT_EQ(after["anding_agents_online"], 1);
  EXPECT_GE(after["anding_http_requests_total{route=\"/api/v1/*\",code=\"404\"}"], 1);
  EXPECT_GE(after["anding_http_request_duration_seconds_count{route=\"/metrics\"}"], 1);
  EXPECT_TRUE(after.contains("anding_refusals_total{reason=\"malformed\"}"));
  EXPECT_TRUE(after.contains("anding_order_outbox_depth"));
  // A module's own figures.
  EXPECT_TRUE(after.contains("anding_incidents_open")) << answer.body;
  EXPECT_TRUE(after.contains("anding_deadline_breaches_total"));
  EXPECT_TRUE(after.contains("anding_test_accounts_refused_total"));
}

TEST_F(HttpApiTest, NotReadyWhileTheStoreRecovers) {
  ASSERT_EQ(Get("/readyz", {}).status, 200u);
  ASSERT_EQ(Post("/test/break-store", "").status, 202u);
  HttpAnswer answer;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
       std::chrono::steady_clock::now() < deadline;) {
    answer = Get("/readyz", {});
    if (answer.status == 503) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(answer.status, 503u);
  EXPECT_NE(answer.body.find("the test broke the store"), std::string::npos) << answer.body;
  EXPECT_EQ(Get("/healthz", {}).status, 200u);  // alive all the same
  // A command is refused as unavailable meanwhile.
  EXPECT_EQ(Post("/api/v1/register_ledger_item", R"({"unit_id":"mine-3"})").status, 503u);
  ASSERT_EQ(Post("/test/heal-store", "").status, 200u);
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
       std::chrono::steady_clock::now() < deadline;) {
    answer = Get("/readyz", {});
    if (answer.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(answer.status, 200u) << answer.body;
}

// Reads the live feed's messages of `client`: {"snapshot": …} first, then
// {"items": [FeedItem, …]}, each checked against the framing.
class FeedReader {
 public:
  explicit FeedReader(WsClient& client) : client_(client) {}

  // The first message's snapshot (an empty one at sequence 0 is {}), or
  // nullopt.
  std::optional<boost::json::object> Snapshot() {
    auto message = client_.Read();
    if (!message) return std::nullopt;
    auto json = Json(*message);
    if (!json.contains("snapshot")) {
      ADD_FAILURE() << "not a snapshot: " << *message;
      return std::nullopt;
    }
    return json["snapshot"].as_object();
  }

  // The next item (skipping heartbeats) or an empty object.
  boost::json::object NextItem() {
    for (;;) {
      if (pending_.empty() && !ReadMessage()) return {};
      auto item = std::move(pending_.front());
      pending_.pop_front();
      if (!item.contains("heartbeat")) return item;
    }
  }

  // Reads one message of items; false on close or timeout.
  bool ReadMessage() {
    auto message = client_.Read();
    if (!message) return false;
    auto json = Json(*message);
    if (!json.contains("items") || !json["items"].is_array() || json["items"].as_array().empty()) {
      ADD_FAILURE() << "not a message of items: " << *message;
      return false;
    }
    ++messages_;
    last_message_.clear();
    for (auto& item : json["items"].as_array()) {
      pending_.push_back(item.as_object());
      last_message_.push_back(item.as_object());
    }
    return true;
  }

  [[nodiscard]] size_t messages() const { return messages_; }
  // The items of the last message read (heartbeats included).
  [[nodiscard]] const std::vector<boost::json::object>& last_message() const {
    return last_message_;
  }

 private:
  WsClient& client_;
  std::deque<boost::json::object> pending_;
  std::vector<boost::json::object> last_message_;
  size_t messages_ = 0;
};

uint64_t Sequence(const boost::json::object& object) {
  const auto* sequence = object.if_contains("sequence");
  return sequence != nullptr ? std::stoull(std::string(sequence->as_string())) : 0;
}

std::string StoredMessageId(const boost::json::object& item) {
  const auto* stored = item.if_contains("event_stored");
  if (stored == nullptr) return {};
  return std::string(stored->as_object().at("message_id").as_string());
}

TEST_F(HttpApiTest, TheFeedStartsWithASnapshotThenSendsEachCommittedChange) {
  WsClient refused;
  EXPECT_EQ(refused.Connect(http_, "/api/v1/feed", {}), 401u);

  Report();
  WsClient client;
  ASSERT_EQ(client.Connect(http_, "/api/v1/feed", kReader), 101u);
  FeedReader feed(client);
  auto snapshot = feed.Snapshot().value_or(boost::json::object());
  const uint64_t at = Sequence(snapshot);
  EXPECT_GT(at, 0u);
  EXPECT_EQ(snapshot["events_stored"], "1");

  const std::string reported = Report();
  uint64_t last = at;
  bool seen = false;
  for (int i = 0; i < 20 && !seen; ++i) {
    auto item = feed.NextItem();
    ASSERT_FALSE(item.empty());
    const uint64_t sequence = Sequence(item);
    EXPECT_EQ(sequence, last + 1) << "in order, without gaps";
    last = sequence;
    seen = StoredMessageId(item) == reported;
  }
  EXPECT_TRUE(seen);

  // A client that reconnects starts from a fresh snapshot.
  WsClient again;
  ASSERT_EQ(again.Connect(http_, "/api/v1/feed", kReader), 101u);
  auto fresh = FeedReader(again).Snapshot().value_or(boost::json::object());
  EXPECT_GE(Sequence(fresh), last);
  EXPECT_EQ(fresh["events_stored"], "2");
}

TEST_F(HttpApiTest, TheItemsOfOneCommitArriveInOneMessageInSequenceOrder) {
  WsClient client;
  ASSERT_EQ(client.Connect(http_, "/api/v1/feed", kReader), 101u);
  FeedReader feed(client);
  auto snapshot = feed.Snapshot();
  ASSERT_TRUE(snapshot.has_value());
  // Sixteen early warnings in one frame: one commit, published at once.
  std::vector<v1::Envelope> envelopes;
  std::set<std::string> expected;
  for (int i = 0; i < 16; ++i) {
    envelopes.push_back(agent_->MakeEarlyWarning("mine-3", ++sequence_));
    expected.insert(envelopes.back().message_id());
  }
  ASSERT_TRUE(agent_->Send(envelopes));
  // The first message that names one of them names them all; every item
  // is one sequence after the one before.
  uint64_t last = Sequence(*snapshot);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(feed.ReadMessage());
    std::set<std::string> stored;
    for (const auto& item : feed.last_message()) {
      if (item.contains("heartbeat")) continue;
      EXPECT_EQ(Sequence(item), last + 1);
      last = Sequence(item);
      if (auto id = StoredMessageId(item); !id.empty()) stored.insert(id);
    }
    if (stored.empty()) continue;
    EXPECT_EQ(stored, expected);
    return;
  }
  ADD_FAILURE() << "no message named the reports";
}

TEST_F(HttpApiTest, AReconnectingClientMissesNothing) {
  // A client sees the first reports item by item, then goes away.
  std::set<std::string> reported;
  uint64_t last = 0;
  {
    WsClient client;
    ASSERT_EQ(client.Connect(http_, "/api/v1/feed", kReader), 101u);
    FeedReader feed(client);
    auto snapshot = feed.Snapshot();
    ASSERT_TRUE(snapshot.has_value());
    last = Sequence(*snapshot);
    for (int i = 0; i < 3; ++i) reported.insert(Report());
    std::set<std::string> seen;
    while (seen.size() < reported.size()) {
      auto item = feed.NextItem();
      ASSERT_FALSE(item.empty());
      ASSERT_EQ(Sequence(item), last + 1);
      last = Sequence(item);
      if (auto id = StoredMessageId(item); !id.empty()) seen.insert(id);
    }
  }
  // While it is away, more is committed.
  std::set<std::string> missed;
  for (int i = 0; i < 4; ++i) missed.insert(Report());

  WsClient client;
  ASSERT_EQ(client.Connect(http_, "/api/v1/feed", kReader), 101u);
  FeedReader feed(client);
  auto snapshot = feed.Snapshot().value_or(boost::json::object());
  const uint64_t at = Sequence(snapshot);
  // The snapshot counts every report and its recent items carry, without
  // a gap, every item after the last one seen: what was missed.
  EXPECT_EQ(snapshot["events_stored"].as_string(), std::to_string(reported.size() + missed.size()));
  std::set<std::string> recovered;
  uint64_t expected = 0;
  for (auto& value : snapshot["recent"].as_array()) {
    auto item = value.as_object();
    if (Sequence(item) <= last) continue;
    if (expected == 0) {
      EXPECT_EQ(Sequence(item), last + 1) << "the first item not seen";
    }
    if (expected != 0) {
      EXPECT_EQ(Sequence(item), expected);
    }
    expected = Sequence(item) + 1;
    if (auto id = StoredMessageId(item); !id.empty()) recovered.insert(id);
  }
  EXPECT_EQ(expected, at + 1) << "the recent items reach the snapshot's sequence";
  EXPECT_EQ(recovered, missed);
  // And the live items go on from the snapshot's sequence.
  const std::string after = Report();
  auto item = feed.NextItem();
  ASSERT_FALSE(item.empty());
  EXPECT_EQ(Sequence(item), at + 1);
  bool seen = StoredMessageId(item) == after;
  for (int i = 0; i < 10 && !seen; ++i) {
    item = feed.NextItem();
    seen = StoredMessageId(item) == after;
  }
  EXPECT_TRUE(seen);
}

TEST_F(HttpApiTest, ASlowClientIsDroppedWhileOthersKeepReceiving) {
  WsClient slow(/*receive_buffer_bytes=*/2048);
  ASSERT_EQ(slow.Connect(http_, "/api/v1/feed", kReader), 101u);
  WsClient reader;
  ASSERT_EQ(reader.Connect(http_, "/api/v1/feed", kReader), 101u);
  FeedReader feed(reader);
  ASSERT_TRUE(feed.Snapshot().has_value());
  // Frames of 16 reports, each answered before the next: the reader keeps
  // up while the slow client reads nothing.
  constexpr int kFrames = 25;
  constexpr int kPerFrame = 16;
  std::set<std::string> expected;
  std::set<std::string> received;
  for (int frame = 0; frame < kFrames; ++frame) {
    std::vector<v1::Envelope> envelopes;
    for (int i = 0; i < kPerFrame; ++i) {
      envelopes.push_back(agent_->MakeEarlyWarning("mine-3", ++sequence_));
      expected.insert(envelopes.back().message_id());
    }
    ASSERT_TRUE(agent_->Send(envelopes));
    size_t acked = 0;
    for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
         acked < envelopes.size() && std::chrono::steady_clock::now() < deadline;) {
      auto answer = agent_->Receive(std::chrono::milliseconds(200));
      if (!answer) continue;
      for (const auto& reply : answer->envelopes()) acked += reply.has_ack() ? 1 : 0;
    }
    ASSERT_EQ(acked, envelopes.size());
    // Drain what the reader has been sent so far.
    while (received.size() < expected.size()) {
      auto item = feed.NextItem();
      ASSERT_FALSE(item.empty()) << "the reader was dropped";
      if (auto id = StoredMessageId(item); !id.empty()) received.insert(id);
    }
  }
  EXPECT_EQ(received, expected);
  auto metrics = ParseMetrics(Get("/metrics", {}).body);
  EXPECT_EQ(metrics["anding_websocket_dropped_slow_total"], 1);
  EXPECT_EQ(metrics["anding_websocket_clients"], 1);
  // The slow client finds what fitted in the buffers, then the end: a
  // close with 1013 if the server could still send it, else the cut.
  size_t got = 0;
  while (auto message = slow.Read(std::chrono::seconds(10))) {
    auto json = Json(*message);
    if (json.contains("items")) got += json["items"].as_array().size();
  }
  EXPECT_LT(got, expected.size());
  EXPECT_TRUE(slow.close_code() == 1013u || slow.close_code() == 0u) << slow.close_code();
}

}  // namespace
}  // namespace anding::testing

// feed_bench: the dispatcher's HTTP face under the link's load. A real
// anding-dispatcher on 127.0.0.1 with one agent sending visit records
// open-loop at --rate events/s (the scheduled send instant counts, as in
// link_bench), N WebSocket clients logged in on /api/v1/feed, and /metrics
// scraped meanwhile. Measured in the same run:
//
//   * agent → ack: from the scheduled send to the agent's ack (durable);
//   * agent → feed: from the scheduled send to the event's item
//     (event_stored, named by the agent's sequence) arriving at each client,
//     and how many messages carried them (items are batched per message);
//   * /metrics scrape time, at idle before the load and during it;
//   * a floor: 4 KiB write + fdatasync in the data directory, before the load.
//
//   feed_bench --dispatcher PATH [--clients 50] [--rate 1000] [--seconds 20]
//              [--idle-scrapes 200] [--scrape-every-ms 100] [--dir DIR]
//
// The clients, the agent and the dispatcher share the machine: a client's
// time to read counts against the feed (its figures err high). Prints one
// key=value line for scripts (bench/http/run.sh).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "anding/cli/operator_client.h"
#include "anding/common/clock.h"
#include "anding/common/config.h"
#include "anding/common/ids.h"
#include "anding/common/strings.h"
#include "anding/runtime/curve_keys.h"
#include "anding/wire/codec.h"
#include "process.h"

namespace {

using Clock = std::chrono::steady_clock;
using anding::StrCat;
namespace v1 = anding::v1;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

constexpr const char* kPassword = "feed-bench-password";

struct Options {
  std::string dispatcher;
  int clients = 50;
  double rate = 1000;
  int64_t seconds = 20;
  int idle_scrapes = 200;
  int64_t scrape_every_ms = 100;
  std::string dir;
};

void Die(const std::string& message) {
  std::fprintf(stderr, "feed_bench: %s\n", message.c_str());
  std::exit(1);
}

using anding::bench::Percentile;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

tcp::endpoint EndpointOf(const std::string& address) {
  const size_t colon = address.rfind(':');
  return {asio::ip::make_address(address.substr(0, colon)),
          static_cast<uint16_t>(std::stoi(address.substr(colon + 1)))};
}

// POST /api/v1/login: the session cookie ("anding_session=...").
std::string Login(const std::string& address) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(EndpointOf(address));
  http::request<http::string_body> request(http::verb::post, "/api/v1/login", 11);
  request.set(http::field::host, address);
  request.set(http::field::content_type, "application/json");
  request.body() = StrCat(R"({"user":"bench","password":")", kPassword, R"("})");
  request.prepare_payload();
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  if (response.result() != http::status::ok) Die("login: " + response.body());
  const std::string cookie(response[http::field::set_cookie]);
  return cookie.substr(0, cookie.find(';'));
}

// GET /metrics on one kept-alive connection, timed from the request's
// write to the whole answer read.
class Scraper {
 public:
  explicit Scraper(const std::string& address) : address_(address), stream_(io_) {
    stream_.connect(EndpointOf(address));
  }

  double Scrape() {
    http::request<http::empty_body> request(http::verb::get, "/metrics", 11);
    request.set(http::field::host, address_);
    const auto before = Clock::now();
    http::write(stream_, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream_, buffer, response);
    const double ms = Ms(Clock::now() - before);
    if (response.result() != http::status::ok) Die("/metrics answered " + response.body());
    bytes_ = response.body().size();
    return ms;
  }

  [[nodiscard]] size_t bytes() const { return bytes_; }

 private:
  std::string address_;
  asio::io_context io_;
  beast::tcp_stream stream_;
  size_t bytes_ = 0;
};

// One logged-in WebSocket client of /api/v1/feed; records when the item of
// each of the agent's sequences arrived. Runs on the clients' io thread.
class FeedClient : public std::enable_shared_from_this<FeedClient> {
 public:
  FeedClient(asio::io_context& io, size_t events) : ws_(io), arrived_(events) {}

  void Connect(const std::string& address, const std::string& cookie) {
    beast::get_lowest_layer(ws_).connect(EndpointOf(address));
    ws_.set_option(websocket::stream_base::decorator(
        [cookie](websocket::request_type& request) { request.set(http::field::cookie, cookie); }));
    ws_.handshake(address, "/api/v1/feed");
  }

  void Start() { Read(); }

  void Close() {
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

  [[nodiscard]] bool has_snapshot() const { return has_snapshot_; }
  [[nodiscard]] bool closed() const { return closed_; }
  [[nodiscard]] int close_code() const { return close_code_; }
  [[nodiscard]] size_t received() const { return received_; }
  // Messages of items after the snapshot.
  [[nodiscard]] size_t messages() const { return messages_; }
  [[nodiscard]] const std::vector<Clock::time_point>& arrived() const { return arrived_; }

 private:
  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code error, size_t) {
      if (error) {
        // Closed by the server: 1013 (try again later) is a client too slow
        // for its bounded queue.
        self->close_code_ = error == websocket::error::closed ? self->ws_.reason().code : 0;
        self->closed_ = true;
        return;
      }
      self->Receive(Clock::now());
      self->Read();
    });
  }

  // Finds the agent's sequence of every event in
  // {"items":[{..."event_stored":{..."sequence":"N"...}},...]} without a
  // full parse (50 clients at 1,000 items/s share a core).
  void Receive(Clock::time_point at) {
    const std::string_view text(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    if (!has_snapshot_) {
      if (text.find("\"snapshot\"") != std::string_view::npos) has_snapshot_ = true;
      buffer_.consume(buffer_.size());
      return;
    }
    ++messages_;
    constexpr std::string_view kStored = "\"event_stored\":{";
    constexpr std::string_view kKey = "\"sequence\":\"";
    for (size_t stored = text.find(kStored); stored != std::string_view::npos;
         stored = text.find(kStored, stored + kStored.size())) {
      // EventStored's own sequence comes before the next item starts.
      const size_t key = text.find(kKey, stored);
      if (key == std::string_view::npos) break;
      const uint64_t sequence = std::strtoull(text.data() + key + kKey.size(), nullptr, 10);
      if (sequence >= 1 && sequence <= arrived_.size() &&
          arrived_[sequence - 1] == Clock::time_point{}) {
        arrived_[sequence - 1] = at;
        ++received_;
      }
    }
    buffer_.consume(buffer_.size());
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::vector<Clock::time_point> arrived_;
  std::atomic<size_t> received_{0};
  std::atomic<size_t> messages_{0};
  std::atomic<bool> has_snapshot_{false};
  std::atomic<bool> closed_{false};
  std::atomic<int> close_code_{0};
};

}  // namespace

int main(int argc, char** argv) {
  Options options;
  options.rate = 1000;
  options.idle_scrapes = 200;
  CLI::App app("live feed benchmark: WebSocket clients under load", "feed_bench");
  app.add_option("--dispatcher", options.dispatcher, "the anding-dispatcher binary");
  app.add_option("--clients", options.clients, "WebSocket clients");
  app.add_option("--rate", options.rate, "events per second");
  app.add_option("--seconds", options.seconds, "how long");
  app.add_option("--idle-scrapes", options.idle_scrapes, "/metrics scrapes while idle");
  app.add_option("--scrape-every-ms", options.scrape_every_ms, "between scrapes under load");
  app.add_option("--dir", options.dir, "working directory");
  CLI11_PARSE(app, argc, argv);
  if (options.dispatcher.empty()) Die("--dispatcher PATH is required");
  if (options.rate <= 0 || options.seconds <= 0 || options.clients < 0) {
    Die("--rate and --seconds must be positive, --clients not negative");
  }
  if (options.dir.empty())
    options.dir = std::filesystem::temp_directory_path() / "anding-feed-bench";
  std::filesystem::remove_all(options.dir);
  std::filesystem::create_directories(options.dir + "/keys");

  // Keys, enrolment, configuration; the dispatcher as a child process.
  auto server_keys = anding::runtime::GenerateCurveKeyPair();
  auto agent_keys = anding::runtime::GenerateCurveKeyPair();
  auto operator_keys = anding::runtime::GenerateCurveKeyPair();
  if (!server_keys.ok() || !agent_keys.ok() || !operator_keys.ok()) Die("key generation failed");
  (void)anding::runtime::WriteKeyFile(options.dir + "/keys/dispatcher.key", *server_keys, "bench",
                                      true);
  {
    std::ofstream enrolled(options.dir + "/keys/enrolled.txt");
    enrolled << "agent mine-1 " << agent_keys->public_key << "\n"
             << "operator bench " << operator_keys->public_key << " commander\n";
    std::ofstream config(options.dir + "/dispatcher.yaml");
    config << "data_dir: data\nlink:\n  endpoint: \"tcp://127.0.0.1:*\"\n"
              "  secret_key_file: keys/dispatcher.key\n  enrolled_keys_file: keys/enrolled.txt\n"
              "  offline_after: 60s\nops: {endpoint: \"tcp://127.0.0.1:*\"}\n"
              "feed: {publish_endpoint: \"tcp://127.0.0.1:*\", snapshot_endpoint: "
              "\"tcp://127.0.0.1:*\"}\n"
              "http: {listen: \"127.0.0.1:0\"}\n"
              "users: {password_hashing: minimum}\n"
              "logging: {level: warn}\n"
              "regions:\n  - {id: hebi, name: 鹤壁, kind: home_city, province: henan}\n"
              "units:\n  - {id: mine-1, name: mine-1, kind: mine, region: hebi}\n";
  }
  const pid_t dispatcher_pid = fork();
  if (dispatcher_pid == 0) {
    execl(options.dispatcher.c_str(), options.dispatcher.c_str(), "--config",
          (options.dir + "/dispatcher.yaml").c_str(), nullptr);
    _exit(127);
  }
  const std::string endpoints = options.dir + "/data/endpoints.yaml";
  const auto started = Clock::now();
  while (!std::filesystem::exists(endpoints)) {
    if (Clock::now() - started > std::chrono::seconds(30)) Die("the dispatcher did not start");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the file is written whole
  auto doc = anding::ConfigDocument::LoadFile(endpoints);
  if (!doc.ok()) Die("endpoints: " + doc.status().ToString());
  const std::string link_endpoint = doc->root().Get<std::string>("link");
  const std::string http_address = doc->root().Get<std::string>("http");
  anding::cli::OperatorConfig ops;
  ops.ops_endpoint = doc->root().Get<std::string>("ops");
  ops.dispatcher_public_key = server_keys->public_key;
  ops.public_key = operator_keys->public_key;
  ops.secret_key = operator_keys->secret_key;
  {
    v1::OperatorRequest add;
    add.mutable_add_user()->set_user("bench");
    add.mutable_add_user()->set_role("commander");
    add.mutable_add_user()->set_password(kPassword);
    auto added = anding::cli::OperatorClient(ops).Call(add);
    if (!added.ok()) Die("add_user: " + added.status().ToString());
  }
  const std::string cookie = Login(http_address);
  std::fprintf(stderr, "feed_bench: dispatcher at %s, logged in\n", http_address.c_str());

  // The floor, then /metrics at idle.
  // The floor: 200 synced writes a second for two seconds.
  const std::vector<double> fsync_ms =
      anding::bench::FsyncProbe(options.dir + "/data", 400, std::chrono::milliseconds(5));
  Scraper scraper(http_address);
  std::vector<double> idle_scrape_ms;
  for (int i = 0; i < options.idle_scrapes; ++i) idle_scrape_ms.push_back(scraper.Scrape());

  std::fprintf(stderr, "feed_bench: fsync probe and %d idle scrapes done\n", options.idle_scrapes);
  // The agent's envelopes, encoded beforehand.
  const auto events = static_cast<size_t>(options.rate * static_cast<double>(options.seconds));
  anding::SystemClock system_clock;
  anding::UuidV7Generator ids(system_clock);
  std::vector<std::string> envelopes;
  envelopes.reserve(events);
  for (size_t i = 0; i < events; ++i) {
    v1::Envelope e;
    e.set_message_id(ids.Next());
    e.set_unit_id("mine-1");
    e.set_sequence(i + 1);
    *e.mutable_sent_at() = anding::wire::ToProto(system_clock.Now());
    e.set_schema_version(1);
    auto* visit = e.mutable_visit_record();
    visit->set_day("2026-11-27");
    visit->set_batches(static_cast<uint32_t>(i % 3 + 1));
    visit->set_persons(static_cast<uint32_t>(i % 40 + 4));
    visit->set_category_id("labour-contract-compensation");
    visit->set_channel("walk-in");
    visit->set_note("基准测试: 职工反映补偿金发放问题");
    envelopes.push_back(anding::wire::Encode(e));
  }

  // The WebSocket clients, on their own io thread once connected.
  asio::io_context client_io;
  std::vector<std::shared_ptr<FeedClient>> clients;
  for (int i = 0; i < options.clients; ++i) {
    clients.push_back(std::make_shared<FeedClient>(client_io, events));
    clients.back()->Connect(http_address, cookie);
    clients.back()->Start();
  }
  auto work = asio::make_work_guard(client_io);
  std::thread client_thread([&client_io] { client_io.run(); });
  const auto snapshot_deadline = Clock::now() + std::chrono::seconds(30);
  while (!std::all_of(clients.begin(), clients.end(),
                      [](const auto& c) { return c->has_snapshot(); })) {
    if (Clock::now() > snapshot_deadline) Die("not every client got its snapshot");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  std::fprintf(stderr, "feed_bench: %d clients have their snapshot\n", options.clients);
  // The agent: CURVE handshake (a heartbeat answered), then open loop.
  zmq::context_t context(1);
  zmq::socket_t agent(context, zmq::socket_type::dealer);
  agent.set(zmq::sockopt::curve_serverkey, server_keys->public_key);
  agent.set(zmq::sockopt::curve_publickey, agent_keys->public_key);
  agent.set(zmq::sockopt::curve_secretkey, agent_keys->secret_key);
  agent.set(zmq::sockopt::sndhwm, 1000000);
  agent.set(zmq::sockopt::rcvhwm, 1000000);
  agent.set(zmq::sockopt::linger, 0);
  agent.connect(link_endpoint);
  {
    v1::Frame hello;
    auto* heartbeat = hello.add_envelopes();
    heartbeat->set_schema_version(1);
    heartbeat->set_unit_id("mine-1");
    heartbeat->mutable_heartbeat();
    const std::string bytes = anding::wire::Encode(hello);
    agent.send(zmq::buffer(bytes), zmq::send_flags::none);
    zmq::message_t reply;
    agent.set(zmq::sockopt::rcvtimeo, 10000);
    if (!agent.recv(reply)) Die("no answer to the heartbeat");
    agent.set(zmq::sockopt::rcvtimeo, -1);
  }

  // /metrics under load, from its own thread.
  std::atomic<bool> loaded{true};
  std::vector<double> load_scrape_ms;
  std::thread scrape_thread([&] {
    auto next = Clock::now();
    while (loaded) {
      next += std::chrono::milliseconds(options.scrape_every_ms);
      load_scrape_ms.push_back(scraper.Scrape());
      std::this_thread::sleep_until(next);
    }
  });

  std::vector<Clock::time_point> sent_at(events);
  std::vector<bool> pending(events, false);
  std::vector<double> ack_ms;
  ack_ms.reserve(events);
  size_t next = 0;
  size_t acked = 0;
  const auto start = Clock::now();
  const double interval_s = 1.0 / options.rate;
  zmq::pollitem_t item{agent.handle(), 0, ZMQ_POLLIN, 0};
  while (acked < events) {
    const auto now = Clock::now();
    while (next < events) {
      const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(interval_s * next));
      if (due > now) break;
      std::string frame;
      anding::wire::AppendEnvelope(frame, envelopes[next]);
      sent_at[next] = due;
      pending[next] = true;
      agent.send(zmq::buffer(frame), zmq::send_flags::none);
      ++next;
    }
    if (zmq::poll(&item, 1, std::chrono::milliseconds(0)) == 0) {
      auto wake = Clock::now() + std::chrono::microseconds(100);
      if (next < events) {
        wake = std::min(wake, start + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(interval_s * next)));
      }
      std::this_thread::sleep_until(wake);
    }
    zmq::message_t message;
    while (agent.recv(message, zmq::recv_flags::dontwait)) {
      auto frame = anding::wire::DecodeFrame(message.to_string_view());
      if (!frame.ok()) continue;
      const auto received = Clock::now();
      for (const auto& envelope : frame->envelopes()) {
        if (envelope.has_nack()) Die("refused: " + envelope.nack().ShortDebugString());
        if (!envelope.has_ack()) continue;
        const uint64_t index = envelope.ack().sequence() - 1;
        if (index >= events || !pending[index]) continue;
        pending[index] = false;
        ack_ms.push_back(Ms(received - sent_at[index]));
        ++acked;
      }
    }
    if (Clock::now() - start > std::chrono::minutes(10)) Die("timed out");
  }
  std::fprintf(stderr, "feed_bench: every event acknowledged\n");
  const double run_s = std::chrono::duration<double>(Clock::now() - start).count();
  // The last items reach the clients shortly after their acks.
  const auto feed_deadline = Clock::now() + std::chrono::seconds(15);
  while (Clock::now() < feed_deadline &&
         !std::all_of(clients.begin(), clients.end(),
                      [events](const auto& c) { return c->received() == events; })) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Clients the server closed before the end (dropped as too slow).
  const auto dropped = static_cast<size_t>(
      std::count_if(clients.begin(), clients.end(), [](const auto& c) { return c->closed(); }));
  const int close_code = clients.empty() ? 0 : clients.front()->close_code();
  loaded = false;
  scrape_thread.join();
  // Stop the clients' thread before reading what it wrote.
  asio::post(client_io, [&] {
    for (auto& client : clients) client->Close();
  });
  work.reset();
  client_io.stop();
  client_thread.join();

  std::vector<double> feed_ms;
  feed_ms.reserve(events * clients.size());
  size_t missing = 0;
  size_t messages = 0;
  for (const auto& client : clients) {
    messages += client->messages();
    for (size_t i = 0; i < events; ++i) {
      if (client->arrived()[i] == Clock::time_point{}) {
        ++missing;
      } else {
        feed_ms.push_back(Ms(client->arrived()[i] - sent_at[i]));
      }
    }
  }

  kill(dispatcher_pid, SIGTERM);
  int status = 0;
  struct rusage usage {};
  wait4(dispatcher_pid, &status, 0, &usage);
  const double dispatcher_cpu_s =
      static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
      static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;

  std::printf(
      "clients=%d rate=%.0f events=%zu events_per_s=%.0f "
      "ack_p50_ms=%.2f ack_p99_ms=%.2f ack_max_ms=%.2f "
      "feed_p50_ms=%.2f feed_p99_ms=%.2f feed_p999_ms=%.2f feed_max_ms=%.2f feed_missing=%zu "
      "clients_dropped=%zu close_code=%d feed_messages=%zu events_per_message=%.1f "
      "fsync_p50_ms=%.2f fsync_p99_ms=%.2f "
      "metrics_idle_p50_ms=%.2f metrics_idle_p99_ms=%.2f "
      "metrics_load_p50_ms=%.2f metrics_load_p99_ms=%.2f metrics_scrapes_load=%zu "
      "metrics_bytes=%zu dispatcher_cpu_s=%.1f\n",
      options.clients, options.rate, events, static_cast<double>(events) / run_s,
      Percentile(ack_ms, 50), Percentile(ack_ms, 99), Percentile(ack_ms, 100),
      Percentile(feed_ms, 50), Percentile(feed_ms, 99), Percentile(feed_ms, 99.9),
      Percentile(feed_ms, 100), missing, dropped, close_code, messages,
      messages == 0 ? 0.0 : static_cast<double>(feed_ms.size()) / static_cast<double>(messages),
      Percentile(fsync_ms, 50), Percentile(fsync_ms, 99), Percentile(idle_scrape_ms, 50),
      Percentile(idle_scrape_ms, 99), Percentile(load_scrape_ms, 50),
      Percentile(load_scrape_ms, 99), load_scrape_ms.size(), scraper.bytes(), dispatcher_cpu_s);
  std::fflush(stdout);
  std::filesystem::remove_all(options.dir);
  return 0;
}

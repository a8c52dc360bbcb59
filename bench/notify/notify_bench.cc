// notify_bench: events → webhook delivered, through Anding's durable
// notification queue or through Prometheus Alertmanager, on one machine,
// into the same webhook sink (sink.h) on 127.0.0.1.
//
//   notify_bench --target anding --dispatcher PATH [--agents N]
//   notify_bench --target anding-intake --dispatcher PATH [--agents N]
//   notify_bench --target alertmanager [--alertmanager PATH] [--senders N]
//     common: --events M --rate R --dir DIR
//
// Anding gets its events the real way: simulated mine agents (CURVE
// DEALERs, enrolled keys) send early warnings marked major over the link;
// the dispatcher stores each, special-reports it (专报), queues one webhook
// notification in the same transaction and posts it to the sink after the
// commit. Alertmanager gets one alert per POST to /api/v2/alerts, routed
// with group_by ['...'] and group_wait 0s, so that every alert is one
// webhook to the sink.
//
// anding-intake is the floor under the anding target: the same agents send
// the same early warnings to the same dispatcher, configured without
// notifications, so each warning is stored, special-reported and
// acknowledged but nothing is queued or posted. Its "delivery" is the
// agent's acknowledgement (after the commit), its latency the time to it.
// What anding costs above it is what the notifications cost.
//
// --rate R > 0 (open loop): event i is sent at start + i/R whatever
// happened before; latency is from that scheduled instant to the webhook's
// arrival at the sink, so a stall counts against every event behind it.
// --rate 0 (burst): everything as fast as the target takes it (Anding:
// frames of 100 envelopes, at most 5,000 unacknowledged per agent;
// Alertmanager: POSTs of 100 alerts); delivered_per_s is the rate at the
// sink from the first send to the last webhook.
//
// daemon_cpu_us_per_event: the daemon's user + system time (/proc/PID/stat)
// over the measured phase (first send to last webhook), per event. Before
// each run, an fsync probe on DIR's disk: 200 writes of 4 KiB, each
// followed by fdatasync (the floor under any durable latency).
// Prints one key=value line.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "anding/common/clock.h"
#include "anding/common/config.h"
#include "anding/common/ids.h"
#include "anding/common/strings.h"
#include "anding/runtime/curve_keys.h"
#include "anding/wire/codec.h"
#include "process.h"
#include "sink.h"

namespace {

using Clock = std::chrono::steady_clock;
using anding::StrCat;
namespace v1 = anding::v1;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

struct Options {
  std::string target;
  std::string dispatcher;
  std::string alertmanager = "/usr/bin/prometheus-alertmanager";
  int agents = 4;
  int senders = 4;
  int64_t events = 20000;
  double rate = 0;
  std::string dir;
};

[[noreturn]] void Die(const std::string& message) { anding::bench::Die("notify_bench", message); }

using anding::bench::CpuTimes;
using anding::bench::FreePort;
using anding::bench::Percentile;
using anding::bench::ProcessCpuSeconds;
using anding::bench::ReadCpuTimes;
using anding::bench::Share;
using anding::bench::Spawn;
using anding::bench::Stop;

// The scheduled send instant of event `i` (open loop).
Clock::time_point Due(Clock::time_point start, double rate, int64_t i) {
  return start + std::chrono::duration_cast<Clock::duration>(
                     std::chrono::duration<double>(static_cast<double>(i) / rate));
}

void SleepUntil(Clock::time_point due) {
  // At most 100 µs at a time, so that a late schedule is caught up quickly.
  const auto now = Clock::now();
  if (due > now) std::this_thread::sleep_until(std::min(due, now + std::chrono::microseconds(100)));
}

// What a target did with the events: the send instants are filled by the
// driver; the sink says when each webhook arrived.
struct Run {
  pid_t daemon = -1;
  std::vector<Clock::time_point> sent_at;    // per event (scheduled, or actual in a burst)
  std::vector<anding::bench::Arrival> acks;  // anding-intake: when each event was acknowledged
  Clock::time_point start;
  std::function<void()> on_start;  // called by the driver just before the first send
};

// ---- Anding: mine agents over the link ------------------------------------

struct Agent {
  std::string unit;
  anding::runtime::CurveKeyPair keys;
  std::unique_ptr<zmq::socket_t> socket;
  int64_t in_flight = 0;
  int64_t next = 0;  // burst: the event this agent sends next (i ≡ agent mod agents)
};

void RunAnding(const Options& options, anding::bench::WebhookSink& sink, Run& run) {
  const bool notify = options.target == "anding";
  if (options.dispatcher.empty()) Die("--dispatcher PATH is required");
  std::filesystem::create_directories(options.dir + "/keys");
  auto server_keys = anding::runtime::GenerateCurveKeyPair();
  if (!server_keys.ok()) Die(server_keys.status().message());
  (void)anding::runtime::WriteKeyFile(options.dir + "/keys/dispatcher.key", *server_keys, "bench",
                                      true);
  std::vector<Agent> agents(static_cast<size_t>(options.agents));
  {
    std::ofstream enrolled(options.dir + "/keys/enrolled.txt");
    for (size_t i = 0; i < agents.size(); ++i) {
      agents[i].unit = StrCat("mine-", i + 1);
      agents[i].keys = *anding::runtime::GenerateCurveKeyPair();
      enrolled << "agent " << agents[i].unit << " " << agents[i].keys.public_key << "\n";
    }
  }
  {
    std::ofstream config(options.dir + "/dispatcher.yaml");
    config << "data_dir: data\nlink:\n  endpoint: \"tcp://127.0.0.1:*\"\n"
              "  secret_key_file: keys/dispatcher.key\n  enrolled_keys_file: keys/enrolled.txt\n"
              "  offline_after: 60s\nops: {endpoint: \"tcp://127.0.0.1:*\"}\n"
              "feed: {publish_endpoint: \"tcp://127.0.0.1:*\", snapshot_endpoint: "
              "\"tcp://127.0.0.1:*\"}\n"
              "logging: {level: warn}\n"
              "regions:\n  - {id: hebi, name: 鹤壁, kind: home_city, province: henan}\nunits:\n";
    for (const Agent& agent : agents) {
      config << "  - {id: " << agent.unit << ", name: " << agent.unit
             << ", kind: mine, region: hebi}\n";
    }
    config << "ledger:\n  major_warning: {persons_threshold: 30}\n";
    if (notify) {
      config << "notifications:\n  webhooks:\n    - {name: sink, url: \"http://127.0.0.1:"
             << sink.port()
             << "/anding\", secret: \"bench-webhook-secret-0123456789\"}\n"
                "  routing:\n    - {kind: special_report, groups: [unit_leaders], channels: "
                "[webhook]}\n";
    }
  }
  run.daemon = Spawn({options.dispatcher, "--config", options.dir + "/dispatcher.yaml"},
                     options.dir + "/dispatcher.log");
  const std::string endpoints = options.dir + "/data/endpoints.yaml";
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (!std::filesystem::exists(endpoints)) {
    if (Clock::now() > deadline) Die("the dispatcher did not start (see dispatcher.log)");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // written whole
  auto doc = anding::ConfigDocument::LoadFile(endpoints);
  if (!doc.ok()) Die(doc.status().message());
  const std::string endpoint = doc->root().Get<std::string>("link");

  zmq::context_t context(1);
  for (auto& agent : agents) {
    agent.socket = std::make_unique<zmq::socket_t>(context, zmq::socket_type::dealer);
    agent.socket->set(zmq::sockopt::curve_serverkey, server_keys->public_key);
    agent.socket->set(zmq::sockopt::curve_publickey, agent.keys.public_key);
    agent.socket->set(zmq::sockopt::curve_secretkey, agent.keys.secret_key);
    agent.socket->set(zmq::sockopt::sndhwm, 1000000);
    agent.socket->set(zmq::sockopt::rcvhwm, 1000000);
    agent.socket->set(zmq::sockopt::linger, 0);
    agent.socket->connect(endpoint);
    v1::Frame hello;
    auto* hb = hello.add_envelopes();
    hb->set_schema_version(1);
    hb->set_unit_id(agent.unit);
    hb->mutable_heartbeat();
    const std::string bytes = anding::wire::Encode(hello);
    agent.socket->send(zmq::buffer(bytes), zmq::send_flags::none);
    zmq::message_t reply;
    agent.socket->set(zmq::sockopt::rcvtimeo, 10000);
    if (!agent.socket->recv(reply)) Die("no answer to the heartbeat");
    agent.socket->set(zmq::sockopt::rcvtimeo, -1);
  }

  // Every envelope encoded beforehand: event i from agent i % agents.
  anding::SystemClock system_clock;
  anding::UuidV7Generator ids(system_clock);
  std::vector<std::string> envelopes;
  envelopes.reserve(static_cast<size_t>(options.events));
  for (int64_t i = 0; i < options.events; ++i) {
    const auto& agent = agents[static_cast<size_t>(i) % agents.size()];
    v1::Envelope e;
    e.set_message_id(ids.Next());
    e.set_unit_id(agent.unit);
    e.set_sequence(static_cast<uint64_t>(i / options.agents + 1));
    *e.mutable_sent_at() = anding::wire::ToProto(system_clock.Now());
    e.set_schema_version(1);
    auto* w = e.mutable_early_warning();
    w->set_summary(StrCat("退休职工集结拟赴京上访 bseq-", i));
    w->set_category_id("labour-contract-compensation");
    w->set_persons(40);
    w->set_level(v1::RISK_LEVEL_HIGH);
    w->set_major(true);
    envelopes.push_back(anding::wire::Encode(e));
  }

  std::vector<zmq::pollitem_t> items;
  for (auto& agent : agents) items.push_back({agent.socket->handle(), 0, ZMQ_POLLIN, 0});
  auto drain_acks = [&] {
    for (size_t a = 0; a < agents.size(); ++a) {
      Agent& agent = agents[a];
      zmq::message_t message;
      while (agent.socket->recv(message, zmq::recv_flags::dontwait)) {
        auto frame = anding::wire::DecodeFrame(message.to_string_view());
        if (!frame.ok()) continue;
        const auto now = Clock::now();
        for (const auto& envelope : frame->envelopes()) {
          if (!envelope.has_ack()) continue;
          --agent.in_flight;
          // Event i went out from agent i % agents with sequence i / agents + 1.
          const auto sequence = static_cast<int64_t>(envelope.ack().sequence());
          if (!notify && sequence > 0) {
            run.acks.push_back({(sequence - 1) * options.agents + static_cast<int64_t>(a), now});
          }
        }
      }
    }
  };
  // Done: every webhook at the sink (anding), every event acknowledged
  // (anding-intake).
  auto done = [&] { return static_cast<int64_t>(notify ? sink.count() : run.acks.size()); };
  run.sent_at.resize(static_cast<size_t>(options.events));
  for (size_t a = 0; a < agents.size(); ++a) agents[a].next = static_cast<int64_t>(a);
  run.on_start();
  run.start = Clock::now();
  int64_t next = 0;
  const auto give_up = run.start + std::chrono::minutes(5);
  while (next < options.events) {
    if (options.rate > 0) {
      const auto now = Clock::now();
      while (next < options.events && Due(run.start, options.rate, next) <= now) {
        Agent& agent = agents[static_cast<size_t>(next) % agents.size()];
        std::string frame;
        anding::wire::AppendEnvelope(frame, envelopes[static_cast<size_t>(next)]);
        run.sent_at[static_cast<size_t>(next)] = Due(run.start, options.rate, next);
        agent.socket->send(zmq::buffer(frame), zmq::send_flags::none);
        ++next;
      }
      drain_acks();
      if (next < options.events) SleepUntil(Due(run.start, options.rate, next));
    } else {
      // Burst: frames of 100 per agent, at most 5,000 unacknowledged each.
      for (Agent& agent : agents) {
        while (agent.in_flight < 5000 && agent.next < options.events) {
          std::string frame;
          const auto now = Clock::now();
          for (int in_frame = 0; in_frame < 100 && agent.next < options.events; ++in_frame) {
            anding::wire::AppendEnvelope(frame, envelopes[static_cast<size_t>(agent.next)]);
            run.sent_at[static_cast<size_t>(agent.next)] = now;
            agent.next += options.agents;
            ++agent.in_flight;
            ++next;
          }
          agent.socket->send(zmq::buffer(frame), zmq::send_flags::none);
        }
      }
      zmq::poll(items.data(), items.size(), std::chrono::milliseconds(1));
      drain_acks();
    }
    if (Clock::now() > give_up) Die("timed out sending");
  }
  // Keep the acks flowing while the webhooks arrive.
  int64_t last = -1;
  auto last_change = Clock::now();
  while (done() < options.events && Clock::now() < give_up) {
    zmq::poll(items.data(), items.size(), std::chrono::milliseconds(5));
    drain_acks();
    if (done() != last) {
      last = done();
      last_change = Clock::now();
    } else if (Clock::now() - last_change > std::chrono::seconds(20)) {
      break;  // nothing more is coming
    }
  }
  for (auto& agent : agents) agent.socket.reset();
}

// ---- Alertmanager: alerts POSTed to /api/v2/alerts ------------------------

std::string AlertJson(int64_t i) {
  return StrCat(R"({"labels":{"alertname":"special_report","unit":"mine-)", i % 4 + 1,
                R"(","severity":"critical","bseq":"bseq-)", i,
                R"("},"annotations":{"summary":"退休职工集结拟赴京上访 bseq-)", i, R"("}})");
}

void RunAlertmanager(const Options& options, anding::bench::WebhookSink& sink, Run& run) {
  std::filesystem::create_directories(options.dir + "/am");
  const int port = FreePort();
  {
    std::ofstream config(options.dir + "/alertmanager.yml");
    config << "route:\n  receiver: sink\n  group_by: ['...']\n  group_wait: 0s\n"
              "  group_interval: 1m\n  repeat_interval: 24h\n"
              "receivers:\n  - name: sink\n    webhook_configs:\n"
              "      - url: \"http://127.0.0.1:"
           << sink.port() << "/alertmanager\"\n        send_resolved: false\n";
  }
  run.daemon = Spawn(
      {options.alertmanager, "--config.file=" + options.dir + "/alertmanager.yml",
       "--storage.path=" + options.dir + "/am", StrCat("--web.listen-address=127.0.0.1:", port),
       "--cluster.listen-address=", "--log.level=warn"},
      options.dir + "/alertmanager.log");
  // Ready when /-/ready answers 200.
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  const tcp::endpoint server(boost::asio::ip::make_address("127.0.0.1"),
                             static_cast<uint16_t>(port));
  while (true) {
    if (Clock::now() > deadline) Die("Alertmanager did not start (see alertmanager.log)");
    try {
      boost::asio::io_context io;
      tcp::socket socket(io);
      socket.connect(server);
      http::request<http::empty_body> request(http::verb::get, "/-/ready", 11);
      request.set(http::field::host, "127.0.0.1");
      http::write(socket, request);
      boost::beast::flat_buffer buffer;
      http::response<http::string_body> response;
      http::read(socket, buffer, response);
      if (response.result_int() == 200) break;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  run.sent_at.resize(static_cast<size_t>(options.events));
  std::atomic<bool> failed{false};
  run.on_start();
  run.start = Clock::now();
  const auto start = run.start;
  auto sender = [&](int which) {
    try {
      boost::asio::io_context io;
      tcp::socket socket(io);
      socket.connect(server);
      socket.set_option(tcp::no_delay(true));
      boost::beast::flat_buffer buffer;
      auto post = [&](const std::string& body) {
        http::request<http::string_body> request(http::verb::post, "/api/v2/alerts", 11);
        request.set(http::field::host, "127.0.0.1");
        request.set(http::field::content_type, "application/json");
        request.keep_alive(true);
        request.body() = body;
        request.prepare_payload();
        http::write(socket, request);
        http::response<http::string_body> response;
        http::read(socket, buffer, response);
        if (response.result_int() != 200) {
          std::fprintf(stderr, "notify_bench: Alertmanager answered %u: %s\n",
                       response.result_int(), response.body().c_str());
          failed = true;
        }
      };
      if (options.rate > 0) {
        for (int64_t i = which; i < options.events; i += options.senders) {
          const auto due = Due(start, options.rate, i);
          while (Clock::now() < due) SleepUntil(due);
          run.sent_at[static_cast<size_t>(i)] = due;
          post(StrCat("[", AlertJson(i), "]"));
        }
      } else {
        // Burst: POSTs of 100 alerts; this sender takes every senders-th hundred.
        for (int64_t first = static_cast<int64_t>(which) * 100; first < options.events;
             first += static_cast<int64_t>(options.senders) * 100) {
          std::string body = "[";
          const int64_t end = std::min(options.events, first + 100);
          const auto now = Clock::now();
          for (int64_t i = first; i < end; ++i) {
            if (i > first) body += ",";
            body += AlertJson(i);
            run.sent_at[static_cast<size_t>(i)] = now;
          }
          body += "]";
          post(body);
        }
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "notify_bench: sender %d: %s\n", which, e.what());
      failed = true;
    }
  };
  std::vector<std::thread> senders;
  for (int i = 0; i < options.senders; ++i) senders.emplace_back(sender, i);
  for (auto& thread : senders) thread.join();
  if (failed) Die("Alertmanager refused alerts");
  int64_t last = -1;
  auto last_change = Clock::now();
  while (sink.count() < options.events) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (sink.count() != last) {
      last = sink.count();
      last_change = Clock::now();
    } else if (Clock::now() - last_change > std::chrono::seconds(20)) {
      break;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  options.rate = 0;
  CLI::App app("notification delivery benchmark: Anding against Alertmanager", "notify_bench");
  app.add_option("--target", options.target, "anding, anding-intake or alertmanager");
  app.add_option("--dispatcher", options.dispatcher, "the anding-dispatcher binary");
  app.add_option("--alertmanager", options.alertmanager, "the alertmanager binary");
  app.add_option("--agents", options.agents, "agents sending");
  app.add_option("--senders", options.senders, "sending threads");
  app.add_option("--events", options.events, "events in all");
  app.add_option("--rate", options.rate, "events per second (0: as fast as possible)");
  app.add_option("--dir", options.dir, "working directory");
  CLI11_PARSE(app, argc, argv);
  if (options.target != "anding" && options.target != "anding-intake" &&
      options.target != "alertmanager") {
    Die("--target must be anding, anding-intake or alertmanager");
  }
  if (options.events <= 0 || options.agents < 1 || options.senders < 1) {
    Die("--events, --agents and --senders must be positive");
  }
  if (options.dir.empty()) Die("--dir DIR is required (on the disk to measure)");
  std::filesystem::remove_all(options.dir);
  std::filesystem::create_directories(options.dir);
  signal(SIGPIPE, SIG_IGN);

  const std::vector<double> fsync_ms =
      anding::bench::FsyncProbe(options.dir, 200, std::chrono::milliseconds(0));
  const double fsync_p50 = Percentile(fsync_ms, 50);
  const double fsync_p99 = Percentile(fsync_ms, 99);
  anding::bench::WebhookSink sink;
  Run run;
  // The daemon's CPU time and the machine's from the first send.
  double cpu_start = 0;
  CpuTimes machine_start;
  run.on_start = [&] {
    cpu_start = ProcessCpuSeconds(run.daemon);
    machine_start = ReadCpuTimes();
  };
  if (options.target != "alertmanager") {
    RunAnding(options, sink, run);
  } else {
    RunAlertmanager(options, sink, run);
  }
  const double cpu_end = ProcessCpuSeconds(run.daemon);
  const CpuTimes machine_end = ReadCpuTimes();
  const auto arrivals = options.target == "anding-intake" ? run.acks : sink.TakeArrivals();
  Stop(run.daemon);

  std::vector<bool> seen(static_cast<size_t>(options.events), false);
  std::vector<double> latency_ms;
  int64_t duplicates = 0, unknown = 0;
  Clock::time_point last_arrival = run.start;
  for (const auto& arrival : arrivals) {
    if (arrival.seq < 0 || arrival.seq >= options.events) {
      ++unknown;
      continue;
    }
    if (seen[static_cast<size_t>(arrival.seq)]) {
      ++duplicates;
      continue;
    }
    seen[static_cast<size_t>(arrival.seq)] = true;
    last_arrival = std::max(last_arrival, arrival.at);
    latency_ms.push_back(std::chrono::duration<double, std::milli>(
                             arrival.at - run.sent_at[static_cast<size_t>(arrival.seq)])
                             .count());
  }
  const auto delivered = static_cast<int64_t>(latency_ms.size());
  const double seconds = std::chrono::duration<double>(last_arrival - run.start).count();
  std::printf(
      "target=%s offered_rate=%.0f events=%lld delivered=%lld missing=%lld duplicates=%lld "
      "unknown=%lld delivered_per_s=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f "
      "max_ms=%.2f daemon_cpu_us_per_event=%.1f cpu_busy_pct=%.0f steal_pct=%.1f "
      "sink_connections=%lld fsync_p50_ms=%.2f fsync_p99_ms=%.2f\n",
      options.target.c_str(), options.rate, static_cast<long long>(options.events),
      static_cast<long long>(delivered), static_cast<long long>(options.events - delivered),
      static_cast<long long>(duplicates), static_cast<long long>(unknown),
      seconds > 0 ? static_cast<double>(delivered) / seconds : 0.0, Percentile(latency_ms, 50),
      Percentile(latency_ms, 90), Percentile(latency_ms, 99), Percentile(latency_ms, 99.9),
      Percentile(latency_ms, 100),
      (cpu_end - cpu_start) * 1e6 / static_cast<double>(std::max<int64_t>(delivered, 1)),
      Share(machine_start, machine_end, machine_end.busy - machine_start.busy),
      Share(machine_start, machine_end, machine_end.steal - machine_start.steal),
      static_cast<long long>(sink.connections()), fsync_p50, fsync_p99);
  std::fflush(stdout);
  std::filesystem::remove_all(options.dir);
  return 0;
}

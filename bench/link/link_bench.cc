// link_bench: durable intake throughput and ack latency of a real
// anding-dispatcher on 127.0.0.1, next to a raw ZeroMQ DEALER/ROUTER server
// that acknowledges without storing (the ceiling), in the same run.
//
//   link_bench --dispatcher PATH [--agents N] [--events M] [--batch B]
//              [--window W] [--rate R] [--mode dispatcher|raw] [--dir DIR]
//              [--payload visit|warning]
//
// Closed loop (--rate 0): every agent keeps W envelopes unacknowledged, in
// frames of B. Open loop (--rate R events/s in total): envelopes are sent
// one per frame at scheduled instants and latency is measured from the
// scheduled instant (so a stall counts against every message behind it).
// Prints one result line (key=value) for scripts; last_tenth_events_per_s
// is the rate over the last tenth of the acks, which falls below the
// overall rate if each event costs more than the one before.
//
// --payload visit (default): visit records (接处访), which the dispatcher
// stores and acknowledges with no domain state: the link and the store.
// --payload warning: early warnings (苗头预警) of one category, so that all
// of an agent's warnings join one open ledger item (台账): the link, the
// ledger and the store, with an item that grows by one entry per event.
//
//   link_bench --mode fsync --rate R [--kib K] [--seconds S] [--dir DIR] [--direct]
//
// stands in for another program on the same disk: R times a second it
// writes K KiB to a file in DIR and waits for fdatasync (with --direct:
// writes through O_DIRECT | O_DSYNC instead, bypassing the page cache),
// for S seconds, and reports how long the writes took and the machine's
// steal time meanwhile (bench/link/steal.sh runs it next to a dispatcher
// whose data is on tmpfs).
//
//   link_bench --mode wakeups --threads N --duty P [--seconds S]
//
// a program that touches no disk: N threads each wake every 200 µs at
// scheduled instants and then compute for P % of the period; reports how
// late the wake-ups were (p50/p99/p99.9/max) and the steal time. Run next
// to the fsync load it shows when another process's syncs cost this one
// time (steal.sh).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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

struct Options {
  std::string dispatcher;
  std::string mode = "dispatcher";
  int agents = 1;
  int64_t events = 100000;
  int batch = 100;
  int window = 5000;  // the agent's default max_in_flight
  double rate = 0;
  std::string dir;
  std::string payload = "visit";
  int64_t kib = 24;      // --mode fsync: bytes written before each sync
  int64_t seconds = 10;  // --mode fsync / wakeups: how long
  bool direct = false;   // --mode fsync: O_DIRECT | O_DSYNC writes, no fdatasync
  int threads = 1;       // --mode wakeups
  int64_t duty = 10;     // --mode wakeups: % of each 200 µs period spent computing
};

struct Agent {
  std::string unit;
  anding::runtime::CurveKeyPair keys;
  std::unique_ptr<zmq::socket_t> socket;
  // Every envelope, encoded once beforehand; frames are built from these
  // bytes (wire::AppendEnvelope), so the client's work per event is small.
  std::vector<std::string> envelopes;
  size_t next = 0;  // next envelope to send
  int64_t acked = 0;
  // (Scheduled) send time of sequence i + 1; an ack names its sequence.
  std::vector<Clock::time_point> sent_at;
  std::vector<bool> pending;
};

void Die(const std::string& message) {
  std::fprintf(stderr, "link_bench: %s\n", message.c_str());
  std::exit(1);
}

using anding::bench::CpuTimes;
using anding::bench::Percentile;
using anding::bench::ReadCpuTimes;
using anding::bench::Share;

// The ceiling: decode each frame, acknowledge every envelope, store nothing.
void RawServer(zmq::context_t& context, const std::string& secret, const std::string& endpoint,
               std::atomic<bool>& stop) {
  zmq::socket_t socket(context, zmq::socket_type::router);
  socket.set(zmq::sockopt::curve_server, 1);
  socket.set(zmq::sockopt::curve_secretkey, secret);
  socket.set(zmq::sockopt::sndhwm, 1000000);
  socket.set(zmq::sockopt::rcvhwm, 1000000);
  socket.set(zmq::sockopt::linger, 0);
  socket.bind(endpoint);
  while (!stop) {
    zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, std::chrono::milliseconds(100));
    while (true) {
      zmq::message_t routing, body;
      if (!socket.recv(routing, zmq::recv_flags::dontwait)) break;
      (void)socket.recv(body, zmq::recv_flags::none);
      auto frame = anding::wire::DecodeFrame(body.to_string_view());
      if (!frame.ok()) continue;
      v1::Frame acks;
      for (const auto& envelope : frame->envelopes()) {
        auto* ack = acks.add_envelopes();
        ack->set_schema_version(1);
        ack->mutable_ack()->set_message_id(envelope.message_id());
        ack->mutable_ack()->set_sequence(envelope.sequence());
      }
      const std::string bytes = anding::wire::Encode(acks);
      socket.send(routing, zmq::send_flags::sndmore);
      socket.send(zmq::buffer(bytes), zmq::send_flags::none);
    }
  }
}

// --mode fsync: R synced writes a second, at scheduled instants, cycling
// over a 16 MiB file (written once beforehand, so no sync allocates).
void RunFsyncLoad(const Options& options) {
  if (options.rate <= 0) Die("--mode fsync needs --rate (syncs per second)");
  std::filesystem::create_directories(options.dir);
  const std::string path = options.dir + "/fsync-load.bin";
  constexpr off_t kFileBytes = 16 << 20;
  const size_t chunk = static_cast<size_t>(options.kib) * 1024;
  if (options.kib <= 0 || static_cast<off_t>(chunk) > kFileBytes) Die("--kib out of range");
  if (options.direct && options.kib % 4 != 0) {
    Die("--direct writes whole 4 KiB blocks: --kib must be a multiple of 4");
  }
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) Die("cannot open " + path);
  const std::string fill(1 << 20, 'f');
  for (off_t at = 0; at < kFileBytes; at += static_cast<off_t>(fill.size())) {
    if (::pwrite(fd, fill.data(), fill.size(), at) != static_cast<ssize_t>(fill.size()))
      Die("write");
  }
  if (::fdatasync(fd) != 0) Die("fdatasync");
  // O_DIRECT needs a buffer aligned to the device's blocks (4 KiB covers it).
  constexpr size_t kBlock = 4096;
  std::unique_ptr<char, decltype(&std::free)> data(
      static_cast<char*>(std::aligned_alloc(kBlock, (chunk + kBlock - 1) / kBlock * kBlock)),
      &std::free);
  if (!data) Die("out of memory");
  std::memset(data.get(), 'x', chunk);
  if (options.direct) {
    ::close(fd);
    fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_DIRECT | O_DSYNC);
    if (fd < 0) Die("cannot open " + path + " with O_DIRECT");
  }

  std::vector<double> sync_ms;
  const CpuTimes cpu_start = ReadCpuTimes();
  const auto start = Clock::now();
  const auto end = start + std::chrono::seconds(options.seconds);
  off_t at = 0;
  for (int64_t n = 0;; ++n) {
    const auto due = start + std::chrono::nanoseconds(static_cast<int64_t>(n * 1e9 / options.rate));
    if (due >= end) break;
    std::this_thread::sleep_until(due);
    const auto before = Clock::now();
    if (::pwrite(fd, data.get(), chunk, at) != static_cast<ssize_t>(chunk)) Die("write");
    at = (at + static_cast<off_t>(chunk)) % (kFileBytes - static_cast<off_t>(chunk));
    if (!options.direct && ::fdatasync(fd) != 0) Die("fdatasync");
    sync_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - before).count());
  }
  const CpuTimes cpu_end = ReadCpuTimes();
  ::close(fd);
  std::filesystem::remove(path);
  std::printf(
      "mode=fsync direct=%d syncs_per_s=%.0f kib=%lld syncs=%zu sync_p50_ms=%.3f "
      "sync_p99_ms=%.3f sync_max_ms=%.3f steal_pct=%.1f\n",
      options.direct ? 1 : 0, options.rate, static_cast<long long>(options.kib), sync_ms.size(),
      Percentile(sync_ms, 50), Percentile(sync_ms, 99), Percentile(sync_ms, 100),
      Share(cpu_start, cpu_end, cpu_end.steal - cpu_start.steal));
}

// --mode wakeups: N threads wake every 200 µs at scheduled instants and
// compute for P % of the period; how late were the wake-ups?
void RunWakeups(const Options& options) {
  if (options.threads < 1 || options.duty < 0 || options.duty > 95) {
    Die("--mode wakeups needs --threads >= 1 and --duty between 0 and 95");
  }
  static constexpr std::chrono::microseconds kPeriod{200};
  const auto busy = std::chrono::nanoseconds(kPeriod) * options.duty / 100;
  std::vector<std::vector<double>> late_ms(static_cast<size_t>(options.threads));
  const CpuTimes cpu_start = ReadCpuTimes();
  const auto start = Clock::now();
  const auto end = start + std::chrono::seconds(options.seconds);
  std::vector<std::thread> threads;
  for (auto& late : late_ms) {
    threads.emplace_back([&late, start, end, busy] {
      for (int64_t n = 1;; ++n) {
        const auto due = start + n * kPeriod;
        if (due >= end) break;
        std::this_thread::sleep_until(due);
        const auto woke = Clock::now();
        late.push_back(std::chrono::duration<double, std::milli>(woke - due).count());
        while (Clock::now() < woke + busy) {
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const CpuTimes cpu_end = ReadCpuTimes();
  std::vector<double> all;
  for (const auto& late : late_ms) all.insert(all.end(), late.begin(), late.end());
  std::printf(
      "mode=wakeups threads=%d duty_pct=%lld wakeups=%zu late_p50_ms=%.3f late_p99_ms=%.3f "
      "late_p999_ms=%.3f late_max_ms=%.3f steal_pct=%.1f\n",
      options.threads, static_cast<long long>(options.duty), all.size(), Percentile(all, 50),
      Percentile(all, 99), Percentile(all, 99.9), Percentile(all, 100),
      Share(cpu_start, cpu_end, cpu_end.steal - cpu_start.steal));
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app("link benchmark: agents to the dispatcher, fsync load, wakeups", "link_bench");
  app.add_option("--dispatcher", options.dispatcher, "the anding-dispatcher binary");
  app.add_option("--mode", options.mode, "dispatcher, fsync or wakeups");
  app.add_option("--agents", options.agents, "agents sending");
  app.add_option("--events", options.events, "events in all");
  app.add_option("--batch", options.batch, "events per frame");
  app.add_option("--window", options.window, "envelopes in flight per agent");
  app.add_option("--rate", options.rate, "events (or syncs) per second; 0: as fast as possible");
  app.add_option("--dir", options.dir, "working directory");
  app.add_option("--payload", options.payload, "the payload kind sent");
  app.add_option("--kib", options.kib, "--mode fsync: KiB written before each sync");
  app.add_option("--seconds", options.seconds, "--mode fsync / wakeups: how long");
  app.add_flag("--direct", options.direct, "--mode fsync: O_DIRECT | O_DSYNC writes");
  app.add_option("--threads", options.threads, "--mode wakeups: threads");
  app.add_option("--duty", options.duty, "--mode wakeups: % of each period computing");
  CLI11_PARSE(app, argc, argv);
  if (options.mode == "fsync") {
    if (options.dir.empty()) Die("--mode fsync needs --dir (on the disk to load)");
    RunFsyncLoad(options);
    return 0;
  }
  if (options.mode == "wakeups") {
    RunWakeups(options);
    return 0;
  }
  if (options.mode != "raw" && options.dispatcher.empty()) Die("--dispatcher PATH is required");
  if (options.payload != "visit" && options.payload != "warning") {
    Die("--payload must be visit or warning");
  }
  if (options.dir.empty())
    options.dir = std::filesystem::temp_directory_path() / "anding-link-bench";
  std::filesystem::remove_all(options.dir);
  std::filesystem::create_directories(options.dir + "/keys");

  auto server_keys = anding::runtime::GenerateCurveKeyPair();
  if (!server_keys.ok()) Die(server_keys.status().message());
  (void)anding::runtime::WriteKeyFile(options.dir + "/keys/dispatcher.key", *server_keys, "bench",
                                      true);
  auto operator_keys = anding::runtime::GenerateCurveKeyPair();
  std::vector<Agent> agents(static_cast<size_t>(options.agents));
  {
    std::ofstream enrolled(options.dir + "/keys/enrolled.txt");
    for (int i = 0; i < options.agents; ++i) {
      agents[i].unit = StrCat("mine-", i + 1);
      agents[i].keys = *anding::runtime::GenerateCurveKeyPair();
      enrolled << "agent " << agents[i].unit << " " << agents[i].keys.public_key << "\n";
    }
    enrolled << "operator bench " << operator_keys->public_key << " commander\n";
  }

  zmq::context_t context(1);
  std::atomic<bool> stop_raw{false};
  std::thread raw_thread;
  pid_t dispatcher_pid = -1;
  std::string endpoint;
  anding::cli::OperatorConfig ops;  // to read the dispatcher's status
  if (options.mode == "raw") {
    endpoint = "tcp://127.0.0.1:17999";
    raw_thread = std::thread(RawServer, std::ref(context), server_keys->secret_key, endpoint,
                             std::ref(stop_raw));
  } else {
    std::ofstream config(options.dir + "/dispatcher.yaml");
    config << "data_dir: data\nlink:\n  endpoint: \"tcp://127.0.0.1:*\"\n"
              "  secret_key_file: keys/dispatcher.key\n  enrolled_keys_file: keys/enrolled.txt\n"
              "  offline_after: 60s\nops: {endpoint: \"tcp://127.0.0.1:*\"}\n"
              "feed: {publish_endpoint: \"tcp://127.0.0.1:*\", snapshot_endpoint: "
              "\"tcp://127.0.0.1:*\"}\n"
              "logging: {level: warn}\n";
    if (options.payload == "warning") {
      // Early warnings need their units in the organisation.
      config << "regions:\n  - {id: hebi, name: 鹤壁, kind: home_city, province: henan}\nunits:\n";
      for (const Agent& agent : agents) {
        config << "  - {id: " << agent.unit << ", name: " << agent.unit
               << ", kind: mine, region: hebi}\n";
      }
    }
    config.close();
    dispatcher_pid = fork();
    if (dispatcher_pid == 0) {
      execl(options.dispatcher.c_str(), options.dispatcher.c_str(), "--config",
            (options.dir + "/dispatcher.yaml").c_str(), nullptr);
      _exit(127);
    }
    const std::string endpoints = options.dir + "/data/endpoints.yaml";
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (!std::filesystem::exists(endpoints)) {
      if (Clock::now() > deadline) Die("the dispatcher did not start");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    auto doc = anding::ConfigDocument::LoadFile(endpoints);
    endpoint = doc->root().Get<std::string>("link");
    ops.ops_endpoint = doc->root().Get<std::string>("ops");
    ops.dispatcher_public_key = server_keys->public_key;
    ops.public_key = operator_keys->public_key;
    ops.secret_key = operator_keys->secret_key;
  }

  // Pre-build every envelope so that the client measures the server.
  anding::SystemClock system_clock;
  anding::UuidV7Generator ids(system_clock);
  const int64_t per_agent = options.events / options.agents;
  for (auto& agent : agents) {
    agent.socket = std::make_unique<zmq::socket_t>(context, zmq::socket_type::dealer);
    agent.socket->set(zmq::sockopt::curve_serverkey, server_keys->public_key);
    agent.socket->set(zmq::sockopt::curve_publickey, agent.keys.public_key);
    agent.socket->set(zmq::sockopt::curve_secretkey, agent.keys.secret_key);
    agent.socket->set(zmq::sockopt::sndhwm, 1000000);
    agent.socket->set(zmq::sockopt::rcvhwm, 1000000);
    agent.socket->set(zmq::sockopt::linger, 0);
    agent.socket->connect(endpoint);
    agent.envelopes.reserve(static_cast<size_t>(per_agent));
    for (int64_t i = 0; i < per_agent; ++i) {
      v1::Envelope e;
      e.set_message_id(ids.Next());
      e.set_unit_id(agent.unit);
      e.set_sequence(static_cast<uint64_t>(i + 1));
      *e.mutable_sent_at() = anding::wire::ToProto(system_clock.Now());
      e.set_schema_version(1);
      if (options.payload == "warning") {
        auto* w = e.mutable_early_warning();
        w->set_summary(StrCat("基准测试: 职工反映补偿金发放问题 #", i + 1));
        w->set_category_id("labour-contract-compensation");
        w->set_persons(5);
        w->set_level(v1::RISK_LEVEL_MEDIUM);
      } else {
        auto* v = e.mutable_visit_record();
        v->set_day("2026-11-27");
        v->set_batches(static_cast<uint32_t>(i % 3 + 1));
        v->set_persons(static_cast<uint32_t>(i % 40 + 4));
        v->set_category_id("labour-contract-compensation");
        v->set_channel("walk-in");
        v->set_note("基准测试: 职工反映补偿金发放问题");
      }
      agent.envelopes.push_back(anding::wire::Encode(e));
    }
    agent.sent_at.resize(agent.envelopes.size());
    agent.pending.resize(agent.envelopes.size());
  }
  // Wait for every CURVE handshake: a heartbeat each, answered by the
  // dispatcher (the raw server answers nothing; give it a moment).
  for (auto& agent : agents) {
    v1::Frame hello;
    auto* hb = hello.add_envelopes();
    hb->set_schema_version(1);
    hb->set_unit_id(agent.unit);
    hb->mutable_heartbeat();
    const std::string bytes = anding::wire::Encode(hello);
    agent.socket->send(zmq::buffer(bytes), zmq::send_flags::none);
    if (options.mode != "raw") {
      zmq::message_t reply;
      agent.socket->set(zmq::sockopt::rcvtimeo, 10000);
      if (!agent.socket->recv(reply)) Die("no answer to the heartbeat");
      agent.socket->set(zmq::sockopt::rcvtimeo, -1);
    }
  }
  if (options.mode == "raw") std::this_thread::sleep_for(std::chrono::milliseconds(300));

  std::vector<double> latencies_ms;
  latencies_ms.reserve(static_cast<size_t>(options.events));
  const int64_t total = per_agent * options.agents;
  int64_t acked = 0;
  const int64_t nine_tenths = total - total / 10;
  Clock::time_point nine_tenths_at{};
  const auto start = Clock::now();
  const CpuTimes cpu_start = ReadCpuTimes();
  const double interval_s = options.rate > 0 ? options.agents / options.rate : 0;
  std::vector<zmq::pollitem_t> items;
  for (auto& agent : agents) items.push_back({agent.socket->handle(), 0, ZMQ_POLLIN, 0});

  while (acked < total) {
    const auto now = Clock::now();
    for (auto& agent : agents) {
      if (options.rate > 0) {
        // Open loop: send what is due by the schedule, one per frame.
        while (agent.next < agent.envelopes.size()) {
          const auto due = start + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(interval_s * agent.next));
          if (due > now) break;
          std::string frame;
          anding::wire::AppendEnvelope(frame, agent.envelopes[agent.next]);
          agent.sent_at[agent.next] = due;
          agent.pending[agent.next] = true;
          agent.socket->send(zmq::buffer(frame), zmq::send_flags::none);
          ++agent.next;
        }
      } else {
        // Closed loop: keep the window full.
        while (agent.next < agent.envelopes.size() &&
               static_cast<int64_t>(agent.next) - agent.acked < options.window) {
          std::string frame;
          for (int b = 0; b < options.batch && agent.next < agent.envelopes.size(); ++b) {
            anding::wire::AppendEnvelope(frame, agent.envelopes[agent.next]);
            agent.sent_at[agent.next] = now;
            agent.pending[agent.next] = true;
            ++agent.next;
          }
          agent.socket->send(zmq::buffer(frame), zmq::send_flags::none);
        }
      }
    }
    if (options.rate > 0) {
      // Sleep rather than spin until the next scheduled send (at most
      // 100 µs), so that the load generator does not take a core from the
      // dispatcher on a small machine. An ack may then be seen up to 100 µs
      // late: the latencies measured err high, never low.
      if (zmq::poll(items.data(), items.size(), std::chrono::milliseconds(0)) == 0) {
        auto wake = Clock::now() + std::chrono::microseconds(100);
        for (const auto& agent : agents) {
          if (agent.next >= agent.envelopes.size()) continue;
          wake =
              std::min(wake, start + std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(interval_s * agent.next)));
        }
        std::this_thread::sleep_until(wake);
      }
    } else {
      zmq::poll(items.data(), items.size(), std::chrono::milliseconds(5));
    }
    for (auto& agent : agents) {
      zmq::message_t message;
      while (agent.socket->recv(message, zmq::recv_flags::dontwait)) {
        auto frame = anding::wire::DecodeFrame(message.to_string_view());
        if (!frame.ok()) continue;
        const auto received = Clock::now();
        for (const auto& envelope : frame->envelopes()) {
          if (!envelope.has_ack()) continue;
          const uint64_t index = envelope.ack().sequence() - 1;
          if (index >= agent.pending.size() || !agent.pending[index]) continue;  // a repeat
          latencies_ms.push_back(
              std::chrono::duration<double, std::milli>(received - agent.sent_at[index]).count());
          agent.pending[index] = false;
          ++agent.acked;
          if (++acked == nine_tenths) nine_tenths_at = received;
        }
      }
    }
    if (Clock::now() - start > std::chrono::minutes(10)) Die("timed out");
  }
  const auto end = Clock::now();
  const double seconds = std::chrono::duration<double>(end - start).count();
  const double last_tenth_s = std::chrono::duration<double>(end - nine_tenths_at).count();
  const CpuTimes cpu_end = ReadCpuTimes();
  auto share = [&](long long part) { return Share(cpu_start, cpu_end, part); };

  // The dispatcher's own CPU time over its whole life (start-up, the run,
  // shutdown): steadier under a noisy neighbour than events/s.
  double dispatcher_cpu_s = 0;
  // The store's checkpoints: how many restarted the WAL, and the longest
  // time one of them held commits back.
  std::string checkpoints;
  if (dispatcher_pid > 0) {
    v1::OperatorRequest request;
    request.mutable_status();
    auto response = anding::cli::OperatorClient(ops).Call(request);
    if (!response.ok()) Die(response.status().message());
    const auto& store = response->status();
    checkpoints =
        StrCat(" checkpoints=", store.checkpoints(), " wal_restarts=", store.wal_restarts(),
               " longest_checkpoint_wait_ms=", store.longest_checkpoint_wait_us() / 1000);
    kill(dispatcher_pid, SIGTERM);
    int status = 0;
    struct rusage usage {};
    wait4(dispatcher_pid, &status, 0, &usage);
    dispatcher_cpu_s = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  }
  stop_raw = true;
  if (raw_thread.joinable()) raw_thread.join();

  std::printf(
      "mode=%s payload=%s agents=%d events=%lld batch=%d window=%d offered_rate=%.0f "
      "events_per_s=%.0f last_tenth_events_per_s=%.0f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f "
      "max_ms=%.3f cpu_busy_pct=%.0f steal_pct=%.1f "
      "dispatcher_cpu_us_per_event=%.1f%s\n",
      options.mode.c_str(), options.payload.c_str(), options.agents, static_cast<long long>(total),
      options.batch, options.window, options.rate, total / seconds,
      last_tenth_s > 0 ? static_cast<double>(total - nine_tenths) / last_tenth_s : 0.0,
      Percentile(latencies_ms, 50), Percentile(latencies_ms, 99), Percentile(latencies_ms, 99.9),
      Percentile(latencies_ms, 100), share(cpu_end.busy - cpu_start.busy),
      share(cpu_end.steal - cpu_start.steal),
      total > 0 ? dispatcher_cpu_s * 1e6 / static_cast<double>(total) : 0.0, checkpoints.c_str());
  std::fflush(stdout);
  agents.clear();  // close the sockets before the context
  std::filesystem::remove_all(options.dir);
  return 0;
}

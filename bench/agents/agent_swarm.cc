// agent_swarm: thousands of mine agents on one dispatcher. Each simulated
// agent is a CURVE DEALER with its own enrolled key and unit, set up like
// the real agent's uplink (agents/src/uplink.cc: ZMQ_IMMEDIATE, reconnect
// 100 ms backing off to 5 s, ZMTP heartbeats), that sends the agent's
// heartbeat envelope every heartbeat interval (staggered over the
// interval) and times the dispatcher's reply. All of them live in this one
// process (one ZeroMQ context), against a real `anding-dispatcher`
// started here on 127.0.0.1 with a configuration naming every unit.
//
//   agent_swarm --dispatcher PATH --agents 5000 --dir DIR
//               [--idle 60] [--heartbeat 5] [--io-threads 1] [--deadline 30]
//               [--day 0] [--visits 2] [--named-visits 4]
//
// Phases, one key=value line each:
//  * floor: the dispatcher started and idle with no agent connected
//    (`--idle` seconds): its CPU share of one core and its resident memory;
//  * connect: every agent connects at once and says hello; the time until
//    the last one has its reply (`absorbed_s`), the replies' p50/p99, and
//    the agents with no reply within `--deadline` seconds (`unanswered`);
//  * idle: every agent heartbeating for `--idle` seconds: the dispatcher's
//    CPU share of one core, its resident memory and that memory less the
//    floor's per agent, heartbeat round trips p50/p99/max, missed replies;
//  * day (with --day S): an office's day of reports, compressed into S
//    seconds while every agent heartbeats: each agent files its daily
//    report (零报告), --visits visit records (接处访; every
//    --named-visits-th names its visitor, representative and phone, so that
//    a later visit can be found to repeat it), every tenth an
//    early warning and every seventh a screening report (排查零报告), at
//    random instants of the S seconds, one envelope a frame with its own
//    message id and sequence, as the agent's outbox sends them; the
//    dispatcher's acks timed (p50/p99/max), the nacks and the envelopes
//    unacknowledged `--deadline` seconds after the last send, its CPU share
//    and memory, beside the disk's fsync floor measured in its data
//    directory before the agents connect (the raw floor acks at once,
//    storing nothing);
//  * restart: the dispatcher stopped (SIGTERM) and started again on the
//    same port while every agent keeps trying, as real agents do; from the
//    new process's start to the last agent's first reply (`absorbed_s`),
//    unanswered agents, and the dispatcher log's refused keys.
// Each line also reports this process's CPU share (the agents' side, on the
// same two cores) and the machine's busy and stolen shares.
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>
#include <zmq.hpp>

#include "anding/common/clock.h"
#include "anding/common/config.h"
#include "anding/common/ids.h"
#include "anding/common/strings.h"
#include "anding/common/time.h"
#include "anding/runtime/curve_keys.h"
#include "anding/wire/codec.h"
#include "process.h"

namespace {

using Clock = std::chrono::steady_clock;
using anding::StrCat;
namespace v1 = anding::v1;
namespace bench = anding::bench;

struct Options {
  std::string target = "anding";  // or "raw"
  std::string dispatcher;
  int serve_raw_port = 0;  // internal: be the raw server on this port
  std::string dir;
  int agents = 5000;
  int idle_s = 60;
  int heartbeat_s = 5;
  int io_threads = 1;
  int deadline_s = 30;
  int day_s = 0;         // the compressed day's length; 0: no day phase
  int visits = 2;        // visit records an agent files in a day
  int named_visits = 4;  // every this many visits names its visitor (0: none)
};

[[noreturn]] void Die(const std::string& message) { bench::Die("agent_swarm", message); }

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

struct SimAgent {
  std::string unit;
  anding::runtime::CurveKeyPair keys;
  std::unique_ptr<zmq::socket_t> socket;
  Clock::time_point next_due;                 // the next heartbeat
  std::optional<Clock::time_point> waiting;   // a heartbeat sent and not yet answered
  std::optional<Clock::time_point> answered;  // the last reply
  uint64_t sequence = 0;                      // of its last report
};

// What an agent files in the day phase.
enum class Filing { kDailyReport, kVisit, kWarning, kScreening };

struct Planned {
  Clock::time_point at;
  size_t agent;
  Filing filing;
};

// The dispatcher under test: its configuration, its process, its log.
class Dispatcher {
 public:
  Dispatcher(const Options& options, const std::vector<SimAgent>& agents)
      : options_(options), port_(bench::FreePort()) {
    std::filesystem::create_directories(options.dir + "/keys");
    auto keys = anding::runtime::GenerateCurveKeyPair();
    if (!keys.ok()) Die(keys.status().message());
    public_key_ = keys->public_key;
    (void)anding::runtime::WriteKeyFile(options.dir + "/keys/dispatcher.key", *keys, "swarm", true);
    std::ofstream enrolled(options.dir + "/keys/enrolled.txt");
    std::ofstream config(options.dir + "/dispatcher.yaml");
    config << "data_dir: data\nlink:\n  endpoint: \"tcp://127.0.0.1:" << port_
           << "\"\n  secret_key_file: keys/dispatcher.key\n"
              "  enrolled_keys_file: keys/enrolled.txt\n  heartbeat_interval: "
           << options.heartbeat_s << "s\n  offline_after: " << options.heartbeat_s * 6
           << "s\nops: {endpoint: \"tcp://127.0.0.1:*\"}\n"
              "feed: {publish_endpoint: \"tcp://127.0.0.1:*\", snapshot_endpoint: "
              "\"tcp://127.0.0.1:*\"}\n"
              "logging: {level: warn}\n"
              "regions:\n  - {id: hebi, name: 鹤壁, kind: home_city, province: henan}\nunits:\n";
    for (const SimAgent& agent : agents) {
      enrolled << "agent " << agent.unit << " " << agent.keys.public_key << "\n";
      config << "  - {id: " << agent.unit << ", name: " << agent.unit
             << ", kind: mine, region: hebi}\n";
    }
  }

  [[nodiscard]] const std::string& public_key() const { return public_key_; }
  [[nodiscard]] std::string endpoint() const { return StrCat("tcp://127.0.0.1:", port_); }
  [[nodiscard]] pid_t pid() const { return pid_; }

  // Starts it and waits until it has written its endpoints (listening).
  void Start() {
    const std::string endpoints = options_.dir + "/data/endpoints.yaml";
    std::filesystem::remove(endpoints);
    if (options_.target == "raw") {
      pid_ = bench::Spawn({std::filesystem::read_symlink("/proc/self/exe").string(), "--dir",
                           options_.dir, "--heartbeat", std::to_string(options_.heartbeat_s),
                           "--serve-raw", std::to_string(port_)},
                          options_.dir + "/dispatcher.log");
    } else {
      pid_ = bench::Spawn({options_.dispatcher, "--config", options_.dir + "/dispatcher.yaml"},
                          options_.dir + "/dispatcher.log");
    }
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (!std::filesystem::exists(endpoints)) {
      if (Clock::now() > deadline) Die("the dispatcher did not start (see dispatcher.log)");
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  void Stop() {
    if (pid_ > 0) bench::Stop(pid_);
    pid_ = -1;
  }

  // Lines of its log that say a key was refused.
  [[nodiscard]] int RefusedKeys() const {
    std::ifstream log(options_.dir + "/dispatcher.log");
    int refused = 0;
    for (std::string line; std::getline(log, line);) {
      if (line.find("refused key") != std::string::npos) ++refused;
    }
    return refused;
  }

 private:
  const Options& options_;
  int port_;
  std::string public_key_;
  pid_t pid_ = -1;
};

// CPU shares over a phase: the dispatcher's and this process's, each as a
// percentage of one core, and the machine's busy and stolen shares.
class PhaseCpu {
 public:
  explicit PhaseCpu(pid_t dispatcher)
      : dispatcher_(dispatcher),
        start_(Clock::now()),
        dispatcher_cpu_(bench::ProcessCpuSeconds(dispatcher)),
        own_cpu_(bench::ProcessCpuSeconds(getpid())),
        machine_(bench::ReadCpuTimes()) {}

  [[nodiscard]] std::string Line() const {
    const double wall = Seconds(Clock::now() - start_);
    const auto machine = bench::ReadCpuTimes();
    char text[256];
    std::snprintf(text, sizeof text,
                  "wall_s=%.1f dispatcher_cpu_pct_of_core=%.2f swarm_cpu_pct_of_core=%.2f "
                  "cpu_busy_pct=%.0f steal_pct=%.1f",
                  wall, 100 * (bench::ProcessCpuSeconds(dispatcher_) - dispatcher_cpu_) / wall,
                  100 * (bench::ProcessCpuSeconds(getpid()) - own_cpu_) / wall,
                  bench::Share(machine_, machine, machine.busy - machine_.busy),
                  bench::Share(machine_, machine, machine.steal - machine_.steal));
    return text;
  }

 private:
  pid_t dispatcher_;
  Clock::time_point start_;
  double dispatcher_cpu_;
  double own_cpu_;
  bench::CpuTimes machine_;
};

class Swarm {
 public:
  Swarm(const Options& options, std::vector<SimAgent>& agents)
      : options_(options),
        agents_(agents),
        context_(options.io_threads),
        interval_(std::chrono::seconds(options.heartbeat_s)),
        epoll_(epoll_create1(EPOLL_CLOEXEC)) {
    context_.set(zmq::ctxopt::max_sockets, options.agents + 64);
    if (epoll_ < 0) Die("epoll_create1 failed");
  }
  ~Swarm() { close(epoll_); }
  Swarm(const Swarm&) = delete;
  Swarm& operator=(const Swarm&) = delete;

  void Connect(const std::string& server_key, const std::string& endpoint) {
    const int ivl_ms = options_.heartbeat_s * 1000;
    for (size_t i = 0; i < agents_.size(); ++i) {
      SimAgent& agent = agents_[i];
      agent.socket = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::dealer);
      zmq::socket_t& s = *agent.socket;
      s.set(zmq::sockopt::linger, 0);
      s.set(zmq::sockopt::immediate, 1);
      s.set(zmq::sockopt::curve_serverkey, server_key);
      s.set(zmq::sockopt::curve_publickey, agent.keys.public_key);
      s.set(zmq::sockopt::curve_secretkey, agent.keys.secret_key);
      s.set(zmq::sockopt::sndhwm, 1000);
      s.set(zmq::sockopt::rcvhwm, 10000);
      s.set(zmq::sockopt::reconnect_ivl, 100);
      s.set(zmq::sockopt::reconnect_ivl_max, 5000);
      s.set(zmq::sockopt::heartbeat_ivl, ivl_ms);
      s.set(zmq::sockopt::heartbeat_timeout, ivl_ms * 3);
      s.connect(endpoint);
      // ZMQ_FD signals (edge-like) that the socket's events changed: each
      // socket is drained until empty after a signal, after each send, and
      // once a second in a sweep, so that no reply waits on a lost edge.
      epoll_event watch{};
      watch.events = EPOLLIN;
      watch.data.u64 = i;
      if (epoll_ctl(epoll_, EPOLL_CTL_ADD, s.get(zmq::sockopt::fd), &watch) != 0) {
        Die("epoll_ctl failed");
      }
      agent.next_due = Clock::now();  // hello at once
    }
  }

  // Runs the agents until `until`, or until `done()` holds. Heartbeats
  // leave within ~2 ms of their time; replies are timed within as much.
  template <typename Done>
  void Run(Clock::time_point until, Done done) {
    std::vector<epoll_event> ready(256);
    while (Clock::now() < until && !done()) {
      const int n = epoll_wait(epoll_, ready.data(), static_cast<int>(ready.size()), 2);
      auto now = Clock::now();
      for (int i = 0; i < n; ++i) Drain(agents_[ready[static_cast<size_t>(i)].data.u64], now);
      const bool sweep = now - last_sweep_ > std::chrono::seconds(1);
      if (sweep) last_sweep_ = now;
      for (SimAgent& agent : agents_) {
        if (sweep) Drain(agent, now);
        if (now >= agent.next_due) Beat(agent, now);
      }
      while (next_planned_ < plan_.size() && plan_[next_planned_].at <= now) {
        Planned& planned = plan_[next_planned_];
        if (File(agents_[planned.agent], planned.filing, now)) {
          ++next_planned_;
        } else {
          planned.at = now + std::chrono::milliseconds(100);  // not connected: again soon
          std::sort(plan_.begin() + static_cast<long>(next_planned_), plan_.end(),
                    [](const Planned& a, const Planned& b) { return a.at < b.at; });
          break;
        }
      }
    }
  }

  // Spreads the next heartbeats evenly over one interval from now.
  void Stagger() {
    const auto now = Clock::now();
    for (size_t i = 0; i < agents_.size(); ++i) {
      agents_[i].next_due =
          now + interval_ * static_cast<long>(i) / static_cast<long>(agents_.size());
    }
  }

  // Round trips and misses since the last call.
  std::vector<double> TakeRoundTrips() { return std::exchange(round_trips_, {}); }
  int64_t TakeMissed() { return std::exchange(missed_, 0); }

  // From now on Run also files what `plan` says, in its order (by `at`).
  void Plan(std::vector<Planned> plan) {
    plan_ = std::move(plan);
    next_planned_ = 0;
  }
  [[nodiscard]] bool PlanDone() const { return next_planned_ == plan_.size(); }
  // Reports filed, their acks' times (ms), nacks (the first one's detail),
  // and the reports not acknowledged yet.
  [[nodiscard]] int64_t filed() const { return filed_; }
  [[nodiscard]] const std::vector<double>& ack_ms() const { return ack_ms_; }
  [[nodiscard]] int64_t nacked() const { return nacked_; }
  [[nodiscard]] const std::string& first_nack() const { return first_nack_; }
  [[nodiscard]] size_t in_flight() const { return in_flight_.size(); }

 private:
  void Drain(SimAgent& agent, Clock::time_point now) {
    zmq::message_t message;
    while (agent.socket->recv(message, zmq::recv_flags::dontwait)) {
      auto frame = anding::wire::DecodeFrame(message.to_string_view());
      if (!frame.ok()) continue;
      for (const auto& envelope : frame->envelopes()) {
        if (envelope.has_ack() || envelope.has_nack()) {
          const std::string& id =
              envelope.has_ack() ? envelope.ack().message_id() : envelope.nack().message_id();
          auto sent = in_flight_.find(id);
          if (sent == in_flight_.end()) continue;  // a repeated answer
          if (envelope.has_ack()) {
            ack_ms_.push_back(Ms(now - sent->second));
          } else if (++nacked_ == 1) {
            first_nack_ = StrCat(v1::NackReason_Name(envelope.nack().reason()), ": ",
                                 envelope.nack().detail());
          }
          in_flight_.erase(sent);
          continue;
        }
        if (!envelope.has_heartbeat()) continue;
        if (agent.waiting) round_trips_.push_back(Ms(now - *agent.waiting));
        agent.waiting.reset();
        agent.answered = now;
      }
    }
  }

  void Beat(SimAgent& agent, Clock::time_point now) {
    if (agent.waiting) ++missed_;  // the last one went unanswered for an interval
    v1::Frame frame;
    auto* envelope = frame.add_envelopes();
    envelope->set_unit_id(agent.unit);
    envelope->set_schema_version(anding::wire::kSchemaVersion);
    envelope->mutable_heartbeat()->set_last_sequence(0);
    *envelope->mutable_heartbeat()->mutable_sent_at() = anding::wire::ToProto(clock_.Now());
    const std::string bytes = anding::wire::Encode(frame);
    if (agent.socket->send(zmq::buffer(bytes), zmq::send_flags::dontwait)) {
      if (!agent.waiting) agent.waiting = now;
      agent.next_due = now + interval_;
    } else {
      // Not connected (ZMQ_IMMEDIATE): the real agent probes again within 1 s.
      agent.next_due = now + std::min<Clock::duration>(interval_, std::chrono::seconds(1));
    }
    Drain(agent, now);
  }

  // Sends `agent`'s `filing` of today; false if it is not connected.
  bool File(SimAgent& agent, Filing filing, Clock::time_point now) {
    const anding::Time at = clock_.Now();
    const std::string today = anding::FormatDay(zone_.DayOf(at));
    v1::Frame frame;
    v1::Envelope& envelope = *frame.add_envelopes();
    envelope.set_message_id(ids_.Next());
    envelope.set_unit_id(agent.unit);
    envelope.set_sequence(agent.sequence + 1);
    *envelope.mutable_sent_at() = anding::wire::ToProto(at);
    envelope.set_schema_version(anding::wire::kSchemaVersion);
    switch (filing) {
      case Filing::kDailyReport: {
        auto* report = envelope.mutable_daily_report();
        report->set_day(today);
        report->set_zero_report(true);
        report->set_text("今日无新增风险");
        report->set_reported_by("信访员");
        break;
      }
      case Filing::kVisit: {
        auto* visit = envelope.mutable_visit_record();
        visit->set_day(today);
        visit->set_batches(1);
        visit->set_persons(1 + static_cast<uint32_t>(agent.sequence % 3));
        visit->set_category_id("labour-contract-compensation");
        visit->set_channel("walk-in");
        visit->set_note("来访反映养老金问题");
        visit->set_destination_level("company");
        visit->set_collective("no");
        if (options_.named_visits > 0 && visits_ % options_.named_visits == 0) {
          visit->set_representative(StrCat("来访人", visits_));
          visit->set_contact(StrCat("+86138", 10'000'000 + visits_));
        }
        ++visits_;
        break;
      }
      case Filing::kWarning: {
        auto* warning = envelope.mutable_early_warning();
        warning->set_summary("职工反映补偿金分歧，酝酿集体上访");
        warning->set_category_id("labour-contract-compensation");
        warning->set_persons(8);
        warning->set_level(v1::RISK_LEVEL_MEDIUM);
        *warning->mutable_observed_at() = anding::wire::ToProto(at);
        break;
      }
      case Filing::kScreening: {
        auto* screening = envelope.mutable_screening_report();
        const anding::CivilDay day = zone_.DayOf(at);
        screening->mutable_period()->set_kind(v1::PERIOD_KIND_MONTH);
        screening->mutable_period()->set_year(static_cast<uint32_t>(day.year()));
        screening->mutable_period()->set_index(static_cast<uint32_t>(day.month()));
        screening->set_zero_report(true);
        screening->set_screened_by("信访员");
        break;
      }
    }
    const std::string bytes = anding::wire::Encode(frame);
    if (!agent.socket->send(zmq::buffer(bytes), zmq::send_flags::dontwait)) return false;
    ++agent.sequence;
    ++filed_;
    in_flight_.emplace(envelope.message_id(), now);
    Drain(agent, now);
    return true;
  }

  const Options& options_;
  std::vector<SimAgent>& agents_;
  zmq::context_t context_;
  Clock::duration interval_;
  int epoll_;
  Clock::time_point last_sweep_;
  anding::SystemClock clock_;
  anding::UuidV7Generator ids_{clock_};
  anding::TimeZone zone_ = anding::TimeZone::Shanghai();
  std::vector<double> round_trips_;
  int64_t missed_ = 0;
  std::vector<Planned> plan_;
  size_t next_planned_ = 0;
  int64_t filed_ = 0;
  int64_t visits_ = 0;  // visit records made
  std::unordered_map<std::string, Clock::time_point> in_flight_;
  std::vector<double> ack_ms_;
  int64_t nacked_ = 0;
  std::string first_nack_;
};

// Until every agent has a reply at or after `since`, or `deadline`; the
// time it took from `since` and the agents still without one.
std::pair<double, int> Absorb(Swarm& swarm, std::vector<SimAgent>& agents, Clock::time_point since,
                              Clock::time_point deadline) {
  auto unanswered = [&] {
    return static_cast<int>(std::count_if(agents.begin(), agents.end(), [&](const SimAgent& a) {
      return !a.answered || *a.answered < since;
    }));
  };
  Clock::time_point last = since;
  swarm.Run(deadline, [&] { return unanswered() == 0; });
  for (const SimAgent& agent : agents) {
    if (agent.answered && *agent.answered >= since) last = std::max(last, *agent.answered);
  }
  return {Seconds(last - since), unanswered()};
}

// The floor: a bare ZeroMQ ROUTER with the link's socket options and CURVE
// (no ZAP: it admits any key) that decodes each frame and answers each
// heartbeat envelope with one and any other with an ack, storing nothing. It marks itself listening
// the way the dispatcher does (data/endpoints.yaml) and runs until SIGTERM.
volatile std::sig_atomic_t g_stop = 0;

int ServeRaw(const Options& options) {
  auto keys = anding::runtime::ReadKeyFile(options.dir + "/keys/dispatcher.key", true);
  if (!keys.ok()) Die(keys.status().message());
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  zmq::context_t context(1);
  context.set(zmq::ctxopt::max_sockets, 1024);
  zmq::socket_t socket(context, zmq::socket_type::router);
  socket.set(zmq::sockopt::linger, 0);
  socket.set(zmq::sockopt::curve_server, 1);
  socket.set(zmq::sockopt::curve_secretkey, keys->secret_key);
  socket.set(zmq::sockopt::router_mandatory, 1);
  socket.set(zmq::sockopt::sndhwm, 100000);
  socket.set(zmq::sockopt::rcvhwm, 100000);
  socket.set(zmq::sockopt::backlog, 4096);
  socket.set(zmq::sockopt::tcp_keepalive, 1);
  socket.set(zmq::sockopt::tcp_keepalive_idle, options.heartbeat_s * 3);
  socket.set(zmq::sockopt::tcp_keepalive_intvl, options.heartbeat_s);
  socket.set(zmq::sockopt::tcp_keepalive_cnt, 3);
  socket.bind(StrCat("tcp://127.0.0.1:", options.serve_raw_port));
  std::filesystem::create_directories(options.dir + "/data");
  std::ofstream(options.dir + "/data/endpoints.yaml") << "link: raw\n";
  zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
  while (!g_stop) {
    try {
      zmq::poll(&item, 1, std::chrono::milliseconds(200));
    } catch (const zmq::error_t&) {
      continue;  // EINTR
    }
    zmq::message_t identity, body;
    while (socket.recv(identity, zmq::recv_flags::dontwait)) {
      if (!socket.recv(body, zmq::recv_flags::dontwait)) break;
      auto frame = anding::wire::DecodeFrame(body.to_string_view());
      if (!frame.ok()) continue;
      v1::Frame reply;
      for (const auto& envelope : frame->envelopes()) {
        auto* answer = reply.add_envelopes();
        answer->set_unit_id(envelope.unit_id());
        if (envelope.has_heartbeat()) {
          *answer->mutable_heartbeat()->mutable_sent_at() = envelope.heartbeat().sent_at();
        } else {  // acknowledged at once, stored nowhere
          answer->mutable_ack()->set_message_id(envelope.message_id());
          answer->mutable_ack()->set_sequence(envelope.sequence());
        }
      }
      if (reply.envelopes_size() == 0) continue;
      const std::string bytes = anding::wire::Encode(reply);
      try {
        socket.send(identity, zmq::send_flags::sndmore | zmq::send_flags::dontwait);
        socket.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
      } catch (const zmq::error_t&) {
        // The peer went away (router_mandatory): nothing to answer.
      }
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app("thousands of agents on one dispatcher: connect, idle, restart", "agent_swarm");
  app.add_option("--target", options.target, "anding (the dispatcher) or raw (the floor)")
      ->check(CLI::IsMember({"anding", "raw"}));
  app.add_option("--dispatcher", options.dispatcher, "the anding-dispatcher binary");
  app.add_option("--dir", options.dir, "working directory")->required();
  app.add_option("--serve-raw", options.serve_raw_port, "internal: the raw server's port")
      ->group("");
  app.add_option("--agents", options.agents, "simulated agents")->check(CLI::Range(1, 60000));
  app.add_option("--idle", options.idle_s, "seconds of each idle phase")
      ->check(CLI::Range(1, 3600));
  app.add_option("--heartbeat", options.heartbeat_s, "heartbeat interval, s")
      ->check(CLI::Range(1, 300));
  app.add_option("--io-threads", options.io_threads, "ZeroMQ I/O threads of the swarm")
      ->check(CLI::Range(1, 16));
  app.add_option("--deadline", options.deadline_s, "seconds a storm may take")
      ->check(CLI::Range(1, 600));
  app.add_option("--day", options.day_s, "seconds of the compressed day of reports (0: none)")
      ->check(CLI::Range(0, 86400));
  app.add_option("--visits", options.visits, "visit records an agent files in the day")
      ->check(CLI::Range(0, 100));
  app.add_option("--named-visits", options.named_visits,
                 "every this many visits names its visitor (0: none)")
      ->check(CLI::Range(0, 1000));
  CLI11_PARSE(app, argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // a line per phase, as it ends
  if (options.serve_raw_port > 0) return ServeRaw(options);
  if (options.target == "anding" && options.dispatcher.empty()) Die("--dispatcher is required");

  // Two descriptors per agent here (its socket, its mailbox), one per agent
  // in the dispatcher: raise the soft limit to the hard one.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
    if (files.rlim_cur < static_cast<rlim_t>(options.agents) * 2 + 256) {
      Die(StrCat("open files limited to ", files.rlim_cur, "; ", options.agents,
                 " agents need about ", options.agents * 2 + 256, " (ulimit -n)"));
    }
  }
  std::filesystem::remove_all(options.dir);
  std::filesystem::create_directories(options.dir);

  std::vector<SimAgent> agents(static_cast<size_t>(options.agents));
  for (size_t i = 0; i < agents.size(); ++i) {
    agents[i].unit = StrCat("mine-", i + 1);
    auto keys = anding::runtime::GenerateCurveKeyPair();
    if (!keys.ok()) Die(keys.status().message());
    agents[i].keys = *keys;
  }
  Dispatcher dispatcher(options, agents);
  dispatcher.Start();
  std::printf(
      "# target=%s dispatcher=%s agents=%d heartbeat_s=%d idle_s=%d io_threads=%d nproc=%u\n",
      options.target.c_str(), options.target == "raw" ? "-" : options.dispatcher.c_str(),
      options.agents, options.heartbeat_s, options.idle_s, options.io_threads,
      std::thread::hardware_concurrency());

  {
    PhaseCpu cpu(dispatcher.pid());
    std::this_thread::sleep_for(std::chrono::seconds(options.idle_s));
    std::printf("phase=floor agents=0 %s dispatcher_rss_kib=%ld\n", cpu.Line().c_str(),
                bench::ResidentKib(dispatcher.pid()));
  }
  const long floor_rss = bench::ResidentKib(dispatcher.pid());
  // The disk's floor under an ack: synced 4 KiB writes in the data directory.
  const std::vector<double> fsync_ms =
      bench::FsyncProbe(options.dir + "/data", 200, std::chrono::milliseconds(5));
  const auto deadline = std::chrono::seconds(options.deadline_s);

  Swarm swarm(options, agents);
  {
    PhaseCpu cpu(dispatcher.pid());
    const auto since = Clock::now();
    swarm.Connect(dispatcher.public_key(), dispatcher.endpoint());
    const auto [absorbed, unanswered] = Absorb(swarm, agents, since, since + deadline);
    const auto trips = swarm.TakeRoundTrips();
    swarm.TakeMissed();
    std::printf(
        "phase=connect agents=%d absorbed_s=%.2f unanswered=%d reply_p50_ms=%.1f "
        "reply_p99_ms=%.1f %s dispatcher_rss_kib=%ld\n",
        options.agents, absorbed, unanswered, bench::Percentile(trips, 50),
        bench::Percentile(trips, 99), cpu.Line().c_str(), bench::ResidentKib(dispatcher.pid()));
  }
  {
    swarm.Stagger();
    // One interval to settle into the staggered rhythm, then measure.
    swarm.Run(Clock::now() + std::chrono::seconds(options.heartbeat_s), [] { return false; });
    swarm.TakeRoundTrips();
    swarm.TakeMissed();
    PhaseCpu cpu(dispatcher.pid());
    swarm.Run(Clock::now() + std::chrono::seconds(options.idle_s), [] { return false; });
    const auto trips = swarm.TakeRoundTrips();
    const long rss = bench::ResidentKib(dispatcher.pid());
    std::printf(
        "phase=idle agents=%d heartbeats=%zu missed=%lld rtt_p50_ms=%.2f rtt_p99_ms=%.2f "
        "rtt_max_ms=%.1f %s dispatcher_rss_kib=%ld kib_per_agent_over_floor=%.1f\n",
        options.agents, trips.size(), static_cast<long long>(swarm.TakeMissed()),
        bench::Percentile(trips, 50), bench::Percentile(trips, 99), bench::Percentile(trips, 100),
        cpu.Line().c_str(), rss, static_cast<double>(rss - floor_rss) / options.agents);
  }
  if (options.day_s > 0) {
    // The day's filings at random instants of day_s seconds from now.
    std::mt19937 random(19);
    std::uniform_int_distribution<int64_t> offset(0, int64_t{options.day_s} * 1'000'000 - 1);
    const auto start = Clock::now();
    std::vector<Planned> plan;
    auto add = [&](size_t agent, Filing filing) {
      plan.push_back(Planned{start + std::chrono::microseconds(offset(random)), agent, filing});
    };
    for (size_t i = 0; i < agents.size(); ++i) {
      add(i, Filing::kDailyReport);
      for (int v = 0; v < options.visits; ++v) add(i, Filing::kVisit);
      if (i % 10 == 0) add(i, Filing::kWarning);
      if (i % 7 == 0) add(i, Filing::kScreening);
    }
    std::sort(plan.begin(), plan.end(),
              [](const Planned& a, const Planned& b) { return a.at < b.at; });
    const size_t planned = plan.size();
    swarm.TakeRoundTrips();
    swarm.TakeMissed();
    PhaseCpu cpu(dispatcher.pid());
    swarm.Plan(std::move(plan));
    swarm.Run(start + std::chrono::seconds(options.day_s) + deadline,
              [&] { return swarm.PlanDone() && swarm.in_flight() == 0; });
    const auto trips = swarm.TakeRoundTrips();
    const auto& acks = swarm.ack_ms();
    std::printf(
        "phase=day agents=%d day_s=%d planned=%zu filed=%lld acked=%zu nacked=%lld "
        "unacked=%zu ack_p50_ms=%.1f ack_p99_ms=%.1f ack_max_ms=%.1f fsync_p50_ms=%.2f "
        "fsync_p99_ms=%.2f rtt_p50_ms=%.2f rtt_p99_ms=%.2f missed=%lld %s dispatcher_rss_kib=%ld\n",
        options.agents, options.day_s, planned, static_cast<long long>(swarm.filed()), acks.size(),
        static_cast<long long>(swarm.nacked()), swarm.in_flight(), bench::Percentile(acks, 50),
        bench::Percentile(acks, 99), bench::Percentile(acks, 100), bench::Percentile(fsync_ms, 50),
        bench::Percentile(fsync_ms, 99), bench::Percentile(trips, 50), bench::Percentile(trips, 99),
        static_cast<long long>(swarm.TakeMissed()), cpu.Line().c_str(),
        bench::ResidentKib(dispatcher.pid()));
    if (swarm.nacked() > 0) std::printf("# first nack: %s\n", swarm.first_nack().c_str());
  }
  {
    const auto stopped_in = Ms(bench::Stop(dispatcher.pid()));
    for (SimAgent& agent : agents) agent.waiting.reset();
    // The agents keep trying while it is down (as long as a restart takes).
    swarm.Run(Clock::now() + std::chrono::seconds(2), [] { return false; });
    const auto since = Clock::now();
    dispatcher.Start();
    const double listening = Seconds(Clock::now() - since);
    PhaseCpu cpu(dispatcher.pid());
    const auto [absorbed, unanswered] = Absorb(swarm, agents, since, since + deadline);
    swarm.TakeRoundTrips();
    std::printf(
        "phase=restart agents=%d stop_ms=%.0f listening_s=%.2f absorbed_s=%.2f unanswered=%d "
        "refused_keys=%d %s dispatcher_rss_kib=%ld\n",
        options.agents, stopped_in, listening, absorbed, unanswered, dispatcher.RefusedKeys(),
        cpu.Line().c_str(), bench::ResidentKib(dispatcher.pid()));
  }
  for (SimAgent& agent : agents) agent.socket.reset();
  dispatcher.Stop();
  std::fflush(stdout);
  return 0;
}

#include "support/cluster.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "anding/common/config.h"
#include "anding/runtime/clock_options.h"
#include "anding/runtime/curve_keys.h"
#include "anding/runtime/simulated_clock.h"
#include "anding/storage/database.h"

#ifndef ANDING_DISPATCHER_BIN
#error "ANDING_DISPATCHER_BIN must be defined by the build"
#endif

namespace anding::testing {
namespace {

std::pair<std::string, std::string> NewKeys(const std::string& path, const std::string& comment) {
  auto pair = runtime::GenerateCurveKeyPair();
  EXPECT_TRUE(pair.ok());
  EXPECT_TRUE(runtime::WriteKeyFile(path, *pair, comment, true).ok());
  return {pair->public_key, pair->secret_key};
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

constexpr const char* kOrganisation = R"(
regions:
  - {id: hebi, name: 鹤壁, kind: home_city, province: henan, location: {lat: 35.747, lon: 114.297}}
  - {id: zhengzhou, name: 郑州, kind: provincial_capital, province: henan,
     location: {lat: 34.747, lon: 113.625}}
  - {id: anyang, name: 安阳, kind: other, province: henan, location: {lat: 36.098, lon: 114.393}}
  - {id: beijing, name: 北京, kind: national_capital, province: beijing,
     location: {lat: 39.904, lon: 116.407}}
units:
  - {id: hq, name: 公司信访办, kind: company, region: hebi, location: {lat: 35.748, lon: 114.297},
     leaders: [{name: 王主任, phone: "+8613800000001"}]}
  - {id: mine-3, name: 三矿, kind: mine, region: hebi, location: {lat: 35.79, lon: 114.21},
     leaders: [{name: 李矿长, phone: "+8613800000031"}]}
  - {id: mine-6, name: 六矿, kind: mine, region: hebi, location: {lat: 35.83, lon: 114.18},
     leaders: [{name: 陈矿长, phone: "+8613800000061"}]}
  - {id: mine-9, name: 九矿, kind: mine, region: hebi, location: {lat: 35.70, lon: 114.25},
     leaders: [{name: 周矿长, phone: "+8613800000091"}]}
  - {id: zz-office, name: 郑州办事处, kind: department, region: zhengzhou,
     location: {lat: 34.757, lon: 113.665}, leaders: [{name: 孙主任, phone: "+8613800000071"}]}
  - {id: anyang-plant, name: 安阳厂, kind: factory, region: anyang,
     location: {lat: 36.1, lon: 114.35}, leaders: [{name: 吴厂长, phone: "+8613800000081"}]}
)";

}  // namespace

Cluster::Cluster(const std::string& name, ClusterOptions options)
    : options_(std::move(options)), dir_(std::make_unique<TempDir>(name)) {
  if (options_.http_listen) http_address_ = *options_.http_listen;
  if (options_.simulated_start) {
    auto clock =
        std::make_unique<runtime::SimulatedClock>(*options_.simulated_start, options_.clock_rate);
    clock_args_ = runtime::ClockOptionsFor(*clock);
    clock_ = std::move(clock);
  } else {
    clock_ = std::make_unique<SystemClock>();
  }
  std::filesystem::create_directories(dir() + "/keys");
  dispatcher_public_key_ = NewKeys(dir() + "/keys/dispatcher.key", "dispatcher").first;
  WriteText(dir() + "/keys/dispatcher.pub", "public_key: \"" + dispatcher_public_key_ + "\"\n");
  operator_keys_ = NewKeys(dir() + "/keys/operator.key", "operator");
  for (const auto& unit : options_.agent_units) {
    agent_keys_[unit] = NewKeys(dir() + "/keys/" + unit + ".key", unit);
  }
  WriteEnrolment();
  WriteDispatcherConfig("tcp://127.0.0.1:*", "tcp://127.0.0.1:*", "tcp://127.0.0.1:*",
                        "tcp://127.0.0.1:*");
  WriteText(OperatorConfig(),
            "dispatcher:\n  endpoints_file: data/dispatcher/endpoints.yaml\n"
            "secret_key_file: keys/operator.key\n");
}

Cluster::~Cluster() {
  for (auto& [unit, agent] : agents_) {
    if (agent) agent->Stop(std::chrono::seconds(5));
  }
  if (dispatcher_) dispatcher_->Stop(std::chrono::seconds(10));
}

void Cluster::WriteEnrolment() {
  std::ostringstream text;
  for (const auto& [unit, keys] : agent_keys_) {
    if (std::find(revoked_.begin(), revoked_.end(), unit) != revoked_.end()) continue;
    text << "agent " << unit << " " << keys.first << "\n";
  }
  text << "operator test " << operator_keys_.first << " commander\n";
  // Write-then-rename so the dispatcher never reads half a file.
  WriteText(dir() + "/keys/enrolled.txt.tmp", text.str());
  std::filesystem::rename(dir() + "/keys/enrolled.txt.tmp", dir() + "/keys/enrolled.txt");
}

void Cluster::Revoke(const std::string& unit) {
  revoked_.push_back(unit);
  WriteEnrolment();
}

std::string Cluster::Scaled(Duration real) const {
  const double rate = options_.simulated_start ? options_.clock_rate : 1.0;
  return FormatDuration(
      Duration(static_cast<Duration::rep>(static_cast<double>(real.count()) * rate)));
}

std::vector<std::string> Cluster::WithClock(std::vector<std::string> args) const {
  args.insert(args.begin(), clock_args_.begin(), clock_args_.end());
  return args;
}

std::vector<std::string> Cluster::WithAgentClock(const std::string& unit,
                                                 std::vector<std::string> args) const {
  auto behind = options_.agent_clock_behind.find(unit);
  const auto* shared = dynamic_cast<const runtime::SimulatedClock*>(clock_.get());
  if (behind == options_.agent_clock_behind.end() || shared == nullptr) {
    return WithClock(std::move(args));
  }
  // The same anchor and rate, a start that is off: a clock that runs at
  // the right speed and shows the wrong time.
  const runtime::SimulatedClock wrong(shared->start() - behind->second, shared->rate(),
                                      shared->anchor());
  const std::vector<std::string> clock_args = runtime::ClockOptionsFor(wrong);
  args.insert(args.begin(), clock_args.begin(), clock_args.end());
  return args;
}

void Cluster::WriteDispatcherConfig(const std::string& link, const std::string& ops,
                                    const std::string& feed, const std::string& snapshot) {
  std::ostringstream yaml;
  yaml << "data_dir: data/dispatcher\n"
       << "link:\n  endpoint: \"" << link << "\"\n"
       << "  secret_key_file: keys/dispatcher.key\n"
       << "  enrolled_keys_file: keys/enrolled.txt\n"
       << "  heartbeat_interval: "
       << (options_.heartbeat_interval ? FormatDuration(*options_.heartbeat_interval)
                                       : Scaled(std::chrono::milliseconds(500)))
       << "\n"
       << "  offline_after: "
       << (options_.offline_after ? FormatDuration(*options_.offline_after)
                                  : Scaled(std::chrono::seconds(3)))
       << "\n"
       << "  order_retry: " << Scaled(std::chrono::seconds(1)) << "\n"
       << "  enrolment_poll: " << Scaled(std::chrono::milliseconds(100)) << "\n"
       << options_.extra_link_yaml << "ops: {endpoint: \"" << ops << "\"}\n"
       << "feed: {publish_endpoint: \"" << feed << "\", snapshot_endpoint: \"" << snapshot
       << "\"}\n"
       << "http: {listen: \"" << http_address_ << "\""
       << (options_.http_static_dir.empty() ? ""
                                            : ", static_dir: \"" + options_.http_static_dir + "\"")
       << options_.extra_http_yaml << "}\n"
       << "logging: {level: debug}\n"
       << kOrganisation << options_.extra_dispatcher_yaml << "\n";
  WriteText(DispatcherConfig(), yaml.str());
}

void Cluster::StartDispatcher() {
  ASSERT_FALSE(dispatcher_ && dispatcher_->running()) << "dispatcher already running";
  std::filesystem::remove(dir() + "/data/dispatcher/endpoints.yaml");
  dispatcher_ = std::make_unique<Process>(
      ANDING_DISPATCHER_BIN, WithClock({"--config", DispatcherConfig()}), dir() + "/dispatcher");
  const std::string endpoints = dir() + "/data/dispatcher/endpoints.yaml";
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(endpoints) || !dispatcher_->running(); },
                      std::chrono::seconds(30)))
      << "dispatcher did not start";
  ASSERT_TRUE(dispatcher_->running()) << "dispatcher exited:\n" << dispatcher_->Stderr();
  if (dispatcher_starts_++ == 0) {
    auto doc = ConfigDocument::LoadFile(endpoints);
    ASSERT_TRUE(doc.ok());
    ConfigNode root = doc->root();
    link_endpoint_ = root.Get<std::string>("link");
    const std::string ops = root.Get<std::string>("ops");
    const std::string feed = root.Get<std::string>("feed");
    const std::string snapshot = root.Get<std::string>("snapshot");
    http_address_ = root.Get<std::string>("http");
    // Later starts bind the same ports.
    WriteDispatcherConfig(link_endpoint_, ops, feed, snapshot);
    for (const auto& unit : options_.agent_units) {
      std::ostringstream yaml;
      yaml << "unit_id: " << unit << "\n"
           << "data_dir: data/agent-" << unit << "\n"
           << "secret_key_file: keys/" << unit << ".key\n"
           << "dispatcher:\n  endpoint: \"" << link_endpoint_ << "\"\n"
           << "  public_key_file: keys/dispatcher.pub\n"
           << "heartbeat_interval: "
           << (options_.heartbeat_interval ? FormatDuration(*options_.heartbeat_interval)
                                           : Scaled(std::chrono::milliseconds(500)))
           << "\n"
           << "retry: {initial: " << Scaled(std::chrono::milliseconds(300))
           << ", max: " << Scaled(std::chrono::seconds(2)) << "}\n"
           << "logging: {level: debug}\n";
      WriteText(AgentConfig(unit), yaml.str());
    }
  }
}

void Cluster::KillDispatcher() {
  ASSERT_TRUE(dispatcher_);
  dispatcher_->Kill();
  dispatcher_->Wait(std::chrono::seconds(10));
}

int Cluster::StopDispatcher() { return dispatcher_ ? dispatcher_->Stop() : -1; }

bool Cluster::DispatcherRunning() { return dispatcher_ && dispatcher_->running(); }

std::string Cluster::AgentConfig(const std::string& unit) const {
  return dir() + "/agent-" + unit + ".yaml";
}

std::string Cluster::AgentDatabase(const std::string& unit) const {
  return dir() + "/data/agent-" + unit + "/agent.db";
}

std::string Cluster::AgentPublicKey(const std::string& unit) const {
  return agent_keys_.at(unit).first;
}

std::string Cluster::AgentSecretKey(const std::string& unit) const {
  return agent_keys_.at(unit).second;
}

void Cluster::StartAgent(const std::string& unit) {
  auto& agent = agents_[unit];
  ASSERT_FALSE(agent && agent->running()) << "agent already running";
  std::filesystem::remove(dir() + "/data/agent-" + unit + "/agent.sock");
  agent = std::make_unique<Process>(ANDING_AGENT_BIN,
                                    WithAgentClock(unit, {"--config", AgentConfig(unit), "run"}),
                                    dir() + "/agent-" + unit);
  const std::string socket = dir() + "/data/agent-" + unit + "/agent.sock";
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(socket) || !agent->running(); },
                      std::chrono::seconds(30)));
  ASSERT_TRUE(agent->running()) << "agent exited:\n" << agent->Stderr();
}

void Cluster::KillAgent(const std::string& unit) {
  agents_.at(unit)->Kill();
  agents_.at(unit)->Wait(std::chrono::seconds(10));
}

int Cluster::StopAgent(const std::string& unit) { return agents_.at(unit)->Stop(); }

CommandResult Cluster::Agent(const std::string& unit, const std::vector<std::string>& args) {
  std::vector<std::string> full = WithAgentClock(unit, {"--config", AgentConfig(unit)});
  full.insert(full.end(), args.begin(), args.end());
  return RunCommand(ANDING_AGENT_BIN, full);
}

CommandResult Cluster::Operator(const std::vector<std::string>& args) {
  std::vector<std::string> full = WithClock({"--config", OperatorConfig()});
  full.insert(full.end(), args.begin(), args.end());
  return RunCommand(ANDING_CLI_BIN, full);
}

int64_t Cluster::QueryInt(const std::string& database, const std::string& sql) {
  storage::OpenOptions options;
  options.read_only = true;
  auto db = storage::Database::Open(database, options);
  if (!db.ok()) return -1;
  auto stmt = (*db)->Prepare(sql);
  if (!stmt.ok()) return -1;
  auto row = stmt->Step();
  if (!row.ok() || !*row) return -1;
  return stmt->Int64(0);
}

}  // namespace anding::testing

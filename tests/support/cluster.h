// A real Anding installation in a temporary directory, for integration
// tests: keys, enrolment, configuration, and the daemons as child
// processes on 127.0.0.1 with ephemeral ports.
//
// The dispatcher first binds "tcp://127.0.0.1:*"; the ports it got are then
// written into its configuration so that a restart (after kill -9, say)
// binds the same ports and the agents find it again.
//
// Every process the cluster starts — the daemons and each command — runs on
// the cluster's clock: the system clock, or one simulated clock they all
// share (anding/runtime/simulated_clock.h), so that a test can start at
// 23:59:59 on the last day of a quarter and let an hour pass in a second.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "anding/common/clock.h"
#include "support/process.h"

namespace anding::testing {

struct ClusterOptions {
  // Units that get an agent (key, enrolment, configuration).
  std::vector<std::string> agent_units = {"mine-3", "zz-office"};
  // Appended to the dispatcher's YAML (domain sections: dispatch, funds, ...).
  std::string extra_dispatcher_yaml;
  // Appended to the dispatcher's `link:` section (lines indented by two).
  std::string extra_link_yaml;
  // Appended inside the dispatcher's `http: {listen: ...}` section, e.g.
  // ", max_body_bytes: 65536".
  std::string extra_http_yaml;
  // The HTTP listener's static_dir (the dashboard); empty: none.
  std::string http_static_dir;
  // Unset: the system clock. Set: a simulated clock that reads this when
  // the Cluster is constructed and runs `clock_rate` times as fast as real
  // time, for every process; a restarted daemon continues it.
  std::optional<Time> simulated_start;
  double clock_rate = 1;
  // The link's timing, in the daemons' (simulated) time. Unset: offline
  // after 3 s, heartbeats every 500 ms — times clock_rate, so that the link
  // behaves as it does on the real clock (as do the order retry, the
  // agents' retransmission and the enrolment poll, which always scale).
  std::optional<Duration> offline_after;
  std::optional<Duration> heartbeat_interval;
  // Units whose agent (daemon and command line) runs this far BEHIND the
  // cluster's clock (negative: ahead): a mine office's wrong clock. Needs
  // simulated_start.
  std::map<std::string, Duration> agent_clock_behind;
  // The HTTP listener's address; unset: a free port chosen at the first
  // start. Set it when something outside must know it beforehand (an SMS
  // gateway's callback URLs).
  std::optional<std::string> http_listen;
};

class Cluster {
 public:
  explicit Cluster(const std::string& name, ClusterOptions options = {});
  ~Cluster();

  [[nodiscard]] const std::string& dir() const { return dir_->path(); }
  // The clock every process of the cluster runs on (also for the test's
  // own reckoning: "now" as the daemons see it).
  [[nodiscard]] const Clock& clock() const { return *clock_; }

  // Starts the dispatcher and waits (deadline) until it serves.
  void StartDispatcher();
  void KillDispatcher();  // SIGKILL
  int StopDispatcher();   // SIGTERM; returns the exit status
  [[nodiscard]] bool DispatcherRunning();
  [[nodiscard]] Process* dispatcher() { return dispatcher_.get(); }

  void StartAgent(const std::string& unit);
  void KillAgent(const std::string& unit);
  int StopAgent(const std::string& unit);

  // `anding-agent --config <unit's config> args...`
  CommandResult Agent(const std::string& unit, const std::vector<std::string>& args);
  // `anding --config operator.yaml args...`
  CommandResult Operator(const std::vector<std::string>& args);

  [[nodiscard]] std::string AgentConfig(const std::string& unit) const;
  [[nodiscard]] std::string OperatorConfig() const { return dir() + "/operator.yaml"; }
  [[nodiscard]] std::string DispatcherConfig() const { return dir() + "/dispatcher.yaml"; }
  [[nodiscard]] std::string DispatcherDatabase() const {
    return dir() + "/data/dispatcher/anding.db";
  }
  [[nodiscard]] std::string AgentDatabase(const std::string& unit) const;
  [[nodiscard]] std::string LinkEndpoint() const { return link_endpoint_; }
  // "127.0.0.1:port": the dispatcher's HTTP listener (after StartDispatcher).
  [[nodiscard]] std::string HttpAddress() const { return http_address_; }
  [[nodiscard]] std::string DispatcherPublicKey() const { return dispatcher_public_key_; }

  // Public / secret key of a unit's agent.
  [[nodiscard]] std::string AgentPublicKey(const std::string& unit) const;
  [[nodiscard]] std::string AgentSecretKey(const std::string& unit) const;

  // Rewrites the enrolment without `unit` (the dispatcher notices within
  // its poll interval) / with it again.
  void Revoke(const std::string& unit);
  void WriteEnrolment();

  // Runs one SQL query returning a single integer against a database file.
  static int64_t QueryInt(const std::string& database, const std::string& sql);

 private:
  void WriteDispatcherConfig(const std::string& link, const std::string& ops,
                             const std::string& feed, const std::string& snapshot);
  // A duration that suits real time, in the cluster's clock's time.
  [[nodiscard]] std::string Scaled(Duration real) const;
  // `args` preceded by the clock options of the cluster's clock.
  [[nodiscard]] std::vector<std::string> WithClock(std::vector<std::string> args) const;
  // The same for `unit`'s agent, whose clock may be set wrong.
  [[nodiscard]] std::vector<std::string> WithAgentClock(const std::string& unit,
                                                        std::vector<std::string> args) const;

  ClusterOptions options_;
  std::unique_ptr<Clock> clock_;
  std::vector<std::string> clock_args_;
  std::unique_ptr<TempDir> dir_;
  std::string dispatcher_public_key_;
  std::map<std::string, std::pair<std::string, std::string>> agent_keys_;
  std::pair<std::string, std::string> operator_keys_;
  std::vector<std::string> revoked_;
  std::string link_endpoint_;
  std::string http_address_ = "127.0.0.1:0";
  std::unique_ptr<Process> dispatcher_;
  int dispatcher_starts_ = 0;
  std::map<std::string, std::unique_ptr<Process>> agents_;
};

}  // namespace anding::testing

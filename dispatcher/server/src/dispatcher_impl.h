// The dispatcher's wiring: which part talks to which. Private to the
// dispatcher target; the public face is anding/dispatcher/dispatcher.h.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <filesystem>
#include <memory>
#include <set>
#include <zmq.hpp>

#include "agent_clocks.h"
#include "agent_registry.h"
#include "anding/dispatcher/dispatcher.h"
#include "anding/dispatcher/enrolment.h"
#include "anding/runtime/asio_scheduler.h"
#include "anding/runtime/curve_keys.h"
#include "anding/runtime/files.h"
#include "anding/storage/commit_queue.h"
#include "anding/storage/database.h"
#include "anding/storage/query_runner.h"
#include "committer.h"
#include "feed.h"
#include "http/http_face.h"
#include "http_server.h"
#include "intake.h"
#include "link_server.h"
#include "module_host.h"
#include "ops_server.h"
#include "order_outbox.h"
#include "spdlog/logger.h"
#include "storage_failure_alerts.h"
#include "zap_handler.h"

namespace anding::dispatcher {

inline const std::string kVersion = "0.1.0";

// The file name of the backup taken before `pending` runs at `now`:
// "pre-upgrade-20261204T101500Z-ledger2to3.db".
[[nodiscard]] std::string PreUpgradeBackupName(
    const std::vector<storage::PendingMigration>& pending, Time now);

class DispatcherImpl final : public Dispatcher {
 public:
  DispatcherImpl(boost::asio::io_context& io, Options options, runtime::DirectoryLock lock,
                 runtime::CurveKeyPair keys, Enrolment enrolment);
  ~DispatcherImpl() override;

  Status Start() override;
  void Stop(std::function<void()> done) override;
  void ReloadEnrolment() override;

 private:
  // Brings every domain's schema to this build's, in one transaction,
  // after a backup of the database as it was if it already held data.
  Status Upgrade();
  Status LoadState();
  // After a failed commit: reloads the state from the store (retrying
  // until it can), then commits again.
  void Recover(const Status& failure);
  void Reload();
  void ScheduleLiveness(Time at);
  void ScheduleOrderRetry(Time at);
  void PollEnrolment();
  void FinishStopWhenDrained();
  void WaitForSighup();
  // SIGHUP: reads the configuration file again and checks it as a start
  // would. The running configuration stays (the modules' state is built
  // on it); a change is logged as waiting for a restart, an invalid file as
  // an error and an HQ alert, so that a bad edit is found before the
  // restart that would fail on it.
  void CheckConfigurationFile();
  // Logs `problems` and raises one alert for them, unless the same ones
  // were reported last time.
  void ReportEnrolmentProblems(const std::vector<std::string>& problems);
  Status WriteEndpointsFile();
  std::optional<Principal> FindKey(std::string_view public_key) const;

  void OnControl(const std::string& unit_id, const v1::Envelope& envelope);

  boost::asio::io_context& io_;
  Options options_;
  const DispatcherConfig& config_;
  runtime::DirectoryLock data_lock_;
  runtime::CurveKeyPair keys_;
  Enrolment enrolment_;
  std::filesystem::file_time_type enrolment_mtime_{};
  std::vector<std::string> reported_enrolment_problems_;
  std::shared_ptr<spdlog::logger> log_;
  runtime::AsioScheduler scheduler_;
  Time started_at_{};

  zmq::context_t zmq_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<storage::CommitQueue> commits_;
  std::unique_ptr<storage::QueryRunner> queries_;
  std::unique_ptr<Committer> committer_;
  std::unique_ptr<ZapHandler> zap_;
  std::unique_ptr<Feed> feed_;
  std::unique_ptr<LinkServer> link_;
  std::unique_ptr<OpsServer> ops_;
  std::unique_ptr<HttpServer> http_;
  std::unique_ptr<Intake> intake_;
  std::unique_ptr<AgentRegistry> agents_;
  std::unique_ptr<AgentClocks> clocks_;
  std::unique_ptr<OrderOutbox> orders_;
  std::unique_ptr<ModuleHost> modules_;
  std::unique_ptr<StorageFailureAlerts> storage_alerts_;
  std::unique_ptr<HttpFace> http_face_;
  // The store is loaded (for /readyz).
  bool loaded_ = false;

  TimerId liveness_timer_ = 0;
  Time last_feed_heartbeat_{};
  TimerId retry_timer_ = 0;
  TimerId enrolment_timer_ = 0;
  boost::asio::signal_set sighup_;
  // The configuration file's text as read at start, and the last text a
  // SIGHUP reported on (each version is reported once).
  std::string config_text_at_start_;
  std::string config_text_reported_;
  bool stopping_ = false;
  std::function<void()> stop_done_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace anding::dispatcher

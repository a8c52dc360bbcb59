// The domain inside the dispatcher: the core's Mission plus what it takes
// to run it in the shell. Agent envelopes and operator requests become core
// commands; the Effects they produce become, in the same committed batch as
// the cause, the changed records (copied here, written on the commit
// thread), stored alerts and notification requests, orders for units, an
// audit row for operator actions, and feed items published after the
// commit. The core's timers run from one Asio timer armed at NextWakeup().
//
// Each module has its own adapter file (ledger_adapter.cc, ...) for its
// payloads, operator requests and persistence.
// Thread-safety: io_context thread only.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <memory>
#include <optional>
#include <string>

#include "anding/common/clock.h"
#include "anding/core/mission.h"
#include "anding/dispatcher/enrolment.h"
#include "anding/storage/database.h"
#include "anding/v1/operator.pb.h"
#include "committer.h"
#include "feed.h"
#include "intake.h"
#include "ops_server.h"
#include "order_outbox.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

class DomainService {
 public:
  DomainService(Scheduler& scheduler, const core::Organisation& org, core::MissionConfig config,
                Committer& committer, Feed& feed, OrderOutbox& orders);

  // Migrates the domain tables (call once, before Load).
  [[nodiscard]] static Status Migrate(storage::Database& db);
  // (Re)builds the mission from the store. Also used after a failed commit.
  [[nodiscard]] Status Load(storage::Database& db);

  // Intake's Applier: a durable envelope from `unit_id`'s agent.
  [[nodiscard]] Result<Applied> Apply(const std::string& unit_id, const v1::Envelope& envelope,
                                      Time now);

  // Handles a domain operator request; false if `request` is not one.
  bool HandleOperator(const Principal& who, const v1::OperatorRequest& request,
                      OpsServer::Reply& reply);

  // Arms the core's timers; Stop() disarms them.
  void Start();
  void Stop();

  [[nodiscard]] core::Mission& mission() { return *mission_; }

  // Stores `alert` in the current batch and publishes it once committed, as
  // the alerts of the core's commands are (for alerts the shell raises, such
  // as a storage failure).
  void RaiseAlert(core::HqAlert alert, Time now);

  // Records an operator's state-changing request and its outcome in the
  // current batch (the audit trail).
  void Audit(const Principal& who, const v1::OperatorRequest& request, const Status& outcome,
             Time now);

 private:
  // Turns `out` into writes, stored alerts / notifications, orders and feed
  // items, all in the current batch. Internal (and a reload) if the core
  // named a record it does not have.
  [[nodiscard]] Status Execute(core::Effects& out, Time now);
  // Runs an operator command: `command` fills `out`; on success the
  // request is audited, the effects executed and `respond` builds the
  // answer after the commit; on failure the error is answered at once.
  void RunOperatorCommand(const Principal& who, const v1::OperatorRequest& request,
                          OpsServer::Reply& reply,
                          const std::function<Status(core::Effects& out, Time now)>& command,
                          std::function<v1::OperatorResponse()> respond);
  void ArmTimer();
  void OnTimer();

  // Copies every changed record of every module into writes.
  [[nodiscard]] Status CollectWrites(const core::Effects& out);

  // Dispatch (dispatch_adapter.cc).
  [[nodiscard]] Result<Applied> ApplyDispatch(const std::string& unit_id,
                                              const v1::Envelope& envelope, Time now);
  bool HandleDispatchOperator(const Principal& who, const v1::OperatorRequest& request,
                              OpsServer::Reply& reply);
  [[nodiscard]] Status CollectDispatchWrites(const core::Effects& out);

  // Funds (funds_adapter.cc).
  [[nodiscard]] Result<Applied> ApplyFunds(const std::string& unit_id,
                                           const v1::Envelope& envelope, Time now);
  bool HandleFundsOperator(const Principal& who, const v1::OperatorRequest& request,
                           OpsServer::Reply& reply);
  [[nodiscard]] Status CollectFundsWrites(const core::Effects& out);

  // Ledger (ledger_adapter.cc).
  [[nodiscard]] Result<Applied> ApplyLedger(const std::string& unit_id,
                                            const v1::Envelope& envelope, Time now);
  bool HandleLedgerOperator(const Principal& who, const v1::OperatorRequest& request,
                            OpsServer::Reply& reply);
  [[nodiscard]] Status CollectLedgerWrites(const core::Effects& out);
  // Incidents per unit on a local day, for the daily summary.
  [[nodiscard]] std::map<std::string, uint32_t, std::less<>> IncidentCounts(CivilDay day) const;

  Scheduler& scheduler_;
  const core::Organisation& org_;
  core::MissionConfig config_;
  Committer& committer_;
  Feed& feed_;
  OrderOutbox& orders_;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<core::Mission> mission_;
  int64_t next_alert_id_ = 1;
  std::set<int64_t> open_alerts_;
  int64_t next_notification_id_ = 1;
  TimerId timer_ = 0;
  Time timer_at_ = Time::max();
  bool running_ = false;
};

}  // namespace anding::dispatcher

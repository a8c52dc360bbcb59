#include "domain_service.h"

#include "anding/common/strings.h"
#include "anding/runtime/logging.h"
#include "anding/store/alert_repository.h"
#include "anding/store/dispatch_repository.h"
#include "anding/store/funds_repository.h"
#include "anding/store/ledger_repository.h"
#include "anding/store/link_repository.h"
#include "anding/wire/codec.h"
#include "domain_convert.h"

namespace anding::dispatcher {
namespace {
// Timers of the core are checked at least this often (a clock that jumps,
// a wake-up computed before a change).
constexpr Duration kMaxTimerWait = std::chrono::minutes(1);
}  // namespace

DomainService::DomainService(Scheduler& scheduler, const core::Organisation& org,
                             core::MissionConfig config, Committer& committer, Feed& feed,
                             OrderOutbox& orders)
    : scheduler_(scheduler),
      org_(org),
      config_(std::move(config)),
      committer_(committer),
      feed_(feed),
      orders_(orders),
      log_(runtime::GetLogger("domain")) {}

Status DomainService::Migrate(storage::Database& db) {
  ANDING_RETURN_IF_ERROR(db.Migrate("alerts", store::AlertMigrations()));
  ANDING_RETURN_IF_ERROR(db.Migrate("ledger", store::LedgerMigrations()));
  ANDING_RETURN_IF_ERROR(db.Migrate("funds", store::FundsMigrations()));
  ANDING_RETURN_IF_ERROR(db.Migrate("dispatch", store::DispatchMigrations()));
  return OkStatus();
}

Status DomainService::Load(storage::Database& db) {
  core::MissionSnapshot snapshot;
  ANDING_ASSIGN_OR_RETURN(snapshot.ledger, store::LoadLedger(db));
  ANDING_ASSIGN_OR_RETURN(snapshot.funds, store::LoadFundsState(db));
  ANDING_ASSIGN_OR_RETURN(snapshot.dispatch, store::LoadDispatch(db));
  ANDING_ASSIGN_OR_RETURN(mission_, core::Mission::Create(org_, config_, std::move(snapshot)));
  ANDING_ASSIGN_OR_RETURN(const int64_t alerts, store::MaxAlertId(db));
  ANDING_ASSIGN_OR_RETURN(auto open, store::ListAlerts(db, false, 1'000'000));
  open_alerts_.clear();
  for (const auto& row : open) open_alerts_.insert(row.id);
  ANDING_ASSIGN_OR_RETURN(const int64_t notifications, store::MaxNotificationId(db));
  next_alert_id_ = alerts + 1;
  next_notification_id_ = notifications + 1;
  // Configuration-derived records (fund accounts, opening balances).
  const Time now = scheduler_.clock().Now();
  core::Effects out;
  ANDING_RETURN_IF_ERROR(Annotate(mission_->Start(now, out), "applying the configuration"));
  ANDING_RETURN_IF_ERROR(Execute(out, now));
  if (running_) ArmTimer();
  return OkStatus();
}

Result<Applied> DomainService::Apply(const std::string& unit_id, const v1::Envelope& envelope,
                                     Time now) {
  switch (envelope.payload_case()) {
    case v1::Envelope::kEarlyWarning:
    case v1::Envelope::kScreeningReport:
    case v1::Envelope::kDailyReport:
    case v1::Envelope::kLedgerRegister:
    case v1::Envelope::kLedgerUpdate:
    case v1::Envelope::kLedgerCloseOut:
      return ApplyLedger(unit_id, envelope, now);
    case v1::Envelope::kExpenseReport:
      return ApplyFunds(unit_id, envelope, now);
    case v1::Envelope::kIncidentReport:
    case v1::Envelope::kIncidentStatus:
      return ApplyDispatch(unit_id, envelope, now);
    default:
      // Stored as an event; no module keeps state for it (yet).
      return Applied{};
  }
}

bool DomainService::HandleOperator(const Principal& who, const v1::OperatorRequest& request,
                                   OpsServer::Reply& reply) {
  if (request.has_acknowledge_alert()) {
    const int64_t id = request.acknowledge_alert().alert_id();
    RunOperatorCommand(
        who, request, reply,
        [&](core::Effects&, Time at) -> Status {
          if (open_alerts_.count(id) == 0) {
            return NotFoundError(StrCat("no unacknowledged alert ", id));
          }
          committer_.Add([id, at, by = who.id](storage::Database& db) {
            return store::AcknowledgeAlert(db, id, at, by);
          });
          committer_.OnCommitted([this, id] { open_alerts_.erase(id); });
          v1::FeedItem item;
          auto* changed = item.mutable_record_changed();
          changed->set_kind("alert");
          changed->set_id(std::to_string(id));
          changed->set_state("acknowledged");
          changed->set_summary(StrCat("alert ", id, " acknowledged by ", who.id));
          feed_.Publish(std::move(item), at);
          return OkStatus();
        },
        [] { return v1::OperatorResponse(); });
    return true;
  }
  return HandleLedgerOperator(who, request, reply) || HandleFundsOperator(who, request, reply) ||
         HandleDispatchOperator(who, request, reply);
}

void DomainService::RaiseAlert(core::HqAlert alert, Time now) {
  core::Effects out;
  out.alerts.push_back(std::move(alert));
  // An alert names no record, so collecting its writes cannot fail.
  Execute(out, now).IgnoreError();
}

Status DomainService::Execute(core::Effects& out, Time now) {
  mission_->Route(now, out);
  if (Status collected = CollectWrites(out); !collected.ok()) {
    // A bug: the core named a record it does not have. The in-memory state
    // ran ahead of what can be stored, so fail this batch: nothing of it is
    // acknowledged and the dispatcher reloads its state from the store.
    log_->critical("cannot store the effects of a command: {}", collected.ToString());
    committer_.Add([collected](storage::Database&) { return collected; });
    return collected;
  }

  for (auto& alert : out.alerts) {
    store::AlertRow row;
    row.id = next_alert_id_++;
    row.raised_at = now;
    row.alert = alert;
    committer_.Add([row](storage::Database& db) { return store::SaveAlert(db, row); });
    committer_.OnCommitted([this, id = row.id] { open_alerts_.insert(id); });
    v1::FeedItem item;
    auto* changed = item.mutable_record_changed();
    changed->set_kind("alert");
    changed->set_id(std::to_string(row.id));
    changed->set_state(StrCat(store::SeverityName(alert.severity), ":", alert.kind));
    changed->set_summary(alert.text);
    changed->set_unit_id(alert.unit_id);
    feed_.Publish(std::move(item), now);
    log_->warn("ALERT {} [{}] {}: {}", row.id, alert.kind, alert.reference_id, alert.text);
  }
  for (auto& notification : out.notifications) {
    store::NotificationRow row;
    row.id = next_notification_id_++;
    row.created_at = now;
    row.request = notification;
    committer_.Add([row](storage::Database& db) { return store::SaveNotification(db, row); });
    v1::FeedItem item;
    auto* changed = item.mutable_record_changed();
    changed->set_kind("notification");
    changed->set_id(std::to_string(row.id));
    changed->set_state("queued");
    changed->set_summary(notification.text);
    feed_.Publish(std::move(item), now);
  }
  for (auto& order : out.orders) orders_.Enqueue(order.unit_id, OrderToProto(order));
  for (auto& notice : out.notices) {
    v1::FeedItem item;
    auto* changed = item.mutable_record_changed();
    changed->set_kind(notice.kind);
    changed->set_id(notice.id);
    changed->set_state(notice.state);
    changed->set_summary(notice.summary);
    changed->set_unit_id(notice.unit_id);
    feed_.Publish(std::move(item), now);
  }
  committer_.OnCommitted([this] { ArmTimer(); });
  return OkStatus();
}

Status DomainService::CollectWrites(const core::Effects& out) {
  if (out.changed.empty()) return OkStatus();
  ANDING_RETURN_IF_ERROR(CollectLedgerWrites(out));
  ANDING_RETURN_IF_ERROR(CollectDispatchWrites(out));
  return CollectFundsWrites(out);
}

void DomainService::Audit(const Principal& who, const v1::OperatorRequest& request,
                          const Status& outcome, Time now) {
  store::OperatorActionRow row;
  row.at = now;
  row.operator_id = who.id;
  const auto* field = request.GetReflection()->GetOneofFieldDescriptor(
      request, v1::OperatorRequest::descriptor()->FindOneofByName("request"));
  row.request_kind = field == nullptr ? "" : field->name();
  row.request = wire::Encode(request);
  row.outcome = outcome.ok() ? "ok" : outcome.ToString();
  committer_.Add([row = std::move(row)](storage::Database& db) {
    return store::InsertOperatorAction(db, row);
  });
}

void DomainService::RunOperatorCommand(
    const Principal& who, const v1::OperatorRequest& request, OpsServer::Reply& reply,
    const std::function<Status(core::Effects& out, Time now)>& command,
    std::function<v1::OperatorResponse()> respond) {
  if (committer_.failed()) {
    reply(ErrorResponse(request.request_id(),
                        UnavailableError("the store is recovering from a failure; retry")));
    return;
  }
  const Time now = scheduler_.clock().Now();
  core::Effects out;
  Status status = command(out, now);
  if (!status.ok()) {
    // Refused requests change nothing but are still audited.
    Audit(who, request, status, now);
    reply(ErrorResponse(request.request_id(), status));
    return;
  }
  Audit(who, request, status, now);
  if (Status executed = Execute(out, now); !executed.ok()) {
    reply(ErrorResponse(request.request_id(), executed));
    return;
  }
  committer_.OnCommitted([reply = std::move(reply), respond = std::move(respond)] {
    reply(respond());
  });
}

std::map<std::string, uint32_t, std::less<>> DomainService::IncidentCounts(CivilDay day) const {
  return mission_->IncidentsOn(day);
}

void DomainService::Start() {
  running_ = true;
  ArmTimer();
}

void DomainService::Stop() {
  running_ = false;
  scheduler_.Cancel(timer_);
  timer_ = 0;
}

void DomainService::ArmTimer() {
  if (!running_ || !mission_) return;
  const Time now = scheduler_.clock().Now();
  const Time at = std::min(mission_->NextWakeup(), now + kMaxTimerWait);
  if (timer_ != 0 && timer_at_ <= at) return;
  scheduler_.Cancel(timer_);
  timer_at_ = at;
  timer_ = scheduler_.ScheduleAt(at, [this] {
    timer_ = 0;
    timer_at_ = Time::max();
    OnTimer();
  });
}

void DomainService::OnTimer() {
  if (!running_) return;
  if (committer_.failed()) {
    scheduler_.ScheduleAfter(std::chrono::seconds(1), [this] { ArmTimer(); });
    return;
  }
  const Time now = scheduler_.clock().Now();
  core::Effects out;
  mission_->Tick(now, out);
  if (Status status = Execute(out, now); !status.ok()) {
    log_->critical("timer work could not be stored: {}", status.ToString());
  }
}

}  // namespace anding::dispatcher

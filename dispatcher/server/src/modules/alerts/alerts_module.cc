#include "alerts_module.h"

#include "anding/common/strings.h"
#include "anding/runtime/log_text.h"
#include "anding/runtime/logging.h"
#include "anding/store/alert_repository.h"
#include "anding/wire/codec.h"
#include "ops_server.h"

namespace anding::dispatcher {

AlertsModule::AlertsModule(ModuleContext& context)
    : context_(context), log_(runtime::GetLogger("alerts")) {}

std::vector<storage::Migration> AlertsModule::Migrations() const {
  return store::AlertMigrations();
}

Status AlertsModule::Load(storage::Database& db) {
  ANDING_ASSIGN_OR_RETURN(const int64_t alerts, store::MaxAlertId(db));
  ANDING_ASSIGN_OR_RETURN(auto open, store::ListAlerts(db, false, 1'000'000));
  ANDING_ASSIGN_OR_RETURN(const int64_t notifications, store::MaxNotificationId(db));
  open_alerts_.clear();
  for (const auto& row : open) open_alerts_.insert(row.id);
  next_alert_id_ = alerts + 1;
  next_notification_id_ = notifications + 1;
  return OkStatus();
}

std::vector<v1::OperatorRequest::RequestCase> AlertsModule::Requests() const {
  return {v1::OperatorRequest::kListAlerts, v1::OperatorRequest::kAcknowledgeAlert};
}

void AlertsModule::Serve(OperatorCall& call) {
  if (call.request().has_acknowledge_alert()) {
    Acknowledge(call);
  } else {
    List(call);
  }
}

void AlertsModule::Acknowledge(OperatorCall& call) {
  const int64_t id = call.request().acknowledge_alert().alert_id();
  const std::string by = call.who().id;
  call.Command(
      [&](core::Effects&, Time at) -> Status {
        if (open_alerts_.count(id) == 0) {
          return NotFoundError(StrCat("no unacknowledged alert ", id));
        }
        context_.Write([id, at, by](storage::Database& db) {
          return store::AcknowledgeAlert(db, id, at, by);
        });
        context_.AfterCommit([this, id] { open_alerts_.erase(id); });
        context_.Publish(RecordChangedItem("alert", std::to_string(id), "acknowledged",
                                           StrCat("alert ", id, " acknowledged by ", by)),
                         at);
        return OkStatus();
      },
      [] { return v1::OperatorResponse(); });
}

void AlertsModule::List(OperatorCall& call) {
  const bool all = call.request().list_alerts().all();
  const uint32_t limit = PageLimit(call.request().list_alerts().limit());
  call.Query([all, limit](storage::Database& db) {
    auto rows = store::ListAlerts(db, all, limit);
    if (!rows.ok()) return ErrorResponse("", rows.status());
    v1::OperatorResponse response;
    auto* list = response.mutable_list_alerts();
    for (const auto& row : *rows) {
      auto* view = list->add_alerts();
      view->set_id(row.id);
      *view->mutable_raised_at() = wire::ToProto(row.raised_at);
      view->set_severity(std::string(store::SeverityName(row.alert.severity)));
      view->set_kind(row.alert.kind);
      view->set_reference_id(row.alert.reference_id);
      view->set_unit_id(row.alert.unit_id);
      view->set_text(row.alert.text);
      if (row.acknowledged_at)
        *view->mutable_acknowledged_at() = wire::ToProto(*row.acknowledged_at);
      view->set_acknowledged_by(row.acknowledged_by);
    }
    return response;
  });
}

Status AlertsModule::Record(const core::Effects& out, Time now) {
  for (const auto& alert : out.alerts) {
    store::AlertRow row;
    row.id = next_alert_id_++;
    row.raised_at = now;
    row.alert = alert;
    context_.Write([row](storage::Database& db) { return store::SaveAlert(db, row); });
    context_.AfterCommit([this, id = row.id] { open_alerts_.insert(id); });
    context_.Publish(RecordChangedItem("alert", std::to_string(row.id),
                                       StrCat(store::SeverityName(alert.severity), ":", alert.kind),
                                       alert.text, alert.unit_id),
                     now);
    log_->warn("ALERT {} [{}] {}: {}", row.id, alert.kind,
               runtime::Printable(alert.reference_id, 60), runtime::Printable(alert.text));
  }
  for (const auto& notification : out.notifications) {
    store::NotificationRow row;
    row.id = next_notification_id_++;
    row.created_at = now;
    row.request = notification;
    context_.Write([row](storage::Database& db) { return store::SaveNotification(db, row); });
    context_.Publish(
        RecordChangedItem("notification", std::to_string(row.id), "queued", notification.text),
        now);
  }
  return OkStatus();
}

}  // namespace anding::dispatcher

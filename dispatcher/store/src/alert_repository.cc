#include "anding/store/alert_repository.h"

#include <optional>

#include "anding/common/strings.h"
#include "codec.h"
#include "sql.h"

namespace anding::store {

std::vector<storage::Migration> AlertMigrations() {
  return {{1, "alerts and notification requests", R"sql(
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY CHECK (id > 0),
  raised_at_us INTEGER NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  kind TEXT NOT NULL,
  reference_id TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  text TEXT NOT NULL,
  acknowledged_at_us INTEGER,
  acknowledged_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alerts_open ON alerts (id) WHERE acknowledged_at_us IS NULL;
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY CHECK (id > 0),
  created_at_us INTEGER NOT NULL,
  template_id TEXT NOT NULL,
  text TEXT NOT NULL,
  reference_id TEXT NOT NULL,
  recipients TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'delivered', 'failed'))
);
)sql"}};
}

std::string_view SeverityName(core::HqAlert::Severity severity) {
  switch (severity) {
    case core::HqAlert::Severity::kInfo:
      return "info";
    case core::HqAlert::Severity::kCritical:
      return "critical";
    case core::HqAlert::Severity::kWarning:
      break;
  }
  return "warning";
}

namespace {

std::optional<core::HqAlert::Severity> ParseSeverity(std::string_view name) {
  for (auto severity : {core::HqAlert::Severity::kInfo, core::HqAlert::Severity::kWarning,
                        core::HqAlert::Severity::kCritical}) {
    if (SeverityName(severity) == name) return severity;
  }
  return std::nullopt;
}

Result<AlertRow> AlertFrom(const storage::Statement& s) {
  AlertRow row;
  row.id = s.Int64(0);
  row.raised_at = FromUnixMicros(s.Int64(1));
  ANDING_ASSIGN_OR_RETURN(row.alert.severity, codec::Named("severity", ParseSeverity, s.Text(2)));
  row.alert.kind = s.Text(3);
  row.alert.reference_id = s.Text(4);
  row.alert.unit_id = s.Text(5);
  row.alert.text = s.Text(6);
  row.acknowledged_at = codec::OptionalTimeColumn(s, 7);
  row.acknowledged_by = s.Text(8);
  return row;
}

Result<NotificationRow> NotificationFrom(const storage::Statement& s) {
  NotificationRow row;
  row.id = s.Int64(0);
  row.created_at = FromUnixMicros(s.Int64(1));
  row.request.template_id = s.Text(2);
  row.request.text = s.Text(3);
  row.request.reference_id = s.Text(4);
  ANDING_ASSIGN_OR_RETURN(row.request.recipients, codec::PersonsFrom("recipients", s.Text(5)));
  row.state = s.Text(6);
  return row;
}

Result<int64_t> MaxId(storage::Database& db, const char* table) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement s,
                          db.Prepare(StrCat("SELECT COALESCE(MAX(id), 0) FROM ", table)));
  ANDING_ASSIGN_OR_RETURN(const bool row, s.Step());
  return row ? s.Int64(0) : 0;
}

}  // namespace

Status SaveAlert(storage::Database& db, const AlertRow& row) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * s,
      db.Cached("INSERT INTO alerts (id, raised_at_us, severity, kind, reference_id, unit_id, "
                "text, acknowledged_at_us, acknowledged_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET acknowledged_at_us = excluded.acknowledged_at_us, "
                "acknowledged_by = excluded.acknowledged_by"));
  s->Bind(1, row.id)
      .Bind(2, ToUnixMicros(row.raised_at))
      .Bind(3, SeverityName(row.alert.severity))
      .Bind(4, row.alert.kind)
      .Bind(5, row.alert.reference_id)
      .Bind(6, row.alert.unit_id)
      .Bind(7, row.alert.text)
      .Bind(8, codec::OptionalMicros(row.acknowledged_at))
      .Bind(9, row.acknowledged_by);
  return s->Run();
}

Status AcknowledgeAlert(storage::Database& db, int64_t id, Time at, std::string_view by) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement * s,
                          db.Cached("UPDATE alerts SET acknowledged_at_us = ?, acknowledged_by = ? "
                                    "WHERE id = ? AND acknowledged_at_us IS NULL"));
  s->Bind(1, ToUnixMicros(at)).Bind(2, by).Bind(3, id);
  return s->Run();
}

Result<std::vector<AlertRow>> ListAlerts(storage::Database& db, bool all, uint32_t limit) {
  std::vector<AlertRow> rows;
  ANDING_RETURN_IF_ERROR(
      sql::LoadRows(db,
                    StrCat("SELECT id, raised_at_us, severity, kind, reference_id, unit_id, text, "
                           "acknowledged_at_us, acknowledged_by FROM alerts",
                           all ? "" : " WHERE acknowledged_at_us IS NULL",
                           " ORDER BY id DESC LIMIT ", limit == 0 ? 50 : limit),
                    "alerts", 1, AlertFrom, rows));
  return rows;
}

Result<int64_t> MaxAlertId(storage::Database& db) { return MaxId(db, "alerts"); }

Status SaveNotification(storage::Database& db, const NotificationRow& row) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * s,
      db.Cached("INSERT INTO notifications (id, created_at_us, template_id, text, reference_id, "
                "recipients, state) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "state = excluded.state"));
  s->Bind(1, row.id)
      .Bind(2, ToUnixMicros(row.created_at))
      .Bind(3, row.request.template_id)
      .Bind(4, row.request.text)
      .Bind(5, row.request.reference_id)
      .Bind(6, codec::PersonsText(row.request.recipients))
      .Bind(7, row.state);
  return s->Run();
}

Result<std::vector<NotificationRow>> ListNotifications(storage::Database& db, uint32_t limit) {
  std::vector<NotificationRow> rows;
  ANDING_RETURN_IF_ERROR(sql::LoadRows(
      db,
      StrCat("SELECT id, created_at_us, template_id, text, reference_id, recipients, state "
             "FROM notifications ORDER BY id DESC LIMIT ",
             limit == 0 ? 50 : limit),
      "notifications", 1, NotificationFrom, rows));
  return rows;
}

Result<int64_t> MaxNotificationId(storage::Database& db) { return MaxId(db, "notifications"); }

}  // namespace anding::store

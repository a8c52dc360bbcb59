#include "anding/store/alert_repository.h"

#include <boost/json.hpp>

#include "anding/common/strings.h"

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
    case core::HqAlert::Severity::kInfo: return "info";
    case core::HqAlert::Severity::kCritical: return "critical";
    case core::HqAlert::Severity::kWarning: break;
  }
  return "warning";
}

namespace {

core::HqAlert::Severity SeverityFrom(std::string_view name) {
  if (name == "info") return core::HqAlert::Severity::kInfo;
  if (name == "critical") return core::HqAlert::Severity::kCritical;
  return core::HqAlert::Severity::kWarning;
}

std::string RecipientsJson(const std::vector<core::Person>& people) {
  boost::json::array array;
  for (const auto& person : people) {
    array.push_back(boost::json::object{{"name", person.name}, {"phone", person.phone},
                                        {"title", person.title}});
  }
  return boost::json::serialize(array);
}

std::vector<core::Person> RecipientsFrom(const std::string& text) {
  std::vector<core::Person> people;
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) return people;
  for (const auto& entry : value.as_array()) {
    if (!entry.is_object()) continue;
    const auto& object = entry.as_object();
    auto field = [&](const char* key) {
      auto it = object.find(key);
      return it != object.end() && it->value().is_string()
                 ? std::string(it->value().as_string())
                 : std::string();
    };
    people.push_back(core::Person{field("name"), field("phone"), field("title")});
  }
  return people;
}

Result<int64_t> MaxId(storage::Database& db, const char* table) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement s, db.Prepare(StrCat("SELECT COALESCE(MAX(id), 0) FROM ", table)));
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
      .Bind(8, row.acknowledged_at ? std::optional<int64_t>(ToUnixMicros(*row.acknowledged_at))
                                   : std::optional<int64_t>())
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
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement s,
      db.Prepare(StrCat("SELECT id, raised_at_us, severity, kind, reference_id, unit_id, text, "
                        "acknowledged_at_us, acknowledged_by FROM alerts",
                        all ? "" : " WHERE acknowledged_at_us IS NULL", " ORDER BY id DESC LIMIT ",
                        limit == 0 ? 50 : limit)));
  std::vector<AlertRow> rows;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool more, s.Step());
    if (!more) return rows;
    AlertRow row;
    row.id = s.Int64(0);
    row.raised_at = FromUnixMicros(s.Int64(1));
    row.alert.severity = SeverityFrom(s.Text(2));
    row.alert.kind = s.Text(3);
    row.alert.reference_id = s.Text(4);
    row.alert.unit_id = s.Text(5);
    row.alert.text = s.Text(6);
    if (auto at = s.OptionalInt64(7)) row.acknowledged_at = FromUnixMicros(*at);
    row.acknowledged_by = s.Text(8);
    rows.push_back(std::move(row));
  }
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
      .Bind(6, RecipientsJson(row.request.recipients))
      .Bind(7, row.state);
  return s->Run();
}

Result<std::vector<NotificationRow>> ListNotifications(storage::Database& db, uint32_t limit) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement s,
      db.Prepare(StrCat("SELECT id, created_at_us, template_id, text, reference_id, recipients, "
                        "state FROM notifications ORDER BY id DESC LIMIT ",
                        limit == 0 ? 50 : limit)));
  std::vector<NotificationRow> rows;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool more, s.Step());
    if (!more) return rows;
    NotificationRow row;
    row.id = s.Int64(0);
    row.created_at = FromUnixMicros(s.Int64(1));
    row.request.template_id = s.Text(2);
    row.request.text = s.Text(3);
    row.request.reference_id = s.Text(4);
    row.request.recipients = RecipientsFrom(s.Text(5));
    row.state = s.Text(6);
    rows.push_back(std::move(row));
  }
}

Result<int64_t> MaxNotificationId(storage::Database& db) { return MaxId(db, "notifications"); }

}  // namespace anding::store

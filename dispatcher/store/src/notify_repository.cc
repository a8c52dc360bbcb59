#include "anding/store/notify_repository.h"

#include "anding/common/strings.h"
#include "codec.h"

namespace anding::store {
namespace {

namespace notify = core::notify;

constexpr std::string_view kEventColumns =
    "e.id, e.kind, e.severity, e.unit_id, e.reference_id, e.text, e.created_at_us, "
    "e.require_ack, e.level, e.escalate_at_us, e.escalations, e.acknowledged_at_us, "
    "e.acknowledged_by, e.dedup_key";
constexpr int kEventColumnCount = 14;
constexpr std::string_view kMessageColumns =
    "m.id, m.event_id, m.channel, m.address, m.recipient_name, m.text, m.level, m.state, "
    "m.attempt, m.attempt_id, m.created_at_us, m.next_attempt_at_us, m.sent_at_us, "
    "m.delivered_at_us, m.last_error, m.reuse_attempt";

Status InRow(std::string_view table, int64_t id, const Status& status) {
  return DataLossError(StrCat(table, " row ", id, ": ", status.message()));
}

Result<notify::NotifyEvent> EventFrom(const storage::Statement& s, int first) {
  notify::NotifyEvent event;
  event.id = s.Int64(first + 0);
  event.kind = s.Text(first + 1);
  ANDING_ASSIGN_OR_RETURN(event.severity,
                          codec::Named("severity", notify::ParseSeverity, s.Text(first + 2)));
  event.unit_id = s.Text(first + 3);
  event.reference_id = s.Text(first + 4);
  event.text = s.Text(first + 5);
  event.created_at = FromUnixMicros(s.Int64(first + 6));
  event.require_ack = s.Int64(first + 7) != 0;
  event.level = static_cast<int>(s.Int64(first + 8));
  event.escalate_at = codec::OptionalTimeColumn(s, first + 9);
  event.escalations = static_cast<uint32_t>(s.Int64(first + 10));
  event.acknowledged_at = codec::OptionalTimeColumn(s, first + 11);
  event.acknowledged_by = s.Text(first + 12);
  event.dedup_key = s.Text(first + 13);
  return event;
}

Result<notify::Message> MessageFrom(const storage::Statement& s, int first) {
  notify::Message message;
  message.id = s.Int64(first + 0);
  message.event_id = s.Int64(first + 1);
  ANDING_ASSIGN_OR_RETURN(message.channel,
                          codec::Named("channel", notify::ParseChannel, s.Text(first + 2)));
  message.address = s.Text(first + 3);
  message.recipient_name = s.Text(first + 4);
  message.text = s.Text(first + 5);
  message.level = static_cast<int>(s.Int64(first + 6));
  ANDING_ASSIGN_OR_RETURN(message.state,
                          codec::Named("state", notify::ParseMessageState, s.Text(first + 7)));
  message.attempt = static_cast<uint32_t>(s.Int64(first + 8));
  message.attempt_id = s.Text(first + 9);
  message.created_at = FromUnixMicros(s.Int64(first + 10));
  message.next_attempt_at = FromUnixMicros(s.Int64(first + 11));
  message.sent_at = codec::OptionalTimeColumn(s, first + 12);
  message.delivered_at = codec::OptionalTimeColumn(s, first + 13);
  message.last_error = s.Text(first + 14);
  message.reuse_attempt = s.Int64(first + 15) != 0;
  return message;
}

Result<int64_t> MaxId(storage::Database& db, std::string_view table) {
  ANDING_ASSIGN_OR_RETURN(auto select,
                          db.Prepare(StrCat("SELECT COALESCE(MAX(id), 0) FROM ", table)));
  ANDING_ASSIGN_OR_RETURN(bool row, select.Step());
  return row ? select.Int64(0) : 0;
}

}  // namespace

std::vector<storage::Migration> NotifyMigrations() {
  return {{1, "notification events, messages and the delivery log", R"sql(
CREATE TABLE notify_events (
  id INTEGER PRIMARY KEY CHECK (id > 0),
  kind TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  unit_id TEXT NOT NULL,
  reference_id TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  require_ack INTEGER NOT NULL,
  level INTEGER NOT NULL,
  escalate_at_us INTEGER,
  escalations INTEGER NOT NULL,
  acknowledged_at_us INTEGER,
  acknowledged_by TEXT NOT NULL,
  dedup_key TEXT NOT NULL
);
CREATE INDEX notify_events_created ON notify_events (created_at_us);
CREATE INDEX notify_events_armed ON notify_events (id) WHERE escalate_at_us IS NOT NULL;
CREATE TABLE notify_messages (
  id INTEGER PRIMARY KEY CHECK (id > 0),
  event_id INTEGER NOT NULL REFERENCES notify_events (id),
  channel TEXT NOT NULL CHECK (channel IN ('sms', 'webhook', 'log')),
  address TEXT NOT NULL,
  recipient_name TEXT NOT NULL,
  text TEXT NOT NULL,
  level INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'queued_at_smsc',
                                       'delivered', 'failed', 'rejected')),
  attempt INTEGER NOT NULL,
  attempt_id TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  next_attempt_at_us INTEGER NOT NULL,
  sent_at_us INTEGER,
  delivered_at_us INTEGER,
  last_error TEXT NOT NULL,
  reuse_attempt INTEGER NOT NULL
);
CREATE INDEX notify_messages_event ON notify_messages (event_id);
CREATE INDEX notify_messages_open ON notify_messages (event_id)
  WHERE state NOT IN ('delivered', 'failed', 'rejected');
CREATE TABLE notify_delivery_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id INTEGER NOT NULL REFERENCES notify_messages (id),
  attempt_id TEXT NOT NULL,
  at_us INTEGER NOT NULL,
  what TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX notify_delivery_log_message ON notify_delivery_log (message_id);
)sql"}};
}

Status SaveNotifyChanges(storage::Database& db, const notify::NotifyChanges& changes) {
  if (!changes.events.empty()) {
    ANDING_ASSIGN_OR_RETURN(storage::Statement * upsert, db.Cached(R"sql(
INSERT INTO notify_events (id, kind, severity, unit_id, reference_id, text, created_at_us,
  require_ack, level, escalate_at_us, escalations, acknowledged_at_us, acknowledged_by, dedup_key)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
ON CONFLICT (id) DO UPDATE SET level = excluded.level, escalate_at_us = excluded.escalate_at_us,
  escalations = excluded.escalations, acknowledged_at_us = excluded.acknowledged_at_us,
  acknowledged_by = excluded.acknowledged_by)sql"));
    for (const auto& event : changes.events) {
      upsert->Reset();
      upsert->Bind(1, event.id)
          .Bind(2, event.kind)
          .Bind(3, notify::SeverityName(event.severity))
          .Bind(4, event.unit_id)
          .Bind(5, event.reference_id)
          .Bind(6, event.text)
          .Bind(7, ToUnixMicros(event.created_at))
          .Bind(8, int64_t{event.require_ack ? 1 : 0})
          .Bind(9, int64_t{event.level})
          .Bind(10, codec::OptionalMicros(event.escalate_at))
          .Bind(11, int64_t{event.escalations})
          .Bind(12, codec::OptionalMicros(event.acknowledged_at))
          .Bind(13, event.acknowledged_by)
          .Bind(14, event.dedup_key);
      ANDING_RETURN_IF_ERROR(upsert->Run());
    }
  }
  if (!changes.messages.empty()) {
    ANDING_ASSIGN_OR_RETURN(storage::Statement * upsert, db.Cached(R"sql(
INSERT INTO notify_messages (id, event_id, channel, address, recipient_name, text, level, state,
  attempt, attempt_id, created_at_us, next_attempt_at_us, sent_at_us, delivered_at_us, last_error,
  reuse_attempt)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
ON CONFLICT (id) DO UPDATE SET state = excluded.state, attempt = excluded.attempt,
  attempt_id = excluded.attempt_id, next_attempt_at_us = excluded.next_attempt_at_us,
  sent_at_us = excluded.sent_at_us, delivered_at_us = excluded.delivered_at_us,
  last_error = excluded.last_error, reuse_attempt = excluded.reuse_attempt)sql"));
    for (const auto& message : changes.messages) {
      upsert->Reset();
      upsert->Bind(1, message.id)
          .Bind(2, message.event_id)
          .Bind(3, notify::ChannelName(message.channel))
          .Bind(4, message.address)
          .Bind(5, message.recipient_name)
          .Bind(6, message.text)
          .Bind(7, int64_t{message.level})
          .Bind(8, notify::MessageStateName(message.state))
          .Bind(9, int64_t{message.attempt})
          .Bind(10, message.attempt_id)
          .Bind(11, ToUnixMicros(message.created_at))
          .Bind(12, ToUnixMicros(message.next_attempt_at))
          .Bind(13, codec::OptionalMicros(message.sent_at))
          .Bind(14, codec::OptionalMicros(message.delivered_at))
          .Bind(15, message.last_error)
          .Bind(16, int64_t{message.reuse_attempt ? 1 : 0});
      ANDING_RETURN_IF_ERROR(upsert->Run());
    }
  }
  if (!changes.log.empty()) {
    ANDING_ASSIGN_OR_RETURN(storage::Statement * insert, db.Cached(R"sql(
INSERT INTO notify_delivery_log (message_id, attempt_id, at_us, what, detail)
VALUES (?1, ?2, ?3, ?4, ?5))sql"));
    for (const auto& entry : changes.log) {
      insert->Reset();
      insert->Bind(1, entry.message_id)
          .Bind(2, entry.attempt_id)
          .Bind(3, ToUnixMicros(entry.at))
          .Bind(4, entry.what)
          .Bind(5, entry.detail);
      ANDING_RETURN_IF_ERROR(insert->Run());
    }
  }
  return OkStatus();
}

Result<NotifyState> LoadNotifyState(storage::Database& db, Time since) {
  NotifyState state;
  ANDING_ASSIGN_OR_RETURN(state.max_event_id, MaxId(db, "notify_events"));
  ANDING_ASSIGN_OR_RETURN(state.max_message_id, MaxId(db, "notify_messages"));
  const std::string open_events = R"sql(
SELECT id FROM notify_events WHERE created_at_us >= ?1 OR escalate_at_us IS NOT NULL
UNION SELECT event_id FROM notify_messages
  WHERE state NOT IN ('delivered', 'failed', 'rejected'))sql";
  ANDING_ASSIGN_OR_RETURN(auto events, db.Prepare(StrCat("SELECT ", kEventColumns,
                                                         " FROM notify_events e WHERE e.id IN (",
                                                         open_events, ") ORDER BY e.id")));
  events.Bind(1, ToUnixMicros(since));
  while (true) {
    ANDING_ASSIGN_OR_RETURN(bool row, events.Step());
    if (!row) break;
    auto event = EventFrom(events, 0);
    if (!event.ok()) return InRow("notify_events", events.Int64(0), event.status());
    state.events.push_back(std::move(*event));
  }
  ANDING_ASSIGN_OR_RETURN(
      auto messages,
      db.Prepare(StrCat("SELECT ", kMessageColumns, " FROM notify_messages m WHERE m.event_id IN (",
                        open_events, ") ORDER BY m.id")));
  messages.Bind(1, ToUnixMicros(since));
  while (true) {
    ANDING_ASSIGN_OR_RETURN(bool row, messages.Step());
    if (!row) break;
    auto message = MessageFrom(messages, 0);
    if (!message.ok()) return InRow("notify_messages", messages.Int64(0), message.status());
    state.messages.push_back(std::move(*message));
  }
  return state;
}

Result<std::vector<NotifyMessageRow>> ListNotifyMessages(storage::Database& db, bool all,
                                                         uint32_t limit) {
  std::string sql = StrCat("SELECT ", kEventColumns, ", ", kMessageColumns,
                           " FROM notify_messages m JOIN notify_events e ON e.id = m.event_id");
  if (!all) {
    sql +=
        " WHERE m.state NOT IN ('delivered', 'failed', 'rejected') OR "
        "(e.require_ack = 1 AND e.acknowledged_at_us IS NULL)";
  }
  sql += " ORDER BY m.id DESC LIMIT ?1";
  ANDING_ASSIGN_OR_RETURN(auto select, db.Prepare(sql));
  select.Bind(1, int64_t{limit});
  std::vector<NotifyMessageRow> rows;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    auto event = EventFrom(select, 0);
    if (!event.ok()) return InRow("notify_events", select.Int64(0), event.status());
    auto message = MessageFrom(select, kEventColumnCount);
    if (!message.ok()) {
      return InRow("notify_messages", select.Int64(kEventColumnCount), message.status());
    }
    rows.push_back({std::move(*message), std::move(*event)});
  }
  return rows;
}

Result<std::pair<NotifyMessageRow, std::vector<notify::DeliveryLogEntry>>> ShowNotifyMessage(
    storage::Database& db, int64_t id) {
  ANDING_ASSIGN_OR_RETURN(
      auto select,
      db.Prepare(StrCat("SELECT ", kEventColumns, ", ", kMessageColumns,
                        " FROM notify_messages m JOIN notify_events e ON e.id = m.event_id "
                        "WHERE m.id = ?1")));
  select.Bind(1, id);
  ANDING_ASSIGN_OR_RETURN(bool found, select.Step());
  if (!found) return NotFoundError(StrCat("no notification ", id));
  auto event = EventFrom(select, 0);
  if (!event.ok()) return InRow("notify_events", select.Int64(0), event.status());
  auto message = MessageFrom(select, kEventColumnCount);
  if (!message.ok()) return InRow("notify_messages", id, message.status());
  std::vector<notify::DeliveryLogEntry> log;
  ANDING_ASSIGN_OR_RETURN(auto lines, db.Prepare("SELECT attempt_id, at_us, what, detail FROM "
                                                 "notify_delivery_log WHERE message_id = ?1 "
                                                 "ORDER BY seq"));
  lines.Bind(1, id);
  while (true) {
    ANDING_ASSIGN_OR_RETURN(bool row, lines.Step());
    if (!row) break;
    log.push_back(
        {id, lines.Text(0), FromUnixMicros(lines.Int64(1)), lines.Text(2), lines.Text(3)});
  }
  return std::pair(NotifyMessageRow{std::move(*message), std::move(*event)}, std::move(log));
}

}  // namespace anding::store

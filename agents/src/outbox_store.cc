#include "anding/agent/outbox_store.h"

#include "anding/common/strings.h"
#include "anding/wire/codec.h"

namespace anding::agent {
namespace {

std::vector<storage::Migration> Migrations() {
  return {{1, "outbox, received orders, counters", R"sql(
CREATE TABLE outbox (
  sequence INTEGER PRIMARY KEY CHECK (sequence > 0),
  message_id TEXT NOT NULL UNIQUE,
  payload_kind TEXT NOT NULL,
  summary TEXT NOT NULL,
  envelope BLOB NOT NULL,
  created_at_us INTEGER NOT NULL,
  state INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  ack BLOB,
  nack BLOB,
  updated_at_us INTEGER NOT NULL
);
CREATE INDEX outbox_queued ON outbox (sequence) WHERE state = 1;
CREATE TABLE orders (
  message_id TEXT PRIMARY KEY,
  sequence INTEGER NOT NULL,
  order_id TEXT NOT NULL UNIQUE,
  envelope BLOB NOT NULL,
  received_at_us INTEGER NOT NULL,
  acknowledged_at_us INTEGER,
  acknowledged_by TEXT
);
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
)sql"}};
}

v1::OutboxEntry ReadEntry(const storage::Statement& s) {
  v1::OutboxEntry entry;
  entry.set_sequence(static_cast<uint64_t>(s.Int64(0)));
  entry.set_message_id(s.Text(1));
  entry.set_payload_kind(s.Text(2));
  entry.set_summary(s.Text(3));
  *entry.mutable_created_at() = wire::ToProto(FromUnixMicros(s.Int64(4)));
  entry.set_state(static_cast<v1::DeliveryState>(s.Int64(5)));
  entry.set_attempts(static_cast<uint32_t>(s.Int64(6)));
  if (!s.IsNull(7)) wire::Decode(s.Blob(7), *entry.mutable_ack()).IgnoreError();
  if (!s.IsNull(8)) wire::Decode(s.Blob(8), *entry.mutable_nack()).IgnoreError();
  return entry;
}

constexpr std::string_view kEntryColumns =
    "sequence, message_id, payload_kind, summary, created_at_us, state, attempts, ack, nack";

}  // namespace

Result<std::unique_ptr<OutboxStore>> OutboxStore::Open(const std::string& path) {
  ANDING_ASSIGN_OR_RETURN(auto db, storage::Database::Open(path));
  ANDING_RETURN_IF_ERROR(db->Migrate("agent", Migrations()));
  std::unique_ptr<OutboxStore> outbox(new OutboxStore(std::move(db)));
  ANDING_ASSIGN_OR_RETURN(
      auto s, outbox->db_->Prepare("SELECT value FROM counters WHERE name = 'next_sequence'"));
  ANDING_ASSIGN_OR_RETURN(const bool row, s.Step());
  if (row) outbox->next_sequence_ = static_cast<uint64_t>(s.Int64(0));
  return outbox;
}

Status OutboxStore::Append(const std::vector<v1::Envelope>& envelopes, Time now) {
  uint64_t next = next_sequence_;
  ANDING_RETURN_IF_ERROR(storage::InTransaction(*db_, [&]() -> Status {
    for (const auto& envelope : envelopes) {
      if (envelope.sequence() != next) {
        return InternalError(StrCat("outbox sequence ", envelope.sequence(), " out of order"));
      }
      ANDING_ASSIGN_OR_RETURN(
          storage::Statement * s,
          db_->Cached("INSERT INTO outbox (sequence, message_id, payload_kind, summary, envelope, "
                      "created_at_us, state, updated_at_us) VALUES (?, ?, ?, ?, ?, ?, 1, ?)"));
      s->Bind(1, static_cast<int64_t>(envelope.sequence()))
          .Bind(2, envelope.message_id())
          .Bind(3, wire::PayloadKind(envelope))
          .Bind(4, wire::Summarize(envelope))
          .BindBlob(5, wire::Encode(envelope))
          .Bind(6, ToUnixMicros(now))
          .Bind(7, ToUnixMicros(now));
      ANDING_RETURN_IF_ERROR(s->Run());
      ++next;
    }
    ANDING_ASSIGN_OR_RETURN(storage::Statement * counter,
                            db_->Cached("INSERT INTO counters (name, value) VALUES "
                                        "('next_sequence', ?) ON CONFLICT (name) DO UPDATE SET "
                                        "value = excluded.value"));
    counter->Bind(1, static_cast<int64_t>(next));
    return counter->Run();
  }));
  next_sequence_ = next;
  return OkStatus();
}

Result<std::vector<v1::Envelope>> OutboxStore::LoadQueued() {
  ANDING_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT envelope FROM outbox WHERE state = 1 "
                                               "ORDER BY sequence"));
  std::vector<v1::Envelope> queued;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, s.Step());
    if (!row) return queued;
    v1::Envelope envelope;
    ANDING_RETURN_IF_ERROR(Annotate(wire::Decode(s.Blob(0), envelope), "outbox entry"));
    queued.push_back(std::move(envelope));
  }
}

Status OutboxStore::Record(const std::vector<Outcome>& outcomes, Time now) {
  if (outcomes.empty()) return OkStatus();
  return storage::InTransaction(*db_, [&]() -> Status {
    for (const auto& outcome : outcomes) {
      ANDING_ASSIGN_OR_RETURN(storage::Statement * s,
                              db_->Cached("UPDATE outbox SET state = ?, ack = ?, nack = ?, "
                                          "updated_at_us = ? WHERE sequence = ? AND state = 1"));
      s->Bind(1, int64_t{outcome.ack ? v1::DELIVERY_STATE_ACKED : v1::DELIVERY_STATE_REJECTED});
      if (outcome.ack) {
        s->BindBlob(2, wire::Encode(*outcome.ack));
      } else {
        s->BindNull(2);
      }
      if (outcome.nack) {
        s->BindBlob(3, wire::Encode(*outcome.nack));
      } else {
        s->BindNull(3);
      }
      s->Bind(4, ToUnixMicros(now)).Bind(5, static_cast<int64_t>(outcome.sequence));
      ANDING_RETURN_IF_ERROR(s->Run());
    }
    return OkStatus();
  });
}

Result<std::optional<v1::OutboxEntry>> OutboxStore::Find(std::string_view message_id) {
  ANDING_ASSIGN_OR_RETURN(
      auto s, db_->Prepare(StrCat("SELECT ", kEntryColumns, " FROM outbox WHERE message_id = ?")));
  s.Bind(1, message_id);
  ANDING_ASSIGN_OR_RETURN(const bool row, s.Step());
  if (!row) return std::optional<v1::OutboxEntry>();
  return std::optional<v1::OutboxEntry>(ReadEntry(s));
}

Result<std::vector<v1::OutboxEntry>> OutboxStore::List(bool all, uint32_t limit) {
  ANDING_ASSIGN_OR_RETURN(
      auto s,
      db_->Prepare(StrCat("SELECT ", kEntryColumns, " FROM outbox", all ? "" : " WHERE state = 1",
                          " ORDER BY sequence DESC LIMIT ", limit == 0 ? 50 : limit)));
  std::vector<v1::OutboxEntry> entries;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, s.Step());
    if (!row) return entries;
    entries.push_back(ReadEntry(s));
  }
}

Result<uint64_t> OutboxStore::CountQueued() {
  ANDING_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT COUNT(*) FROM outbox WHERE state = 1"));
  ANDING_ASSIGN_OR_RETURN(const bool row, s.Step());
  return row ? static_cast<uint64_t>(s.Int64(0)) : 0;
}

Status OutboxStore::Prune(Time before) {
  ANDING_ASSIGN_OR_RETURN(auto s, db_->Prepare("DELETE FROM outbox WHERE state != 1 AND "
                                               "updated_at_us < ? AND sequence < "
                                               "(SELECT MAX(sequence) FROM outbox)"));
  s.Bind(1, ToUnixMicros(before));
  return s.Run();
}

Result<bool> OutboxStore::StoreOrder(const v1::Envelope& envelope, Time now) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * s,
      db_->Cached("INSERT INTO orders (message_id, sequence, order_id, envelope, received_at_us) "
                  "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
  s->Bind(1, envelope.message_id())
      .Bind(2, static_cast<int64_t>(envelope.sequence()))
      .Bind(3, envelope.order().order_id())
      .BindBlob(4, wire::Encode(envelope))
      .Bind(5, ToUnixMicros(now));
  ANDING_RETURN_IF_ERROR(s->Run());
  return db_->Changes() > 0;
}

Status OutboxStore::AcknowledgeOrder(std::string_view order_id, std::string_view by, Time at) {
  ANDING_ASSIGN_OR_RETURN(auto s, db_->Prepare("UPDATE orders SET acknowledged_at_us = ?, "
                                               "acknowledged_by = ? WHERE order_id = ? AND "
                                               "acknowledged_at_us IS NULL"));
  s.Bind(1, ToUnixMicros(at)).Bind(2, by).Bind(3, order_id);
  return s.Run();
}

Result<std::vector<v1::ReceivedOrder>> OutboxStore::ListOrders(bool all) {
  ANDING_ASSIGN_OR_RETURN(
      auto s,
      db_->Prepare(StrCat("SELECT envelope, received_at_us, acknowledged_at_us, "
                          "acknowledged_by FROM orders",
                          all ? "" : " WHERE acknowledged_at_us IS NULL", " ORDER BY sequence")));
  std::vector<v1::ReceivedOrder> orders;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, s.Step());
    if (!row) return orders;
    v1::ReceivedOrder order;
    wire::Decode(s.Blob(0), *order.mutable_envelope()).IgnoreError();
    *order.mutable_received_at() = wire::ToProto(FromUnixMicros(s.Int64(1)));
    if (auto at = s.OptionalInt64(2)) {
      *order.mutable_acknowledged_at() = wire::ToProto(FromUnixMicros(*at));
      order.set_acknowledged_by(s.Text(3));
    }
    orders.push_back(std::move(order));
  }
}

Result<bool> OutboxStore::HasOrder(std::string_view order_id) {
  ANDING_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT 1 FROM orders WHERE order_id = ?"));
  s.Bind(1, order_id);
  return s.Step();
}

}  // namespace anding::agent

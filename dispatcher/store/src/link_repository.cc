#include "anding/store/link_repository.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <limits>
#include <map>
#include <optional>

#include "anding/common/strings.h"

namespace anding::store {

std::vector<storage::Migration> LinkMigrations() {
  return {
      {1, "events, agents, outbound orders, counters",
       R"sql(
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  unit_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  sequence INTEGER NOT NULL CHECK (sequence > 0),
  payload_kind TEXT NOT NULL,
  sent_at_us INTEGER NOT NULL,
  received_at_us INTEGER NOT NULL,
  record_id TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL,
  envelope BLOB NOT NULL,
  UNIQUE (unit_id, message_id)
);
CREATE INDEX events_by_received ON events (received_at_us);
CREATE INDEX events_by_unit ON events (unit_id, id);
CREATE TABLE agents (
  unit_id TEXT PRIMARY KEY,
  online INTEGER NOT NULL CHECK (online IN (0, 1)),
  last_seen_us INTEGER,
  last_sequence INTEGER NOT NULL DEFAULT 0,
  sequence_gaps INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE outbound (
  unit_id TEXT NOT NULL,
  sequence INTEGER NOT NULL CHECK (sequence > 0),
  message_id TEXT NOT NULL UNIQUE,
  order_id TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  acked_at_us INTEGER,
  envelope BLOB NOT NULL,
  PRIMARY KEY (unit_id, sequence)
);
CREATE INDEX outbound_pending ON outbound (unit_id, sequence) WHERE acked_at_us IS NULL;
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
)sql"},
      // Superseded by the audit trail (domain "audit", audit_repository.h);
      // rows written before it stay here, outside the chain.
      {2, "operator actions (audit)",
       R"sql(
CREATE TABLE operator_actions (
  id INTEGER PRIMARY KEY,
  at_us INTEGER NOT NULL,
  operator TEXT NOT NULL,
  request_kind TEXT NOT NULL,
  request BLOB NOT NULL,
  outcome TEXT NOT NULL
);
)sql"},
      // Rows inserted from here on have time-ordered ids (see InsertEvents),
      // so the de-duplication load is a range of ids and the per-unit
      // listing follows the (unit_id, message_id) index: the two indexes
      // every insert paid for (a third of the commit thread's work) go.
      {3, "events: time-ordered ids instead of two secondary indexes",
       R"sql(
DROP INDEX events_by_received;
DROP INDEX events_by_unit;
)sql"},
      {4, "agents: fresh messages that reused a sequence number",
       "ALTER TABLE agents ADD COLUMN repeated_sequences INTEGER NOT NULL DEFAULT 0;"},
      {5, "events: the judged filing time and the clock correction applied",
       R"sql(
ALTER TABLE events ADD COLUMN filed_at_us INTEGER;
ALTER TABLE events ADD COLUMN clock_correction_us INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN filed_at_basis TEXT NOT NULL DEFAULT '';
)sql"},
      {6, "agents: the last measured clock offset",
       R"sql(
ALTER TABLE agents ADD COLUMN clock_offset_us INTEGER;
ALTER TABLE agents ADD COLUMN clock_round_trip_us INTEGER NOT NULL DEFAULT 0;
)sql"},
      // Listing by payload kind follows an index instead of the whole
      // table; the counts per unit and kind, kept by InsertEvents in the
      // same transaction, answer every total (the list's, the feed's at
      // start and recovery) without counting the history. Counting the
      // events already stored runs once, here.
      {7, "events: an index by payload kind, counts per unit and kind",
       R"sql(
CREATE INDEX events_by_kind ON events (payload_kind, id);
CREATE TABLE event_counts (
  unit_id TEXT NOT NULL,
  payload_kind TEXT NOT NULL,
  events INTEGER NOT NULL CHECK (events >= 0),
  PRIMARY KEY (unit_id, payload_kind)
) WITHOUT ROWID;
INSERT INTO event_counts (unit_id, payload_kind, events)
  SELECT unit_id, payload_kind, COUNT(*) FROM events GROUP BY unit_id, payload_kind;
)sql"},
      // Rows stored before schema 3 (or received before 1970-01-12, which
      // no clock of a real office gives) have ids below the time-ordered
      // range; the de-duplication load reads those received since an
      // instant through this index instead of reading them all. Rows with
      // time-ordered ids are not in it, so inserts do not pay for it.
      {8, "events: an index of the rows without time-ordered ids, by receipt",
       R"sql(
CREATE INDEX events_before_time_ordered_ids ON events (received_at_us)
  WHERE id < 1000000000000;
)sql"},
  };
}

namespace {

// The kEventColumns from column `first` on.
EventRow ReadEvent(const storage::Statement& s, int first = 0) {
  EventRow row;
  row.unit_id = s.Text(first + 0);
  row.message_id = s.Text(first + 1);
  row.sequence = static_cast<uint64_t>(s.Int64(first + 2));
  row.payload_kind = s.Text(first + 3);
  row.sent_at = FromUnixMicros(s.Int64(first + 4));
  row.received_at = FromUnixMicros(s.Int64(first + 5));
  row.record_id = s.Text(first + 6);
  row.summary = s.Text(first + 7);
  row.envelope = s.Blob(first + 8);
  if (auto filed = s.OptionalInt64(first + 9)) row.filed_at = FromUnixMicros(*filed);
  row.clock_correction = Duration(s.Int64(first + 10));
  row.filed_at_basis = s.Text(first + 11);
  return row;
}

constexpr std::string_view kEventColumns =
    "unit_id, message_id, sequence, payload_kind, sent_at_us, received_at_us, record_id, "
    "summary, envelope, filed_at_us, clock_correction_us, filed_at_basis";

OutboundRow ReadOutbound(const storage::Statement& s) {
  OutboundRow row;
  row.unit_id = s.Text(0);
  row.sequence = static_cast<uint64_t>(s.Int64(1));
  row.message_id = s.Text(2);
  row.order_id = s.Text(3);
  row.created_at = FromUnixMicros(s.Int64(4));
  if (auto acked = s.OptionalInt64(5)) row.acked_at = FromUnixMicros(*acked);
  row.envelope = s.Blob(6);
  return row;
}

constexpr std::string_view kOutboundColumns =
    "unit_id, sequence, message_id, order_id, created_at_us, acked_at_us, envelope";

// WHERE clause and bindings shared by ListEvents and CountEvents.
std::string EventFilter(const EventQuery& query) {
  std::string where = " WHERE 1=1";
  if (!query.unit_id.empty()) where += " AND unit_id = ?";
  if (!query.payload_kind.empty()) where += " AND payload_kind = ?";
  return where;
}

int BindEventFilter(storage::Statement& s, const EventQuery& query) {
  int index = 1;
  if (!query.unit_id.empty()) s.Bind(index++, query.unit_id);
  if (!query.payload_kind.empty()) s.Bind(index++, query.payload_kind);
  return index;
}

// A page's cursor is the sort key of its last row: the id in receipt order
// (all units), the message id in one unit's order. The prefix tells them
// apart, so that a cursor is never read in the other order.
constexpr std::string_view kIdCursor = "id:";
constexpr std::string_view kMessageCursor = "mid:";

// Adds the events' counts per unit and kind; in the transaction that
// inserted them.
Status CountInserted(storage::Database& db, std::span<const EventRow> rows) {
  std::map<std::pair<std::string_view, std::string_view>, int64_t> added;
  for (const EventRow& row : rows) ++added[{row.unit_id, row.payload_kind}];
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * s,
      db.Cached("INSERT INTO event_counts (unit_id, payload_kind, events) VALUES (?, ?, ?) "
                "ON CONFLICT (unit_id, payload_kind) DO UPDATE SET "
                "events = events + excluded.events"));
  for (const auto& [key, count] : added) {
    s->Bind(1, key.first).Bind(2, key.second).Bind(3, count);
    const Status status = s->Run();
    s->Reset();
    ANDING_RETURN_IF_ERROR(status);
  }
  return OkStatus();
}

}  // namespace

Status InsertEvents(storage::Database& db, std::span<const EventRow> rows) {
  // id = the receipt time in microseconds, or one more than the newest id
  // if that is larger (several events in one microsecond, or a clock that
  // went back): unique, increasing, and never smaller than the receipt
  // time, which is what ForEachEventSince relies on. The newest id is read
  // once per batch (one step down the table's b-tree), in the transaction
  // that writes the batch.
  ANDING_ASSIGN_OR_RETURN(storage::Statement * newest, db.Cached("SELECT MAX(id) FROM events"));
  ANDING_RETURN_IF_ERROR(newest->Step().status());
  int64_t last_id = newest->Int64(0);  // 0 for an empty table
  newest->Reset();
  static const std::string sql = StrCat("INSERT INTO events (id, ", kEventColumns,
                                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ANDING_ASSIGN_OR_RETURN(storage::Statement * s, db.Cached(sql));
  // The rows outlive each step: bound without copying.
  constexpr auto kKeep = storage::Statement::Keep::kUntilReset;
  for (const EventRow& row : rows) {
    last_id = std::max(ToUnixMicros(row.received_at), last_id + 1);
    s->Bind(1, last_id)
        .Bind(2, row.unit_id, kKeep)
        .Bind(3, row.message_id, kKeep)
        .Bind(4, static_cast<int64_t>(row.sequence))
        .Bind(5, row.payload_kind, kKeep)
        .Bind(6, ToUnixMicros(row.sent_at))
        .Bind(7, ToUnixMicros(row.received_at))
        .Bind(8, row.record_id, kKeep)
        .Bind(9, row.summary, kKeep)
        .BindBlob(10, row.envelope, kKeep)
        .Bind(11, row.filed_at ? std::optional<int64_t>(ToUnixMicros(*row.filed_at)) : std::nullopt)
        .Bind(12, static_cast<int64_t>(row.clock_correction.count()))
        .Bind(13, row.filed_at_basis, kKeep);
    const Status status = s->Run();
    s->Reset();
    ANDING_RETURN_IF_ERROR(status);
  }
  return CountInserted(db, rows);
}

Status InsertEvent(storage::Database& db, const EventRow& row) {
  return InsertEvents(db, {&row, 1});
}

Result<std::optional<EventRow>> FindEvent(storage::Database& db, std::string_view unit_id,
                                          std::string_view message_id) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement * s,
                          db.Cached(StrCat("SELECT ", kEventColumns,
                                           " FROM events WHERE unit_id = ? AND message_id = ?")));
  s->Bind(1, unit_id).Bind(2, message_id);
  ANDING_ASSIGN_OR_RETURN(const bool row, s->Step());
  std::optional<EventRow> found;
  if (row) found = ReadEvent(*s);
  // A statement left on its row would hold the connection's read
  // transaction open: every later read on it would see the store as of now.
  s->Reset();
  return found;
}

Status ForEachEventSince(storage::Database& db, Time since,
                         const std::function<void(EventKey)>& visit) {
  // Time-ordered ids are never smaller than their receipt time, so every
  // event received since `since` has id >= since: a range of the table.
  // Rows stored before schema 3 have small ids (a count); those received
  // since `since` are a range of their own partial index (migration 8),
  // whose condition the second query repeats word for word, so that SQLite
  // can use it. The first id of the time-ordered range: 1970-01-12 in µs.
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement s,
      db.Prepare("SELECT unit_id, message_id, received_at_us, record_id FROM events "
                 "WHERE id >= MAX(?1, 1000000000000) "
                 "UNION ALL "
                 "SELECT unit_id, message_id, received_at_us, record_id FROM events "
                 "INDEXED BY events_before_time_ordered_ids "
                 "WHERE id < 1000000000000 AND received_at_us >= ?1"));
  s.Bind(1, ToUnixMicros(since));
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, s.Step());
    if (!row) return OkStatus();
    const Time received_at = FromUnixMicros(s.Int64(2));
    if (received_at < since) continue;  // ids run ahead of receipt in a burst
    visit(EventKey{s.Text(0), s.Text(1), received_at, s.Text(3)});
  }
}

Result<EventPage> ListEventPage(storage::Database& db, const EventQuery& query) {
  // One unit's events follow its agent's message ids (UUIDv7: the order in
  // which the agent recorded them), along the (unit_id, message_id) index;
  // all units' events follow the order of receipt (time-ordered ids), or
  // for one kind the (payload_kind, id) index. A page starts after the
  // cursor's key, so every page is one step down an index.
  const bool by_unit = !query.unit_id.empty();
  const std::string_view prefix = by_unit ? kMessageCursor : kIdCursor;
  std::string where = EventFilter(query);
  // Without a cursor, all units' events start below the largest id: the
  // same range step down the table (SEARCH, not SCAN) as every later page.
  std::optional<int64_t> after_id;
  if (!by_unit) {
    after_id = std::numeric_limits<int64_t>::max();
    where += " AND id < ?";
  }
  std::string after_message;
  if (!query.cursor.empty()) {
    if (!query.cursor.starts_with(prefix)) {
      return InvalidArgumentError("cursor: not one this listing returned");
    }
    const std::string_view key = std::string_view(query.cursor).substr(prefix.size());
    if (by_unit) {
      after_message = std::string(key);
      where += " AND message_id < ?";
    } else {
      int64_t id = 0;
      const auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), id);
      if (error != std::errc() || end != key.data() + key.size()) {
        return InvalidArgumentError("cursor: not one this listing returned");
      }
      after_id = id;
    }
  }
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement s,
      db.Prepare(StrCat("SELECT id, ", kEventColumns, " FROM events", where, " ORDER BY ",
                        by_unit ? "message_id" : "id", " DESC LIMIT ", query.limit + 1)));
  const int next = BindEventFilter(s, query);
  if (after_id) s.Bind(next, *after_id);
  if (by_unit && !query.cursor.empty()) s.Bind(next, after_message);
  EventPage page;
  int64_t last_id = 0;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, s.Step());
    if (!row) return page;
    if (page.rows.size() == query.limit) {
      // One more than asked: there is a next page, after the last row kept.
      page.next_cursor =
          by_unit ? StrCat(prefix, page.rows.back().message_id) : StrCat(prefix, last_id);
      return page;
    }
    last_id = s.Int64(0);
    page.rows.push_back(ReadEvent(s, 1));
  }
}

Result<std::vector<EventRow>> ListEvents(storage::Database& db, const EventQuery& query) {
  ANDING_ASSIGN_OR_RETURN(EventPage page, ListEventPage(db, query));
  return std::move(page.rows);
}

Result<uint64_t> CountEvents(storage::Database& db, const EventQuery& query) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement s,
      db.Prepare(StrCat("SELECT COALESCE(SUM(events), 0) FROM event_counts", EventFilter(query))));
  BindEventFilter(s, query);
  ANDING_ASSIGN_OR_RETURN(const bool row, s.Step());
  return row ? static_cast<uint64_t>(s.Int64(0)) : 0;
}

Status SaveAgent(storage::Database& db, const AgentRow& row) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * s,
      db.Cached("INSERT INTO agents (unit_id, online, last_seen_us, last_sequence, sequence_gaps, "
                "repeated_sequences, clock_offset_us, clock_round_trip_us) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (unit_id) DO UPDATE SET "
                "online = excluded.online, last_seen_us = excluded.last_seen_us, "
                "last_sequence = excluded.last_sequence, sequence_gaps = excluded.sequence_gaps, "
                "repeated_sequences = excluded.repeated_sequences, "
                "clock_offset_us = excluded.clock_offset_us, "
                "clock_round_trip_us = excluded.clock_round_trip_us"));
  s->Bind(1, row.unit_id)
      .Bind(2, int64_t{row.online ? 1 : 0})
      .Bind(3, row.last_seen ? std::optional<int64_t>(ToUnixMicros(*row.last_seen))
                             : std::optional<int64_t>())
      .Bind(4, static_cast<int64_t>(row.last_sequence))
      .Bind(5, static_cast<int64_t>(row.sequence_gaps))
      .Bind(6, static_cast<int64_t>(row.repeated_sequences))
      .Bind(7, row.clock_offset ? std::optional<int64_t>(row.clock_offset->count())
                                : std::optional<int64_t>())
      .Bind(8, static_cast<int64_t>(row.clock_round_trip.count()));
  return s->Run();
}

Result<std::vector<AgentRow>> LoadAgents(storage::Database& db) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement s,
      db.Prepare("SELECT unit_id, online, last_seen_us, last_sequence, "
                 "sequence_gaps, repeated_sequences, clock_offset_us, clock_round_trip_us "
                 "FROM agents ORDER BY unit_id"));
  std::vector<AgentRow> rows;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool more, s.Step());
    if (!more) return rows;
    AgentRow row;
    row.unit_id = s.Text(0);
    row.online = s.Int64(1) != 0;
    if (auto seen = s.OptionalInt64(2)) row.last_seen = FromUnixMicros(*seen);
    row.last_sequence = static_cast<uint64_t>(s.Int64(3));
    row.sequence_gaps = static_cast<uint64_t>(s.Int64(4));
    row.repeated_sequences = static_cast<uint64_t>(s.Int64(5));
    if (auto offset = s.OptionalInt64(6)) row.clock_offset = Duration(*offset);
    row.clock_round_trip = Duration(s.Int64(7));
    rows.push_back(std::move(row));
  }
}

Status InsertOutbound(storage::Database& db, const OutboundRow& row) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement * s,
                          db.Cached(StrCat("INSERT INTO outbound (", kOutboundColumns,
                                           ") VALUES (?, ?, ?, ?, ?, ?, ?)")));
  s->Bind(1, row.unit_id)
      .Bind(2, static_cast<int64_t>(row.sequence))
      .Bind(3, row.message_id)
      .Bind(4, row.order_id)
      .Bind(5, ToUnixMicros(row.created_at))
      .Bind(6, row.acked_at ? std::optional<int64_t>(ToUnixMicros(*row.acked_at))
                            : std::optional<int64_t>())
      .BindBlob(7, row.envelope);
  return s->Run();
}

Status MarkOutboundAcked(storage::Database& db, std::string_view unit_id,
                         std::string_view message_id, Time acked_at) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement * s,
                          db.Cached("UPDATE outbound SET acked_at_us = ? WHERE unit_id = ? AND "
                                    "message_id = ? AND acked_at_us IS NULL"));
  s->Bind(1, ToUnixMicros(acked_at)).Bind(2, unit_id).Bind(3, message_id);
  return s->Run();
}

Result<std::vector<OutboundRow>> LoadPendingOutbound(storage::Database& db,
                                                     std::string_view unit_id,
                                                     uint64_t after_sequence,
                                                     uint64_t through_sequence, uint32_t limit) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * s,
      db.Cached(StrCat("SELECT ", kOutboundColumns,
                       " FROM outbound WHERE unit_id = ? AND acked_at_us IS NULL AND "
                       "sequence > ? AND sequence <= ? ORDER BY sequence LIMIT ?")));
  s->Bind(1, unit_id)
      .Bind(2, static_cast<int64_t>(after_sequence))
      .Bind(3, static_cast<int64_t>(
                   std::min<uint64_t>(through_sequence, std::numeric_limits<int64_t>::max())))
      .Bind(4, static_cast<int64_t>(limit));
  std::vector<OutboundRow> rows;
  while (true) {
    auto more = s->Step();
    if (!more.ok()) {
      s->Reset();
      return more.status();
    }
    if (!*more) break;
    rows.push_back(ReadOutbound(*s));
  }
  s->Reset();
  return rows;
}

Result<std::vector<std::pair<std::string, uint64_t>>> CountPendingOutbound(storage::Database& db) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement s,
      db.Prepare("SELECT unit_id, COUNT(*) FROM outbound WHERE acked_at_us IS NULL "
                 "GROUP BY unit_id ORDER BY unit_id"));
  std::vector<std::pair<std::string, uint64_t>> counts;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool more, s.Step());
    if (!more) return counts;
    counts.emplace_back(s.Text(0), static_cast<uint64_t>(s.Int64(1)));
  }
}

Result<std::vector<std::pair<std::string, uint64_t>>> LoadOutboundSequences(storage::Database& db) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement s,
      // One index search per unit (a skip scan), not a scan of every order;
      // the units come in order.
      db.Prepare("WITH RECURSIVE units(unit) AS ("
                 " SELECT MIN(unit_id) FROM outbound"
                 " UNION ALL SELECT (SELECT MIN(unit_id) FROM outbound WHERE unit_id > unit)"
                 " FROM units WHERE unit IS NOT NULL)"
                 " SELECT unit, (SELECT MAX(sequence) FROM outbound WHERE unit_id = unit)"
                 " FROM units WHERE unit IS NOT NULL"));
  std::vector<std::pair<std::string, uint64_t>> rows;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool more, s.Step());
    if (!more) return rows;
    rows.emplace_back(s.Text(0), static_cast<uint64_t>(s.Int64(1)));
  }
}

Result<std::vector<OutboundRow>> ListOutbound(storage::Database& db, std::string_view unit_id,
                                              uint32_t limit) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement s,
                          db.Prepare(StrCat("SELECT ", kOutboundColumns,
                                            " FROM outbound WHERE (?1 = '' OR unit_id = ?1) "
                                            "ORDER BY created_at_us DESC LIMIT ",
                                            limit)));
  s.Bind(1, unit_id);
  std::vector<OutboundRow> rows;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool more, s.Step());
    if (!more) return rows;
    rows.push_back(ReadOutbound(s));
  }
}

Status SaveCounter(storage::Database& db, std::string_view name, int64_t value) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement * s,
                          db.Cached("INSERT INTO counters (name, value) VALUES (?, ?) "
                                    "ON CONFLICT (name) DO UPDATE SET value = excluded.value"));
  s->Bind(1, name).Bind(2, value);
  return s->Run();
}

Result<int64_t> LoadCounter(storage::Database& db, std::string_view name) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement s,
                          db.Prepare("SELECT value FROM counters WHERE name = ?"));
  s.Bind(1, name);
  ANDING_ASSIGN_OR_RETURN(const bool row, s.Step());
  return row ? s.Int64(0) : 0;
}

}  // namespace anding::store

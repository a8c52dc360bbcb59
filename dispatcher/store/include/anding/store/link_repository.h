// Storage for the agent link: the events agents delivered, the agents'
// liveness and sequence bookkeeping, the orders waiting for an agent's ack,
// and small counters (the live feed's sequence). SQL for these tables lives
// only here. Every Save* runs inside a transaction opened by the caller.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "anding/common/time.h"
#include "anding/storage/database.h"

namespace anding::store {

[[nodiscard]] std::vector<storage::Migration> LinkMigrations();

// One envelope an agent delivered, as stored.
struct EventRow {
  std::string unit_id;
  std::string message_id;
  uint64_t sequence = 0;
  std::string payload_kind;
  Time sent_at{};
  Time received_at{};
  std::string record_id;  // record the event created or changed, if any
  std::string summary;
  std::string envelope;  // the serialized anding.v1.Envelope as received
  // When the unit filed it, as judged (JudgeFilingTime): what lateness is
  // judged by. nullopt for events stored before it was recorded.
  std::optional<Time> filed_at;
  // Added to the agent's times for its clock offset (zero: none).
  Duration clock_correction{};
  // Why filed_at is not the agent's sent_at; empty when it is.
  std::string filed_at_basis;
};

// Inserts `row` with a time-ordered id (its receipt time in microseconds,
// made unique). FailedPrecondition if (unit_id, message_id) exists.
[[nodiscard]] Status InsertEvent(storage::Database& db, const EventRow& row);
// Inserts `rows` in order with one prepared statement, and adds them to the
// counts per unit and kind; stops at the first failure (the caller's
// transaction then rolls back).
[[nodiscard]] Status InsertEvents(storage::Database& db, std::span<const EventRow> rows);

// The stored event (unit_id, message_id), if any.
[[nodiscard]] Result<std::optional<EventRow>> FindEvent(storage::Database& db,
                                                        std::string_view unit_id,
                                                        std::string_view message_id);

// (unit_id, message_id, received_at, record_id) of events received at or
// after `since`, to rebuild the intake's de-duplication index.
struct EventKey {
  std::string unit_id;
  std::string message_id;
  Time received_at{};
  std::string record_id;
};
[[nodiscard]] Status ForEachEventSince(storage::Database& db, Time since,
                                       const std::function<void(EventKey)>& visit);

struct EventQuery {
  std::string unit_id;       // empty = all
  std::string payload_kind;  // empty = all
  uint32_t limit = 50;
  // Where the previous page ended (EventPage::next_cursor); empty = from
  // the newest.
  std::string cursor;
};
struct EventPage {
  std::vector<EventRow> rows;
  // Empty when nothing follows; otherwise the cursor of the next page.
  std::string next_cursor;
};
// Newest first: by receipt, or for one unit by its agent's message ids
// (UUIDv7, so in the order the agent recorded them); one page of at most
// `limit`, each page one range of an index whatever the history's length.
// InvalidArgument for a cursor this listing did not return.
[[nodiscard]] Result<EventPage> ListEventPage(storage::Database& db, const EventQuery& query);
// The first page's rows (ListEventPage without its cursor).
[[nodiscard]] Result<std::vector<EventRow>> ListEvents(storage::Database& db,
                                                       const EventQuery& query);
// How many events match (limit and cursor ignored), from the counts kept
// per unit and kind: no count of the history.
[[nodiscard]] Result<uint64_t> CountEvents(storage::Database& db, const EventQuery& query);

struct AgentRow {
  std::string unit_id;
  bool online = false;
  std::optional<Time> last_seen;
  uint64_t last_sequence = 0;
  uint64_t sequence_gaps = 0;
  // Fresh messages (new ids) whose sequence number the agent had used before.
  uint64_t repeated_sequences = 0;
  // The last measured clock offset (dispatcher − agent) and its round trip,
  // so that a restarted dispatcher corrects the agent's backlog at once.
  std::optional<Duration> clock_offset;
  Duration clock_round_trip{};
};
[[nodiscard]] Status SaveAgent(storage::Database& db, const AgentRow& row);
[[nodiscard]] Result<std::vector<AgentRow>> LoadAgents(storage::Database& db);

// An order (or any envelope) waiting for a unit's agent to acknowledge it.
struct OutboundRow {
  std::string unit_id;
  uint64_t sequence = 0;  // per unit, from 1
  std::string message_id;
  std::string order_id;
  Time created_at{};
  std::optional<Time> acked_at;
  std::string envelope;  // serialized anding.v1.Envelope
};
[[nodiscard]] Status InsertOutbound(storage::Database& db, const OutboundRow& row);
[[nodiscard]] Status MarkOutboundAcked(storage::Database& db, std::string_view unit_id,
                                       std::string_view message_id, Time acked_at);
// A unit's rows not yet acknowledged with a sequence in (after_sequence,
// through_sequence], by sequence, at most `limit`.
[[nodiscard]] Result<std::vector<OutboundRow>> LoadPendingOutbound(storage::Database& db,
                                                                   std::string_view unit_id,
                                                                   uint64_t after_sequence,
                                                                   uint64_t through_sequence,
                                                                   uint32_t limit);
// How many rows each unit has not yet acknowledged (units with none are
// left out), by unit.
[[nodiscard]] Result<std::vector<std::pair<std::string, uint64_t>>> CountPendingOutbound(
    storage::Database& db);
// Highest sequence used per unit (acknowledged or not).
[[nodiscard]] Result<std::vector<std::pair<std::string, uint64_t>>> LoadOutboundSequences(
    storage::Database& db);
// Orders for one unit, newest first (for operators).
[[nodiscard]] Result<std::vector<OutboundRow>> ListOutbound(storage::Database& db,
                                                            std::string_view unit_id,
                                                            uint32_t limit);

// Named integer counters ("feed_sequence").
[[nodiscard]] Status SaveCounter(storage::Database& db, std::string_view name, int64_t value);
[[nodiscard]] Result<int64_t> LoadCounter(storage::Database& db, std::string_view name);

}  // namespace anding::store

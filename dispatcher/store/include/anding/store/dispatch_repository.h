// Storage for the dispatch module (core/dispatch): incidents, runtime
// availability of teams, members and vehicles, and the per-day incident id
// counters. SQL for these tables lives only here.
//
// Tables (domain "dispatch"):
//   dispatch_incidents        one row per incident; the report's fields as
//                             columns, responses (deadlines, watch state,
//                             arrival), assignments (proposals with their
//                             explanations) and the timeline as JSON text
//                             (times are integer microseconds, *_us).
//   dispatch_resource_status  availability set at runtime (kind, id).
//   dispatch_id_counters      last incident number per local day.
//   dispatch_deadlines        a view, one row per incident × unit, for
//                             reading deadlines in the sqlite3 CLI.
//
// Saving is an upsert of each record in a change set and runs inside a
// transaction opened by the caller (the shell commits the inbound event and
// the records it changed together). Load returns what
// DispatchModule::Restore needs.
// Thread-safety: as storage::Database (one thread at a time).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "anding/common/status.h"
#include "anding/core/dispatch/records.h"
#include "anding/core/dispatch/requests.h"
#include "anding/storage/database.h"

namespace anding::store {

// The dispatch domain's migrations, for storage::Database::Migrate("dispatch", ...).
[[nodiscard]] std::vector<storage::Migration> DispatchMigrations();

// Upserts every record in `changes` (DispatchModule::Changes). Several
// change sets may go, in the order they were taken, into one transaction.
// An incident loaded without the stored part of its timeline
// (Incident::timeline_stored) is saved with that part read back first, so
// the row is what it would be had the module held it all.
// Errors are storage::Database's (Unavailable: retry the transaction);
// DataLoss if the stored timeline is shorter than timeline_stored.
[[nodiscard]] Status SaveDispatchChanges(storage::Database& db,
                                         const core::dispatch::DispatchChangeSet& changes);

// Everything stored, in DispatchSnapshot's canonical order. DataLoss naming
// the table, the row and the field when a row cannot be decoded (an
// unknown enum name, malformed JSON, a malformed actor).
[[nodiscard]] Result<core::dispatch::DispatchSnapshot> LoadDispatch(storage::Database& db);

// What the dispatch module holds (LoadOpenDispatch), and the highest
// sequence ever stored, so that a new incident never repeats one.
struct OpenDispatch {
  core::dispatch::DispatchSnapshot snapshot;
  uint64_t last_sequence = 0;
};

// What LoadOpenDispatch reads of the incidents' timelines.
enum class LoadedTimelines {
  kWhole,
  // Only those core::dispatch::HoldsLoadedTimeline keeps; the others are
  // left in the store, their entries counted in Incident::timeline_stored
  // (never decoded, so never in memory).
  kReleased,
};

// Given each incident not closed or cancelled as LoadOpenDispatch decodes
// it, before its timeline (empty here) is read: true leaves it out of the
// snapshot (the caller keeps what it needs of it), false keeps it.
using LeftInStore = std::function<bool(const core::dispatch::Incident&)>;

// The incidents not closed or cancelled (but for those `leave` takes), the
// closed and cancelled ones reported at or after `since` (by sequence),
// every resource status and id counter. One incident is decoded at a time,
// so those left out never are in memory together. Errors as LoadDispatch.
[[nodiscard]] Result<OpenDispatch> LoadOpenDispatch(
    storage::Database& db, Time since, LoadedTimelines timelines = LoadedTimelines::kWhole,
    const LeftInStore& leave = {});

// The stored incident `id`, or nullopt. Errors as LoadDispatch.
[[nodiscard]] Result<std::optional<core::dispatch::Incident>> FindStoredIncident(
    storage::Database& db, const std::string& id);
// The stored incident numbered `sequence`, or nullopt (a parked one read
// back by the dispatch module). Errors as LoadDispatch.
[[nodiscard]] Result<std::optional<core::dispatch::Incident>> FindStoredIncidentBySequence(
    storage::Database& db, uint64_t sequence);
// Puts back the part of `incident`'s timeline left in the store at the
// load (Incident::timeline_stored, the first entries of the stored row) before
// what `incident` holds; timeline_stored becomes 0. For views of a held
// incident. DataLoss if the row is missing or its timeline is shorter;
// otherwise errors as LoadDispatch.
[[nodiscard]] Status CompleteTimeline(storage::Database& db, core::dispatch::Incident& incident);
// The stored incident reported with `request_id` (not empty), or nullopt.
[[nodiscard]] Result<std::optional<core::dispatch::Incident>> FindStoredIncidentByRequest(
    storage::Database& db, const std::string& request_id);

// The stored incidents matching `filter` (every field, as
// DispatchModule::ListIncidents), newest first, at most filter.limit
// (0: all). Errors as LoadDispatch.
[[nodiscard]] Result<std::vector<core::dispatch::Incident>> LoadIncidents(
    storage::Database& db, const core::dispatch::IncidentFilter& filter);

}  // namespace anding::store

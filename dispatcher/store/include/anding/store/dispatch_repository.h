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
// Every Save* is an upsert and runs inside a transaction opened by the
// caller (the shell commits the inbound event and the records it changed
// together). Load returns what DispatchModule::Restore needs.
// Thread-safety: as storage::Database (one thread at a time).
#pragma once

#include <vector>

#include "anding/common/status.h"
#include "anding/core/dispatch/dispatch_module.h"
#include "anding/core/dispatch/records.h"
#include "anding/core/effects.h"
#include "anding/storage/database.h"

namespace anding::store {

// The dispatch domain's migrations, for storage::Database::Migrate("dispatch", ...).
[[nodiscard]] std::vector<storage::Migration> DispatchMigrations();

// Upserts one record. Unavailable on I/O errors (retry the transaction).
[[nodiscard]] Status SaveDispatchIncident(storage::Database& db, const core::dispatch::Incident& incident);
[[nodiscard]] Status SaveDispatchResourceStatus(storage::Database& db,
                                                const core::dispatch::ResourceStatus& status);
[[nodiscard]] Status SaveDispatchIdCounter(storage::Database& db, const core::dispatch::IdCounter& counter);

// Saves every record of the dispatch module named in `changed` (the
// Effects of one command or Tick), reading it from `module`; refs of other
// kinds are ignored. NotFound if a ref names a record the module lacks
// (a bug in the caller: effects from another module instance).
[[nodiscard]] Status SaveDispatchChanges(storage::Database& db, const core::dispatch::DispatchModule& module,
                                         const std::vector<core::RecordRef>& changed);

// Saves every record in `snapshot` (a fresh file, an export).
[[nodiscard]] Status SaveDispatchSnapshot(storage::Database& db,
                                          const core::dispatch::DispatchSnapshot& snapshot);

// Everything stored, in DispatchSnapshot's canonical order. DataLoss when a
// row cannot be decoded (unknown enum name, malformed JSON).
[[nodiscard]] Result<core::dispatch::DispatchSnapshot> LoadDispatch(storage::Database& db);

}  // namespace anding::store

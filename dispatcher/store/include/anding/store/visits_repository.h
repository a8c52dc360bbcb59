// Persistence of the visit register and petition matters (domain
// "visits"): the only code that writes SQL for them.
//
// The schema checks again what the core enforces: batches at least 1,
// persons at least batches, known channel, destination level and matter
// state names, an extension of at most one step (a non-negative number of
// days, with its reason), and a visit that does not repeat itself.
//
// Save functions run inside a transaction the shell opens; they do not open
// one. Thread-safety: as storage::Database (one thread at a time).
#pragma once

#include <vector>

#include "anding/common/status.h"
#include "anding/core/visits/records.h"
#include "anding/storage/database.h"

namespace anding::store {

// The visits schema, for storage::Database::Migrate("visits", VisitsMigrations()).
[[nodiscard]] std::vector<storage::Migration> VisitsMigrations();

// Writes every visit and matter of `changes` (insert or replace by id).
// FailedPrecondition when the schema refuses a row.
[[nodiscard]] Status SaveVisitsChanges(storage::Database& db,
                                       const core::visits::VisitsChangeSet& changes);

// Everything stored, ready for VisitRegister::Restore; the id counters are
// one past the highest id stored. DataLoss naming the table, row and field
// for a row that does not parse.
[[nodiscard]] Result<core::visits::VisitsState> LoadVisitsState(storage::Database& db);

}  // namespace anding::store

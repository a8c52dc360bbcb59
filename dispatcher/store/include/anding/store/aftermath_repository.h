// Persistence of the post-incident reviews (domain "aftermath"): the only
// code that writes SQL for them. The schema checks again that other losses
// are not negative and the watch is 1–365 days.
//
// Save functions run inside a transaction the shell opens; they do not open
// one. Thread-safety: as storage::Database (one thread at a time).
#pragma once

#include <vector>

#include "anding/common/status.h"
#include "anding/core/aftermath/records.h"
#include "anding/storage/database.h"

namespace anding::store {

// The aftermath schema, for storage::Database::Migrate("aftermath", ...).
[[nodiscard]] std::vector<storage::Migration> AftermathMigrations();

// Writes every review of `changes` with its rebounds (replacing them).
// FailedPrecondition when the schema refuses a row.
[[nodiscard]] Status SaveReviews(storage::Database& db,
                                 const core::aftermath::ReviewChangeSet& changes);

// Every review stored, by incident id, its rebounds in the order found.
// DataLoss naming the review for a row that does not parse.
[[nodiscard]] Result<std::vector<core::aftermath::Review>> LoadReviews(storage::Database& db);

}  // namespace anding::store

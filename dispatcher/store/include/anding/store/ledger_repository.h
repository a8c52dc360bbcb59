// Storage of the ledger module (anding::core::ledger): ledger items,
// early warnings, screening reports and reminders, daily risk reports and
// the module's counters. The only code that writes SQL for the domain
// "ledger".
//
// Tables (migration track "ledger"): ledger_items, ledger_warnings,
// ledger_screening_reports, ledger_screening_reminders,
// ledger_daily_reports, ledger_meta, and an item's logs in
// ledger_item_history, ledger_item_updates and ledger_item_warnings (a row
// per entry, written once). Scalar fields are columns (times as UTC
// microseconds, days as "YYYY-MM-DD"); other nested lists (a history
// entry's field changes, findings, earlier filings) are JSON text.
//
// Saving does not open a transaction: the shell saves a change set inside
// the transaction that also stores the event that caused the change, so a
// crash keeps both or neither. Errors are storage::Database's (Unavailable:
// retry the transaction).
//
// Thread-safety: as storage::Database (one thread at a time).
#pragma once

#include <vector>

#include "anding/common/status.h"
#include "anding/core/ledger/changes.h"
#include "anding/core/ledger/records.h"
#include "anding/storage/database.h"

namespace anding::store {

// The "ledger" domain's migrations, for storage::Database::Migrate("ledger", ...).
[[nodiscard]] std::vector<storage::Migration> LedgerMigrations();

// Saves a change set (Ledger::TakeChanges): upserts the records and
// inserts each item's new log entries as rows. Change sets must be saved in
// the order they were taken (an item's entries go where its earlier ones
// ended); several may go into one transaction.
[[nodiscard]] Status SaveLedgerChanges(storage::Database& db,
                                       const core::ledger::LedgerChangeSet& changes);

// Everything saved, ordered as core::ledger::LedgerSnapshot documents, to
// rebuild the module with Ledger(org, config, snapshot). DataLoss naming the
// table, the row and the field when a stored row cannot be decoded, or the
// item whose log misses an entry.
[[nodiscard]] Result<core::ledger::LedgerSnapshot> LoadLedger(storage::Database& db);

}  // namespace anding::store

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

#include <optional>
#include <string>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"
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

// What the dispatcher holds of the ledger (see core::ledger::Ledger): the
// items not closed out, those closed out at or after `since`, the warnings
// received at or after `since` (the items' logs read by item id), the
// counters, and with `recent_since` the daily reports of that day and later
// and the screening reports and reminders of the periods not yet checked
// for missing reports (what a Ledger holds after HoldDailyReportsSince and
// HoldUncheckedScreenings), every one when unset.
// Its cost follows what is open and recent, not the years stored (the
// open items and the recent ones through partial and time indexes). Errors
// as LoadLedger.
[[nodiscard]] Result<core::ledger::LedgerSnapshot> LoadOpenLedger(
    storage::Database& db, Time since, std::optional<CivilDay> recent_since = std::nullopt);

// A unit's stored daily report of `day`; nullopt if there is none.
[[nodiscard]] Result<std::optional<core::ledger::DailyReportRecord>> FindDailyReport(
    storage::Database& db, std::string_view unit_id, CivilDay day);
// Every unit's stored daily report of `day`, by unit.
[[nodiscard]] Result<std::vector<core::ledger::DailyReportRecord>> LoadDailyReportsOn(
    storage::Database& db, CivilDay day);
// A unit's stored screening report of `period`; nullopt if there is none.
[[nodiscard]] Result<std::optional<core::ledger::ScreeningRecord>> FindScreeningReport(
    storage::Database& db, std::string_view unit_id, const core::ledger::Period& period);
// Every unit's stored screening report and reminder of `period`, by unit.
[[nodiscard]] Result<core::ledger::LedgerSnapshot> LoadScreeningsOf(
    storage::Database& db, const core::ledger::Period& period);

// The stored item `id` with its logs; nullopt if there is none.
[[nodiscard]] Result<std::optional<core::ledger::LedgerItem>> FindLedgerItem(storage::Database& db,
                                                                             const std::string& id);

// Which stored items LoadLedgerItems reads; every condition set must hold.
struct LedgerItemQuery {
  std::string unit_id;                  // empty: every unit
  std::string category_id;              // empty: every category
  std::optional<Time> registered_from;  // registered at or after
  std::optional<Time> registered_before;
  // Not closed out, or closed out at or after this instant: the items that
  // were open at some instant from then on.
  std::optional<Time> open_since;
  bool not_closed_out = false;  // only the items not closed out now
};

// The stored items `query` chooses, with their logs, in id order. Through
// an index when a unit, a registration range or open_since is given
// (QueryPlanTest); without any, every item ever registered (the all-time
// list, export and statistics, on the query thread).
[[nodiscard]] Result<std::vector<core::ledger::LedgerItem>> LoadLedgerItems(
    storage::Database& db, const LedgerItemQuery& query);

// The warnings received in [from, before), in id order.
[[nodiscard]] Result<std::vector<core::ledger::WarningRecord>> LoadLedgerWarnings(
    storage::Database& db, Time from, Time before);

// Everything saved, ordered as core::ledger::LedgerSnapshot documents, to
// rebuild the module with Ledger(org, config, snapshot) (tests and tools; the
// dispatcher loads LoadOpenLedger). DataLoss naming the
// table, the row and the field when a stored row cannot be decoded, or the
// item whose log misses an entry.
[[nodiscard]] Result<core::ledger::LedgerSnapshot> LoadLedger(storage::Database& db);

}  // namespace anding::store

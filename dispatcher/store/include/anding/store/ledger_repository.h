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
// Save functions are upserts and do not open transactions: the shell calls
// them inside the transaction that also stores the event that caused the
// change, so a crash keeps both or neither. Errors are storage::Database::Error's
// (Unavailable = retry).
//
// Thread-safety: as storage::Database (one thread at a time).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "anding/common/status.h"
#include "anding/core/effects.h"
#include "anding/core/ledger/ledger.h"
#include "anding/core/ledger/records.h"
#include "anding/storage/database.h"

namespace anding::store {

// The "ledger" domain's migrations, for storage::Database::Migrate("ledger", ...).
[[nodiscard]] std::vector<storage::Migration> LedgerMigrations();

// How many entries of each item's logs have been handed to the store, so
// that the next change of an item carries only the entries after them.
// Reset it whenever the ledger is rebuilt from the store (everything it
// then holds is stored); after a failed commit the dispatcher rebuilds.
class LedgerLogMarks {
 public:
  struct Counts {
    size_t history = 0;
    size_t updates = 0;
    size_t warnings = 0;
  };
  // Everything `ledger` holds is stored.
  void Reset(const core::ledger::Ledger& ledger);
  // The counts handed over of `item`'s logs (zero for an item not seen
  // before), which then move to the logs' current lengths. Internal if a
  // log is shorter than its count (logs only grow).
  [[nodiscard]] Result<Counts> Advance(const core::ledger::LedgerItem& item);

 private:
  std::unordered_map<std::string, Counts> counts_;
};

// A ledger item as the store receives it: all of its fields, and of its
// logs (history, progress updates, attached warnings), which only grow,
// the entries from `from` on (those before are stored already).
struct LedgerItemChange {
  core::ledger::LedgerItem item;  // its logs: the entries from `from` on
  LedgerLogMarks::Counts from;
};

// Upserts the item's fields and inserts its log entries as rows.
[[nodiscard]] Status SaveLedgerItem(storage::Database& db, const LedgerItemChange& change);
[[nodiscard]] Status SaveEarlyWarning(storage::Database& db, const core::ledger::WarningRecord& warning);
[[nodiscard]] Status SaveScreeningReport(storage::Database& db, const core::ledger::ScreeningRecord& record);
[[nodiscard]] Status SaveScreeningReminder(storage::Database& db,
                                           const core::ledger::ScreeningReminder& reminder);
[[nodiscard]] Status SaveDailyReport(storage::Database& db, const core::ledger::DailyReportRecord& report);
// Replaces the stored counters and timer memory with `meta`.
[[nodiscard]] Status SaveLedgerMeta(storage::Database& db, const core::ledger::LedgerMeta& meta);

// Copies of the ledger records a command changed. The dispatcher collects
// them on its state thread (CollectLedgerChanges) and saves them on the
// commit thread (SaveLedgerChangeSet), so the two threads never share the
// live ledger.
struct LedgerChangeSet {
  std::vector<LedgerItemChange> items;
  std::vector<core::ledger::WarningRecord> warnings;
  std::vector<core::ledger::ScreeningRecord> screenings;
  std::vector<core::ledger::ScreeningReminder> reminders;
  std::vector<core::ledger::DailyReportRecord> daily_reports;
  std::optional<core::ledger::LedgerMeta> meta;
};

// Copies every ledger record named in `changed` (refs of other domains are
// ignored, duplicates copied once); of an item's logs, only the entries
// after `marks`, which move past them. Internal if a ref names a record the
// ledger does not have, or an item's log is shorter than its mark (bugs).
[[nodiscard]] Result<LedgerChangeSet> CollectLedgerChanges(
    const core::ledger::Ledger& ledger, const std::vector<core::RecordRef>& changed,
    LedgerLogMarks& marks);
[[nodiscard]] Status SaveLedgerChangeSet(storage::Database& db, const LedgerChangeSet& set);

// Saves, from `ledger`'s current state, every ledger record named in
// `changed` (Effects::changed of one or more commands / Ticks); refs of
// other domains are ignored, duplicates saved once. Internal if a ref
// names a record the ledger does not have (a bug in the caller).
[[nodiscard]] Status SaveLedgerChanges(storage::Database& db, const core::ledger::Ledger& ledger,
                                       const std::vector<core::RecordRef>& changed,
                                       LedgerLogMarks& marks);

// Everything saved, ordered as core::ledger::LedgerSnapshot documents, to
// rebuild the module with Ledger(org, config, snapshot). DataLoss when a
// stored row cannot be decoded.
[[nodiscard]] Result<core::ledger::LedgerSnapshot> LoadLedger(storage::Database& db);

}  // namespace anding::store

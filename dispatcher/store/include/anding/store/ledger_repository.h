// Storage of the ledger module (anding::core::ledger): ledger items,
// early warnings, screening reports and reminders, daily risk reports and
// the module's counters. The only code that writes SQL for the domain
// "ledger".
//
// Tables (migration track "ledger"): ledger_items, ledger_warnings,
// ledger_screening_reports, ledger_screening_reminders,
// ledger_daily_reports, ledger_meta. Scalar fields are columns (times as
// UTC microseconds, days as "YYYY-MM-DD"); nested lists (history, progress
// updates, findings, earlier filings) are JSON text.
//
// Save functions are upserts and do not open transactions: the shell calls
// them inside the transaction that also stores the event that caused the
// change, so a crash keeps both or neither. Errors are Database::Error's
// (Unavailable = retry).
//
// Thread-safety: as Database (one thread at a time).
#pragma once

#include <optional>
#include <vector>

#include "anding/common/status.h"
#include "anding/core/effects.h"
#include "anding/core/ledger/ledger.h"
#include "anding/core/ledger/records.h"
#include "anding/store/database.h"

namespace anding::store {

// The "ledger" domain's migrations, for Database::Migrate("ledger", ...).
[[nodiscard]] std::vector<Migration> LedgerMigrations();

[[nodiscard]] Status SaveLedgerItem(Database& db, const core::ledger::LedgerItem& item);
[[nodiscard]] Status SaveEarlyWarning(Database& db, const core::ledger::WarningRecord& warning);
[[nodiscard]] Status SaveScreeningReport(Database& db, const core::ledger::ScreeningRecord& record);
[[nodiscard]] Status SaveScreeningReminder(Database& db,
                                           const core::ledger::ScreeningReminder& reminder);
[[nodiscard]] Status SaveDailyReport(Database& db, const core::ledger::DailyReportRecord& report);
// Replaces the stored counters and timer memory with `meta`.
[[nodiscard]] Status SaveLedgerMeta(Database& db, const core::ledger::LedgerMeta& meta);

// Copies of the ledger records a command changed. The dispatcher collects
// them on its state thread (CollectLedgerChanges) and saves them on the
// commit thread (SaveLedgerChangeSet), so the two threads never share the
// live ledger.
struct LedgerChangeSet {
  std::vector<core::ledger::LedgerItem> items;
  std::vector<core::ledger::WarningRecord> warnings;
  std::vector<core::ledger::ScreeningRecord> screenings;
  std::vector<core::ledger::ScreeningReminder> reminders;
  std::vector<core::ledger::DailyReportRecord> daily_reports;
  std::optional<core::ledger::LedgerMeta> meta;
};

// Copies every ledger record named in `changed` (refs of other domains are
// ignored, duplicates copied once). Internal if a ref names a record the
// ledger does not have (a bug in the caller).
[[nodiscard]] Result<LedgerChangeSet> CollectLedgerChanges(
    const core::ledger::Ledger& ledger, const std::vector<core::RecordRef>& changed);
[[nodiscard]] Status SaveLedgerChangeSet(Database& db, const LedgerChangeSet& set);

// Saves, from `ledger`'s current state, every ledger record named in
// `changed` (Effects::changed of one or more commands / Ticks); refs of
// other domains are ignored, duplicates saved once. Internal if a ref
// names a record the ledger does not have (a bug in the caller).
[[nodiscard]] Status SaveLedgerChanges(Database& db, const core::ledger::Ledger& ledger,
                                       const std::vector<core::RecordRef>& changed);

// Everything saved, ordered as core::ledger::LedgerSnapshot documents, to
// rebuild the module with Ledger(org, config, snapshot). DataLoss when a
// stored row cannot be decoded.
[[nodiscard]] Result<core::ledger::LedgerSnapshot> LoadLedger(Database& db);

}  // namespace anding::store

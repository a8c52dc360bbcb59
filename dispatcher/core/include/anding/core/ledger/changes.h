// What the ledger hands the repository after commands (Ledger::TakeChanges):
// copies of the records they changed, taken on the thread that owns the
// Ledger and saved on the commit thread (store::SaveLedgerChanges), so the
// two never share the live ledger.
//
// An item's logs (history, progress updates, attached warnings) only grow
// and are stored a row per entry, written once: a change carries only the
// entries not handed over before, so saving it costs the same however long
// the item's past. LedgerLogMarks remembers what was handed over.
//
// Thread-safety: the change sets are values; LedgerLogMarks belongs to its
// Ledger's thread.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "anding/common/status.h"
#include "anding/core/ledger/ledger_item.h"
#include "anding/core/ledger/records.h"

namespace anding::core::ledger {

// How many entries each of an item's logs holds.
struct LogCounts {
  size_t history = 0;
  size_t updates = 0;
  size_t warnings = 0;
  friend bool operator==(const LogCounts&, const LogCounts&) = default;
};

// A ledger item as the repository receives it: all of its fields, and of
// its logs the entries from `from` on (those before are stored already).
struct LedgerItemChange {
  LedgerItem item;  // its logs: the entries from `from` on
  LogCounts from;
  friend bool operator==(const LedgerItemChange&, const LedgerItemChange&) = default;
};

// Copies of the ledger records one or more commands changed. Each record
// once, in the order the refs named them.
struct LedgerChangeSet {
  std::vector<LedgerItemChange> items;
  std::vector<WarningRecord> warnings;
  std::vector<ScreeningRecord> screenings;
  std::vector<ScreeningReminder> reminders;
  std::vector<DailyReportRecord> daily_reports;
  std::optional<LedgerMeta> meta;

  [[nodiscard]] bool empty() const {
    return items.empty() && warnings.empty() && screenings.empty() && reminders.empty() &&
           daily_reports.empty() && !meta;
  }
  friend bool operator==(const LedgerChangeSet&, const LedgerChangeSet&) = default;
};

// How many entries of each item's logs have been handed to the repository.
// Everything a Ledger built from the store holds is stored; after a failed
// commit the dispatcher rebuilds the Ledger, and so these marks, from the
// store.
class LedgerLogMarks {
 public:
  // Everything in `items` is handed over (stored).
  void Reset(const std::map<std::string, LedgerItem, std::less<>>& items);
  // What was handed over of `item`'s logs: zero for an item not seen
  // before. Internal if a log is shorter than that (logs only grow).
  [[nodiscard]] Result<LogCounts> HandedOver(const LedgerItem& item) const;
  // `item`'s logs are handed over up to their current lengths.
  void Advance(const LedgerItem& item);

 private:
  std::unordered_map<std::string, LogCounts> counts_;
};

// The lengths of `item`'s logs.
[[nodiscard]] LogCounts LogCountsOf(const LedgerItem& item);

}  // namespace anding::core::ledger

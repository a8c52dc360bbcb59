// The change sets the ledger hands the repository, and the marks of what of
// each item's logs it has handed over.
#include "anding/core/ledger/changes.h"

#include <set>
#include <utility>

#include "anding/common/strings.h"
#include "anding/core/ledger/ledger.h"

namespace anding::core::ledger {
namespace {

// The entries of `log` from index `from` on.
template <typename T>
std::vector<T> Tail(const std::vector<T>& log, size_t from) {
  return std::vector<T>(log.begin() + static_cast<std::ptrdiff_t>(from), log.end());
}

// "unit/suffix" split at the last '/' (unit ids may contain '/', the
// suffixes — a period, a day — do not).
std::pair<std::string_view, std::string_view> SplitKey(std::string_view key) {
  const size_t slash = key.rfind('/');
  if (slash == std::string_view::npos) return {key, {}};
  return {key.substr(0, slash), key.substr(slash + 1)};
}

}  // namespace

LogCounts LogCountsOf(const LedgerItem& item) {
  return LogCounts{item.history.size(), item.updates.size(), item.warning_ids.size()};
}

void LedgerLogMarks::Reset(const std::map<std::string, LedgerItem, std::less<>>& items) {
  counts_.clear();
  for (const auto& [id, item] : items) counts_[id] = LogCountsOf(item);
}

Result<LogCounts> LedgerLogMarks::HandedOver(const LedgerItem& item) const {
  auto it = counts_.find(item.id);
  if (it == counts_.end()) return LogCounts{};
  const LogCounts& then = it->second;
  const LogCounts now = LogCountsOf(item);
  if (now.history < then.history || now.updates < then.updates || now.warnings < then.warnings) {
    return InternalError(
        StrCat("ledger item ", item.id, ": a log is shorter than what was handed to the store"));
  }
  return then;
}

void LedgerLogMarks::Advance(const LedgerItem& item) { counts_[item.id] = LogCountsOf(item); }

Result<LedgerChangeSet> Ledger::TakeChanges(const std::vector<RecordRef>& changed) {
  LedgerChangeSet set;
  std::vector<const LedgerItem*> taken;  // marked once everything is copied
  std::set<std::pair<std::string_view, std::string_view>> done;
  for (const RecordRef& ref : changed) {
    if (!done.emplace(ref.kind, ref.id).second) continue;
    if (ref.kind == kItemRecord) {
      const LedgerItem* item = FindItem(ref.id);
      if (item == nullptr) return InternalError(StrCat("no ledger item ", ref.id, " to save"));
      ANDING_ASSIGN_OR_RETURN(const LogCounts from, handed_over_.HandedOver(*item));
      LedgerItemChange change{FieldsOf(*item), from};
      change.item.history = Tail(item->history, from.history);
      change.item.updates = Tail(item->updates, from.updates);
      change.item.warning_ids = Tail(item->warning_ids, from.warnings);
      set.items.push_back(std::move(change));
      taken.push_back(item);
    } else if (ref.kind == kWarningRecord) {
      const WarningRecord* warning = FindWarning(ref.id);
      if (warning == nullptr) return InternalError(StrCat("no early warning ", ref.id, " to save"));
      set.warnings.push_back(*warning);
    } else if (ref.kind == kScreeningRecord || ref.kind == kReminderRecord) {
      const auto [unit, period] = SplitKey(ref.id);
      const UnitPeriod key{std::string(unit), std::string(period)};
      if (ref.kind == kScreeningRecord) {
        auto it = screenings_.find(key);
        if (it == screenings_.end()) {
          return InternalError(StrCat("no screening report ", ref.id, " to save"));
        }
        set.screenings.push_back(it->second);
      } else {
        auto it = reminders_.find(key);
        if (it == reminders_.end()) {
          return InternalError(StrCat("no screening reminder ", ref.id, " to save"));
        }
        set.reminders.push_back(it->second);
      }
    } else if (ref.kind == kDailyReportRecord) {
      const auto [unit, day_text] = SplitKey(ref.id);
      auto day = ParseDay(day_text);
      const DailyReportRecord* report = day.ok() ? FindDailyReport(unit, *day) : nullptr;
      if (report == nullptr) return InternalError(StrCat("no daily report ", ref.id, " to save"));
      set.daily_reports.push_back(*report);
    } else if (ref.kind == kMetaRecord) {
      set.meta = meta_;
    }
  }
  for (const LedgerItem* item : taken) handed_over_.Advance(*item);
  return set;
}

}  // namespace anding::core::ledger

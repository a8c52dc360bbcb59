// The monthly ledger summary (台账月度汇总), computed from item histories.
#include <algorithm>

#include "anding/core/ledger/summaries.h"

namespace anding::core::ledger {
namespace {

struct ItemMonth {
  bool opened = false;
  bool closed_out = false;
  bool reopened = false;
  bool still_open = false;
  bool overdue = false;
  Duration days_to_close{};  // of the last close-out in the month
};

ItemMonth Examine(const LedgerItem& item, Time start, Time cutoff, Duration cadence) {
  ItemMonth result;
  result.opened = item.registered_at >= start && item.registered_at < cutoff;
  Time cycle_start = item.registered_at;
  for (const HistoryEntry& entry : item.history) {
    for (const FieldChange& change : entry.changes) {
      if (change.field != "state") continue;
      const bool in_month = entry.at >= start && entry.at < cutoff;
      if (change.after == ItemStateName(ItemState::kReopened)) {
        if (in_month) result.reopened = true;
        cycle_start = entry.at;
      } else if (change.after == ItemStateName(ItemState::kClosedOut) && in_month) {
        result.closed_out = true;
        result.days_to_close = entry.at - cycle_start;
      }
    }
  }
  const ItemAsOf as_of = AsOf(item, cutoff);
  result.still_open = as_of.existed && IsOpen(as_of.state);
  result.overdue = OverdueAt(item, cutoff, cadence).any();
  return result;
}

void Add(MonthlyCount& count, const ItemMonth& month) {
  count.opened += month.opened ? 1 : 0;
  count.closed_out += month.closed_out ? 1 : 0;
  count.reopened += month.reopened ? 1 : 0;
  count.still_open += month.still_open ? 1 : 0;
  count.overdue += month.overdue ? 1 : 0;
}

bool Any(const MonthlyCount& count) {
  return count.opened != 0 || count.closed_out != 0 || count.reopened != 0 ||
         count.still_open != 0 || count.overdue != 0;
}

// Rows in `order`, then the remaining keys in byte order; zero rows dropped.
std::vector<MonthlyCount> Ordered(std::map<std::string, MonthlyCount, std::less<>> counts,
                                  const std::vector<std::string>& order) {
  std::vector<MonthlyCount> rows;
  for (const std::string& key : order) {
    auto it = counts.find(key);
    if (it == counts.end()) continue;
    if (Any(it->second)) rows.push_back(it->second);
    counts.erase(it);
  }
  for (const auto& [key, count] : counts) {
    if (Any(count)) rows.push_back(count);
  }
  return rows;
}

}  // namespace

MonthlySummary BuildMonthlySummary(const Ledger& ledger, absl::CivilMonth month, Time now) {
  const TimeZone& zone = ledger.org().time_zone();
  MonthlySummary summary;
  summary.month = month;
  summary.generated_at = now;
  const Time start = zone.StartOf(CivilDay(month));
  const Time end = zone.StartOf(CivilDay(month + 1));
  summary.cutoff = std::min(end, now);

  std::map<std::string, MonthlyCount, std::less<>> by_unit;
  std::map<std::string, MonthlyCount, std::less<>> by_category;
  Duration total_to_close{};
  uint32_t closed = 0;
  for (const auto& [id, item] : ledger.items()) {
    const ItemMonth result = Examine(item, start, summary.cutoff, ledger.config().update_cadence);
    MonthlyCount& unit = by_unit[item.unit_id];
    unit.key = item.unit_id;
    MonthlyCount& category = by_category[item.category_id];
    category.key = item.category_id;
    Add(unit, result);
    Add(category, result);
    Add(summary.totals, result);
    if (result.closed_out) {
      total_to_close += result.days_to_close;
      ++closed;
    }
  }
  if (closed > 0) {
    const double days = static_cast<double>(total_to_close.count()) / 86'400'000'000.0;
    summary.average_days_to_close = days / closed;
  }
  std::vector<std::string> unit_order;
  for (const Unit& unit : ledger.org().units()) unit_order.push_back(unit.id);
  std::vector<std::string> category_order;
  for (const Category& category : ledger.org().categories()) category_order.push_back(category.id);
  summary.by_unit = Ordered(std::move(by_unit), unit_order);
  summary.by_category = Ordered(std::move(by_category), category_order);
  return summary;
}

}  // namespace anding::core::ledger

// 台账 statistics over the items registered in a range of local days.
#include "anding/core/ledger/ledger_stats.h"

#include <utility>

#include "anding/common/strings.h"

namespace anding::core::ledger {
namespace {

void Add(LedgerStatsRow& row, const LedgerItem& item, const Ledger& ledger, int64_t rebounds,
         Time now) {
  const TimeZone& zone = ledger.org().time_zone();
  ++row.registered;
  row.reopened += item.reopen_count;
  row.rebounds += rebounds;
  if (item.state == ItemState::kClosedOut && item.closed_out_at) {
    // A closed-out item cannot have its deadline moved (extensions and
    // updates refuse it), so the deadline it holds is the one in force at
    // its close-out.
    ++row.closed_out;
    ++row.decided;
    if (*item.closed_out_at < item.deadline) ++row.closed_on_time;
    row.days_to_close_sum += zone.DayOf(*item.closed_out_at) - zone.DayOf(item.registered_at);
    return;
  }
  ++row.open;
  if (now >= item.deadline) ++row.decided;
  if (ledger.Overdue(item, now).any()) ++row.open_overdue;
}

void Finish(LedgerStatsRow& row, visits::Rounding rounding) {
  row.on_time_hundredths = visits::PercentHundredths(row.closed_on_time, row.decided, rounding);
  row.average_days_hundredths =
      visits::QuotientHundredths(row.days_to_close_sum, row.closed_out, rounding);
}

std::string OrNone(const std::optional<int64_t>& hundredths, std::string_view suffix,
                   std::string_view none) {
  return hundredths ? StrCat(visits::FormatHundredths(*hundredths), suffix) : std::string(none);
}

std::vector<std::string> Cells(const LedgerStatsRow& row, std::string label,
                               visits::Language language) {
  return {std::move(label),
          StrCat(row.registered),
          StrCat(row.closed_out),
          StrCat(row.closed_on_time),
          StrCat(row.decided),
          visits::PercentCell(row.on_time_hundredths, language),
          OrNone(row.average_days_hundredths, "", "-"),
          StrCat(row.open),
          StrCat(row.open_overdue),
          StrCat(row.reopened),
          StrCat(row.rebounds)};
}

std::string RangeText(const LedgerStatsRequest& request) {
  return StrCat(request.from_day ? FormatDay(*request.from_day) : "…", "..",
                request.to_day ? FormatDay(*request.to_day) : "…");
}

}  // namespace

std::string_view StatsBreakdownName(StatsBreakdown by) {
  return by == StatsBreakdown::kCategory ? "category" : "unit";
}

std::optional<StatsBreakdown> ParseStatsBreakdown(std::string_view name) {
  if (name == "unit") return StatsBreakdown::kUnit;
  if (name == "category") return StatsBreakdown::kCategory;
  return std::nullopt;
}

Result<LedgerStats> ComputeLedgerStats(const Ledger& ledger, const LedgerStatsRequest& request,
                                       const ReboundCounts& rebounds, Time now) {
  if (request.from_day && request.to_day && *request.to_day < *request.from_day) {
    return InvalidArgumentError(StrCat("to_day ", FormatDay(*request.to_day),
                                       " is before from_day ", FormatDay(*request.from_day)));
  }
  const TimeZone& zone = ledger.org().time_zone();
  const std::optional<Time> since =
      request.from_day ? std::optional<Time>(zone.StartOf(*request.from_day)) : std::nullopt;
  const std::optional<Time> before =
      request.to_day ? std::optional<Time>(zone.StartOf(*request.to_day + 1)) : std::nullopt;

  LedgerStats stats;
  stats.request = request;
  stats.as_of = now;
  std::map<std::string, LedgerStatsRow, std::less<>> rows;
  for (const auto& [id, item] : ledger.items()) {
    if (since && item.registered_at < *since) continue;
    if (before && item.registered_at >= *before) continue;
    const std::string& key =
        request.by == StatsBreakdown::kCategory ? item.category_id : item.unit_id;
    auto found = rebounds.find(id);
    const int64_t item_rebounds = found == rebounds.end() ? 0 : found->second;
    LedgerStatsRow& row = rows[key];
    row.key = key;
    Add(row, item, ledger, item_rebounds, now);
    Add(stats.total, item, ledger, item_rebounds, now);
  }
  std::vector<std::string> order;
  if (request.by == StatsBreakdown::kCategory) {
    for (const Category& category : ledger.org().categories()) order.push_back(category.id);
  } else {
    for (const Unit& unit : ledger.org().units()) order.push_back(unit.id);
  }
  for (const std::string& key : order) {
    auto it = rows.find(key);
    if (it == rows.end()) continue;
    stats.rows.push_back(std::move(it->second));
    rows.erase(it);
  }
  for (auto& [key, row] : rows) stats.rows.push_back(std::move(row));
  for (LedgerStatsRow& row : stats.rows) Finish(row, request.rounding);
  Finish(stats.total, request.rounding);
  return stats;
}

visits::StatsTable LedgerStatsTable(const LedgerStats& stats, visits::Language language,
                                    const StatsKeyName& name) {
  using visits::Language;
  using visits::Say;
  const std::string range = RangeText(stats.request);
  const std::string as_of = FormatUtc(stats.as_of);
  const std::string rounding = visits::RoundingNote(stats.request.rounding, language);
  const bool by_category = stats.request.by == StatsBreakdown::kCategory;
  visits::StatsTable table;
  table.language = language;
  if (language == Language::kZh) {
    table.title = StrCat("台账统计 ", range);
    table.heading = StrCat("台账统计（按", by_category ? "类别" : "单位", "） ", range);
    table.text_heading =
        StrCat(table.heading, "（截至 ", as_of, "；按期 = 在期限到达前销号；办结天数按本地日历日；",
               rounding, "）");
  } else {
    table.title = StrCat("Ledger statistics ", range);
    table.heading =
        StrCat("Ledger statistics by ", StatsBreakdownName(stats.request.by), " ", range);
    table.text_heading = StrCat("ledger, items registered ", range, " (as of ", as_of,
                                "; on time = closed out before the deadline; days to close in "
                                "local days from registration to close-out; ",
                                rounding, ")");
  }
  table.rows.push_back(
      {std::string(language == Language::kZh ? (by_category ? "类别" : "单位")
                                             : StatsBreakdownName(stats.request.by)),
       std::string(Say(language, "登记", "registered")),
       std::string(Say(language, "销号", "closed out")),
       std::string(Say(language, "按期销号", "on time")),
       std::string(Say(language, "已定", "decided")),
       std::string(Say(language, "按期率", "on-time share")),
       std::string(Say(language, "平均办结天数", "avg days")),
       std::string(Say(language, "未销号", "open")), std::string(Say(language, "超期", "overdue")),
       std::string(Say(language, "重开", "reopened")),
       std::string(Say(language, "反弹", "rebounds"))});
  for (const LedgerStatsRow& row : stats.rows) {
    std::string label = row.key.empty() ? std::string(Say(language, "（无）", "(none)")) : row.key;
    if (name && !row.key.empty()) {
      if (const std::string display = name(row.key); !display.empty()) {
        label = StrCat(display, " (", row.key, ")");
      }
    }
    table.rows.push_back(Cells(row, std::move(label), language));
  }
  table.rows.push_back(Cells(stats.total, std::string(Say(language, "合计", "total")), language));
  if (language == Language::kZh) {
    table.notes = {StrCat("截至 ", as_of), "按期：在期限（含延期后的期限）到达前销号",
                   "已定：已销号，或未销号而期限已过", "办结天数：按本地日历日，自登记日至销号日",
                   rounding};
  } else {
    table.notes = {StrCat("as of ", as_of),
                   "on time: closed out before the deadline in force (extensions included)",
                   "decided: closed out, or open past the deadline",
                   "days to close: local calendar days from the day of registration to the day "
                   "of close-out",
                   rounding};
  }
  return table;
}

std::string RenderLedgerStats(const LedgerStats& stats, visits::ReportFormat format,
                              visits::Language language, const StatsKeyName& name) {
  return visits::RenderStatsTable(LedgerStatsTable(stats, language, name), format);
}

}  // namespace anding::core::ledger

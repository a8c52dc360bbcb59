// 台账 statistics: what became of the items registered in a range of local
// days, per unit or per category, as of `now` — a cohort, so a range's
// figures still change while its items are worked on.
//
// How each figure is counted:
//  * closed out: the item's state now is closed_out (an item reopened and
//    not closed again is open);
//  * on time: closed out before its deadline passed — the deadline in
//    force at the close-out (extensions count), and "passed" as the
//    ledger's supervision says it: from the deadline instant on. A deadline
//    given as a day is the last second of that local day, so an item closed
//    on its due day is on time and one closed the next day is late;
//  * decided: closed out, or still open with its deadline passed (it can no
//    longer be closed on time without an extension); the on-time share is
//    on time / decided, exact (percent.h), "no base" when nothing is
//    decided;
//  * days to close: local calendar days (the organisation's zone) from the
//    day of registration to the day of the close-out in force — 0 for an
//    item closed on the day it was registered; the mean is exact in
//    hundredths of a day, rounded like the percentages;
//  * open / overdue: not closed out now; overdue as the ledger's
//    supervision counts it (Ledger::Overdue: deadline passed or no update
//    within the cadence; a resolved item awaiting its leader is not);
//  * reopened: reopenings of these items (反弹 on the ledger);
//  * rebounds: what the aftermath's watch flagged on the reviews whose
//    follow-up item is one of these (an input: the ledger does not know
//    the reviews).
//
// Thread-safety: pure functions; the Ledger must not change meanwhile.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/ledger/ledger.h"
#include "anding/core/visits/percent.h"
#include "anding/core/visits/stats_table.h"

namespace anding::core::ledger {

enum class StatsBreakdown { kUnit, kCategory };
// "unit", "category".
[[nodiscard]] std::string_view StatsBreakdownName(StatsBreakdown by);
[[nodiscard]] std::optional<StatsBreakdown> ParseStatsBreakdown(std::string_view name);

// Rebounds found by the aftermath's watch, per follow-up item id.
using ReboundCounts = std::map<std::string, int64_t, std::less<>>;

struct LedgerStatsRequest {
  std::optional<CivilDay> from_day;  // nullopt: from the first item
  std::optional<CivilDay> to_day;    // nullopt: to now
  StatsBreakdown by = StatsBreakdown::kUnit;
  visits::Rounding rounding = visits::Rounding::kTruncate;
};

struct LedgerStatsRow {
  std::string key;  // unit or category id; "" in the total row
  int64_t registered = 0;
  int64_t closed_out = 0;
  int64_t closed_on_time = 0;
  int64_t decided = 0;
  std::optional<int64_t> on_time_hundredths;       // of a percent; nullopt: no base
  int64_t days_to_close_sum = 0;                   // over the closed-out items
  std::optional<int64_t> average_days_hundredths;  // nullopt: none closed out
  int64_t open = 0;
  int64_t open_overdue = 0;
  int64_t reopened = 0;
  int64_t rebounds = 0;
  friend bool operator==(const LedgerStatsRow&, const LedgerStatsRow&) = default;
};

struct LedgerStats {
  LedgerStatsRequest request;
  Time as_of{};
  // Units in organisation order (categories in configured order), then
  // any other key in byte order; only keys with items in the range.
  std::vector<LedgerStatsRow> rows;
  LedgerStatsRow total;
};

// The statistics of the items registered in the request's days.
// InvalidArgument "to_day ... is before from_day ..." when the range ends
// before it starts.
[[nodiscard]] Result<LedgerStats> ComputeLedgerStats(const Ledger& ledger,
                                                     const LedgerStatsRequest& request,
                                                     const ReboundCounts& rebounds, Time now);

// The display name of a row's key (a unit's or category's name), or empty.
using StatsKeyName = std::function<std::string(std::string_view key)>;

// The table of `stats` as a document; the counting rules above are in its
// heading (text) or notes (HTML).
[[nodiscard]] visits::StatsTable LedgerStatsTable(const LedgerStats& stats,
                                                  visits::Language language,
                                                  const StatsKeyName& name);
[[nodiscard]] std::string RenderLedgerStats(const LedgerStats& stats, visits::ReportFormat format,
                                            visits::Language language, const StatsKeyName& name);

}  // namespace anding::core::ledger

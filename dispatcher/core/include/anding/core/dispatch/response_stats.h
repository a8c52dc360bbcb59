// Response-time statistics from the dispatch records: per responding unit
// (and optionally per deadline rule), the share of deadlines met and the
// median and worst response time. Exact: the share is integer hundredths
// of a percent (visits/percent.h, the statistics' one percent code), the
// median of an even count is the mean of the two middle times, truncated
// to the microsecond.
//
// What counts: responses of incidents that were not cancelled. A response
// with a deadline counts towards the share once it is decided — arrived
// (met when on time) or breached without arrival (not met); one still
// running does not count yet. Response times are those of arrivals.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/time.h"
#include "anding/core/dispatch/records.h"
#include "anding/core/visits/percent.h"
#include "anding/core/visits/stats_table.h"

namespace anding::core::dispatch {

struct ResponseStatsRow {
  std::string unit_id;    // "" in the total row
  std::string rule_id;    // "" unless by rule
  int64_t responses = 0;  // counted responses (decided or arrived)
  int64_t arrivals = 0;
  int64_t decided = 0;  // with a deadline, arrived or breached
  int64_t met = 0;
  std::optional<int64_t> met_hundredths;  // nullopt: nothing decided (no base)
  std::optional<Duration> median;         // nullopt: no arrival
  std::optional<Duration> worst;
  friend bool operator==(const ResponseStatsRow&, const ResponseStatsRow&) = default;
};

struct ResponseStats {
  std::vector<ResponseStatsRow> rows;  // by unit id, then rule id
  ResponseStatsRow total;
};

// The statistics of `incidents` (normally ListIncidents over a period).
[[nodiscard]] ResponseStats ComputeResponseStats(const std::vector<const Incident*>& incidents,
                                                 bool by_rule, visits::Rounding rounding);

// The display name of a unit id, or empty.
using UnitName = std::function<std::string(std::string_view unit_id)>;

// The table as a document. `range` names the incidents' report days
// ("2026-01-01..2026-12-31"); `by_rule` adds the rule column.
[[nodiscard]] visits::StatsTable ResponseStatsTable(const ResponseStats& stats,
                                                    std::string_view range, bool by_rule,
                                                    visits::Rounding rounding,
                                                    visits::Language language,
                                                    const UnitName& name);

}  // namespace anding::core::dispatch

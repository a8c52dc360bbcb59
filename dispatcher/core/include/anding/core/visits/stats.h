// Petition statistics over the visit register: batches (批次) and
// person-times (人次) in a period — a month, a quarter, a year or any range
// of days in the configured zone — broken down by unit, category, channel
// or destination level, each with its change year on year (the same period
// a year earlier) and period on period (the period just before).
// Percentages are exact (percent.h); a change from zero has no base.
//
// Thread-safety: pure functions over values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/visits/percent.h"
#include "anding/core/visits/records.h"

namespace anding::core::visits {

enum class PeriodKind { kMonth, kQuarter, kYear, kRange };
// "month", "quarter", "year", "range".
[[nodiscard]] std::string_view PeriodKindName(PeriodKind kind);
[[nodiscard]] std::optional<PeriodKind> ParsePeriodKind(std::string_view name);

// Days `first` to `last`, both included.
struct Period {
  CivilDay first;
  CivilDay last;
  friend bool operator==(const Period&, const Period&) = default;
};

// Parses the period named by `text` for `kind`: "2018-03" (month),
// "2018-Q1" (quarter), "2018" (year), "2018-01-01..2018-06-30" (range).
// InvalidArgument naming the expected form otherwise, or for a range
// that ends before it starts or is longer than ten years.
[[nodiscard]] Result<Period> ParsePeriod(PeriodKind kind, std::string_view text);
// "2018-03", "2018-Q1", "2018", "2018-01-01..2018-06-30".
[[nodiscard]] std::string FormatPeriod(PeriodKind kind, const Period& period);

// The period just before: the previous month, quarter or year; for a
// range, the same number of days ending the day before it starts.
[[nodiscard]] Period PreviousPeriod(PeriodKind kind, const Period& period);
// The same period a year earlier. A range's end on 29 February becomes
// 28 February, its start on 29 February becomes 1 March.
[[nodiscard]] Period YearAgo(PeriodKind kind, const Period& period);

enum class Dimension { kTotal, kUnit, kCategory, kChannel, kDestination };
// "total", "unit", "category", "channel", "destination".
[[nodiscard]] std::string_view DimensionName(Dimension dimension);
[[nodiscard]] std::optional<Dimension> ParseDimension(std::string_view name);

struct Counts {
  int64_t batches = 0;
  int64_t persons = 0;
  int64_t visits = 0;      // records
  int64_t repeats = 0;     // records flagged as repeats
  int64_t collective = 0;  // records of collective visits
  friend bool operator==(const Counts&, const Counts&) = default;
};

// Changes are in hundredths of a percent; nullopt = no base.
struct StatsRow {
  std::string key;  // unit id, category id ("" = none), channel, level; "total"
  Counts current;
  Counts previous;
  Counts year_ago;
  std::optional<int64_t> batches_year_on_year;
  std::optional<int64_t> persons_year_on_year;
  std::optional<int64_t> batches_period_on_period;
  std::optional<int64_t> persons_period_on_period;
};

struct VisitStats {
  PeriodKind kind = PeriodKind::kYear;
  Period current;
  Period previous;
  Period year_ago;
  Dimension dimension = Dimension::kTotal;
  Rounding rounding = Rounding::kTruncate;
  // One row per key seen in any of the three periods, by key; empty for
  // Dimension::kTotal.
  std::vector<StatsRow> rows;
  StatsRow total;
};

// Counts `visits` into the current, previous and year-ago periods of
// `current` and computes the changes.
[[nodiscard]] VisitStats ComputeVisitStats(const std::map<std::string, Visit, std::less<>>& visits,
                                           PeriodKind kind, const Period& current,
                                           Dimension dimension, Rounding rounding);

}  // namespace anding::core::visits

#include "anding/core/visits/stats.h"

#include <array>
#include <charconv>

#include "anding/common/strings.h"

namespace anding::core::visits {
namespace {

constexpr int64_t kMaxRangeDays = 3660;

std::optional<int> Number(std::string_view text, size_t digits) {
  if (text.size() != digits) return std::nullopt;
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Period MonthsFrom(absl::CivilMonth first, int months) {
  return {CivilDay(first), CivilDay(first + months) - 1};
}

CivilDay YearEarlier(CivilDay day, bool is_end) {
  if (day.month() == 2 && day.day() == 29) {
    return is_end ? CivilDay(day.year() - 1, 2, 28) : CivilDay(day.year() - 1, 3, 1);
  }
  return CivilDay(day.year() - 1, day.month(), day.day());
}

void Add(Counts& counts, const Visit& visit) {
  counts.batches += visit.batches;
  counts.persons += visit.persons;
  counts.visits += 1;
  counts.repeats += visit.repeat_of.empty() ? 0 : 1;
  counts.collective += visit.collective ? 1 : 0;
}

bool Contains(const Period& period, CivilDay day) {
  return day >= period.first && day <= period.last;
}

std::string KeyOf(const Visit& visit, Dimension dimension) {
  switch (dimension) {
    case Dimension::kUnit:
      return visit.unit_id;
    case Dimension::kCategory:
      return visit.category_id;
    case Dimension::kChannel:
      return std::string(ChannelName(visit.channel));
    case Dimension::kDestination:
      return std::string(DestinationLevelName(visit.destination));
    case Dimension::kTotal:
      break;
  }
  return "total";
}

void ComputeChanges(StatsRow& row, Rounding rounding) {
  row.batches_year_on_year = ChangeHundredths(row.year_ago.batches, row.current.batches, rounding);
  row.persons_year_on_year = ChangeHundredths(row.year_ago.persons, row.current.persons, rounding);
  row.batches_period_on_period =
      ChangeHundredths(row.previous.batches, row.current.batches, rounding);
  row.persons_period_on_period =
      ChangeHundredths(row.previous.persons, row.current.persons, rounding);
}

constexpr std::array<std::pair<Dimension, std::string_view>, 5> kDimensions{{
    {Dimension::kTotal, "total"},
    {Dimension::kUnit, "unit"},
    {Dimension::kCategory, "category"},
    {Dimension::kChannel, "channel"},
    {Dimension::kDestination, "destination"},
}};

constexpr std::array<std::pair<PeriodKind, std::string_view>, 4> kKinds{{
    {PeriodKind::kMonth, "month"},
    {PeriodKind::kQuarter, "quarter"},
    {PeriodKind::kYear, "year"},
    {PeriodKind::kRange, "range"},
}};

}  // namespace

std::string_view PeriodKindName(PeriodKind kind) {
  for (const auto& [value, name] : kKinds) {
    if (value == kind) return name;
  }
  return "unknown";
}

std::optional<PeriodKind> ParsePeriodKind(std::string_view name) {
  for (const auto& [value, text] : kKinds) {
    if (text == name) return value;
  }
  return std::nullopt;
}

std::string_view DimensionName(Dimension dimension) {
  for (const auto& [value, name] : kDimensions) {
    if (value == dimension) return name;
  }
  return "unknown";
}

std::optional<Dimension> ParseDimension(std::string_view name) {
  for (const auto& [value, text] : kDimensions) {
    if (text == name) return value;
  }
  return std::nullopt;
}

Result<Period> ParsePeriod(PeriodKind kind, std::string_view text) {
  switch (kind) {
    case PeriodKind::kYear: {
      const auto year = Number(text, 4);
      if (!year) return InvalidArgumentError(StrCat("period: '", text, "' is not a year, YYYY"));
      return MonthsFrom(absl::CivilMonth(*year, 1), 12);
    }
    case PeriodKind::kMonth: {
      const auto year =
          text.size() == 7 && text[4] == '-' ? Number(text.substr(0, 4), 4) : std::nullopt;
      const auto month = year ? Number(text.substr(5), 2) : std::nullopt;
      if (!month || *month < 1 || *month > 12) {
        return InvalidArgumentError(StrCat("period: '", text, "' is not a month, YYYY-MM"));
      }
      return MonthsFrom(absl::CivilMonth(*year, *month), 1);
    }
    case PeriodKind::kQuarter: {
      const bool shaped = text.size() == 7 && text.substr(4, 2) == "-Q";
      const auto year = shaped ? Number(text.substr(0, 4), 4) : std::nullopt;
      const auto quarter = year ? Number(text.substr(6), 1) : std::nullopt;
      if (!quarter || *quarter < 1 || *quarter > 4) {
        return InvalidArgumentError(StrCat("period: '", text, "' is not a quarter, YYYY-Qn"));
      }
      return MonthsFrom(absl::CivilMonth(*year, 3 * (*quarter - 1) + 1), 3);
    }
    case PeriodKind::kRange: {
      const size_t dots = text.find("..");
      if (dots == std::string_view::npos) {
        return InvalidArgumentError(
            StrCat("period: '", text, "' is not a range, YYYY-MM-DD..YYYY-MM-DD"));
      }
      auto first = ParseDay(text.substr(0, dots));
      auto last = ParseDay(text.substr(dots + 2));
      if (!first.ok() || !last.ok()) {
        return InvalidArgumentError(
            StrCat("period: '", text, "' is not a range, YYYY-MM-DD..YYYY-MM-DD"));
      }
      if (*last < *first) return InvalidArgumentError("period: the range ends before it starts");
      if (*last - *first >= kMaxRangeDays) {
        return InvalidArgumentError(StrCat("period: a range is at most ", kMaxRangeDays, " days"));
      }
      return Period{*first, *last};
    }
  }
  return InvalidArgumentError("period: unknown kind");
}

std::string FormatPeriod(PeriodKind kind, const Period& period) {
  switch (kind) {
    case PeriodKind::kYear:
      return StrCat(period.first.year());
    case PeriodKind::kMonth:
      return FormatDay(period.first).substr(0, 7);
    case PeriodKind::kQuarter:
      return StrCat(period.first.year(), "-Q", (period.first.month() - 1) / 3 + 1);
    case PeriodKind::kRange:
      break;
  }
  return StrCat(FormatDay(period.first), "..", FormatDay(period.last));
}

Period PreviousPeriod(PeriodKind kind, const Period& period) {
  const absl::CivilMonth month(period.first);
  switch (kind) {
    case PeriodKind::kMonth:
      return MonthsFrom(month - 1, 1);
    case PeriodKind::kQuarter:
      return MonthsFrom(month - 3, 3);
    case PeriodKind::kYear:
      return MonthsFrom(month - 12, 12);
    case PeriodKind::kRange:
      break;
  }
  const int64_t days = period.last - period.first + 1;
  return {period.first - days, period.first - 1};
}

Period YearAgo(PeriodKind kind, const Period& period) {
  if (kind == PeriodKind::kRange) {
    return {YearEarlier(period.first, false), YearEarlier(period.last, true)};
  }
  const int months = kind == PeriodKind::kMonth ? 1 : kind == PeriodKind::kQuarter ? 3 : 12;
  return MonthsFrom(absl::CivilMonth(period.first) - 12, months);
}

VisitStats ComputeVisitStats(const std::map<std::string, Visit, std::less<>>& visits,
                             PeriodKind kind, const Period& current, Dimension dimension,
                             Rounding rounding) {
  VisitStats stats;
  stats.kind = kind;
  stats.current = current;
  stats.previous = PreviousPeriod(kind, current);
  stats.year_ago = YearAgo(kind, current);
  stats.dimension = dimension;
  stats.rounding = rounding;
  stats.total.key = "total";
  std::map<std::string, StatsRow> rows;
  for (const auto& [id, visit] : visits) {
    // The periods may overlap (a long range's previous period and its year
    // ago), so a visit may count in more than one.
    const bool in_current = Contains(stats.current, visit.day);
    const bool in_previous = Contains(stats.previous, visit.day);
    const bool in_year_ago = Contains(stats.year_ago, visit.day);
    if (!in_current && !in_previous && !in_year_ago) continue;
    StatsRow* row = nullptr;
    if (dimension != Dimension::kTotal) {
      const std::string key = KeyOf(visit, dimension);
      row = &rows[key];
      row->key = key;
    }
    for (StatsRow* target : {&stats.total, row}) {
      if (target == nullptr) continue;
      if (in_current) Add(target->current, visit);
      if (in_previous) Add(target->previous, visit);
      if (in_year_ago) Add(target->year_ago, visit);
    }
  }
  for (auto& [key, row] : rows) {
    ComputeChanges(row, rounding);
    stats.rows.push_back(std::move(row));
  }
  ComputeChanges(stats.total, rounding);
  return stats;
}

}  // namespace anding::core::visits

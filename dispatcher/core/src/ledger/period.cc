#include "anding/core/ledger/period.h"

#include <charconv>

#include "anding/common/strings.h"

namespace anding::core::ledger {
namespace {

int YearOf(CivilDay day) { return static_cast<int>(day.year()); }

CivilDay LastDayOfMonth(int year, int month) {
  return CivilDay(absl::CivilMonth(year, month) + 1) - 1;
}

// Parses exactly `digits` decimal digits.
std::optional<int> ParseFixed(std::string_view text, size_t digits) {
  if (text.size() != digits) return std::nullopt;
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string_view PeriodKindName(PeriodKind kind) {
  switch (kind) {
    case PeriodKind::kTenDay:
      return "ten_day";
    case PeriodKind::kMonth:
      return "month";
    case PeriodKind::kQuarter:
      return "quarter";
  }
  return "?";
}

std::optional<PeriodKind> ParsePeriodKind(std::string_view name) {
  for (PeriodKind kind : kAllPeriodKinds) {
    if (PeriodKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

int DaysInMonth(int year, int month) { return LastDayOfMonth(year, month).day(); }

Status ValidatePeriod(const Period& period) {
  if (period.year < 1970 || period.year > 9999) {
    return InvalidArgumentError(StrCat("period year ", period.year, " is out of range"));
  }
  switch (period.kind) {
    case PeriodKind::kTenDay:
      if (period.index < 1 || period.index > 12) {
        return InvalidArgumentError(StrCat("period month ", period.index, " is not 1–12"));
      }
      if (period.ten_day < 1 || period.ten_day > 3) {
        return InvalidArgumentError(
            StrCat("ten-day period ", period.ten_day, " is not 1–3 (上旬, 中旬, 下旬)"));
      }
      return OkStatus();
    case PeriodKind::kMonth:
      if (period.index < 1 || period.index > 12) {
        return InvalidArgumentError(StrCat("period month ", period.index, " is not 1–12"));
      }
      break;
    case PeriodKind::kQuarter:
      if (period.index < 1 || period.index > 4) {
        return InvalidArgumentError(StrCat("period quarter ", period.index, " is not 1–4"));
      }
      break;
  }
  if (period.ten_day != 0) {
    return InvalidArgumentError("ten_day must be 0 unless the period kind is ten_day");
  }
  return OkStatus();
}

Period PeriodContaining(PeriodKind kind, CivilDay day) {
  Period period;
  period.kind = kind;
  period.year = YearOf(day);
  switch (kind) {
    case PeriodKind::kTenDay:
      period.index = day.month();
      period.ten_day = day.day() <= 10 ? 1 : (day.day() <= 20 ? 2 : 3);
      break;
    case PeriodKind::kMonth:
      period.index = day.month();
      break;
    case PeriodKind::kQuarter:
      period.index = (day.month() - 1) / 3 + 1;
      break;
  }
  return period;
}

CivilDay FirstDay(const Period& period) {
  switch (period.kind) {
    case PeriodKind::kTenDay:
      return CivilDay(period.year, period.index, 1 + 10 * (period.ten_day - 1));
    case PeriodKind::kMonth:
      return CivilDay(period.year, period.index, 1);
    case PeriodKind::kQuarter:
      return CivilDay(period.year, 3 * (period.index - 1) + 1, 1);
  }
  return CivilDay(period.year, 1, 1);
}

CivilDay LastDay(const Period& period) {
  switch (period.kind) {
    case PeriodKind::kTenDay:
      if (period.ten_day < 3) return CivilDay(period.year, period.index, 10 * period.ten_day);
      return LastDayOfMonth(period.year, period.index);
    case PeriodKind::kMonth:
      return LastDayOfMonth(period.year, period.index);
    case PeriodKind::kQuarter:
      return LastDayOfMonth(period.year, 3 * period.index);
  }
  return CivilDay(period.year, 12, 31);
}

Period NextPeriod(const Period& period) {
  return PeriodContaining(period.kind, LastDay(period) + 1);
}

Period PreviousPeriod(const Period& period) {
  return PeriodContaining(period.kind, FirstDay(period) - 1);
}

Time PeriodStart(const Period& period, const TimeZone& zone) {
  return zone.StartOf(FirstDay(period));
}

Time PeriodEnd(const Period& period, const TimeZone& zone) {
  return zone.StartOf(LastDay(period) + 1);
}

std::string FormatPeriod(const Period& period) {
  switch (period.kind) {
    case PeriodKind::kTenDay:
      return fmt::format("{:04d}-{:02d}-T{}", period.year, period.index, period.ten_day);
    case PeriodKind::kMonth:
      return fmt::format("{:04d}-{:02d}", period.year, period.index);
    case PeriodKind::kQuarter:
      return fmt::format("{:04d}-Q{}", period.year, period.index);
  }
  return "?";
}

Result<Period> ParsePeriod(std::string_view text) {
  const Status bad = InvalidArgumentError(
      StrCat("not a period: '", text, "' (expected 2026-03-T1, 2026-03 or 2026-Q1)"));
  if (text.size() < 7 || text[4] != '-') return bad;
  const auto year = ParseFixed(text.substr(0, 4), 4);
  if (!year) return bad;
  Period period;
  period.year = *year;
  const std::string_view rest = text.substr(5);
  if (rest.size() == 2 && rest[0] == 'Q') {
    const auto quarter = ParseFixed(rest.substr(1), 1);
    if (!quarter) return bad;
    period.kind = PeriodKind::kQuarter;
    period.index = *quarter;
  } else if (rest.size() == 2 || (rest.size() == 5 && rest.substr(2, 2) == "-T")) {
    const auto month = ParseFixed(rest.substr(0, 2), 2);
    if (!month) return bad;
    period.index = *month;
    if (rest.size() == 5) {
      const auto ten_day = ParseFixed(rest.substr(4), 1);
      if (!ten_day) return bad;
      period.kind = PeriodKind::kTenDay;
      period.ten_day = *ten_day;
    } else {
      period.kind = PeriodKind::kMonth;
    }
  } else {
    return bad;
  }
  ANDING_RETURN_IF_ERROR(Annotate(ValidatePeriod(period), StrCat("period '", text, "'")));
  return period;
}

}  // namespace anding::core::ledger

// Screening periods (排查周期): ten-day periods (旬: days 1–10, 11–20,
// 21–end of month), months and quarters. Periods are calendar days in the
// configured time zone; PeriodStart / PeriodEnd turn them into instants.
//
// Text form (storage keys, the CLI): "2026-03-T1" (ten-day period 1 of
// March 2026), "2026-03" (month), "2026-Q1" (quarter).
//
// Thread-safety: pure functions over values.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "anding/common/status.h"
#include "anding/common/time.h"

namespace anding::core::ledger {

// Mirrors anding.v1.PeriodKind (without UNSPECIFIED).
enum class PeriodKind { kTenDay, kMonth, kQuarter };

inline constexpr PeriodKind kAllPeriodKinds[] = {PeriodKind::kTenDay, PeriodKind::kMonth,
                                                 PeriodKind::kQuarter};

// "ten_day", "month", "quarter".
[[nodiscard]] std::string_view PeriodKindName(PeriodKind kind);
[[nodiscard]] std::optional<PeriodKind> ParsePeriodKind(std::string_view name);

// Mirrors anding.v1.Period.
struct Period {
  PeriodKind kind = PeriodKind::kMonth;
  int year = 0;
  // Month 1–12 for kTenDay and kMonth; quarter 1–4 for kQuarter.
  int index = 0;
  // 1–3 for kTenDay (上旬, 中旬, 下旬); 0 otherwise.
  int ten_day = 0;

  friend bool operator==(const Period&, const Period&) = default;
  friend auto operator<=>(const Period&, const Period&) = default;
};

// OK, or InvalidArgument naming the field out of range (year 1970–9999).
[[nodiscard]] Status ValidatePeriod(const Period& period);

// The period of `kind` that contains `day`.
[[nodiscard]] Period PeriodContaining(PeriodKind kind, CivilDay day);

// First and last calendar day of a valid period.
[[nodiscard]] CivilDay FirstDay(const Period& period);
[[nodiscard]] CivilDay LastDay(const Period& period);

// The period right after / before (same kind).
[[nodiscard]] Period NextPeriod(const Period& period);
[[nodiscard]] Period PreviousPeriod(const Period& period);

// First instant of the period and first instant after it, in `zone`.
[[nodiscard]] Time PeriodStart(const Period& period, const TimeZone& zone);
[[nodiscard]] Time PeriodEnd(const Period& period, const TimeZone& zone);

// "2026-03-T1", "2026-03", "2026-Q1", and back (InvalidArgument otherwise).
[[nodiscard]] std::string FormatPeriod(const Period& period);
[[nodiscard]] Result<Period> ParsePeriod(std::string_view text);

// Days in `month` of `year` (28–31), following the Gregorian leap rules.
[[nodiscard]] int DaysInMonth(int year, int month);

}  // namespace anding::core::ledger

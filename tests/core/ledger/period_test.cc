#include "anding/core/ledger/period.h"

#include <gtest/gtest.h>

#include "anding/core/ledger/labels.h"
#include "core/ledger/fixture.h"

namespace anding::core::ledger {
namespace {

using testing::At;

Period TenDay(int year, int month, int part) { return {PeriodKind::kTenDay, year, month, part}; }
Period Month(int year, int month) { return {PeriodKind::kMonth, year, month, 0}; }
Period Quarter(int year, int quarter) { return {PeriodKind::kQuarter, year, quarter, 0}; }

TEST(PeriodTest, TenDayPeriodsSplitAtTheTenthAndTwentieth) {
  EXPECT_EQ(PeriodContaining(PeriodKind::kTenDay, CivilDay(2026, 3, 1)), TenDay(2026, 3, 1));
  EXPECT_EQ(PeriodContaining(PeriodKind::kTenDay, CivilDay(2026, 3, 10)), TenDay(2026, 3, 1));
  EXPECT_EQ(PeriodContaining(PeriodKind::kTenDay, CivilDay(2026, 3, 11)), TenDay(2026, 3, 2));
  EXPECT_EQ(PeriodContaining(PeriodKind::kTenDay, CivilDay(2026, 3, 20)), TenDay(2026, 3, 2));
  EXPECT_EQ(PeriodContaining(PeriodKind::kTenDay, CivilDay(2026, 3, 21)), TenDay(2026, 3, 3));
  EXPECT_EQ(PeriodContaining(PeriodKind::kTenDay, CivilDay(2026, 3, 31)), TenDay(2026, 3, 3));
  EXPECT_EQ(FirstDay(TenDay(2026, 3, 2)), CivilDay(2026, 3, 11));
  EXPECT_EQ(LastDay(TenDay(2026, 3, 2)), CivilDay(2026, 3, 20));
}

TEST(PeriodTest, LastTenDayPeriodEndsAtTheMonthEnd) {
  EXPECT_EQ(LastDay(TenDay(2026, 1, 3)), CivilDay(2026, 1, 31));
  EXPECT_EQ(LastDay(TenDay(2026, 4, 3)), CivilDay(2026, 4, 30));
  EXPECT_EQ(LastDay(TenDay(2026, 2, 3)), CivilDay(2026, 2, 28));  // common year
  EXPECT_EQ(LastDay(TenDay(2028, 2, 3)), CivilDay(2028, 2, 29));  // leap year
  EXPECT_EQ(LastDay(Month(2100, 2)), CivilDay(2100, 2, 28));      // century, not leap
  EXPECT_EQ(LastDay(Month(2000, 2)), CivilDay(2000, 2, 29));      // 400-year leap
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2026, 2), 28);
  EXPECT_EQ(DaysInMonth(2026, 12), 31);
  // The period after February's last part starts on 1 March in both cases.
  EXPECT_EQ(NextPeriod(TenDay(2028, 2, 3)), TenDay(2028, 3, 1));
  EXPECT_EQ(PreviousPeriod(TenDay(2028, 3, 1)), TenDay(2028, 2, 3));
  EXPECT_EQ(PreviousPeriod(TenDay(2027, 3, 1)), TenDay(2027, 2, 3));
  EXPECT_EQ(FirstDay(NextPeriod(TenDay(2027, 2, 3))), CivilDay(2027, 3, 1));
}

TEST(PeriodTest, QuarterBoundaries) {
  EXPECT_EQ(PeriodContaining(PeriodKind::kQuarter, CivilDay(2026, 3, 31)), Quarter(2026, 1));
  EXPECT_EQ(PeriodContaining(PeriodKind::kQuarter, CivilDay(2026, 4, 1)), Quarter(2026, 2));
  EXPECT_EQ(PeriodContaining(PeriodKind::kQuarter, CivilDay(2026, 9, 30)), Quarter(2026, 3));
  EXPECT_EQ(PeriodContaining(PeriodKind::kQuarter, CivilDay(2026, 10, 1)), Quarter(2026, 4));
  EXPECT_EQ(FirstDay(Quarter(2026, 2)), CivilDay(2026, 4, 1));
  EXPECT_EQ(LastDay(Quarter(2026, 2)), CivilDay(2026, 6, 30));
  EXPECT_EQ(LastDay(Quarter(2026, 4)), CivilDay(2026, 12, 31));
  EXPECT_EQ(NextPeriod(Quarter(2026, 4)), Quarter(2027, 1));
  EXPECT_EQ(PreviousPeriod(Quarter(2027, 1)), Quarter(2026, 4));
  EXPECT_EQ(NextPeriod(TenDay(2026, 12, 3)), TenDay(2027, 1, 1));
  EXPECT_EQ(NextPeriod(Month(2026, 12)), Month(2027, 1));
}

TEST(PeriodTest, LocalMidnightDecidesThePeriodNotUtc) {
  const TimeZone zone = TimeZone::Shanghai();
  // 15:59:59Z on 10 March is 23:59:59 local: still the first ten-day period.
  const Time last_second = At("2026-03-10T15:59:59Z");
  EXPECT_EQ(PeriodContaining(PeriodKind::kTenDay, zone.DayOf(last_second)), TenDay(2026, 3, 1));
  // 16:00:00Z is 00:00 on 11 March local, although UTC is still the 10th.
  const Time first_second = At("2026-03-10T16:00:00Z");
  EXPECT_EQ(PeriodContaining(PeriodKind::kTenDay, zone.DayOf(first_second)), TenDay(2026, 3, 2));
  EXPECT_EQ(PeriodEnd(TenDay(2026, 3, 1), zone), first_second);
  EXPECT_EQ(PeriodStart(TenDay(2026, 3, 2), zone), first_second);
  // The quarter turns at local midnight too.
  EXPECT_EQ(PeriodContaining(PeriodKind::kQuarter, zone.DayOf(At("2026-03-31T15:59:59Z"))),
            Quarter(2026, 1));
  EXPECT_EQ(PeriodContaining(PeriodKind::kQuarter, zone.DayOf(At("2026-03-31T16:00:00Z"))),
            Quarter(2026, 2));
  EXPECT_EQ(PeriodEnd(Quarter(2026, 1), zone), At("2026-03-31T16:00:00Z"));
  EXPECT_EQ(PeriodStart(Month(2026, 1), zone), At("2025-12-31T16:00:00Z"));
}

TEST(PeriodTest, TextFormRoundTrips) {
  for (const Period& period :
       {TenDay(2026, 3, 1), TenDay(2026, 12, 3), Month(2026, 2), Quarter(2026, 4)}) {
    auto parsed = ParsePeriod(FormatPeriod(period));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, period);
  }
  EXPECT_EQ(FormatPeriod(TenDay(2026, 3, 1)), "2026-03-T1");
  EXPECT_EQ(FormatPeriod(Month(2026, 3)), "2026-03");
  EXPECT_EQ(FormatPeriod(Quarter(2026, 1)), "2026-Q1");
  for (std::string_view bad :
       {"", "2026", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "2026-03-T4", "2026-03-T0", "26-03",
        "2026-3", "2026-03-X1", "abcd-03", "2026-03-T1x"}) {
    EXPECT_EQ(ParsePeriod(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(PeriodTest, ValidationNamesTheBrokenField) {
  EXPECT_TRUE(ValidatePeriod(TenDay(2026, 3, 2)).ok());
  EXPECT_FALSE(ValidatePeriod(TenDay(2026, 3, 0)).ok());
  EXPECT_FALSE(ValidatePeriod(Month(2026, 13)).ok());
  EXPECT_FALSE(ValidatePeriod(Quarter(2026, 5)).ok());
  EXPECT_FALSE(ValidatePeriod(Period{PeriodKind::kMonth, 2026, 3, 1}).ok());
  EXPECT_FALSE(ValidatePeriod(Month(1969, 12)).ok());
}

TEST(PeriodTest, LabelsInChineseAndEnglish) {
  EXPECT_EQ(PeriodLabel(TenDay(2026, 3, 1), Language::kZh), "2026年3月上旬");
  EXPECT_EQ(PeriodLabel(TenDay(2026, 3, 3), Language::kZh), "2026年3月下旬");
  EXPECT_EQ(PeriodLabel(TenDay(2028, 2, 3), Language::kEn), "2028-02 days 21-29");
  EXPECT_EQ(PeriodLabel(Month(2026, 3), Language::kZh), "2026年3月");
  EXPECT_EQ(PeriodLabel(Quarter(2026, 2), Language::kZh), "2026年第2季度");
  EXPECT_EQ(PeriodLabel(Quarter(2026, 2), Language::kEn), "2026 Q2");
}

}  // namespace
}  // namespace anding::core::ledger

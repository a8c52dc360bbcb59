#include "anding/common/time.h"

#include <gtest/gtest.h>

namespace anding {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(TimeTest, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatUtc(FromUnixMicros(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatUtc(FromUnixMicros(1'795'000'000'123'456)), "2026-11-18T11:06:40.123Z");
}

TEST(TimeTest, ParsesRfc3339WithOffsets) {
  auto utc = ParseRfc3339("2026-11-27T08:00:00Z");
  auto local = ParseRfc3339("2026-11-27T16:00:00+08:00");
  ASSERT_TRUE(utc.ok());
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(*utc, *local);
  EXPECT_FALSE(ParseRfc3339("2026-11-27 16:00").ok());
  EXPECT_FALSE(ParseRfc3339("").ok());
}

TEST(TimeTest, ParsesAndFormatsDurations) {
  EXPECT_EQ(*ParseDuration("90s"), seconds(90));
  EXPECT_EQ(*ParseDuration("1h30m"), minutes(90));
  EXPECT_EQ(*ParseDuration("1d"), hours(24));
  EXPECT_EQ(*ParseDuration("250ms"), std::chrono::milliseconds(250));
  EXPECT_FALSE(ParseDuration("").ok());
  EXPECT_FALSE(ParseDuration("10").ok());
  EXPECT_FALSE(ParseDuration("5 minutes").ok());
  EXPECT_FALSE(ParseDuration("-5m").ok());
  EXPECT_FALSE(ParseDuration("99999999999999999999h").ok());
  EXPECT_EQ(FormatDuration(minutes(90)), "1h30m");
  EXPECT_EQ(FormatDuration(Duration(0)), "0s");
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(1500)), "1s500ms");
  EXPECT_EQ(*ParseDuration(FormatDuration(hours(6) + seconds(5))), hours(6) + seconds(5));
}

TEST(TimeZoneTest, ShanghaiDayChangesAtLocalMidnight) {
  const TimeZone zone = TimeZone::Shanghai();
  // 2026-11-27 15:59:59 UTC is 23:59:59 in Shanghai; one second later it is
  // the next local day although UTC is still on the 27th.
  const Time before = *ParseRfc3339("2026-11-27T15:59:59Z");
  EXPECT_EQ(zone.DayOf(before), CivilDay(2026, 11, 27));
  EXPECT_EQ(zone.DayOf(before + seconds(1)), CivilDay(2026, 11, 28));
  EXPECT_EQ(zone.StartOf(CivilDay(2026, 11, 28)), before + seconds(1));
  EXPECT_EQ(zone.FormatLocal(before), "2026-11-27 23:59:59");
  EXPECT_EQ(zone.At(CivilDay(2026, 11, 28), 8, 30), *ParseRfc3339("2026-11-28T00:30:00Z"));
}

TEST(TimeZoneTest, UnknownZoneIsNotFound) {
  EXPECT_EQ(TimeZone::Load("Mars/Olympus").status().code(), StatusCode::kNotFound);
}

TEST(TimeTest, DaysRoundTrip) {
  EXPECT_EQ(*ParseDay("2028-02-29"), CivilDay(2028, 2, 29));
  EXPECT_EQ(FormatDay(CivilDay(2026, 1, 5)), "2026-01-05");
  EXPECT_FALSE(ParseDay("2026-13-01").ok());
  EXPECT_FALSE(ParseDay("2026-1-5").ok());
  EXPECT_FALSE(ParseDay("yesterday").ok());
}

}  // namespace
}  // namespace anding

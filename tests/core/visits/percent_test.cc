// The statistics arithmetic: exact integer percentages, both rounding
// modes, "no base" for a change from zero, and the source's own figures.
#include "anding/core/visits/percent.h"

#include <gtest/gtest.h>

#include <limits>

namespace anding::core::visits {
namespace {

TEST(PercentTest, SourceFiguresTruncateAsTheCompanyReports) {
  // 2017: 403 batches / 901 person-times; 2018: 303 / 469.
  EXPECT_EQ(ChangeHundredths(403, 303, Rounding::kTruncate), -2481);
  EXPECT_EQ(ChangeHundredths(901, 469, Rounding::kTruncate), -4794);
  EXPECT_EQ(FormatChange(ChangeHundredths(403, 303, Rounding::kTruncate)), "-24.81%");
  EXPECT_EQ(FormatChange(ChangeHundredths(901, 469, Rounding::kTruncate)), "-47.94%");
}

TEST(PercentTest, SourceFiguresHalfUp) {
  EXPECT_EQ(FormatChange(ChangeHundredths(403, 303, Rounding::kHalfUp)), "-24.81%");
  EXPECT_EQ(FormatChange(ChangeHundredths(901, 469, Rounding::kHalfUp)), "-47.95%");
}

TEST(PercentTest, ChangeFromZeroHasNoBase) {
  EXPECT_EQ(ChangeHundredths(0, 5, Rounding::kTruncate), std::nullopt);
  EXPECT_EQ(ChangeHundredths(0, 0, Rounding::kHalfUp), std::nullopt);
  EXPECT_EQ(FormatChange(std::nullopt), "no base");
  EXPECT_EQ(PercentHundredths(3, 0, Rounding::kTruncate), std::nullopt);
}

TEST(PercentTest, ExactHalvesAndSymmetry) {
  // 1/8 = 12.5 % exactly; 1/800 = 0.125 %: the third decimal is exactly 5.
  EXPECT_EQ(PercentHundredths(1, 800, Rounding::kTruncate), 12);
  EXPECT_EQ(PercentHundredths(1, 800, Rounding::kHalfUp), 13);
  EXPECT_EQ(PercentHundredths(-1, 800, Rounding::kHalfUp), -13);
  EXPECT_EQ(PercentHundredths(-1, 800, Rounding::kTruncate), -12);
  // Just under a half stays down in both modes: 1/801 = 0.12484 %.
  EXPECT_EQ(PercentHundredths(1, 801, Rounding::kHalfUp), 12);
  // 2/3 = 66.666… %.
  EXPECT_EQ(PercentHundredths(2, 3, Rounding::kTruncate), 6666);
  EXPECT_EQ(PercentHundredths(2, 3, Rounding::kHalfUp), 6667);
  // Growth and no change.
  EXPECT_EQ(ChangeHundredths(200, 301, Rounding::kTruncate), 5050);
  EXPECT_EQ(ChangeHundredths(7, 7, Rounding::kHalfUp), 0);
  EXPECT_EQ(FormatChange(ChangeHundredths(7, 7, Rounding::kHalfUp)), "0.00%");
}

TEST(PercentTest, ExtremesDoNotOverflow) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(ChangeHundredths(1, kMax, Rounding::kTruncate), kMax);  // saturates
  EXPECT_EQ(ChangeHundredths(kMax, kMin, Rounding::kTruncate), -20000);
  EXPECT_EQ(PercentHundredths(kMin, kMin, Rounding::kHalfUp), 10000);
}

TEST(PercentTest, Formatting) {
  EXPECT_EQ(FormatHundredths(5), "0.05");
  EXPECT_EQ(FormatHundredths(-5), "-0.05");
  EXPECT_EQ(FormatHundredths(12345), "123.45");
  EXPECT_EQ(FormatHundredths(std::numeric_limits<int64_t>::min()), "-92233720368547758.08");
}

// A mean (20 days over 3 items) in hundredths of itself, not of a percent.
TEST(PercentTest, QuotientHundredthsRoundsTheSameWay) {
  EXPECT_EQ(QuotientHundredths(20, 3, Rounding::kTruncate), 666);
  EXPECT_EQ(QuotientHundredths(20, 3, Rounding::kHalfUp), 667);
  EXPECT_EQ(QuotientHundredths(7, 2, Rounding::kTruncate), 350);
  EXPECT_EQ(QuotientHundredths(-20, 3, Rounding::kHalfUp), -667);
  EXPECT_EQ(QuotientHundredths(5, 0, Rounding::kTruncate), std::nullopt);
}

TEST(PercentTest, RoundingNames) {
  EXPECT_EQ(ParseRounding("truncate"), Rounding::kTruncate);
  EXPECT_EQ(ParseRounding("half_up"), Rounding::kHalfUp);
  EXPECT_EQ(ParseRounding("bankers"), std::nullopt);
  EXPECT_EQ(RoundingName(Rounding::kHalfUp), "half_up");
}

}  // namespace
}  // namespace anding::core::visits

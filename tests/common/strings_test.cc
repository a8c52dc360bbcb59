#include "anding/common/strings.h"

#include <gtest/gtest.h>

namespace anding {
namespace {

TEST(StringsTest, DisplayWidthCountsWideCharactersTwice) {
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("mine-3"), 6u);
  EXPECT_EQ(DisplayWidth("应急储备金"), 10u);
  EXPECT_EQ(DisplayWidth("鹤壁mine-3"), 10u);
  EXPECT_EQ(DisplayWidth("（督办）"), 8u) << "fullwidth punctuation";
  EXPECT_EQ(DisplayWidth("é"), 1u) << "a Latin letter of two bytes";
  EXPECT_EQ(DisplayWidth("e\xcc\x81"), 1u) << "a combining accent takes no column";
  EXPECT_EQ(DisplayWidth("\xff\xfe"), 2u) << "invalid bytes count one each";
  EXPECT_EQ(DisplayWidth("\xe5\xba"), 2u) << "a truncated character counts per byte";
}

TEST(StringsTest, PadRightFillsColumnsNotBytes) {
  EXPECT_EQ(PadRight("ab", 5), "ab   ");
  EXPECT_EQ(PadRight("储备", 6), "储备  ");
  EXPECT_EQ(PadRight("集团应急储备金", 6), "集团应急储备金") << "never cut";
  // Two rows, one Chinese and one Latin, line up.
  EXPECT_EQ(DisplayWidth(PadRight("应急储备金", 14) + "|"),
            DisplayWidth(PadRight("reserve", 14) + "|"));
}

TEST(StringsTest, TruncateToWidthCutsWholeCharacters) {
  EXPECT_EQ(TruncateToWidth("mine-3", 6), "mine-3");
  EXPECT_EQ(TruncateToWidth("mine-36", 6), "mine-…");
  EXPECT_EQ(TruncateToWidth("应急储备金", 6), "应急…");
  EXPECT_EQ(TruncateToWidth("应急储备金", 7), "应急储…");
  EXPECT_EQ(DisplayWidth(TruncateToWidth("鹤壁mine-3", 5)), 5u);
}

TEST(StringsTest, SplitKeepsEmptyPieces) {
  EXPECT_EQ(Split("a|b||c", '|'), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(Split("", '|'), (std::vector<std::string>{""}));
  EXPECT_EQ(Split("李矿长:+86138:", ':'), (std::vector<std::string>{"李矿长", "+86138", ""}));
}

TEST(StrCatTest, TextAndNumbersInOrder) {
  const std::string text = "b";
  EXPECT_EQ(StrCat("a", text, std::string_view("c"), 42, -7, ' ', 'x', true, 3.5),
            "abc42-7 xtrue3.5");
  EXPECT_EQ(StrCat(uint64_t{18446744073709551615ULL}, " ", int64_t{-9223372036854775807 - 1}),
            "18446744073709551615 -9223372036854775808");
  EXPECT_EQ(StrCat(uint8_t{200}, int16_t{-3}), "200-3");
  std::string out = "x=";
  StrAppend(out, 1, "/", 2u);
  EXPECT_EQ(out, "x=1/2");
}

}  // namespace
}  // namespace anding

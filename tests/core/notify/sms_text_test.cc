#include "anding/core/notify/sms_text.h"

#include <gtest/gtest.h>

#include <string>

namespace anding::core::notify {
namespace {

std::string Repeat(std::string_view piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(SmsText, EmptyTextIsNoMessage) {
  const SmsLength length = CountSms("");
  EXPECT_EQ(length.parts, 0u);
  EXPECT_EQ(length.encoding, SmsEncoding::kGsm7);
}

TEST(SmsText, AsciiIsGsmAndFitsExactly160) {
  const SmsLength exact = CountSms(Repeat("a", 160));
  EXPECT_EQ(exact.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(exact.units, 160u);
  EXPECT_EQ(exact.parts, 1u);
  EXPECT_EQ(exact.units_per_part, 160u);
  const SmsLength over = CountSms(Repeat("a", 161));
  EXPECT_EQ(over.parts, 2u);
  EXPECT_EQ(over.units_per_part, 153u);
  EXPECT_EQ(CountSms(Repeat("a", 306)).parts, 2u);
  EXPECT_EQ(CountSms(Repeat("a", 307)).parts, 3u);
}

TEST(SmsText, ChineseIsUcs2AndFitsExactly70) {
  const SmsLength exact = CountSms(Repeat("专", 70));
  EXPECT_EQ(exact.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(exact.characters, 70u);
  EXPECT_EQ(exact.units, 70u);
  EXPECT_EQ(exact.parts, 1u);
  const SmsLength over = CountSms(Repeat("专", 71));
  EXPECT_EQ(over.parts, 2u);
  EXPECT_EQ(over.units_per_part, 67u);
  EXPECT_EQ(CountSms(Repeat("专", 134)).parts, 2u);
  EXPECT_EQ(CountSms(Repeat("专", 135)).parts, 3u);
}

TEST(SmsText, ExtensionCharactersCountTwo) {
  const SmsLength euro = CountSms(Repeat("€", 80));
  EXPECT_EQ(euro.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(euro.characters, 80u);
  EXPECT_EQ(euro.units, 160u);
  EXPECT_EQ(euro.parts, 1u);
  EXPECT_EQ(CountSms(Repeat("[", 81)).parts, 2u);
  // 152 plain + one extension character: 154 septets in one message.
  EXPECT_EQ(CountSms(Repeat("a", 158) + "{").parts, 1u);
  EXPECT_EQ(CountSms(Repeat("a", 159) + "}").parts, 2u);
}

TEST(SmsText, ExtensionCharacterIsNeverSplitAcrossParts) {
  // 152 septets then "€" (2): it does not fit in part one's 153, so part
  // one holds 152 and the rest moves on; 152 + 2 + 152 = 306 septets in 3.
  const std::string text = Repeat("a", 152) + "€" + Repeat("a", 152);
  const SmsLength length = CountSms(text);
  EXPECT_EQ(length.units, 306u);
  EXPECT_EQ(length.parts, 3u);
}

TEST(SmsText, MixedChineseAndAsciiIsUcs2) {
  const SmsLength length = CountSms("Mine 3 三矿 group petition 群访");
  EXPECT_EQ(length.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(length.units, length.characters);
}

TEST(SmsText, EmojiOutsideTheBmpCountsTwoUnits) {
  const SmsLength one = CountSms("😀");
  EXPECT_EQ(one.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(one.characters, 1u);
  EXPECT_EQ(one.units, 2u);
  EXPECT_EQ(CountSms(Repeat("😀", 35)).parts, 1u);
  EXPECT_EQ(CountSms(Repeat("😀", 36)).parts, 2u);
  // 66 units then a surrogate pair: the pair starts part two.
  EXPECT_EQ(CountSms(Repeat("专", 66) + "😀" + Repeat("专", 4)).parts, 2u);
  EXPECT_EQ(CountSms(Repeat("专", 66) + "😀" + Repeat("专", 66)).parts, 3u);
}

TEST(SmsText, InvalidUtf8CountsAsReplacementCharacters) {
  const SmsLength length = CountSms(std::string("ab\xff", 3));
  EXPECT_EQ(length.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(length.characters, 3u);
}

TEST(SmsText, FitNeverCutsInsideACharacter) {
  const std::string text = Repeat("专", 200);
  const std::string fitted = FitSms(text, 2);
  EXPECT_EQ(CountSms(fitted).parts, 2u);
  EXPECT_EQ(fitted.substr(fitted.size() - 3), "…");
  // Whole characters only: 133 of them plus the ellipsis fill 2 × 67.
  EXPECT_EQ(fitted.size(), 133u * 3 + 3);
  const std::string emoji = Repeat("😀", 100);
  const std::string cut = FitSms(emoji, 1);
  EXPECT_EQ(CountSms(cut).parts, 1u);
  EXPECT_EQ((cut.size() - 3) % 4, 0u);  // only whole four-byte characters
  EXPECT_EQ(FitSms("short", 1), "short");
}

}  // namespace
}  // namespace anding::core::notify

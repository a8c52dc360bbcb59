#include "anding/runtime/log_text.h"

#include <gtest/gtest.h>

#include <string>

namespace anding::runtime {
namespace {

TEST(PrintableTest, PlainAndChineseTextPassThrough) {
  EXPECT_EQ(Printable("unit mine-3 ok"), "unit mine-3 ok");
  EXPECT_EQ(Printable("鹤壁 信访"), "鹤壁 信访");
}

TEST(PrintableTest, LineBreaksCannotForgeALine) {
  const std::string forged = Printable("id\n2026-12-02T08:00:00.000Z critical [dispatcher] x");
  EXPECT_EQ(forged.find('\n'), std::string::npos);
  EXPECT_EQ(forged, "id\\n2026-12-02T08:00:00.000Z critical [dispatcher] x");
  EXPECT_EQ(Printable("a\rb\tc\\n"), "a\\rb\\tc\\\\n");
  EXPECT_EQ(Printable("\xE2\x80\xA8|\xC2\x85"), "\\u2028|\\u0085");
}

TEST(PrintableTest, OtherControlsAreHexEscaped) {
  EXPECT_EQ(Printable(std::string("\x1b[31mred\x7f\0", 10)), "\\x1b[31mred\\x7f\\x00");
}

TEST(PrintableTest, InvalidUtf8IsReplaced) {
  EXPECT_EQ(Printable("a\xFF"
                      "b"),
            "a\uFFFDb");
  EXPECT_EQ(Printable("\xC0\xAF"), "\uFFFD\uFFFD");            // overlong '/'
  EXPECT_EQ(Printable("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD");  // a surrogate
  EXPECT_EQ(Printable("\xE9\xB9"), "\uFFFD\uFFFD");            // truncated
}

TEST(PrintableTest, LongTextIsTruncatedWithTheCountOfCutBytes) {
  const std::string huge(100 * 1024, 'x');
  const std::string shown = Printable(huge, 200);
  EXPECT_EQ(shown, std::string(200, 'x') + "\u2026(+102200 bytes)");
  EXPECT_EQ(Printable("鹤壁信访", 2), "鹤壁\u2026(+6 bytes)");
  EXPECT_EQ(Printable("abc", 3), "abc");
  EXPECT_EQ(Printable("", 0), "");
}

}  // namespace
}  // namespace anding::runtime

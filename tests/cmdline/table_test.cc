#include "anding/cmdline/table.h"

#include <gtest/gtest.h>

#include <sstream>

#include "anding/common/strings.h"

namespace anding::cmdline {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The display column at which `needle` starts in `line`.
size_t ColumnOf(const std::string& line, const std::string& needle) {
  const size_t at = line.find(needle);
  EXPECT_NE(at, std::string::npos) << needle << " in " << line;
  return DisplayWidth(line.substr(0, at));
}

TEST(TableTest, MixedChineseAndLatinCellsLineUpByDisplayWidth) {
  Table table({"unit", "状态 state", "summary"});
  table.AddRow({"mine-3", "登记", "职工反映工资拖欠"});
  table.AddRow({"鹤壁煤业第六矿", "closed_out", "wages"});
  table.AddRow({"zz", "销号", "x"});
  const auto lines = Lines(table.Render());
  ASSERT_EQ(lines.size(), 4u);
  // The second and third columns start at the same display column on
  // every line, although their byte offsets differ.
  const size_t second = ColumnOf(lines[0], "状态");
  EXPECT_EQ(ColumnOf(lines[1], "登记"), second);
  EXPECT_EQ(ColumnOf(lines[2], "closed_out"), second);
  EXPECT_EQ(ColumnOf(lines[3], "销号"), second);
  const size_t third = ColumnOf(lines[0], "summary");
  EXPECT_EQ(ColumnOf(lines[1], "职工"), third);
  EXPECT_EQ(ColumnOf(lines[2], "wages"), third);
  EXPECT_EQ(ColumnOf(lines[3], "x"), third);
  EXPECT_EQ(second, DisplayWidth("鹤壁煤业第六矿") + 2);
  for (const auto& line : lines) EXPECT_NE(line.back(), ' ') << "no trailing spaces";
}

TEST(TableTest, LongCellsAreCutAtACharacterBoundaryWithAnEllipsis) {
  Table table({"id", "text"});
  table.SetMaxWidth(1, 9);
  table.AddRow({"1", "退休职工酝酿赴京上访"});
  table.AddRow({"2", "short"});
  const auto lines = Lines(table.Render());
  EXPECT_EQ(lines[1], "1   退休职工…");  // 8 columns of text and the ellipsis
  EXPECT_EQ(lines[2], "2   short");
  EXPECT_LE(DisplayWidth(lines[1]), 4u + 9u);
}

TEST(TableTest, FiguresAlignRight) {
  Table table({"unit", "批次"});
  table.AlignRight(1);
  table.AddRow({"mine-3", "7"});
  table.AddRow({"mine-6", "403"});
  const auto lines = Lines(table.Render());
  EXPECT_EQ(lines[1], "mine-3     7");
  EXPECT_EQ(lines[2], "mine-6   403");
}

TEST(TruncateToWidthTest, NeverSplitsACharacter) {
  EXPECT_EQ(TruncateToWidth("abc", 3), "abc");
  EXPECT_EQ(TruncateToWidth("abcd", 3), "ab…");
  EXPECT_EQ(TruncateToWidth("台账销号", 4), "台…")
      << "a wide character that would not fit stays out";
  EXPECT_EQ(TruncateToWidth("台账销号", 5), "台账…");
  EXPECT_EQ(TruncateToWidth("台账", 0), "");
}

}  // namespace
}  // namespace anding::cmdline

// Printing on the operator's machine (`anding … --format pdf --out FILE`)
// with Debian's chromium and fonts-noto-cjk, as deploy/install-deps sets
// them up: the yearly report (`anding stats yearly`) with the source
// document's own visit figures becomes a PDF whose text is the Chinese
// tables of every statistic (pdftotext), set in
// Noto Sans CJK (fc-match), with ink on its first page, which is
// also kept as a PNG in the test's output for a person to look at
// (printed/ next to this test's binary). The refusals write nothing.
//
// It fails, never skips, when chromium or poppler-utils are missing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <tuple>

#include "support/cluster.h"

namespace anding::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string Head(const fs::path& file, size_t bytes) {
  std::ifstream in(file, std::ios::binary);
  std::string head(bytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(bytes));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

// The share of dark pixels on the PDF's first page, rendered in grey at a
// low resolution (a binary PGM from pdftoppm).
double InkOnFirstPage(const fs::path& pdf) {
  const auto pgm =
      RunCommand("/usr/bin/pdftoppm", {"-f", "1", "-l", "1", "-r", "30", "-gray", pdf.string()});
  if (pgm.exit_code != 0 || !pgm.out.starts_with("P5")) return -1;
  // "P5\n<width> <height>\n<max>\n" then one byte per pixel.
  size_t at = 0;
  for (int lines = 0; lines < 3; ++lines) at = pgm.out.find('\n', at) + 1;
  const std::string_view pixels = std::string_view(pgm.out).substr(at);
  if (pixels.empty()) return -1;
  size_t dark = 0;
  for (unsigned char pixel : pixels) dark += pixel < 128 ? 1 : 0;
  return static_cast<double>(dark) / static_cast<double>(pixels.size());
}

TEST(PrintIntegrationTest, TheYearlyReportPrintsAsPdfInChinese) {
  Cluster cluster("print");
  cluster.StartDispatcher();
  // The source document's figures: 2017 403 batches / 901 person-times,
  // 2018 303 / 469.
  for (const auto& [day, batches, persons] :
       {std::tuple{"2017-06-01", "403", "901"}, std::tuple{"2018-06-01", "303", "469"}}) {
    auto recorded = cluster.Operator({"visits", "register", "--unit", "mine-3", "--day", day,
                                      "--batches", batches, "--persons", persons});
    ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  }

  const fs::path out_dir = ANDING_PRINT_OUTPUT_DIR;
  fs::create_directories(out_dir);
  const fs::path pdf = out_dir / "yearly-report-2018.pdf";
  fs::remove(pdf);
  auto printed = cluster.Operator(
      {"stats", "yearly", "--year", "2018", "--format", "pdf", "--out", pdf.string()});
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_THAT(printed.out, HasSubstr("application/pdf"));
  EXPECT_EQ(Head(pdf, 5), "%PDF-");

  const auto text = RunCommand("/usr/bin/pdftotext", {"-layout", pdf.string(), "-"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("2018 年度信访维稳统计报告"));
  EXPECT_THAT(text.out, HasSubstr("批次"));
  EXPECT_THAT(text.out, HasSubstr("-24.81%"));
  EXPECT_THAT(text.out, HasSubstr("-47.94%"));
  for (const char* section : {"响应时间统计", "台账统计", "备用金使用统计"}) {
    EXPECT_THAT(text.out, HasSubstr(section));
  }
  // Chromium embeds the CJK font's glyphs as Type 3 outlines without its
  // name, so what is checked is that the documents' first font is there to
  // be used, not a fallback that would print boxes.
  const auto font = RunCommand("/usr/bin/fc-match", {"-f", "%{file}", "Noto Sans CJK SC"});
  EXPECT_THAT(font.out, HasSubstr("NotoSansCJK")) << "fonts-noto-cjk is not installed";
  EXPECT_GT(InkOnFirstPage(pdf), 0.001) << "the first page is blank";
  const auto png =
      RunCommand("/usr/bin/pdftoppm", {"-f", "1", "-l", "1", "-r", "60", "-png", "-singlefile",
                                       pdf.string(), (out_dir / "yearly-report-2018").string()});
  ASSERT_EQ(png.exit_code, 0) << png.err;
  std::cout << "first page: " << (out_dir / "yearly-report-2018.png").string() << "\n";

  // A PDF is a file, never the terminal's; a command without a printable
  // document does not take --format at all.
  auto no_out = cluster.Operator({"stats", "visits", "--year", "2018", "--format", "pdf"});
  EXPECT_EQ(no_out.exit_code, 2);
  EXPECT_THAT(no_out.err, HasSubstr("--out"));
  auto empty_out =
      cluster.Operator({"stats", "visits", "--year", "2018", "--format", "pdf", "--out", ""});
  EXPECT_EQ(empty_out.exit_code, 2);
  EXPECT_THAT(empty_out.err, HasSubstr("--out"));
  const fs::path nothing = out_dir / "agents.pdf";
  fs::remove(nothing);
  auto no_document =
      cluster.Operator({"agents", "list", "--format", "pdf", "--out", nothing.string()});
  EXPECT_EQ(no_document.exit_code, 2);
  EXPECT_THAT(no_document.err, HasSubstr("--format"));
  EXPECT_FALSE(fs::exists(nothing));

  // Without a browser the print fails and says what to install, and the
  // PDF printed before is left as it was.
  const auto before = fs::file_size(pdf);
  ::setenv("ANDING_CHROMIUM", "/nonexistent/chromium", 1);
  auto no_browser = cluster.Operator(
      {"stats", "yearly", "--year", "2018", "--format", "pdf", "--out", pdf.string()});
  ::unsetenv("ANDING_CHROMIUM");
  EXPECT_NE(no_browser.exit_code, 0);
  EXPECT_THAT(no_browser.err, HasSubstr("/nonexistent/chromium"));
  EXPECT_EQ(fs::file_size(pdf), before);
  EXPECT_EQ(Head(pdf, 5), "%PDF-");
}

}  // namespace
}  // namespace anding::testing

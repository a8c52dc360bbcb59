// A statistics table as a document, the one way every statistic is
// printed: aligned text for the terminal, CSV for spreadsheets (UTF-8 with
// a byte-order mark, as Excel expects for Chinese) or an HTML page. The
// figures arrive already formatted (percent.h), so each format shows the
// same digits. A document of several tables (the yearly report) prints
// them one after another under one heading.
//
// The words are Chinese or English (`--lang zh|en`); the figures and the
// ids in the rows are the same in both.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/core/visits/percent.h"

namespace anding::core::visits {

enum class ReportFormat { kText, kCsv, kHtml };
// "text", "csv", "html".
[[nodiscard]] std::optional<ReportFormat> ParseReportFormat(std::string_view name);

enum class Language { kZh, kEn };
// "zh" (and "" — Chinese is the default) or "en".
[[nodiscard]] std::optional<Language> ParseLanguage(std::string_view name);
// "zh" or "en".
[[nodiscard]] inline std::string_view LanguageName(Language language) {
  return language == Language::kZh ? "zh" : "en";
}
// `zh` or `en`, as `language` says.
[[nodiscard]] inline std::string_view Say(Language language, std::string_view zh,
                                          std::string_view en) {
  return language == Language::kZh ? zh : en;
}

// A change or share in a table's cell: "-24.81%", or "无基数" / "no base".
[[nodiscard]] std::string PercentCell(const std::optional<int64_t>& hundredths, Language language);
// How percentages were rounded, in the document's words.
[[nodiscard]] std::string RoundingNote(Rounding rounding, Language language);

struct StatsTable {
  Language language = Language::kZh;
  std::string title;    // the HTML page's <title>
  std::string heading;  // the HTML <h1>
  // The first line of the text form (without its newline).
  std::string text_heading;
  // The header row first; every row has the header's number of cells.
  std::vector<std::vector<std::string>> rows;
  // Lines after the HTML table (how a figure was counted, the rounding);
  // the text form says them in its heading, CSV leaves them out.
  std::vector<std::string> notes;
};

[[nodiscard]] std::string RenderStatsTable(const StatsTable& table, ReportFormat format);

// Several tables under one heading. Each table's `heading` heads its
// section (its `title` is not used); text and CSV separate the sections by
// an empty line, and CSV starts each with its heading on a line of its own.
struct StatsDocument {
  Language language = Language::kZh;
  std::string title;
  std::string heading;
  // Lines under the heading (what the document covers, as of when).
  std::vector<std::string> lines;
  std::vector<StatsTable> sections;
};

[[nodiscard]] std::string RenderStatsDocument(const StatsDocument& document, ReportFormat format);

}  // namespace anding::core::visits

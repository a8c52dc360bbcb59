// A statistics table as a document, the one way every statistic is
// printed: aligned text for the terminal, CSV for spreadsheets (UTF-8 with
// a byte-order mark, as Excel expects for Chinese) or an HTML page. The
// figures arrive already formatted (percent.h), so each format shows the
// same digits.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace anding::core::visits {

enum class ReportFormat { kText, kCsv, kHtml };
// "text", "csv", "html".
[[nodiscard]] std::optional<ReportFormat> ParseReportFormat(std::string_view name);

struct StatsTable {
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

}  // namespace anding::core::visits

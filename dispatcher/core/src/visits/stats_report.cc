#include "anding/core/visits/stats_report.h"

#include <algorithm>
#include <vector>

#include "anding/common/strings.h"

namespace anding::core::visits {
namespace {

using Table = std::vector<std::vector<std::string>>;

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<std::string> Row(const StatsRow& row, std::string label) {
  return {std::move(label),
          StrCat(row.current.batches),
          StrCat(row.current.persons),
          StrCat(row.previous.batches),
          StrCat(row.previous.persons),
          FormatChange(row.batches_period_on_period),
          FormatChange(row.persons_period_on_period),
          StrCat(row.year_ago.batches),
          StrCat(row.year_ago.persons),
          FormatChange(row.batches_year_on_year),
          FormatChange(row.persons_year_on_year),
          StrCat(row.current.repeats),
          StrCat(row.current.collective)};
}

Table BuildTable(const VisitStats& stats, const KeyName& name) {
  const std::string current = FormatPeriod(stats.kind, stats.current);
  const std::string previous = FormatPeriod(stats.kind, stats.previous);
  const std::string year_ago = FormatPeriod(stats.kind, stats.year_ago);
  Table table;
  table.push_back({std::string(DimensionName(stats.dimension)), StrCat(current, " 批次 batches"),
                   StrCat(current, " 人次 persons"), StrCat(previous, " 批次"),
                   StrCat(previous, " 人次"), "环比批次 PoP batches", "环比人次 PoP persons",
                   StrCat(year_ago, " 批次"), StrCat(year_ago, " 人次"), "同比批次 YoY batches",
                   "同比人次 YoY persons", "重复访 repeats", "集体访 collective"});
  for (const StatsRow& row : stats.rows) {
    std::string label = row.key.empty() ? "(none)" : row.key;
    if (name) {
      if (const std::string display = name(row.key); !display.empty()) {
        label = StrCat(display, " (", label, ")");
      }
    }
    table.push_back(Row(row, std::move(label)));
  }
  table.push_back(Row(stats.total, "合计 total"));
  return table;
}

}  // namespace

std::optional<ReportFormat> ParseReportFormat(std::string_view name) {
  if (name == "text") return ReportFormat::kText;
  if (name == "csv") return ReportFormat::kCsv;
  if (name == "html") return ReportFormat::kHtml;
  return std::nullopt;
}

std::string RenderVisitStats(const VisitStats& stats, ReportFormat format, const KeyName& name) {
  const Table table = BuildTable(stats, name);
  std::string out;
  switch (format) {
    case ReportFormat::kCsv: {
      out = "\xEF\xBB\xBF";  // Excel reads UTF-8 Chinese only after a BOM
      for (const auto& row : table) {
        for (size_t i = 0; i < row.size(); ++i) StrAppend(out, i ? "," : "", CsvField(row[i]));
        out += "\r\n";
      }
      return out;
    }
    case ReportFormat::kHtml: {
      StrAppend(out,
                "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
                "<title>接处访统计 ",
                HtmlEscape(FormatPeriod(stats.kind, stats.current)),
                "</title></head><body>\n<h1>接处访统计 Visits ",
                HtmlEscape(FormatPeriod(stats.kind, stats.current)), "</h1>\n<table>\n");
      for (size_t r = 0; r < table.size(); ++r) {
        out += "<tr>";
        for (const auto& cell : table[r]) {
          StrAppend(out, r == 0 ? "<th>" : "<td>", HtmlEscape(cell), r == 0 ? "</th>" : "</td>");
        }
        out += "</tr>\n";
      }
      StrAppend(out, "</table>\n<p>rounding: ", RoundingName(stats.rounding),
                "</p>\n</body></html>\n");
      return out;
    }
    case ReportFormat::kText:
      break;
  }
  StrAppend(out, "接处访统计 visits ", FormatPeriod(stats.kind, stats.current), " (previous ",
            FormatPeriod(stats.kind, stats.previous), ", year ago ",
            FormatPeriod(stats.kind, stats.year_ago), "; rounding ", RoundingName(stats.rounding),
            ")\n");
  std::vector<size_t> widths(table[0].size(), 0);
  for (const auto& row : table) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  for (const auto& row : table) {
    for (size_t i = 0; i < row.size(); ++i) {
      StrAppend(out, i ? "  " : "", i + 1 < row.size() ? PadRight(row[i], widths[i]) : row[i]);
    }
    out += "\n";
  }
  return out;
}

}  // namespace anding::core::visits

#include "anding/core/visits/stats_table.h"

#include <algorithm>

#include "anding/common/html.h"
#include "anding/common/strings.h"

namespace anding::core::visits {
namespace {

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

// For the screen and for print (`anding … --format pdf` prints this page):
// ruled cells, figures right-aligned, the CJK font first, A4 landscape.
constexpr const char* kStyle =
    "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\","
    "\"PingFang SC\",sans-serif;margin:24px;color:#111}"
    "h1{font-size:20px;margin:0 0 12px}"
    "h2{font-size:16px;margin:18px 0 6px;page-break-after:avoid}"
    "table{border-collapse:collapse;margin:8px 0;font-size:12px}"
    "th,td{border:1px solid #555;padding:4px 6px;text-align:right;white-space:nowrap}"
    "th{background:#e8e8e8;text-align:center;white-space:normal}"
    "td:first-child{text-align:left}"
    "tr:last-child td{font-weight:bold}"
    "p{font-size:12px;color:#333;margin:4px 0}"
    "@page{size:A4 landscape;margin:12mm}"
    "@media print{body{margin:0}thead{display:table-header-group}tr{page-break-inside:avoid}}";

}  // namespace

std::optional<ReportFormat> ParseReportFormat(std::string_view name) {
  if (name == "text") return ReportFormat::kText;
  if (name == "csv") return ReportFormat::kCsv;
  if (name == "html") return ReportFormat::kHtml;
  return std::nullopt;
}

std::optional<Language> ParseLanguage(std::string_view name) {
  if (name.empty() || name == "zh") return Language::kZh;
  if (name == "en") return Language::kEn;
  return std::nullopt;
}

std::string PercentCell(const std::optional<int64_t>& hundredths, Language language) {
  if (!hundredths) return std::string(Say(language, "无基数", "no base"));
  return FormatChange(hundredths);
}

std::string RoundingNote(Rounding rounding, Language language) {
  if (language == Language::kEn) return StrCat("rounding: ", RoundingName(rounding));
  return rounding == Rounding::kTruncate ? "百分比保留两位小数，截尾（不四舍五入）"
                                         : "百分比保留两位小数，四舍五入";
}

namespace {

void AppendCsvRows(const StatsTable& table, std::string& out) {
  for (const auto& row : table.rows) {
    for (size_t i = 0; i < row.size(); ++i) StrAppend(out, i ? "," : "", CsvField(row[i]));
    out += "\r\n";
  }
}

void AppendHtmlHead(Language language, std::string_view title, std::string_view heading,
                    std::string& out) {
  StrAppend(out, "<!DOCTYPE html>\n<html lang=\"", Say(language, "zh-CN", "en"),
            "\"><head><meta charset=\"utf-8\"><title>", HtmlEscape(title), "</title><style>",
            kStyle, "</style></head><body>\n<h1>", HtmlEscape(heading), "</h1>\n");
}

void AppendHtmlTable(const StatsTable& table, std::string& out) {
  out += "<table>\n";
  for (size_t r = 0; r < table.rows.size(); ++r) {
    out += "<tr>";
    for (const auto& cell : table.rows[r]) {
      StrAppend(out, r == 0 ? "<th>" : "<td>", HtmlEscape(cell), r == 0 ? "</th>" : "</td>");
    }
    out += "</tr>\n";
  }
  out += "</table>\n";
  for (const auto& note : table.notes) StrAppend(out, "<p>", HtmlEscape(note), "</p>\n");
}

void AppendTextTable(const StatsTable& table, std::string& out) {
  StrAppend(out, table.text_heading, "\n");
  if (table.rows.empty()) return;
  std::vector<size_t> widths(table.rows[0].size(), 0);
  for (const auto& row : table.rows) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  for (const auto& row : table.rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      StrAppend(out, i ? "  " : "",
                i + 1 < row.size() && i < widths.size() ? PadRight(row[i], widths[i]) : row[i]);
    }
    out += "\n";
  }
}

constexpr const char* kBom = "\xEF\xBB\xBF";  // Excel reads UTF-8 Chinese only after a BOM

}  // namespace

std::string RenderStatsTable(const StatsTable& table, ReportFormat format) {
  std::string out;
  switch (format) {
    case ReportFormat::kCsv:
      out = kBom;
      AppendCsvRows(table, out);
      return out;
    case ReportFormat::kHtml:
      AppendHtmlHead(table.language, table.title, table.heading, out);
      AppendHtmlTable(table, out);
      out += "</body></html>\n";
      return out;
    case ReportFormat::kText:
      AppendTextTable(table, out);
      return out;
  }
  return out;
}

std::string RenderStatsDocument(const StatsDocument& document, ReportFormat format) {
  std::string out;
  switch (format) {
    case ReportFormat::kCsv:
      out = kBom;
      StrAppend(out, CsvField(document.heading), "\r\n");
      for (const auto& line : document.lines) StrAppend(out, CsvField(line), "\r\n");
      for (const StatsTable& table : document.sections) {
        StrAppend(out, "\r\n", CsvField(table.heading), "\r\n");
        AppendCsvRows(table, out);
      }
      return out;
    case ReportFormat::kHtml:
      AppendHtmlHead(document.language, document.title, document.heading, out);
      for (const auto& line : document.lines) StrAppend(out, "<p>", HtmlEscape(line), "</p>\n");
      for (const StatsTable& table : document.sections) {
        StrAppend(out, "<h2>", HtmlEscape(table.heading), "</h2>\n");
        AppendHtmlTable(table, out);
      }
      out += "</body></html>\n";
      return out;
    case ReportFormat::kText:
      StrAppend(out, document.heading, "\n");
      for (const auto& line : document.lines) StrAppend(out, line, "\n");
      for (const StatsTable& table : document.sections) {
        out += "\n";
        AppendTextTable(table, out);
      }
      return out;
  }
  return out;
}

}  // namespace anding::core::visits

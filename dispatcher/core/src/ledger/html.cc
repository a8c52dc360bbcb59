#include "anding/common/html.h"

#include "document.h"

namespace anding::core::ledger::internal {
namespace {

constexpr const char* kStyle =
    "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\","
    "\"PingFang SC\",sans-serif;margin:24px;color:#111}"
    "h1{font-size:20px;margin:0 0 8px}"
    "p.meta{margin:2px 0;font-size:13px;color:#333}"
    "table{border-collapse:collapse;width:100%;margin:14px 0;font-size:12px}"
    "caption{text-align:left;font-weight:bold;font-size:14px;margin-bottom:4px}"
    "th,td{border:1px solid #555;padding:4px 6px;vertical-align:top;text-align:left}"
    "th{background:#e8e8e8}"
    "td.num{text-align:right;white-space:nowrap}"
    "tr.total td{font-weight:bold;background:#f4f4f4}"
    "@page{size:A4 landscape;margin:12mm}"
    "@media print{body{margin:0}thead{display:table-header-group}"
    "tr{page-break-inside:avoid}}";

// Escaped text with line breaks kept visible.
std::string CellText(const std::string& text) {
  std::string escaped = HtmlEscape(text);
  std::string out;
  for (char c : escaped) {
    if (c == '\r') continue;
    if (c == '\n') {
      out += "<br>";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string RenderHtml(const Document& document) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"" + HtmlEscape(document.language) + "\">\n<head>\n";
  out += "<meta charset=\"utf-8\">\n<title>" + HtmlEscape(document.title) + "</title>\n";
  out += "<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n";
  out += "<h1>" + HtmlEscape(document.title) + "</h1>\n";
  for (const std::string& line : document.lines) {
    out += "<p class=\"meta\">" + CellText(line) + "</p>\n";
  }
  for (const Table& table : document.tables) {
    out += "<table>\n";
    if (!table.caption.empty()) out += "<caption>" + HtmlEscape(table.caption) + "</caption>\n";
    out += "<thead><tr>";
    for (const std::string& header : table.headers) out += "<th>" + HtmlEscape(header) + "</th>";
    out += "</tr></thead>\n<tbody>\n";
    for (size_t r = 0; r < table.rows.size(); ++r) {
      const bool total = table.last_row_is_total && r + 1 == table.rows.size();
      out += total ? "<tr class=\"total\">" : "<tr>";
      const auto& row = table.rows[r];
      for (size_t c = 0; c < row.size(); ++c) {
        const bool numeric = c < table.numeric.size() && table.numeric[c];
        out += numeric ? "<td class=\"num\">" : "<td>";
        out += CellText(row[c]);
        out += "</td>";
      }
      out += "</tr>\n";
    }
    out += "</tbody>\n</table>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace anding::core::ledger::internal

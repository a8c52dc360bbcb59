// A tabular document (title, lines of context, tables) and its two
// renderings, CSV and HTML. Private to the ledger module's exports.
#pragma once

#include <string>
#include <vector>

#include "anding/common/html.h"

namespace anding::core::ledger::internal {

struct Table {
  std::string caption;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;  // per column: right-aligned in HTML
  bool last_row_is_total = false;
};

struct Document {
  std::string language;  // "zh-CN" or "en"
  std::string title;
  std::vector<std::string> lines;  // shown under the title (HTML only)
  std::vector<Table> tables;
};

// UTF-8 with BOM, CRLF, RFC 4180 quoting, formula-safe cells.
[[nodiscard]] std::string RenderCsv(const Document& document);
// A self-contained printable page.
[[nodiscard]] std::string RenderHtml(const Document& document);

// One CSV field, quoted when needed.
[[nodiscard]] std::string CsvField(const std::string& value);

}  // namespace anding::core::ledger::internal

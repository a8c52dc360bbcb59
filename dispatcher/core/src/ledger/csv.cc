#include "document.h"

namespace anding::core::ledger::internal {
namespace {

void AppendRow(std::string& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    out += CsvField(cells[i]);
  }
  out += "\r\n";
}

}  // namespace

std::string CsvField(const std::string& value) {
  std::string cell = value;
  // A leading = + - @ (or tab / CR) makes spreadsheets evaluate the cell.
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r')) {
    cell.insert(cell.begin(), '\'');
  }
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string RenderCsv(const Document& document) {
  std::string out = "\xEF\xBB\xBF";
  const bool sections = document.tables.size() > 1;
  for (size_t t = 0; t < document.tables.size(); ++t) {
    const Table& table = document.tables[t];
    if (sections) {
      if (t > 0) out += "\r\n";
      AppendRow(out, {table.caption});
    }
    AppendRow(out, table.headers);
    for (const auto& row : table.rows) AppendRow(out, row);
  }
  return out;
}

}  // namespace anding::core::ledger::internal

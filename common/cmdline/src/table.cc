#include "anding/cmdline/table.h"

#include <algorithm>
#include <limits>

#include "anding/common/strings.h"

namespace anding::cmdline {

Table::Table(std::vector<std::string> headings)
    : headings_(std::move(headings)),
      max_widths_(headings_.size(), std::numeric_limits<size_t>::max()),
      right_aligned_(headings_.size(), false) {}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headings_.size());
  rows_.push_back(std::move(cells));
}

void Table::SetMaxWidth(size_t column, size_t width) {
  if (column < max_widths_.size()) max_widths_[column] = width;
}

void Table::AlignRight(size_t column) {
  if (column < right_aligned_.size()) right_aligned_[column] = true;
}

std::string Table::Cell(size_t column, const std::string& text) const {
  return TruncateToWidth(text, max_widths_[column]);
}

std::string Table::Render() const {
  std::vector<size_t> widths(headings_.size(), 0);
  auto measure = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(Cell(c, cells[c])));
    }
  };
  measure(headings_);
  for (const auto& row : rows_) measure(row);

  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (size_t c = 0; c < cells.size(); ++c) {
      const std::string cell = Cell(c, cells[c]);
      if (c > 0) text += "  ";
      const size_t used = DisplayWidth(cell);
      if (right_aligned_[c]) {
        text.append(widths[c] - used, ' ');
        text += cell;
      } else {
        text += cell;
        text.append(widths[c] - used, ' ');
      }
    }
    text.erase(text.find_last_not_of(' ') + 1);
    out += text;
    out += "\n";
  };
  line(headings_);
  for (const auto& row : rows_) line(row);
  return out;
}

}  // namespace anding::cmdline

// Text tables for people: columns line up by display width, so a column of
// Chinese names (two terminal columns per character) lines up with one of
// Latin text, whatever the process locale. Cells wider than a column's
// limit are cut at a character boundary and end in "…".
//
//   Table table({_("unit"), _("state"), _("summary")});
//   table.SetMaxWidth(2, 40);
//   table.AddRow({"mine-3", "登记", "职工反映工资拖欠"});
//   out << table.Render();
//
// Thread-safety: a value type; not shared.
#pragma once

#include <string>
#include <vector>

namespace anding::cmdline {

class Table {
 public:
  explicit Table(std::vector<std::string> headings);

  // A row of cells; missing cells are empty, extra ones are ignored.
  void AddRow(std::vector<std::string> cells);
  // Cells of `column` wider than `width` display columns are cut to it.
  void SetMaxWidth(size_t column, size_t width);
  // Figures: padded on the left.
  void AlignRight(size_t column);

  [[nodiscard]] bool empty() const { return rows_.empty(); }
  // The headings, then the rows, one line each ending in "\n"; two spaces
  // between columns; no spaces at the end of a line.
  [[nodiscard]] std::string Render() const;

 private:
  [[nodiscard]] std::string Cell(size_t column, const std::string& text) const;

  std::vector<std::string> headings_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<size_t> max_widths_;
  std::vector<bool> right_aligned_;
};

}  // namespace anding::cmdline

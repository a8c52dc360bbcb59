#include "anding/core/visits/stats_report.h"

#include <vector>

#include "anding/common/strings.h"

namespace anding::core::visits {
namespace {

using Table = std::vector<std::vector<std::string>>;

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

std::string RenderVisitStats(const VisitStats& stats, ReportFormat format, const KeyName& name) {
  const std::string period = FormatPeriod(stats.kind, stats.current);
  StatsTable table;
  table.title = StrCat("接处访统计 ", period);
  table.heading = StrCat("接处访统计 Visits ", period);
  table.text_heading =
      StrCat("接处访统计 visits ", period, " (previous ", FormatPeriod(stats.kind, stats.previous),
             ", year ago ", FormatPeriod(stats.kind, stats.year_ago), "; rounding ",
             RoundingName(stats.rounding), ")");
  table.rows = BuildTable(stats, name);
  table.notes = {StrCat("rounding: ", RoundingName(stats.rounding))};
  return RenderStatsTable(table, format);
}

}  // namespace anding::core::visits

// Exports of the daily and monthly summaries as CSV and HTML.
#include "anding/common/strings.h"
#include "anding/core/ledger/export.h"
#include "document.h"

namespace anding::core::ledger {
namespace {

constexpr const char* kLocalMinute = "%Y-%m-%d %H:%M";

std::string_view ReportLabel(DailyReportStatus status, bool zh) {
  switch (status) {
    case DailyReportStatus::kFiled:
      return zh ? "已报" : "Filed";
    case DailyReportStatus::kZeroReport:
      return zh ? "零报告" : "Zero report";
    case DailyReportStatus::kMissing:
      return zh ? "未报" : "Missing";
    case DailyReportStatus::kNotRequired:
      return zh ? "无需报送" : "Not required";
  }
  return "?";
}

std::vector<std::string> DailyCells(const DailySummaryRow& row, std::string first,
                                    std::string report) {
  return {std::move(first),
          std::move(report),
          StrCat(row.new_items),
          StrCat(row.open_items),
          StrCat(row.overdue_items),
          StrCat(row.warnings),
          StrCat(row.special_reports),
          StrCat(row.incidents),
          StrCat(row.visit_batches),
          StrCat(row.visit_persons),
          StrCat(row.matters_due_soon),
          StrCat(row.matters_overdue)};
}

internal::Document DailyDocument(const DailySummary& summary, const Organisation& org,
                                 const ExportOptions& options) {
  const bool zh = options.language == Language::kZh;
  const TimeZone& zone = org.time_zone();
  internal::Document document;
  document.language = zh ? "zh-CN" : "en";
  const std::string day = FormatDay(summary.day);
  document.title = zh ? StrCat("风险预控日报汇总（", day, "）")
                      : StrCat("Daily risk report summary (", day, ")");
  document.lines.push_back(StrCat(
      zh ? "生成时间：" : "Generated at: ", zone.FormatLocal(summary.generated_at, kLocalMinute),
      " (", zone.name(), ")"));
  if (summary.cutoff < zone.StartOf(summary.day + 1)) {
    document.lines.push_back(StrCat(zh ? "统计截至：" : "Counted up to: ",
                                    zone.FormatLocal(summary.cutoff, kLocalMinute)));
  }
  std::string missing;
  for (const std::string& unit : summary.units_not_reported) {
    if (!missing.empty()) missing += zh ? "、" : ", ";
    missing += UnitLabel(org, unit);
  }
  if (missing.empty()) missing = zh ? "无" : "none";
  document.lines.push_back(StrCat(zh ? "未报单位：" : "Units not reported: ", missing));

  internal::Table table;
  table.headers =
      zh ? std::vector<std::string>{"单位",     "日报告",   "新增台账",     "在办台账",
                                    "逾期台账", "苗头预警", "专报",         "突发事件",
                                    "来访批次", "来访人次", "信访事项临期", "信访事项超期"}
         : std::vector<std::string>{
               "Unit",          "Daily report",  "New items",        "Open items",
               "Overdue items", "Warnings",      "Special reports",  "Incidents",
               "Visit batches", "Visit persons", "Matters due soon", "Matters overdue"};
  table.numeric.assign(table.headers.size(), true);
  table.numeric[0] = false;
  table.numeric[1] = false;
  for (const DailySummaryRow& row : summary.rows) {
    table.rows.push_back(
        DailyCells(row, UnitLabel(org, row.unit_id), std::string(ReportLabel(row.report, zh))));
  }
  table.rows.push_back(DailyCells(summary.totals, zh ? "合计" : "Total", ""));
  table.last_row_is_total = true;
  document.tables.push_back(std::move(table));
  return document;
}

std::vector<std::string> CountCells(std::string first, const MonthlyCount& count) {
  return {std::move(first),       StrCat(count.opened),     StrCat(count.closed_out),
          StrCat(count.reopened), StrCat(count.still_open), StrCat(count.overdue)};
}

internal::Document MonthlyDocument(const MonthlySummary& summary, const Organisation& org,
                                   const ExportOptions& options) {
  const bool zh = options.language == Language::kZh;
  const TimeZone& zone = org.time_zone();
  const int year = static_cast<int>(summary.month.year());
  const int month = summary.month.month();
  internal::Document document;
  document.language = zh ? "zh-CN" : "en";
  document.title = zh ? StrCat("台账月度汇总（", year, "年", month, "月）")
                      : fmt::format("Monthly ledger summary ({:04d}-{:02d})", year, month);
  document.lines.push_back(StrCat(
      zh ? "生成时间：" : "Generated at: ", zone.FormatLocal(summary.generated_at, kLocalMinute),
      " (", zone.name(), ")"));
  document.lines.push_back(StrCat(zh ? "统计截至：" : "Counted up to: ",
                                  zone.FormatLocal(summary.cutoff, kLocalMinute)));

  const std::string average = summary.average_days_to_close
                                  ? fmt::format("{:.1f}", *summary.average_days_to_close)
                                  : std::string("—");
  internal::Table overview;
  overview.caption = zh ? "总体情况" : "Overview";
  overview.headers =
      zh ? std::vector<std::string>{"指标", "数值"} : std::vector<std::string>{"Measure", "Value"};
  overview.numeric = {false, true};
  overview.rows = {{zh ? "本月新增挂号" : "Opened (registered)", StrCat(summary.totals.opened)},
                   {zh ? "本月销号" : "Closed out", StrCat(summary.totals.closed_out)},
                   {zh ? "本月反弹" : "Reopened", StrCat(summary.totals.reopened)},
                   {zh ? "月末在办" : "Still open", StrCat(summary.totals.still_open)},
                   {zh ? "月末逾期" : "Overdue", StrCat(summary.totals.overdue)},
                   {zh ? "平均办结天数" : "Average days to close", average}};
  document.tables.push_back(std::move(overview));

  const std::vector<std::string> count_headers =
      zh ? std::vector<std::string>{"新增", "销号", "反弹", "在办", "逾期"}
         : std::vector<std::string>{"Opened", "Closed out", "Reopened", "Still open", "Overdue"};
  internal::Table units;
  units.caption = zh ? "按单位" : "By unit";
  units.headers = {zh ? "单位" : "Unit"};
  units.headers.insert(units.headers.end(), count_headers.begin(), count_headers.end());
  units.numeric.assign(units.headers.size(), true);
  units.numeric[0] = false;
  for (const MonthlyCount& count : summary.by_unit) {
    units.rows.push_back(CountCells(UnitLabel(org, count.key), count));
  }
  units.rows.push_back(CountCells(zh ? "合计" : "Total", summary.totals));
  units.last_row_is_total = true;
  document.tables.push_back(std::move(units));

  internal::Table categories;
  categories.caption = zh ? "按类别" : "By category";
  categories.headers = {zh ? "类别" : "Category", zh ? "牵头部门" : "Lead department"};
  categories.headers.insert(categories.headers.end(), count_headers.begin(), count_headers.end());
  categories.numeric.assign(categories.headers.size(), true);
  categories.numeric[0] = false;
  categories.numeric[1] = false;
  for (const MonthlyCount& count : summary.by_category) {
    const Category* category = org.FindCategory(count.key);
    std::vector<std::string> cells =
        CountCells(CategoryLabel(org, count.key, options.language), count);
    cells.insert(cells.begin() + 1, category != nullptr ? category->lead_department : "");
    categories.rows.push_back(std::move(cells));
  }
  std::vector<std::string> total = CountCells(zh ? "合计" : "Total", summary.totals);
  total.insert(total.begin() + 1, "");
  categories.rows.push_back(std::move(total));
  categories.last_row_is_total = true;
  document.tables.push_back(std::move(categories));
  return document;
}

}  // namespace

std::string DailySummaryCsv(const DailySummary& summary, const Organisation& org,
                            const ExportOptions& options) {
  return internal::RenderCsv(DailyDocument(summary, org, options));
}

std::string DailySummaryHtml(const DailySummary& summary, const Organisation& org,
                             const ExportOptions& options) {
  return internal::RenderHtml(DailyDocument(summary, org, options));
}

std::string MonthlySummaryCsv(const MonthlySummary& summary, const Organisation& org,
                              const ExportOptions& options) {
  return internal::RenderCsv(MonthlyDocument(summary, org, options));
}

std::string MonthlySummaryHtml(const MonthlySummary& summary, const Organisation& org,
                               const ExportOptions& options) {
  return internal::RenderHtml(MonthlyDocument(summary, org, options));
}

}  // namespace anding::core::ledger

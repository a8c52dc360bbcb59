// Export of the ledger (台账) as CSV and HTML.
#include "anding/common/strings.h"
#include "anding/core/ledger/export.h"
#include "document.h"

namespace anding::core::ledger {
namespace {

constexpr const char* kLocalMinute = "%Y-%m-%d %H:%M";

std::string PersonCell(const Person& person) {
  if (person.name.empty()) return "";
  std::string cell = person.name;
  if (!person.title.empty()) StrAppend(cell, " (", person.title, ")");
  if (!person.phone.empty()) StrAppend(cell, " ", person.phone);
  return cell;
}

internal::Document LedgerDocument(const Ledger& ledger, const ItemFilter& filter, Time now,
                                  const ExportOptions& options) {
  const bool zh = options.language == Language::kZh;
  const Organisation& org = ledger.org();
  const TimeZone& zone = org.time_zone();
  const std::vector<const LedgerItem*> items = ledger.Items(filter, now);

  internal::Document document;
  document.language = zh ? "zh-CN" : "en";
  document.title = zh ? "不稳定因素台账" : "Ledger of instability factors";
  document.lines.push_back(StrCat(zh ? "导出时间：" : "Exported at: ",
                                  zone.FormatLocal(now, kLocalMinute), " (", zone.name(), ")"));
  if (!filter.unit_id.empty()) {
    document.lines.push_back(StrCat(zh ? "单位：" : "Unit: ", UnitLabel(org, filter.unit_id)));
  }
  if (!filter.category_id.empty()) {
    document.lines.push_back(StrCat(zh ? "类别：" : "Category: ",
                                    CategoryLabel(org, filter.category_id, options.language)));
  }
  if (filter.open_only) document.lines.push_back(zh ? "范围：未销号" : "Scope: not closed out");
  if (filter.overdue_only) document.lines.push_back(zh ? "范围：逾期" : "Scope: overdue");
  document.lines.push_back(zh ? StrCat("共 ", items.size(), " 条")
                              : StrCat(items.size(), items.size() == 1 ? " item" : " items"));

  internal::Table table;
  table.headers =
      zh ? std::vector<std::string>{"编号",     "单位",     "类别",     "问题描述", "涉及人数",
                                    "风险等级", "包案领导", "责任人",   "牵头部门", "化解措施",
                                    "办结时限", "状态",     "是否逾期", "登记时间", "最近进展",
                                    "化解结果", "销号确认"}
         : std::vector<std::string>{"ID",
                                    "Unit",
                                    "Category",
                                    "Description",
                                    "Persons",
                                    "Risk level",
                                    "Responsible leader",
                                    "Responsible person",
                                    "Lead department",
                                    "Measures",
                                    "Deadline",
                                    "State",
                                    "Overdue",
                                    "Registered",
                                    "Latest progress",
                                    "Resolution",
                                    "Close-out confirmed by"};
  table.numeric.assign(table.headers.size(), false);
  table.numeric[4] = true;
  for (const LedgerItem* item : items) {
    const OverdueReasons overdue = ledger.Overdue(*item, now);
    std::string overdue_text;
    if (overdue.deadline_passed) overdue_text = zh ? "超时限" : "past deadline";
    if (overdue.update_missing) {
      if (!overdue_text.empty()) overdue_text += zh ? "、" : "; ";
      overdue_text += zh ? "未更新" : "no update";
    }
    if (overdue_text.empty()) overdue_text = zh ? "否" : "no";
    std::string progress;
    if (!item->updates.empty()) {
      const ProgressUpdate& last = item->updates.back();
      progress = StrCat(zone.FormatLocal(last.at, kLocalMinute), " ", last.text);
    }
    std::string confirmed;
    if (item->confirmed_at) {
      confirmed = StrCat(item->confirmed_by_leader, " ",
                         zone.FormatLocal(*item->confirmed_at, kLocalMinute));
    }
    table.rows.push_back(
        {item->id, UnitLabel(org, item->unit_id),
         CategoryLabel(org, item->category_id, options.language), item->description,
         StrCat(item->persons), std::string(LevelLabel(item->level, options.language)),
         PersonCell(item->responsible_leader), PersonCell(item->responsible_person),
         item->lead_department, item->measures, zone.FormatLocal(item->deadline, kLocalMinute),
         std::string(StateLabel(item->state, options.language)), overdue_text,
         zone.FormatLocal(item->registered_at, kLocalMinute), progress, item->resolution,
         confirmed});
  }
  document.tables.push_back(std::move(table));
  return document;
}

}  // namespace

std::string LedgerCsv(const Ledger& ledger, const ItemFilter& filter, Time now,
                      const ExportOptions& options) {
  return internal::RenderCsv(LedgerDocument(ledger, filter, now, options));
}

std::string LedgerHtml(const Ledger& ledger, const ItemFilter& filter, Time now,
                       const ExportOptions& options) {
  return internal::RenderHtml(LedgerDocument(ledger, filter, now, options));
}

}  // namespace anding::core::ledger

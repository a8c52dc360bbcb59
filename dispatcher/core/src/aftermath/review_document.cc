#include "anding/core/aftermath/review_document.h"

#include <utility>
#include <vector>

#include "anding/common/html.h"
#include "anding/common/strings.h"
#include "anding/core/funds/records.h"

namespace anding::core::aftermath {
namespace {

std::string Yuan(int64_t fen) { return StrCat("¥", funds::FormatFen(fen)); }

// The document as sections of (label, value) rows, rendered either way.
struct Section {
  std::string heading;
  std::vector<std::pair<std::string, std::string>> rows;
};

std::string Or(const std::string& text) { return text.empty() ? "（未填）" : text; }

std::vector<Section> Sections(const Aftermath& aftermath, const Review& review,
                              const std::optional<FundCost>& cost) {
  const TimeZone& zone = aftermath.config().zone;
  std::vector<Section> sections;
  std::string leader = review.responsible_leader.name;
  if (!review.responsible_leader.title.empty())
    StrAppend(leader, "（", review.responsible_leader.title, "）");
  sections.push_back(
      {"事件概况",
       {{"事件", StrCat(review.incident_id, " ", review.summary)},
        {"责任单位", review.unit_id},
        {"问题类别", review.category_id.empty() ? "（无）" : review.category_id},
        {"劝离时间", zone.FormatLocal(review.opened_at, "%Y-%m-%d %H:%M")},
        {"善后台账", review.ledger_item_id.empty() ? "（未挂号）" : review.ledger_item_id},
        {"包案领导", leader.empty() ? "（未配置）" : leader}}});
  sections.push_back({"调查处理",
                      {{"调查情况", Or(review.investigation)},
                       {"解决方案", Or(review.solution)},
                       {"商定部门", Or(review.department)}}});
  sections.push_back(
      {"结果告知",
       {{"告知时间", review.representatives_told_at
                         ? zone.FormatLocal(*review.representatives_told_at, "%Y-%m-%d %H:%M")
                         : "（未填）"},
        {"告知人", Or(review.representatives_told_by)}}});
  Section watch{
      "反弹观察",
      {{"观察期", StrCat(review.watch_days, " 天，至 ", FormatDay(aftermath.WatchUntil(review)))}}};
  if (review.rebounds.empty()) {
    watch.rows.push_back({"反弹", "无"});
  } else {
    for (const Rebound& r : review.rebounds) {
      watch.rows.push_back(
          {r.kind == "incident" ? "反弹事件" : "反弹预警",
           StrCat(r.id, " ", zone.FormatLocal(r.at, "%Y-%m-%d %H:%M"), " ", r.summary)});
    }
  }
  sections.push_back(std::move(watch));
  const std::string cause_name = aftermath.RootCauseName(review.root_cause);
  sections.push_back(
      {"原因分析",
       {{"根本原因", review.root_cause.empty() ? "（未填）"
                                               : StrCat(cause_name, "（", review.root_cause, "）")},
        {"原因说明", Or(review.root_cause_text)},
        {"背景", Or(review.background)}}});
  Section losses{"损失评估", {}};
  if (cost) {
    losses.rows.push_back({"预估费用（备用金）", Yuan(cost->estimated_fen)});
    losses.rows.push_back({"实际费用（备用金）", Yuan(cost->actual_fen)});
    losses.rows.push_back({"差额", Yuan(cost->actual_fen - cost->estimated_fen)});
  } else {
    losses.rows.push_back({"备用金", "（无资金账簿）"});
  }
  losses.rows.push_back(
      {"其他损失", StrCat(Yuan(review.other_losses_fen), " ", review.other_losses_text)});
  losses.rows.push_back(
      {"损失合计", Yuan((cost ? cost->actual_fen : 0) + review.other_losses_fen)});
  sections.push_back(std::move(losses));
  sections.push_back({"责任与教训",
                      {{"责任认定", Or(review.responsibility)},
                       {"经验教训", Or(review.lessons)},
                       {"整改措施", Or(review.improvements)}}});
  const std::vector<std::string> missing = aftermath.Missing(review);
  std::string state = "完整，可以结案";
  if (!missing.empty()) {
    state = "尚缺：";
    for (size_t i = 0; i < missing.size(); ++i) StrAppend(state, i == 0 ? "" : "、", missing[i]);
  }
  sections.push_back({"复盘状态", {{"状态", state}}});
  return sections;
}

}  // namespace

std::optional<DocumentFormat> ParseDocumentFormat(std::string_view name) {
  if (name == "text") return DocumentFormat::kText;
  if (name == "html") return DocumentFormat::kHtml;
  return std::nullopt;
}

std::string RenderReview(const Aftermath& aftermath, const Review& review,
                         const std::optional<FundCost>& cost, DocumentFormat format) {
  const std::vector<Section> sections = Sections(aftermath, review, cost);
  const std::string title = StrCat("突发事件善后复盘报告 ", review.incident_id);
  std::string doc;
  if (format == DocumentFormat::kText) {
    StrAppend(doc, title, "\n");
    for (const Section& section : sections) {
      StrAppend(doc, "\n【", section.heading, "】\n");
      for (const auto& [label, value] : section.rows) {
        StrAppend(doc, "  ", PadRight(label, 20), value, "\n");
      }
    }
    return doc;
  }
  StrAppend(doc, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>",
            HtmlEscape(title),
            "</title><style>body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em}"
            "table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:4px 8px;"
            "text-align:left;vertical-align:top}th{width:12em;background:#f2f2f2}"
            "</style></head><body>\n<h1>",
            HtmlEscape(title), "</h1>\n");
  for (const Section& section : sections) {
    StrAppend(doc, "<h2>", HtmlEscape(section.heading), "</h2>\n<table>\n");
    for (const auto& [label, value] : section.rows) {
      StrAppend(doc, "<tr><th>", HtmlEscape(label), "</th><td>", HtmlEscape(value), "</td></tr>\n");
    }
    StrAppend(doc, "</table>\n");
  }
  StrAppend(doc, "</body></html>\n");
  return doc;
}

}  // namespace anding::core::aftermath

// Reserve-fund use per incident category.
#include "anding/core/funds/category_use.h"

#include <map>
#include <unordered_map>
#include <utility>

#include "anding/common/strings.h"

namespace anding::core::funds {
namespace {

struct IncidentFigures {
  bool has_costs = false;
  int64_t estimated_fen = 0;
  int64_t held_fen = 0;
  int64_t actual_fen = 0;
};

void Add(CategoryUseRow& row, const IncidentFigures& figures) {
  ++row.incidents;
  if (figures.has_costs) ++row.incidents_with_costs;
  row.estimated_fen += figures.estimated_fen;
  row.held_fen += figures.held_fen;
  row.actual_fen += figures.actual_fen;
}

std::vector<std::string> Cells(const CategoryUseRow& row, std::string label,
                               visits::Language language) {
  return {std::move(label),
          StrCat(row.incidents),
          StrCat(row.incidents_with_costs),
          FormatFen(row.estimated_fen),
          FormatFen(row.held_fen),
          FormatFen(row.actual_fen),
          visits::PercentCell(row.share_hundredths, language)};
}

}  // namespace

CategoryUse ComputeCategoryUse(const FundsState& state,
                               const std::vector<CategorisedIncident>& incidents,
                               const std::vector<std::string>& categories,
                               visits::Rounding rounding) {
  std::unordered_map<std::string, IncidentFigures> figures;
  for (const CategorisedIncident& incident : incidents) figures[incident.incident_id];
  auto of = [&](const std::string& incident_id) -> IncidentFigures* {
    if (incident_id.empty()) return nullptr;
    auto it = figures.find(incident_id);
    return it == figures.end() ? nullptr : &it->second;
  };
  auto account = [&](const std::string& id) -> const Account* {
    auto it = state.accounts.find(id);
    return it == state.accounts.end() ? nullptr : &it->second;
  };
  for (const Estimate& estimate : state.estimates) {
    if (IncidentFigures* f = of(estimate.incident_id)) {
      f->has_costs = true;
      f->estimated_fen += estimate.estimated_fen;
    }
  }
  for (const Hold& hold : state.holds) {
    if (IncidentFigures* f = of(hold.incident_id)) {
      f->has_costs = true;
      f->held_fen += hold.amount_fen;
    }
  }
  for (const Transfer& transfer : state.transfers) {
    IncidentFigures* f = of(transfer.incident_id);
    if (f == nullptr) continue;
    const Account* debit = account(transfer.debit_account_id);
    const Account* credit = account(transfer.credit_account_id);
    if (debit == nullptr || credit == nullptr) continue;
    // Spending moves money into an expense account; a reversal moves it
    // back out (as IncidentCostReport counts).
    const bool into = credit->kind == AccountKind::kExpense && debit->kind != AccountKind::kExpense;
    const bool out = debit->kind == AccountKind::kExpense && credit->kind != AccountKind::kExpense;
    if (!into && !out) continue;
    f->has_costs = true;
    f->actual_fen += into ? transfer.amount_fen : -transfer.amount_fen;
  }

  std::map<std::string, CategoryUseRow, std::less<>> by_category;
  for (const std::string& category : categories) by_category[category].category_id = category;
  CategoryUse use;
  use.rounding = rounding;
  for (const CategorisedIncident& incident : incidents) {
    const IncidentFigures& f = figures.at(incident.incident_id);
    CategoryUseRow& row = by_category[incident.category_id];
    row.category_id = incident.category_id;
    Add(row, f);
    Add(use.total, f);
  }
  for (const std::string& category : categories) {
    auto it = by_category.find(category);
    if (it == by_category.end()) continue;  // listed twice
    use.rows.push_back(std::move(it->second));
    by_category.erase(it);
  }
  std::optional<CategoryUseRow> uncategorised;
  for (auto& [category, row] : by_category) {
    if (category.empty()) {
      uncategorised = std::move(row);
    } else {
      use.rows.push_back(std::move(row));
    }
  }
  if (uncategorised) use.rows.push_back(std::move(*uncategorised));
  for (CategoryUseRow& row : use.rows) {
    row.share_hundredths =
        visits::PercentHundredths(row.actual_fen, use.total.actual_fen, rounding);
  }
  use.total.share_hundredths =
      visits::PercentHundredths(use.total.actual_fen, use.total.actual_fen, rounding);
  return use;
}

visits::StatsTable CategoryUseTable(const CategoryUse& use, std::string_view range,
                                    visits::Language language, const CategoryName& name) {
  using visits::Language;
  using visits::Say;
  const std::string rounding = visits::RoundingNote(use.rounding, language);
  visits::StatsTable table;
  table.language = language;
  if (language == Language::kZh) {
    table.title = StrCat("备用金使用统计 ", range);
    table.heading = StrCat("备用金使用统计（按事件类别） ", range);
    table.text_heading = StrCat(
        table.heading, "（金额单位：元；实际 = 转入支出科目的金额，扣除冲回；", rounding, "）");
  } else {
    table.title = StrCat("Reserve-fund use ", range);
    table.heading = StrCat("Reserve-fund use by incident category ", range);
    table.text_heading = StrCat("reserve-fund use by incident category, incidents reported ", range,
                                " (yuan; actual = spent, net of reversals; ", rounding, ")");
  }
  table.rows.push_back({std::string(Say(language, "类别", "category")),
                        std::string(Say(language, "事件数", "incidents")),
                        std::string(Say(language, "有费用", "with costs")),
                        std::string(Say(language, "预估（元）", "estimated (yuan)")),
                        std::string(Say(language, "预留（元）", "held (yuan)")),
                        std::string(Say(language, "实际（元）", "actual (yuan)")),
                        std::string(Say(language, "占比", "share"))});
  for (const CategoryUseRow& row : use.rows) {
    std::string label = row.category_id.empty()
                            ? std::string(Say(language, "未分类", "uncategorised"))
                            : row.category_id;
    if (name && !row.category_id.empty()) {
      if (const std::string display = name(row.category_id); !display.empty()) {
        label = StrCat(display, " (", row.category_id, ")");
      }
    }
    table.rows.push_back(Cells(row, std::move(label), language));
  }
  table.rows.push_back(Cells(use.total, std::string(Say(language, "合计", "total")), language));
  if (language == Language::kZh) {
    table.notes = {"金额单位：元", "实际：转入支出科目的金额，扣除冲回", rounding};
  } else {
    table.notes = {"amounts in yuan", "actual: transfers into expense accounts, net of reversals",
                   rounding};
  }
  return table;
}

std::string RenderCategoryUse(const CategoryUse& use, std::string_view range,
                              visits::ReportFormat format, visits::Language language,
                              const CategoryName& name) {
  return visits::RenderStatsTable(CategoryUseTable(use, range, language, name), format);
}

}  // namespace anding::core::funds

// Reserve-fund use per incident category (备用金使用统计): for a set of
// incidents (normally those reported in a range of local days, from the
// dispatch records), per incident category the estimated cost of their
// dispatches, the holds placed and what was actually spent, in integer fen,
// with each category's share of the spending in exact hundredths of a
// percent (visits/percent.h, rounded as configured).
//
// The figures per incident are those of IncidentCostReport: estimated =
// its dispatch estimates; held = the holds placed for it; actual = every
// transfer tagged with it into an expense account, net of those out of
// one (reversals). An incident "has costs" when it has any estimate, hold
// or such transfer.
//
// Thread-safety: pure functions of a Funds the caller does not modify
// meanwhile.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/core/funds/funds.h"
#include "anding/core/visits/percent.h"
#include "anding/core/visits/stats_table.h"

namespace anding::core::funds {

// An incident and its category ("" = none).
struct CategorisedIncident {
  std::string incident_id;
  std::string category_id;
};

struct CategoryUseRow {
  std::string category_id;  // "" for uncategorised incidents and in the total
  int64_t incidents = 0;
  int64_t incidents_with_costs = 0;
  int64_t estimated_fen = 0;
  int64_t held_fen = 0;
  int64_t actual_fen = 0;
  std::optional<int64_t> share_hundredths;  // of the total actual; nullopt: no base
  friend bool operator==(const CategoryUseRow&, const CategoryUseRow&) = default;
};

struct CategoryUse {
  // A row for every category of `categories`, in that order (zero rows
  // included: a category nothing was spent on is a figure too), then
  // incidents of categories not listed in byte order, then the
  // uncategorised ones if any.
  std::vector<CategoryUseRow> rows;
  CategoryUseRow total;
  visits::Rounding rounding = visits::Rounding::kTruncate;
};

// One pass over the state, whatever the number of incidents. `state` holds
// every account and at least the estimates, holds and transfers of the
// incidents (the whole book, or store::LoadIncidentFunds).
[[nodiscard]] CategoryUse ComputeCategoryUse(const FundsState& state,
                                             const std::vector<CategorisedIncident>& incidents,
                                             const std::vector<std::string>& categories,
                                             visits::Rounding rounding);

// The display name of a category id ("" = uncategorised is named by the
// renderer), or empty.
using CategoryName = std::function<std::string(std::string_view category_id)>;

// The table as a document: amounts in yuan with two decimals (FormatFen).
// `range` names the incidents' report days ("2026-01-01..2026-12-31").
[[nodiscard]] visits::StatsTable CategoryUseTable(const CategoryUse& use, std::string_view range,
                                                  visits::Language language,
                                                  const CategoryName& name);
[[nodiscard]] std::string RenderCategoryUse(const CategoryUse& use, std::string_view range,
                                            visits::ReportFormat format, visits::Language language,
                                            const CategoryName& name);

}  // namespace anding::core::funds

// Reserve-fund use per incident category on a small book whose figures are
// worked out by hand: retirees 400.00 yuan of 600.00 spent (2/3: 66.66 %
// truncated, 66.67 % half-up), "other" 200.00 after a reversal, an
// uncategorised incident with a hold and nothing spent, a category whose
// incident cost nothing, categories without incidents, and an incident
// outside the set that must not count.
#include "anding/core/funds/category_use.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "funds_fixtures.h"

namespace anding::core::funds {
namespace {

using testing::At;
using ::testing::HasSubstr;
using testing::MakeFunds;
using visits::Rounding;

const Actor kHq = Actor::Operator("zhang");

class CategoryUseTest : public ::testing::Test {
 protected:
  Time now_ = At("2026-05-18T07:30:00+08:00");
  Funds funds_ = MakeFunds(now_);

  // Two people of 一矿 in the home city for a day: 2 x 100.00 = 200.00.
  void Dispatch(const std::string& incident) {
    DispatchConfirmed d;
    d.incident_id = incident;
    d.unit_id = "mine-1";
    d.destination_region = "hebi";
    d.destination_kind = RegionKind::kHomeCity;
    d.people = 2;
    Effects out;
    funds_.OnDispatchConfirmed(d, now_, out);
  }

  void Expense(const std::string& id, const std::string& incident, int64_t fen) {
    Effects out;
    auto paid = funds_.RecordExpense({id, incident, "mine-1", fen, "transport", "车费", ""}, kHq,
                                     now_, out);
    ASSERT_TRUE(paid.ok()) << paid.status();
  }

  void SetUp() override {
    // inc-1 (retirees): estimated, held and spent 200.00 against the hold.
    Dispatch("inc-1");
    Expense("exp-1", "inc-1", 20'000);
    // inc-2 (retirees): 200.00 spent straight from the reserve.
    Expense("exp-2", "inc-2", 20'000);
    // inc-3 (other): 300.00 spent, 100.00 of it reversed.
    Expense("exp-3", "inc-3", 30'000);
    Effects out;
    ASSERT_TRUE(funds_.Reverse({"rev-3", "exp-3/direct", 10'000, "多报"}, kHq, now_, out).ok());
    // inc-4 (no category): held 200.00, nothing spent.
    Dispatch("inc-4");
    // inc-9 is not in the set: 1,000.00 that must not count.
    Expense("exp-9", "inc-9", 100'000);
  }

  std::vector<CategorisedIncident> Incidents() const {
    return {{"inc-1", "retiree-management"},
            {"inc-2", "retiree-management"},
            {"inc-3", "other"},
            {"inc-4", ""},
            {"inc-5", "work-injury-aid"}};  // nothing in the book
  }

  std::vector<std::string> Categories() const {
    return {"labour-contract-compensation", "work-injury-aid", "retiree-management", "other"};
  }

  static const CategoryUseRow& Row(const CategoryUse& use, std::string_view category) {
    for (const auto& row : use.rows) {
      if (row.category_id == category) return row;
    }
    ADD_FAILURE() << "no row " << category;
    static const CategoryUseRow none;
    return none;
  }
};

TEST_F(CategoryUseTest, EveryFigureByHand) {
  const CategoryUse use =
      ComputeCategoryUse(funds_.state(), Incidents(), Categories(), Rounding::kTruncate);
  // The configured categories in their order, then the uncategorised.
  ASSERT_EQ(use.rows.size(), 5u);
  EXPECT_EQ(use.rows[0].category_id, "labour-contract-compensation");
  EXPECT_EQ(use.rows[1].category_id, "work-injury-aid");
  EXPECT_EQ(use.rows[2].category_id, "retiree-management");
  EXPECT_EQ(use.rows[3].category_id, "other");
  EXPECT_EQ(use.rows[4].category_id, "");

  // A category with no incidents: zeros, 0.00 % of what was spent.
  const CategoryUseRow& labour = Row(use, "labour-contract-compensation");
  EXPECT_EQ(labour.incidents, 0);
  EXPECT_EQ(labour.actual_fen, 0);
  EXPECT_EQ(labour.share_hundredths, 0);

  // An incident that cost nothing: counted, but not as one with costs.
  const CategoryUseRow& injury = Row(use, "work-injury-aid");
  EXPECT_EQ(injury.incidents, 1);
  EXPECT_EQ(injury.incidents_with_costs, 0);

  const CategoryUseRow& retirees = Row(use, "retiree-management");
  EXPECT_EQ(retirees.incidents, 2);
  EXPECT_EQ(retirees.incidents_with_costs, 2);
  EXPECT_EQ(retirees.estimated_fen, 20'000);
  EXPECT_EQ(retirees.held_fen, 20'000);
  EXPECT_EQ(retirees.actual_fen, 40'000);
  EXPECT_EQ(retirees.share_hundredths, 6666);  // 400 / 600 truncated

  const CategoryUseRow& other = Row(use, "other");
  EXPECT_EQ(other.incidents, 1);
  EXPECT_EQ(other.estimated_fen, 0);
  EXPECT_EQ(other.actual_fen, 20'000);  // 300.00 less the 100.00 reversed
  EXPECT_EQ(other.share_hundredths, 3333);

  const CategoryUseRow& none = Row(use, "");
  EXPECT_EQ(none.incidents, 1);
  EXPECT_EQ(none.incidents_with_costs, 1);
  EXPECT_EQ(none.estimated_fen, 20'000);
  EXPECT_EQ(none.held_fen, 20'000);
  EXPECT_EQ(none.actual_fen, 0);
  EXPECT_EQ(none.share_hundredths, 0);

  EXPECT_EQ(use.total.incidents, 5);
  EXPECT_EQ(use.total.incidents_with_costs, 4);
  EXPECT_EQ(use.total.estimated_fen, 40'000);
  EXPECT_EQ(use.total.held_fen, 40'000);
  EXPECT_EQ(use.total.actual_fen, 60'000);
  EXPECT_EQ(use.total.share_hundredths, 10'000);
}

TEST_F(CategoryUseTest, HalfUpRoundsTwoThirdsUp) {
  const CategoryUse use =
      ComputeCategoryUse(funds_.state(), Incidents(), Categories(), Rounding::kHalfUp);
  EXPECT_EQ(Row(use, "retiree-management").share_hundredths, 6667);
  EXPECT_EQ(Row(use, "other").share_hundredths, 3333);
}

TEST_F(CategoryUseTest, NothingSpentHasNoBase) {
  const CategoryUse use =
      ComputeCategoryUse(funds_.state(), {{"inc-4", ""}}, Categories(), Rounding::kTruncate);
  EXPECT_EQ(use.total.actual_fen, 0);
  EXPECT_EQ(use.total.share_hundredths, std::nullopt);
  EXPECT_EQ(Row(use, "").share_hundredths, std::nullopt);
  // No incidents at all: the configured categories, all zero.
  const CategoryUse empty =
      ComputeCategoryUse(funds_.state(), {}, Categories(), Rounding::kTruncate);
  EXPECT_EQ(empty.rows.size(), 4u);
  EXPECT_EQ(empty.total.incidents, 0);
}

TEST_F(CategoryUseTest, DocumentsShowYuanWithTwoDecimals) {
  const CategoryUse use =
      ComputeCategoryUse(funds_.state(), Incidents(), Categories(), Rounding::kTruncate);
  auto name = [](std::string_view id) {
    return std::string(id == "retiree-management" ? "退休人员社会化管理" : "");
  };
  const std::string csv = RenderCategoryUse(
      use, "2026-05-01..2026-05-31", visits::ReportFormat::kCsv, visits::Language::kZh, name);
  EXPECT_THAT(
      csv,
      HasSubstr("退休人员社会化管理 (retiree-management),2,2,200.00,200.00,400.00,66.66%\r\n"));
  EXPECT_THAT(csv, HasSubstr("other,1,1,0.00,0.00,200.00,33.33%\r\n"));
  EXPECT_THAT(csv, HasSubstr("未分类,1,1,200.00,200.00,0.00,0.00%\r\n"));
  EXPECT_THAT(csv, HasSubstr("合计,5,4,400.00,400.00,600.00,100.00%\r\n"));
  const std::string html = RenderCategoryUse(
      use, "2026-05-01..2026-05-31", visits::ReportFormat::kHtml, visits::Language::kEn, name);
  EXPECT_THAT(html, HasSubstr("<td>labour-contract-compensation</td><td>0</td>"));
  EXPECT_THAT(html, HasSubstr("amounts in yuan"));
  EXPECT_THAT(html, HasSubstr("<td>uncategorised</td>"));
  const std::string text = RenderCategoryUse(
      use, "2026-05-01..2026-05-31", visits::ReportFormat::kText, visits::Language::kZh, name);
  EXPECT_THAT(text, HasSubstr("备用金使用统计（按事件类别） 2026-05-01..2026-05-31"));
  EXPECT_THAT(text, HasSubstr("金额单位：元"));
}

}  // namespace
}  // namespace anding::core::funds

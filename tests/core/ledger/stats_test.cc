// 台账 statistics on a small set whose every figure is worked out by hand
// below: items closed on their due day, a day late and the day after they
// were registered (in local days, across midnight), one open and overdue,
// one reopened, one outside the range, a rebound from the aftermath.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "anding/core/ledger/ledger_stats.h"
#include "fixture.h"

namespace anding::core::ledger::testing {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using ::testing::HasSubstr;
using visits::Rounding;

class LedgerStatsTest : public LedgerFixture {
 protected:
  const TimeZone& zone = org.time_zone();
  const Actor hq = Actor::Operator("zhang");
  // Monday 20 April 2026, 10:00 in Shanghai.
  const Time now = At("2026-04-20T02:00:00Z");

  // A deadline given as a day: its last second, as the command line sets it.
  Time DueOn(CivilDay day) const { return zone.StartOf(day + 1) - seconds(1); }

  std::string RegisterAt(Time at, const std::string& unit, const std::string& category,
                         CivilDay due) {
    Effects out;
    RegisterItemRequest request = SampleRegistration(category);
    request.unit_id = unit;
    request.deadline = DueOn(due);
    auto id = ledger->Register(request, hq, at, out);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.ok() ? *id : std::string();
  }

  void Note(const std::string& id, Time at) {
    Effects out;
    UpdateItemRequest request;
    request.item_id = id;
    request.progress = "走访";
    ASSERT_TRUE(ledger->Update(request, hq, at, out).ok());
  }

  // Resolved a minute before, closed out at `at`.
  void Close(const std::string& id, Time at) {
    Effects out;
    UpdateItemRequest resolve;
    resolve.item_id = id;
    resolve.resolution = "补发待遇，职工认可";
    ASSERT_TRUE(ledger->Update(resolve, hq, at - std::chrono::minutes(1), out).ok());
    CloseOutRequest close;
    close.item_id = id;
    close.confirmed_by_leader = "王矿长";
    ASSERT_TRUE(ledger->CloseOut(close, hq, at, out).ok());
  }

  void SetUp() override {
    // Outside the range: the last second of 28 February, local.
    e_ = RegisterAt(At("2026-02-28T15:59:59Z"), "mine-1", "retiree-management",
                    CivilDay(2026, 3, 31));
    // A: registered 2 March 10:00, due 10 March, closed 10 March 15:00 —
    // on its due day: on time, 8 days.
    a_ = RegisterAt(At("2026-03-02T02:00:00Z"), "mine-1", "retiree-management",
                    CivilDay(2026, 3, 10));
    // B: registered 3 March, due 12 March, closed 13 March 09:00 — a day
    // late, 10 days.
    b_ = RegisterAt(At("2026-03-03T02:00:00Z"), "mine-1", "other", CivilDay(2026, 3, 12));
    // C: registered 5 March, due 20 March, never touched: open, overdue,
    // decided (late).
    c_ = RegisterAt(At("2026-03-05T02:00:00Z"), "mine-2", "retiree-management",
                    CivilDay(2026, 3, 20));
    // F: registered 6 March, closed 8 March, reopened 25 March with a new
    // deadline in May, worked on: open, not decided, not overdue.
    f_ = RegisterAt(At("2026-03-06T02:00:00Z"), "mine-2", "other", CivilDay(2026, 3, 31));
    // G: registered 10 March 23:30 local, closed 12 March 00:30 local — 25
    // hours, but two local days; due 15 March: on time.
    g_ = RegisterAt(At("2026-03-10T15:30:00Z"), "mine-1", "retiree-management",
                    CivilDay(2026, 3, 15));
    // D: registered 20 March, due 31 May, worked on: open, not decided.
    d_ = RegisterAt(At("2026-03-20T02:00:00Z"), "mine-2", "other", CivilDay(2026, 5, 31));

    Close(f_, At("2026-03-08T02:00:00Z"));
    Close(a_, At("2026-03-10T07:00:00Z"));
    Close(g_, At("2026-03-11T16:30:00Z"));
    Close(b_, At("2026-03-13T01:00:00Z"));
    Close(e_, At("2026-03-14T01:00:00Z"));
    Effects out;
    ASSERT_TRUE(ledger
                    ->Reopen({f_, "职工再次集中反映", DueOn(CivilDay(2026, 5, 31))}, hq,
                             At("2026-03-25T02:00:00Z"), out)
                    .ok());
    Note(f_, now - hours(1));
    Note(d_, now - hours(1));
  }

  LedgerStatsRequest March(StatsBreakdown by, Rounding rounding = Rounding::kTruncate) const {
    return {CivilDay(2026, 3, 1), CivilDay(2026, 3, 31), by, rounding};
  }

  // A's review found one rebound; E's are outside the range, and an item
  // the ledger does not hold is ignored.
  ReboundCounts Rebounds() const { return {{a_, 1}, {e_, 2}, {"TZ-2026-9999", 5}}; }

  std::string a_, b_, c_, d_, e_, f_, g_;
};

TEST_F(LedgerStatsTest, PerUnitEveryFigureByHand) {
  auto stats = ComputeLedgerStats(*ledger, March(StatsBreakdown::kUnit), Rebounds(), now);
  ASSERT_TRUE(stats.ok()) << stats.status();
  ASSERT_EQ(stats->rows.size(), 2u);

  // 一矿: A (on time, 8 days), B (late, 10 days), G (on time, 2 days).
  const LedgerStatsRow& mine1 = stats->rows[0];
  EXPECT_EQ(mine1.key, "mine-1");
  EXPECT_EQ(mine1.registered, 3);
  EXPECT_EQ(mine1.closed_out, 3);
  EXPECT_EQ(mine1.closed_on_time, 2);
  EXPECT_EQ(mine1.decided, 3);
  EXPECT_EQ(mine1.on_time_hundredths, 6666);  // 2/3 truncated
  EXPECT_EQ(mine1.days_to_close_sum, 20);
  EXPECT_EQ(mine1.average_days_hundredths, 666);  // 20/3 truncated
  EXPECT_EQ(mine1.open, 0);
  EXPECT_EQ(mine1.open_overdue, 0);
  EXPECT_EQ(mine1.reopened, 0);
  EXPECT_EQ(mine1.rebounds, 1);

  // 二矿: C (open, overdue, decided), D and F (open, worked on, not due).
  const LedgerStatsRow& mine2 = stats->rows[1];
  EXPECT_EQ(mine2.key, "mine-2");
  EXPECT_EQ(mine2.registered, 3);
  EXPECT_EQ(mine2.closed_out, 0);
  EXPECT_EQ(mine2.closed_on_time, 0);
  EXPECT_EQ(mine2.decided, 1);
  EXPECT_EQ(mine2.on_time_hundredths, 0);
  EXPECT_EQ(mine2.average_days_hundredths, std::nullopt);  // nothing closed
  EXPECT_EQ(mine2.open, 3);
  EXPECT_EQ(mine2.open_overdue, 1);
  EXPECT_EQ(mine2.reopened, 1);
  EXPECT_EQ(mine2.rebounds, 0);

  const LedgerStatsRow& total = stats->total;
  EXPECT_EQ(total.key, "");
  EXPECT_EQ(total.registered, 6);
  EXPECT_EQ(total.closed_out, 3);
  EXPECT_EQ(total.closed_on_time, 2);
  EXPECT_EQ(total.decided, 4);
  EXPECT_EQ(total.on_time_hundredths, 5000);
  EXPECT_EQ(total.average_days_hundredths, 666);
  EXPECT_EQ(total.open, 3);
  EXPECT_EQ(total.open_overdue, 1);
  EXPECT_EQ(total.reopened, 1);
  EXPECT_EQ(total.rebounds, 1);
}

TEST_F(LedgerStatsTest, HalfUpRoundsTheShareAndTheMeanDays) {
  auto stats =
      ComputeLedgerStats(*ledger, March(StatsBreakdown::kUnit, Rounding::kHalfUp), Rebounds(), now);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->rows[0].on_time_hundredths, 6667);      // 2/3
  EXPECT_EQ(stats->rows[0].average_days_hundredths, 667);  // 20/3
  EXPECT_EQ(stats->total.on_time_hundredths, 5000);
}

TEST_F(LedgerStatsTest, PerCategoryInConfiguredOrder) {
  auto stats = ComputeLedgerStats(*ledger, March(StatsBreakdown::kCategory), Rebounds(), now);
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(stats->rows.size(), 2u);
  // retiree-management: A, G (on time; 8 + 2 days), C (open, overdue).
  const LedgerStatsRow& retirees = stats->rows[0];
  EXPECT_EQ(retirees.key, "retiree-management");
  EXPECT_EQ(retirees.registered, 3);
  EXPECT_EQ(retirees.closed_out, 2);
  EXPECT_EQ(retirees.closed_on_time, 2);
  EXPECT_EQ(retirees.decided, 3);
  EXPECT_EQ(retirees.on_time_hundredths, 6666);
  EXPECT_EQ(retirees.average_days_hundredths, 500);
  EXPECT_EQ(retirees.open_overdue, 1);
  EXPECT_EQ(retirees.rebounds, 1);
  // other: B (late, 10 days), D, F (reopened).
  const LedgerStatsRow& other = stats->rows[1];
  EXPECT_EQ(other.key, "other");
  EXPECT_EQ(other.closed_out, 1);
  EXPECT_EQ(other.closed_on_time, 0);
  EXPECT_EQ(other.decided, 1);
  EXPECT_EQ(other.on_time_hundredths, 0);
  EXPECT_EQ(other.average_days_hundredths, 1000);
  EXPECT_EQ(other.open, 2);
  EXPECT_EQ(other.reopened, 1);
  EXPECT_EQ(stats->total.registered, 6);
}

TEST_F(LedgerStatsTest, NothingDecidedHasNoBaseAndRangesAreLocalDays) {
  // 20 March: D alone, open and not yet due.
  auto one_day = ComputeLedgerStats(
      *ledger, {CivilDay(2026, 3, 20), CivilDay(2026, 3, 20), StatsBreakdown::kUnit}, {}, now);
  ASSERT_TRUE(one_day.ok());
  EXPECT_EQ(one_day->total.registered, 1);
  EXPECT_EQ(one_day->total.decided, 0);
  EXPECT_EQ(one_day->total.on_time_hundredths, std::nullopt);
  EXPECT_EQ(one_day->total.average_days_hundredths, std::nullopt);

  // 28 February ends at its local midnight: E is in it, not in March.
  auto february = ComputeLedgerStats(
      *ledger, {std::nullopt, CivilDay(2026, 2, 28), StatsBreakdown::kUnit}, Rebounds(), now);
  ASSERT_TRUE(february.ok());
  EXPECT_EQ(february->total.registered, 1);
  EXPECT_EQ(february->total.closed_on_time, 1);
  EXPECT_EQ(february->total.rebounds, 2);

  // Open at both ends: everything.
  auto all = ComputeLedgerStats(*ledger, {}, Rebounds(), now);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total.registered, 7);

  auto empty = ComputeLedgerStats(
      *ledger, {CivilDay(2027, 1, 1), CivilDay(2027, 12, 31), StatsBreakdown::kUnit}, {}, now);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->rows.empty());
  EXPECT_EQ(empty->total.registered, 0);
  EXPECT_EQ(empty->total.on_time_hundredths, std::nullopt);
}

TEST_F(LedgerStatsTest, AReversedRangeIsRefused) {
  auto reversed = ComputeLedgerStats(
      *ledger, {CivilDay(2026, 3, 31), CivilDay(2026, 3, 1), StatsBreakdown::kUnit}, {}, now);
  EXPECT_EQ(reversed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(reversed.status().message(), HasSubstr("to_day 2026-03-01 is before from_day"));
}

TEST_F(LedgerStatsTest, DocumentsShowTheSameDigitsAndSayHowDaysCount) {
  auto stats = ComputeLedgerStats(*ledger, March(StatsBreakdown::kUnit), Rebounds(), now);
  ASSERT_TRUE(stats.ok());
  auto name = [](std::string_view key) {
    return std::string(key == "mine-1" ? "一矿" : key == "mine-2" ? "二矿" : "");
  };
  const std::string csv =
      RenderLedgerStats(*stats, visits::ReportFormat::kCsv, visits::Language::kZh, name);
  EXPECT_TRUE(csv.starts_with("\xEF\xBB\xBF"));
  EXPECT_THAT(csv, HasSubstr("一矿 (mine-1),3,3,2,3,66.66%,6.66,0,0,0,1\r\n"));
  EXPECT_THAT(csv, HasSubstr("二矿 (mine-2),3,0,0,1,0.00%,-,3,1,1,0\r\n"));
  EXPECT_THAT(csv, HasSubstr("合计,6,3,2,4,50.00%,6.66,3,1,1,1\r\n"));
  EXPECT_THAT(csv, HasSubstr("单位,登记,销号,按期销号,已定,按期率,平均办结天数"));
  const std::string text =
      RenderLedgerStats(*stats, visits::ReportFormat::kText, visits::Language::kEn, name);
  EXPECT_THAT(text, HasSubstr("2026-03-01..2026-03-31"));
  EXPECT_THAT(text, HasSubstr("local days from registration to close-out"));
  EXPECT_THAT(text, ::testing::ContainsRegex("total +6 +3 +2 +4 +50.00% +6.66"));
  const std::string html =
      RenderLedgerStats(*stats, visits::ReportFormat::kHtml, visits::Language::kEn, name);
  EXPECT_THAT(html, HasSubstr("<td>66.66%</td>"));
  EXPECT_THAT(html, HasSubstr("local calendar days"));
  EXPECT_THAT(html, HasSubstr("rounding: truncate"));
}

}  // namespace
}  // namespace anding::core::ledger::testing

// Statements, reconciliation and period boundaries in Asia/Shanghai.
#include "anding/core/funds/reports.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/funds/funds_fixtures.h"

namespace anding::core::funds {
namespace {

using testing::At;
using testing::MakeFunds;

const Actor kZhang = Actor::Operator("zhang");

class ReportsTest : public ::testing::Test {
 protected:
  void Spend(const char* id, int64_t fen, const char* when) {
    Effects out;
    auto t = funds_.CreateTransfer(
        {id, "reserve/mine-1", "expense/meals", fen, "meals", "餐费", ""}, kZhang, At(when), out);
    ASSERT_TRUE(t.ok()) << t.status();
  }

  const TimeZone zone_ = TimeZone::Shanghai();
  Funds funds_ = MakeFunds(At("2026-02-20T10:00:00+08:00"));
};

TEST(PeriodTest, MonthPeriodCoversTheWholeMonth) {
  auto feb = MonthPeriod(2028, 2);
  ASSERT_TRUE(feb.ok());
  EXPECT_EQ(feb->first, CivilDay(2028, 2, 1));
  EXPECT_EQ(feb->last, CivilDay(2028, 2, 29));
  auto dec = MonthPeriod(2026, 12);
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(dec->last, CivilDay(2026, 12, 31));
  EXPECT_FALSE(MonthPeriod(2026, 13).ok());
  EXPECT_FALSE(MonthPeriod(2026, 0).ok());
}

TEST_F(ReportsTest, StatementFollowsShanghaiDaysNotUtcDays) {
  Spend("feb-late", 10'000, "2026-02-28T23:30:00+08:00");
  Spend("mar-first", 20'000, "2026-03-01T00:10:00+08:00");  // 2026-02-28 in UTC
  Spend("mar-last", 30'000, "2026-03-31T23:59:59+08:00");
  Spend("apr-first", 40'000, "2026-04-01T00:00:00+08:00");  // 2026-03-31 in UTC

  auto march = MonthPeriod(2026, 3);
  ASSERT_TRUE(march.ok());
  auto s = AccountStatement(funds_.state(), "reserve/mine-1", *march, zone_);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->from, At("2026-02-28T16:00:00Z"));
  EXPECT_EQ(s->to, At("2026-03-31T16:00:00Z"));
  EXPECT_EQ(s->opening_fen, 3'000'000 - 10'000);
  EXPECT_EQ(s->debits_fen, 50'000);
  EXPECT_EQ(s->credits_fen, 0);
  EXPECT_EQ(s->closing_fen, 3'000'000 - 60'000);
  ASSERT_EQ(s->lines.size(), 2u);
  EXPECT_EQ(s->lines[0].transfer_id, "mar-first");
  EXPECT_EQ(s->lines[0].amount_fen, -20'000);
  EXPECT_EQ(s->lines[0].counterparty_account_id, "expense/meals");
  EXPECT_EQ(s->lines[0].balance_after_fen, 3'000'000 - 30'000);
  EXPECT_EQ(s->lines[1].transfer_id, "mar-last");
  EXPECT_EQ(s->lines[1].balance_after_fen, s->closing_fen);

  // The expense account sees the same movements as credits.
  auto meals = AccountStatement(funds_.state(), "expense/meals", *march, zone_);
  ASSERT_TRUE(meals.ok());
  EXPECT_EQ(meals->opening_fen, 10'000);
  EXPECT_EQ(meals->credits_fen, 50'000);
  EXPECT_EQ(meals->closing_fen, 60'000);

  // One day: 2026-03-01 local.
  auto day = AccountStatement(funds_.state(), "reserve/mine-1",
                              Period{CivilDay(2026, 3, 1), CivilDay(2026, 3, 1)}, zone_);
  ASSERT_TRUE(day.ok());
  ASSERT_EQ(day->lines.size(), 1u);
  EXPECT_EQ(day->lines[0].transfer_id, "mar-first");

  EXPECT_EQ(AccountStatement(funds_.state(), "reserve/mine-9", *march, zone_).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(AccountStatement(funds_.state(), "reserve/mine-1",
                             Period{CivilDay(2026, 3, 2), CivilDay(2026, 3, 1)}, zone_)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

TEST_F(ReportsTest, MonthlyReconciliationBalancesAndListsHolds) {
  Spend("feb-late", 10'000, "2026-02-28T23:30:00+08:00");
  Spend("mar-first", 20'000, "2026-03-01T00:10:00+08:00");
  Effects out;
  ASSERT_TRUE(funds_
                  .TopUp({"tu-1", "mine-2", 700'000, "补充", ""}, kZhang,
                         At("2026-03-15T12:00:00+08:00"), out)
                  .ok());
  // One hold expires (by Tick) in March; another is past its timeout at
  // `now` but Tick has not run.
  ASSERT_TRUE(
      funds_
          .PlaceHold({"h-exp", "reserve/mine-1", 50'000, "x", "r", "inc-1", std::chrono::hours(24)},
                     kZhang, At("2026-03-10T09:00:00+08:00"), out)
          .ok());
  funds_.Tick(At("2026-03-12T00:00:00+08:00"), out);
  ASSERT_TRUE(
      funds_
          .PlaceHold({"h-stuck", "reserve/mine-2", 60'000, "x", "r", "", std::chrono::hours(1)},
                     kZhang, At("2026-03-31T20:00:00+08:00"), out)
          .ok());
  ASSERT_TRUE(
      funds_
          .Reverse({"rv-1", "tu-1", 100'000, "多拨"}, kZhang, At("2026-04-01T08:00:00+08:00"), out)
          .ok());

  auto march = MonthPeriod(2026, 3);
  ASSERT_TRUE(march.ok());
  auto r = Reconcile(funds_.state(), *march, zone_, At("2026-04-02T09:00:00+08:00"),
                     funds_.VerifyBalances().ok());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->balanced);
  EXPECT_TRUE(r->running_balances_match);
  EXPECT_EQ(r->opening_sum_fen, 0);
  EXPECT_EQ(r->closing_sum_fen, 0);
  EXPECT_EQ(r->total_debits_fen, 20'000 + 700'000);
  EXPECT_EQ(r->total_credits_fen, r->total_debits_fen);
  const AccountReconciliation* pool = nullptr;
  for (const auto& row : r->accounts) {
    if (row.account_id == "pool") pool = &row;
  }
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(pool->opening_fen, 100'000'000);
  EXPECT_EQ(pool->debits_fen, 700'000);
  EXPECT_EQ(pool->closing_fen, 100'000'000 - 700'000);  // April's reversal not counted
  ASSERT_EQ(r->overdue_holds.size(), 1u);
  EXPECT_EQ(r->overdue_holds[0].id, "h-stuck");
  ASSERT_EQ(r->expired_holds.size(), 1u);
  EXPECT_EQ(r->expired_holds[0].id, "h-exp");

  // April sees the reversal, and no expiry.
  auto april = Reconcile(funds_.state(), *MonthPeriod(2026, 4), zone_,
                         At("2026-04-02T09:00:00+08:00"), funds_.VerifyBalances().ok());
  ASSERT_TRUE(april.ok());
  EXPECT_TRUE(april->balanced);
  EXPECT_EQ(april->total_debits_fen, 100'000);
  EXPECT_TRUE(april->expired_holds.empty());
}

TEST_F(ReportsTest, OpeningBalancesFallInTheMonthTheyWereMade) {
  auto r = Reconcile(funds_.state(), *MonthPeriod(2026, 2), zone_, At("2026-03-01T00:00:00+08:00"),
                     funds_.VerifyBalances().ok());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->balanced);
  EXPECT_EQ(r->total_debits_fen, 103'000'000);  // the two opening balances
  for (const auto& row : r->accounts) EXPECT_EQ(row.opening_fen, 0) << row.account_id;
  auto january = Reconcile(funds_.state(), *MonthPeriod(2026, 1), zone_,
                           At("2026-03-01T00:00:00+08:00"), funds_.VerifyBalances().ok());
  ASSERT_TRUE(january.ok());
  EXPECT_EQ(january->total_debits_fen, 0);
}

}  // namespace
}  // namespace anding::core::funds

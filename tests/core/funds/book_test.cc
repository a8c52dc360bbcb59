// The double-entry book: transfers, idempotency, limits, holds, reversals,
// quotas, low-balance alerts and configuration on start.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "anding/core/funds/funds.h"
#include "core/funds/funds_fixtures.h"

namespace anding::core::funds {
namespace {

using testing::At;
using testing::Available;
using testing::Balance;
using testing::CountAlerts;
using testing::ExpectRefused;
using testing::FindAlert;
using ::testing::HasSubstr;
using testing::MakeConfig;
using testing::MakeFunds;

const Actor kZhang = Actor::Operator("zhang");

class BookTest : public ::testing::Test {
 protected:
  Time now_ = At("2026-03-10T09:00:00+08:00");
  Funds funds_ = MakeFunds(now_);
};

TEST_F(BookTest, ApplyConfigOpensAccountsAndOpeningBalances) {
  EXPECT_EQ(Balance(funds_, "pool"), 100'000'000);
  EXPECT_EQ(Balance(funds_, "reserve/mine-1"), 3'000'000);
  EXPECT_EQ(Balance(funds_, "reserve/mine-2"), 0);
  EXPECT_EQ(Balance(funds_, "external"), -103'000'000);
  EXPECT_EQ(funds_.FindAccount("reserve/mine-1")->quota_fen, 5'000'000);
  EXPECT_EQ(funds_.FindAccount("reserve/zz-office")->quota_fen, std::nullopt);
  ASSERT_NE(funds_.FindAccount("expense/transport"), nullptr);
  EXPECT_EQ(funds_.FindAccount("expense/transport")->kind, AccountKind::kExpense);
  EXPECT_TRUE(funds_.VerifyBalances().ok());

  // Applying the same configuration again (every start) changes nothing.
  const FundsState before = funds_.state();
  Effects out;
  ASSERT_TRUE(funds_.ApplyConfig(now_ + std::chrono::hours(1), out).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(funds_.state(), before);
}

TEST_F(BookTest, ApplyConfigRaisesLowBalanceForEmptyReserveOnce) {
  auto funds = Funds::Restore(MakeConfig(), FundsState{});
  ASSERT_TRUE(funds.ok());
  Effects out;
  ASSERT_TRUE(funds->ApplyConfig(now_, out).ok());
  // mine-2 starts empty below its 5,000.00 threshold; mine-1 opens at
  // 30,000.00 above its 10,000.00 threshold.
  ASSERT_EQ(CountAlerts(out, "low_balance"), 1u);
  EXPECT_EQ(FindAlert(out, "low_balance")->reference_id, "reserve/mine-2");
  Effects again;
  ASSERT_TRUE(funds->ApplyConfig(now_, again).ok());
  EXPECT_EQ(CountAlerts(again, "low_balance"), 0u);
}

TEST_F(BookTest, TransferMovesMoneyAndListsChanges) {
  Effects out;
  auto t = funds_.TopUp({"tu-1", "mine-2", 800'000, "补充备用金", ""}, kZhang, now_, out);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->debit_account_id, "pool");
  EXPECT_EQ(t->credit_account_id, "reserve/mine-2");
  EXPECT_EQ(t->code, "top_up");
  EXPECT_EQ(t->actor, kZhang);
  EXPECT_EQ(Balance(funds_, "pool"), 100'000'000 - 800'000);
  EXPECT_EQ(Balance(funds_, "reserve/mine-2"), 800'000);
  EXPECT_THAT(out.changed, ::testing::Contains(RecordRef{"funds_transfer", "tu-1"}));
  EXPECT_THAT(out.changed, ::testing::Contains(RecordRef{"funds_account", "reserve/mine-2"}));
  ASSERT_FALSE(out.notices.empty());
  EXPECT_EQ(out.notices[0].kind, "funds_transfer");
  EXPECT_EQ(out.notices[0].unit_id, "mine-2");
  EXPECT_THAT(out.notices[0].summary, HasSubstr("8,000.00 元"));
  EXPECT_TRUE(funds_.VerifyBalances().ok());
}

TEST_F(BookTest, RetryWithSameIdAndContentReturnsOriginalAndChangesNothing) {
  Effects first;
  auto original = funds_.TopUp({"tu-1", "mine-2", 800'000, "补充", ""}, kZhang, now_, first);
  ASSERT_TRUE(original.ok());
  const FundsState before = funds_.state();
  Effects retry;
  auto again = funds_.TopUp({"tu-1", "mine-2", 800'000, "补充", ""}, Actor::Operator("li"),
                            now_ + std::chrono::minutes(5), retry);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *original);  // the original, including its time and actor
  EXPECT_TRUE(retry.empty());
  EXPECT_EQ(funds_.state(), before);
}

TEST_F(BookTest, IdReusedWithDifferentContentIsAlreadyExists) {
  Effects out;
  ASSERT_TRUE(funds_.TopUp({"tu-1", "mine-2", 800'000, "补充", ""}, kZhang, now_, out).ok());
  const std::string message = ExpectRefused(funds_, StatusCode::kAlreadyExists, [&](Effects& o) {
    return funds_.TopUp({"tu-1", "mine-2", 800'001, "补充", ""}, kZhang, now_, o).status();
  });
  EXPECT_THAT(message, HasSubstr("tu-1"));
  ExpectRefused(funds_, StatusCode::kAlreadyExists, [&](Effects& o) {
    return funds_.TopUp({"tu-1", "mine-2", 800'000, "补充!", ""}, kZhang, now_, o).status();
  });
  ExpectRefused(funds_, StatusCode::kAlreadyExists, [&](Effects& o) {
    return funds_.TopUp({"tu-1", "mine-1", 800'000, "补充", ""}, kZhang, now_, o).status();
  });
  ExpectRefused(funds_, StatusCode::kAlreadyExists, [&](Effects& o) {
    return funds_.TopUp({"tu-1", "mine-2", 800'000, "补充", "inc-1"}, kZhang, now_, o).status();
  });
  // A transfer id may not name a hold either, nor a hold a transfer.
  ExpectRefused(funds_, StatusCode::kAlreadyExists, [&](Effects& o) {
    return funds_.PlaceHold({"tu-1", "pool", 10, "x", "r", "", std::nullopt}, kZhang, now_, o)
        .status();
  });
  ExpectRefused(funds_, StatusCode::kAlreadyExists, [&](Effects& o) {
    return funds_.Reverse({"tu-1", "open-pool", 10, "oops"}, kZhang, now_, o).status();
  });
}

TEST_F(BookTest, OverdraftIsRefused) {
  const std::string message =
      ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
        return funds_
            .CreateTransfer({"t-1", "reserve/mine-1", "expense/meals", 3'000'001, "meals", "r", ""},
                            kZhang, now_, o)
            .status();
      });
  EXPECT_THAT(message, HasSubstr("overdraft"));
  // Exactly the balance is fine.
  Effects out;
  ASSERT_TRUE(
      funds_
          .CreateTransfer({"t-2", "reserve/mine-1", "expense/meals", 3'000'000, "meals", "r", ""},
                          kZhang, now_, out)
          .ok());
  EXPECT_EQ(Balance(funds_, "reserve/mine-1"), 0);
}

TEST_F(BookTest, OverQuotaIsRefused) {
  // mine-1 holds 30,000.00 of its 50,000.00 quota.
  const std::string message =
      ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
        return funds_.TopUp({"tu-1", "mine-1", 2'000'001, "补充", ""}, kZhang, now_, o).status();
      });
  EXPECT_THAT(message, HasSubstr("over quota"));
  Effects out;
  ASSERT_TRUE(funds_.TopUp({"tu-2", "mine-1", 2'000'000, "补充", ""}, kZhang, now_, out).ok());
  EXPECT_EQ(Balance(funds_, "reserve/mine-1"), 5'000'000);
}

TEST_F(BookTest, UnknownAccountIsNotFound) {
  ExpectRefused(funds_, StatusCode::kNotFound, [&](Effects& o) {
    return funds_
        .CreateTransfer({"t-1", "pool", "reserve/mine-9", 100, "top_up", "r", ""}, kZhang, now_, o)
        .status();
  });
  ExpectRefused(funds_, StatusCode::kNotFound, [&](Effects& o) {
    return funds_.TopUp({"t-1", "nowhere", 100, "r", ""}, kZhang, now_, o).status();
  });
  ExpectRefused(funds_, StatusCode::kNotFound, [&](Effects& o) {
    return funds_
        .PlaceHold({"h-1", "reserve/none", 10, "x", "r", "", std::nullopt}, kZhang, now_, o)
        .status();
  });
}

TEST_F(BookTest, BadArgumentsAreInvalidArgument) {
  auto transfer = [&](TransferRequest request) {
    return ExpectRefused(funds_, StatusCode::kInvalidArgument, [&](Effects& o) {
      return funds_.CreateTransfer(request, kZhang, now_, o).status();
    });
  };
  transfer({"t-1", "pool", "reserve/mine-2", 0, "top_up", "r", ""});
  transfer({"t-1", "pool", "reserve/mine-2", -5, "top_up", "r", ""});
  transfer({"t-1", "pool", "reserve/mine-2", kMaxAmountFen + 1, "top_up", "r", ""});
  transfer({"t-1", "pool", "pool", 5, "top_up", "r", ""});
  transfer({"", "pool", "reserve/mine-2", 5, "top_up", "r", ""});
  transfer({"has/slash", "pool", "reserve/mine-2", 5, "top_up", "r", ""});
  transfer({"t-1", "pool", "reserve/mine-2", 5, "", "r", ""});
  transfer({"t-1", "pool", "reserve/mine-2", 5, "Top Up", "r", ""});
  transfer({"t-1", "pool", "reserve/mine-2", 5, "top_up", "", ""});
  transfer({"t-1", "pool", "reserve/mine-2", 5, "top_up", "r", "bad incident"});
}

TEST_F(BookTest, HoldReducesAvailableNotBalance) {
  Effects out;
  auto hold = funds_.PlaceHold(
      {"h-1", "reserve/mine-1", 1'200'000, "dispatch", "赴京", "inc-1", std::nullopt}, kZhang, now_,
      out);
  ASSERT_TRUE(hold.ok()) << hold.status();
  EXPECT_EQ(hold->state, HoldState::kPending);
  EXPECT_EQ(hold->expires_at, now_ + std::chrono::days(14));
  EXPECT_EQ(Balance(funds_, "reserve/mine-1"), 3'000'000);
  EXPECT_EQ(Available(funds_, "reserve/mine-1"), 1'800'000);
  // What is held cannot be spent twice.
  ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
    return funds_
        .CreateTransfer({"t-1", "reserve/mine-1", "pool", 1'800'001, "return", "r", ""}, kZhang,
                        now_, o)
        .status();
  });
  ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
    return funds_
        .PlaceHold({"h-2", "reserve/mine-1", 1'800'001, "x", "r", "", std::nullopt}, kZhang, now_,
                   o)
        .status();
  });
  ExpectRefused(funds_, StatusCode::kInvalidArgument, [&](Effects& o) {
    return funds_
        .PlaceHold({"h-3", "expense/meals", 1, "x", "r", "", std::nullopt}, kZhang, now_, o)
        .status();
  });
  ExpectRefused(funds_, StatusCode::kInvalidArgument, [&](Effects& o) {
    return funds_.PlaceHold({"h-3", "pool", 1, "x", "r", "", Duration::zero()}, kZhang, now_, o)
        .status();
  });
}

TEST_F(BookTest, HoldPostedInSeveralPartsThenClosed) {
  Effects out;
  ASSERT_TRUE(
      funds_
          .PlaceHold({"h-1", "reserve/mine-1", 1'000'000, "dispatch", "r", "inc-1", std::nullopt},
                     kZhang, now_, out)
          .ok());
  auto p1 = funds_.PostHold({"p-1", "h-1", "expense/transport", 300'000, "transport", "车票"},
                            kZhang, now_, out);
  ASSERT_TRUE(p1.ok()) << p1.status();
  EXPECT_EQ(p1->hold_id, "h-1");
  EXPECT_EQ(p1->incident_id, "inc-1");
  EXPECT_EQ(p1->debit_account_id, "reserve/mine-1");
  EXPECT_EQ(funds_.FindHold("h-1")->posted_fen, 300'000);
  EXPECT_EQ(funds_.FindHold("h-1")->state, HoldState::kPending);
  EXPECT_EQ(Balance(funds_, "reserve/mine-1"), 2'700'000);
  EXPECT_EQ(Available(funds_, "reserve/mine-1"), 2'000'000);  // unchanged by a post

  // More than remains is refused; exactly the rest closes the hold.
  ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
    return funds_
        .PostHold({"p-2", "h-1", "expense/lodging", 700'001, "lodging", "住宿"}, kZhang, now_, o)
        .status();
  });
  ASSERT_TRUE(funds_
                  .PostHold({"p-2", "h-1", "expense/lodging", 700'000, "lodging", "住宿"}, kZhang,
                            now_, out)
                  .ok());
  const Hold& hold = *funds_.FindHold("h-1");
  EXPECT_EQ(hold.state, HoldState::kPosted);
  EXPECT_EQ(hold.posted_fen, 1'000'000);
  EXPECT_EQ(Available(funds_, "reserve/mine-1"), 2'000'000);
  EXPECT_EQ(Balance(funds_, "expense/lodging"), 700'000);
  // A fully posted hold takes no further post, nor a void.
  ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
    return funds_.PostHold({"p-3", "h-1", "expense/meals", 1, "meals", "r"}, kZhang, now_, o)
        .status();
  });
  ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
    return funds_.VoidHold({"h-1", ""}, kZhang, now_, o).status();
  });
  // Retrying the first post still returns it.
  Effects retry;
  auto again = funds_.PostHold({"p-1", "h-1", "expense/transport", 300'000, "transport", "车票"},
                               kZhang, now_, retry);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *p1);
  EXPECT_TRUE(retry.empty());
  EXPECT_TRUE(funds_.VerifyBalances().ok());
}

TEST_F(BookTest, PostToTheHoldsOwnAccountOrUnknownIsRefused) {
  Effects out;
  ASSERT_TRUE(
      funds_.PlaceHold({"h-1", "pool", 1000, "x", "r", "", std::nullopt}, kZhang, now_, out).ok());
  ExpectRefused(funds_, StatusCode::kInvalidArgument, [&](Effects& o) {
    return funds_.PostHold({"p-1", "h-1", "pool", 10, "x", "r"}, kZhang, now_, o).status();
  });
  ExpectRefused(funds_, StatusCode::kNotFound, [&](Effects& o) {
    return funds_.PostHold({"p-1", "h-9", "expense/meals", 10, "x", "r"}, kZhang, now_, o).status();
  });
  ExpectRefused(funds_, StatusCode::kNotFound, [&](Effects& o) {
    return funds_.PostHold({"p-1", "h-1", "expense/nope", 10, "x", "r"}, kZhang, now_, o).status();
  });
  // Over the credit account's quota: mine-1 has 20,000.00 of room.
  ASSERT_TRUE(
      funds_.PlaceHold({"h-2", "pool", 2'000'001, "x", "r", "", std::nullopt}, kZhang, now_, out)
          .ok());
  ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
    return funds_
        .PostHold({"p-2", "h-2", "reserve/mine-1", 2'000'001, "top_up", "r"}, kZhang, now_, o)
        .status();
  });
}

TEST_F(BookTest, VoidReleasesTheRestAndPostAfterVoidIsRefused) {
  Effects out;
  ASSERT_TRUE(funds_
                  .PlaceHold({"h-1", "reserve/mine-1", 1'000'000, "x", "r", "", std::nullopt},
                             kZhang, now_, out)
                  .ok());
  ASSERT_TRUE(
      funds_.PostHold({"p-1", "h-1", "expense/meals", 250'000, "meals", "r"}, kZhang, now_, out)
          .ok());
  Effects voided;
  auto hold = funds_.VoidHold({"h-1", "no longer needed"}, kZhang, now_, voided);
  ASSERT_TRUE(hold.ok()) << hold.status();
  EXPECT_EQ(hold->state, HoldState::kVoided);
  EXPECT_EQ(hold->released_fen(), 750'000);
  EXPECT_EQ(hold->closed_by, kZhang);
  EXPECT_EQ(Available(funds_, "reserve/mine-1"), 2'750'000);
  EXPECT_EQ(Balance(funds_, "reserve/mine-1"), 2'750'000);
  const std::string message =
      ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
        return funds_.PostHold({"p-2", "h-1", "expense/meals", 1, "meals", "r"}, kZhang, now_, o)
            .status();
      });
  EXPECT_THAT(message, HasSubstr("voided"));
  // Voiding again is a retry: the hold as it is, nothing changes.
  const FundsState before = funds_.state();
  Effects retry;
  auto again = funds_.VoidHold({"h-1", "again"}, kZhang, now_, retry);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *hold);
  EXPECT_TRUE(retry.empty());
  EXPECT_EQ(funds_.state(), before);
  ExpectRefused(funds_, StatusCode::kNotFound, [&](Effects& o) {
    return funds_.VoidHold({"h-9", ""}, kZhang, now_, o).status();
  });
}

TEST_F(BookTest, TickExpiresHoldsOnceAndPostAfterExpiryIsRefused) {
  Effects out;
  ASSERT_TRUE(
      funds_
          .PlaceHold({"h-1", "reserve/mine-1", 1'000'000, "x", "r", "inc-1", std::chrono::hours(2)},
                     kZhang, now_, out)
          .ok());
  ASSERT_TRUE(
      funds_
          .PlaceHold({"h-2", "reserve/mine-1", 500'000, "x", "r", "", std::chrono::hours(5)},
                     kZhang, now_, out)
          .ok());
  EXPECT_EQ(funds_.NextWakeup(), now_ + std::chrono::hours(2));

  // At the deadline, before Tick has run, the hold is already unusable.
  const Time deadline = now_ + std::chrono::hours(2);
  const std::string message =
      ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
        return funds_
            .PostHold({"p-1", "h-1", "expense/meals", 1, "meals", "r"}, kZhang, deadline, o)
            .status();
      });
  EXPECT_THAT(message, HasSubstr("expired"));
  ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
    return funds_.VoidHold({"h-1", ""}, kZhang, deadline, o).status();
  });

  Effects early;
  funds_.Tick(deadline - std::chrono::microseconds(1), early);
  EXPECT_TRUE(early.empty());
  Effects ticked;
  funds_.Tick(deadline + std::chrono::minutes(1), ticked);
  EXPECT_EQ(funds_.FindHold("h-1")->state, HoldState::kExpired);
  EXPECT_EQ(funds_.FindHold("h-1")->closed_at, deadline);
  EXPECT_EQ(funds_.FindHold("h-2")->state, HoldState::kPending);
  EXPECT_EQ(CountAlerts(ticked, "hold_expired"), 1u);
  EXPECT_EQ(Available(funds_, "reserve/mine-1"), 2'500'000);
  EXPECT_EQ(funds_.NextWakeup(), now_ + std::chrono::hours(5));
  // Ticking again (or after a restart) expires nothing twice.
  Effects again;
  funds_.Tick(deadline + std::chrono::minutes(2), again);
  EXPECT_TRUE(again.empty());
  ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
    return funds_
        .PostHold({"p-1", "h-1", "expense/meals", 1, "meals", "r"}, kZhang,
                  deadline + std::chrono::minutes(3), o)
        .status();
  });
  EXPECT_TRUE(funds_.VerifyBalances().ok());
}

TEST_F(BookTest, ReversalCorrectsATransferWithoutEditingIt) {
  Effects out;
  auto original = funds_.TopUp({"tu-1", "mine-2", 800'000, "误拨", ""}, kZhang, now_, out);
  ASSERT_TRUE(original.ok());
  auto reversal = funds_.Reverse({"rv-1", "tu-1", 300'000, "拨错金额"}, kZhang, now_, out);
  ASSERT_TRUE(reversal.ok()) << reversal.status();
  EXPECT_EQ(reversal->debit_account_id, "reserve/mine-2");
  EXPECT_EQ(reversal->credit_account_id, "pool");
  EXPECT_EQ(reversal->reverses_id, "tu-1");
  EXPECT_EQ(reversal->code, "reversal");
  EXPECT_EQ(*funds_.FindTransfer("tu-1"), *original);  // untouched
  EXPECT_EQ(funds_.ReversedFen("tu-1"), 300'000);
  EXPECT_EQ(Balance(funds_, "reserve/mine-2"), 500'000);
  // No more than what is left may be reversed; a reversal is not reversed.
  ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
    return funds_.Reverse({"rv-2", "tu-1", 500'001, "r"}, kZhang, now_, o).status();
  });
  ExpectRefused(funds_, StatusCode::kInvalidArgument, [&](Effects& o) {
    return funds_.Reverse({"rv-2", "rv-1", 1, "r"}, kZhang, now_, o).status();
  });
  ExpectRefused(funds_, StatusCode::kNotFound, [&](Effects& o) {
    return funds_.Reverse({"rv-2", "tu-9", 1, "r"}, kZhang, now_, o).status();
  });
  // A reversal obeys the balance rules: money already spent cannot return.
  ASSERT_TRUE(
      funds_
          .CreateTransfer({"t-spend", "reserve/mine-2", "expense/meals", 400'000, "meals", "r", ""},
                          kZhang, now_, out)
          .ok());
  ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
    return funds_.Reverse({"rv-2", "tu-1", 500'000, "r"}, kZhang, now_, o).status();
  });
  EXPECT_TRUE(funds_.VerifyBalances().ok());
}

TEST_F(BookTest, QuotaChangesAreRecordedAndCannotStrandMoney) {
  Effects out;
  auto account =
      funds_.SetQuota({"reserve/mine-1", int64_t{8'000'000}, "上调额度"}, kZhang, now_, out);
  ASSERT_TRUE(account.ok()) << account.status();
  EXPECT_EQ(account->quota_fen, 8'000'000);
  ASSERT_EQ(funds_.state().quota_changes.size(), 1u);
  const QuotaChange& change = funds_.state().quota_changes[0];
  EXPECT_EQ(change.old_quota_fen, 5'000'000);
  EXPECT_EQ(change.new_quota_fen, 8'000'000);
  EXPECT_EQ(change.actor, kZhang);
  EXPECT_THAT(out.changed, ::testing::Contains(RecordRef{"funds_quota_change", change.id}));

  ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
    return funds_.SetQuota({"reserve/mine-1", int64_t{2'999'999}, "下调"}, kZhang, now_, o)
        .status();
  });
  ExpectRefused(funds_, StatusCode::kInvalidArgument, [&](Effects& o) {
    return funds_.SetQuota({"pool", int64_t{1}, "r"}, kZhang, now_, o).status();
  });
  ExpectRefused(funds_, StatusCode::kInvalidArgument, [&](Effects& o) {
    return funds_.SetQuota({"reserve/mine-1", int64_t{-1}, "r"}, kZhang, now_, o).status();
  });
  ExpectRefused(funds_, StatusCode::kNotFound, [&](Effects& o) {
    return funds_.SetQuota({"reserve/mine-9", int64_t{1}, "r"}, kZhang, now_, o).status();
  });
  // The same quota again is not a change.
  Effects same;
  ASSERT_TRUE(
      funds_.SetQuota({"reserve/mine-1", int64_t{8'000'000}, "again"}, kZhang, now_, same).ok());
  EXPECT_TRUE(same.empty());
  // No quota at all.
  ASSERT_TRUE(
      funds_.SetQuota({"reserve/mine-1", std::nullopt, "取消额度"}, kZhang, now_, out).ok());
  ASSERT_TRUE(funds_.TopUp({"tu-1", "mine-1", 90'000'000, "r", ""}, kZhang, now_, out).ok());
}

TEST_F(BookTest, LowBalanceAlertsOncePerCrossing) {
  // mine-1: 30,000.00, threshold 10,000.00.
  auto spend = [&](const char* id, int64_t fen) {
    Effects out;
    EXPECT_TRUE(funds_
                    .CreateTransfer({id, "reserve/mine-1", "expense/meals", fen, "meals", "r", ""},
                                    kZhang, now_, out)
                    .ok());
    return CountAlerts(out, "low_balance");
  };
  EXPECT_EQ(spend("s-1", 1'999'999), 0u);  // 10,000.01 left: not below
  EXPECT_EQ(spend("s-2", 2), 1u);          // 9,999.99: crossed
  EXPECT_TRUE(funds_.FindAccount("reserve/mine-1")->low_balance_alerted);
  EXPECT_EQ(spend("s-3", 100'000), 0u);  // still below: no new alert
  EXPECT_EQ(spend("s-4", 100'000), 0u);
  Effects up;
  ASSERT_TRUE(funds_.TopUp({"tu-1", "mine-1", 2'000'000, "补充", ""}, kZhang, now_, up).ok());
  EXPECT_EQ(CountAlerts(up, "low_balance"), 0u);
  EXPECT_FALSE(funds_.FindAccount("reserve/mine-1")->low_balance_alerted);
  EXPECT_EQ(spend("s-5", 2'000'000), 1u);  // crossed again: alerted again
  // Holds count: available, not balance, is compared with the threshold.
  Effects top;
  ASSERT_TRUE(funds_.TopUp({"tu-2", "mine-1", 3'000'000, "补充", ""}, kZhang, now_, top).ok());
  Effects hold;
  ASSERT_TRUE(funds_
                  .PlaceHold({"h-1", "reserve/mine-1", 3'000'000, "x", "r", "", std::nullopt},
                             kZhang, now_, hold)
                  .ok());
  EXPECT_EQ(CountAlerts(hold, "low_balance"), 1u);
}

TEST_F(BookTest, OpeningBalanceIdReusedWithOtherContentFailsApplyConfig) {
  FundsConfig config = MakeConfig();
  config.opening_balances[1].amount_fen = 3'000'001;  // edited after it was made
  auto changed = Funds::Restore(config, funds_.state());
  ASSERT_TRUE(changed.ok());
  const FundsState before = changed->state();
  Effects out;
  const Status status = changed->ApplyConfig(now_, out);
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(status.message(), HasSubstr("open-mine-1"));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(changed->state(), before);
}

TEST_F(BookTest, ConfiguredQuotaAppliesUntilAnOperatorSetsOne) {
  FundsConfig config = MakeConfig();
  config.reserves[0].quota_fen = 6'000'000;
  auto restarted = Funds::Restore(config, funds_.state());
  ASSERT_TRUE(restarted.ok());
  Effects out;
  ASSERT_TRUE(restarted->ApplyConfig(now_, out).ok());
  EXPECT_EQ(restarted->FindAccount("reserve/mine-1")->quota_fen, 6'000'000);
  ASSERT_EQ(restarted->state().quota_changes.size(), 1u);
  EXPECT_EQ(restarted->state().quota_changes[0].actor, Actor::System());

  ASSERT_TRUE(
      restarted->SetQuota({"reserve/mine-1", int64_t{7'000'000}, "HQ decision"}, kZhang, now_, out)
          .ok());
  config.reserves[0].quota_fen = 4'000'000;
  auto again = Funds::Restore(config, restarted->state());
  ASSERT_TRUE(again.ok());
  Effects drift;
  ASSERT_TRUE(again->ApplyConfig(now_, drift).ok());
  EXPECT_EQ(again->FindAccount("reserve/mine-1")->quota_fen, 7'000'000);
  EXPECT_EQ(CountAlerts(drift, "funds_config_drift"), 1u);
}

TEST_F(BookTest, RestoreRejectsRunningTotalsThatDisagreeWithTheFold) {
  FundsState state = funds_.state();
  state.accounts.at("reserve/mine-1").credits_posted_fen += 1;
  state.accounts.at("pool").credits_posted_fen -= 1;  // still sums to zero
  auto restored = Funds::Restore(MakeConfig(), state);
  ASSERT_FALSE(restored.ok());
  EXPECT_EQ(restored.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(restored.status().message(), HasSubstr("pool"));
}

TEST(MoneyTextTest, FormatsAndParsesYuanExactly) {
  EXPECT_EQ(FormatFen(0), "0.00");
  EXPECT_EQ(FormatFen(5), "0.05");
  EXPECT_EQ(FormatFen(123456789), "1,234,567.89");
  EXPECT_EQ(FormatFen(-100), "-1.00");
  EXPECT_EQ(FormatFen(INT64_MIN), "-92,233,720,368,547,758.08");
  EXPECT_EQ(ParseYuan("1234.56").value_or(-1), 123456);
  EXPECT_EQ(ParseYuan("1,234.5").value_or(-1), 123450);
  EXPECT_EQ(ParseYuan("12").value_or(-1), 1200);
  EXPECT_EQ(ParseYuan("0.01").value_or(-1), 1);
  EXPECT_EQ(ParseYuan("1000000000").value_or(-1), kMaxAmountFen);
  for (const char* bad : {"", ".5", "1.234", "-1", "1e3", "abc", "1.", "1000000000.01", ",1"}) {
    EXPECT_FALSE(ParseYuan(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace anding::core::funds

// Funds tied to dispatch: the hold a confirmed dispatch places, expense
// reports against it, release on settle/close, and the incident's cost.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "anding/core/funds/funds.h"
#include "anding/core/funds/reports.h"
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
using testing::MakeFunds;

const Actor kMine1 = Actor::Agent("mine-1");

// Four people and one vehicle from Hebi to Beijing, 520.4 km one way.
DispatchConfirmed BeijingDispatch(std::string unit = "mine-1") {
  DispatchConfirmed d;
  d.incident_id = "inc-2026-0042";
  d.unit_id = std::move(unit);
  d.destination_region = "beijing";
  d.destination_kind = RegionKind::kNationalCapital;
  d.people = 4;
  d.vehicles = 1;
  d.distance_km = 520.4;
  return d;
}

// 4 x 600.00 x 3 days = 7,200.00; vehicle 200.00 + 3.00 x 2 x 520.4 km =
// 3,322.40; total 10,522.40.
constexpr int64_t kBeijingEstimateFen = 720'000 + 20'000 + 312'240;

TEST(EstimateTest, ComputesFromRatesWithIntegerMoney) {
  const CostRates rates = testing::MakeConfig().rates;
  const CostEstimate e = EstimateDispatchCost(rates, BeijingDispatch());
  EXPECT_EQ(e.days, 3);
  EXPECT_EQ(e.distance_m, 520'400);
  EXPECT_EQ(e.person_cost_fen, 720'000);
  EXPECT_EQ(e.vehicle_cost_fen, 332'240);
  EXPECT_EQ(e.total_fen, kBeijingEstimateFen);

  DispatchConfirmed home = BeijingDispatch();
  home.destination_kind = RegionKind::kHomeCity;
  home.vehicles = 2;
  home.distance_km = 12.3456;  // 12,346 m; 3.00/km x 24.692 km = 74.076 -> 74.08
  const CostEstimate h = EstimateDispatchCost(rates, home);
  EXPECT_EQ(h.person_cost_fen, 4 * 10'000);
  EXPECT_EQ(h.vehicle_cost_fen, 2 * (20'000 + 7'408));
  DispatchConfirmed odd = home;
  odd.distance_km = -3;
  EXPECT_EQ(EstimateDispatchCost(rates, odd).distance_m, 0);
  odd.distance_km = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(EstimateDispatchCost(rates, odd).distance_m, 0);
  odd.people = 4'000'000'000u;
  odd.destination_kind = RegionKind::kNationalCapital;
  EXPECT_EQ(EstimateDispatchCost(rates, odd).total_fen, kMaxAmountFen);  // saturates
}

class DispatchHoldsTest : public ::testing::Test {
 protected:
  Time now_ = At("2026-05-18T07:30:00+08:00");
  Funds funds_ = MakeFunds(now_);
};

TEST_F(DispatchHoldsTest, BeijingDispatchHoldsTheEstimatedCost) {
  Effects out;
  funds_.OnDispatchConfirmed(BeijingDispatch(), now_, out);
  const std::string id = "dispatch/inc-2026-0042/mine-1/1";
  const Hold* hold = funds_.FindHold(id);
  ASSERT_NE(hold, nullptr);
  EXPECT_EQ(hold->account_id, "reserve/mine-1");
  EXPECT_EQ(hold->amount_fen, kBeijingEstimateFen);
  EXPECT_EQ(hold->incident_id, "inc-2026-0042");
  EXPECT_EQ(hold->expires_at, now_ + std::chrono::days(14));
  EXPECT_EQ(Available(funds_, "reserve/mine-1"), 3'000'000 - kBeijingEstimateFen);
  ASSERT_EQ(funds_.state().estimates.size(), 1u);
  const Estimate& e = funds_.state().estimates[0];
  EXPECT_EQ(e.estimated_fen, kBeijingEstimateFen);
  EXPECT_EQ(e.held_fen, kBeijingEstimateFen);
  EXPECT_EQ(e.shortfall_fen, 0);
  EXPECT_EQ(e.hold_id, id);
  EXPECT_EQ(CountAlerts(out, "reserve_insufficient"), 0u);
  EXPECT_THAT(out.changed, ::testing::Contains(RecordRef{"funds_hold", id}));
  EXPECT_THAT(out.changed, ::testing::Contains(RecordRef{"funds_estimate", id}));
  // A second dispatch of the same unit to the same incident is a second hold.
  Effects again;
  funds_.OnDispatchConfirmed(BeijingDispatch(), now_, again);
  EXPECT_NE(funds_.FindHold("dispatch/inc-2026-0042/mine-1/2"), nullptr);
}

TEST_F(DispatchHoldsTest, InsufficientReserveAlertsAndRequestsTopUpButDoesNotBlock) {
  // mine-2's reserve is empty but for 5,000.00.
  Effects setup;
  ASSERT_TRUE(
      funds_.TopUp({"tu-1", "mine-2", 500'000, "补充", ""}, Actor::Operator("zhang"), now_, setup)
          .ok());
  Effects out;
  funds_.OnDispatchConfirmed(BeijingDispatch("mine-2"), now_, out);
  const Hold* hold = funds_.FindHold("dispatch/inc-2026-0042/mine-2/1");
  ASSERT_NE(hold, nullptr);
  EXPECT_EQ(hold->amount_fen, 500'000);  // what there was
  EXPECT_EQ(Available(funds_, "reserve/mine-2"), 0);
  const Estimate& e = funds_.state().estimates.back();
  EXPECT_EQ(e.shortfall_fen, kBeijingEstimateFen - 500'000);

  const HqAlert* insufficient = FindAlert(out, "reserve_insufficient");
  ASSERT_NE(insufficient, nullptr);
  EXPECT_EQ(insufficient->severity, HqAlert::Severity::kCritical);
  EXPECT_EQ(insufficient->unit_id, "mine-2");
  EXPECT_EQ(insufficient->reference_id, "inc-2026-0042");
  const HqAlert* top_up = FindAlert(out, "top_up_request");
  ASSERT_NE(top_up, nullptr);
  EXPECT_THAT(top_up->text, HasSubstr("5,522.40 元"));  // the shortfall
  EXPECT_THAT(top_up->text, HasSubstr("pool"));
  EXPECT_THAT(top_up->text, HasSubstr("reserve/mine-2"));
  // 5,000.00 + 5,522.40 exceeds mine-2's 20,000.00 quota? No: no quota note.
  EXPECT_THAT(top_up->text, ::testing::Not(HasSubstr("额度")));
  bool notice = false;
  for (const auto& n : out.notices) notice = notice || n.kind == "funds_top_up_request";
  EXPECT_TRUE(notice);

  // A unit with nothing at all gets no hold, and a note when the quota is
  // too small for the top-up.
  Effects small;
  ASSERT_TRUE(funds_
                  .SetQuota({"reserve/mine-2", int64_t{600'000}, "r"}, Actor::Operator("zhang"),
                            now_, small)
                  .ok());
  Effects second;
  funds_.OnDispatchConfirmed(BeijingDispatch("mine-2"), now_, second);
  EXPECT_EQ(funds_.FindHold("dispatch/inc-2026-0042/mine-2/2"), nullptr);
  EXPECT_EQ(funds_.state().estimates.back().held_fen, 0);
  EXPECT_EQ(funds_.state().estimates.back().hold_id, "");
  ASSERT_NE(FindAlert(second, "top_up_request"), nullptr);
  EXPECT_THAT(FindAlert(second, "top_up_request")->text, HasSubstr("额度"));
}

TEST_F(DispatchHoldsTest, UnitWithoutReserveRaisesReserveMissing) {
  Effects out;
  DispatchConfirmed d = BeijingDispatch("mine-7");
  funds_.OnDispatchConfirmed(d, now_, out);
  EXPECT_EQ(CountAlerts(out, "reserve_missing"), 1u);
  EXPECT_EQ(funds_.state().estimates.back().shortfall_fen, kBeijingEstimateFen);
  EXPECT_TRUE(funds_.VerifyBalances().ok());
}

TEST_F(DispatchHoldsTest, TwoExpensesPostAgainstTheHoldAndSettleReleasesTheRest) {
  Effects out;
  funds_.OnDispatchConfirmed(BeijingDispatch(), now_, out);
  const std::string hold_id = "dispatch/inc-2026-0042/mine-1/1";

  Effects first;
  auto tickets = funds_.RecordExpense({"msg-1", "inc-2026-0042", "mine-1", 318'000, "transport",
                                       "鹤壁—北京高铁票 4 张", "HB-2026-0518-01"},
                                      kMine1, now_ + std::chrono::hours(5), first);
  ASSERT_TRUE(tickets.ok()) << tickets.status();
  EXPECT_EQ(tickets->held_fen, 318'000);
  EXPECT_EQ(tickets->direct_fen, 0);
  const Transfer* part = funds_.FindTransfer("msg-1/1");
  ASSERT_NE(part, nullptr);
  EXPECT_EQ(part->hold_id, hold_id);
  EXPECT_EQ(part->expense_id, "msg-1");
  EXPECT_EQ(part->credit_account_id, "expense/transport");
  EXPECT_EQ(part->actor, kMine1);

  Effects second;
  auto hotel = funds_.RecordExpense(
      {"msg-2", "inc-2026-0042", "mine-1", 264'000, "lodging", "住宿两晚", "HB-2026-0519-02"},
      kMine1, now_ + std::chrono::days(1), second);
  ASSERT_TRUE(hotel.ok()) << hotel.status();
  const Hold& hold = *funds_.FindHold(hold_id);
  EXPECT_EQ(hold.posted_fen, 582'000);
  EXPECT_EQ(hold.state, HoldState::kPending);
  EXPECT_EQ(Balance(funds_, "reserve/mine-1"), 3'000'000 - 582'000);

  // A retried report (the agent did not see the ack) changes nothing.
  const FundsState before = funds_.state();
  Effects retry;
  auto again = funds_.RecordExpense(
      {"msg-2", "inc-2026-0042", "mine-1", 264'000, "lodging", "住宿两晚", "HB-2026-0519-02"},
      kMine1, now_ + std::chrono::days(2), retry);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *hotel);
  EXPECT_TRUE(retry.empty());
  EXPECT_EQ(funds_.state(), before);

  Effects settled;
  funds_.OnIncidentSettled({"inc-2026-0042"}, now_ + std::chrono::days(2), settled);
  EXPECT_EQ(funds_.FindHold(hold_id)->state, HoldState::kVoided);
  EXPECT_EQ(funds_.FindHold(hold_id)->released_fen(), kBeijingEstimateFen - 582'000);
  EXPECT_EQ(Available(funds_, "reserve/mine-1"), 3'000'000 - 582'000);
  // Closing later finds nothing left to release.
  Effects closed;
  funds_.OnIncidentClosed({"inc-2026-0042"}, now_ + std::chrono::days(9), closed);
  EXPECT_TRUE(closed.empty());

  const IncidentCost cost = IncidentCostReport(funds_.state(), "inc-2026-0042");
  EXPECT_EQ(cost.estimated_fen, kBeijingEstimateFen);
  EXPECT_EQ(cost.actual_fen, 582'000);
  EXPECT_EQ(cost.variance_fen, 582'000 - kBeijingEstimateFen);
  EXPECT_EQ(cost.pending_fen, 0);
  EXPECT_EQ(cost.released_fen, kBeijingEstimateFen - 582'000);
  ASSERT_EQ(cost.units.size(), 1u);
  EXPECT_EQ(cost.units[0].unit_id, "mine-1");
  EXPECT_EQ(cost.units[0].dispatches, 1);
  EXPECT_EQ(cost.units[0].actual_by_code.at("transport"), 318'000);
  EXPECT_EQ(cost.units[0].actual_by_code.at("lodging"), 264'000);
  EXPECT_TRUE(funds_.VerifyBalances().ok());
}

TEST_F(DispatchHoldsTest, ExpenseBeyondTheHoldIsPaidDirectlyIfTheReserveCanElseRefused) {
  Effects out;
  funds_.OnDispatchConfirmed(BeijingDispatch(), now_, out);
  // Hold 10,522.40; reserve 30,000.00, so 19,477.60 available besides.
  Effects big;
  auto paid = funds_.RecordExpense(
      {"msg-1", "inc-2026-0042", "mine-1", 1'100'000, "transport", "包车", ""}, kMine1, now_, big);
  ASSERT_TRUE(paid.ok()) << paid.status();
  EXPECT_EQ(paid->held_fen, kBeijingEstimateFen);
  EXPECT_EQ(paid->direct_fen, 1'100'000 - kBeijingEstimateFen);
  EXPECT_EQ(funds_.FindTransfer("msg-1/direct")->amount_fen, paid->direct_fen);
  EXPECT_EQ(funds_.FindTransfer("msg-1/direct")->hold_id, "");
  EXPECT_EQ(funds_.FindHold("dispatch/inc-2026-0042/mine-1/1")->state, HoldState::kPosted);
  EXPECT_EQ(Balance(funds_, "reserve/mine-1"), 1'900'000);

  // 19,000.00 left, nothing held: 19,000.01 is refused whole.
  const std::string message =
      ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
        return funds_
            .RecordExpense({"msg-2", "inc-2026-0042", "mine-1", 1'900'001, "meals", "", ""}, kMine1,
                           now_, o)
            .status();
      });
  EXPECT_THAT(message, HasSubstr("top up"));
  EXPECT_THAT(message, HasSubstr("0.01 元"));  // short by
}

TEST_F(DispatchHoldsTest, RefusedPartialPlanChangesNothing) {
  Effects out;
  Effects setup;
  ASSERT_TRUE(
      funds_.TopUp({"tu-1", "mine-2", 500'000, "补充", ""}, Actor::Operator("zhang"), now_, setup)
          .ok());
  funds_.OnDispatchConfirmed(BeijingDispatch("mine-2"), now_, out);  // holds all 5,000.00
  ExpectRefused(funds_, StatusCode::kFailedPrecondition, [&](Effects& o) {
    return funds_
        .RecordExpense({"msg-1", "inc-2026-0042", "mine-2", 500'001, "meals", "", ""},
                       Actor::Agent("mine-2"), now_, o)
        .status();
  });
  EXPECT_EQ(funds_.FindHold("dispatch/inc-2026-0042/mine-2/1")->posted_fen, 0);
}

TEST_F(DispatchHoldsTest, ExpenseValidation) {
  auto refuse = [&](StatusCode code, ExpenseRequest request) {
    ExpectRefused(funds_, code, [&](Effects& o) {
      return funds_.RecordExpense(request, kMine1, now_, o).status();
    });
  };
  refuse(StatusCode::kInvalidArgument, {"msg-1", "inc-1", "mine-1", 0, "meals", "", ""});
  refuse(StatusCode::kInvalidArgument, {"msg-1", "", "mine-1", 10, "meals", "", ""});
  refuse(StatusCode::kInvalidArgument, {"msg-1", "inc-1", "mine-1", 10, "caviar", "", ""});
  refuse(StatusCode::kInvalidArgument, {"msg/1", "inc-1", "mine-1", 10, "meals", "", ""});
  refuse(StatusCode::kNotFound, {"msg-1", "inc-1", "mine-9", 10, "meals", "", ""});
  Effects out;
  ASSERT_TRUE(
      funds_.RecordExpense({"msg-1", "inc-1", "mine-1", 10, "meals", "", ""}, kMine1, now_, out)
          .ok());
  refuse(StatusCode::kAlreadyExists, {"msg-1", "inc-1", "mine-1", 11, "meals", "", ""});
  refuse(StatusCode::kAlreadyExists, {"msg-1", "inc-1", "mine-1", 10, "meals", "", "V-1"});
}

TEST_F(DispatchHoldsTest, ExpensesAfterSettleOrExpiryArePaidDirectly) {
  Effects out;
  funds_.OnDispatchConfirmed(BeijingDispatch(), now_, out);
  funds_.OnIncidentSettled({"inc-2026-0042"}, now_ + std::chrono::hours(10), out);
  Effects late;
  auto paid =
      funds_.RecordExpense({"msg-9", "inc-2026-0042", "mine-1", 50'000, "meals", "晚餐", ""},
                           kMine1, now_ + std::chrono::days(3), late);
  ASSERT_TRUE(paid.ok());
  EXPECT_EQ(paid->held_fen, 0);
  EXPECT_EQ(paid->direct_fen, 50'000);
  EXPECT_EQ(IncidentCostReport(funds_.state(), "inc-2026-0042").actual_fen, 50'000);

  // A hold past its timeout is skipped even before Tick has run.
  Effects second;
  DispatchConfirmed d = BeijingDispatch();
  d.incident_id = "inc-2026-0043";
  funds_.OnDispatchConfirmed(d, now_, second);
  const Time after = now_ + std::chrono::days(15);
  Effects expired;
  auto direct = funds_.RecordExpense({"msg-10", "inc-2026-0043", "mine-1", 10'000, "meals", "", ""},
                                     kMine1, after, expired);
  ASSERT_TRUE(direct.ok()) << direct.status();
  EXPECT_EQ(direct->direct_fen, 10'000);
  EXPECT_EQ(funds_.FindHold("dispatch/inc-2026-0043/mine-1/1")->posted_fen, 0);
}

TEST_F(DispatchHoldsTest, ReversedExpenseLowersTheActualCost) {
  Effects out;
  funds_.OnDispatchConfirmed(BeijingDispatch(), now_, out);
  ASSERT_TRUE(funds_
                  .RecordExpense({"msg-1", "inc-2026-0042", "mine-1", 300'000, "transport", "", ""},
                                 kMine1, now_, out)
                  .ok());
  ASSERT_TRUE(
      funds_.Reverse({"fix-1", "msg-1/1", 100'000, "重复报销"}, Actor::Operator("zhang"), now_, out)
          .ok());
  const IncidentCost cost = IncidentCostReport(funds_.state(), "inc-2026-0042");
  EXPECT_EQ(cost.actual_fen, 200'000);
  EXPECT_EQ(cost.units[0].actual_by_code.at("transport"), 200'000);
}

TEST_F(DispatchHoldsTest, ACancelledDispatchReleasesItsHoldAndNoOther) {
  Effects out;
  funds_.OnDispatchConfirmed(BeijingDispatch("mine-1"), now_, out);
  // The same unit's dispatch to another incident.
  DispatchConfirmed other = BeijingDispatch("mine-1");
  other.incident_id = "inc-2026-0043";
  other.people = 1;
  other.vehicles = 0;
  funds_.OnDispatchConfirmed(other, now_, out);
  const int64_t other_fen = 60'000 * 3;
  // An operator's own hold for the same incident on the same reserve.
  ASSERT_TRUE(funds_
                  .PlaceHold({"hq-hold-1", "reserve/mine-1", 50'000, "transport", "包车",
                              "inc-2026-0042", std::nullopt},
                             Actor::Operator("zhang"), now_, out)
                  .ok());
  ASSERT_EQ(Available(funds_, "reserve/mine-1"),
            3'000'000 - kBeijingEstimateFen - other_fen - 50'000);
  // mine-1 spends some of its hold before the dispatch is called off.
  ASSERT_TRUE(
      funds_
          .RecordExpense({"msg-1", "inc-2026-0042", "mine-1", 100'000, "transport", "油费", ""},
                         kMine1, now_ + std::chrono::hours(1), out)
          .ok());

  Effects cancelled;
  funds_.OnEvent(DomainEvent{DispatchCancelled{"inc-2026-0042", "mine-1", "改派"}},
                 now_ + std::chrono::hours(2), cancelled);
  const Hold& first = *funds_.FindHold("dispatch/inc-2026-0042/mine-1/1");
  EXPECT_EQ(first.state, HoldState::kVoided);
  EXPECT_EQ(first.released_fen(), kBeijingEstimateFen - 100'000);
  EXPECT_THAT(first.close_reason, HasSubstr("改派"));
  EXPECT_EQ(funds_.FindHold("hq-hold-1")->state, HoldState::kPending);
  EXPECT_EQ(funds_.FindHold("dispatch/inc-2026-0043/mine-1/1")->state, HoldState::kPending);
  EXPECT_EQ(Available(funds_, "reserve/mine-1"), 3'000'000 - 100'000 - other_fen - 50'000);
  EXPECT_FALSE(cancelled.changed.empty());

  // The re-proposed assignment, once confirmed, holds again under a new id;
  // cancelling twice finds nothing more to release.
  Effects again;
  funds_.OnDispatchConfirmed(BeijingDispatch("mine-1"), now_ + std::chrono::hours(3), again);
  EXPECT_EQ(funds_.FindHold("dispatch/inc-2026-0042/mine-1/2")->state, HoldState::kPending);
  Effects twice;
  funds_.OnDispatchCancelled({"inc-2026-0042", "mine-9", "无此单位"}, now_, twice);
  EXPECT_TRUE(twice.empty());
  EXPECT_TRUE(funds_.VerifyBalances().ok());
}

TEST_F(DispatchHoldsTest, OnEventRoutesDomainEvents) {
  Effects out;
  funds_.OnEvent(DomainEvent{BeijingDispatch()}, now_, out);
  ASSERT_EQ(funds_.PendingHolds().size(), 1u);
  funds_.OnEvent(DomainEvent{IncidentClosed{"inc-2026-0042"}}, now_, out);
  EXPECT_TRUE(funds_.PendingHolds().empty());
}

// An incident reported in error: every pending hold of it is voided, the
// operator's own included, and the money is back in the reserve; other
// incidents' holds stay.
TEST_F(DispatchHoldsTest, CancelledIncidentReleasesEveryHold) {
  Effects out;
  funds_.OnDispatchConfirmed(BeijingDispatch(), now_, out);
  DispatchConfirmed other = BeijingDispatch();
  other.incident_id = "inc-2026-0043";
  funds_.OnDispatchConfirmed(other, now_, out);
  ASSERT_TRUE(funds_
                  .PlaceHold({"hq-hold-1", "reserve/mine-1", 50'000, "transport", "包车",
                              "inc-2026-0042", std::nullopt},
                             Actor::Operator("zhang"), now_, out)
                  .ok());
  const int64_t before = Available(funds_, "reserve/mine-1");

  Effects cancelled;
  funds_.OnEvent(DomainEvent{IncidentCancelled{"inc-2026-0042", "误报"}},
                 now_ + std::chrono::minutes(30), cancelled);
  const Hold& dispatch = *funds_.FindHold("dispatch/inc-2026-0042/mine-1/1");
  EXPECT_EQ(dispatch.state, HoldState::kVoided);
  EXPECT_THAT(dispatch.close_reason, HasSubstr("误报"));
  EXPECT_EQ(funds_.FindHold("hq-hold-1")->state, HoldState::kVoided);
  EXPECT_EQ(funds_.FindHold("dispatch/inc-2026-0043/mine-1/1")->state, HoldState::kPending);
  EXPECT_EQ(Available(funds_, "reserve/mine-1"), before + kBeijingEstimateFen + 50'000);
  EXPECT_TRUE(funds_.VerifyBalances().ok());
}

}  // namespace
}  // namespace anding::core::funds

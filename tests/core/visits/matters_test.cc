// Petition matters and the statutory time limits of the 信访工作条例
// (2022): every timer, the one extension, request windows, a limit that
// crosses a month end and one that ends on 29 February, restarts.
#include <gtest/gtest.h>

#include "core/visits/fixture.h"

namespace anding::core::visits {
namespace {

using testing::At;
using testing::Day;
using testing::MakeOrg;

const Actor kLi = Actor::Operator("li");
constexpr Duration kMicro{1};

class MattersTest : public ::testing::Test {
 protected:
  Matter Register(const char* received_day) {
    Effects out;
    auto matter = register_.RegisterMatter(
        {"mine-1", "retiree-management", "退休人员待遇问题", "", Day(received_day)}, kLi, now_,
        out);
    EXPECT_TRUE(matter.ok()) << matter.status();
    return matter.ok() ? *matter : Matter{};
  }

  Result<Matter> Act(const std::string& id, MatterAction action, const char* day,
                     std::string text = "", int64_t extension_days = 0) {
    Effects out;
    auto matter =
        register_.Act({id, action, Day(day), extension_days, std::move(text)}, kLi, now_, out);
    if (!matter.ok()) {
      EXPECT_TRUE(out.empty()) << "a refused step changes nothing";
    }
    return matter;
  }

  Deadline DeadlineNow(const std::string& id) {
    auto deadline = DeadlineOf(register_.state().matters.at(id), register_.config());
    EXPECT_TRUE(deadline.has_value());
    return deadline.value_or(Deadline{});
  }

  Effects Tick(Time at) {
    Effects out;
    register_.Tick(at, out);
    return out;
  }

  Organisation org_ = MakeOrg();
  VisitRegister register_{VisitsConfig{}, org_};
  Time now_ = At("2028-06-30T12:00:00+08:00");
};

TEST_F(MattersTest, AcceptDecisionLimitEndsOnTwentyNinthFebruary) {
  const Matter matter = Register("2028-02-14");
  EXPECT_EQ(matter.id, "M-000001");
  EXPECT_EQ(matter.state, MatterState::kReceived);
  const Deadline deadline = DeadlineNow(matter.id);
  EXPECT_EQ(deadline.stage, "accept");
  EXPECT_EQ(deadline.last_day, Day("2028-02-29"));  // 14 + 15, a leap year
  EXPECT_EQ(deadline.due, At("2028-03-01T00:00:00+08:00"));
  EXPECT_EQ(deadline.warn_at, At("2028-02-27T00:00:00+08:00"));
}

TEST_F(MattersTest, ConclusionLimitCrossesMonthEndsAndExtendsOnce) {
  const Matter matter = Register("2027-01-20");
  ASSERT_TRUE(Act(matter.id, MatterAction::kAccept, "2027-01-31").ok());
  Deadline deadline = DeadlineNow(matter.id);
  EXPECT_EQ(deadline.stage, "conclude");
  EXPECT_EQ(deadline.last_day, Day("2027-04-01"));  // 31 Jan + 60 across February's 28 days
  EXPECT_EQ(deadline.due, At("2027-04-02T00:00:00+08:00"));

  now_ = At("2027-03-15T09:00:00+08:00");
  EXPECT_EQ(Act(matter.id, MatterAction::kExtend, "2027-03-15", "", 30).status().code(),
            StatusCode::kInvalidArgument)
      << "the reason is required";
  EXPECT_EQ(Act(matter.id, MatterAction::kExtend, "2027-03-15", "案情复杂", 31).status().code(),
            StatusCode::kInvalidArgument)
      << "at most 30 days";
  auto extended = Act(matter.id, MatterAction::kExtend, "2027-03-15", "案情复杂", 30);
  ASSERT_TRUE(extended.ok()) << extended.status();
  EXPECT_EQ(extended->extension_days, 30);
  EXPECT_EQ(extended->extension_reason, "案情复杂");
  EXPECT_EQ(extended->state, MatterState::kAccepted);
  EXPECT_EQ(DeadlineNow(matter.id).last_day, Day("2027-05-01"));
  EXPECT_EQ(Act(matter.id, MatterAction::kExtend, "2027-03-15", "再次", 5).status().code(),
            StatusCode::kFailedPrecondition)
      << "once only";
}

TEST_F(MattersTest, NoExtensionOnceTheLimitHasRunOut) {
  const Matter matter = Register("2027-01-20");
  ASSERT_TRUE(Act(matter.id, MatterAction::kAccept, "2027-01-31").ok());
  now_ = At("2027-04-02T00:00:00+08:00");  // the first instant after 1 April
  auto late = Act(matter.id, MatterAction::kExtend, "2027-04-02", "迟了", 10);
  EXPECT_EQ(late.status().code(), StatusCode::kFailedPrecondition);
  now_ = At("2027-04-01T23:59:59+08:00");
  EXPECT_TRUE(Act(matter.id, MatterAction::kExtend, "2027-04-01", "最后一天", 10).ok());
}

TEST_F(MattersTest, ReviewAndReexaminationRequestsWithinTheirLimits) {
  const Matter matter = Register("2028-01-02");
  ASSERT_TRUE(Act(matter.id, MatterAction::kAccept, "2028-01-05").ok());
  ASSERT_TRUE(Act(matter.id, MatterAction::kConclude, "2028-01-31", "答复意见").ok());
  EXPECT_FALSE(DeadlineOf(register_.state().matters.at(matter.id), register_.config()))
      << "no office timer runs while the petitioner may ask for a review";
  // 31 January + 30 = 1 March in a leap year; 2 March is too late.
  EXPECT_EQ(Act(matter.id, MatterAction::kRequestReview, "2028-03-02").status().code(),
            StatusCode::kFailedPrecondition);
  auto review = Act(matter.id, MatterAction::kRequestReview, "2028-03-01");
  ASSERT_TRUE(review.ok()) << review.status();
  EXPECT_EQ(DeadlineNow(matter.id).stage, "review");
  EXPECT_EQ(DeadlineNow(matter.id).last_day, Day("2028-03-31"));
  ASSERT_TRUE(Act(matter.id, MatterAction::kConcludeReview, "2028-03-20", "复查意见").ok());
  EXPECT_EQ(Act(matter.id, MatterAction::kRequestReexamination, "2028-04-20").status().code(),
            StatusCode::kFailedPrecondition)
      << "31 days after the review";
  ASSERT_TRUE(Act(matter.id, MatterAction::kRequestReexamination, "2028-04-19").ok());
  EXPECT_EQ(DeadlineNow(matter.id).stage, "reexamination");
  EXPECT_EQ(DeadlineNow(matter.id).last_day, Day("2028-05-19"));
  auto final_answer =
      Act(matter.id, MatterAction::kConcludeReexamination, "2028-05-10", "复核意见");
  ASSERT_TRUE(final_answer.ok());
  EXPECT_EQ(final_answer->state, MatterState::kReexamined);
  EXPECT_EQ(final_answer->outcome, "复核意见");
  EXPECT_EQ(Act(matter.id, MatterAction::kRequestReview, "2028-05-11").status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(MattersTest, StepsOutOfOrderOrOutOfTimeAreRefused) {
  const Matter matter = Register("2028-03-01");
  EXPECT_EQ(Act(matter.id, MatterAction::kConclude, "2028-03-02").status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Act(matter.id, MatterAction::kAccept, "2028-02-28").status().code(),
            StatusCode::kInvalidArgument)
      << "before the matter was received";
  EXPECT_EQ(Act(matter.id, MatterAction::kAccept, "2028-07-01").status().code(),
            StatusCode::kInvalidArgument)
      << "after today";
  EXPECT_EQ(Act(matter.id, MatterAction::kDecline, "2028-03-02").status().code(),
            StatusCode::kInvalidArgument)
      << "a refusal needs its reason";
  EXPECT_EQ(Act("M-000404", MatterAction::kAccept, "2028-03-02").status().code(),
            StatusCode::kNotFound);
  auto declined = Act(matter.id, MatterAction::kDecline, "2028-03-02", "不属于信访受理范围");
  ASSERT_TRUE(declined.ok());
  EXPECT_EQ(declined->state, MatterState::kNotAccepted);
  EXPECT_FALSE(DeadlineOf(*declined, register_.config()));
  Effects out;
  EXPECT_EQ(register_.RegisterMatter({"mine-1", "", "", "", Day("2028-03-01")}, kLi, now_, out)
                .status()
                .code(),
            StatusCode::kInvalidArgument)
      << "summary is required";
  EXPECT_EQ(
      register_.RegisterMatter({"mine-1", "", "x", "V-000001", Day("2028-03-01")}, kLi, now_, out)
          .status()
          .code(),
      StatusCode::kNotFound);
}

TEST_F(MattersTest, TimersWarnOnceThenAlertOnceAndAnExtensionWarnsAgain) {
  now_ = At("2027-01-31T10:00:00+08:00");
  const Matter matter = Register("2027-01-20");
  ASSERT_TRUE(Act(matter.id, MatterAction::kAccept, "2027-01-20").ok());
  // Conclude by 21 March; the accept timer (4 February) is gone with the decision.
  const Deadline deadline = DeadlineNow(matter.id);
  EXPECT_EQ(deadline.last_day, Day("2027-03-21"));
  EXPECT_EQ(register_.NextWakeup(), At("2027-03-19T00:00:00+08:00"));
  EXPECT_TRUE(Tick(deadline.warn_at - kMicro).empty());

  Effects warned = Tick(deadline.warn_at);
  ASSERT_EQ(warned.alerts.size(), 1u);
  EXPECT_EQ(warned.alerts[0].kind, "matter_deadline_warning");
  EXPECT_EQ(warned.alerts[0].severity, HqAlert::Severity::kWarning);
  EXPECT_EQ(warned.alerts[0].reference_id, matter.id);
  EXPECT_NE(warned.alerts[0].text.find("2027-03-21"), std::string::npos);
  ASSERT_EQ(warned.notices.size(), 1u);
  EXPECT_EQ(warned.notices[0].state, "deadline_warning");
  EXPECT_EQ(warned.changed, (std::vector<RecordRef>{{"matter", matter.id}}));
  EXPECT_TRUE(Tick(deadline.warn_at + std::chrono::hours(1)).empty()) << "once";
  EXPECT_EQ(register_.NextWakeup(), deadline.due);

  // An extension before the end: a new limit, a new warning.
  now_ = At("2027-03-20T09:00:00+08:00");
  ASSERT_TRUE(Act(matter.id, MatterAction::kExtend, "2027-03-20", "需补充调查", 10).ok());
  EXPECT_EQ(DeadlineNow(matter.id).last_day, Day("2027-03-31"));
  EXPECT_TRUE(Tick(deadline.due).empty()) << "the old limit no longer runs";
  EXPECT_EQ(register_.NextWakeup(), At("2027-03-29T00:00:00+08:00"));

  // A restart long after the new limit: the breach fires once, no warning.
  auto restored = VisitRegister::Restore(VisitsConfig{}, org_, register_.state());
  ASSERT_TRUE(restored.ok());
  Effects late;
  restored->Tick(At("2027-04-10T00:00:00+08:00"), late);
  ASSERT_EQ(late.alerts.size(), 1u);
  EXPECT_EQ(late.alerts[0].kind, "matter_deadline_breach");
  EXPECT_EQ(late.alerts[0].severity, HqAlert::Severity::kCritical);
  Effects again;
  restored->Tick(At("2027-04-11T00:00:00+08:00"), again);
  EXPECT_TRUE(again.empty());
  EXPECT_EQ(restored->NextWakeup(), std::nullopt);
}

// The daily summary's columns: near the limit from the warning on, past
// it from the first instant after its last day; a matter decided on no
// longer counts for the accept limit; one received later is not counted.
TEST_F(MattersTest, TheDailySummaryCountsMattersNearAndPastTheirLimits) {
  now_ = At("2027-01-31T10:00:00+08:00");
  const Matter first = Register("2027-01-20");   // accept by 4 February
  const Matter second = Register("2027-01-25");  // accept by 9 February
  const Deadline limit = DeadlineNow(first.id);
  EXPECT_EQ(limit.last_day, Day("2027-02-04"));
  auto tally = [&](Time at) {
    return TallyDeadlines(register_.state().matters, register_.config(), at);
  };
  EXPECT_TRUE(tally(limit.warn_at - kMicro).empty());
  auto near = tally(limit.warn_at);
  ASSERT_EQ(near.size(), 1u);
  EXPECT_EQ(near["mine-1"].due_soon, 1u);
  EXPECT_EQ(near["mine-1"].overdue, 0u);
  auto past = tally(limit.due);
  EXPECT_EQ(past["mine-1"].overdue, 1u);
  EXPECT_EQ(past["mine-1"].due_soon, 0u);  // the second warns from 7 February
  auto both = tally(At("2027-02-07T00:00:00+08:00"));
  EXPECT_EQ(both["mine-1"].overdue, 1u);
  EXPECT_EQ(both["mine-1"].due_soon, 1u);
  // Before the second was received, only the first counts.
  EXPECT_EQ(tally(At("2027-01-24T12:00:00+08:00")).size(), 0u);
  // Decided: the accept limit stops, the conclusion's (60 days) starts.
  now_ = At("2027-02-08T10:00:00+08:00");
  ASSERT_TRUE(Act(second.id, MatterAction::kAccept, "2027-02-08").ok());
  auto later = tally(At("2027-02-08T12:00:00+08:00"));
  EXPECT_EQ(later["mine-1"].overdue, 1u);
  EXPECT_EQ(later["mine-1"].due_soon, 0u);
}

TEST_F(MattersTest, ConfiguredLimitsReplaceTheStatutoryDefaults) {
  VisitsConfig config;
  config.limits.accept_decision_days = 7;
  config.limits.warn_before_days = 1;
  VisitRegister short_limits(config, org_);
  Effects out;
  auto matter =
      short_limits.RegisterMatter({"mine-2", "other", "s", "", Day("2027-12-28")}, kLi, now_, out);
  ASSERT_TRUE(matter.ok());
  const auto deadline = DeadlineOf(*matter, config);
  EXPECT_EQ(deadline->last_day, Day("2028-01-04"));  // across the year end
  EXPECT_EQ(deadline->warn_at, At("2028-01-04T00:00:00+08:00"));
}

}  // namespace
}  // namespace anding::core::visits

// Screening (排查): filings with findings or zero reports, and reminders for
// units that have not filed once a period closed plus grace.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/ledger/fixture.h"

namespace anding::core::ledger {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using testing::At;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::SampleRegistration;

const Period kMarchT1{PeriodKind::kTenDay, 2026, 3, 1};
const Period kMarchT2{PeriodKind::kTenDay, 2026, 3, 2};
const Period kMarch{PeriodKind::kMonth, 2026, 3, 0};
const Period kQ1{PeriodKind::kQuarter, 2026, 1, 0};

class ScreeningTest : public testing::LedgerFixture {
 protected:
  void SetUp() override {
    config.track_from = CivilDay(2026, 3, 1);
    config.daily_report_units.clear();
    Reconfigure();
    Effects ignored;
    ledger->Tick(At("2026-03-01T01:00:00Z"), ignored);
  }

  static ScreeningReportRequest Zero(const Period& period) {
    ScreeningReportRequest request;
    request.period = period;
    request.zero_report = true;
    request.screened_by = "李干事";
    return request;
  }

  Result<ScreeningOutcome> File(const ScreeningReportRequest& request, const std::string& unit,
                                Time now, Effects* effects = nullptr) {
    Effects out;
    auto outcome = ledger->FileScreening(request, Actor::Agent(unit), now, out);
    if (effects != nullptr) *effects = std::move(out);
    return outcome;
  }

  // (unit, reference) of every reminder order in one Tick.
  std::vector<std::string> Reminders(Time now) {
    Effects out;
    ledger->Tick(now, out);
    std::vector<std::string> reminders;
    for (const OrderRequest& order : out.orders) {
      if (order.kind == OrderKind::kReminder && order.title.find("排查") != std::string::npos) {
        reminders.push_back(order.reference_id);
      }
    }
    size_t alerts = 0;
    for (const HqAlert& alert : out.alerts) alerts += alert.kind == "report_overdue" ? 1 : 0;
    EXPECT_EQ(alerts, reminders.size()) << "one HQ alert per reminder";
    return reminders;
  }
};

TEST_F(ScreeningTest, ZeroReportsCountAsFiledAndSilentUnitsGetOneReminder) {
  const Time mid = At("2026-03-09T02:00:00Z");
  ASSERT_TRUE(File(Zero(kMarchT1), "mine-1", mid).ok());
  ScreeningReportRequest findings;
  findings.period = kMarchT1;
  findings.findings.push_back(
      {"", "three-supplies-handover", "供暖费用分摊有异议", 40, RiskLevel::kHigh});
  auto filed = File(findings, "mine-2", mid);
  ASSERT_TRUE(filed.ok()) << filed.status();
  // factory-1 files nothing.

  // T1 closes at local midnight 10/11 March (16:00Z on the 10th); grace 2 days.
  const Time due = At("2026-03-12T16:00:00Z");
  EXPECT_TRUE(Reminders(due - microseconds(1)).empty());
  EXPECT_THAT(Reminders(due), ElementsAre("factory-1/2026-03-T1"));
  EXPECT_TRUE(Reminders(due + hours(1)).empty());   // once
  EXPECT_TRUE(Reminders(due + hours(48)).empty());  // still once
  const ScreeningReminder* reminder = ledger->FindScreeningReminder("factory-1", kMarchT1);
  ASSERT_NE(reminder, nullptr);
  EXPECT_EQ(reminder->sent_at, due);

  const auto status = ledger->ScreeningStatus(kMarchT1, due);
  ASSERT_EQ(status.size(), 3u);
  EXPECT_TRUE(status[0].filed && status[0].zero_report && !status[0].overdue);
  EXPECT_TRUE(status[1].filed && !status[1].zero_report);
  EXPECT_TRUE(!status[2].filed && status[2].overdue);
  EXPECT_EQ(status[2].reminded_at, due);
}

TEST_F(ScreeningTest, TheReminderCarriesTheOrderAndTheAlert) {
  Effects out;
  ledger->Tick(At("2026-03-12T16:00:00Z"), out);
  std::vector<std::string> units;
  for (const OrderRequest& order : out.orders) {
    if (order.reference_id.find("2026-03-T1") == std::string::npos) continue;
    units.push_back(order.unit_id);
    EXPECT_EQ(order.kind, OrderKind::kReminder);
    EXPECT_THAT(order.title, HasSubstr("2026年3月上旬"));
    EXPECT_THAT(order.text, HasSubstr("零报告"));
    EXPECT_EQ(order.respond_by, At("2026-03-13T16:00:00Z"));
  }
  EXPECT_THAT(units, ElementsAre("mine-1", "mine-2", "factory-1"));
  bool alerted = false;
  for (const HqAlert& alert : out.alerts) {
    if (alert.reference_id == "factory-1/2026-03-T1") {
      alerted = true;
      EXPECT_EQ(alert.kind, "report_overdue");
      EXPECT_EQ(alert.unit_id, "factory-1");
    }
  }
  EXPECT_TRUE(alerted);
  EXPECT_THAT(out.changed,
              ::testing::Contains(RecordRef{"screening_reminder", "factory-1/2026-03-T1"}));
}

TEST_F(ScreeningTest, MonthAndQuarterPeriodsFollowTheirOwnGrace) {
  for (const std::string unit : {"mine-1", "mine-2"}) {
    ASSERT_TRUE(File(Zero(kMarch), unit, At("2026-03-30T02:00:00Z")).ok());
    ASSERT_TRUE(File(Zero(kQ1), unit, At("2026-03-30T02:00:00Z")).ok());
  }
  // Every unit is silent for the March ten-day periods; ignore those.
  auto screening_of = [](const std::vector<std::string>& refs, std::string_view period) {
    std::vector<std::string> matching;
    for (const std::string& ref : refs) {
      if (ref.size() >= period.size() && ref.substr(ref.size() - period.size()) == period) {
        matching.push_back(ref);
      }
    }
    return matching;
  };
  // March ends at 16:00Z on the 31st; month grace 3 days, quarter 5 days.
  EXPECT_TRUE(screening_of(Reminders(At("2026-04-03T15:59:59Z")), "/2026-03").empty());
  EXPECT_THAT(screening_of(Reminders(At("2026-04-03T16:00:00Z")), "/2026-03"),
              ElementsAre("factory-1/2026-03"));
  EXPECT_TRUE(screening_of(Reminders(At("2026-04-05T15:59:59Z")), "/2026-Q1").empty());
  EXPECT_THAT(screening_of(Reminders(At("2026-04-05T16:00:00Z")), "/2026-Q1"),
              ElementsAre("factory-1/2026-Q1"));
}

TEST_F(ScreeningTest, PeriodsBeforeTrackingBeganAreNotChased) {
  // Tracking started on 1 March: February's periods never produce reminders.
  const auto refs = Reminders(At("2026-03-12T16:00:00Z"));
  for (const std::string& ref : refs) EXPECT_THAT(ref, ::testing::Not(HasSubstr("2026-02")));
  EXPECT_EQ(refs.size(), 3u);  // T1 of March for each unit
}

TEST_F(ScreeningTest, FindingsBecomeOrConfirmLedgerItems) {
  const std::string existing = Register(At("2026-03-02T02:00:00Z"));
  ScreeningReportRequest request;
  request.period = kMarchT1;
  request.findings.push_back({existing, "", "仍有12人未签协议", 0, RiskLevel::kHigh});
  request.findings.push_back(
      {"", "labour-contract-compensation", "补偿金计算有争议", 6, std::nullopt});
  Effects out;
  auto outcome = File(request, "mine-1", At("2026-03-09T02:00:00Z"), &out);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  ASSERT_EQ(outcome->ledger_item_ids.size(), 2u);
  EXPECT_EQ(outcome->ledger_item_ids[0], existing);
  const LedgerItem* created = ledger->FindItem(outcome->ledger_item_ids[1]);
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(created->source, ItemSource::kScreening);
  EXPECT_EQ(created->source_ref, "mine-1/2026-03-T1");
  EXPECT_EQ(created->lead_department, "人力资源部");
  EXPECT_EQ(created->level, RiskLevel::kMedium);
  const LedgerItem* confirmed = ledger->FindItem(existing);
  EXPECT_EQ(confirmed->level, RiskLevel::kHigh);
  EXPECT_EQ(confirmed->history.back().action, kActionScreeningConfirmed);
  EXPECT_FALSE(outcome->late);
  EXPECT_THAT(out.changed, ::testing::Contains(RecordRef{"screening_report", "mine-1/2026-03-T1"}));
}

TEST_F(ScreeningTest, MalformedFilingsAreRejected) {
  const Time now = At("2026-03-09T02:00:00Z");
  const std::string other_units_item = Register(now, "mine-2");
  ScreeningReportRequest request = Zero(kMarchT1);
  request.findings.push_back({"", "other", "x", 1, std::nullopt});
  EXPECT_THAT(File(request, "mine-1", now).status().message(), HasSubstr("must not list"));
  request = Zero(kMarchT1);
  request.zero_report = false;
  EXPECT_THAT(File(request, "mine-1", now).status().message(), HasSubstr("zero report"));
  EXPECT_THAT(File(Zero(kMarchT2), "mine-1", now).status().message(), HasSubstr("has not begun"));
  EXPECT_EQ(File(Zero(Period{PeriodKind::kTenDay, 2026, 3, 4}), "mine-1", now).status().code(),
            StatusCode::kInvalidArgument);
  request = Zero(kMarchT1);
  request.zero_report = false;
  request.findings.push_back({"", "", "无类别", 1, std::nullopt});
  EXPECT_THAT(File(request, "mine-1", now).status().message(), HasSubstr("findings[0]"));
  request.findings[0] = {other_units_item, "", "", 0, std::nullopt};
  EXPECT_EQ(File(request, "mine-1", now).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(ledger->FindScreening("mine-1", kMarchT1), nullptr);
}

TEST_F(ScreeningTest, ASecondFilingReplacesTheFirstAndKeepsIt) {
  const Time first_time = At("2026-03-05T02:00:00Z");
  ASSERT_TRUE(File(Zero(kMarchT1), "mine-1", first_time).ok());
  // The identical filing again (a retransmission): nothing changes.
  Effects out;
  auto same = File(Zero(kMarchT1), "mine-1", first_time + hours(1), &out);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->unchanged);
  EXPECT_TRUE(out.empty());
  // Something was found after all.
  ScreeningReportRequest request;
  request.period = kMarchT1;
  request.findings.push_back({"", "other", "职工反映食堂承包问题", 3, std::nullopt});
  auto second = File(request, "mine-1", first_time + hours(24), &out);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->revision, 2u);
  const ScreeningRecord* record = ledger->FindScreening("mine-1", kMarchT1);
  ASSERT_NE(record, nullptr);
  EXPECT_FALSE(record->content.zero_report);
  EXPECT_EQ(record->first_filed_at, first_time);
  EXPECT_EQ(record->filed_at, first_time + hours(24));
  ASSERT_EQ(record->earlier.size(), 1u);
  EXPECT_TRUE(record->earlier[0].content.zero_report);
  EXPECT_EQ(record->earlier[0].revision, 1u);
  EXPECT_THAT(out.notices.back().summary, HasSubstr("第 2 次报送"));
  // Re-sending revision 2 creates no second item.
  const size_t items = ledger->items().size();
  auto again = File(request, "mine-1", first_time + hours(25));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->unchanged);
  EXPECT_EQ(ledger->items().size(), items);
}

TEST_F(ScreeningTest, ALateFilingIsAcceptedAndMarkedLate) {
  EXPECT_EQ(Reminders(At("2026-03-12T16:00:00Z")).size(), 3u);
  auto late = File(Zero(kMarchT1), "factory-1", At("2026-03-13T02:00:00Z"));
  ASSERT_TRUE(late.ok());
  EXPECT_TRUE(late->late);
  const auto status = ledger->ScreeningStatus(kMarchT1, At("2026-03-13T02:00:00Z"));
  EXPECT_TRUE(status[2].filed);
  EXPECT_TRUE(status[2].late);
  EXPECT_FALSE(status[2].overdue);
}

// Lateness is judged by when the unit filed (an agent's judged filing
// time), not by when the report reached headquarters.
TEST_F(ScreeningTest, LatenessIsJudgedByTheFilingTimeAtThePeriodBoundary) {
  const Time due = PeriodEnd(kMarchT1, org.time_zone()) + config.grace(PeriodKind::kTenDay);
  // Filed a microsecond before the due time at a mine whose link was down;
  // received five hours later.
  ScreeningReportRequest request = Zero(kMarchT1);
  request.filed_at = due - microseconds(1);
  auto on_time = File(request, "mine-1", due + hours(5));
  ASSERT_TRUE(on_time.ok());
  EXPECT_FALSE(on_time->late);
  const ScreeningRecord* record = ledger->FindScreening("mine-1", kMarchT1);
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->first_filed_at, due - microseconds(1));
  // Filed exactly at the due time: late.
  request.filed_at = due;
  auto late = File(request, "mine-2", due + hours(5));
  ASSERT_TRUE(late.ok());
  EXPECT_TRUE(late->late);
}

TEST_F(ScreeningTest, AFilingTimeBeforeThePeriodOrAfterNowIsNotTrusted) {
  const Time due = PeriodEnd(kMarchT1, org.time_zone()) + config.grace(PeriodKind::kTenDay);
  // A report for March 1–10 cannot have been filed in February: the claim
  // is not trusted and the report is judged by its receipt.
  ScreeningReportRequest request = Zero(kMarchT1);
  request.filed_at = PeriodStart(kMarchT1, org.time_zone()) - hours(1);
  auto backdated = File(request, "mine-1", due + hours(1));
  ASSERT_TRUE(backdated.ok());
  EXPECT_TRUE(backdated->late);
  // A filing time after the receipt is the receipt.
  request.filed_at = due + hours(10);
  auto future = File(request, "mine-2", due - hours(1));
  ASSERT_TRUE(future.ok());
  EXPECT_FALSE(future->late);
  EXPECT_EQ(ledger->FindScreening("mine-2", kMarchT1)->filed_at, due - hours(1));
}

}  // namespace
}  // namespace anding::core::ledger

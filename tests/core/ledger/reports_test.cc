// Daily risk reports, the company daily summary (on demand and at the
// configured time) and the monthly ledger summary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "anding/core/ledger/summaries.h"
#include "core/ledger/fixture.h"

namespace anding::core::ledger {
namespace {

using std::chrono::hours;
using testing::At;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::SampleRegistration;

class ReportsTest : public testing::LedgerFixture {
 protected:
  Result<DailyReportOutcome> FileDaily(const std::string& unit, CivilDay day, bool zero, Time now,
                                       Effects* effects = nullptr) {
    DailyReportRequest request;
    request.day = day;
    request.zero_report = zero;
    if (!zero) {
      request.new_warnings = 1;
      request.visit_batches = 2;
      request.visit_persons = 5;
      request.text = "接待来访2批5人";
    }
    Effects out;
    auto outcome = ledger->FileDailyReport(request, Actor::Agent(unit), now, out);
    if (effects != nullptr) *effects = std::move(out);
    return outcome;
  }

  static const DailySummaryRow* RowOf(const DailySummary& summary, std::string_view unit) {
    for (const DailySummaryRow& row : summary.rows) {
      if (row.unit_id == unit) return &row;
    }
    return nullptr;
  }
};

TEST_F(ReportsTest, DailyReportsAreOnePerUnitAndDay) {
  const CivilDay today(2026, 3, 2);
  Effects out;
  auto first = FileDaily("mine-1", today, false, t0, &out);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->key, "mine-1/2026-03-02");
  EXPECT_EQ(out.changed, (std::vector<RecordRef>{{"daily_report", "mine-1/2026-03-02"}}));
  ASSERT_EQ(out.notices.size(), 1u);
  EXPECT_EQ(out.notices[0].state, "filed");
  // A retransmission changes nothing; a correction replaces and keeps history.
  auto same = FileDaily("mine-1", today, false, t0 + hours(1), &out);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->unchanged);
  EXPECT_TRUE(out.empty());
  auto corrected = FileDaily("mine-1", today, true, t0 + hours(2));
  ASSERT_TRUE(corrected.ok());
  EXPECT_EQ(corrected->revision, 2u);
  const DailyReportRecord* record = ledger->FindDailyReport("mine-1", today);
  EXPECT_TRUE(record->content.zero_report);
  ASSERT_EQ(record->earlier.size(), 1u);
  EXPECT_EQ(record->earlier[0].content.visit_persons, 5u);
  // Yesterday may still be filed; tomorrow may not (in local days).
  EXPECT_TRUE(FileDaily("mine-2", CivilDay(2026, 3, 1), true, t0).ok());
  EXPECT_THAT(FileDaily("mine-2", CivilDay(2026, 3, 3), true, t0).status().message(),
              HasSubstr("in the future"));
  EXPECT_TRUE(FileDaily("mine-2", CivilDay(2026, 3, 3), true, At("2026-03-02T16:00:00Z")).ok());
  // A zero report with counts is contradictory.
  DailyReportRequest bad;
  bad.day = today;
  bad.zero_report = true;
  bad.visit_batches = 1;
  bad.visit_persons = 1;
  EXPECT_EQ(ledger->FileDailyReport(bad, Actor::Agent("mine-2"), t0, out).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ledger->FileDailyReport(bad, Actor::Agent("mine-9"), t0, out).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(ReportsTest, TheDailySummaryCountsPerUnitAndNamesTheSilentUnits) {
  const CivilDay day(2026, 3, 2);
  Effects ignore;
  // An item from last week, still open and by now overdue (no updates).
  const std::string old_item = Register(At("2026-02-25T02:00:00Z"));
  // Yesterday 23:59:59 local: a warning from mine-2 opens an item; neither
  // counts as today's.
  EarlyWarningRequest warning;
  warning.summary = "苗头";
  warning.category_id = "labour-contract-compensation";
  ASSERT_TRUE(
      ledger->ReceiveWarning(warning, Actor::Agent("mine-2"), At("2026-03-01T15:59:59Z"), ignore)
          .ok());
  // Two new items today at mine-2; one closed out again the same day.
  const std::string open_today = Register(t0, "mine-2");
  const std::string closed_today = Register(t0, "mine-2", "other");
  UpdateItemRequest resolve;
  resolve.item_id = closed_today;
  resolve.resolution = "当场解释到位";
  ASSERT_TRUE(ledger->Update(resolve, Actor::Operator("zhang"), t0 + hours(1), ignore).ok());
  ASSERT_TRUE(ledger
                  ->CloseOut(CloseOutRequest{closed_today, "", "王矿长", std::nullopt},
                             Actor::Operator("zhang"), t0 + hours(2), ignore)
                  .ok());
  // Today at mine-1: one ordinary warning (opens an item), one major
  // (Beijing, joins it).
  warning.category_id = "other";
  ASSERT_TRUE(ledger->ReceiveWarning(warning, Actor::Agent("mine-1"), t0, ignore).ok());
  warning.destination_region_id = "beijing";
  ASSERT_TRUE(ledger->ReceiveWarning(warning, Actor::Agent("mine-1"), t0, ignore).ok());
  // Daily reports: mine-1 files, mine-2 files zero, factory-1 is silent.
  ASSERT_TRUE(FileDaily("mine-1", day, false, t0).ok());
  ASSERT_TRUE(FileDaily("mine-2", day, true, t0).ok());

  const DailySummary summary =
      BuildDailySummary(*ledger, day, At("2026-03-03T01:00:00Z"), {{"mine-1", 1}});
  EXPECT_EQ(summary.cutoff, At("2026-03-02T16:00:00Z"));
  EXPECT_THAT(summary.units_not_reported, ElementsAre("factory-1"));
  ASSERT_EQ(summary.rows.size(), 3u);
  const DailySummaryRow* mine1 = RowOf(summary, "mine-1");
  ASSERT_NE(mine1, nullptr);
  EXPECT_EQ(mine1->report, DailyReportStatus::kFiled);
  EXPECT_EQ(mine1->new_items, 1u);      // the item the first warning created
  EXPECT_EQ(mine1->open_items, 2u);     // old_item + that one
  EXPECT_EQ(mine1->overdue_items, 1u);  // old_item, no update since 25 Feb
  EXPECT_EQ(mine1->warnings, 2u);
  EXPECT_EQ(mine1->special_reports, 1u);
  EXPECT_EQ(mine1->incidents, 1u);
  EXPECT_EQ(mine1->visit_persons, 5u);
  const DailySummaryRow* mine2 = RowOf(summary, "mine-2");
  EXPECT_EQ(mine2->report, DailyReportStatus::kZeroReport);
  EXPECT_EQ(mine2->new_items, 2u);
  EXPECT_EQ(mine2->open_items, 2u);     // open_today + yesterday's warning item
  EXPECT_EQ(mine2->overdue_items, 1u);  // yesterday's item: 24h without an update
  EXPECT_EQ(mine2->warnings, 0u);
  const DailySummaryRow* factory = RowOf(summary, "factory-1");
  EXPECT_EQ(factory->report, DailyReportStatus::kMissing);
  EXPECT_EQ(summary.totals.new_items, 3u);
  EXPECT_EQ(summary.totals.open_items, 4u);
  EXPECT_EQ(summary.totals.warnings, 2u);
  EXPECT_EQ(summary.totals.incidents, 1u);
  EXPECT_EQ(summary.rows[0].unit_id, "mine-1");  // configured order

  // Petition matters near or past their limits, from the visits module,
  // count per unit; a unit with nothing else to report gets a row for them.
  const DailySummary with_matters =
      BuildDailySummary(*ledger, day, At("2026-03-03T01:00:00Z"), [&](CivilDay asked, Time cutoff) {
        EXPECT_EQ(asked, day);
        EXPECT_EQ(cutoff, At("2026-03-02T16:00:00Z"));
        return SummaryInputs{{{"mine-1", 1}}, {{"mine-1", {1, 2}}, {"mine-3", {0, 1}}}};
      });
  EXPECT_EQ(RowOf(with_matters, "mine-1")->incidents, 1u);
  EXPECT_EQ(RowOf(with_matters, "mine-1")->matters_due_soon, 1u);
  EXPECT_EQ(RowOf(with_matters, "mine-1")->matters_overdue, 2u);
  ASSERT_NE(RowOf(with_matters, "mine-3"), nullptr);
  EXPECT_EQ(RowOf(with_matters, "mine-3")->report, DailyReportStatus::kNotRequired);
  EXPECT_EQ(with_matters.totals.matters_due_soon, 1u);
  EXPECT_EQ(with_matters.totals.matters_overdue, 3u);
  EXPECT_EQ(summary.totals.matters_overdue, 0u);

  // On demand during the day the cutoff is now.
  const DailySummary partial = BuildDailySummary(*ledger, day, t0 + hours(1));
  EXPECT_EQ(partial.cutoff, t0 + hours(1));
  EXPECT_EQ(RowOf(partial, "mine-2")->open_items, 3u);  // closed only at t0 + 2h
  EXPECT_EQ(old_item, "TZ-2026-0001");
}

TEST_F(ReportsTest, TheDailySummaryRunsOnceAtTheConfiguredTime) {
  config.screening_units.clear();
  config.track_from = CivilDay(2026, 3, 1);
  Reconfigure();
  Effects out;
  // First start at 08:00 local, before 08:30: a baseline, no summary.
  ledger->Tick(At("2026-03-05T00:00:00Z"), out);
  for (const HqAlert& alert : out.alerts) EXPECT_NE(alert.kind, "daily_summary");
  EXPECT_EQ(ledger->NextWakeup(), At("2026-03-05T00:30:00Z"));
  ASSERT_TRUE(FileDaily("mine-1", CivilDay(2026, 3, 4), true, At("2026-03-05T00:10:00Z")).ok());

  // What the incidents and the petition matters add, as the dispatcher
  // sets it: counted at the covered day's end.
  ledger->SetSummaryInputs([](CivilDay, Time cutoff) {
    EXPECT_EQ(cutoff, At("2026-03-04T16:00:00Z"));
    return SummaryInputs{{{"mine-1", 2}}, {{"mine-2", {1, 1}}}};
  });
  out = Effects{};
  ledger->Tick(At("2026-03-05T00:30:00Z"), out);
  ASSERT_EQ(out.alerts.size(), 1u);
  EXPECT_EQ(out.alerts[0].kind, "daily_summary");
  EXPECT_THAT(out.alerts[0].text, HasSubstr("突发事件 2 起；信访事项临期 1 件，超期 1 件。"));
  EXPECT_EQ(out.alerts[0].reference_id, "2026-03-04");             // the previous day
  EXPECT_EQ(out.alerts[0].severity, HqAlert::Severity::kWarning);  // two units silent
  EXPECT_THAT(out.alerts[0].text, HasSubstr("未报：二矿、机修厂"));
  ASSERT_EQ(out.notices.size(), 1u);
  EXPECT_EQ(out.notices[0].kind, "daily_summary");
  EXPECT_EQ(out.notices[0].id, "2026-03-04");
  std::vector<std::string> reminded;
  for (const OrderRequest& order : out.orders) {
    EXPECT_EQ(order.kind, OrderKind::kReminder);
    EXPECT_EQ(order.reference_id, order.unit_id + "/2026-03-04");
    reminded.push_back(order.unit_id);
  }
  EXPECT_THAT(reminded, ElementsAre("mine-2", "factory-1"));
  EXPECT_EQ(ledger->meta().last_daily_summary_run, CivilDay(2026, 3, 5));

  out = Effects{};
  ledger->Tick(At("2026-03-05T10:00:00Z"), out);
  EXPECT_TRUE(out.alerts.empty());
  EXPECT_EQ(ledger->NextWakeup(), At("2026-03-06T00:30:00Z"));
}

TEST_F(ReportsTest, ANewInstallationDoesNotSummariseDaysBeforeItStarted) {
  config.screening_units.clear();
  Reconfigure();
  Effects out;
  // First start on 5 March at 18:00 local, after the 08:30 summary time:
  // 4 March predates the installation, so nobody is reminded about it.
  ledger->Tick(At("2026-03-05T10:00:00Z"), out);
  for (const HqAlert& alert : out.alerts) EXPECT_NE(alert.kind, "daily_summary");
  EXPECT_TRUE(out.orders.empty());
  // The next morning's summary covers 5 March, the first tracked day.
  out = Effects{};
  ledger->Tick(At("2026-03-06T00:30:00Z"), out);
  ASSERT_EQ(out.alerts.size(), 1u);
  EXPECT_EQ(out.alerts[0].reference_id, "2026-03-05");
}

TEST_F(ReportsTest, SameDaySummariesAndStartsAfterTheTime) {
  config.screening_units.clear();
  config.summary_hour = 17;
  config.summary_minute = 0;
  config.summary_covers = SummaryCovers::kSameDay;
  config.remind_missing_daily_reports = false;
  Reconfigure();
  for (const std::string unit : {"mine-1", "mine-2", "factory-1"}) {
    ASSERT_TRUE(FileDaily(unit, CivilDay(2026, 3, 5), true, At("2026-03-05T08:00:00Z")).ok());
  }
  Effects out;
  // First start at 18:00 local, after 17:00: today's summary runs at once.
  ledger->Tick(At("2026-03-05T10:00:00Z"), out);
  ASSERT_EQ(out.alerts.size(), 1u);
  EXPECT_EQ(out.alerts[0].reference_id, "2026-03-05");
  EXPECT_EQ(out.alerts[0].severity, HqAlert::Severity::kInfo);
  EXPECT_THAT(out.alerts[0].text, HasSubstr("未报：无"));
  EXPECT_TRUE(out.orders.empty());
}

TEST_F(ReportsTest, TheMonthlySummaryCountsFromHistory) {
  // February: one item registered, still open at the end of February.
  const std::string feb = Register(At("2026-02-10T02:00:00Z"));
  // March: two new items (mine-1 retirees, mine-2 other); feb closed after
  // 30 days, one March item closed after 2 days, then reopened.
  const std::string march_a = Register(At("2026-03-03T02:00:00Z"));
  const std::string march_b = Register(At("2026-03-04T02:00:00Z"), "mine-2", "other");
  ASSERT_TRUE(Resolve(feb, At("2026-03-12T01:00:00Z")).ok());
  ASSERT_TRUE(CloseOut(feb, At("2026-03-12T02:00:00Z")).ok());  // 30 days
  ASSERT_TRUE(Resolve(march_a, At("2026-03-05T01:00:00Z")).ok());
  ASSERT_TRUE(CloseOut(march_a, At("2026-03-05T02:00:00Z")).ok());  // 2 days
  ASSERT_TRUE(Reopen(march_a, At("2026-03-20T02:00:00Z")).ok());
  ASSERT_TRUE(Progress(march_a, At("2026-03-31T10:00:00Z")).ok());
  // April activity must not change March's figures.
  Register(At("2026-04-02T02:00:00Z"));

  const MonthlySummary march =
      BuildMonthlySummary(*ledger, absl::CivilMonth(2026, 3), At("2026-04-10T00:00:00Z"));
  EXPECT_EQ(march.cutoff, At("2026-03-31T16:00:00Z"));
  EXPECT_EQ(march.totals.opened, 2u);
  EXPECT_EQ(march.totals.closed_out, 2u);
  EXPECT_EQ(march.totals.reopened, 1u);
  EXPECT_EQ(march.totals.still_open, 2u);  // march_a (reopened), march_b
  // march_b has had no update since 4 March; march_a was updated on the
  // last day of the month but its deadline (20 days after registration)
  // passed on the 23rd.
  EXPECT_EQ(march.totals.overdue, 2u);
  ASSERT_TRUE(march.average_days_to_close.has_value());
  EXPECT_DOUBLE_EQ(*march.average_days_to_close, 16.0);  // (30 + 2) / 2
  ASSERT_EQ(march.by_unit.size(), 2u);
  EXPECT_EQ(march.by_unit[0].key, "mine-1");
  EXPECT_EQ(march.by_unit[0].opened, 1u);
  EXPECT_EQ(march.by_unit[0].closed_out, 2u);
  EXPECT_EQ(march.by_unit[1].key, "mine-2");
  EXPECT_EQ(march.by_unit[1].still_open, 1u);
  ASSERT_EQ(march.by_category.size(), 2u);
  EXPECT_EQ(march.by_category[0].key, "retiree-management");  // configured order
  EXPECT_EQ(march.by_category[1].key, "other");

  const MonthlySummary february =
      BuildMonthlySummary(*ledger, absl::CivilMonth(2026, 2), At("2026-04-10T00:00:00Z"));
  EXPECT_EQ(february.totals.opened, 1u);
  EXPECT_EQ(february.totals.closed_out, 0u);
  EXPECT_EQ(february.totals.still_open, 1u);  // closed only in March
  EXPECT_FALSE(february.average_days_to_close.has_value());

  // Closing march_b in April does not change March.
  ASSERT_TRUE(
      Progress(march_b, At("2026-04-11T00:00:00Z"), "已协商", Actor::Operator("zhang")).ok());
  ASSERT_TRUE(Resolve(march_a, At("2026-04-11T00:00:00Z")).ok());
  ASSERT_TRUE(CloseOut(march_a, At("2026-04-11T00:00:00Z")).ok());
  const MonthlySummary again =
      BuildMonthlySummary(*ledger, absl::CivilMonth(2026, 3), At("2026-04-12T00:00:00Z"));
  EXPECT_EQ(again.totals, march.totals);
}

// A daily report is on time when it was filed (the agent's judged filing
// time) before the company daily summary covering its day was due (08:30
// the next morning by default); one that took its day from a wrong clock
// is filed under the day of that filing time.
TEST_F(ReportsTest, DailyReportLatenessAndDayFollowTheFilingTime) {
  const TimeZone& zone = org.time_zone();
  const CivilDay day(2026, 3, 10);
  const Time due = zone.At(day + 1, config.summary_hour, config.summary_minute);
  DailyReportRequest request;
  request.day = day;
  request.zero_report = true;
  request.filed_at = due - std::chrono::microseconds(1);
  Effects out;
  // Received hours later (the link was down when it was due): on time.
  auto on_time = ledger->FileDailyReport(request, Actor::Agent("mine-1"), due + hours(8), out);
  ASSERT_TRUE(on_time.ok()) << on_time.status().ToString();
  EXPECT_FALSE(on_time->late);
  EXPECT_EQ(ledger->FindDailyReport("mine-1", day)->filed_at, *request.filed_at);
  // Filed when it was due: late, and the notice says so.
  request.filed_at = due;
  auto late = ledger->FileDailyReport(request, Actor::Agent("mine-2"), due + hours(8), out);
  ASSERT_TRUE(late.ok());
  EXPECT_TRUE(late->late);
  EXPECT_THAT(out.notices.back().summary, HasSubstr("逾期"));

  // A clock two hours slow after midnight took "today" to be the 10th; the
  // filing time (corrected) is 01:00 on the 11th: filed under the 11th.
  DailyReportRequest from_clock;
  from_clock.day = day;
  from_clock.day_from_clock = true;
  from_clock.zero_report = true;
  from_clock.filed_at = zone.StartOf(day + 1) + hours(1);
  auto filed = ledger->FileDailyReport(from_clock, Actor::Agent("factory-1"),
                                       zone.StartOf(day + 1) + hours(1), out);
  ASSERT_TRUE(filed.ok());
  EXPECT_FALSE(filed->late);
  EXPECT_EQ(ledger->FindDailyReport("factory-1", day), nullptr);
  EXPECT_NE(ledger->FindDailyReport("factory-1", day + 1), nullptr);

  // A filing time before the report's day is not trusted: its receipt counts.
  DailyReportRequest backdated;
  backdated.day = day + 1;
  backdated.zero_report = true;
  backdated.filed_at = zone.StartOf(day) + hours(12);
  auto judged = ledger->FileDailyReport(backdated, Actor::Agent("mine-1"),
                                        zone.StartOf(day + 2) + hours(9), out);
  ASSERT_TRUE(judged.ok());
  EXPECT_TRUE(judged->late);
}

}  // namespace
}  // namespace anding::core::ledger

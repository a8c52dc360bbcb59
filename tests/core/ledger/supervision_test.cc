// Daily updates and supervision (督办): overdue items produce one event per
// item per local day.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/ledger/fixture.h"

namespace anding::core::ledger {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using testing::At;
using ::testing::HasSubstr;
using testing::SampleRegistration;

class SupervisionTest : public testing::LedgerFixture {
 protected:
  void SetUp() override {
    // Baselines for the timers; no screening units so only items matter.
    config.screening_units.clear();
    config.daily_report_units.clear();
    Reconfigure();
    Effects ignored;
    ledger->Tick(t0 - hours(1), ignored);
  }

  // Alerts of kind "ledger_overdue" from one Tick.
  std::vector<HqAlert> OverdueAlerts(Time now, Effects* effects = nullptr) {
    Effects out;
    ledger->Tick(now, out);
    std::vector<HqAlert> alerts;
    for (const HqAlert& alert : out.alerts) {
      if (alert.kind == "ledger_overdue") alerts.push_back(alert);
    }
    if (effects != nullptr) *effects = std::move(out);
    return alerts;
  }
};

TEST_F(SupervisionTest, AMissingUpdateFiresOncePerItemPerLocalDay) {
  const std::string id = Register(t0);  // 10:00 local, Monday 2 March
  EXPECT_TRUE(OverdueAlerts(t0 + hours(24) - microseconds(1)).empty());

  Effects out;
  const auto alerts = OverdueAlerts(t0 + hours(24), &out);  // Tuesday 10:00
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].reference_id, id);
  EXPECT_EQ(alerts[0].unit_id, "mine-1");
  EXPECT_EQ(alerts[0].severity, HqAlert::Severity::kWarning);
  EXPECT_THAT(alerts[0].text, HasSubstr("未报送处置进展"));
  ASSERT_EQ(out.orders.size(), 1u);
  EXPECT_EQ(out.orders[0].kind, OrderKind::kSupervision);
  EXPECT_EQ(out.orders[0].unit_id, "mine-1");
  EXPECT_EQ(out.orders[0].reference_id, id);
  EXPECT_EQ(out.orders[0].respond_by, t0 + hours(48));
  ASSERT_EQ(out.notices.size(), 1u);
  EXPECT_EQ(out.notices[0].state, "overdue");
  EXPECT_EQ(out.changed, (std::vector<RecordRef>{{"ledger_item", id}}));
  EXPECT_EQ(ledger->FindItem(id)->overdue_notified_day, CivilDay(2026, 3, 3));
  EXPECT_EQ(ledger->FindItem(id)->history.back().action, kActionSupervised);

  // Later the same local day: nothing, however often Tick runs.
  EXPECT_TRUE(OverdueAlerts(t0 + hours(25)).empty());
  EXPECT_TRUE(OverdueAlerts(t0 + hours(37)).empty());  // 23:00 local
  // Wednesday: still no update, so once more.
  EXPECT_EQ(OverdueAlerts(t0 + hours(38)).size(), 1u);  // 00:00 local
  EXPECT_TRUE(OverdueAlerts(t0 + hours(40)).empty());
}

TEST_F(SupervisionTest, TheDayTurnsAtLocalMidnight) {
  const std::string id = Register(At("2026-03-02T00:00:00Z"));  // 08:00 local
  // Overdue from 08:00 local on 3 March; first event at 23:59:59 local.
  EXPECT_EQ(OverdueAlerts(At("2026-03-03T15:59:59Z")).size(), 1u);
  // One second later it is 4 March in Shanghai: a new day, a new event,
  // although UTC is still on the 3rd.
  EXPECT_EQ(OverdueAlerts(At("2026-03-03T16:00:00Z")).size(), 1u);
  EXPECT_TRUE(OverdueAlerts(At("2026-03-04T15:59:59Z")).empty());
  EXPECT_EQ(ledger->FindItem(id)->overdue_notified_day, CivilDay(2026, 3, 4));
}

TEST_F(SupervisionTest, ProgressUpdatesKeepAnItemOffTheList) {
  const std::string id = Register(t0);
  ASSERT_TRUE(Progress(id, t0 + hours(20)).ok());
  EXPECT_TRUE(OverdueAlerts(t0 + hours(24)).empty());
  EXPECT_TRUE(OverdueAlerts(t0 + hours(44) - microseconds(1)).empty());
  EXPECT_EQ(OverdueAlerts(t0 + hours(44)).size(), 1u);
}

TEST_F(SupervisionTest, APassedDeadlineIsOverdueEvenWithFreshUpdates) {
  Effects out;
  RegisterItemRequest request = SampleRegistration();
  request.deadline = t0 + hours(30);
  auto id = ledger->Register(request, Actor::Agent("mine-1"), t0, out);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(Progress(*id, t0 + hours(23)).ok());
  EXPECT_TRUE(OverdueAlerts(t0 + hours(30) - microseconds(1)).empty());
  ASSERT_TRUE(Progress(*id, t0 + hours(29)).ok());
  const auto alerts = OverdueAlerts(t0 + hours(30));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_THAT(alerts[0].text, HasSubstr("已超过办结时限"));
  EXPECT_THAT(alerts[0].text, ::testing::Not(HasSubstr("未报送处置进展")));
  EXPECT_TRUE(ledger->Overdue(*ledger->FindItem(*id), t0 + hours(30)).deadline_passed);
}

TEST_F(SupervisionTest, ResolvedAndClosedItemsAreNotChased) {
  const std::string resolved = Register(t0);
  ASSERT_TRUE(Resolve(resolved, t0 + hours(1)).ok());
  const std::string closed = Register(t0);
  ASSERT_TRUE(Resolve(closed, t0 + hours(1)).ok());
  ASSERT_TRUE(CloseOut(closed, t0 + hours(1)).ok());
  EXPECT_TRUE(OverdueAlerts(t0 + hours(24 * 40)).empty());
  // A rebound puts the item back under supervision.
  ASSERT_TRUE(Reopen(closed, t0 + hours(24 * 40)).ok());
  EXPECT_TRUE(OverdueAlerts(t0 + hours(24 * 40 + 1)).size() == 1u);  // old deadline passed
}

TEST_F(SupervisionTest, NextWakeupPointsAtTheNextDueEvent) {
  Effects out;
  Ledger fresh(org, config);
  EXPECT_EQ(fresh.NextWakeup(), Time{});  // before the first Tick: now
  const std::string id = Register(t0);
  // The daily summary (08:30 local on 3 March = 00:30Z) comes first.
  EXPECT_EQ(ledger->NextWakeup(), At("2026-03-03T00:30:00Z"));
  ledger->Tick(At("2026-03-03T00:30:00Z"), out);
  EXPECT_EQ(ledger->NextWakeup(), t0 + hours(24));  // the missing update
  ledger->Tick(t0 + hours(24), out);
  // Notified today: the next event is at the next local midnight.
  EXPECT_EQ(ledger->NextWakeup(), At("2026-03-03T16:00:00Z"));
  ASSERT_TRUE(Progress(id, t0 + hours(26)).ok());
  EXPECT_EQ(ledger->NextWakeup(), At("2026-03-04T00:30:00Z"));  // summary again
}

}  // namespace
}  // namespace anding::core::ledger

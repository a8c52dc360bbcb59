// The deadline watch: warnings at the lead times, exactly one breach, the
// boundary instants, response time on arrival, and what a restart (save,
// reload, Tick) does when deadlines passed while the dispatcher was down.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "anding/core/dispatch/dispatch_module.h"
#include "core/dispatch/test_store.h"
#include "core/dispatch/test_world.h"

namespace anding::core::dispatch {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::CountAlerts;
using ::testing::HasSubstr;
using testing::Hq;
using testing::Report;
using testing::T0;
using testing::TempDatabase;
using testing::World;

constexpr Duration kMicro{1};

class WatchTest : public ::testing::Test {
 protected:
  WatchTest() {
    world_.config.auto_confirm = true;
    module_ = world_.Make();
  }

  // A Hebi incident at `unit` reported at T0: deadline T0 + 1h for Hebi units.
  std::string Incident(std::vector<std::string> units = {"mine-1"}) {
    Effects out;
    auto id = module_->ReportIncident(Report("hebi", std::move(units), 10), Hq(), T0(), out);
    EXPECT_TRUE(id.ok()) << id.status();
    if (db_) db_->Save(*module_, out);
    return *id;
  }
  Effects Tick(Time now) {
    Effects out;
    module_->Tick(now, out);
    if (db_) db_->Save(*module_, out);
    return out;
  }
  Status Arrive(const std::string& id, Time at, Time now, std::string unit = "") {
    Effects out;
    const Status status = module_->UpdateStatus(
        {id, IncidentStep::kArrived, std::move(unit), at, "", ""}, Hq(), now, out);
    if (db_) db_->Save(*module_, out);
    last_ = out;
    return status;
  }
  // Saves nothing more, "crashes", and comes back from the store.
  void Restart() { module_ = db_->Load(world_.config, world_.org); }

  World world_;
  std::unique_ptr<DispatchModule> module_;
  std::unique_ptr<TempDatabase> db_;
  Effects last_;
};

TEST_F(WatchTest, WarningsAtLeadTimesAndExactlyOneBreachAfterTheDeadline) {
  const std::string id = Incident();
  const Time deadline = T0() + hours(1);
  EXPECT_EQ(module_->NextWakeup(), deadline - minutes(30));

  EXPECT_TRUE(Tick(deadline - minutes(30) - kMicro).empty());
  Effects warning = Tick(deadline - minutes(30));
  EXPECT_EQ(CountAlerts(warning, "deadline_warning"), 1u);
  ASSERT_EQ(warning.notifications.size(), 1u);
  EXPECT_EQ(warning.notifications[0].template_id, "deadline_warning");
  // The people assigned (3) and mine-1's two leaders.
  EXPECT_EQ(warning.notifications[0].recipients.size(), 5u);
  EXPECT_THAT(warning.notifications[0].text, HasSubstr("还有30分钟"));
  EXPECT_EQ(warning.changed, (std::vector<RecordRef>{{"incident", id}}));
  EXPECT_EQ(module_->NextWakeup(), deadline - minutes(10));
  EXPECT_TRUE(Tick(deadline - minutes(20)).empty());

  EXPECT_EQ(CountAlerts(Tick(deadline - minutes(10)), "deadline_warning"), 1u);
  EXPECT_EQ(module_->NextWakeup(), deadline + kMicro);
  // At the deadline instant the unit is not late yet.
  EXPECT_TRUE(Tick(deadline).empty());
  Effects breach = Tick(deadline + kMicro);
  ASSERT_EQ(CountAlerts(breach, "deadline_breach"), 1u);
  EXPECT_EQ(breach.alerts[0].severity, HqAlert::Severity::kCritical);
  EXPECT_EQ(breach.alerts[0].unit_id, "mine-1");
  EXPECT_EQ(breach.notifications.at(0).template_id, "deadline_breach");
  EXPECT_EQ(module_->FindIncident(id)->responses[0].breach_at, deadline + kMicro);
  EXPECT_EQ(module_->NextWakeup(), Time::max());
  EXPECT_TRUE(Tick(deadline + hours(5)).empty());

  // A late arrival is measured; no second breach.
  ASSERT_TRUE(Arrive(id, deadline + minutes(20), deadline + minutes(21)).ok());
  EXPECT_EQ(CountAlerts(last_, "deadline_breach"), 0u);
  const Response& response = module_->FindIncident(id)->responses[0];
  EXPECT_EQ(response.response_time, minutes(80));
  EXPECT_EQ(response.on_time, false);
}

TEST_F(WatchTest, ArrivalExactlyAtTheDeadlineIsOnTime) {
  const std::string id = Incident();
  const Time deadline = T0() + hours(1);
  ASSERT_TRUE(Arrive(id, deadline, deadline).ok());
  const Response& response = module_->FindIncident(id)->responses[0];
  EXPECT_EQ(response.on_time, true);
  EXPECT_EQ(response.response_time, hours(1));
  EXPECT_EQ(module_->NextWakeup(), Time::max());
  EXPECT_TRUE(Tick(deadline + hours(1)).empty());
  EXPECT_THAT(module_->FindIncident(id)->timeline.back().text, HasSubstr("on time"));
}

TEST_F(WatchTest, ArrivalOneMicrosecondBeforeTheDeadlineIsOnTime) {
  const std::string id = Incident();
  const Time deadline = T0() + hours(1);
  ASSERT_TRUE(Arrive(id, deadline - kMicro, deadline + minutes(3)).ok());
  EXPECT_EQ(module_->FindIncident(id)->responses[0].on_time, true);
  EXPECT_EQ(CountAlerts(last_, "deadline_breach"), 0u);
  EXPECT_TRUE(Tick(deadline + hours(1)).empty());
}

TEST_F(WatchTest, ArrivalOneMicrosecondAfterTheDeadlineIsLateAndBreachesOnce) {
  const std::string id = Incident();
  const Time deadline = T0() + hours(1);
  EXPECT_EQ(CountAlerts(Tick(deadline), "deadline_breach"), 0u);  // only the 10m warning
  // Reported before any Tick noticed the deadline passing: the arrival
  // itself records the breach.
  ASSERT_TRUE(Arrive(id, deadline + kMicro, deadline + kMicro).ok());
  EXPECT_EQ(CountAlerts(last_, "deadline_breach"), 1u);
  EXPECT_TRUE(last_.notifications.empty());  // nobody to chase: they are there
  const Response& response = module_->FindIncident(id)->responses[0];
  EXPECT_EQ(response.on_time, false);
  EXPECT_EQ(response.breach_at, deadline + kMicro);
  EXPECT_TRUE(Tick(deadline + hours(1)).empty());
}

TEST_F(WatchTest, ReportedLateOnlyTheMostUrgentWarningFires) {
  // An agent offline for 55 minutes: deadline 5 minutes from now.
  Effects out;
  auto request = Report("hebi", {"mine-1"}, 10);
  request.reported_at = T0() - minutes(55);
  const std::string id = *module_->ReportIncident(request, Hq(), T0(), out);
  EXPECT_EQ(module_->NextWakeup(), T0() - minutes(55) + minutes(30));
  Effects warning = Tick(T0());
  ASSERT_EQ(CountAlerts(warning, "deadline_warning"), 1u);
  EXPECT_THAT(warning.alerts[0].text, HasSubstr("in 5m (10m warning)"));
  EXPECT_EQ(module_->FindIncident(id)->responses[0].warnings_done,
            (std::vector<Duration>{minutes(30), minutes(10)}));
  EXPECT_EQ(CountAlerts(Tick(T0() + minutes(5) + kMicro), "deadline_breach"), 1u);
}

TEST_F(WatchTest, EachUnitIsWatchedOnItsOwn) {
  // Hebi incident: mine-1 has 1h, zz-office (outside Hebi) 2h.
  const std::string id = Incident({"mine-1", "zz-office"});
  ASSERT_TRUE(Arrive(id, T0() + minutes(50), T0() + minutes(50), "mine-1").ok());
  EXPECT_TRUE(Tick(T0() + hours(1) + kMicro).empty());
  Effects warning = Tick(T0() + minutes(90));
  ASSERT_EQ(CountAlerts(warning, "deadline_warning"), 1u);
  EXPECT_EQ(warning.alerts[0].unit_id, "zz-office");
  Effects breach = Tick(T0() + hours(2) + kMicro);
  ASSERT_EQ(CountAlerts(breach, "deadline_breach"), 1u);
  EXPECT_EQ(breach.alerts[0].unit_id, "zz-office");
  EXPECT_FALSE(module_->FindIncident(id)->responses[0].breach_at.has_value());
}

TEST_F(WatchTest, SettledIncidentsAreNoLongerWatchedAndUncoveredUnitsNever) {
  const std::string id = Incident({"mine-1", "mine-2"});
  ASSERT_TRUE(Arrive(id, T0() + minutes(20), T0() + minutes(20), "mine-1").ok());
  Effects out;
  ASSERT_TRUE(module_
                  ->UpdateStatus({id, IncidentStep::kSettled, "", std::nullopt, "", ""}, Hq(),
                                 T0() + minutes(25), out)
                  .ok());
  EXPECT_EQ(module_->NextWakeup(), Time::max());
  EXPECT_TRUE(Tick(T0() + hours(3)).empty());

  Effects report;
  ASSERT_TRUE(
      module_->ReportIncident(Report("anyang", {"anyang-plant"}, 10), Hq(), T0(), report).ok());
  EXPECT_EQ(module_->NextWakeup(), Time::max());
}

TEST_F(WatchTest, DeadlinePassedWhileDownFiresOnceAfterRestart) {
  db_ = std::make_unique<TempDatabase>();
  const std::string id = Incident();
  const Time deadline = T0() + hours(1);
  // The 30-minute warning fires and is saved; then the dispatcher dies.
  EXPECT_EQ(CountAlerts(Tick(deadline - minutes(30)), "deadline_warning"), 1u);
  db_->Open();
  Restart();
  ASSERT_NE(module_, nullptr);
  // Nothing fires twice: at 25 minutes before, nothing is due.
  EXPECT_TRUE(Tick(deadline - minutes(25)).empty());
  EXPECT_EQ(module_->NextWakeup(), deadline - minutes(10));

  // Down again until well after the deadline.
  db_->Open();
  Restart();
  Effects overdue = Tick(deadline + hours(2));
  EXPECT_EQ(CountAlerts(overdue, "deadline_breach"), 1u);
  EXPECT_EQ(CountAlerts(overdue, "deadline_warning"), 0u);  // superseded by the breach
  // Once more: the breach is remembered.
  db_->Open();
  Restart();
  EXPECT_EQ(module_->NextWakeup(), Time::max());
  EXPECT_TRUE(Tick(deadline + hours(3)).empty());
  EXPECT_EQ(module_->FindIncident(id)->responses[0].breach_at, deadline + hours(2));
}

TEST_F(WatchTest, WarningDueWhileDownFiresOnceAfterRestart) {
  db_ = std::make_unique<TempDatabase>();
  Incident();
  const Time deadline = T0() + hours(1);
  db_->Open();
  Restart();
  // Down across the 30-minute mark only: that warning fires at start-up, once.
  Effects first = Tick(deadline - minutes(20));
  EXPECT_EQ(CountAlerts(first, "deadline_warning"), 1u);
  EXPECT_THAT(first.alerts[0].text, HasSubstr("(30m warning)"));
  db_->Open();
  Restart();
  EXPECT_TRUE(Tick(deadline - minutes(20)).empty());
  EXPECT_EQ(CountAlerts(Tick(deadline - minutes(10)), "deadline_warning"), 1u);
}

TEST_F(WatchTest, AUnitNoTeamCouldReachInTimeGetsTheFastestOneAtTheBreach) {
  // The Zhengzhou office's own team is off duty; every other team needs
  // 1h45m or more, so nobody can make the one-hour deadline.
  Effects out;
  ASSERT_TRUE(
      module_->SetAvailability({ResourceKind::kTeam, "team-zz", false, "training"}, Hq(), T0(), out)
          .ok());
  auto id = module_->ReportIncident(Report("zhengzhou", {"zz-office"}, 10), Hq(), T0(), out);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(testing::CountAlerts(out, "no_feasible_assignment"), 1);
  EXPECT_TRUE(module_->FindIncident(*id)->assignments.empty());

  // Once the deadline has passed, waiting for a team that can make it is
  // pointless: the fastest one goes, late.
  Effects breach;
  for (Time next = module_->NextWakeup(); next <= T0() + std::chrono::hours(2);
       next = module_->NextWakeup()) {
    module_->Tick(next, breach);
  }
  EXPECT_EQ(testing::CountAlerts(breach, "deadline_breach"), 1);
  const auto& incident = *module_->FindIncident(*id);
  ASSERT_EQ(incident.assignments.size(), 1u);
  EXPECT_EQ(incident.assignments[0].state, AssignmentState::kConfirmed);
  EXPECT_THAT(incident.assignments[0].explanation.reasons.front(), HasSubstr("had passed"));
}

}  // namespace
}  // namespace anding::core::dispatch

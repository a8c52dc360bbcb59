// The incident lifecycle: intake, every legal step, every illegal one, who
// may report what, and that a failed command changes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "anding/core/dispatch/dispatch_module.h"
#include "core/dispatch/test_world.h"

namespace anding::core::dispatch {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::CountAlerts;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Hq;
using testing::Report;
using testing::T0;
using testing::World;

class LifecycleTest : public ::testing::Test {
 protected:
  LifecycleTest() {
    world_.config.auto_confirm = true;
    module_ = world_.Make();
  }

  // A Hebi incident at mine-1, confirmed automatically: state dispatched.
  std::string Dispatched() {
    Effects out;
    auto id =
        module_->ReportIncident(Report("hebi", {"mine-1"}), Actor::Agent("mine-1"), T0(), out);
    EXPECT_TRUE(id.ok()) << id.status();
    EXPECT_EQ(module_->FindIncident(*id)->state, IncidentState::kDispatched);
    return *id;
  }

  Status Step(const std::string& id, IncidentStep step, Time now, const Actor& who = Hq(),
              std::string unit = "") {
    Effects out;
    StatusUpdateRequest request;
    request.incident_id = id;
    request.step = step;
    request.unit_id = std::move(unit);
    const Status status = module_->UpdateStatus(request, who, now, out);
    last_ = std::move(out);
    return status;
  }

  // Moves an incident in a fresh module to `state` through legal steps.
  std::string InState(IncidentState state) {
    world_.config.auto_confirm = state != IncidentState::kReported;
    module_ = world_.Make();
    if (state == IncidentState::kReported) {
      Effects out;
      auto id = module_->ReportIncident(Report("hebi", {"mine-1"}), Hq(), T0(), out);
      EXPECT_TRUE(id.ok());
      return *id;
    }
    const std::string id = Dispatched();
    const IncidentStep path[] = {IncidentStep::kDeparted, IncidentStep::kArrived,
                                 IncidentStep::kSettled, IncidentStep::kAftermath,
                                 IncidentStep::kClosed};
    Time now = T0();
    for (IncidentStep step : path) {
      if (module_->FindIncident(id)->state == state) break;
      now += minutes(5);
      EXPECT_TRUE(Step(id, step, now).ok());
    }
    EXPECT_EQ(module_->FindIncident(id)->state, state);
    return id;
  }

  World world_;
  std::unique_ptr<DispatchModule> module_;
  Effects last_;
};

TEST_F(LifecycleTest, IntakeRecordsTheReportGradeDeadlinesAndIds) {
  world_.config.auto_confirm = false;
  module_ = world_.Make();
  Effects out;
  ReportIncidentRequest request = Report("zhengzhou", {"zz-office"}, 12);
  request.report.representatives = 3;
  request.report.occurred_at = T0() - minutes(20);
  request.report.details = "要求补发工资";
  request.report.category_id = "retiree-management";
  request.reported_at = T0() - minutes(2);
  auto id = module_->ReportIncident(request, Actor::Agent("mine-1"), T0(), out);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, "INC-20261127-001");
  const Incident& incident = *module_->FindIncident(*id);
  // The reporting agent's unit is added to the involved units.
  EXPECT_THAT(incident.report.involved_unit_ids, ElementsAre("zz-office", "mine-1"));
  EXPECT_EQ(incident.report.representatives, 3u);
  EXPECT_EQ(incident.report.details, "要求补发工资");
  EXPECT_EQ(incident.grade, Grade::kHigh);  // 12 persons: medium, +1 in the provincial capital
  EXPECT_EQ(incident.state, IncidentState::kReported);
  EXPECT_EQ(incident.reported_at, T0() - minutes(2));
  EXPECT_EQ(incident.registered_at, T0());
  EXPECT_EQ(incident.reported_by, Actor::Agent("mine-1"));
  ASSERT_EQ(incident.responses.size(), 2u);
  EXPECT_EQ(incident.responses[0].deadline->at, T0() - minutes(2) + hours(1));
  EXPECT_EQ(incident.responses[1].deadline->at, T0() - minutes(2) + hours(2));
  EXPECT_EQ(incident.timeline.front().event, "reported");
  EXPECT_EQ(incident.timeline.front().at, T0() - minutes(2));
  EXPECT_EQ(out.notices.front().state, "reported");
  EXPECT_THAT(out.changed, ::testing::Contains(RecordRef{"incident", *id}));
  EXPECT_THAT(out.changed, ::testing::Contains(RecordRef{"dispatch_id_counter", "20261127"}));

  // Ids count per local day: the next one, then a new day (Shanghai midnight).
  Effects more;
  EXPECT_EQ(*module_->ReportIncident(Report("hebi", {"mine-2"}), Hq(), T0(), more),
            "INC-20261127-002");
  const Time next_day = *ParseRfc3339("2026-11-28T00:00:00+08:00");
  EXPECT_EQ(*module_->ReportIncident(Report("hebi", {"mine-2"}), Hq(), next_day, more),
            "INC-20261128-001");
  EXPECT_EQ(
      *module_->ReportIncident(Report("hebi", {"mine-2"}), Hq(), next_day - Duration(1), more),
      "INC-20261127-003");
}

TEST_F(LifecycleTest, NoRuleIsAnAlertNotADefault) {
  Effects out;
  auto id =
      module_->ReportIncident(Report("zhengzhou", {"zz-office", "bj-office"}, 10), Hq(), T0(), out);
  ASSERT_TRUE(id.ok());
  const Incident& incident = *module_->FindIncident(*id);
  EXPECT_TRUE(incident.responses[0].deadline.has_value());
  EXPECT_FALSE(incident.responses[1].deadline.has_value());
  ASSERT_EQ(CountAlerts(out, "no_rule"), 1u);
  for (const auto& alert : out.alerts) {
    if (alert.kind != "no_rule") continue;
    EXPECT_EQ(alert.unit_id, "bj-office");
    EXPECT_EQ(alert.reference_id, *id);
    EXPECT_EQ(alert.severity, HqAlert::Severity::kCritical);
  }
  // Nothing is proposed for the uncovered unit; the covered one is dispatched.
  EXPECT_EQ(ActiveAssignment(incident, "bj-office"), nullptr);
  EXPECT_NE(ActiveAssignment(incident, "zz-office"), nullptr);
  // A "other" region covers nobody: an alert per unit.
  Effects other;
  ASSERT_TRUE(
      module_->ReportIncident(Report("anyang", {"anyang-plant", "mine-2"}, 10), Hq(), T0(), other)
          .ok());
  EXPECT_EQ(CountAlerts(other, "no_rule"), 2u);
  EXPECT_TRUE(other.orders.empty());
}

TEST_F(LifecycleTest, InvalidReportsChangeNothing) {
  auto expect_invalid = [&](ReportIncidentRequest request, StatusCode code,
                            std::string_view message, const Actor& who = Hq()) {
    Effects out;
    const auto before = module_->Snapshot();
    auto id = module_->ReportIncident(request, who, T0(), out);
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.status().code(), code) << id.status();
    EXPECT_THAT(id.status().message(), HasSubstr(message));
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(module_->Snapshot(), before);
  };
  expect_invalid(Report("luoyang", {"mine-1"}), StatusCode::kInvalidArgument,
                 "unknown region 'luoyang'");
  expect_invalid(Report("hebi", {"mine-9"}), StatusCode::kInvalidArgument,
                 "unknown involved unit 'mine-9'");
  expect_invalid(Report("hebi", {}), StatusCode::kInvalidArgument, "at least one involved unit");
  expect_invalid(Report("hebi", {"mine-1", "mine-1"}), StatusCode::kInvalidArgument,
                 "listed twice");
  expect_invalid(Report("hebi", {"mine-1"}, 0), StatusCode::kInvalidArgument, "persons");
  auto reps = Report("hebi", {"mine-1"}, 3);
  reps.report.representatives = 4;
  expect_invalid(reps, StatusCode::kInvalidArgument, "representatives");
  auto future = Report("hebi", {"mine-1"});
  future.reported_at = T0() + Duration(1);
  expect_invalid(future, StatusCode::kInvalidArgument, "after now");
  auto category = Report("hebi", {"mine-1"});
  category.report.category_id = "weather";
  expect_invalid(category, StatusCode::kInvalidArgument, "unknown category");
  expect_invalid(Report("hebi", {"mine-1"}), StatusCode::kPermissionDenied, "SMS",
                 Actor::Sms("+8613900000000"));
  expect_invalid(Report("hebi", {"mine-1"}), StatusCode::kPermissionDenied, "not configured",
                 Actor::Agent("mine-99"));
}

TEST_F(LifecycleTest, RequestIdMakesReportingIdempotent) {
  Effects out;
  auto request = Report("hebi", {"mine-1"});
  request.request_id = "msg-1";
  auto first = module_->ReportIncident(request, Hq(), T0(), out);
  ASSERT_TRUE(first.ok());
  Effects again;
  auto second = module_->ReportIncident(request, Hq(), T0() + minutes(1), again);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, *first);
  EXPECT_TRUE(again.empty());
  request.report.persons = 31;
  auto different = module_->ReportIncident(request, Hq(), T0() + minutes(1), again);
  EXPECT_EQ(different.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(module_->ListIncidents({}).size(), 1u);
}

TEST_F(LifecycleTest, HappyPathStampsEveryStepWithTimeAndActor) {
  const std::string id = Dispatched();
  const Actor agent = Actor::Agent("mine-1");
  StatusUpdateRequest request;
  request.incident_id = id;
  request.step = IncidentStep::kDeparted;
  request.reported_by = "领队一";
  Effects out;
  ASSERT_TRUE(module_->UpdateStatus(request, agent, T0() + minutes(10), out).ok());
  EXPECT_EQ(module_->FindIncident(id)->state, IncidentState::kEnRoute);
  EXPECT_EQ(ActiveAssignment(*module_->FindIncident(id), "mine-1")->departed_at,
            T0() + minutes(10));

  request.step = IncidentStep::kArrived;
  request.at = T0() + minutes(40);  // happened before it was reported
  ASSERT_TRUE(module_->UpdateStatus(request, agent, T0() + minutes(42), out).ok());
  const Response& response = module_->FindIncident(id)->responses[0];
  EXPECT_EQ(response.arrived_at, T0() + minutes(40));
  EXPECT_EQ(response.arrival_recorded_at, T0() + minutes(42));
  EXPECT_EQ(response.response_time, minutes(40));
  EXPECT_EQ(response.on_time, true);
  EXPECT_EQ(module_->FindIncident(id)->state, IncidentState::kOnScene);

  request.at.reset();
  request.step = IncidentStep::kSettled;
  Effects settled;
  ASSERT_TRUE(module_->UpdateStatus(request, agent, T0() + hours(2), settled).ok());
  EXPECT_EQ(settled.events.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<IncidentSettled>(settled.events[0]));
  // Released: the team and its vehicle are free again.
  for (const auto& team : module_->Teams("mine-1")) EXPECT_FALSE(team.assignment.has_value());
  for (const auto& vehicle : module_->Vehicles("mine-1")) {
    EXPECT_FALSE(vehicle.assignment.has_value());
  }
  EXPECT_EQ(module_->FindIncident(id)->assignments[0].state, AssignmentState::kReleased);

  request.step = IncidentStep::kAftermath;
  ASSERT_TRUE(module_->UpdateStatus(request, Hq(), T0() + hours(3), out).ok());
  request.step = IncidentStep::kClosed;
  request.note = "根因：补偿政策解释不到位；教训：提前沟通";
  Effects closed;
  ASSERT_TRUE(module_->UpdateStatus(request, Hq(), T0() + hours(30), closed).ok());
  EXPECT_TRUE(std::holds_alternative<IncidentClosed>(closed.events.at(0)));
  const Incident& incident = *module_->FindIncident(id);
  EXPECT_EQ(incident.state, IncidentState::kClosed);
  std::vector<std::string> events;
  for (const auto& entry : incident.timeline) events.push_back(entry.event);
  EXPECT_THAT(events, ElementsAre("reported", "deadline", "proposed", "confirmed", "departed",
                                  "arrived", "settled", "released", "aftermath", "closed"));
  EXPECT_EQ(incident.timeline[4].actor, agent);
  EXPECT_THAT(incident.timeline[4].text, HasSubstr("领队一"));
  EXPECT_EQ(incident.timeline[5].at, T0() + minutes(40));
  EXPECT_EQ(incident.timeline[5].recorded_at, T0() + minutes(42));
  EXPECT_EQ(incident.timeline[9].actor, Hq());
  EXPECT_THAT(incident.timeline[9].text, HasSubstr("根因"));
}

// Every (state, step) pair: legal ones move to the next state, illegal ones
// fail with FailedPrecondition naming the current and the requested state.
TEST_F(LifecycleTest, EveryTransitionLegalOrRejected) {
  const IncidentState states[] = {IncidentState::kReported, IncidentState::kDispatched,
                                  IncidentState::kEnRoute,  IncidentState::kOnScene,
                                  IncidentState::kSettled,  IncidentState::kAftermath,
                                  IncidentState::kClosed};
  const IncidentStep steps[] = {IncidentStep::kDeparted, IncidentStep::kArrived,
                                IncidentStep::kSettled, IncidentStep::kAftermath,
                                IncidentStep::kClosed};
  auto legal = [](IncidentState from, IncidentStep step) {
    switch (step) {
      case IncidentStep::kDeparted:
        return from == IncidentState::kDispatched;  // en_route/on_scene: already departed
      case IncidentStep::kArrived:
        return from == IncidentState::kDispatched || from == IncidentState::kEnRoute;
      case IncidentStep::kSettled:
        return from == IncidentState::kOnScene;
      case IncidentStep::kAftermath:
        return from == IncidentState::kSettled;
      case IncidentStep::kClosed:
        return from == IncidentState::kAftermath;
    }
    return false;
  };
  for (IncidentState from : states) {
    for (IncidentStep step : steps) {
      SCOPED_TRACE(StrCat(IncidentStateName(from), " + ", IncidentStepName(step)));
      const std::string id = InState(from);
      const auto before = module_->Snapshot();
      const Status status = Step(id, step, T0() + hours(1));
      if (legal(from, step)) {
        ASSERT_TRUE(status.ok()) << status;
        const IncidentState expected = StateAfter(step);
        EXPECT_EQ(module_->FindIncident(id)->state, std::max(expected, from));
        continue;
      }
      EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status;
      EXPECT_TRUE(last_.empty());
      EXPECT_EQ(module_->Snapshot(), before);
      if ((step == IncidentStep::kDeparted || step == IncidentStep::kArrived) &&
          (from == IncidentState::kEnRoute || from == IncidentState::kOnScene)) {
        // The state allows the step but this unit already did it.
        EXPECT_THAT(status.message(), HasSubstr("already"));
      } else {
        EXPECT_THAT(status.message(), HasSubstr(StrCat("is ", IncidentStateName(from))));
        EXPECT_THAT(status.message(),
                    HasSubstr(StrCat("to ", IncidentStateName(StateAfter(step)))));
      }
    }
  }
}

TEST_F(LifecycleTest, DepartureNeedsAConfirmedAssignment) {
  world_.config.auto_confirm = false;
  module_ = world_.Make();
  Effects out;
  auto id = *module_->ReportIncident(Report("hebi", {"mine-1", "mine-2"}, 10), Hq(), T0(), out);
  ASSERT_TRUE(module_->Confirm({id, "mine-1"}, Hq(), T0(), out).ok());
  // mine-2's proposal is not confirmed yet: it cannot depart, but may arrive.
  EXPECT_EQ(Step(id, IncidentStep::kDeparted, T0(), Actor::Agent("mine-2")).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Step(id, IncidentStep::kArrived, T0() + minutes(30), Actor::Agent("mine-2")).ok());
  EXPECT_TRUE(Step(id, IncidentStep::kDeparted, T0() + minutes(31), Actor::Agent("mine-1")).ok());
  // en_route does not go back from on_scene.
  EXPECT_EQ(module_->FindIncident(id)->state, IncidentState::kOnScene);
}

TEST_F(LifecycleTest, APassedDeadlineStillGetsTheFastestTeamMarkedLate) {
  // An agent whose clock is two hours slow: the report says it happened
  // two hours ago, so the one-hour deadline has passed at intake.
  Effects out;
  ReportIncidentRequest request = Report("hebi", {"mine-1"});
  request.reported_at = T0() - hours(2);
  auto id = module_->ReportIncident(request, Actor::Agent("mine-1"), T0(), out);
  ASSERT_TRUE(id.ok()) << id.status();
  const Incident& incident = *module_->FindIncident(*id);
  ASSERT_EQ(incident.assignments.size(), 1u) << "a late response is better than none";
  const Assignment& sent = incident.assignments[0];
  EXPECT_EQ(sent.state, AssignmentState::kConfirmed);
  EXPECT_GT(sent.eta, incident.responses[0].deadline->at);
  EXPECT_THAT(sent.explanation.reasons.front(), HasSubstr("had passed"));
  EXPECT_EQ(CountAlerts(out, "no_feasible_assignment"), 0);
  EXPECT_EQ(incident.state, IncidentState::kDispatched);
  // Its steps are recorded, late.
  EXPECT_TRUE(Step(*id, IncidentStep::kDeparted, T0() + minutes(1), Actor::Agent("mine-1")).ok());
  EXPECT_TRUE(Step(*id, IncidentStep::kArrived, T0() + minutes(40), Actor::Agent("mine-1")).ok());
  EXPECT_EQ(module_->FindIncident(*id)->responses[0].on_time, false);
}

TEST_F(LifecycleTest, WhoMayReportWhat) {
  const std::string id = Dispatched();
  // An agent of a unit not involved.
  EXPECT_EQ(Step(id, IncidentStep::kArrived, T0(), Actor::Agent("mine-2")).code(),
            StatusCode::kPermissionDenied);
  // An agent reporting for another unit.
  EXPECT_EQ(Step(id, IncidentStep::kArrived, T0(), Actor::Agent("mine-2"), "mine-1").code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Step(id, IncidentStep::kArrived, T0(), Actor::Sms("+8613900000001")).code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Step(id, IncidentStep::kArrived, T0(), Hq(), "zz-office").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Step("INC-20990101-001", IncidentStep::kArrived, T0()).code(), StatusCode::kNotFound);
  // Time outside [reported_at, now].
  StatusUpdateRequest early{id, IncidentStep::kArrived, "", T0() - Duration(1), "", ""};
  Effects out;
  EXPECT_EQ(module_->UpdateStatus(early, Hq(), T0(), out).code(), StatusCode::kInvalidArgument);
  StatusUpdateRequest future{id, IncidentStep::kArrived, "", T0() + Duration(1), "", ""};
  EXPECT_EQ(module_->UpdateStatus(future, Hq(), T0(), out).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(out.empty());
  // With two units an operator must name the unit; agents need not.
  Effects two;
  auto multi = *module_->ReportIncident(Report("hebi", {"mine-1", "mine-2"}, 10), Hq(), T0(), two);
  (void)multi;
  auto busy = *module_->ReportIncident(Report("hebi", {"hq", "mine-2"}, 10), Hq(), T0(), two);
  EXPECT_EQ(Step(busy, IncidentStep::kArrived, T0() + minutes(1)).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(Step(busy, IncidentStep::kArrived, T0() + minutes(1), Actor::Agent("hq")).ok());
  EXPECT_TRUE(module_->FindIncident(busy)->responses[0].arrived_at.has_value());
}

}  // namespace
}  // namespace anding::core::dispatch

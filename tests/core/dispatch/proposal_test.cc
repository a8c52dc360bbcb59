// Proposals: own team first, leaders, staff, seats and drivers, fallback to
// the fastest other team with the unit's leaders, "no feasible assignment",
// re-proposal on unavailability, and HQ's confirm / override / reassign
// with the orders, notifications and events they produce.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

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

std::vector<std::string> MemberIds(const Assignment& a) {
  std::vector<std::string> ids;
  for (const auto& m : a.members) ids.push_back(m.member_id);
  return ids;
}

class ProposalTest : public ::testing::Test {
 protected:
  void SetUp() override { module_ = world_.Make(); }
  void Rebuild() { module_ = world_.Make(); }

  std::string Report_(std::string region, std::vector<std::string> units, uint32_t persons,
                      Time now = T0()) {
    out_ = {};
    auto id = module_->ReportIncident(Report(std::move(region), std::move(units), persons), Hq(),
                                      now, out_);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.ok() ? *id : "";
  }
  const Assignment* Active(const std::string& id, std::string_view unit) {
    return ActiveAssignment(*module_->FindIncident(id), unit);
  }
  Status Availability(ResourceKind kind, std::string id, bool available, Time now = T0()) {
    out_ = {};
    return module_->SetAvailability(AvailabilityRequest{kind, std::move(id), available, "test"},
                                    Hq(), now, out_);
  }

  World world_;
  std::unique_ptr<DispatchModule> module_;
  Effects out_;
};

TEST_F(ProposalTest, OwnTeamIsPreferredOverAFasterOne) {
  // team-hq would be there in 40m, mine-1's own team in 45m: own team wins.
  const std::string id = Report_("hebi", {"mine-1"}, 30);
  const Assignment* a = Active(id, "mine-1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->team_id, "team-m1");
  EXPECT_FALSE(a->fallback);
  EXPECT_EQ(a->state, AssignmentState::kProposed);
  EXPECT_THAT(MemberIds(*a), ElementsAre("m1-l1", "m1-s1", "m1-s2", "m1-s3", "m1-d1"));
  EXPECT_THAT(a->vehicle_ids, ElementsAre("v-m1"));
  EXPECT_EQ(a->seats, 7u);
  EXPECT_EQ(a->eta, T0() + minutes(45));
  EXPECT_EQ(a->mobilisation, minutes(15));
  EXPECT_EQ(a->travel, minutes(30));
  ASSERT_EQ(a->explanation.reasons.size(), 3u);
  EXPECT_THAT(a->explanation.reasons[0], HasSubstr("team-m1 is the fastest own team"));
  EXPECT_THAT(a->explanation.reasons[1], HasSubstr("15m before the deadline"));
  EXPECT_THAT(a->explanation.reasons[2], HasSubstr("1 leader, 3 staff and 1 driver for 30"));
  EXPECT_TRUE(a->explanation.rejected.empty());
  // Waiting for HQ: an info alert, no order yet.
  EXPECT_EQ(module_->FindIncident(id)->state, IncidentState::kReported);
  EXPECT_EQ(CountAlerts(out_, "proposal"), 1u);
  EXPECT_TRUE(out_.orders.empty());
  // Only the report itself is news to the other modules.
  ASSERT_EQ(out_.events.size(), 1u);
  EXPECT_EQ(std::get<IncidentReported>(out_.events[0]).incident_id, id);
}

TEST_F(ProposalTest, LeaderIsRequiredElseFastestOtherTeamAndOwnLeadersStillGo) {
  ASSERT_TRUE(Availability(ResourceKind::kMember, "m1-l1", false).ok());
  const std::string id = Report_("hebi", {"mine-1"}, 30);
  const Assignment* a = Active(id, "mine-1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->team_id, "team-hq");  // fastest other team (10m + 30m)
  EXPECT_EQ(a->team_unit_id, "hq");
  EXPECT_TRUE(a->fallback);
  EXPECT_EQ(a->eta, T0() + minutes(40));
  ASSERT_EQ(a->accompanying_leaders.size(), 2u);
  EXPECT_EQ(a->accompanying_leaders[0].name, "矿长甲");
  ASSERT_EQ(a->explanation.rejected.size(), 1u);
  EXPECT_EQ(a->explanation.rejected[0].team_id, "team-m1");
  EXPECT_EQ(a->explanation.rejected[0].reason, "needs 1 leader on duty, has 0");
  EXPECT_THAT(a->explanation.reasons[0], HasSubstr("no own team of 一矿 (mine-1) can make it"));
  EXPECT_THAT(a->explanation.reasons[1],
              HasSubstr("fastest other team that can make it; the leaders of mine-1 (矿长甲, "
                        "书记乙) still go"));
}

TEST_F(ProposalTest, StaffBySizingAndMaxStaff) {
  // 45 petitioners: 5 staff; team-m1 has 3, team-hq 4: nobody within 1h has 5.
  const std::string id = Report_("hebi", {"mine-1"}, 45);
  EXPECT_EQ(Active(id, "mine-1"), nullptr);
  EXPECT_EQ(CountAlerts(out_, "no_feasible_assignment"), 1u);
  const Response& response = module_->FindIncident(id)->responses[0];
  EXPECT_EQ(response.infeasible.rejected[0].reason, "needs 5 staff on duty, has 3");
  // With max_staff 4 a team brings at most 4 and team-hq qualifies.
  world_.config.sizing.max_staff = 4;
  Rebuild();
  const std::string capped = Report_("hebi", {"mine-1"}, 45);
  const Assignment* a = Active(capped, "mine-1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->team_id, "team-hq");
  EXPECT_THAT(a->explanation.reasons[3], HasSubstr("5 clamped to 4 by min/max_staff"));
}

TEST_F(ProposalTest, SeatsAndDrivers) {
  // v-m1 seats 4: 1 leader + 3 staff + 1 driver do not fit.
  world_.config.vehicles[0].seats = 4;
  Rebuild();
  std::string id = Report_("hebi", {"mine-1"}, 30);
  ASSERT_NE(Active(id, "mine-1"), nullptr);
  EXPECT_EQ(Active(id, "mine-1")->team_id, "team-hq");
  EXPECT_EQ(Active(id, "mine-1")->explanation.rejected[0].reason,
            "needs 5 seats, the free vehicles at mine-1 seat 4");

  // A second small car: 4 + 3 seats, but two cars need two drivers.
  VehicleConfig extra;
  extra.id = "v-m1-b";
  extra.home_unit_id = "mine-1";
  extra.seats = 3;
  world_.config.vehicles.push_back(extra);
  Rebuild();
  id = Report_("hebi", {"mine-1"}, 30);
  EXPECT_EQ(Active(id, "mine-1")->explanation.rejected[0].reason,
            "needs a driver for each of 2 vehicles, 1 on duty");

  // A second driver: both cars go, 7 seats for 6 people.
  MemberConfig driver;
  driver.id = "m1-d2";
  driver.team_id = "team-m1";
  driver.role = Role::kDriver;
  driver.person.name = "司机五";
  world_.config.teams[0].members.push_back(driver);
  Rebuild();
  id = Report_("hebi", {"mine-1"}, 30);
  const Assignment* a = Active(id, "mine-1");
  EXPECT_EQ(a->team_id, "team-m1");
  EXPECT_THAT(a->vehicle_ids, ElementsAre("v-m1", "v-m1-b"));
  EXPECT_EQ(a->seats, 7u);
  EXPECT_THAT(MemberIds(*a), ElementsAre("m1-l1", "m1-s1", "m1-s2", "m1-s3", "m1-d1", "m1-d2"));

  // Without the driver rule, one car seats leader + 3 staff.
  world_.config.sizing.vehicles_need_drivers = false;
  Rebuild();
  id = Report_("hebi", {"mine-1"}, 30);
  a = Active(id, "mine-1");
  EXPECT_THAT(a->vehicle_ids, ElementsAre("v-m1"));
  EXPECT_THAT(MemberIds(*a), ElementsAre("m1-l1", "m1-s1", "m1-s2", "m1-s3"));
}

TEST_F(ProposalTest, TeamsOfOneUnitShareItsVehicles) {
  TeamConfig second;
  second.id = "team-m1b";
  second.home_unit_id = "mine-1";
  for (auto [id, role] : {std::pair{"m1b-l", Role::kLeader}, std::pair{"m1b-s", Role::kStaff},
                          std::pair{"m1b-d", Role::kDriver}}) {
    MemberConfig member;
    member.id = id;
    member.team_id = second.id;
    member.role = role;
    member.person.name = id;
    second.members.push_back(member);
  }
  world_.config.teams.push_back(second);
  Rebuild();
  const std::string first = Report_("hebi", {"mine-1"}, 10);
  EXPECT_THAT(Active(first, "mine-1")->vehicle_ids, ElementsAre("v-m1"));
  // mine-1's second team is free but its only vehicle is not.
  const std::string next = Report_("hebi", {"mine-1"}, 10);
  const Assignment* a = Active(next, "mine-1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->team_id, "team-hq");
  ASSERT_EQ(a->explanation.rejected.size(), 2u);
  EXPECT_EQ(a->explanation.rejected[1].team_id, "team-m1b");
  EXPECT_EQ(a->explanation.rejected[1].reason, "no free vehicle at mine-1");
  // A second vehicle: the own team goes.
  VehicleConfig car;
  car.id = "v-m1-2";
  car.home_unit_id = "mine-1";
  car.seats = 5;
  world_.config.vehicles.push_back(car);
  Rebuild();
  (void)Report_("hebi", {"mine-1"}, 10);
  const std::string third = Report_("hebi", {"mine-1"}, 10);
  a = Active(third, "mine-1");
  EXPECT_EQ(a->team_id, "team-m1b");
  EXPECT_THAT(a->vehicle_ids, ElementsAre("v-m1-2"));
}

TEST_F(ProposalTest, FallbackWalksOtherTeamsFastestFirstAndExplainsRejections) {
  const std::string first = Report_("hebi", {"mine-1"}, 10);
  ASSERT_EQ(Active(first, "mine-1")->team_id, "team-m1");
  ASSERT_TRUE(Availability(ResourceKind::kTeam, "team-hq", false).ok());
  const std::string second = Report_("hebi", {"mine-1"}, 10);
  const Assignment* a = Active(second, "mine-1");
  ASSERT_NE(a, nullptr);
  // team-hq (40m) off duty, team-m1 (own) busy; team-m2 (45m) is next.
  EXPECT_EQ(a->team_id, "team-m2");
  ASSERT_EQ(a->explanation.rejected.size(), 2u);
  EXPECT_EQ(a->explanation.rejected[0].team_id, "team-m1");
  EXPECT_EQ(a->explanation.rejected[0].reason, StrCat("busy on ", first, " for mine-1"));
  EXPECT_EQ(a->explanation.rejected[1].team_id, "team-hq");
  EXPECT_EQ(a->explanation.rejected[1].reason, "team is off duty");
}

TEST_F(ProposalTest, AFallbackNeverTakesTheOwnTeamOfAnotherInvolvedUnit) {
  // mine-1's own team has no leader and team-hq is off duty: the fastest
  // other team for mine-1 would be team-m2 (45m), mine-2's own team. Units
  // whose own team can go are served first, so mine-2 keeps team-m2 and
  // mine-1 gets the next fastest, team-ay (anyang 40m + 15m).
  ASSERT_TRUE(Availability(ResourceKind::kMember, "m1-l1", false).ok());
  ASSERT_TRUE(Availability(ResourceKind::kTeam, "team-hq", false).ok());
  const std::string id = Report_("hebi", {"mine-1", "mine-2"}, 10);
  const Assignment* own = Active(id, "mine-2");
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(own->team_id, "team-m2");
  EXPECT_FALSE(own->fallback);
  const Assignment* fallback = Active(id, "mine-1");
  ASSERT_NE(fallback, nullptr);
  EXPECT_TRUE(fallback->fallback);
  EXPECT_EQ(fallback->team_id, "team-ay");
  EXPECT_EQ(fallback->eta, T0() + minutes(55));
}

TEST_F(ProposalTest, UnitsWithoutTheirOwnTeamAreServedTightestDeadlineFirst) {
  // A Hebi incident: mine-1 (in Hebi) has 1h, anyang-plant (outside) 2h.
  // Neither can use its own team and team-hq is off duty. Only team-m2
  // (45m) reaches Hebi within the hour; team-zz (1h45m) makes the 2h. The
  // 1h unit is served first although it is listed second.
  ASSERT_TRUE(Availability(ResourceKind::kMember, "m1-l1", false).ok());
  ASSERT_TRUE(Availability(ResourceKind::kTeam, "team-ay", false).ok());
  ASSERT_TRUE(Availability(ResourceKind::kTeam, "team-hq", false).ok());
  const std::string id = Report_("hebi", {"anyang-plant", "mine-1"}, 10);
  const Assignment* m1 = Active(id, "mine-1");
  const Assignment* ay = Active(id, "anyang-plant");
  ASSERT_NE(m1, nullptr);
  ASSERT_NE(ay, nullptr);
  EXPECT_EQ(m1->team_id, "team-m2");
  EXPECT_EQ(ay->team_id, "team-zz");
  EXPECT_EQ(CountAlerts(out_, "no_feasible_assignment"), 0);
}

TEST_F(ProposalTest, UnitWithoutATeamGetsTheFastestOther) {
  // sh-office has no team; a Hebi incident gives it 2h: team-hq (40m) goes.
  const std::string id = Report_("hebi", {"sh-office"}, 10);
  const Assignment* a = Active(id, "sh-office");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->team_id, "team-hq");
  EXPECT_THAT(a->explanation.reasons[0], HasSubstr("has no team of its own"));
  EXPECT_THAT(a->explanation.reasons[1], HasSubstr("sh-office has no leaders configured"));
}

TEST_F(ProposalTest, NoFeasibleAssignmentAlertsAtOnceAndOnlyOnce) {
  ASSERT_TRUE(Availability(ResourceKind::kTeam, "team-zz", false).ok());
  // Zhengzhou, zz-office: 1h. Everybody else is at least 1h45m away.
  const std::string id = Report_("zhengzhou", {"zz-office"}, 10);
  EXPECT_EQ(Active(id, "zz-office"), nullptr);
  ASSERT_EQ(CountAlerts(out_, "no_feasible_assignment"), 1u);
  const Response& response = module_->FindIncident(id)->responses[0];
  EXPECT_EQ(response.infeasible_since, T0());
  EXPECT_EQ(response.infeasible.rejected[0].reason, "team is off duty");
  EXPECT_EQ(response.infeasible.more_rejected, "5 more teams cannot arrive by the deadline");
  EXPECT_THAT(response.infeasible.reasons[0], HasSubstr("no team can arrive at zhengzhou"));
  EXPECT_TRUE(out_.orders.empty());

  // An unrelated change retries, finds nobody, and leaves the record alone.
  const Incident before = *module_->FindIncident(id);
  ASSERT_TRUE(Availability(ResourceKind::kVehicle, "v-m2", false, T0() + minutes(1)).ok());
  EXPECT_EQ(CountAlerts(out_, "no_feasible_assignment"), 0u);
  EXPECT_EQ(*module_->FindIncident(id), before);
  EXPECT_THAT(out_.changed, ElementsAre(RecordRef{"dispatch_resource", "vehicle:v-m2"}));

  // team-zz back on duty: proposed at once.
  ASSERT_TRUE(Availability(ResourceKind::kTeam, "team-zz", true, T0() + minutes(2)).ok());
  const Assignment* a = Active(id, "zz-office");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->team_id, "team-zz");
  EXPECT_EQ(a->proposed_at, T0() + minutes(2));
  EXPECT_FALSE(module_->FindIncident(id)->responses[0].infeasible_since.has_value());
  EXPECT_THAT(out_.changed, ::testing::Contains(RecordRef{"incident", id}));
}

TEST_F(ProposalTest, ReproposalWhenTeamMemberOrVehicleBecomesUnavailable) {
  const std::string id = Report_("hebi", {"mine-1"}, 10);  // 1 leader, 1 staff, 1 driver
  EXPECT_THAT(MemberIds(*Active(id, "mine-1")), ElementsAre("m1-l1", "m1-s1", "m1-d1"));

  // A member not chosen: nothing to redo.
  ASSERT_TRUE(Availability(ResourceKind::kMember, "m1-s3", false).ok());
  EXPECT_EQ(Active(id, "mine-1")->number, 1u);
  EXPECT_EQ(CountAlerts(out_, "reproposal"), 0u);

  // A chosen member: the same team again with another staff.
  ASSERT_TRUE(Availability(ResourceKind::kMember, "m1-s1", false, T0() + minutes(1)).ok());
  EXPECT_EQ(CountAlerts(out_, "reproposal"), 1u);
  const Assignment* a = Active(id, "mine-1");
  EXPECT_EQ(a->number, 2u);
  EXPECT_EQ(a->team_id, "team-m1");
  EXPECT_THAT(MemberIds(*a), ElementsAre("m1-l1", "m1-s2", "m1-d1"));
  EXPECT_EQ(module_->FindIncident(id)->assignments[0].state, AssignmentState::kSuperseded);
  EXPECT_THAT(module_->FindIncident(id)->assignments[0].end_reason,
              HasSubstr("member m1-s1 became unavailable"));

  // The vehicle: mine-1 has no other, so the fastest other team.
  ASSERT_TRUE(Availability(ResourceKind::kVehicle, "v-m1", false, T0() + minutes(2)).ok());
  a = Active(id, "mine-1");
  EXPECT_EQ(a->number, 3u);
  EXPECT_EQ(a->team_id, "team-hq");
  EXPECT_EQ(a->eta, T0() + minutes(2) + minutes(40));
  // team-m1 is free again.
  EXPECT_FALSE(module_->Teams("mine-1")[0].assignment.has_value());

  // The team: team-hq off duty → team-m2.
  ASSERT_TRUE(Availability(ResourceKind::kTeam, "team-hq", false, T0() + minutes(3)).ok());
  EXPECT_EQ(Active(id, "mine-1")->team_id, "team-m2");
  EXPECT_EQ(Active(id, "mine-1")->number, 4u);
}

TEST_F(ProposalTest, ConfirmedAssignmentSupersededTellsTheTeamToStandDown) {
  world_.config.auto_confirm = true;
  Rebuild();
  const std::string id = Report_("hebi", {"mine-1"}, 10);
  ASSERT_EQ(Active(id, "mine-1")->state, AssignmentState::kConfirmed);
  ASSERT_TRUE(Availability(ResourceKind::kVehicle, "v-m1", false, T0() + minutes(1)).ok());
  // Stand down for team-m1, then a new dispatch order (auto-confirmed).
  ASSERT_EQ(out_.orders.size(), 3u);
  EXPECT_EQ(out_.orders[0].kind, OrderKind::kNotice);
  EXPECT_EQ(out_.orders[0].unit_id, "mine-1");
  EXPECT_THAT(out_.orders[0].title, HasSubstr("取消出警"));
  EXPECT_EQ(out_.notifications[0].template_id, "dispatch_cancelled");
  EXPECT_EQ(out_.orders[1].kind, OrderKind::kDispatch);
  EXPECT_EQ(out_.orders[1].dispatch->team_id, "team-hq");
  EXPECT_EQ(out_.orders[1].unit_id, "mine-1");
  EXPECT_EQ(out_.orders[2].unit_id, "hq");  // the unit whose team goes
  EXPECT_EQ(Active(id, "mine-1")->state, AssignmentState::kConfirmed);
  // Funds learn of it before the new dispatch: the first hold is released
  // before the second is placed.
  ASSERT_EQ(out_.events.size(), 2u);
  const auto& cancelled = std::get<DispatchCancelled>(out_.events[0]);
  EXPECT_EQ(cancelled.incident_id, id);
  EXPECT_EQ(cancelled.unit_id, "mine-1");
  EXPECT_THAT(cancelled.reason, HasSubstr("unavailable"));
  EXPECT_EQ(std::get<DispatchConfirmed>(out_.events[1]).unit_id, "mine-1");
}

TEST_F(ProposalTest, NoReproposalOnceTheUnitHasArrived) {
  world_.config.auto_confirm = true;
  Rebuild();
  const std::string id = Report_("hebi", {"mine-1"}, 10);
  Effects out;
  ASSERT_TRUE(module_
                  ->UpdateStatus({id, IncidentStep::kArrived, "", std::nullopt, "", ""},
                                 Actor::Agent("mine-1"), T0() + minutes(30), out)
                  .ok());
  ASSERT_TRUE(Availability(ResourceKind::kVehicle, "v-m1", false, T0() + minutes(31)).ok());
  EXPECT_EQ(Active(id, "mine-1")->number, 1u);
  EXPECT_TRUE(out_.orders.empty());
}

TEST_F(ProposalTest, ConfirmProducesOrderNotificationFeedAndDispatchConfirmed) {
  const std::string id = Report_("zhengzhou", {"mine-1"}, 30);
  Effects out;
  ASSERT_TRUE(module_->Confirm({id, ""}, Hq(), T0() + minutes(1), out).ok());
  const Incident& incident = *module_->FindIncident(id);
  EXPECT_EQ(incident.state, IncidentState::kDispatched);
  const Assignment& a = incident.assignments[0];
  EXPECT_EQ(a.confirmed_at, T0() + minutes(1));
  EXPECT_EQ(a.confirmed_by, Hq());

  ASSERT_EQ(out.orders.size(), 1u);
  const OrderRequest& order = out.orders[0];
  EXPECT_EQ(order.unit_id, "mine-1");
  EXPECT_EQ(order.kind, OrderKind::kDispatch);
  EXPECT_EQ(order.reference_id, id);
  EXPECT_EQ(order.respond_by, T0() + hours(2));
  ASSERT_TRUE(order.dispatch.has_value());
  const DispatchDetails& d = *order.dispatch;
  EXPECT_EQ(d.incident_id, id);
  EXPECT_EQ(d.region_id, "zhengzhou");
  EXPECT_EQ(d.address, "市政府北门");
  EXPECT_EQ(d.arrive_by, T0() + hours(2));
  EXPECT_EQ(d.team_id, "team-m1");
  ASSERT_EQ(d.members.size(), 5u);
  EXPECT_EQ(d.members[0].member_id, "m1-l1");
  EXPECT_EQ(d.members[0].role, "leader");
  EXPECT_EQ(d.members[0].person.phone, "+8613900001001");
  EXPECT_EQ(d.members[4].role, "driver");
  EXPECT_THAT(d.vehicle_ids, ElementsAre("v-m1"));
  EXPECT_THAT(d.deadline_rule, HasSubstr("provincial-capital-province"));
  EXPECT_EQ(d.summary, "退休职工集体上访");
  EXPECT_EQ(d.persons, 30u);
  EXPECT_THAT(order.text, HasSubstr("郑州"));

  ASSERT_EQ(out.notifications.size(), 1u);
  EXPECT_EQ(out.notifications[0].template_id, "dispatch_order");
  EXPECT_EQ(out.notifications[0].recipients.size(), 5u);
  EXPECT_EQ(out.notifications[0].reference_id, id);

  ASSERT_EQ(out.events.size(), 1u);
  const auto& confirmed = std::get<DispatchConfirmed>(out.events[0]);
  EXPECT_EQ(confirmed.incident_id, id);
  EXPECT_EQ(confirmed.unit_id, "mine-1");
  EXPECT_EQ(confirmed.destination_region, "zhengzhou");
  EXPECT_EQ(confirmed.destination_kind, RegionKind::kProvincialCapital);
  EXPECT_EQ(confirmed.people, 5u);
  EXPECT_EQ(confirmed.vehicles, 1u);
  EXPECT_DOUBLE_EQ(confirmed.distance_km, 170.0);

  bool dispatched_notice = false;
  for (const auto& notice : out.notices) dispatched_notice |= notice.state == "dispatched";
  EXPECT_TRUE(dispatched_notice);
  EXPECT_THAT(out.changed, ElementsAre(RecordRef{"incident", id}));
}

TEST_F(ProposalTest, FallbackOrderGoesToBothUnitsAndCountsTheLeaders) {
  ASSERT_TRUE(Availability(ResourceKind::kMember, "m1-l1", false).ok());
  const std::string id = Report_("hebi", {"mine-1"}, 10);
  Effects out;
  ASSERT_TRUE(module_->Confirm({id, "mine-1"}, Hq(), T0(), out).ok());
  ASSERT_EQ(out.orders.size(), 2u);
  EXPECT_EQ(out.orders[0].unit_id, "mine-1");
  EXPECT_EQ(out.orders[1].unit_id, "hq");
  const auto& members = out.orders[0].dispatch->members;
  ASSERT_EQ(members.size(), 5u);  // hq leader, staff, driver + mine-1's two leaders
  EXPECT_EQ(members[3].member_id, "");
  EXPECT_EQ(members[3].person.name, "矿长甲");
  EXPECT_EQ(out.notifications[0].recipients.size(), 5u);
  EXPECT_EQ(std::get<DispatchConfirmed>(out.events[0]).people, 5u);
}

TEST_F(ProposalTest, ConfirmErrors) {
  const std::string id = Report_("hebi", {"mine-1"}, 10);
  Effects out;
  EXPECT_EQ(module_->Confirm({id, ""}, Actor::Agent("mine-1"), T0(), out).code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(module_->Confirm({"INC-x", ""}, Hq(), T0(), out).code(), StatusCode::kNotFound);
  EXPECT_EQ(module_->Confirm({id, "mine-2"}, Hq(), T0(), out).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(module_->Confirm({id, "mine-1"}, Hq(), T0(), out).ok());
  Effects again;
  EXPECT_EQ(module_->Confirm({id, "mine-1"}, Hq(), T0(), again).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(module_->Confirm({id, ""}, Hq(), T0(), again).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(again.empty());
}

TEST_F(ProposalTest, OverrideReplacesTheProposalAndIsConfirmed) {
  const std::string id = Report_("hebi", {"mine-1"}, 10);
  OverrideRequest request{
      id, "mine-1", "team-hq", {"hq-l1", "hq-l2", "hq-s1", "hq-d1"}, {"v-hq-1"}, "两位领导带队"};
  Effects out;
  ASSERT_TRUE(module_->Override(request, Hq(), T0() + minutes(1), out).ok());
  const Incident& incident = *module_->FindIncident(id);
  EXPECT_EQ(incident.assignments[0].state, AssignmentState::kSuperseded);
  const Assignment& a = incident.assignments[1];
  EXPECT_EQ(a.state, AssignmentState::kConfirmed);
  EXPECT_TRUE(a.by_operator);
  EXPECT_EQ(a.proposed_by, Hq());
  EXPECT_THAT(MemberIds(a), ElementsAre("hq-l1", "hq-l2", "hq-s1", "hq-d1"));
  EXPECT_THAT(a.explanation.reasons[0], HasSubstr("chosen by HQ (operator:zhang)"));
  EXPECT_EQ(incident.state, IncidentState::kDispatched);
  EXPECT_EQ(out.orders.size(), 2u);  // to mine-1 and to hq
  // team-m1 is free; team-hq is held for this incident.
  for (const auto& team : module_->Teams()) {
    if (team.id == "team-m1") {
      EXPECT_FALSE(team.assignment.has_value());
    }
    if (team.id == "team-hq") {
      ASSERT_TRUE(team.assignment.has_value());
      EXPECT_EQ(team.assignment->state, AssignmentState::kConfirmed);
    }
  }
}

TEST_F(ProposalTest, OverrideErrorsChangeNothing) {
  const std::string first = Report_("hebi", {"mine-1"}, 10);   // holds team-m1
  const std::string second = Report_("hebi", {"mine-2"}, 10);  // holds team-m2
  auto expect = [&](OverrideRequest request, StatusCode code, std::string_view message) {
    Effects out;
    const auto before = module_->Snapshot();
    const Status status = module_->Override(request, Hq(), T0(), out);
    EXPECT_EQ(status.code(), code) << status;
    EXPECT_THAT(status.message(), HasSubstr(message));
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(module_->Snapshot(), before);
  };
  expect({second, "mine-2", "team-m1", {}, {}, ""}, StatusCode::kFailedPrecondition,
         StrCat("busy on ", first));
  expect({second, "mine-2", "team-hq", {"m1-s1"}, {}, ""}, StatusCode::kInvalidArgument,
         "is in team team-m1");
  expect({second, "mine-2", "team-hq", {}, {"v-none"}, ""}, StatusCode::kNotFound, "v-none");
  expect({second, "mine-2", "team-none", {}, {}, ""}, StatusCode::kNotFound, "team-none");
  expect({second, "mine-2", "team-hq", {}, {"v-m1"}, ""}, StatusCode::kFailedPrecondition,
         "vehicle v-m1 is busy");
  expect({second,
          "mine-2",
          "team-hq",
          {"hq-l1", "hq-l2", "hq-s1", "hq-s2", "hq-s3", "hq-s4", "hq-d1", "hq-d2"},
          {"v-hq-1"},
          ""},
         StatusCode::kFailedPrecondition, "8 people do not fit in 7 seats");
  expect({second, "zz-office", "team-hq", {}, {}, ""}, StatusCode::kInvalidArgument,
         "not involved");
  ASSERT_TRUE(Availability(ResourceKind::kMember, "hq-s1", false).ok());
  expect({second, "mine-2", "team-hq", {"hq-l1", "hq-s1", "hq-d1"}, {}, ""},
         StatusCode::kFailedPrecondition, "member hq-s1 is off duty");
  Effects out;
  EXPECT_EQ(
      module_
          ->Override({second, "mine-2", "team-hq", {}, {}, ""}, Actor::Agent("mine-2"), T0(), out)
          .code(),
      StatusCode::kPermissionDenied);
}

TEST_F(ProposalTest, OverrideAssignsAUnitNoRuleCovers) {
  const std::string id = Report_("zhengzhou", {"bj-office"}, 10);
  EXPECT_EQ(Active(id, "bj-office"), nullptr);
  Effects out;
  ASSERT_TRUE(module_->Override({id, "bj-office", "team-bj", {}, {}, ""}, Hq(), T0(), out).ok());
  const Assignment* a = Active(id, "bj-office");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->eta, T0() + minutes(15) + hours(4));
  ASSERT_EQ(out.orders.size(), 1u);
  EXPECT_FALSE(out.orders[0].respond_by.has_value());
  EXPECT_EQ(out.orders[0].dispatch->arrive_by, a->eta);
  EXPECT_THAT(out.orders[0].dispatch->deadline_rule, HasSubstr("no rule covers bj-office"));
  EXPECT_THAT(a->explanation.reasons[1], HasSubstr("no deadline applies"));
}

TEST_F(ProposalTest, ReassignExcludesTheCurrentTeamForGood) {
  const std::string id = Report_("hebi", {"mine-1"}, 10);
  Effects out;
  ASSERT_TRUE(module_->Reassign({id, "mine-1", {}, "该队刚完成任务"}, Hq(), T0(), out).ok());
  const Assignment* a = Active(id, "mine-1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->team_id, "team-hq");
  EXPECT_EQ(a->explanation.rejected[0].reason, "excluded by HQ for this unit");
  EXPECT_THAT(module_->FindIncident(id)->responses[0].excluded_team_ids, ElementsAre("team-m1"));
  // Excluding team-hq as well: team-m2.
  ASSERT_TRUE(module_->Reassign({id, "mine-1", {}, ""}, Hq(), T0(), out).ok());
  EXPECT_EQ(Active(id, "mine-1")->team_id, "team-m2");
  // A later re-proposal keeps both out: team-m2 unavailable → team-ay (55m).
  ASSERT_TRUE(Availability(ResourceKind::kTeam, "team-m2", false).ok());
  EXPECT_EQ(Active(id, "mine-1")->team_id, "team-ay");
  // Reassign for a unit no rule covers is refused.
  const std::string uncovered = Report_("zhengzhou", {"bj-office"}, 10);
  Effects refused;
  EXPECT_EQ(module_->Reassign({uncovered, "bj-office", {}, ""}, Hq(), T0(), refused).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(module_->Reassign({id, "mine-1", {"team-nope"}, ""}, Hq(), T0(), refused).code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(refused.empty());
}

TEST_F(ProposalTest, NoTeamMemberOrVehicleOnTwoIncidents) {
  std::vector<std::string> ids;
  for (int i = 0; i < 8; ++i) ids.push_back(Report_("hebi", {"mine-1"}, 10, T0() + minutes(i)));
  std::set<std::string> teams, members, vehicles;
  size_t assigned = 0;
  for (const auto& id : ids) {
    const Assignment* a = Active(id, "mine-1");
    if (a == nullptr) continue;
    ++assigned;
    EXPECT_TRUE(teams.insert(a->team_id).second) << a->team_id;
    for (const auto& m : a->members) EXPECT_TRUE(members.insert(m.member_id).second);
    for (const auto& v : a->vehicle_ids) EXPECT_TRUE(vehicles.insert(v).second);
  }
  // Within 1h of Hebi: team-m1, team-hq, team-m2, team-ay; the rest wait.
  EXPECT_EQ(assigned, 4u);
  EXPECT_EQ(teams, (std::set<std::string>{"team-m1", "team-hq", "team-m2", "team-ay"}));

  // Settling the first frees team-m1 for the oldest waiting incident.
  Effects out;
  const std::string first = ids[0];
  ASSERT_TRUE(module_->Confirm({first, ""}, Hq(), T0() + minutes(10), out).ok());
  ASSERT_TRUE(module_
                  ->UpdateStatus({first, IncidentStep::kArrived, "", std::nullopt, "", ""}, Hq(),
                                 T0() + minutes(12), out)
                  .ok());
  // ids[4] was reported at +4m (deadline +64m); team-m1 freed at +15m is
  // there at +60m. ids[5] (deadline +65m) cannot use anybody else.
  Effects settled;
  ASSERT_TRUE(module_
                  ->UpdateStatus({first, IncidentStep::kSettled, "", std::nullopt, "", ""}, Hq(),
                                 T0() + minutes(15), settled)
                  .ok());
  const Assignment* a = Active(ids[4], "mine-1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->team_id, "team-m1");
  EXPECT_THAT(settled.changed, ::testing::Contains(RecordRef{"incident", ids[4]}));
  EXPECT_EQ(Active(ids[5], "mine-1"), nullptr);
}

TEST_F(ProposalTest, SameInputsSameProposals) {
  auto run = [&] {
    auto module = world_.Make();
    Effects out;
    for (int i = 0; i < 6; ++i) {
      (void)module->ReportIncident(Report(i % 2 ? "zhengzhou" : "hebi", {"mine-1", "mine-2"}, 15),
                                   Hq(), T0() + minutes(i), out);
    }
    (void)module->SetAvailability({ResourceKind::kTeam, "team-hq", false, ""}, Hq(),
                                  T0() + minutes(7), out);
    return module->Snapshot();
  };
  const auto a = run();
  const auto b = run();
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.incidents.size(), 6u);
}

TEST_F(ProposalTest, AMovedModuleKeepsWorking) {
  const std::string first = Report_("hebi", {"mine-1"}, 10);
  const DispatchSnapshot before = module_->Snapshot();
  DispatchModule moved(std::move(*module_));
  module_.reset();
  EXPECT_EQ(moved.Snapshot(), before);
  Effects out;
  auto second = moved.ReportIncident(Report("hebi", {"mine-1"}, 10), Hq(), T0(), out);
  ASSERT_TRUE(second.ok());
  // team-m1 is still held for the first incident: the second falls back.
  EXPECT_EQ(ActiveAssignment(*moved.FindIncident(*second), "mine-1")->team_id, "team-hq");
  EXPECT_EQ(moved.config().teams.size(), world_.config.teams.size());
}

TEST_F(ProposalTest, AvailabilityPermissions) {
  Effects out;
  EXPECT_EQ(module_
                ->SetAvailability({ResourceKind::kVehicle, "v-m1", false, ""},
                                  Actor::Agent("mine-2"), T0(), out)
                .code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(module_->SetAvailability({ResourceKind::kMember, "nobody", false, ""}, Hq(), T0(), out)
                .code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(module_
                  ->SetAvailability({ResourceKind::kMember, "m1-s1", false, "病假"},
                                    Actor::Agent("mine-1"), T0(), out)
                  .ok());
  const ResourceStatus* status = module_->FindResourceStatus(ResourceKind::kMember, "m1-s1");
  ASSERT_NE(status, nullptr);
  EXPECT_FALSE(status->available);
  EXPECT_EQ(status->note, "病假");
  EXPECT_EQ(status->changed_by, Actor::Agent("mine-1"));
  // Setting the same value again is a no-op.
  Effects same;
  EXPECT_TRUE(
      module_->SetAvailability({ResourceKind::kMember, "m1-s1", false, ""}, Hq(), T0(), same).ok());
  EXPECT_TRUE(same.empty());
}

}  // namespace
}  // namespace anding::core::dispatch

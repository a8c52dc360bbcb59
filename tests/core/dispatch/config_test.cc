// Reading and validating the `dispatch:` section: defaults, the demo file,
// and every validation error with file:line:column and the key path.
#include "anding/core/dispatch/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/dispatch/test_world.h"

namespace anding::core::dispatch {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using ::testing::HasSubstr;

constexpr std::string_view kOrg = R"yaml(
regions:
  - {id: hebi, name: 鹤壁, kind: home_city, province: henan}
  - {id: zhengzhou, name: 郑州, kind: provincial_capital, province: henan}
units:
  - {id: mine-1, name: 一矿, region: hebi}
)yaml";

struct Read {
  DispatchConfig config;
  Status status;
};

Read ReadYaml(std::string_view dispatch_section) {
  auto doc = ConfigDocument::LoadString(StrCat(kOrg, dispatch_section), "dispatcher.yaml");
  EXPECT_TRUE(doc.ok()) << doc.status();
  ConfigNode root = doc->root();
  const Organisation org = Organisation::Read(root);
  Read read;
  read.config = ReadDispatchConfig(root, org);
  read.status = doc->Finish();
  return read;
}

// Line numbers below count from the first line of kOrg (a blank line), so
// the `dispatch:` line of a section is line 7.
TEST(DispatchConfigTest, DefaultsWhenTheSectionIsAbsent) {
  const Read read = ReadYaml("");
  ASSERT_TRUE(read.status.ok()) << read.status;
  EXPECT_FALSE(read.config.auto_confirm);
  EXPECT_EQ(read.config.warning_lead_times, (std::vector<Duration>{minutes(30), minutes(10)}));
  EXPECT_EQ(read.config.mobilisation, minutes(15));
  ASSERT_EQ(read.config.rules.size(), 5u);
  EXPECT_EQ(read.config.rules[0].id, "home-city-local");
  EXPECT_EQ(read.config.rules[4].limit, hours(6));
  EXPECT_TRUE(read.config.teams.empty());
}

TEST(DispatchConfigTest, ReadsEverySetting) {
  const Read read = ReadYaml(R"yaml(dispatch:
  auto_confirm: true
  warning_lead_times: [5m, 45m, 15m]
  mobilisation: 20m
  team_sizing: {leaders: 2, petitioners_per_staff: 5, min_staff: 2, max_staff: 9, vehicles_need_drivers: false}
  grading:
    persons: {medium: 3, high: 10, critical: 50}
    raise_by_place: {national_capital: 1}
    individual_extreme_at_least: critical
  travel:
    speed_kmh: 80
    road_factor: 1.2
    within_region: 25m
    matrix: {hebi: {zhengzhou: {time: 1h40m, km: 170.5}}}
  rules:
    - {id: hebi-any, incident_region: hebi, unit_located: any, limit: 90m}
  teams:
    - id: t1
      home_unit: mine-1
      mobilisation: 5m
      on_duty: false
      members:
        - {id: a, name: 甲, role: leader, phone: "+8613900000000", title: 队长}
        - {id: b, name: 乙, role: driver, on_duty: false}
  vehicles:
    - {id: v1, name: 车, plate: 豫F·1, home_unit: mine-1, seats: 7, available: false}
)yaml");
  ASSERT_TRUE(read.status.ok()) << read.status;
  const DispatchConfig& c = read.config;
  EXPECT_TRUE(c.auto_confirm);
  EXPECT_EQ(c.warning_lead_times, (std::vector<Duration>{minutes(45), minutes(15), minutes(5)}));
  EXPECT_EQ(c.mobilisation, minutes(20));
  EXPECT_EQ(c.sizing.leaders, 2u);
  EXPECT_EQ(c.sizing.petitioners_per_staff, 5u);
  EXPECT_EQ(c.sizing.max_staff, 9u);
  EXPECT_FALSE(c.sizing.vehicles_need_drivers);
  EXPECT_EQ(c.grading.critical_persons, 50u);
  EXPECT_EQ(c.grading.raise_by_place.size(), 1u);
  EXPECT_EQ(c.grading.individual_extreme_at_least, Grade::kCritical);
  EXPECT_EQ(c.travel.speed_kmh, 80);
  EXPECT_EQ(c.travel.within_region, minutes(25));
  const Route route = c.travel.matrix.at({"hebi", "zhengzhou"});
  EXPECT_EQ(route.time, minutes(100));
  EXPECT_EQ(route.distance_m, 170'500);
  ASSERT_EQ(c.rules.size(), 1u);
  EXPECT_EQ(c.rules[0].incident_region_id, "hebi");
  EXPECT_FALSE(c.rules[0].incident_region_kind.has_value());
  ASSERT_EQ(c.teams.size(), 1u);
  EXPECT_EQ(c.teams[0].mobilisation, minutes(5));
  EXPECT_FALSE(c.teams[0].on_duty);
  EXPECT_EQ(c.teams[0].members[0].person.title, "队长");
  EXPECT_EQ(c.teams[0].members[1].role, Role::kDriver);
  EXPECT_FALSE(c.teams[0].members[1].on_duty);
  EXPECT_EQ(c.teams[0].members[1].team_id, "t1");
  EXPECT_EQ(c.vehicles[0].seats, 7u);
  EXPECT_FALSE(c.vehicles[0].available);
}

struct BadCase {
  const char* name;
  const char* yaml;
  const char* message;  // expected substring: file:line:column: path: text
};

class DispatchConfigErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(DispatchConfigErrorTest, NamesFileLineAndKey) {
  const Read read = ReadYaml(GetParam().yaml);
  EXPECT_EQ(read.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(read.status.message(), HasSubstr(GetParam().message)) << read.status;
}

INSTANTIATE_TEST_SUITE_P(
    Errors, DispatchConfigErrorTest,
    ::testing::Values(
        BadCase{"UnknownTeamHomeUnit",
                "dispatch:\n  teams:\n    - id: t\n      home_unit: mine-9\n      members:\n"
                "        - {id: a, name: 甲, role: leader}\n",
                "dispatcher.yaml:10:18: dispatch.teams[0].home_unit: unknown unit 'mine-9'"},
        BadCase{"MemberWithoutRole",
                "dispatch:\n  teams:\n    - id: t\n      home_unit: mine-1\n      members:\n"
                "        - {id: a, name: 甲, role: leader}\n        - {id: b, name: 乙}\n",
                "dispatcher.yaml:13:11: dispatch.teams[0].members[1]: missing required key "
                "'role'"},
        BadCase{"UnknownRole",
                "dispatch:\n  teams:\n    - id: t\n      home_unit: mine-1\n      members:\n"
                "        - {id: a, name: 甲, role: boss}\n",
                "dispatch.teams[0].members[0].role: expected leader, staff or driver"},
        BadCase{"TeamWithoutLeader",
                "dispatch:\n  teams:\n    - id: t\n      home_unit: mine-1\n      members:\n"
                "        - {id: a, name: 甲, role: staff}\n",
                "dispatcher.yaml:12:9: dispatch.teams[0].members: team 't' needs at least one "
                "member with role leader"},
        BadCase{"DuplicateMemberAcrossTeams",
                "dispatch:\n  teams:\n    - id: t\n      home_unit: mine-1\n      members:\n"
                "        - {id: a, name: 甲, role: leader}\n    - id: u\n      home_unit: mine-1\n"
                "      members:\n        - {id: a, name: 乙, role: leader}\n",
                "dispatcher.yaml:16:16: dispatch.teams[1].members[0].id: duplicate member id "
                "'a'"},
        BadCase{"NegativeSeats",
                "dispatch:\n  vehicles:\n    - {id: v, home_unit: mine-1, seats: -3}\n",
                "dispatcher.yaml:9:41: dispatch.vehicles[0].seats: must be between 1 and 100"},
        BadCase{"ZeroSeats", "dispatch:\n  vehicles:\n    - {id: v, home_unit: mine-1, seats: 0}\n",
                "dispatch.vehicles[0].seats: must be between 1 and 100"},
        BadCase{"MissingSeats", "dispatch:\n  vehicles:\n    - {id: v, home_unit: mine-1}\n",
                "dispatch.vehicles[0]: missing required key 'seats'"},
        BadCase{"VehicleUnknownUnit",
                "dispatch:\n  vehicles:\n    - {id: v, home_unit: nowhere, seats: 5}\n",
                "dispatch.vehicles[0].home_unit: unknown unit 'nowhere'"},
        BadCase{"RuleUnknownRegionKind",
                "dispatch:\n  rules:\n    - id: r\n      incident_region_kind: capital\n"
                "      unit_located: any\n      limit: 1h\n",
                "dispatcher.yaml:10:29: dispatch.rules[0].incident_region_kind: unknown region "
                "kind 'capital'"},
        BadCase{"RuleUnknownRegion",
                "dispatch:\n  rules:\n    - {id: r, incident_region: luoyang, unit_located: any, "
                "limit: 1h}\n",
                "dispatch.rules[0].incident_region: unknown region 'luoyang'"},
        BadCase{"RuleWithBothRegionAndKind",
                "dispatch:\n  rules:\n    - {id: r, incident_region: hebi, incident_region_kind: "
                "home_city, unit_located: any, limit: 1h}\n",
                "dispatch.rules[0]: a rule names incident_region or incident_region_kind, not "
                "both"},
        BadCase{"RuleWithoutRegion",
                "dispatch:\n  rules:\n    - {id: r, unit_located: any, limit: 1h}\n",
                "dispatch.rules[0]: a rule needs incident_region_kind or incident_region"},
        BadCase{"RuleUnknownPlacement",
                "dispatch:\n  rules:\n    - {id: r, incident_region: hebi, unit_located: near, "
                "limit: 1h}\n",
                "dispatch.rules[0].unit_located: expected same_region"},
        BadCase{"RuleZeroLimit",
                "dispatch:\n  rules:\n    - {id: r, incident_region: hebi, unit_located: any, "
                "limit: 0s}\n",
                "dispatch.rules[0].limit: must be greater than zero"},
        BadCase{"RuleBadLimit",
                "dispatch:\n  rules:\n    - {id: r, incident_region: hebi, unit_located: any, "
                "limit: soon}\n",
                "dispatch.rules[0].limit: not a duration: 'soon'"},
        BadCase{"DuplicateRuleId",
                "dispatch:\n  rules:\n    - {id: r, incident_region: hebi, unit_located: any, "
                "limit: 1h}\n    - {id: r, incident_region: hebi, unit_located: any, limit: 2h}\n",
                "dispatch.rules[1].id: duplicate rule id 'r'"},
        BadCase{"EmptyRuleTable", "dispatch:\n  rules: []\n",
                "dispatch.rules: the rule table is empty"},
        BadCase{"TravelUnknownRegion",
                "dispatch:\n  travel:\n    matrix:\n      hebi:\n        luoyang: {time: 2h}\n",
                "dispatcher.yaml:11:18: dispatch.travel.matrix.hebi.luoyang: unknown region "
                "'luoyang'"},
        BadCase{"TravelRouteWithoutTime",
                "dispatch:\n  travel:\n    matrix:\n      hebi:\n        zhengzhou: {km: 170}\n",
                "dispatch.travel.matrix.hebi.zhengzhou: missing required key 'time'"},
        BadCase{"TravelBadSpeed", "dispatch:\n  travel: {speed_kmh: 0}\n",
                "dispatch.travel.speed_kmh: must be above 0"},
        BadCase{"SizingMaxBelowMin", "dispatch:\n  team_sizing: {min_staff: 4, max_staff: 2}\n",
                "dispatch.team_sizing.max_staff: must not be below min_staff (4)"},
        BadCase{"SizingZeroK", "dispatch:\n  team_sizing: {petitioners_per_staff: 0}\n",
                "dispatch.team_sizing.petitioners_per_staff: must be between 1 and"},
        BadCase{"GradingUnknownPlace", "dispatch:\n  grading:\n    raise_by_place: {capital: 1}\n",
                "dispatch.grading.raise_by_place.capital: unknown region kind 'capital'"},
        BadCase{"GradingThresholdsOutOfOrder",
                "dispatch:\n  grading:\n    persons: {medium: 10, high: 5}\n",
                "dispatch.grading.persons.high: must not be below medium"},
        BadCase{"DuplicateLeadTime", "dispatch:\n  warning_lead_times: [30m, 30m]\n",
                "dispatch.warning_lead_times[1]: lead time 30m is listed twice"},
        BadCase{"ZeroLeadTime", "dispatch:\n  warning_lead_times: [0s]\n",
                "dispatch.warning_lead_times[0]: must be greater than zero"},
        BadCase{"UnknownKey", "dispatch:\n  auto_confirmm: true\n",
                "dispatcher.yaml:8:3: dispatch.auto_confirmm: unknown key"},
        BadCase{"BadPhone",
                "dispatch:\n  teams:\n    - id: t\n      home_unit: mine-1\n      members:\n"
                "        - {id: a, name: 甲, role: leader, phone: 13900000000}\n",
                "dispatch.teams[0].members[0].phone: must be in E.164 form"},
        BadCase{"DuplicateTeam",
                "dispatch:\n  teams:\n    - {id: t, home_unit: mine-1, members: [{id: a, name: "
                "甲, role: leader}]}\n    - {id: t, home_unit: mine-1, members: [{id: b, name: 乙, "
                "role: leader}]}\n",
                "dispatch.teams[1].id: duplicate team id 't'"}),
    [](const ::testing::TestParamInfo<BadCase>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(DispatchConfigTest, DemoFileIsValid) {
  auto doc =
      ConfigDocument::LoadFile(StrCat(ANDING_SOURCE_DIR, "/deploy/demo/dispatch-example.yaml"));
  ASSERT_TRUE(doc.ok()) << doc.status();
  ConfigNode root = doc->root();
  const Organisation org = Organisation::Read(root);
  const DispatchConfig config = ReadDispatchConfig(root, org);
  const Status status = doc->Finish();
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(config.teams.size(), 6u);
  EXPECT_EQ(config.vehicles.size(), 8u);
  // The demo spells out the default table: same rules, same order.
  ASSERT_EQ(config.rules.size(), DefaultDeadlineRules().size());
  for (size_t i = 0; i < config.rules.size(); ++i) {
    EXPECT_EQ(config.rules[i].id, DefaultDeadlineRules()[i].id);
    EXPECT_EQ(config.rules[i].limit, DefaultDeadlineRules()[i].limit);
    EXPECT_EQ(config.rules[i].unit_located, DefaultDeadlineRules()[i].unit_located);
    EXPECT_EQ(config.rules[i].incident_region_kind, DefaultDeadlineRules()[i].incident_region_kind);
  }
  ASSERT_NE(org.FindRegion("hebi"), nullptr);
  EXPECT_TRUE(org.FindRegion("hebi")->location.has_value());

  // And it dispatches: a Zhengzhou petition involving mine-3 gets mine-3's
  // own team (1h35m + 15m ≤ 2h), a Beijing one as well (4h + 15m ≤ 6h).
  DispatchModule module(config, org);
  Effects out;
  const Time now = testing::T0();
  auto id = module.ReportIncident(testing::Report("zhengzhou", {"mine-3"}, 20),
                                  Actor::Agent("mine-3"), now, out);
  ASSERT_TRUE(id.ok()) << id.status();
  const Assignment* active = ActiveAssignment(*module.FindIncident(*id), "mine-3");
  ASSERT_NE(active, nullptr);
  EXPECT_EQ(active->team_id, "team-mine3");
  EXPECT_EQ(active->eta, now + minutes(110));
  id = module.ReportIncident(testing::Report("beijing", {"mine-2"}, 10), Actor::Agent("mine-2"),
                             now, out);
  ASSERT_TRUE(id.ok()) << id.status();
  active = ActiveAssignment(*module.FindIncident(*id), "mine-2");
  ASSERT_NE(active, nullptr);
  EXPECT_EQ(active->team_id, "team-mine2");
  // A Hebi incident at mine-8: its own team has no driver on duty, so the
  // fastest other team goes and mine-8's leader still goes.
  id = module.ReportIncident(testing::Report("hebi", {"mine-8"}, 10), Actor::Agent("mine-8"), now,
                             out);
  ASSERT_TRUE(id.ok()) << id.status();
  active = ActiveAssignment(*module.FindIncident(*id), "mine-8");
  ASSERT_NE(active, nullptr);
  EXPECT_TRUE(active->fallback);
  ASSERT_EQ(active->accompanying_leaders.size(), 1u);
  EXPECT_EQ(active->accompanying_leaders[0].name, "陈刚");
}

}  // namespace
}  // namespace anding::core::dispatch

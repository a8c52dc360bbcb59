// The deadline table (design §2.6) row by row, first-match-wins, grading,
// team sizing and travel estimates.
#include "anding/core/dispatch/rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/dispatch/test_world.h"

namespace anding::core::dispatch {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using ::testing::HasSubstr;
using testing::T0;
using testing::World;

struct Row {
  const char* incident_region;
  const char* unit;
  std::optional<Duration> limit;  // nullopt: no rule covers it
  const char* rule_id;
};

class DeadlineTableTest : public ::testing::TestWithParam<Row> {};

TEST_P(DeadlineTableTest, DefaultTableGivesTheDesignedDeadline) {
  const World world;
  const Row& row = GetParam();
  const auto deadline =
      ComputeArrivalDeadline(world.config.rules, world.org, row.incident_region, row.unit, T0());
  if (!row.limit) {
    EXPECT_FALSE(deadline.has_value()) << deadline->rule_id;
    return;
  }
  ASSERT_TRUE(deadline.has_value());
  EXPECT_EQ(deadline->limit, *row.limit);
  EXPECT_EQ(deadline->at, T0() + *row.limit);
  EXPECT_EQ(deadline->rule_id, row.rule_id);
  EXPECT_THAT(deadline->rule_text.str(), HasSubstr(row.rule_id));
}

INSTANTIATE_TEST_SUITE_P(
    DesignTable, DeadlineTableTest,
    ::testing::Values(
        // home city (Hebi): a unit in Hebi 1h, a unit outside Hebi 2h (anywhere).
        Row{"hebi", "mine-1", hours(1), "home-city-local"},
        Row{"hebi", "hq", hours(1), "home-city-local"},
        Row{"hebi", "zz-office", hours(2), "home-city-outside"},
        Row{"hebi", "anyang-plant", hours(2), "home-city-outside"},
        Row{"hebi", "bj-office", hours(2), "home-city-outside"},
        Row{"hebi", "sh-office", hours(2), "home-city-outside"},
        // provincial capital (Zhengzhou): in Zhengzhou 1h, elsewhere in Henan 2h,
        // outside Henan: no rule.
        Row{"zhengzhou", "zz-office", hours(1), "provincial-capital-local"},
        Row{"zhengzhou", "mine-1", hours(2), "provincial-capital-province"},
        Row{"zhengzhou", "anyang-plant", hours(2), "provincial-capital-province"},
        Row{"zhengzhou", "bj-office", std::nullopt, ""},
        Row{"zhengzhou", "sh-office", std::nullopt, ""},
        // national capital (Beijing): any unit 6h.
        Row{"beijing", "mine-1", hours(6), "national-capital"},
        Row{"beijing", "zz-office", hours(6), "national-capital"},
        Row{"beijing", "bj-office", hours(6), "national-capital"},
        Row{"beijing", "sh-office", hours(6), "national-capital"},
        // a region of kind "other": no rule at all.
        Row{"anyang", "anyang-plant", std::nullopt, ""},
        Row{"shanghai", "mine-1", std::nullopt, ""},
        // unknown unit or region: no deadline rather than a guess.
        Row{"hebi", "no-such-unit", std::nullopt, ""},
        Row{"atlantis", "mine-1", std::nullopt, ""}));

Region MakeRegion(std::string id, RegionKind kind, std::string province) {
  Region region;
  region.id = std::move(id);
  region.kind = kind;
  region.province = std::move(province);
  return region;
}

DeadlineRule MakeRule(std::string id, std::optional<RegionKind> kind, std::string region_id,
                      UnitLocated located, Duration limit) {
  DeadlineRule rule;
  rule.id = std::move(id);
  rule.incident_region_kind = kind;
  rule.incident_region_id = std::move(region_id);
  rule.unit_located = located;
  rule.limit = limit;
  return rule;
}

TEST(DeadlineRulesTest, FirstMatchingRuleWins) {
  const Region hebi = MakeRegion("hebi", RegionKind::kHomeCity, "henan");
  const std::vector<DeadlineRule> rules = {
      MakeRule("any-first", RegionKind::kHomeCity, "", UnitLocated::kAny, minutes(90)),
      MakeRule("local", RegionKind::kHomeCity, "", UnitLocated::kSameRegion, hours(1))};
  EXPECT_EQ(MatchDeadlineRule(rules, hebi, hebi)->id, "any-first");
  const std::vector<DeadlineRule> reversed = {rules[1], rules[0]};
  EXPECT_EQ(MatchDeadlineRule(reversed, hebi, hebi)->id, "local");
}

TEST(DeadlineRulesTest, RegionSpecificRuleAndUnitPlacement) {
  const Region hebi = MakeRegion("hebi", RegionKind::kHomeCity, "henan");
  const Region anyang = MakeRegion("anyang", RegionKind::kOther, "henan");
  const Region shanghai = MakeRegion("shanghai", RegionKind::kOther, "shanghai");
  const Region nowhere = MakeRegion("nowhere", RegionKind::kOther, "");
  const DeadlineRule anyang_rule =
      MakeRule("anyang", std::nullopt, "anyang", UnitLocated::kSameProvince, minutes(90));
  EXPECT_TRUE(RuleMatches(anyang_rule, anyang, hebi));
  EXPECT_TRUE(RuleMatches(anyang_rule, anyang, anyang));
  EXPECT_FALSE(RuleMatches(anyang_rule, anyang, shanghai));
  EXPECT_FALSE(RuleMatches(anyang_rule, hebi, hebi));  // other incident region
  // Province comparisons need both provinces.
  EXPECT_FALSE(RuleMatches(anyang_rule, anyang, nowhere));
  const DeadlineRule outside =
      MakeRule("outside", std::nullopt, "anyang", UnitLocated::kOutsideProvince, hours(3));
  EXPECT_TRUE(RuleMatches(outside, anyang, shanghai));
  EXPECT_FALSE(RuleMatches(outside, anyang, hebi));
  EXPECT_FALSE(RuleMatches(outside, anyang, nowhere));
  const DeadlineRule outside_region =
      MakeRule("outside-region", RegionKind::kOther, "", UnitLocated::kOutsideRegion, hours(3));
  EXPECT_FALSE(RuleMatches(outside_region, anyang, anyang));
  EXPECT_TRUE(RuleMatches(outside_region, anyang, nowhere));
  EXPECT_EQ(DescribeRule(anyang_rule),
            "anyang: incident in anyang, unit in the same province → 1h30m");
}

TEST(GradingTest, PersonsPlaceAndIndividualExtreme) {
  const GradingConfig grading;  // medium 5, high 30, critical 100; capital +1, Beijing +2
  EXPECT_EQ(GradeIncident(grading, IncidentType::kGroupPetition, 4, RegionKind::kHomeCity),
            Grade::kLow);
  EXPECT_EQ(GradeIncident(grading, IncidentType::kGroupPetition, 5, RegionKind::kHomeCity),
            Grade::kMedium);
  EXPECT_EQ(GradeIncident(grading, IncidentType::kGroupPetition, 29, RegionKind::kHomeCity),
            Grade::kMedium);
  EXPECT_EQ(GradeIncident(grading, IncidentType::kGroupPetition, 30, RegionKind::kHomeCity),
            Grade::kHigh);
  EXPECT_EQ(GradeIncident(grading, IncidentType::kGroupPetition, 100, RegionKind::kOther),
            Grade::kCritical);
  // The provincial capital raises one step, Beijing two, capped at critical.
  EXPECT_EQ(GradeIncident(grading, IncidentType::kGroupPetition, 5, RegionKind::kProvincialCapital),
            Grade::kHigh);
  EXPECT_EQ(GradeIncident(grading, IncidentType::kGroupPetition, 4, RegionKind::kNationalCapital),
            Grade::kHigh);
  EXPECT_EQ(GradeIncident(grading, IncidentType::kGroupPetition, 30, RegionKind::kNationalCapital),
            Grade::kCritical);
  // One person threatening self-harm is at least high.
  EXPECT_EQ(GradeIncident(grading, IncidentType::kIndividualExtreme, 1, RegionKind::kHomeCity),
            Grade::kHigh);
  EXPECT_EQ(GradeIncident(grading, IncidentType::kOther, 1, RegionKind::kHomeCity), Grade::kLow);
}

TEST(SizingTest, OneStaffPerKPetitionersClamped) {
  TeamSizing sizing;  // 1 leader, K = 10, staff 1..6
  EXPECT_EQ(RequiredCrew(sizing, 1).staff, 1u);
  EXPECT_EQ(RequiredCrew(sizing, 10).staff, 1u);
  EXPECT_EQ(RequiredCrew(sizing, 11).staff, 2u);
  EXPECT_EQ(RequiredCrew(sizing, 30).staff, 3u);
  const Crew big = RequiredCrew(sizing, 200);
  EXPECT_EQ(big.staff, 6u);
  EXPECT_EQ(big.staff_by_persons, 20u);
  EXPECT_EQ(big.leaders, 1u);
  sizing.min_staff = 2;
  EXPECT_EQ(RequiredCrew(sizing, 1).staff, 2u);
}

TEST(TravelTest, MatrixCoordinatesAndWithinRegion) {
  World world;
  const Organisation& org = world.org;
  const TravelConfig& travel = world.config.travel;
  const Unit& mine = *org.FindUnit("mine-1");
  const Unit& zz = *org.FindUnit("zz-office");
  const Unit& sh = *org.FindUnit("sh-office");

  auto forward = EstimateTravel(travel, org, mine, *org.FindRegion("zhengzhou"));
  EXPECT_TRUE(forward.known);
  EXPECT_EQ(forward.time, minutes(90));
  EXPECT_EQ(forward.distance_m, 170'000);
  EXPECT_EQ(forward.basis, "route hebi→zhengzhou");
  // Listed one way, used both ways.
  auto backward = EstimateTravel(travel, org, zz, *org.FindRegion("hebi"));
  EXPECT_EQ(backward.time, minutes(90));
  EXPECT_EQ(backward.basis, "route zhengzhou←hebi");
  // Same region without a route or coordinates: within_region.
  auto local = EstimateTravel(travel, org, mine, *org.FindRegion("hebi"));
  EXPECT_EQ(local.time, minutes(30));
  // No route, no coordinates: unknown.
  EXPECT_FALSE(EstimateTravel(travel, org, sh, *org.FindRegion("hebi")).known);

  // Coordinates: great circle × road factor at speed, rounded up to minutes.
  Unit placed = mine;
  placed.location = GeoPoint{35.0, 114.0};
  Region target = *org.FindRegion("shanghai");
  target.location = GeoPoint{35.5, 114.0};  // 55.6 km north
  TravelConfig by_distance = travel;
  by_distance.road_factor = 1.5;
  by_distance.speed_kmh = 50;
  const auto estimate = EstimateTravel(by_distance, org, placed, target);
  const double km = DistanceKm(*placed.location, *target.location);
  EXPECT_NEAR(km, 55.6, 0.1);
  EXPECT_TRUE(estimate.known);
  EXPECT_EQ(estimate.time, minutes(static_cast<int>(std::ceil(km * 1.5 / 50 * 60))));
  EXPECT_EQ(estimate.distance_m, std::llround(km * 1.5 * 1000));
}

}  // namespace
}  // namespace anding::core::dispatch

#include "anding/core/dispatch/rules.h"

#include <algorithm>
#include <cmath>

#include "anding/common/strings.h"

namespace anding::core::dispatch {

bool RuleMatches(const DeadlineRule& rule, const Region& incident_region,
                 const Region& unit_region) {
  if (rule.incident_region_kind) {
    if (incident_region.kind != *rule.incident_region_kind) return false;
  } else if (rule.incident_region_id != incident_region.id) {
    return false;
  }
  const bool same_region = unit_region.id == incident_region.id;
  const bool provinces_known = !unit_region.province.empty() && !incident_region.province.empty();
  switch (rule.unit_located) {
    case UnitLocated::kSameRegion:
      return same_region;
    case UnitLocated::kSameProvince:
      return same_region || (provinces_known && unit_region.province == incident_region.province);
    case UnitLocated::kOutsideRegion:
      return !same_region;
    case UnitLocated::kOutsideProvince:
      return provinces_known && unit_region.province != incident_region.province;
    case UnitLocated::kAny:
      return true;
  }
  return false;
}

const DeadlineRule* MatchDeadlineRule(const std::vector<DeadlineRule>& rules,
                                      const Region& incident_region, const Region& unit_region) {
  for (const auto& rule : rules) {
    if (RuleMatches(rule, incident_region, unit_region)) return &rule;
  }
  return nullptr;
}

std::string DescribeRule(const DeadlineRule& rule) {
  std::string place = rule.incident_region_kind
                          ? StrCat(RegionKindName(*rule.incident_region_kind), " incident")
                          : StrCat("incident in ", rule.incident_region_id);
  std::string_view located;
  switch (rule.unit_located) {
    case UnitLocated::kSameRegion:
      located = "unit in the same region";
      break;
    case UnitLocated::kSameProvince:
      located = "unit in the same province";
      break;
    case UnitLocated::kOutsideRegion:
      located = "unit outside the region";
      break;
    case UnitLocated::kOutsideProvince:
      located = "unit in another province";
      break;
    case UnitLocated::kAny:
      located = "any unit";
      break;
  }
  std::string text = StrCat(rule.id, ": ", place, ", ", located, " → ", FormatDuration(rule.limit));
  if (!rule.description.empty()) StrAppend(text, " (", rule.description, ")");
  return text;
}

std::optional<Deadline> ComputeArrivalDeadline(const std::vector<DeadlineRule>& rules,
                                               const Organisation& org,
                                               std::string_view incident_region_id,
                                               std::string_view unit_id, Time reported_at) {
  const Region* incident_region = org.FindRegion(incident_region_id);
  const Region* unit_region = org.RegionOfUnit(unit_id);
  if (incident_region == nullptr || unit_region == nullptr) return std::nullopt;
  const DeadlineRule* rule = MatchDeadlineRule(rules, *incident_region, *unit_region);
  if (rule == nullptr) return std::nullopt;
  return Deadline{rule->id, DescribeRule(*rule), rule->limit, reported_at + rule->limit};
}

Grade GradeIncident(const GradingConfig& grading, IncidentType type, uint32_t persons,
                    RegionKind place) {
  int level = 0;
  if (persons >= grading.critical_persons) {
    level = 3;
  } else if (persons >= grading.high_persons) {
    level = 2;
  } else if (persons >= grading.medium_persons) {
    level = 1;
  }
  if (auto it = grading.raise_by_place.find(place); it != grading.raise_by_place.end()) {
    level += static_cast<int>(it->second);
  }
  // `level` counts steps above low (0..3); the scale starts at kLow = 1.
  if (type == IncidentType::kIndividualExtreme) {
    level = std::max(level, static_cast<int>(grading.individual_extreme_at_least) -
                                static_cast<int>(Grade::kLow));
  }
  return static_cast<Grade>(std::clamp(level, 0, 3) + static_cast<int>(Grade::kLow));
}

Crew RequiredCrew(const TeamSizing& sizing, uint32_t persons) {
  Crew crew;
  crew.leaders = sizing.leaders;
  const uint32_t k = std::max<uint32_t>(sizing.petitioners_per_staff, 1);
  crew.staff_by_persons = (persons + k - 1) / k;
  crew.staff = std::clamp(crew.staff_by_persons, sizing.min_staff,
                          std::max(sizing.min_staff, sizing.max_staff));
  return crew;
}

TravelEstimate EstimateTravel(const TravelConfig& travel, const Organisation& org, const Unit& from,
                              const Region& to) {
  TravelEstimate estimate;
  const Region* from_region = org.FindRegion(from.region_id);
  if (from_region != nullptr) {
    auto route = travel.matrix.find({from_region->id, to.id});
    std::string_view arrow = "→";
    if (route == travel.matrix.end()) {
      route = travel.matrix.find({to.id, from_region->id});
      arrow = "←";
    }
    if (route != travel.matrix.end()) {
      estimate.known = true;
      estimate.time = route->second.time;
      estimate.distance_m = route->second.distance_m.value_or(0);
      estimate.basis = StrCat("route ", from_region->id, arrow, to.id);
      if (estimate.distance_m == 0 && from.location && to.location) {
        estimate.distance_m =
            std::llround(DistanceKm(*from.location, *to.location) * travel.road_factor * 1000);
      }
      return estimate;
    }
  }
  if (from.location && to.location) {
    const double great_circle_km = DistanceKm(*from.location, *to.location);
    const double road_km = great_circle_km * travel.road_factor;
    const double minutes = std::ceil(road_km / travel.speed_kmh * 60.0);
    estimate.known = true;
    estimate.time = std::chrono::minutes(static_cast<int64_t>(minutes));
    estimate.distance_m = std::llround(road_km * 1000);
    estimate.basis = fmt::format("{:.0f} km × {:.2g} at {:.0f} km/h", great_circle_km,
                                 travel.road_factor, travel.speed_kmh);
    return estimate;
  }
  if (from_region != nullptr && from_region->id == to.id) {
    estimate.known = true;
    estimate.time = travel.within_region;
    estimate.basis = StrCat("within ", to.id, " (default)");
    return estimate;
  }
  estimate.basis = StrCat("no route or coordinates from ", from.region_id, " to ", to.id);
  return estimate;
}

}  // namespace anding::core::dispatch

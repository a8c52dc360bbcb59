// The dispatch rules as pure functions: which deadline applies to a
// responding unit, how an incident is graded, how many people go, and how
// long travel takes. DispatchModule is built on these; they are public so
// that the CLI can explain a configuration ("what deadline would mine-3 get
// for an incident in Zhengzhou?") and tests can check every row.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "anding/common/time.h"
#include "anding/core/dispatch/config.h"
#include "anding/core/dispatch/records.h"
#include "anding/core/org.h"

namespace anding::core::dispatch {

// True when `rule` covers a unit located in `unit_region` for an incident in
// `incident_region`. Province comparisons need both provinces set.
[[nodiscard]] bool RuleMatches(const DeadlineRule& rule, const Region& incident_region,
                               const Region& unit_region);

// The first rule in `rules` that covers the pair, or nullptr.
[[nodiscard]] const DeadlineRule* MatchDeadlineRule(const std::vector<DeadlineRule>& rules,
                                                    const Region& incident_region,
                                                    const Region& unit_region);

// One line saying what the rule covers and its limit, for timelines and
// orders: "home-city-local: home_city incident, unit in the same region → 1h".
[[nodiscard]] std::string DescribeRule(const DeadlineRule& rule);

// The arrival deadline of `unit_id` for an incident in `incident_region_id`
// reported at `reported_at`: reported_at + the first matching rule's limit,
// with the rule that produced it. nullopt when no rule covers the unit (or
// the unit or a region is unknown): the caller alerts HQ, never defaults.
[[nodiscard]] std::optional<Deadline> ComputeArrivalDeadline(const std::vector<DeadlineRule>& rules,
                                                             const Organisation& org,
                                                             std::string_view incident_region_id,
                                                             std::string_view unit_id,
                                                             Time reported_at);

// The grade: by persons against the thresholds, raised by
// raise_by_place[region kind] steps (at most critical), and at least
// individual_extreme_at_least for an individual extreme petition.
[[nodiscard]] Grade GradeIncident(const GradingConfig& grading, IncidentType type, uint32_t persons,
                                  RegionKind place);

struct Crew {
  uint32_t leaders = 0;
  uint32_t staff = 0;
  // Staff the K-rule asked for before clamping to [min_staff, max_staff].
  uint32_t staff_by_persons = 0;
};

// The leaders and staff one responding team must bring for `persons`
// petitioners.
[[nodiscard]] Crew RequiredCrew(const TeamSizing& sizing, uint32_t persons);

struct TravelEstimate {
  bool known = false;
  Duration time{};
  int64_t distance_m = 0;  // 0 when unknown
  std::string basis;       // "route hebi→zhengzhou", "52 km × 1.3 at 60 km/h", ...
};

// Travel time from `from` (a unit) to the region `to`, by the first of:
// the matrix route between the unit's region and `to` (either direction
// unless both are listed); great-circle distance × road_factor at speed_kmh
// when both the unit and the region have coordinates (rounded up to whole
// minutes); `within_region` when the unit is in `to`. Unknown otherwise.
[[nodiscard]] TravelEstimate EstimateTravel(const TravelConfig& travel, const Organisation& org,
                                            const Unit& from, const Region& to);

}  // namespace anding::core::dispatch

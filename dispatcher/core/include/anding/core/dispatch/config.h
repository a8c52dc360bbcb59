// Configuration of the dispatch module: the arrival-deadline rule table,
// response teams with their members, vehicles, travel times, mobilisation,
// team sizing, incident grading and the deadline watch. Read from the
// `dispatch:` section of the dispatcher's YAML; regions and units come from
// the Organisation. See deploy/demo/dispatch-example.yaml for every key with
// comments.
// Thread-safety: plain values; immutable once read.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "anding/common/config.h"
#include "anding/common/time.h"
#include "anding/core/dispatch/types.h"
#include "anding/core/org.h"

namespace anding::core::dispatch {

// One row of the deadline table (design §2.6). A rule matches an incident
// region either by kind or by a specific region id (exactly one is set) and
// a responding unit by where it is relative to that region. The first rule
// that matches wins; a unit no rule matches gets no deadline and HQ is
// alerted ("no_rule").
struct DeadlineRule {
  std::string id;  // "home-city-local"
  std::optional<RegionKind> incident_region_kind;
  std::string incident_region_id;  // set instead of the kind
  UnitLocated unit_located = UnitLocated::kAny;
  Duration limit{};         // deadline = reported_at + limit
  std::string description;  // for people; may be empty
};

// The design's table, in this order:
//   home-city-local            home_city,          same_region     1h
//   home-city-outside          home_city,          outside_region  2h
//   provincial-capital-local   provincial_capital, same_region     1h
//   provincial-capital-province provincial_capital, same_province  2h
//   national-capital           national_capital,   any             6h
// A home-city incident gives every unit outside the home city 2h, wherever
// it is (the design says "outside the home city", not "in the province");
// a provincial-capital incident covers only units in that province.
[[nodiscard]] std::vector<DeadlineRule> DefaultDeadlineRules();

struct MemberConfig {
  std::string id;       // unique across all teams: "m-hebi3-01"
  std::string team_id;  // filled from the enclosing team
  Role role = Role::kStaff;
  Person person;        // name, phone (E.164, optional), title
  bool on_duty = true;  // initial availability
};

struct TeamConfig {
  std::string id;    // "team-mine3"
  std::string name;  // "三矿应急处置队"
  std::string home_unit_id;
  std::optional<Duration> mobilisation;  // overrides DispatchConfig::mobilisation
  bool on_duty = true;
  std::vector<MemberConfig> members;  // in preference order
};

struct VehicleConfig {
  std::string id;            // "veh-mine3-1"
  std::string name;          // "三矿 依维柯"
  std::string plate;         // "豫F·12345"
  std::string home_unit_id;  // any team of this unit may use it
  uint32_t seats = 0;        // including the driver's seat
  bool available = true;     // initial availability
};

// A known driving (or rail) time between two regions.
struct Route {
  Duration time{};
  std::optional<int64_t> distance_m;
  friend bool operator==(const Route&, const Route&) = default;
};

struct TravelConfig {
  // Fallback from coordinates: great-circle km × road_factor at speed_kmh.
  double speed_kmh = 60;
  double road_factor = 1.3;
  // Travel inside one region when neither the matrix nor coordinates say.
  Duration within_region = std::chrono::minutes(30);
  // (from region, to region) → route. A listed route is used in both
  // directions unless the reverse is listed too.
  std::map<std::pair<std::string, std::string>, Route> matrix;
};

// How many go: `leaders` leaders plus one staff per `petitioners_per_staff`
// petitioners (rounded up), at least min_staff and at most max_staff per
// team; each vehicle needs one driver when vehicles_need_drivers.
struct TeamSizing {
  uint32_t leaders = 1;
  uint32_t petitioners_per_staff = 10;
  uint32_t min_staff = 1;
  uint32_t max_staff = 6;
  bool vehicles_need_drivers = true;
};

// Grade by persons, raised by place (Beijing and the provincial capital
// grade higher), and a floor for individual extreme petitions.
struct GradingConfig {
  uint32_t medium_persons = 5;  // persons ≥ this: at least medium
  uint32_t high_persons = 30;
  uint32_t critical_persons = 100;
  std::map<RegionKind, uint32_t> raise_by_place = {{RegionKind::kProvincialCapital, 1},
                                                   {RegionKind::kNationalCapital, 2}};
  Grade individual_extreme_at_least = Grade::kHigh;
};

struct DispatchConfig {
  // Confirm every proposal at once (as the system) instead of waiting for HQ.
  bool auto_confirm = false;
  // Warn HQ this long before each unit's deadline while its arrival is not
  // confirmed. Sorted longest first, distinct, each > 0.
  std::vector<Duration> warning_lead_times = {std::chrono::minutes(30), std::chrono::minutes(10)};
  // Time from the order to the team leaving (a team may override).
  Duration mobilisation = std::chrono::minutes(15);
  TeamSizing sizing;
  GradingConfig grading;
  TravelConfig travel;
  std::vector<DeadlineRule> rules = DefaultDeadlineRules();
  std::vector<TeamConfig> teams;
  std::vector<VehicleConfig> vehicles;
};

// Reads the optional `dispatch:` section of the dispatcher configuration
// (defaults when absent; the design's rule table when `rules:` is absent).
// Every mistake is recorded on the nodes, so ConfigDocument::Finish reports
// it with file:line:key: unknown home units, duplicate ids, members without
// a role, teams without a leader, seats below 1, rules naming unknown region
// kinds or regions, bad durations, travel routes between unknown regions.
// On errors the returned value is partial and must not be used.
[[nodiscard]] DispatchConfig ReadDispatchConfig(ConfigNode& root, const Organisation& org);

}  // namespace anding::core::dispatch

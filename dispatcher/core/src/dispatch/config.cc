#include "anding/core/dispatch/config.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "anding/common/strings.h"

namespace anding::core::dispatch {
namespace {

using std::chrono::hours;

bool IsPhone(std::string_view phone) {
  if (phone.size() < 6 || phone.size() > 16 || phone[0] != '+') return false;
  return std::all_of(phone.begin() + 1, phone.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An integer in [min, max] at `key`, or `fallback` when absent.
uint32_t ReadCount(ConfigNode& node, std::string_view key, uint32_t fallback, int64_t min,
                   int64_t max = 1'000'000) {
  if (!node.Has(key)) {
    (void)node.Get<int64_t>(key, 0);  // marks the key as read (it may be present but null)
    return fallback;
  }
  const int64_t value = node.Get<int64_t>(key);
  if (value < min || value > max) {
    node.Error(key, StrCat("must be between ", min, " and ", max));
    return fallback;
  }
  return static_cast<uint32_t>(value);
}

// A duration at `key` that must be > 0 (≥ 0 with `allow_zero`); `fallback`
// when absent and not required.
Duration ReadPositiveDuration(ConfigNode& node, std::string_view key, Duration fallback,
                              bool required, bool allow_zero = false) {
  if (!required && !node.Has(key)) {
    (void)node.Get<Duration>(key, fallback);
    return fallback;
  }
  const Duration value = node.Get<Duration>(key);
  if (node.Has(key) && (allow_zero ? value < Duration::zero() : value <= Duration::zero())) {
    node.Error(key, "must be greater than zero");
  }
  return value;
}

std::optional<Duration> ReadOptionalDuration(ConfigNode& node, std::string_view key) {
  if (!node.Has(key)) {
    (void)node.Get<Duration>(key, Duration::zero());
    return std::nullopt;
  }
  return node.Get<Duration>(key);
}

void ReadSizing(ConfigNode& dispatch, TeamSizing& sizing) {
  auto node = dispatch.OptionalMap("team_sizing");
  if (!node) return;
  sizing.leaders = ReadCount(*node, "leaders", sizing.leaders, 1, 100);
  sizing.petitioners_per_staff =
      ReadCount(*node, "petitioners_per_staff", sizing.petitioners_per_staff, 1);
  sizing.min_staff = ReadCount(*node, "min_staff", sizing.min_staff, 0, 1000);
  sizing.max_staff = ReadCount(*node, "max_staff", sizing.max_staff, 0, 1000);
  if (sizing.max_staff < sizing.min_staff) {
    node->Error("max_staff", StrCat("must not be below min_staff (", sizing.min_staff, ")"));
  }
  sizing.vehicles_need_drivers =
      node->Get<bool>("vehicles_need_drivers", sizing.vehicles_need_drivers);
}

void ReadGrading(ConfigNode& dispatch, GradingConfig& grading) {
  auto node = dispatch.OptionalMap("grading");
  if (!node) return;
  if (auto persons = node->OptionalMap("persons")) {
    grading.medium_persons = ReadCount(*persons, "medium", grading.medium_persons, 1);
    grading.high_persons = ReadCount(*persons, "high", grading.high_persons, 1);
    grading.critical_persons = ReadCount(*persons, "critical", grading.critical_persons, 1);
    if (grading.high_persons < grading.medium_persons) {
      persons->Error("high", "must not be below medium");
    }
    if (grading.critical_persons < grading.high_persons) {
      persons->Error("critical", "must not be below high");
    }
  }
  if (node->Has("raise_by_place")) {
    grading.raise_by_place.clear();
    for (auto& [kind_name, value] : node->Entries("raise_by_place")) {
      const auto kind = ParseRegionKind(kind_name);
      const uint32_t steps = value.As<uint32_t>();
      if (!kind) {
        value.Error(StrCat("unknown region kind '", kind_name,
                           "' (expected home_city, provincial_capital, national_capital or "
                           "other)"));
        continue;
      }
      if (steps > 3) value.Error("must be 0..3 grade steps");
      grading.raise_by_place[*kind] = std::min<uint32_t>(steps, 3);
    }
  }
  if (node->Has("individual_extreme_at_least")) {
    const std::string name = node->Get<std::string>("individual_extreme_at_least");
    if (auto grade = ParseGrade(name)) {
      grading.individual_extreme_at_least = *grade;
    } else {
      node->Error("individual_extreme_at_least", "expected low, medium, high or critical");
    }
  }
}

void ReadTravel(ConfigNode& dispatch, const Organisation& org, TravelConfig& travel) {
  auto node = dispatch.OptionalMap("travel");
  if (!node) return;
  travel.speed_kmh = node->Get<double>("speed_kmh", travel.speed_kmh);
  if (!(travel.speed_kmh > 0 && travel.speed_kmh <= 500)) {
    node->Error("speed_kmh", "must be above 0 and at most 500");
  }
  travel.road_factor = node->Get<double>("road_factor", travel.road_factor);
  if (!(travel.road_factor >= 1 && travel.road_factor <= 5)) {
    node->Error("road_factor", "must be between 1 and 5");
  }
  travel.within_region =
      ReadPositiveDuration(*node, "within_region", travel.within_region, false, true);
  for (auto& [from, targets] : node->Entries("matrix")) {
    if (org.FindRegion(from) == nullptr) {
      targets.Error(StrCat("unknown region '", from, "'"));
    }
    for (auto& [to, route_node] : targets.Entries()) {
      if (org.FindRegion(to) == nullptr) {
        route_node.Error(StrCat("unknown region '", to, "'"));
      }
      Route route;
      route.time = route_node.Get<Duration>("time");
      if (route_node.Has("km")) {
        const double km = route_node.Get<double>("km");
        if (!(km >= 0 && km < 20000)) {
          route_node.Error("km", "must be between 0 and 20000");
        } else {
          route.distance_m = std::llround(km * 1000);
        }
      } else {
        (void)route_node.Get<double>("km", 0);
      }
      travel.matrix[{from, to}] = route;
    }
  }
}

DeadlineRule ReadRule(ConfigNode& node, const Organisation& org) {
  DeadlineRule rule;
  rule.id = node.Get<std::string>("id");
  const bool by_kind = node.Has("incident_region_kind");
  const bool by_region = node.Has("incident_region");
  if (by_kind == by_region) {
    node.Error(by_kind ? "a rule names incident_region or incident_region_kind, not both"
                       : "a rule needs incident_region_kind or incident_region");
  }
  if (by_kind) {
    const std::string kind = node.Get<std::string>("incident_region_kind");
    if (auto parsed = ParseRegionKind(kind)) {
      rule.incident_region_kind = *parsed;
    } else {
      node.Error("incident_region_kind",
                 StrCat("unknown region kind '", kind,
                        "' (expected home_city, provincial_capital, national_capital or other)"));
    }
  }
  if (by_region) {
    rule.incident_region_id = node.Get<std::string>("incident_region");
    if (org.FindRegion(rule.incident_region_id) == nullptr) {
      node.Error("incident_region", StrCat("unknown region '", rule.incident_region_id, "'"));
    }
  }
  const std::string located = node.Get<std::string>("unit_located");
  if (auto parsed = ParseUnitLocated(located)) {
    rule.unit_located = *parsed;
  } else if (!located.empty()) {
    node.Error("unit_located",
               "expected same_region, same_province, outside_region, outside_province or any");
  }
  rule.limit = ReadPositiveDuration(node, "limit", Duration::zero(), true);
  rule.description = node.Get<std::string>("description", "");
  return rule;
}

MemberConfig ReadMember(ConfigNode& node, const std::string& team_id) {
  MemberConfig member;
  member.team_id = team_id;
  member.id = node.Get<std::string>("id");
  member.person.name = node.Get<std::string>("name");
  member.person.phone = node.Get<std::string>("phone", "");
  member.person.title = node.Get<std::string>("title", "");
  if (!member.person.phone.empty() && !IsPhone(member.person.phone)) {
    node.Error("phone", "must be in E.164 form, for example +8613800000000");
  }
  const std::string role = node.Get<std::string>("role");
  if (auto parsed = ParseRole(role)) {
    member.role = *parsed;
  } else if (!role.empty()) {
    node.Error("role", "expected leader, staff or driver");
  }
  member.on_duty = node.Get<bool>("on_duty", true);
  return member;
}

}  // namespace

std::vector<DeadlineRule> DefaultDeadlineRules() {
  auto rule = [](std::string id, RegionKind kind, UnitLocated located, Duration limit,
                 std::string description) {
    DeadlineRule r;
    r.id = std::move(id);
    r.incident_region_kind = kind;
    r.unit_located = located;
    r.limit = limit;
    r.description = std::move(description);
    return r;
  };
  return {
      rule("home-city-local", RegionKind::kHomeCity, UnitLocated::kSameRegion, hours(1),
           "home city incident, unit in the home city"),
      rule("home-city-outside", RegionKind::kHomeCity, UnitLocated::kOutsideRegion, hours(2),
           "home city incident, unit outside the home city"),
      rule("provincial-capital-local", RegionKind::kProvincialCapital, UnitLocated::kSameRegion,
           hours(1), "provincial capital incident, unit in the capital"),
      rule("provincial-capital-province", RegionKind::kProvincialCapital,
           UnitLocated::kSameProvince, hours(2),
           "provincial capital incident, unit elsewhere in the province"),
      rule("national-capital", RegionKind::kNationalCapital, UnitLocated::kAny, hours(6),
           "national capital incident, any unit involved"),
  };
}

DispatchConfig ReadDispatchConfig(ConfigNode& root, const Organisation& org) {
  DispatchConfig config;
  auto section = root.OptionalMap("dispatch");
  if (!section) return config;
  ConfigNode& node = *section;

  config.auto_confirm = node.Get<bool>("auto_confirm", false);
  config.mobilisation =
      ReadPositiveDuration(node, "mobilisation", config.mobilisation, false, true);
  if (node.Has("warning_lead_times")) {
    config.warning_lead_times.clear();
    for (auto& item : node.List("warning_lead_times")) {
      const Duration lead = item.As<Duration>();
      if (lead <= Duration::zero()) {
        item.Error("must be greater than zero");
        continue;
      }
      if (std::find(config.warning_lead_times.begin(), config.warning_lead_times.end(), lead) !=
          config.warning_lead_times.end()) {
        item.Error(StrCat("lead time ", FormatDuration(lead), " is listed twice"));
        continue;
      }
      config.warning_lead_times.push_back(lead);
    }
    std::sort(config.warning_lead_times.begin(), config.warning_lead_times.end(), std::greater<>());
  }
  ReadSizing(node, config.sizing);
  ReadGrading(node, config.grading);
  ReadTravel(node, org, config.travel);

  if (node.Has("rules")) {
    config.rules.clear();
    std::set<std::string> ids;
    for (auto& item : node.List("rules")) {
      DeadlineRule rule = ReadRule(item, org);
      if (!rule.id.empty() && !ids.insert(rule.id).second) {
        item.Error("id", StrCat("duplicate rule id '", rule.id, "'"));
      }
      config.rules.push_back(std::move(rule));
    }
    if (config.rules.empty()) {
      node.Error("rules", "the rule table is empty; omit `rules:` for the default table");
    }
  }

  std::set<std::string> team_ids;
  std::set<std::string> member_ids;
  for (auto& item : node.List("teams")) {
    TeamConfig team;
    team.id = item.Get<std::string>("id");
    team.name = item.Get<std::string>("name", team.id);
    team.home_unit_id = item.Get<std::string>("home_unit");
    if (!team.home_unit_id.empty() && org.FindUnit(team.home_unit_id) == nullptr) {
      item.Error("home_unit", StrCat("unknown unit '", team.home_unit_id, "'"));
    }
    team.mobilisation = ReadOptionalDuration(item, "mobilisation");
    team.on_duty = item.Get<bool>("on_duty", true);
    if (!team.id.empty() && !team_ids.insert(team.id).second) {
      item.Error("id", StrCat("duplicate team id '", team.id, "'"));
    }
    bool has_leader = false;
    for (auto& member_node : item.List("members")) {
      MemberConfig member = ReadMember(member_node, team.id);
      if (!member.id.empty() && !member_ids.insert(member.id).second) {
        member_node.Error("id", StrCat("duplicate member id '", member.id,
                                       "' (member ids are unique across teams)"));
      }
      has_leader = has_leader || member.role == Role::kLeader;
      team.members.push_back(std::move(member));
    }
    if (!has_leader) {
      item.Error("members", StrCat("team '", team.id,
                                   "' needs at least one member with role "
                                   "leader"));
    }
    config.teams.push_back(std::move(team));
  }

  std::set<std::string> vehicle_ids;
  for (auto& item : node.List("vehicles")) {
    VehicleConfig vehicle;
    vehicle.id = item.Get<std::string>("id");
    vehicle.name = item.Get<std::string>("name", "");
    vehicle.plate = item.Get<std::string>("plate", "");
    vehicle.home_unit_id = item.Get<std::string>("home_unit");
    if (!vehicle.home_unit_id.empty() && org.FindUnit(vehicle.home_unit_id) == nullptr) {
      item.Error("home_unit", StrCat("unknown unit '", vehicle.home_unit_id, "'"));
    }
    if (item.Has("seats")) {
      const int64_t seats = item.Get<int64_t>("seats");
      if (seats < 1 || seats > 100) {
        item.Error("seats", "must be between 1 and 100 (the driver's seat included)");
      } else {
        vehicle.seats = static_cast<uint32_t>(seats);
      }
    } else {
      item.Error("missing required key 'seats'");
    }
    vehicle.available = item.Get<bool>("available", true);
    if (!vehicle.id.empty() && !vehicle_ids.insert(vehicle.id).second) {
      item.Error("id", StrCat("duplicate vehicle id '", vehicle.id, "'"));
    }
    config.vehicles.push_back(std::move(vehicle));
  }
  return config;
}

}  // namespace anding::core::dispatch

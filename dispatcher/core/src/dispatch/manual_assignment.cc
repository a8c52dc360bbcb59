// Proposer::Manual: HQ's own choice of team, members and vehicles (an
// override), checked against availability, holds and seats. A late
// arrival or a missing leader is explained, not refused: HQ decides.
#include <algorithm>
#include <set>

#include "anding/common/strings.h"
#include "proposer.h"

namespace anding::core::dispatch {

Result<Assignment> Proposer::Manual(const ManualRequest& request) const {
  const uint32_t region = RegionIndex(request.region_id);
  if (region == kNoIndex) return InvalidArgumentError(StrCat("unknown region ", request.region_id));
  const auto& team = pool_.teams()[request.team];
  const std::string& team_id = team.config->id;
  auto held_elsewhere = [&](const std::optional<Hold>& hold) {
    return hold && (request.own == nullptr || !(*hold == *request.own));
  };
  if (!team.on_duty) return FailedPreconditionError(StrCat("team ", team_id, " is off duty"));
  if (held_elsewhere(team.hold)) {
    return FailedPreconditionError(StrCat("team ", team_id, " is busy on ", team.hold->incident_id,
                                          " for ", team.hold->unit_id));
  }
  if (team.unit == kNoIndex || !travel_[region][team.unit].known) {
    return FailedPreconditionError(
        StrCat("no travel time is known from team ", team_id, "'s unit to ", request.region_id,
               "; add a route to dispatch.travel.matrix or coordinates"));
  }
  const Crew crew = RequiredCrew(config_.sizing, request.persons);
  const bool need_drivers = config_.sizing.vehicles_need_drivers;
  const auto& members = pool_.members();
  const auto& vehicles = pool_.vehicles();
  Choice choice;
  choice.team = request.team;
  choice.eta = request.now + team.mobilisation + travel_[region][team.unit].time;

  uint32_t drivers_chosen = 0;
  if (request.members) {
    std::set<uint32_t> seen;
    for (uint32_t m : *request.members) {
      const MemberConfig& member = *members[m].config;
      if (members[m].team != request.team) {
        return InvalidArgumentError(
            StrCat("member ", member.id, " is in team ", member.team_id, ", not ", team_id));
      }
      if (!seen.insert(m).second) {
        return InvalidArgumentError(StrCat("member ", member.id, " is listed twice"));
      }
      if (!members[m].on_duty) {
        return FailedPreconditionError(StrCat("member ", member.id, " is off duty"));
      }
      if (member.role == Role::kDriver) ++drivers_chosen;
      choice.members.push_back(m);
    }
    if (choice.members.empty()) return InvalidArgumentError("no members named");
  }

  if (request.vehicles) {
    std::set<uint32_t> seen;
    for (uint32_t v : *request.vehicles) {
      const VehicleConfig& vehicle = *vehicles[v].config;
      if (!seen.insert(v).second) {
        return InvalidArgumentError(StrCat("vehicle ", vehicle.id, " is listed twice"));
      }
      if (!vehicles[v].available) {
        return FailedPreconditionError(StrCat("vehicle ", vehicle.id, " is out of service"));
      }
      if (held_elsewhere(vehicles[v].hold)) {
        return FailedPreconditionError(
            StrCat("vehicle ", vehicle.id, " is busy on ", vehicles[v].hold->incident_id));
      }
      choice.vehicles.push_back(v);
      choice.seats += vehicle.seats;
    }
  }

  if (!request.members) {
    // Leaders and staff by the sizing rules; drivers for the vehicles.
    uint32_t want_leaders = crew.leaders, want_staff = crew.staff;
    uint32_t drivers_on_duty = 0;
    for (uint32_t m : team.members) {
      if (!members[m].on_duty) continue;
      const Role role = members[m].config->role;
      if (role == Role::kDriver) ++drivers_on_duty;
      uint32_t* want = role == Role::kLeader  ? &want_leaders
                       : role == Role::kStaff ? &want_staff
                                              : nullptr;
      if (want != nullptr && *want > 0) {
        --*want;
        choice.members.push_back(m);
      }
    }
    if (want_leaders > 0 || want_staff > 0) {
      return FailedPreconditionError(StrCat("team ", team_id, " cannot bring ", crew.leaders,
                                            " leader(s) and ", crew.staff,
                                            " staff on duty; name the members explicitly"));
    }
    if (!request.vehicles) {
      const VehiclePick pick = PickVehicles(
          team.unit, static_cast<uint32_t>(choice.members.size()), need_drivers ? 1 : 0,
          need_drivers ? drivers_on_duty : UINT32_MAX, request.own, &choice.vehicles);
      if (!pick.ok) {
        return FailedPreconditionError(StrCat("team ", team_id, ": ",
                                              Describe(request.team, pick.shortfall, {}, region),
                                              "; name the vehicles explicitly"));
      }
      choice.seats = pick.seats;
    }
    if (need_drivers) {
      uint32_t want_drivers = static_cast<uint32_t>(choice.vehicles.size());
      for (uint32_t m : team.members) {
        if (want_drivers == 0) break;
        if (members[m].on_duty && members[m].config->role == Role::kDriver) {
          --want_drivers;
          choice.members.push_back(m);
        }
      }
      if (want_drivers > 0) {
        return FailedPreconditionError(StrCat("team ", team_id, " has too few drivers on duty for ",
                                              choice.vehicles.size(), " vehicle(s)"));
      }
    }
  } else if (!request.vehicles) {
    const VehiclePick pick =
        PickVehicles(team.unit, static_cast<uint32_t>(choice.members.size()), 0,
                     need_drivers ? drivers_chosen : UINT32_MAX, request.own, &choice.vehicles);
    if (!pick.ok) {
      return FailedPreconditionError(
          StrCat("team ", team_id, ": ", Describe(request.team, pick.shortfall, {}, region),
                 need_drivers ? " (each vehicle needs a driver among the named members)" : "",
                 "; name the vehicles explicitly"));
    }
    choice.seats = pick.seats;
  } else if (need_drivers && drivers_chosen < choice.vehicles.size()) {
    return FailedPreconditionError(StrCat(choice.vehicles.size(),
                                          " vehicle(s) need as many drivers; ", drivers_chosen,
                                          " among the named members"));
  }
  if (choice.vehicles.empty()) return FailedPreconditionError("no vehicle");
  if (choice.seats < choice.members.size()) {
    return FailedPreconditionError(
        StrCat(choice.members.size(), " people do not fit in ", choice.seats, " seats"));
  }

  const bool fallback = team.config->home_unit_id != request.unit_id;
  Assignment a = Build(choice, request.unit_id, region, fallback, request.own);
  auto& reasons = a.explanation.reasons;
  reasons.push_back(StrCat("chosen by HQ (", request.chosen_by, ")"));
  if (fallback) {
    reasons.push_back(StrCat(a.team_id, " is a team of ", a.team_unit_id, ", not of ",
                             request.unit_id, "; the free leaders of ", request.unit_id,
                             " still go"));
    const std::vector<std::string> busy = BusyLeaders(request.unit_id, request.own);
    reasons.insert(reasons.end(), busy.begin(), busy.end());
  }
  reasons.push_back(ArrivalReason(a, region, request.deadline));
  reasons.push_back(CrewReason(a, crew, request.persons));
  const bool has_leader =
      std::any_of(a.members.begin(), a.members.end(),
                  [](const AssignedMember& m) { return m.role == Role::kLeader; });
  if (!has_leader) reasons.push_back("WARNING: no leader among the assigned members");
  return a;
}

}  // namespace anding::core::dispatch

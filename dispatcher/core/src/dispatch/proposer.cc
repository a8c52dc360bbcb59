#include "proposer.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "anding/common/strings.h"

namespace anding::core::dispatch {
namespace {

// Rejections listed one by one beyond the responding unit's own teams.
constexpr size_t kListedOtherRejections = 8;

std::string_view CodeSummary(int code) {
  static constexpr std::string_view kNames[] = {
      "excluded by HQ", "off duty",         "busy",           "no travel time",
      "too slow",       "short of leaders", "short of staff", "no free vehicle",
      "short of seats", "short of drivers"};
  return kNames[code];
}

std::string Plural(uint32_t n, std::string_view one, std::string_view many) {
  return StrCat(n, " ", n == 1 ? one : many);
}

}  // namespace

// Collects rejections: every one of the unit's own teams and the first few
// others in detail, the rest as counts.
class Proposer::Log {
 public:
  void Add(Rejection rejection) { listed_.push_back(std::move(rejection)); }
  void Count(Code code) {
    ++counts_[static_cast<int>(code)];
    ++unlisted_;
  }
  void CountLate(uint32_t n) { late_tail_ += n; }
  [[nodiscard]] size_t others_listed() const { return others_listed_; }
  void AddOther(Rejection rejection) {
    ++others_listed_;
    Add(std::move(rejection));
  }

  void Fill(Explanation& explanation) {
    explanation.rejected = std::move(listed_);
    std::string summary;
    if (unlisted_ > 0) {
      summary = StrCat(unlisted_, " more rejected:");
      bool first = true;
      for (const auto& [code, n] : counts_) {
        StrAppend(summary, first ? " " : ", ", n, " ", CodeSummary(code));
        first = false;
      }
    }
    if (late_tail_ > 0) {
      if (!summary.empty()) summary += "; ";
      StrAppend(summary, Plural(late_tail_, "more team", "more teams"),
                " cannot arrive by the deadline");
    }
    explanation.more_rejected = std::move(summary);
  }

 private:
  std::vector<Rejection> listed_;
  std::map<int, uint32_t> counts_;
  uint32_t unlisted_ = 0;
  uint32_t late_tail_ = 0;
  size_t others_listed_ = 0;
};

Proposer::Proposer(const DispatchConfig& config, const Organisation& org, const ResourcePool& pool)
    : config_(config), org_(org), pool_(pool) {
  const auto& regions = org.regions();
  const auto& units = org.units();
  travel_.resize(regions.size());
  ranking_.resize(regions.size());
  for (size_t r = 0; r < regions.size(); ++r) {
    travel_[r].resize(units.size());
    for (size_t u = 0; u < units.size(); ++u) {
      const TravelEstimate estimate = EstimateTravel(config.travel, org, units[u], regions[r]);
      travel_[r][u] = Cell{estimate.known, estimate.time, estimate.distance_m};
    }
    auto& ranking = ranking_[r];
    const auto& teams = pool.teams();
    for (uint32_t t = 0; t < teams.size(); ++t) {
      if (teams[t].unit == kNoIndex || !travel_[r][teams[t].unit].known) continue;
      ranking.push_back(Ranked{teams[t].mobilisation + travel_[r][teams[t].unit].time, t});
    }
    std::sort(ranking.begin(), ranking.end(), [&teams](const Ranked& a, const Ranked& b) {
      if (a.offset != b.offset) return a.offset < b.offset;
      return teams[a.team].config->id < teams[b.team].config->id;
    });
  }
}

uint32_t Proposer::RegionIndex(std::string_view id) const {
  const auto& regions = org_.regions();
  for (uint32_t i = 0; i < regions.size(); ++i) {
    if (regions[i].id == id) return i;
  }
  return kNoIndex;
}

std::string Proposer::Local(Time t) const { return org_.time_zone().FormatLocal(t, "%H:%M"); }

std::string Proposer::UnitName(std::string_view unit_id) const {
  const Unit* unit = org_.FindUnit(unit_id);
  if (unit == nullptr || unit->name.empty()) return std::string(unit_id);
  return StrCat(unit->name, " (", unit_id, ")");
}

Proposer::VehiclePick Proposer::PickVehicles(uint32_t unit, uint32_t base_people,
                                             uint32_t per_vehicle, uint32_t max_vehicles,
                                             const Hold* own, std::vector<uint32_t>* out) const {
  VehiclePick pick;
  const auto& vehicles = pool_.vehicles();
  for (uint32_t v : pool_.VehiclesOfUnit(unit)) {
    const auto& slot = vehicles[v];
    if (!slot.available) continue;
    if (slot.hold && (own == nullptr || !(*slot.hold == *own))) continue;
    if (pick.count == max_vehicles) {
      pick.shortfall = Shortfall{Code::kDrivers, pick.count + 1, max_vehicles, {}};
      return pick;
    }
    ++pick.count;
    pick.seats += slot.config->seats;
    if (out != nullptr) out->push_back(v);
    if (pick.seats >= base_people + per_vehicle * pick.count) {
      pick.ok = true;
      return pick;
    }
  }
  if (pick.count == 0) {
    pick.shortfall = Shortfall{Code::kNoVehicle, 1, 0, {}};
  } else {
    pick.shortfall =
        Shortfall{Code::kSeats, base_people + per_vehicle * pick.count, pick.seats, {}};
  }
  return pick;
}

bool Proposer::Evaluate(uint32_t team_index, const Crew& crew, uint32_t region, Time now,
                        Time deadline, Choice* choice, Shortfall* shortfall) const {
  const auto& team = pool_.teams()[team_index];
  if (!team.on_duty) {
    *shortfall = Shortfall{Code::kOffDuty, 0, 0, {}};
    return false;
  }
  if (team.hold) {
    *shortfall = Shortfall{Code::kBusy, 0, 0, {}};
    return false;
  }
  if (team.unit == kNoIndex || !travel_[region][team.unit].known) {
    *shortfall = Shortfall{Code::kNoTravel, 0, 0, {}};
    return false;
  }
  const Time eta = now + team.mobilisation + travel_[region][team.unit].time;
  if (eta > deadline) {
    *shortfall = Shortfall{Code::kLate, 0, 0, eta};
    return false;
  }
  uint32_t leaders = 0, staff = 0, drivers = 0;
  const auto& members = pool_.members();
  for (uint32_t m : team.members) {
    if (!members[m].on_duty) continue;
    switch (members[m].config->role) {
      case Role::kLeader:
        ++leaders;
        break;
      case Role::kStaff:
        ++staff;
        break;
      case Role::kDriver:
        ++drivers;
        break;
    }
  }
  if (leaders < crew.leaders) {
    *shortfall = Shortfall{Code::kLeaders, crew.leaders, leaders, {}};
    return false;
  }
  if (staff < crew.staff) {
    *shortfall = Shortfall{Code::kStaff, crew.staff, staff, {}};
    return false;
  }
  const bool need_drivers = config_.sizing.vehicles_need_drivers;
  const VehiclePick pick = PickVehicles(team.unit, crew.leaders + crew.staff, need_drivers ? 1 : 0,
                                        need_drivers ? drivers : UINT32_MAX, nullptr, nullptr);
  if (!pick.ok) {
    *shortfall = pick.shortfall;
    return false;
  }
  if (choice == nullptr) return true;
  choice->team = team_index;
  choice->eta = eta;
  choice->seats = pick.seats;
  (void)PickVehicles(team.unit, crew.leaders + crew.staff, need_drivers ? 1 : 0,
                     need_drivers ? drivers : UINT32_MAX, nullptr, &choice->vehicles);
  uint32_t want_leaders = crew.leaders, want_staff = crew.staff,
           want_drivers = need_drivers ? pick.count : 0;
  for (uint32_t m : team.members) {
    if (!members[m].on_duty) continue;
    uint32_t* want = nullptr;
    switch (members[m].config->role) {
      case Role::kLeader:
        want = &want_leaders;
        break;
      case Role::kStaff:
        want = &want_staff;
        break;
      case Role::kDriver:
        want = &want_drivers;
        break;
    }
    if (*want > 0) {
      --*want;
      choice->members.push_back(m);
    }
  }
  return true;
}

std::string Proposer::Describe(uint32_t team_index, const Shortfall& s, Time deadline,
                               uint32_t region) const {
  const auto& team = pool_.teams()[team_index];
  switch (s.code) {
    case Code::kExcluded:
      return "excluded by HQ for this unit";
    case Code::kOffDuty:
      return "team is off duty";
    case Code::kBusy:
      return StrCat("busy on ", team.hold->incident_id, " for ", team.hold->unit_id);
    case Code::kNoTravel: {
      const Unit* unit = org_.FindUnit(team.config->home_unit_id);
      return unit == nullptr
                 ? StrCat("home unit ", team.config->home_unit_id, " is unknown")
                 : EstimateTravel(config_.travel, org_, *unit, org_.regions()[region]).basis;
    }
    case Code::kLate:
      return StrCat("estimated arrival ", Local(s.eta), " is ", FormatDuration(s.eta - deadline),
                    " after the deadline ", Local(deadline), " (mobilisation ",
                    FormatDuration(team.mobilisation), " + travel ",
                    FormatDuration(travel_[region][team.unit].time), ")");
    case Code::kLeaders:
      return StrCat("needs ", Plural(s.need, "leader", "leaders"), " on duty, has ", s.have);
    case Code::kStaff:
      return StrCat("needs ", s.need, " staff on duty, has ", s.have);
    case Code::kNoVehicle:
      return StrCat("no free vehicle at ", team.config->home_unit_id);
    case Code::kSeats:
      return StrCat("needs ", s.need, " seats, the free vehicles at ", team.config->home_unit_id,
                    " seat ", s.have);
    case Code::kDrivers:
      return s.have == 0
                 ? std::string("no driver on duty")
                 : StrCat("needs a driver for each of ", s.need, " vehicles, ", s.have, " on duty");
  }
  return "rejected";
}

std::vector<std::string> Proposer::BusyLeaders(std::string_view unit_id, const Hold* own) const {
  std::vector<std::string> busy;
  const Unit* unit = org_.FindUnit(unit_id);
  if (unit == nullptr) return busy;
  for (const Person& leader : unit->leaders) {
    const std::string key = LeaderKey(unit_id, leader);
    if (pool_.LeaderFree(key, own)) continue;
    busy.push_back(StrCat("leader ", leader.name, " of ", unit_id, " is on ",
                          pool_.LeaderHold(key)->incident_id, ", not sent twice"));
  }
  return busy;
}

Assignment Proposer::Build(const Choice& choice, std::string_view unit_id, uint32_t region,
                           bool fallback, const Hold* own) const {
  const auto& team = pool_.teams()[choice.team];
  Assignment a;
  a.unit_id = std::string(unit_id);
  a.team_id = team.config->id;
  a.team_unit_id = team.config->home_unit_id;
  a.fallback = fallback;
  for (uint32_t m : choice.members) {
    const MemberConfig& member = *pool_.members()[m].config;
    a.members.push_back(AssignedMember{member.id, member.role, member.person});
  }
  if (fallback) {
    if (const Unit* unit = org_.FindUnit(unit_id)) {
      for (const Person& leader : unit->leaders) {
        if (pool_.LeaderFree(LeaderKey(unit_id, leader), own)) {
          a.accompanying_leaders.push_back(leader);
        }
      }
    }
  }
  for (uint32_t v : choice.vehicles) a.vehicle_ids.push_back(pool_.vehicles()[v].config->id);
  a.seats = choice.seats;
  a.mobilisation = team.mobilisation;
  if (team.unit != kNoIndex) {
    a.travel = travel_[region][team.unit].time;
    a.distance_m = travel_[region][team.unit].distance_m;
  }
  a.eta = choice.eta;
  return a;
}

std::string Proposer::ArrivalReason(const Assignment& a, uint32_t region,
                                    std::optional<Time> deadline) const {
  std::string basis;
  if (const Unit* unit = org_.FindUnit(a.team_unit_id)) {
    basis = EstimateTravel(config_.travel, org_, *unit, org_.regions()[region]).basis;
  }
  std::string text =
      StrCat("estimated arrival ", Local(a.eta), " = mobilisation ", FormatDuration(a.mobilisation),
             " + travel ", FormatDuration(a.travel), " (", basis, ")");
  if (!deadline) {
    StrAppend(text, "; no deadline applies");
  } else if (a.eta <= *deadline) {
    StrAppend(text, ", ", FormatDuration(*deadline - a.eta), " before the deadline ",
              Local(*deadline));
  } else {
    StrAppend(text, ", ", FormatDuration(a.eta - *deadline), " AFTER the deadline ",
              Local(*deadline));
  }
  return text;
}

std::string Proposer::CrewReason(const Assignment& a, const Crew& crew, uint32_t persons) const {
  uint32_t leaders = 0, staff = 0, drivers = 0;
  for (const auto& m : a.members) {
    switch (m.role) {
      case Role::kLeader:
        ++leaders;
        break;
      case Role::kStaff:
        ++staff;
        break;
      case Role::kDriver:
        ++drivers;
        break;
    }
  }
  std::string text = StrCat("brings ", Plural(leaders, "leader", "leaders"), ", ", staff,
                            " staff and ", Plural(drivers, "driver", "drivers"), " for ", persons,
                            " petitioners (sizing: ", crew.leaders, " + one staff per ",
                            config_.sizing.petitioners_per_staff);
  if (crew.staff != crew.staff_by_persons) {
    StrAppend(text, "; ", crew.staff_by_persons, " clamped to ", crew.staff, " by min/max_staff");
  }
  StrAppend(text, ") in ",
            Plural(static_cast<uint32_t>(a.vehicle_ids.size()), "vehicle", "vehicles"), " with ",
            a.seats, " seats");
  if (!a.vehicle_ids.empty()) {
    text += " (";
    for (size_t i = 0; i < a.vehicle_ids.size(); ++i) {
      StrAppend(text, i ? ", " : "", a.vehicle_ids[i]);
    }
    text += ")";
  }
  return text;
}

Proposer::Outcome Proposer::Propose(const Request& request) const {
  Outcome outcome;
  const uint32_t region = RegionIndex(request.region_id);
  const uint32_t unit = pool_.UnitIndex(request.unit_id);
  if (region == kNoIndex || unit == kNoIndex) {
    outcome.explanation.reasons.push_back(
        StrCat("unknown region ", request.region_id, " or unit ", request.unit_id));
    return outcome;
  }
  const Crew crew = RequiredCrew(config_.sizing, request.persons);
  const auto& teams = pool_.teams();
  // A deadline that has passed (an agent that reported late, a clock that
  // is wrong, HQ that waited) rules nobody out: a late response is better
  // than none, so the fastest team that can go is proposed, marked late.
  const bool passed = request.now >= request.deadline;
  const Time reachable_by = passed ? Time::max() : request.deadline;
  auto say_late = [&](std::vector<std::string>& reasons) {
    if (!passed) return;
    reasons.insert(reasons.begin(),
                   StrCat("the deadline ", Local(request.deadline),
                          " had passed when this proposal was made: the fastest team goes all the "
                          "same, late"));
  };
  auto excluded = [&](uint32_t t) {
    return request.excluded != nullptr &&
           std::find(request.excluded->begin(), request.excluded->end(), teams[t].config->id) !=
               request.excluded->end();
  };
  auto offset = [&](uint32_t t) {
    const uint32_t home = teams[t].unit;
    if (home == kNoIndex || !travel_[region][home].known) return Duration::max();
    return teams[t].mobilisation + travel_[region][home].time;
  };
  Log log;
  Choice choice;
  Shortfall shortfall;

  // 1. The unit's own teams, fastest first.
  std::vector<uint32_t> own = pool_.TeamsOfUnit(unit);
  std::sort(own.begin(), own.end(), [&](uint32_t a, uint32_t b) {
    const Duration oa = offset(a), ob = offset(b);
    if (oa != ob) return oa < ob;
    return teams[a].config->id < teams[b].config->id;
  });
  for (uint32_t t : own) {
    bool ok = false;
    if (excluded(t)) {
      shortfall = Shortfall{Code::kExcluded, 0, 0, {}};
    } else {
      ok = Evaluate(t, crew, region, request.now, reachable_by, &choice, &shortfall);
    }
    if (ok && !request.explain) {
      outcome.assignment.emplace();
      return outcome;
    }
    if (ok) {
      Assignment a = Build(choice, request.unit_id, region, false);
      auto& reasons = outcome.explanation.reasons;
      reasons.push_back(t == own.front()
                            ? StrCat(a.team_id, " is the fastest own team of ",
                                     UnitName(request.unit_id), " that can make it")
                            : StrCat(a.team_id, " is the fastest own team of ",
                                     UnitName(request.unit_id),
                                     " that can make it; faster own teams are rejected below"));
      reasons.push_back(ArrivalReason(a, region, request.deadline));
      reasons.push_back(CrewReason(a, crew, request.persons));
      say_late(reasons);
      log.Fill(outcome.explanation);
      outcome.assignment = std::move(a);
      return outcome;
    }
    if (request.explain) {
      log.Add(Rejection{teams[t].config->id, teams[t].config->home_unit_id,
                        Describe(t, shortfall, request.deadline, region)});
    }
  }

  if (request.own_teams_only) return outcome;

  // 2. The fastest other team that can make it.
  for (size_t i = 0; i < ranking_[region].size(); ++i) {
    const Ranked& entry = ranking_[region][i];
    const uint32_t t = entry.team;
    if (teams[t].unit == unit) continue;
    if (request.now + entry.offset > reachable_by) {
      // Every team from here on is slower: count them (without the unit's
      // own, which were judged above) instead of walking them.
      size_t own_after = 0;
      for (uint32_t t_own : own) {
        const Duration o = offset(t_own);
        own_after += o != Duration::max() && std::tie(o, teams[t_own].config->id) >=
                                                 std::tie(entry.offset, teams[t].config->id);
      }
      log.CountLate(static_cast<uint32_t>(ranking_[region].size() - i - own_after));
      break;
    }
    bool ok = false;
    if (excluded(t)) {
      shortfall = Shortfall{Code::kExcluded, 0, 0, {}};
    } else {
      ok = Evaluate(t, crew, region, request.now, reachable_by, &choice, &shortfall);
    }
    if (ok && !request.explain) {
      outcome.assignment.emplace();
      return outcome;
    }
    if (ok) {
      Assignment a = Build(choice, request.unit_id, region, true);
      auto& reasons = outcome.explanation.reasons;
      reasons.push_back(own.empty() ? StrCat(UnitName(request.unit_id), " has no team of its own")
                                    : StrCat("no own team of ", UnitName(request.unit_id),
                                             " can make it (see below)"));
      std::string leaders;
      for (const auto& person : a.accompanying_leaders) {
        StrAppend(leaders, leaders.empty() ? "" : ", ", person.name);
      }
      const std::vector<std::string> busy = BusyLeaders(request.unit_id, nullptr);
      reasons.push_back(StrCat(
          a.team_id, " of ", UnitName(a.team_unit_id),
          " is the fastest other team that can make it; ",
          !leaders.empty() ? StrCat("the leaders of ", request.unit_id, " (", leaders,
                                    ") still go and may arrive after the deadline")
          : busy.empty()   ? StrCat(request.unit_id, " has no leaders configured to go with it")
                           : StrCat("no leader of ", request.unit_id, " is free to go with it")));
      reasons.insert(reasons.end(), busy.begin(), busy.end());
      reasons.push_back(ArrivalReason(a, region, request.deadline));
      reasons.push_back(CrewReason(a, crew, request.persons));
      say_late(reasons);
      log.Fill(outcome.explanation);
      outcome.assignment = std::move(a);
      return outcome;
    }
    if (!request.explain) continue;
    if (log.others_listed() < kListedOtherRejections) {
      log.AddOther(Rejection{teams[t].config->id, teams[t].config->home_unit_id,
                             Describe(t, shortfall, request.deadline, region)});
    } else {
      log.Count(shortfall.code);
    }
  }

  if (!request.explain) return outcome;
  outcome.explanation.reasons.push_back(
      StrCat("no team can arrive at ", request.region_id, " by ", Local(request.deadline), " with ",
             Plural(crew.leaders, "leader", "leaders"), " and ", crew.staff, " staff for ",
             UnitName(request.unit_id), ": ",
             own.empty() ? "it has no team of its own" : "its own teams cannot",
             " and no other team can either"));
  log.Fill(outcome.explanation);
  return outcome;
}

}  // namespace anding::core::dispatch

// A seeded, deterministic simulation of the dispatch core: thousands of
// random incidents, status updates (legal and illegal), HQ decisions,
// availability changes and restarts, driven with a ManualClock. Every
// command's changes are saved through the repository as the shell would;
// a restart reloads the module from that file (and now and then from a full
// snapshot written into a fresh file) and compares it with the old one.
//
// After every step it checks, against its own model rather than the
// module's bookkeeping:
//  * no team, member or vehicle is on two incidents, and the holds the
//    module reports match the active assignments;
//  * every incident has a deadline for each involved unit a rule covers
//    (the design's table, recomputed here) and exactly one "no_rule" alert
//    for each unit no rule covers;
//  * every deadline that passed without a confirmed arrival produced
//    exactly one breach, and no other deadline produced one;
//  * an assignment of a unit not yet on the scene only uses resources that
//    are available; settled incidents hold nothing;
//  * legal steps succeed, illegal ones fail with FailedPrecondition, and a
//    failed command emits nothing;
//  * the state rebuilt from the store equals the state before.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <unordered_map>

#include "anding/common/clock.h"
#include "anding/core/dispatch/dispatch_module.h"
#include "anding/core/dispatch/rules.h"
#include "core/dispatch/test_store.h"
#include "core/dispatch/test_world.h"

namespace anding::core::dispatch {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

IncidentFilter Everything(bool open_only = false) {
  IncidentFilter filter;
  filter.open_only = open_only;
  filter.limit = 0;
  return filter;
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  // Uniform in [0, n).
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : engine_() % n; }
  bool Chance(double p) { return static_cast<double>(engine_() % 1'000'000) < p * 1'000'000; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

 private:
  std::mt19937_64 engine_;
};

// The organisation: Hebi (home city) with many mines, Zhengzhou
// (provincial capital), Anyang (other, Henan), Beijing (national capital),
// Shanghai (other province: covered only by home-city and Beijing rules).
struct SimWorld {
  explicit SimWorld(uint64_t seed, bool auto_confirm) {
    Rng rng(seed * 7919 + 1);
    std::vector<Region> regions = {
        {"hebi", "鹤壁", RegionKind::kHomeCity, "henan", std::nullopt},
        {"zhengzhou", "郑州", RegionKind::kProvincialCapital, "henan", std::nullopt},
        {"anyang", "安阳", RegionKind::kOther, "henan", std::nullopt},
        {"beijing", "北京", RegionKind::kNationalCapital, "beijing", std::nullopt},
        {"shanghai", "上海", RegionKind::kOther, "shanghai", std::nullopt}};
    const std::vector<std::pair<std::string, int>> unit_counts = {
        {"hebi", 10}, {"zhengzhou", 3}, {"anyang", 2}, {"beijing", 1}, {"shanghai", 1}};
    std::vector<Unit> units;
    int phone = 0;
    for (const auto& [region, count] : unit_counts) {
      for (int i = 0; i < count; ++i) {
        Unit unit;
        unit.id = StrCat(region, "-u", i);
        unit.name = unit.id;
        unit.region_id = region;
        for (uint64_t l = rng.Below(3); l > 0; --l) {
          unit.leaders.push_back(
              Person{StrCat(unit.id, "-leader", l), StrCat("+86139", 10000000 + ++phone), "矿长"});
        }
        units.push_back(std::move(unit));
      }
    }
    org = Organisation(regions, units, DefaultCategories(), TimeZone::Shanghai());

    config.auto_confirm = auto_confirm;
    config.travel.within_region = minutes(30);
    auto route = [&](std::string a, std::string b, Duration time) {
      config.travel.matrix[{std::move(a), std::move(b)}] = Route{time, std::nullopt};
    };
    route("hebi", "zhengzhou", minutes(90));
    route("hebi", "anyang", minutes(40));
    route("anyang", "zhengzhou", minutes(100));
    route("hebi", "beijing", hours(4));
    route("zhengzhou", "beijing", hours(4));
    route("zhengzhou", "zhengzhou", minutes(20));
    for (const auto& unit : units) {
      const uint64_t teams = unit.region_id == "shanghai" ? 0 : 1 + rng.Below(2);  // 1 or 2
      for (uint64_t t = 0; t < teams; ++t) {
        TeamConfig team;
        team.id = StrCat("team-", unit.id, "-", t);
        team.home_unit_id = unit.id;
        if (rng.Chance(0.3)) team.mobilisation = minutes(5 + rng.Below(20));
        auto add = [&](Role role, uint64_t n) {
          for (uint64_t k = 0; k < n; ++k) {
            MemberConfig member;
            member.id = StrCat(team.id, "-", RoleName(role), k);
            member.team_id = team.id;
            member.role = role;
            member.person = Person{member.id, StrCat("+86137", 10000000 + ++phone), ""};
            team.members.push_back(std::move(member));
          }
        };
        add(Role::kLeader, 1 + rng.Below(2));
        add(Role::kStaff, 2 + rng.Below(4));
        add(Role::kDriver, 1 + rng.Below(2));
        config.teams.push_back(std::move(team));
      }
      for (uint64_t v = 1 + rng.Below(2); v > 0; --v) {
        VehicleConfig vehicle;
        vehicle.id = StrCat("veh-", unit.id, "-", v);
        vehicle.home_unit_id = unit.id;
        vehicle.seats = static_cast<uint32_t>(5 + rng.Below(5));
        config.vehicles.push_back(std::move(vehicle));
      }
    }
  }

  [[nodiscard]] std::unique_ptr<DispatchModule> Make() const {
    return std::make_unique<DispatchModule>(config, org);
  }

  // The design's table, independently of the module's rule code.
  [[nodiscard]] std::optional<Duration> ExpectedLimit(const std::string& incident_region,
                                                      const std::string& unit_id) const {
    const Region& incident = *org.FindRegion(incident_region);
    const Region& where = *org.RegionOfUnit(unit_id);
    switch (incident.kind) {
      case RegionKind::kHomeCity:
        return where.id == incident.id ? hours(1) : hours(2);
      case RegionKind::kProvincialCapital:
        if (where.id == incident.id) return hours(1);
        if (where.province == incident.province) return hours(2);
        return std::nullopt;
      case RegionKind::kNationalCapital:
        return hours(6);
      case RegionKind::kOther:
        return std::nullopt;
    }
    return std::nullopt;
  }

  Organisation org;
  DispatchConfig config;
};

// What the simulation knows about one unit's deadline on one incident.
struct Watched {
  Time deadline{};
  std::optional<size_t> first_tick_after;  // step whose Tick first passed the deadline
  std::optional<size_t> arrival_step;
  std::optional<Time> arrival_at;
  int breaches = 0;
  int warnings = 0;
};

class Simulation {
 public:
  Simulation(uint64_t seed, bool auto_confirm)
      : rng_(seed), world_(seed, auto_confirm), clock_(testing::T0()) {
    module_ = world_.Make();
  }

  void Run(size_t steps) {
    for (step_ = 0; step_ < steps; ++step_) {
      Advance();
      TickAndCheck();
      const uint64_t roll = rng_.Below(1000);
      if (roll < 220) {
        ReportRandom();
      } else if (roll < 670) {
        Progress();
      } else if (roll < 750) {
        UpdateRandom();
      } else if (roll < 830) {
        HqRandom();
      } else {
        AvailabilityRandom();
      }
      // A crash and restart every 500 steps (every third one also through
      // a full snapshot written into a fresh file).
      if (step_ % 500 == 499) Restart(restarts_ % 3 == 0);
      if (::testing::Test::HasFatalFailure()) return;
      CheckInvariants();
      if (::testing::Test::HasFailure()) {
        ADD_FAILURE() << "first failure at step " << step_ << " (" << FormatUtc(clock_.Now())
                      << ")";
        return;
      }
    }
    Restart(true);
    CheckAllBreaches();
  }

  size_t incidents() const { return module_->ListIncidents(Everything()).size(); }
  size_t breaches() const { return total_breaches_; }
  size_t restarts() const { return restarts_; }
  size_t failures() const { return expected_failures_; }
  size_t arrivals() const { return arrivals_; }
  size_t closed() const {
    IncidentFilter filter = Everything();
    filter.states = {IncidentState::kClosed};
    return module_->ListIncidents(filter).size();
  }

 private:
  using Key = std::pair<std::string, std::string>;  // incident, unit

  void Advance() {
    if (just_restarted_) {
      // The dispatcher was down for a while: deadlines may pass unseen.
      just_restarted_ = false;
      clock_.Advance(minutes(20 + rng_.Below(160)));
      return;
    }
    const uint64_t roll = rng_.Below(100);
    // Mostly minutes; now and then an hour or three (a quiet night, or the
    // dispatcher being down before a restart).
    Duration step = roll < 15   ? Duration(0)
                    : roll < 85 ? Duration(static_cast<int64_t>(rng_.Below(300'000'000)))
                    : roll < 98 ? minutes(5 + rng_.Below(25))
                                : hours(1 + rng_.Below(3));
    clock_.Advance(step);
  }

  void Save(const Effects& out) { db_.Save(*module_, out); }

  // Records what the effects say about alerts, checking their counts.
  void Observe(const Effects& out) {
    for (const auto& alert : out.alerts) {
      const Key key{alert.reference_id, alert.unit_id};
      if (alert.kind == "deadline_breach") {
        ++total_breaches_;
        auto it = watched_.find(key);
        ASSERT_NE(it, watched_.end())
            << "breach for an unwatched unit " << key.first << "/" << key.second;
        EXPECT_EQ(++it->second.breaches, 1)
            << "second breach for " << key.first << "/" << key.second;
      } else if (alert.kind == "deadline_warning") {
        auto it = watched_.find(key);
        ASSERT_NE(it, watched_.end());
        EXPECT_EQ(it->second.breaches, 0) << "warning after the breach";
        EXPECT_LE(++it->second.warnings, 2);
      } else if (alert.kind == "no_rule") {
        ++no_rule_[key];
      }
    }
  }

  void TickAndCheck() {
    Effects out;
    module_->Tick(clock_.Now(), out);
    Observe(out);
    Save(out);
    EXPECT_GT(module_->NextWakeup(), clock_.Now());
    // Deadlines this Tick passed for the first time: decide them now.
    while (!by_deadline_.empty() && by_deadline_.begin()->first < clock_.Now()) {
      const Key key = by_deadline_.begin()->second;
      by_deadline_.erase(by_deadline_.begin());
      Watched& w = watched_[key];
      w.first_tick_after = step_;
      // Breach at this Tick unless the unit was on the scene before it or
      // the incident was settled before it.
      const bool arrived_before = w.arrival_step && *w.arrival_step < step_;
      const bool settled_before = settled_step_.count(key.first) != 0;
      const bool late_arrival = arrived_before && *w.arrival_at > w.deadline;
      const int expected = (!arrived_before && !settled_before) || late_arrival ? 1 : 0;
      EXPECT_EQ(w.breaches, expected)
          << key.first << "/" << key.second << " deadline " << FormatUtc(w.deadline)
          << (arrived_before ? " arrived" : "") << (settled_before ? " settled" : "");
    }
  }

  std::vector<std::string> OpenIncidents() const {
    std::vector<std::string> ids;
    for (const Incident* incident : module_->ListIncidents(Everything(true))) {
      ids.push_back(incident->id);
    }
    return ids;
  }

  Actor RandomActor(const std::string& unit_id) {
    return rng_.Chance(0.5) ? Actor::Agent(unit_id) : Actor::Operator("hq-duty");
  }

  // Failed commands must leave no effects (and, now and then, verifiably
  // no change).
  void ExpectFailureHarmless(const Status& status, const Effects& out,
                             const DispatchSnapshot* before) {
    EXPECT_FALSE(status.ok());
    EXPECT_TRUE(out.empty()) << status;
    if (before != nullptr) {
      EXPECT_EQ(module_->Snapshot(), *before) << status;
    }
    ++expected_failures_;
  }

  void ReportRandom() {
    static const std::vector<std::string> kRegions = {
        "hebi",      "hebi",      "hebi",      "hebi",      "hebi",    "hebi",    "hebi",  "hebi",
        "zhengzhou", "zhengzhou", "zhengzhou", "zhengzhou", "beijing", "beijing", "anyang"};
    const auto& units = world_.org.units();
    ReportIncidentRequest request;
    request.report.type = static_cast<IncidentType>(rng_.Below(3));
    request.report.place = Place{rng_.Pick(kRegions), StrCat("地址", rng_.Below(100))};
    request.report.persons = static_cast<uint32_t>(1 + rng_.Below(rng_.Chance(0.1) ? 60 : 25));
    std::set<std::string> chosen;
    for (uint64_t n = 1 + rng_.Below(rng_.Chance(0.2) ? 3 : 1); chosen.size() < n;) {
      chosen.insert(units[rng_.Below(units.size())].id);
    }
    request.report.involved_unit_ids.assign(chosen.begin(), chosen.end());
    if (rng_.Chance(0.2)) request.reported_at = clock_.Now() - minutes(rng_.Below(90));
    const bool invalid = rng_.Chance(0.03);
    if (invalid) request.report.involved_unit_ids.push_back("no-such-unit");
    const Actor who = rng_.Chance(0.5) ? Actor::Agent(request.report.involved_unit_ids[0])
                                       : Actor::Operator("hq-duty");
    Effects out;
    auto id = module_->ReportIncident(request, who, clock_.Now(), out);
    if (invalid) {
      EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument);
      ExpectFailureHarmless(id.status(), out, nullptr);
      return;
    }
    ASSERT_TRUE(id.ok()) << id.status();
    Observe(out);
    Save(out);
    Schedule(*id, Minutes(1, 15));
    const Incident& incident = *module_->FindIncident(*id);
    auto& expected = expected_deadlines_[incident.id];
    for (const auto& response : incident.responses) {
      const auto limit = world_.ExpectedLimit(incident.report.place.region_id, response.unit_id);
      expected.push_back(limit ? std::optional<Time>(incident.reported_at + *limit) : std::nullopt);
      if (!limit) continue;
      const Key key{incident.id, response.unit_id};
      const Time deadline = incident.reported_at + *limit;
      watched_[key].deadline = deadline;
      by_deadline_.emplace(deadline, key);
    }
    CheckDeadlines(incident);
  }

  // Noise: a random step (often illegal) on a random open incident.
  void UpdateRandom() {
    const auto open = OpenIncidents();
    if (open.empty()) return;
    const Incident& incident = *module_->FindIncident(rng_.Pick(open));
    const Response& response = incident.responses[rng_.Below(incident.responses.size())];
    const Time earliest = std::max(incident.reported_at, clock_.Now() - minutes(30));
    const Time at = earliest + Duration(static_cast<int64_t>(rng_.Below(
                                   static_cast<uint64_t>((clock_.Now() - earliest).count()) + 1)));
    AttemptStep(incident.id, response.unit_id, static_cast<IncidentStep>(rng_.Below(5)), at);
  }

  // Records a status step, judging its legality by the lifecycle table
  // (computed here) before the module does. True if it succeeded.
  bool AttemptStep(const std::string& id, const std::string& unit, IncidentStep step, Time at) {
    const Incident& incident = *module_->FindIncident(id);
    const Response& response = *FindResponse(incident, unit);
    const Assignment* active = ActiveAssignment(incident, unit);
    const bool moving = incident.state == IncidentState::kDispatched ||
                        incident.state == IncidentState::kEnRoute ||
                        incident.state == IncidentState::kOnScene;
    bool legal = false;
    switch (step) {
      case IncidentStep::kDeparted:
        legal = moving && active != nullptr && active->state == AssignmentState::kConfirmed &&
                !active->departed_at && !response.arrived_at;
        break;
      case IncidentStep::kArrived:
        legal = moving && !response.arrived_at;
        break;
      case IncidentStep::kSettled:
        legal = incident.state == IncidentState::kOnScene;
        break;
      case IncidentStep::kAftermath:
        legal = incident.state == IncidentState::kSettled;
        break;
      case IncidentStep::kClosed:
        legal = incident.state == IncidentState::kAftermath;
        break;
    }
    const IncidentState state_before = incident.state;
    StatusUpdateRequest request{id, step, unit, at, "", "sim"};
    const Actor who = RandomActor(unit);
    const bool check_unchanged = !legal && rng_.Chance(0.02);
    const DispatchSnapshot before = check_unchanged ? module_->Snapshot() : DispatchSnapshot{};
    Effects out;
    const Status status = module_->UpdateStatus(request, who, clock_.Now(), out);
    if (!legal) {
      EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition)
          << status << " for " << IncidentStepName(step) << " in "
          << IncidentStateName(state_before);
      ExpectFailureHarmless(status, out, check_unchanged ? &before : nullptr);
      return false;
    }
    EXPECT_TRUE(status.ok()) << status << " for " << IncidentStepName(step) << " in "
                             << IncidentStateName(state_before);
    if (!status.ok()) return false;
    Observe(out);
    Save(out);
    if (step == IncidentStep::kArrived) {
      ++arrivals_;
      auto it = watched_.find({id, unit});
      if (it != watched_.end()) {
        it->second.arrival_step = step_;
        it->second.arrival_at = at;
        // Arriving late before any Tick noticed: the arrival breaches.
        if (!it->second.first_tick_after && at > it->second.deadline) {
          EXPECT_EQ(it->second.breaches, 1);
        }
      }
    }
    if (step == IncidentStep::kSettled) settled_step_[id] = step_;
    return true;
  }

  void Schedule(const std::string& id, Duration after) {
    if (auto it = due_.find(id); it != due_.end()) {
      auto range = agenda_.equal_range(it->second);
      for (auto a = range.first; a != range.second; ++a) {
        if (a->second == id) {
          agenda_.erase(a);
          break;
        }
      }
    }
    const Time at = clock_.Now() + after;
    due_[id] = at;
    agenda_.emplace(at, id);
  }

  Duration Minutes(uint64_t low, uint64_t high) { return minutes(low + rng_.Below(high - low)); }

  // The field and HQ doing the next sensible thing for the incident that
  // has waited longest: send somebody where nobody is assigned, confirm,
  // depart, arrive, settle, follow up, close.
  void Progress() {
    if (agenda_.empty() || agenda_.begin()->first > clock_.Now()) {
      UpdateRandom();
      return;
    }
    // Everything due now, oldest first (each a separate, checked command).
    for (int n = 0; n < 8 && !agenda_.empty() && agenda_.begin()->first <= clock_.Now(); ++n) {
      ProgressOne();
      if (::testing::Test::HasFatalFailure()) return;
    }
  }

  void ProgressOne() {
    const std::string id = agenda_.begin()->second;
    agenda_.erase(agenda_.begin());
    due_.erase(id);
    const Incident& incident = *module_->FindIncident(id);
    const Time now = clock_.Now();
    switch (incident.state) {
      case IncidentState::kClosed:
        return;
      case IncidentState::kAftermath:
        if (!AttemptStep(id, incident.responses[0].unit_id, IncidentStep::kClosed, now)) {
          Schedule(id, minutes(30));
        }
        return;
      case IncidentState::kSettled:
        AttemptStep(id, incident.responses[0].unit_id, IncidentStep::kAftermath, now);
        Schedule(id, Minutes(60, 48 * 60));
        return;
      default:
        break;
    }
    for (const auto& a : incident.assignments) {
      if (a.state != AssignmentState::kProposed) continue;
      Effects out;
      Accept(module_->Confirm({id, ""}, Actor::Operator("hq"), now, out), out);
      Schedule(id, Minutes(2, 15));
      return;
    }
    for (const auto& r : incident.responses) {
      if (r.arrived_at || ActiveAssignment(incident, r.unit_id) != nullptr) continue;
      // Nobody assigned (no rule, or nobody could make it): HQ sends a free
      // team if there is one; otherwise the unit's own people go.
      std::vector<std::string> free;
      for (const auto& team : module_->Teams()) {
        if (team.on_duty && !team.assignment) free.push_back(team.id);
      }
      bool sent = false;
      for (int attempt = 0; attempt < 3 && !free.empty() && !sent; ++attempt) {
        const std::string team = rng_.Pick(free);
        Effects out;
        const Status status = module_->Override({id, r.unit_id, team, {}, {}, "sim"},
                                                Actor::Operator("hq"), now, out);
        sent = Accept(status, out);
        if (sent || status.message().find("name the members") == std::string::npos) continue;
        // The team is short of people for the sizing rule: HQ sends
        // everybody it has on duty, naming them.
        std::vector<std::string> members;
        for (const auto& t : world_.config.teams) {
          if (t.id != team) continue;
          for (const auto& m : t.members) {
            if (!unavailable_.count({ResourceKind::kMember, m.id})) members.push_back(m.id);
          }
        }
        Effects named;
        sent = Accept(module_->Override({id, r.unit_id, team, members, {}, "sim: all on duty"},
                                        Actor::Operator("hq"), now, named),
                      named);
      }
      if (!sent && incident.state != IncidentState::kReported && rng_.Chance(0.5)) {
        AttemptStep(id, r.unit_id, IncidentStep::kArrived, now);
      }
      Schedule(id, Minutes(2, 15));
      return;
    }
    if (incident.state == IncidentState::kOnScene && rng_.Chance(0.3)) {
      // The first unit on the scene persuaded the petitioners to leave
      // before the others arrived: their deadlines no longer matter.
      AttemptStep(id, incident.responses[0].unit_id, IncidentStep::kSettled, now);
      Schedule(id, Minutes(30, 240));
      return;
    }
    for (const auto& r : incident.responses) {
      if (r.arrived_at) continue;
      const Assignment* active = ActiveAssignment(incident, r.unit_id);
      if (active != nullptr && !active->departed_at && rng_.Chance(0.7)) {
        AttemptStep(id, r.unit_id, IncidentStep::kDeparted, now);
        Schedule(id, Minutes(20, 90));
        return;
      }
      // Arrived a little while ago, as reported now.
      AttemptStep(id, r.unit_id, IncidentStep::kArrived,
                  std::max(incident.reported_at, now - Minutes(0, 10)));
      Schedule(id, Minutes(5, 40));
      return;
    }
    AttemptStep(id, incident.responses[0].unit_id, IncidentStep::kSettled, now);
    Schedule(id, Minutes(30, 240));
  }

  // HQ works like a duty officer: sends a free team where nobody is
  // assigned (no rule, or nobody could make it), confirms what is proposed,
  // and sometimes asks for another team.
  void HqRandom() {
    std::vector<std::pair<std::string, std::string>> unassigned;  // incident, unit
    std::vector<std::string> waiting;
    for (const Incident* incident : module_->ListIncidents(Everything(true))) {
      if (incident->state >= IncidentState::kSettled) continue;
      bool proposed = false;
      for (const auto& r : incident->responses) {
        const Assignment* active = ActiveAssignment(*incident, r.unit_id);
        if (!r.arrived_at && active == nullptr) unassigned.emplace_back(incident->id, r.unit_id);
        proposed |= active != nullptr && active->state == AssignmentState::kProposed;
      }
      if (proposed) waiting.push_back(incident->id);
    }
    const uint64_t roll = rng_.Below(10);
    if (!unassigned.empty() && roll < 5) {
      const auto [id, unit] = rng_.Pick(unassigned);
      std::vector<std::string> free;
      for (const auto& team : world_.config.teams) {
        if (!unavailable_.count({ResourceKind::kTeam, team.id})) free.push_back(team.id);
      }
      for (int attempt = 0; attempt < 3; ++attempt) {
        Effects out;
        const Status status = module_->Override({id, unit, rng_.Pick(free), {}, {}, "sim"},
                                                Actor::Operator("hq"), clock_.Now(), out);
        if (Accept(status, out)) return;
      }
      return;
    }
    const auto open = OpenIncidents();
    if (open.empty()) return;
    std::string id = !waiting.empty() && roll < 9 ? rng_.Pick(waiting) : rng_.Pick(open);
    const Incident& incident = *module_->FindIncident(id);
    const std::string unit = incident.responses[rng_.Below(incident.responses.size())].unit_id;
    Effects out;
    const Status status = roll < 9 ? module_->Confirm({id, rng_.Chance(0.5) ? unit : ""},
                                                      Actor::Operator("hq"), clock_.Now(), out)
                                   : module_->Reassign({id, unit, {}, "sim"}, Actor::Operator("hq"),
                                                       clock_.Now(), out);
    Accept(status, out);
  }

  // Checks a HQ command's outcome; true if it succeeded.
  bool Accept(const Status& status, const Effects& out) {
    if (!status.ok()) {
      EXPECT_TRUE(status.code() == StatusCode::kFailedPrecondition ||
                  status.code() == StatusCode::kInvalidArgument)
          << status;
      ExpectFailureHarmless(status, out, nullptr);
      return false;
    }
    Observe(out);
    Save(out);
    return true;
  }

  void AvailabilityRandom() {
    const auto kind = static_cast<ResourceKind>(rng_.Below(3));
    std::string id;
    switch (kind) {
      case ResourceKind::kTeam:
        id = rng_.Pick(world_.config.teams).id;
        break;
      case ResourceKind::kMember: {
        const auto& team = rng_.Pick(world_.config.teams);
        id = rng_.Pick(team.members).id;
        break;
      }
      case ResourceKind::kVehicle:
        id = rng_.Pick(world_.config.vehicles).id;
        break;
    }
    const std::pair<ResourceKind, std::string> key{kind, id};
    // Mostly back to work; now and then out (setting the same value again
    // is allowed and changes nothing).
    const bool available = unavailable_.count(key) != 0 || rng_.Chance(0.85);
    Effects out;
    const Status status = module_->SetAvailability({kind, id, available, "sim"},
                                                   Actor::Operator("hq"), clock_.Now(), out);
    ASSERT_TRUE(status.ok()) << status;
    if (available) {
      unavailable_.erase(key);
    } else {
      unavailable_.insert(key);
    }
    Observe(out);
    Save(out);
  }

  // Reload from the file the module's changes were saved to (a crash and
  // restart); with `full`, also write everything into a fresh file and
  // load that. Both must equal the module before.
  void Restart(bool full) {
    ++restarts_;
    just_restarted_ = true;
    const DispatchSnapshot before = module_->Snapshot();
    const auto teams = module_->Teams();
    const auto vehicles = module_->Vehicles();
    const Time wakeup = module_->NextWakeup();
    if (full) {
      testing::TempDatabase fresh;
      fresh.SaveAll(*module_);
      auto from_fresh = fresh.Load(world_.config, world_.org);
      ASSERT_NE(from_fresh, nullptr);
      EXPECT_EQ(from_fresh->Snapshot(), before) << "fresh-file snapshot differs";
    }
    db_.Open();
    module_ = db_.Load(world_.config, world_.org);
    ASSERT_NE(module_, nullptr);
    EXPECT_EQ(module_->Snapshot(), before) << "state rebuilt from the store differs";
    EXPECT_EQ(module_->Teams(), teams);
    EXPECT_EQ(module_->Vehicles(), vehicles);
    EXPECT_EQ(module_->NextWakeup(), wakeup);
    for (const auto& incident : before.incidents) CheckDeadlines(incident);
  }

  // Deadlines per the design's table; one no_rule alert per uncovered unit.
  void CheckDeadlines(const Incident& incident) {
    for (const auto& response : incident.responses) {
      const auto limit = world_.ExpectedLimit(incident.report.place.region_id, response.unit_id);
      if (limit) {
        ASSERT_TRUE(response.deadline.has_value()) << incident.id << "/" << response.unit_id;
        EXPECT_EQ(response.deadline->at, incident.reported_at + *limit);
        EXPECT_EQ(response.deadline->limit, *limit);
      } else {
        EXPECT_FALSE(response.deadline.has_value()) << incident.id << "/" << response.unit_id;
        EXPECT_EQ(no_rule_[Key(incident.id, response.unit_id)], 1);
      }
    }
  }

  void CheckInvariants() {
    // Who holds what, by pointer; messages are only built on failure.
    using Holder = std::pair<const Incident*, const Assignment*>;
    std::unordered_map<std::string_view, Holder> team_holder, member_holder, vehicle_holder;
    auto name = [](const Holder& h) {
      return StrCat(h.first->id, "/", h.second->unit_id, "#", h.second->number);
    };
    auto claim = [&](std::unordered_map<std::string_view, Holder>& holders, std::string_view id,
                     const Holder& holder) {
      auto [it, fresh] = holders.emplace(id, holder);
      if (!fresh) ADD_FAILURE() << id << " is on " << name(it->second) << " and " << name(holder);
    };
    for (const Incident* incident : module_->ListIncidents(Everything(true))) {
      const bool settled = incident->state >= IncidentState::kSettled;
      for (const auto& a : incident->assignments) {
        const bool active =
            a.state == AssignmentState::kProposed || a.state == AssignmentState::kConfirmed;
        if (!active) continue;
        EXPECT_FALSE(settled) << incident->id << " is settled but holds " << a.team_id;
        const Holder holder{incident, &a};
        claim(team_holder, a.team_id, holder);
        for (const auto& m : a.members) claim(member_holder, m.member_id, holder);
        for (const auto& v : a.vehicle_ids) claim(vehicle_holder, v, holder);
        // Until the unit is on the scene, an assignment only uses what is
        // available (per the simulation's own record of availability).
        const Response* response = FindResponse(*incident, a.unit_id);
        if (response != nullptr && !response->arrived_at) {
          EXPECT_FALSE(unavailable_.count({ResourceKind::kTeam, a.team_id}))
              << name(holder) << " uses off-duty " << a.team_id;
          for (const auto& m : a.members) {
            EXPECT_FALSE(unavailable_.count({ResourceKind::kMember, m.member_id}))
                << name(holder) << " uses off-duty " << m.member_id;
          }
          for (const auto& v : a.vehicle_ids) {
            EXPECT_FALSE(unavailable_.count({ResourceKind::kVehicle, v}))
                << name(holder) << " uses out-of-service " << v;
          }
        }
      }
      // Deadlines stay as computed at intake (recomputed from the table
      // there and at every restart).
      const auto& expected = expected_deadlines_.at(incident->id);
      for (size_t i = 0; i < incident->responses.size(); ++i) {
        const auto& deadline = incident->responses[i].deadline;
        EXPECT_EQ(deadline ? std::optional<Time>(deadline->at) : std::nullopt, expected[i])
            << incident->id << "/" << incident->responses[i].unit_id;
      }
    }
    // Every few steps: the module's own views of holds and availability
    // agree with the records and with the simulation's model.
    if (step_ % 8 != 0) return;
    for (const auto& team : module_->Teams()) {
      EXPECT_EQ(team.assignment.has_value(), team_holder.count(team.id) != 0) << team.id;
      EXPECT_EQ(team.on_duty, !unavailable_.count({ResourceKind::kTeam, team.id})) << team.id;
      for (const auto& member : team.members) {
        EXPECT_EQ(member.assignment.has_value(), member_holder.count(member.id) != 0) << member.id;
        EXPECT_EQ(member.on_duty, !unavailable_.count({ResourceKind::kMember, member.id}));
      }
    }
    for (const auto& vehicle : module_->Vehicles()) {
      EXPECT_EQ(vehicle.assignment.has_value(), vehicle_holder.count(vehicle.id) != 0)
          << vehicle.id;
      EXPECT_EQ(vehicle.available, !unavailable_.count({ResourceKind::kVehicle, vehicle.id}));
    }
  }

  // At the end: every watched deadline has exactly the breaches it should.
  void CheckAllBreaches() {
    for (const auto& [key, w] : watched_) {
      int expected = 0;
      if (w.first_tick_after) {
        const bool arrived_before = w.arrival_step && *w.arrival_step < *w.first_tick_after;
        const bool settled_before =
            settled_step_.count(key.first) != 0 && settled_step_[key.first] < *w.first_tick_after;
        expected =
            (!arrived_before && !settled_before) || (arrived_before && *w.arrival_at > w.deadline)
                ? 1
                : 0;
      } else if (w.arrival_at && *w.arrival_at > w.deadline) {
        expected = 1;
      }
      EXPECT_EQ(w.breaches, expected) << key.first << "/" << key.second;
    }
  }

  Rng rng_;
  SimWorld world_;
  ManualClock clock_;
  testing::TempDatabase db_;
  std::unique_ptr<DispatchModule> module_;
  size_t step_ = 0;
  bool just_restarted_ = false;

  std::map<Key, Watched> watched_;
  std::multimap<Time, Key> by_deadline_;
  std::map<std::string, size_t> settled_step_;
  std::map<Key, int> no_rule_;
  std::unordered_map<std::string, std::vector<std::optional<Time>>> expected_deadlines_;
  std::multimap<Time, std::string> agenda_;  // when each open incident moves next
  std::map<std::string, Time> due_;
  std::set<std::pair<ResourceKind, std::string>> unavailable_;
  size_t total_breaches_ = 0;
  size_t restarts_ = 0;
  size_t expected_failures_ = 0;
  size_t arrivals_ = 0;
};

// Under AddressSanitizer (CI) a step costs about four times as much: run
// half the steps there, with proportionally lower coverage expectations.
#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kScale = 2;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr size_t kScale = 2;
#else
constexpr size_t kScale = 1;
#endif
#else
constexpr size_t kScale = 1;
#endif

struct Scenario {
  uint64_t seed;
  bool auto_confirm;
  size_t steps;
};

class DispatchSimulationTest : public ::testing::TestWithParam<Scenario> {};

TEST_P(DispatchSimulationTest, InvariantsHoldThroughRandomDays) {
  Simulation sim(GetParam().seed, GetParam().auto_confirm);
  sim.Run(GetParam().steps / kScale);
  // The run must have exercised what it checks.
  EXPECT_GT(sim.incidents(), 800u / kScale);
  EXPECT_GT(sim.closed(), 600u / kScale);
  EXPECT_GT(sim.arrivals(), 800u / kScale);
  EXPECT_GT(sim.breaches(), 200u / kScale);
  EXPECT_GE(sim.restarts(), 10u / kScale);
  EXPECT_GT(sim.failures(), 500u / kScale);
  std::printf(
      "seed %llu: %zu incidents (%zu closed), %zu arrivals, %zu breaches, %zu restarts, "
      "%zu rejected commands\n",
      static_cast<unsigned long long>(GetParam().seed), sim.incidents(), sim.closed(),
      sim.arrivals(), sim.breaches(), sim.restarts(), sim.failures());
}

INSTANTIATE_TEST_SUITE_P(Seeds, DispatchSimulationTest,
                         ::testing::Values(Scenario{20261127, false, 5000},
                                           Scenario{4, true, 5000}));

}  // namespace
}  // namespace anding::core::dispatch

// How long DispatchModule takes to produce an assignment proposal for a new
// incident at the scale HQ plans for: 1,000 units, 5,000 teams, 5,000
// vehicles and 10,000 open incidents (1,000 of them still holding teams,
// the rest settled or in aftermath). Reports p50 / p90 / p99 / max per
// scenario, and the same scenarios with only 100 teams for comparison.
//
// A plain main rather than Google Benchmark: the interesting number is the
// tail of a distribution over a state that evolves (every measured report
// adds an incident), not a mean over identical repetitions.
//
//   dispatch_proposal_bench [--samples N] [--seed S]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include "anding/common/strings.h"
#include "anding/core/dispatch/dispatch_module.h"

namespace anding::core::dispatch {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using Clock = std::chrono::steady_clock;

struct Shape {
  size_t units = 1000;
  size_t teams = 5000;
  size_t vehicles = 5000;
  size_t open_incidents = 10000;
  size_t active_incidents = 1000;  // of the open ones, still holding teams
};

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  uint64_t Below(uint64_t n) { return engine_() % n; }
  double Unit() { return static_cast<double>(engine_() % 1'000'000) / 1'000'000.0; }

 private:
  std::mt19937_64 engine_;
};

// 20 regions around Henan plus Beijing; units spread over them with
// coordinates (travel times come from distances); teams and vehicles
// spread over the units round-robin.
struct World {
  World(const Shape& shape, uint64_t seed) {
    Rng rng(seed);
    std::vector<Region> regions;
    auto region = [&](std::string id, RegionKind kind, std::string province, double lat,
                      double lon) {
      regions.push_back(Region{std::move(id), "", kind, std::move(province), GeoPoint{lat, lon}});
    };
    region("hebi", RegionKind::kHomeCity, "henan", 35.75, 114.30);
    region("zhengzhou", RegionKind::kProvincialCapital, "henan", 34.75, 113.62);
    region("beijing", RegionKind::kNationalCapital, "beijing", 39.90, 116.40);
    for (int i = 0; i < 17; ++i) {
      region(StrCat("henan-", i), RegionKind::kOther, "henan", 33.0 + 0.2 * i, 112.0 + 0.15 * i);
    }
    std::vector<Unit> units;
    for (size_t u = 0; u < shape.units; ++u) {
      // 40% in Hebi, 20% in Zhengzhou, 5% in Beijing, the rest elsewhere.
      const uint64_t roll = rng.Below(100);
      const size_t r = roll < 40 ? 0 : roll < 60 ? 1 : roll < 65 ? 2 : 3 + rng.Below(17);
      Unit unit;
      unit.id = StrCat("unit-", u);
      unit.region_id = regions[r].id;
      unit.location = GeoPoint{regions[r].location->latitude + (rng.Unit() - 0.5) * 0.4,
                               regions[r].location->longitude + (rng.Unit() - 0.5) * 0.4};
      unit.leaders.push_back(Person{StrCat(unit.id, "-leader"), "+8613900000000", "矿长"});
      units.push_back(std::move(unit));
    }
    org = Organisation(regions, units, DefaultCategories(), TimeZone::Shanghai());

    config.travel.speed_kmh = 70;
    config.travel.matrix[{"hebi", "beijing"}] = Route{hours(4), 560'000};
    config.travel.matrix[{"zhengzhou", "beijing"}] = Route{hours(4), 690'000};
    for (size_t t = 0; t < shape.teams; ++t) {
      TeamConfig team;
      team.id = StrCat("team-", t);
      team.home_unit_id = StrCat("unit-", t % shape.units);
      auto add = [&](Role role, uint64_t n) {
        for (uint64_t k = 0; k < n; ++k) {
          MemberConfig member;
          member.id = StrCat(team.id, "-", RoleName(role), k);
          member.team_id = team.id;
          member.role = role;
          member.person = Person{member.id, "+8613700000000", ""};
          team.members.push_back(std::move(member));
        }
      };
      add(Role::kLeader, 1 + rng.Below(2));
      add(Role::kStaff, 3 + rng.Below(3));
      add(Role::kDriver, 1 + rng.Below(2));
      config.teams.push_back(std::move(team));
    }
    for (size_t v = 0; v < shape.vehicles; ++v) {
      VehicleConfig vehicle;
      vehicle.id = StrCat("veh-", v);
      vehicle.home_unit_id = StrCat("unit-", v % shape.units);
      vehicle.seats = static_cast<uint32_t>(5 + rng.Below(8));
      config.vehicles.push_back(std::move(vehicle));
    }
  }
  Organisation org;
  DispatchConfig config;
};

struct Percentiles {
  size_t samples = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0;  // microseconds
};

Percentiles Summarise(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  auto at = [&](double q) {
    const size_t i =
        std::min(us.size() - 1, static_cast<size_t>(q * static_cast<double>(us.size())));
    return us[i];
  };
  return Percentiles{us.size(), at(0.50), at(0.90), at(0.99), us.back()};
}

class Bench {
 public:
  Bench(const Shape& shape, uint64_t seed) : shape_(shape), world_(shape, seed), rng_(seed + 1) {
    const auto start = Clock::now();
    module_ = std::make_unique<DispatchModule>(world_.config, world_.org);
    setup_build_ms_ = Ms(Clock::now() - start);
    const auto fill = Clock::now();
    Fill();
    setup_fill_ms_ = Ms(Clock::now() - fill);
  }

  // Reports an incident involving one random unit (or `units` random units)
  // and times ReportIncident, which computes the deadlines and proposes a
  // team per unit. The incident is then released (arrived, settled) and an
  // old one closed, outside the timing, so the state stays at its shape.
  Percentiles MeasureReports(size_t samples, size_t units_per_incident, bool own_teams_out) {
    std::vector<double> us;
    us.reserve(samples);
    for (size_t i = 0; i < samples; ++i) {
      ReportIncidentRequest request = RandomReport(units_per_incident);
      if (own_teams_out) SetOwnTeams(request.report.involved_unit_ids, false);
      Effects out;
      const auto start = Clock::now();
      auto id = module_->ReportIncident(request, Actor::Operator("bench"), now_, out);
      const auto elapsed = Clock::now() - start;
      if (!id.ok()) Die(id.status().ToString());
      us.push_back(std::chrono::duration<double, std::micro>(elapsed).count());
      CountOutcome(*id);
      ++open_count_;
      if (own_teams_out) SetOwnTeams(request.report.involved_unit_ids, true);
      Release(*id);
      released_.push_back(*id);
      CloseOldest();
    }
    return Summarise(std::move(us));
  }

  [[nodiscard]] double setup_build_ms() const { return setup_build_ms_; }
  [[nodiscard]] double setup_fill_ms() const { return setup_fill_ms_; }
  [[nodiscard]] size_t open() const {
    IncidentFilter filter;
    filter.open_only = true;
    filter.limit = 0;
    return module_->ListIncidents(filter).size();
  }
  [[nodiscard]] size_t holding() const {
    size_t n = 0;
    for (const auto& team : module_->Teams()) n += team.assignment ? 1 : 0;
    return n;
  }
  void ResetOutcomes() { own_ = fallback_ = none_ = 0; }
  [[nodiscard]] std::string Outcomes() const {
    return fmt::format("own team {}, fallback {}, no feasible {}", own_, fallback_, none_);
  }

 private:
  static double Ms(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
  }
  [[noreturn]] static void Die(const std::string& why) {
    std::fprintf(stderr, "bench: %s\n", why.c_str());
    std::exit(1);
  }

  ReportIncidentRequest RandomReport(size_t units) {
    static const char* kRegions[] = {"hebi", "hebi", "hebi", "zhengzhou", "zhengzhou", "beijing"};
    ReportIncidentRequest request;
    request.report.place = Place{kRegions[rng_.Below(6)], "bench"};
    request.report.persons = static_cast<uint32_t>(1 + rng_.Below(40));
    while (request.report.involved_unit_ids.size() < units) {
      std::string unit = StrCat("unit-", rng_.Below(shape_.units));
      if (std::find(request.report.involved_unit_ids.begin(),
                    request.report.involved_unit_ids.end(),
                    unit) == request.report.involved_unit_ids.end()) {
        request.report.involved_unit_ids.push_back(std::move(unit));
      }
    }
    return request;
  }

  // Takes the units' free teams off duty (or back): their own teams are
  // then off duty or busy, and the proposal must fall back. Teams held by
  // other incidents are left alone so the state keeps its shape.
  void SetOwnTeams(const std::vector<std::string>& units, bool available) {
    for (const auto& unit : units) {
      for (const auto& team : module_->Teams(unit)) {
        if (team.assignment || team.on_duty == available) continue;
        Effects out;
        if (!module_
                 ->SetAvailability({ResourceKind::kTeam, team.id, available, ""},
                                   Actor::Operator("bench"), now_, out)
                 .ok()) {
          Die("availability");
        }
      }
    }
  }

  void CountOutcome(const std::string& id) {
    const Incident& incident = *module_->FindIncident(id);
    for (const auto& response : incident.responses) {
      if (!response.deadline) continue;
      const Assignment* a = ActiveAssignment(incident, response.unit_id);
      if (a == nullptr) {
        ++none_;
      } else if (a->fallback) {
        ++fallback_;
      } else {
        ++own_;
      }
    }
  }

  void Step(const std::string& id, IncidentStep step, std::string unit = "") {
    Effects out;
    const Status status = module_->UpdateStatus({id, step, std::move(unit), std::nullopt, "", ""},
                                                Actor::Operator("bench"), now_, out);
    if (!status.ok()) Die(status.ToString());
  }

  // Confirms, arrives and settles: the incident stays open (settled) but
  // holds nothing.
  void Release(const std::string& id) {
    const Incident& incident = *module_->FindIncident(id);
    Effects out;
    bool any = false;
    for (const auto& a : incident.assignments) any |= a.state == AssignmentState::kProposed;
    if (any) (void)module_->Confirm({id, ""}, Actor::Operator("bench"), now_, out);
    if (module_->FindIncident(id)->state == IncidentState::kReported) {
      // Nobody could be proposed: HQ would override; here the incident is
      // simply left reported (it holds nothing).
      return;
    }
    for (const auto& r : incident.responses) Step(id, IncidentStep::kArrived, r.unit_id);
    Step(id, IncidentStep::kSettled);
    if (rng_.Below(2) == 0) Step(id, IncidentStep::kAftermath);
  }

  void CloseOldest() {
    while (open_count_ > shape_.open_incidents && !released_.empty()) {
      const std::string id = released_.front();
      released_.pop_front();
      const Incident* incident = module_->FindIncident(id);
      if (incident->state == IncidentState::kSettled) Step(id, IncidentStep::kAftermath);
      if (module_->FindIncident(id)->state == IncidentState::kAftermath) {
        Step(id, IncidentStep::kClosed);
        --open_count_;
      }
    }
  }

  // 10,000 open incidents: reported 20 seconds apart over the past days,
  // the first 9,000 released, the last 1,000 still holding their teams.
  void Fill() {
    now_ = *ParseRfc3339("2026-11-27T09:00:00+08:00");
    for (size_t i = 0; i < shape_.open_incidents; ++i) {
      Effects out;
      auto id = module_->ReportIncident(RandomReport(1), Actor::Operator("bench"), now_, out);
      if (!id.ok()) Die(id.status().ToString());
      ++open_count_;
      if (i + shape_.active_incidents < shape_.open_incidents) {
        Release(*id);
        released_.push_back(*id);
      } else {
        Effects confirm;
        (void)module_->Confirm({*id, ""}, Actor::Operator("bench"), now_, confirm);
      }
      now_ += std::chrono::seconds(20);
    }
    // Incidents are only watched while teams are out: pass the deadlines of
    // the active ones quietly so that Tick is not part of the measurement.
    Effects out;
    module_->Tick(now_, out);
  }

  Shape shape_;
  World world_;
  Rng rng_;
  std::unique_ptr<DispatchModule> module_;
  Time now_{};
  std::deque<std::string> released_;
  double setup_build_ms_ = 0;
  double setup_fill_ms_ = 0;
  size_t own_ = 0, fallback_ = 0, none_ = 0;
  size_t open_count_ = 0;
};

void Print(const char* label, const Percentiles& p) {
  std::printf("  %-44s n=%-5zu p50 %8.1f us  p90 %8.1f us  p99 %8.1f us  max %8.1f us\n", label,
              p.samples, p.p50, p.p90, p.p99, p.max);
}

struct Run {
  Percentiles one_unit, fallback, three_units;
};

Run RunShape(const char* name, const Shape& shape, size_t samples, uint64_t seed) {
  std::printf("%s: %zu units, %zu teams, %zu vehicles, %zu open incidents (%zu holding teams)\n",
              name, shape.units, shape.teams, shape.vehicles, shape.open_incidents,
              shape.active_incidents);
  Bench bench(shape, seed);
  std::printf("  setup: module %.0f ms, filling %zu incidents %.0f ms; open %zu, teams held %zu\n",
              bench.setup_build_ms(), shape.open_incidents, bench.setup_fill_ms(), bench.open(),
              bench.holding());
  Run run;
  bench.ResetOutcomes();
  run.one_unit = bench.MeasureReports(samples, 1, false);
  Print("report, 1 unit (own team usually free)", run.one_unit);
  std::printf("    outcomes: %s\n", bench.Outcomes().c_str());
  bench.ResetOutcomes();
  run.fallback = bench.MeasureReports(samples, 1, true);
  Print("report, 1 unit, own teams off duty (fallback)", run.fallback);
  std::printf("    outcomes: %s\n", bench.Outcomes().c_str());
  bench.ResetOutcomes();
  run.three_units = bench.MeasureReports(samples, 3, false);
  Print("report, 3 units (3 proposals)", run.three_units);
  std::printf("    outcomes: %s\n", bench.Outcomes().c_str());
  std::printf("  after: open %zu, teams held %zu\n\n", bench.open(), bench.holding());
  return run;
}

}  // namespace
}  // namespace anding::core::dispatch

int main(int argc, char** argv) {
  using namespace anding::core::dispatch;  // NOLINT
  size_t samples = 2000;
  uint64_t seed = 20261127;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--samples") == 0) samples = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--seed") == 0) seed = std::strtoull(argv[i + 1], nullptr, 10);
  }
  Shape large;
  Shape small = large;
  small.teams = 100;
  small.vehicles = 100;
  small.active_incidents = 20;
  const Run big = RunShape("planned scale", large, samples, seed);
  const Run few = RunShape("comparison", small, samples, seed);
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  std::printf("ratio 5,000 teams / 100 teams (p50, p99):\n");
  std::printf("  1 unit      %.2f, %.2f\n", ratio(big.one_unit.p50, few.one_unit.p50),
              ratio(big.one_unit.p99, few.one_unit.p99));
  std::printf("  fallback    %.2f, %.2f\n", ratio(big.fallback.p50, few.fallback.p50),
              ratio(big.fallback.p99, few.fallback.p99));
  std::printf("  3 units     %.2f, %.2f\n", ratio(big.three_units.p50, few.three_units.p50),
              ratio(big.three_units.p99, few.three_units.p99));
  const bool ok = big.one_unit.p99 < 1000 && big.fallback.p99 < 1000;
  std::printf("target p99 < 1 ms for one proposal at the planned scale: %s\n",
              ok ? "met" : "NOT met");
  return 0;
}

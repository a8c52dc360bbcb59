// Private to the dispatch module: chooses a team, its members and vehicles
// for one responding unit, and explains the choice. Travel times and, per
// incident region, the ranking of all teams by mobilisation + travel are
// computed once from the configuration, so a proposal walks teams fastest
// first and stops at the first that can make it.
// Thread-safety: none; reads the ResourcePool it was given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/dispatch/config.h"
#include "anding/core/dispatch/records.h"
#include "anding/core/dispatch/rules.h"
#include "anding/core/org.h"
#include "resource_pool.h"

namespace anding::core::dispatch {

class Proposer {
 public:
  // All three must outlive the proposer.
  Proposer(const DispatchConfig& config, const Organisation& org, const ResourcePool& pool);

  struct Request {
    std::string_view unit_id;    // the responding unit
    std::string_view region_id;  // where the incident is
    uint32_t persons = 0;
    Time now{};
    Time deadline{};
    const std::vector<std::string>* excluded = nullptr;  // team ids HQ excluded
    // False: only find out whether somebody can go (no explanation, no
    // assignment details); for retrying units that are waiting.
    bool explain = true;
    // Only the unit's own teams (no fallback to other units' teams).
    bool own_teams_only = false;
  };
  struct Outcome {
    // Filled but for number, state and proposed_* (the caller's business).
    std::optional<Assignment> assignment;
    Explanation explanation;  // of the assignment, or of why there is none
  };
  // The proposal under the rules in dispatch_module.h. Never fails: "no
  // feasible team" is an Outcome without an assignment. With
  // request.explain false the assignment, if any, is an empty marker.
  [[nodiscard]] Outcome Propose(const Request& request) const;

  struct ManualRequest {
    std::string_view unit_id;
    std::string_view region_id;
    uint32_t persons = 0;
    Time now{};
    std::optional<Time> deadline;
    uint32_t team = kNoIndex;
    std::optional<std::vector<uint32_t>> members;   // default: by the sizing rules
    std::optional<std::vector<uint32_t>> vehicles;  // default: from the team's unit
    const Hold* own = nullptr;                      // resources held by this hold count as free
    std::string chosen_by;                          // "operator:zhang", for the explanation
  };
  // An operator's choice, checked for availability, holds and seats (a late
  // arrival or a missing leader is explained, not refused).
  [[nodiscard]] Result<Assignment> Manual(const ManualRequest& request) const;

 private:
  enum class Code {
    kExcluded,
    kOffDuty,
    kBusy,
    kNoTravel,
    kLate,
    kLeaders,
    kStaff,
    kNoVehicle,
    kSeats,
    kDrivers
  };
  struct Shortfall {
    Code code = Code::kOffDuty;
    uint32_t need = 0;
    uint32_t have = 0;
    Time eta{};
  };
  struct Choice {
    uint32_t team = kNoIndex;
    std::vector<uint32_t> members;
    std::vector<uint32_t> vehicles;
    uint32_t seats = 0;
    Time eta{};
  };
  struct Cell {
    bool known = false;
    Duration time{};
    int64_t distance_m = 0;
  };
  struct Ranked {
    Duration offset{};  // mobilisation + travel
    uint32_t team = kNoIndex;
  };
  struct VehiclePick {
    bool ok = false;
    Shortfall shortfall;
    uint32_t seats = 0;
    uint32_t count = 0;
  };
  class Log;

  [[nodiscard]] uint32_t RegionIndex(std::string_view id) const;
  [[nodiscard]] bool Evaluate(uint32_t team, const Crew& crew, uint32_t region, Time now,
                              Time deadline, Choice* choice, Shortfall* shortfall) const;
  [[nodiscard]] VehiclePick PickVehicles(uint32_t unit, uint32_t base_people, uint32_t per_vehicle,
                                         uint32_t max_vehicles, const Hold* own,
                                         std::vector<uint32_t>* out) const;
  [[nodiscard]] std::string Describe(uint32_t team, const Shortfall& shortfall, Time deadline,
                                     uint32_t region) const;
  // With `fallback`, the responding unit's leaders go with the team: those
  // free, or held by `own` (the assignment being replaced).
  [[nodiscard]] Assignment Build(const Choice& choice, std::string_view unit_id, uint32_t region,
                                 bool fallback, const Hold* own = nullptr) const;
  // "leader 矿长甲 is on INC-…, not sent twice" for each of the unit's
  // leaders who cannot go; empty when all can.
  [[nodiscard]] std::vector<std::string> BusyLeaders(std::string_view unit_id,
                                                     const Hold* own) const;
  [[nodiscard]] std::string ArrivalReason(const Assignment& assignment, uint32_t region,
                                          std::optional<Time> deadline) const;
  [[nodiscard]] std::string CrewReason(const Assignment& assignment, const Crew& crew,
                                       uint32_t persons) const;
  [[nodiscard]] std::string Local(Time t) const;
  [[nodiscard]] std::string UnitName(std::string_view unit_id) const;

  const DispatchConfig& config_;
  const Organisation& org_;
  const ResourcePool& pool_;
  std::vector<std::vector<Cell>> travel_;     // [region][unit]
  std::vector<std::vector<Ranked>> ranking_;  // [region], fastest first
};

}  // namespace anding::core::dispatch

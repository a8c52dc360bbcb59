// Private to the dispatch module: teams, members and vehicles indexed by
// position, with their current availability and the incident each is held
// for. Positions are the configuration order, so iteration is deterministic.
// The unit leaders who go with another unit's team (Unit::leaders) are
// held the same way, by LeaderKey, so one leader is never on two incidents.
// Thread-safety: none (owned by DispatchModule).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/core/dispatch/config.h"
#include "anding/core/dispatch/records.h"
#include "anding/core/org.h"

namespace anding::core::dispatch {

inline constexpr uint32_t kNoIndex = UINT32_MAX;

// What a resource is committed to: one proposed or confirmed assignment.
struct Hold {
  uint64_t sequence = 0;  // the incident's sequence
  std::string incident_id;
  std::string unit_id;  // the responding unit
  uint32_t assignment_number = 0;
  bool operator==(const Hold&) const = default;
};

// A unit leader's identity in the pool: the phone number when there is one
// (the same person may be listed by two units), else "<unit>/<name>".
[[nodiscard]] std::string LeaderKey(std::string_view unit_id, const Person& leader);

class ResourcePool {
 public:
  struct TeamSlot {
    const TeamConfig* config = nullptr;
    uint32_t unit = kNoIndex;  // index into Organisation::units()
    bool on_duty = true;
    Duration mobilisation{};
    std::vector<uint32_t> members;  // member indices, configuration order
    std::optional<Hold> hold;
  };
  struct MemberSlot {
    const MemberConfig* config = nullptr;
    uint32_t team = kNoIndex;
    bool on_duty = true;
    std::optional<Hold> hold;
  };
  struct VehicleSlot {
    const VehicleConfig* config = nullptr;
    uint32_t unit = kNoIndex;
    bool available = true;
    std::optional<Hold> hold;
  };

  // `config` and `org` must outlive the pool.
  ResourcePool(const DispatchConfig& config, const Organisation& org);

  [[nodiscard]] std::vector<TeamSlot>& teams() { return teams_; }
  [[nodiscard]] const std::vector<TeamSlot>& teams() const { return teams_; }
  [[nodiscard]] std::vector<MemberSlot>& members() { return members_; }
  [[nodiscard]] const std::vector<MemberSlot>& members() const { return members_; }
  [[nodiscard]] std::vector<VehicleSlot>& vehicles() { return vehicles_; }
  [[nodiscard]] const std::vector<VehicleSlot>& vehicles() const { return vehicles_; }

  [[nodiscard]] uint32_t TeamIndex(std::string_view id) const { return Find(team_index_, id); }
  [[nodiscard]] uint32_t MemberIndex(std::string_view id) const { return Find(member_index_, id); }
  [[nodiscard]] uint32_t VehicleIndex(std::string_view id) const {
    return Find(vehicle_index_, id);
  }
  [[nodiscard]] uint32_t UnitIndex(std::string_view id) const { return Find(unit_index_, id); }

  // Teams whose home unit is `unit` (configuration order).
  [[nodiscard]] const std::vector<uint32_t>& TeamsOfUnit(uint32_t unit) const;
  // Vehicles of `unit`, most seats first, then configuration order.
  [[nodiscard]] const std::vector<uint32_t>& VehiclesOfUnit(uint32_t unit) const;

  // Availability of a resource by kind and index.
  [[nodiscard]] bool Available(ResourceKind kind, uint32_t index) const;
  void SetAvailable(ResourceKind kind, uint32_t index, bool available);
  [[nodiscard]] uint32_t Index(ResourceKind kind, std::string_view id) const;
  [[nodiscard]] const std::optional<Hold>& HoldOf(ResourceKind kind, uint32_t index) const;

  // The assignment a unit leader goes with, or nullptr.
  [[nodiscard]] const Hold* LeaderHold(std::string_view key) const;
  // Whether the leader is free for an assignment whose resources `own`
  // already holds (nullptr: a new one).
  [[nodiscard]] bool LeaderFree(std::string_view key, const Hold* own) const;
  // Holds the leader for `hold`; false (and nothing changes) if another
  // assignment holds them.
  bool HoldLeader(const std::string& key, const Hold& hold);
  // Frees the leader if `hold` is what holds them.
  void ReleaseLeader(std::string_view key, const Hold& hold);

 private:
  using NameIndex = std::map<std::string, uint32_t, std::less<>>;
  static uint32_t Find(const NameIndex& index, std::string_view id) {
    auto it = index.find(id);
    return it == index.end() ? kNoIndex : it->second;
  }

  std::vector<TeamSlot> teams_;
  std::vector<MemberSlot> members_;
  std::vector<VehicleSlot> vehicles_;
  NameIndex team_index_;
  NameIndex member_index_;
  NameIndex vehicle_index_;
  NameIndex unit_index_;
  std::vector<std::vector<uint32_t>> teams_of_unit_;
  std::vector<std::vector<uint32_t>> vehicles_of_unit_;
  std::vector<uint32_t> empty_;
  std::map<std::string, Hold, std::less<>> leader_holds_;
};

}  // namespace anding::core::dispatch

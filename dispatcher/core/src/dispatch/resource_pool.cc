#include "resource_pool.h"

#include <algorithm>

#include "anding/common/strings.h"

namespace anding::core::dispatch {

ResourcePool::ResourcePool(const DispatchConfig& config, const Organisation& org) {
  const auto& units = org.units();
  for (uint32_t i = 0; i < units.size(); ++i) unit_index_.emplace(units[i].id, i);
  teams_of_unit_.resize(units.size());
  vehicles_of_unit_.resize(units.size());

  for (const auto& team : config.teams) {
    const auto team_index = static_cast<uint32_t>(teams_.size());
    TeamSlot slot;
    slot.config = &team;
    slot.unit = UnitIndex(team.home_unit_id);
    slot.on_duty = team.on_duty;
    slot.mobilisation = team.mobilisation.value_or(config.mobilisation);
    for (const auto& member : team.members) {
      const auto member_index = static_cast<uint32_t>(members_.size());
      members_.push_back(MemberSlot{&member, team_index, member.on_duty, std::nullopt});
      member_index_.emplace(member.id, member_index);
      slot.members.push_back(member_index);
    }
    team_index_.emplace(team.id, team_index);
    if (slot.unit != kNoIndex) teams_of_unit_[slot.unit].push_back(team_index);
    teams_.push_back(std::move(slot));
  }
  for (const auto& vehicle : config.vehicles) {
    const auto index = static_cast<uint32_t>(vehicles_.size());
    VehicleSlot slot{&vehicle, UnitIndex(vehicle.home_unit_id), vehicle.available, std::nullopt};
    vehicle_index_.emplace(vehicle.id, index);
    if (slot.unit != kNoIndex) vehicles_of_unit_[slot.unit].push_back(index);
    vehicles_.push_back(slot);
  }
  for (auto& list : vehicles_of_unit_) {
    std::stable_sort(list.begin(), list.end(), [this](uint32_t a, uint32_t b) {
      return vehicles_[a].config->seats > vehicles_[b].config->seats;
    });
  }
}

const std::vector<uint32_t>& ResourcePool::TeamsOfUnit(uint32_t unit) const {
  return unit < teams_of_unit_.size() ? teams_of_unit_[unit] : empty_;
}

const std::vector<uint32_t>& ResourcePool::VehiclesOfUnit(uint32_t unit) const {
  return unit < vehicles_of_unit_.size() ? vehicles_of_unit_[unit] : empty_;
}

uint32_t ResourcePool::Index(ResourceKind kind, std::string_view id) const {
  switch (kind) {
    case ResourceKind::kTeam:
      return TeamIndex(id);
    case ResourceKind::kMember:
      return MemberIndex(id);
    case ResourceKind::kVehicle:
      return VehicleIndex(id);
  }
  return kNoIndex;
}

bool ResourcePool::Available(ResourceKind kind, uint32_t index) const {
  switch (kind) {
    case ResourceKind::kTeam:
      return teams_[index].on_duty;
    case ResourceKind::kMember:
      return members_[index].on_duty;
    case ResourceKind::kVehicle:
      return vehicles_[index].available;
  }
  return false;
}

void ResourcePool::SetAvailable(ResourceKind kind, uint32_t index, bool available) {
  switch (kind) {
    case ResourceKind::kTeam:
      teams_[index].on_duty = available;
      break;
    case ResourceKind::kMember:
      members_[index].on_duty = available;
      break;
    case ResourceKind::kVehicle:
      vehicles_[index].available = available;
      break;
  }
}

const std::optional<Hold>& ResourcePool::HoldOf(ResourceKind kind, uint32_t index) const {
  switch (kind) {
    case ResourceKind::kTeam:
      return teams_[index].hold;
    case ResourceKind::kMember:
      return members_[index].hold;
    case ResourceKind::kVehicle:
      break;
  }
  return vehicles_[index].hold;
}

std::string LeaderKey(std::string_view unit_id, const Person& leader) {
  if (!leader.phone.empty()) return leader.phone;
  return StrCat(unit_id, "/", leader.name);
}

const Hold* ResourcePool::LeaderHold(std::string_view key) const {
  auto it = leader_holds_.find(key);
  return it == leader_holds_.end() ? nullptr : &it->second;
}

bool ResourcePool::LeaderFree(std::string_view key, const Hold* own) const {
  const Hold* hold = LeaderHold(key);
  return hold == nullptr || (own != nullptr && *hold == *own);
}

bool ResourcePool::HoldLeader(const std::string& key, const Hold& hold) {
  return leader_holds_.try_emplace(key, hold).second || leader_holds_.at(key) == hold;
}

void ResourcePool::ReleaseLeader(std::string_view key, const Hold& hold) {
  auto it = leader_holds_.find(key);
  if (it != leader_holds_.end() && it->second == hold) leader_holds_.erase(it);
}

}  // namespace anding::core::dispatch

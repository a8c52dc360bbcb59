#include "anding/core/dispatch/types.h"

#include <utility>

namespace anding::core::dispatch {
namespace {

template <typename Enum, size_t N>
std::string_view NameOf(const std::pair<Enum, std::string_view> (&table)[N], Enum value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "?";
}

template <typename Enum, size_t N>
std::optional<Enum> Parse(const std::pair<Enum, std::string_view> (&table)[N],
                          std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  return std::nullopt;
}

constexpr std::pair<IncidentType, std::string_view> kTypes[] = {
    {IncidentType::kGroupPetition, "group_petition"},
    {IncidentType::kIndividualExtreme, "individual_extreme"},
    {IncidentType::kOther, "other"}};

constexpr std::pair<IncidentState, std::string_view> kStates[] = {
    {IncidentState::kReported, "reported"}, {IncidentState::kDispatched, "dispatched"},
    {IncidentState::kEnRoute, "en_route"},  {IncidentState::kOnScene, "on_scene"},
    {IncidentState::kSettled, "settled"},   {IncidentState::kAftermath, "aftermath"},
    {IncidentState::kClosed, "closed"},     {IncidentState::kCancelled, "cancelled"}};

constexpr std::pair<IncidentStep, std::string_view> kSteps[] = {
    {IncidentStep::kDeparted, "departed"},
    {IncidentStep::kArrived, "arrived"},
    {IncidentStep::kSettled, "settled"},
    {IncidentStep::kAftermath, "aftermath"},
    {IncidentStep::kClosed, "closed"}};

constexpr std::pair<Role, std::string_view> kRoles[] = {
    {Role::kLeader, "leader"}, {Role::kStaff, "staff"}, {Role::kDriver, "driver"}};

constexpr std::pair<UnitLocated, std::string_view> kLocated[] = {
    {UnitLocated::kSameRegion, "same_region"},
    {UnitLocated::kSameProvince, "same_province"},
    {UnitLocated::kOutsideRegion, "outside_region"},
    {UnitLocated::kOutsideProvince, "outside_province"},
    {UnitLocated::kAny, "any"}};

constexpr std::pair<AssignmentState, std::string_view> kAssignmentStates[] = {
    {AssignmentState::kProposed, "proposed"},
    {AssignmentState::kConfirmed, "confirmed"},
    {AssignmentState::kReleased, "released"},
    {AssignmentState::kSuperseded, "superseded"},
    {AssignmentState::kWithdrawn, "withdrawn"}};

constexpr std::pair<ResourceKind, std::string_view> kResourceKinds[] = {
    {ResourceKind::kTeam, "team"},
    {ResourceKind::kMember, "member"},
    {ResourceKind::kVehicle, "vehicle"}};

}  // namespace

std::string_view IncidentTypeName(IncidentType type) { return NameOf(kTypes, type); }
std::optional<IncidentType> ParseIncidentType(std::string_view name) { return Parse(kTypes, name); }
std::string_view IncidentStateName(IncidentState state) { return NameOf(kStates, state); }
std::optional<IncidentState> ParseIncidentState(std::string_view name) {
  return Parse(kStates, name);
}
std::string_view IncidentStepName(IncidentStep step) { return NameOf(kSteps, step); }
std::optional<IncidentStep> ParseIncidentStep(std::string_view name) { return Parse(kSteps, name); }
std::string_view RoleName(Role role) { return NameOf(kRoles, role); }
std::optional<Role> ParseRole(std::string_view name) { return Parse(kRoles, name); }
std::string_view UnitLocatedName(UnitLocated located) { return NameOf(kLocated, located); }
std::optional<UnitLocated> ParseUnitLocated(std::string_view name) { return Parse(kLocated, name); }
std::string_view AssignmentStateName(AssignmentState state) {
  return NameOf(kAssignmentStates, state);
}
std::optional<AssignmentState> ParseAssignmentState(std::string_view name) {
  return Parse(kAssignmentStates, name);
}
std::string_view ResourceKindName(ResourceKind kind) { return NameOf(kResourceKinds, kind); }
std::optional<ResourceKind> ParseResourceKind(std::string_view name) {
  return Parse(kResourceKinds, name);
}

IncidentState StateAfter(IncidentStep step) {
  switch (step) {
    case IncidentStep::kDeparted:
      return IncidentState::kEnRoute;
    case IncidentStep::kArrived:
      return IncidentState::kOnScene;
    case IncidentStep::kSettled:
      return IncidentState::kSettled;
    case IncidentStep::kAftermath:
      return IncidentState::kAftermath;
    case IncidentStep::kClosed:
      return IncidentState::kClosed;
  }
  return IncidentState::kClosed;
}

}  // namespace anding::core::dispatch

// The small vocabulary of the dispatch module: incident types and
// states, grades, team roles, and their stable text names. The names are what
// the repository stores and what the shell maps to and from the anding.v1
// enums, so they never change once shipped.
// Thread-safety: pure functions and values.
#pragma once

#include <optional>
#include <string_view>

#include "anding/core/risk_level.h"

namespace anding::core::dispatch {

// anding.v1.IncidentType without UNSPECIFIED (the shell rejects that).
enum class IncidentType { kGroupPetition, kIndividualExtreme, kOther };

// anding.v1.IncidentState without UNSPECIFIED. The order is the lifecycle:
// reported → dispatched → en_route → on_scene → settled (劝离) →
// aftermath (善后) → closed. States only move forward. An incident reported
// in error leaves the lifecycle before it is settled for cancelled, which
// is final like closed (last, so that "before settled" never includes it).
enum class IncidentState {
  kReported,
  kDispatched,
  kEnRoute,
  kOnScene,
  kSettled,
  kAftermath,
  kClosed,
  kCancelled
};

// Closed or cancelled: nothing more happens to the incident.
[[nodiscard]] inline bool IsFinal(IncidentState state) {
  return state == IncidentState::kClosed || state == IncidentState::kCancelled;
}

// What a status update reports (anding.v1.IncidentStep).
enum class IncidentStep { kDeparted, kArrived, kSettled, kAftermath, kClosed };

// The computed grade of an incident, on the company-wide risk scale
// (anding/core/risk_level.h).
using Grade = RiskLevel;

// A team member's role.
enum class Role { kLeader, kStaff, kDriver };

// Where the responding unit is relative to the incident's region, as a
// deadline rule states it.
enum class UnitLocated {
  kSameRegion,       // the unit is in the incident's region
  kSameProvince,     // the unit's region has the incident region's province
  kOutsideRegion,    // any region but the incident's
  kOutsideProvince,  // a region of another province
  kAny,              // wherever the unit is
};

// A proposal's life: proposed (resources held, waiting for HQ) →
// confirmed (orders sent) → released (the incident was settled), or
// superseded (replaced by a re-proposal, an override or a reassignment), or
// withdrawn (the incident was cancelled).
enum class AssignmentState { kProposed, kConfirmed, kReleased, kSuperseded, kWithdrawn };

// What an availability change is about.
enum class ResourceKind { kTeam, kMember, kVehicle };

// "group_petition", "individual_extreme", "other".
[[nodiscard]] std::string_view IncidentTypeName(IncidentType type);
[[nodiscard]] std::optional<IncidentType> ParseIncidentType(std::string_view name);
// "reported", "dispatched", "en_route", "on_scene", "settled", "aftermath",
// "closed", "cancelled".
[[nodiscard]] std::string_view IncidentStateName(IncidentState state);
[[nodiscard]] std::optional<IncidentState> ParseIncidentState(std::string_view name);
// "departed", "arrived", "settled", "aftermath", "closed".
[[nodiscard]] std::string_view IncidentStepName(IncidentStep step);
[[nodiscard]] std::optional<IncidentStep> ParseIncidentStep(std::string_view name);
// "low", "medium", "high", "critical".
[[nodiscard]] inline std::string_view GradeName(Grade grade) { return RiskLevelName(grade); }
[[nodiscard]] inline std::optional<Grade> ParseGrade(std::string_view name) {
  return ParseRiskLevel(name);
}
// "leader", "staff", "driver".
[[nodiscard]] std::string_view RoleName(Role role);
[[nodiscard]] std::optional<Role> ParseRole(std::string_view name);
// "same_region", "same_province", "outside_region", "outside_province", "any".
[[nodiscard]] std::string_view UnitLocatedName(UnitLocated located);
[[nodiscard]] std::optional<UnitLocated> ParseUnitLocated(std::string_view name);
// "proposed", "confirmed", "released", "superseded", "withdrawn".
[[nodiscard]] std::string_view AssignmentStateName(AssignmentState state);
[[nodiscard]] std::optional<AssignmentState> ParseAssignmentState(std::string_view name);
// "team", "member", "vehicle".
[[nodiscard]] std::string_view ResourceKindName(ResourceKind kind);
[[nodiscard]] std::optional<ResourceKind> ParseResourceKind(std::string_view name);

// The state an incident is in once `step` has happened (departed → en_route,
// arrived → on_scene, ...).
[[nodiscard]] IncidentState StateAfter(IncidentStep step);

}  // namespace anding::core::dispatch

// The roles a person using the dispatcher has, through the dashboard or the
// command line. What each may do is the shell's access policy
// (dispatcher/server/src/access_policy.h); the role itself is this word.
//
//   commander        应急指挥部: everything
//   petition_office  公司信访办: the ledger, reports, notifications
//   unit_officer     a unit's officer: only that unit's data and actions
//   auditor          read-only, the audit trail included
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string_view>

namespace anding::core {

enum class Role { kCommander, kPetitionOffice, kUnitOfficer, kAuditor };

inline constexpr Role kAllRoles[] = {Role::kCommander, Role::kPetitionOffice, Role::kUnitOfficer,
                                     Role::kAuditor};

// "commander", "petition_office", "unit_officer", "auditor".
[[nodiscard]] std::string_view RoleName(Role role);
// The role named `name` (as RoleName spells it), or nullopt.
[[nodiscard]] std::optional<Role> ParseRole(std::string_view name);
// Whether the role is bound to one unit (its data and actions only).
[[nodiscard]] inline bool RoleNeedsUnit(Role role) { return role == Role::kUnitOfficer; }

}  // namespace anding::core

#include "anding/core/users/role.h"

namespace anding::core {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kCommander:
      return "commander";
    case Role::kPetitionOffice:
      return "petition_office";
    case Role::kUnitOfficer:
      return "unit_officer";
    case Role::kAuditor:
      return "auditor";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const Role role : kAllRoles) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

}  // namespace anding::core

#include "anding/core/users/accounts.h"

#include "anding/common/strings.h"

namespace anding::core::users {
namespace {
constexpr size_t kMaxNameLength = 64;

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}
}  // namespace

Status ValidateUserName(std::string_view name) {
  if (name.empty()) return InvalidArgumentError("user: a name is required");
  if (name.size() > kMaxNameLength) {
    return InvalidArgumentError(StrCat("user: at most ", kMaxNameLength, " characters"));
  }
  for (const char c : name) {
    if (!IsNameChar(c)) {
      return InvalidArgumentError(
          "user: only lower-case letters, digits, '.', '_' and '-' are allowed");
    }
  }
  if (!IsNameChar(name.front()) || name.front() == '.' || name.front() == '_' ||
      name.front() == '-') {
    return InvalidArgumentError("user: must start with a letter or a digit");
  }
  return OkStatus();
}

void Accounts::Reset(std::vector<Account> accounts) {
  by_name_.clear();
  for (auto& account : accounts) {
    std::string name = account.name;
    by_name_.emplace(std::move(name), std::move(account));
  }
}

Result<Account> Accounts::Add(std::string_view name, Role role, std::string_view unit_id,
                              std::string password_hash, const Organisation& org, Time now) {
  ANDING_RETURN_IF_ERROR(ValidateUserName(name));
  if (password_hash.empty()) return InvalidArgumentError("password: a password is required");
  if (RoleNeedsUnit(role)) {
    if (unit_id.empty()) return InvalidArgumentError("unit_id: a unit officer needs a unit");
    if (org.FindUnit(unit_id) == nullptr) {
      return InvalidArgumentError(StrCat("unit_id: '", unit_id, "' is not a configured unit"));
    }
  } else if (!unit_id.empty()) {
    return InvalidArgumentError(
        StrCat("unit_id: only a unit officer is bound to a unit, not a ", RoleName(role)));
  }
  if (by_name_.contains(name)) {
    return AlreadyExistsError(StrCat("user '", name, "' exists (names are never reused)"));
  }
  Account account;
  account.name = std::string(name);
  account.role = role;
  account.unit_id = std::string(unit_id);
  account.password_hash = std::move(password_hash);
  account.created_at = now;
  account.changed_at = now;
  by_name_.emplace(account.name, account);
  return account;
}

Result<Account> Accounts::SetPassword(std::string_view name, std::string password_hash, Time now) {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return NotFoundError(StrCat("no user '", name, "'"));
  if (it->second.disabled) return FailedPreconditionError(StrCat("user '", name, "' is disabled"));
  if (password_hash.empty()) return InvalidArgumentError("password: a password is required");
  it->second.password_hash = std::move(password_hash);
  it->second.changed_at = now;
  return it->second;
}

Result<Account> Accounts::Disable(std::string_view name, Time now) {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return NotFoundError(StrCat("no user '", name, "'"));
  if (it->second.disabled) {
    return FailedPreconditionError(StrCat("user '", name, "' is already disabled"));
  }
  it->second.disabled = true;
  it->second.changed_at = now;
  return it->second;
}

const Account* Accounts::Find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &it->second;
}

}  // namespace anding::core::users

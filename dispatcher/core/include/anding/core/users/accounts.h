// Local user accounts: who may log in to the dashboard and with which role.
// Passwords never reach the core: it keeps the argon2id hash the shell
// computed (libsodium's crypto_pwhash_str format) and checks the rules —
// names, roles, the unit a unit officer is bound to, disabled accounts.
// Thread-safety: not thread-safe (the dispatcher's state thread owns it).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/org.h"
#include "anding/core/users/role.h"

namespace anding::core::users {

struct Account {
  std::string name;  // login name: 1–64 of [a-z0-9._-], starting with a letter or digit
  Role role = Role::kCommander;
  std::string unit_id;        // set exactly for unit officers
  std::string password_hash;  // crypto_pwhash_str output
  bool disabled = false;
  Time created_at{};
  Time changed_at{};
  friend bool operator==(const Account&, const Account&) = default;
};

// InvalidArgument naming the field unless `name` is a valid login name.
[[nodiscard]] Status ValidateUserName(std::string_view name);

class Accounts {
 public:
  // Replaces every account (from the store).
  void Reset(std::vector<Account> accounts);

  // Adds an account. InvalidArgument for a bad name, an empty hash, a unit
  // officer without a configured unit or another role with one;
  // AlreadyExists when the name is taken (disabled accounts included: a
  // name is never reused, so the audit trail stays unambiguous). Returns
  // the account as stored.
  [[nodiscard]] Result<Account> Add(std::string_view name, Role role, std::string_view unit_id,
                                    std::string password_hash, const Organisation& org, Time now);
  // Replaces the password hash. NotFound for an unknown name;
  // FailedPrecondition for a disabled account.
  [[nodiscard]] Result<Account> SetPassword(std::string_view name, std::string password_hash,
                                            Time now);
  // Disables the account (its sessions end; it can no longer log in).
  // NotFound for an unknown name; FailedPrecondition if already disabled.
  [[nodiscard]] Result<Account> Disable(std::string_view name, Time now);

  // The account, or nullptr.
  [[nodiscard]] const Account* Find(std::string_view name) const;
  [[nodiscard]] const std::map<std::string, Account, std::less<>>& all() const { return by_name_; }

 private:
  std::map<std::string, Account, std::less<>> by_name_;
};

}  // namespace anding::core::users

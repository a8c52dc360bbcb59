// Storage of user accounts and dashboard sessions. A session is stored by
// the hash of its token only, so a copy of the store gives nobody a
// session. Every Save* runs inside a transaction opened by the caller.
#pragma once

#include <string_view>
#include <vector>

#include "anding/common/status.h"
#include "anding/core/users/accounts.h"
#include "anding/core/users/sessions.h"
#include "anding/storage/database.h"

namespace anding::store {

// The schema of domain "users".
[[nodiscard]] std::vector<storage::Migration> UsersMigrations();

// Inserts or replaces the account (by name).
[[nodiscard]] Status SaveAccount(storage::Database& db, const core::users::Account& account);
// DataLoss for a row with an unknown role.
[[nodiscard]] Result<std::vector<core::users::Account>> LoadAccounts(storage::Database& db);

[[nodiscard]] Status SaveSession(storage::Database& db, const core::users::Session& session);
// Removes the session; not an error if it is gone already.
[[nodiscard]] Status DeleteSession(storage::Database& db, std::string_view token_hash);
[[nodiscard]] Result<std::vector<core::users::Session>> LoadSessions(storage::Database& db);

}  // namespace anding::store

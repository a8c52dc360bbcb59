#include "anding/store/users_repository.h"

#include "anding/common/strings.h"

namespace anding::store {

using core::users::Account;
using core::users::Session;

std::vector<storage::Migration> UsersMigrations() {
  return {
      {1, "user accounts and dashboard sessions",
       R"sql(
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL CHECK (disabled IN (0, 1)),
  created_at_us INTEGER NOT NULL,
  changed_at_us INTEGER NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user TEXT NOT NULL REFERENCES users (name),
  csrf_token TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  last_seen_us INTEGER NOT NULL
);
)sql"},
  };
}

Status SaveAccount(storage::Database& db, const Account& account) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * s,
      db.Cached("INSERT INTO users (name, role, unit_id, password_hash, disabled, created_at_us, "
                "changed_at_us) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                "role = excluded.role, unit_id = excluded.unit_id, password_hash = "
                "excluded.password_hash, disabled = excluded.disabled, changed_at_us = "
                "excluded.changed_at_us"));
  s->Bind(1, account.name)
      .Bind(2, core::RoleName(account.role))
      .Bind(3, account.unit_id)
      .Bind(4, account.password_hash)
      .Bind(5, int64_t{account.disabled ? 1 : 0})
      .Bind(6, ToUnixMicros(account.created_at))
      .Bind(7, ToUnixMicros(account.changed_at));
  return s->Run();
}

Result<std::vector<Account>> LoadAccounts(storage::Database& db) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement s,
                          db.Prepare("SELECT name, role, unit_id, password_hash, disabled, "
                                     "created_at_us, changed_at_us FROM users ORDER BY name"));
  std::vector<Account> accounts;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool more, s.Step());
    if (!more) return accounts;
    Account account;
    account.name = s.Text(0);
    const auto role = core::ParseRole(s.Text(1));
    if (!role) {
      return DataLossError(
          StrCat("users row '", account.name, "': unknown role '", s.Text(1), "'"));
    }
    account.role = *role;
    account.unit_id = s.Text(2);
    account.password_hash = s.Text(3);
    account.disabled = s.Int64(4) != 0;
    account.created_at = FromUnixMicros(s.Int64(5));
    account.changed_at = FromUnixMicros(s.Int64(6));
    accounts.push_back(std::move(account));
  }
}

Status SaveSession(storage::Database& db, const Session& session) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * s,
      db.Cached("INSERT INTO sessions (token_hash, user, csrf_token, created_at_us, last_seen_us) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (token_hash) DO UPDATE SET last_seen_us = "
                "excluded.last_seen_us"));
  s->Bind(1, session.token_hash)
      .Bind(2, session.user)
      .Bind(3, session.csrf_token)
      .Bind(4, ToUnixMicros(session.created_at))
      .Bind(5, ToUnixMicros(session.last_seen));
  return s->Run();
}

Status DeleteSession(storage::Database& db, std::string_view token_hash) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement * s,
                          db.Cached("DELETE FROM sessions WHERE token_hash = ?"));
  s->Bind(1, token_hash);
  return s->Run();
}

Result<std::vector<Session>> LoadSessions(storage::Database& db) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement s,
                          db.Prepare("SELECT token_hash, user, csrf_token, created_at_us, "
                                     "last_seen_us FROM sessions"));
  std::vector<Session> sessions;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool more, s.Step());
    if (!more) return sessions;
    Session session;
    session.token_hash = s.Text(0);
    session.user = s.Text(1);
    session.csrf_token = s.Text(2);
    session.created_at = FromUnixMicros(s.Int64(3));
    session.last_seen = FromUnixMicros(s.Int64(4));
    sessions.push_back(std::move(session));
  }
}

}  // namespace anding::store

// Dashboard sessions: which session token belongs to whom, and when it
// ends. The core sees only the token's hash (the shell hashes the random
// token the browser holds), so a copy of the store does not give anybody a
// session. A session ends when it has been idle for `idle`, when it is
// `max` old, at logout, or when its account is disabled.
// Thread-safety: not thread-safe (the dispatcher's state thread owns it).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"

namespace anding::core::users {

struct Session {
  std::string token_hash;  // SHA-256 of the token, hex
  std::string user;
  std::string csrf_token;  // required on every state-changing request
  Time created_at{};
  Time last_seen{};
  friend bool operator==(const Session&, const Session&) = default;
};

class SessionBook {
 public:
  SessionBook(Duration idle, Duration max) : idle_(idle), max_(max) {}

  // Replaces every session (from the store).
  void Reset(std::vector<Session> sessions);
  // Adds a new session. AlreadyExists if its token hash is taken (a
  // 256-bit random token never repeats; this is a bug guard).
  [[nodiscard]] Status Open(Session session);

  // The live session with `token_hash`, its last use moved to `now`.
  // Unauthenticated when there is none or it has expired (an expired one
  // is forgotten; PurgeExpired removes it from the store).
  [[nodiscard]] Result<Session> Use(std::string_view token_hash, Time now);
  // Ends the session. NotFound if there is none.
  [[nodiscard]] Status Close(std::string_view token_hash);
  // Ends every session of `user`; returns the hashes that ended.
  std::vector<std::string> CloseAllOf(std::string_view user);
  // Ends every session expired at `now`; returns their hashes.
  std::vector<std::string> PurgeExpired(Time now);

  // When the session expires if not used again.
  [[nodiscard]] Time ExpiresAt(const Session& session) const;
  [[nodiscard]] size_t size() const { return by_hash_.size(); }

 private:
  Duration idle_;
  Duration max_;
  std::map<std::string, Session, std::less<>> by_hash_;
};

}  // namespace anding::core::users

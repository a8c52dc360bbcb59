#include "anding/core/users/sessions.h"

#include <algorithm>

namespace anding::core::users {

void SessionBook::Reset(std::vector<Session> sessions) {
  by_hash_.clear();
  for (auto& session : sessions) {
    std::string hash = session.token_hash;
    by_hash_.emplace(std::move(hash), std::move(session));
  }
}

Status SessionBook::Open(Session session) {
  std::string hash = session.token_hash;
  if (!by_hash_.emplace(std::move(hash), std::move(session)).second) {
    return AlreadyExistsError("session token collision");
  }
  return OkStatus();
}

Time SessionBook::ExpiresAt(const Session& session) const {
  return std::min(session.last_seen + idle_, session.created_at + max_);
}

Result<Session> SessionBook::Use(std::string_view token_hash, Time now) {
  auto it = by_hash_.find(token_hash);
  if (it == by_hash_.end()) return UnauthenticatedError("no session; log in");
  if (now >= ExpiresAt(it->second)) {
    by_hash_.erase(it);
    return UnauthenticatedError("the session has expired; log in again");
  }
  it->second.last_seen = std::max(it->second.last_seen, now);
  return it->second;
}

Status SessionBook::Close(std::string_view token_hash) {
  auto it = by_hash_.find(token_hash);
  if (it == by_hash_.end()) return NotFoundError("no such session");
  by_hash_.erase(it);
  return OkStatus();
}

std::vector<std::string> SessionBook::CloseAllOf(std::string_view user) {
  std::vector<std::string> closed;
  for (auto it = by_hash_.begin(); it != by_hash_.end();) {
    if (it->second.user == user) {
      closed.push_back(it->first);
      it = by_hash_.erase(it);
    } else {
      ++it;
    }
  }
  return closed;
}

std::vector<std::string> SessionBook::PurgeExpired(Time now) {
  std::vector<std::string> closed;
  for (auto it = by_hash_.begin(); it != by_hash_.end();) {
    if (now >= ExpiresAt(it->second)) {
      closed.push_back(it->first);
      it = by_hash_.erase(it);
    } else {
      ++it;
    }
  }
  return closed;
}

}  // namespace anding::core::users

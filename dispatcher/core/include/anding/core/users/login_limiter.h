// Slows down password guessing: after `after_failures` failed logins in a
// row for one key (a login name, or a peer address), that key is locked
// out for `first`, then twice as long after each further failure, up to
// `max`. A successful login clears the key. Keys nobody used for a day are
// forgotten, and at most `max_keys` are kept (the oldest go first), so a
// flood of invented names cannot grow memory without bound.
// Thread-safety: not thread-safe (the dispatcher's state thread owns it).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "anding/common/time.h"

namespace anding::core::users {

class LoginLimiter {
 public:
  LoginLimiter(int after_failures, Duration first, Duration max, size_t max_keys = 100'000)
      : after_failures_(after_failures), first_(first), max_(max), max_keys_(max_keys) {}

  // How long `key` must still wait before it may try again; nullopt when
  // it may try now.
  [[nodiscard]] std::optional<Duration> RetryAfter(std::string_view key, Time now) const;
  // A failed attempt for `key` at `now`.
  void Failure(std::string_view key, Time now);
  // A successful attempt: `key` starts afresh.
  void Success(std::string_view key);

  [[nodiscard]] size_t size() const { return by_key_.size(); }

 private:
  struct Entry {
    int failures = 0;
    Time locked_until{};
    Time last_failure{};
  };
  void Forget(Time now);

  int after_failures_;
  Duration first_;
  Duration max_;
  size_t max_keys_;
  std::map<std::string, Entry, std::less<>> by_key_;
};

}  // namespace anding::core::users

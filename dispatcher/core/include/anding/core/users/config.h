// The `users:` section of the dispatcher's configuration: how hard password
// hashes are to compute, how long sessions live, and when repeated failed
// logins lock a name or an address out.
//
//   users:
//     password_hashing: interactive   # interactive (default), moderate,
//                                     # sensitive, or minimum (tests only)
//     session_idle_minutes: 30
//     session_max_hours: 12
//     lockout_after_failures: 5
//     lockout_first_seconds: 30       # doubles with each further failure
//     lockout_max_seconds: 3600
//   http:
//     secure_cookies: true            # the session cookie only over HTTPS
// Thread-safety: plain values.
#pragma once

#include "anding/common/config.h"
#include "anding/common/time.h"

namespace anding::core::users {

// libsodium's argon2id limits by name; the shell maps them to numbers.
enum class HashStrength { kMinimum, kInteractive, kModerate, kSensitive };

struct UsersConfig {
  HashStrength password_hashing = HashStrength::kInteractive;
  Duration session_idle = std::chrono::minutes(30);
  Duration session_max = std::chrono::hours(12);
  int lockout_after_failures = 5;
  Duration lockout_first = std::chrono::seconds(30);
  Duration lockout_max = std::chrono::hours(1);
  bool secure_cookies = false;
};

// Reads `users:` (and `http.secure_cookies`) from the dispatcher's
// configuration root, recording range errors on the nodes. Absent keys
// take the defaults above.
[[nodiscard]] UsersConfig ReadUsersConfig(ConfigNode& root);

}  // namespace anding::core::users

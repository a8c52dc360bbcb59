#include "anding/core/users/config.h"

#include "anding/common/strings.h"

namespace anding::core::users {
namespace {

// Reads a whole number at `key` within [low, high], or records an error.
int64_t ReadRange(ConfigNode& node, std::string_view key, int64_t fallback, int64_t low,
                  int64_t high) {
  const int64_t value = node.Get<int64_t>(key, fallback);
  if (value < low || value > high) {
    node.Error(key, StrCat("must be from ", low, " to ", high));
    return fallback;
  }
  return value;
}

}  // namespace

UsersConfig ReadUsersConfig(ConfigNode& root) {
  UsersConfig config;
  if (auto http = root.OptionalMap("http")) {
    config.secure_cookies = http->Get<bool>("secure_cookies", false);
  }
  auto section = root.OptionalMap("users");
  if (!section) return config;
  const std::string strength = section->Get<std::string>("password_hashing", "interactive");
  if (strength == "minimum") {
    config.password_hashing = HashStrength::kMinimum;
  } else if (strength == "interactive") {
    config.password_hashing = HashStrength::kInteractive;
  } else if (strength == "moderate") {
    config.password_hashing = HashStrength::kModerate;
  } else if (strength == "sensitive") {
    config.password_hashing = HashStrength::kSensitive;
  } else {
    section->Error("password_hashing",
                   "must be interactive, moderate, sensitive or minimum (tests only)");
  }
  config.session_idle =
      std::chrono::minutes(ReadRange(*section, "session_idle_minutes", 30, 1, 24 * 60));
  config.session_max = std::chrono::hours(ReadRange(*section, "session_max_hours", 12, 1, 24 * 7));
  config.lockout_after_failures =
      static_cast<int>(ReadRange(*section, "lockout_after_failures", 5, 1, 100));
  config.lockout_first =
      std::chrono::seconds(ReadRange(*section, "lockout_first_seconds", 30, 1, 24 * 3600));
  config.lockout_max =
      std::chrono::seconds(ReadRange(*section, "lockout_max_seconds", 3600, 1, 7 * 24 * 3600));
  if (config.lockout_max < config.lockout_first) {
    section->Error("lockout_max_seconds", "must not be less than lockout_first_seconds");
    config.lockout_max = config.lockout_first;
  }
  return config;
}

}  // namespace anding::core::users

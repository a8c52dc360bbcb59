#include "anding/core/users/login_limiter.h"

#include <algorithm>
#include <iterator>

namespace anding::core::users {
namespace {
constexpr Duration kForgetAfter = std::chrono::hours(24);
}  // namespace

std::optional<Duration> LoginLimiter::RetryAfter(std::string_view key, Time now) const {
  auto it = by_key_.find(key);
  if (it == by_key_.end() || it->second.locked_until <= now) return std::nullopt;
  return it->second.locked_until - now;
}

void LoginLimiter::Failure(std::string_view key, Time now) {
  auto it = by_key_.find(key);
  if (it == by_key_.end()) {
    if (by_key_.size() >= max_keys_) Forget(now);
    it = by_key_.emplace(std::string(key), Entry{}).first;
  }
  Entry& entry = it->second;
  ++entry.failures;
  entry.last_failure = now;
  if (entry.failures >= after_failures_) {
    // first, 2*first, 4*first, ... capped; the shift is bounded so that it
    // cannot overflow however many failures come.
    const int doublings = std::min(entry.failures - after_failures_, 30);
    Duration lock = first_;
    for (int i = 0; i < doublings && lock < max_; ++i) lock *= 2;
    entry.locked_until = now + std::min(lock, max_);
  }
}

void LoginLimiter::Success(std::string_view key) {
  auto it = by_key_.find(key);
  if (it != by_key_.end()) by_key_.erase(it);
}

void LoginLimiter::Forget(Time now) {
  for (auto it = by_key_.begin(); it != by_key_.end();) {
    const bool stale =
        it->second.locked_until <= now && now - it->second.last_failure > kForgetAfter;
    it = stale ? by_key_.erase(it) : std::next(it);
  }
  if (by_key_.size() < max_keys_) return;
  // Still full: drop the key whose last failure is oldest.
  auto oldest = std::min_element(by_key_.begin(), by_key_.end(), [](const auto& a, const auto& b) {
    return a.second.last_failure < b.second.last_failure;
  });
  by_key_.erase(oldest);
}

}  // namespace anding::core::users

#include "anding/runtime/log_limiter.h"

#include <algorithm>

namespace anding::runtime {

LogLimiter::LogLimiter(const Clock& clock, uint32_t burst, Duration interval)
    : clock_(clock), burst_(std::max<uint32_t>(burst, 1)), interval_(interval) {}

void LogLimiter::Refill(Bucket& bucket, Time now) const {
  if (now <= bucket.refilled_at) return;
  const double elapsed = static_cast<double>((now - bucket.refilled_at).count());
  const double per_interval = static_cast<double>(std::max<int64_t>(interval_.count(), 1));
  bucket.tokens = std::min<double>(burst_, bucket.tokens + burst_ * elapsed / per_interval);
  bucket.refilled_at = now;
}

bool LogLimiter::Admit(std::string_view key) {
  const Time now = clock_.Now();
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    Bucket fresh;
    fresh.tokens = burst_;
    fresh.refilled_at = now;
    it = buckets_.emplace(std::string(key), fresh).first;
  }
  Bucket& bucket = it->second;
  Refill(bucket, now);
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return true;
  }
  ++bucket.suppressed;
  return false;
}

std::vector<std::pair<std::string, uint64_t>> LogLimiter::TakeSuppressed() {
  const Time now = clock_.Now();
  std::vector<std::pair<std::string, uint64_t>> out;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    Bucket& bucket = it->second;
    if (bucket.suppressed > 0 && (!bucket.reported || now - bucket.reported_at >= interval_)) {
      out.emplace_back(it->first, bucket.suppressed);
      bucket.suppressed = 0;
      bucket.reported = true;
      bucket.reported_at = now;
    }
    Refill(bucket, now);
    // A quiet key is forgotten, so the map holds only the peers that are
    // being noisy now.
    const bool quiet = bucket.suppressed == 0 && bucket.tokens >= burst_ &&
                       (!bucket.reported || now - bucket.reported_at >= interval_);
    it = quiet ? buckets_.erase(it) : std::next(it);
  }
  return out;
}

}  // namespace anding::runtime

// Rate limiting of log lines per peer, so that one agent sending a frame of
// a thousand bad envelopes (or a thousand bad frames) writes a handful of
// warning lines, not a thousand: a token bucket per key (a unit id, a key)
// holding `burst` lines and refilled with `burst` lines per `interval`.
// What is suppressed is counted and reported by TakeSuppressed at most once
// per interval per key, as one "N more suppressed" line.
// Thread-safety: not thread-safe; one owner thread (the io_context thread).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "anding/common/clock.h"
#include "anding/common/time.h"

namespace anding::runtime {

class LogLimiter {
 public:
  // `clock` must outlive the limiter. `burst` >= 1.
  LogLimiter(const Clock& clock, uint32_t burst, Duration interval);

  // Whether a line about `key` may be written now. False once `key` has
  // used its burst in the current interval; the line is then counted as
  // suppressed.
  [[nodiscard]] bool Admit(std::string_view key);

  // The keys with suppressed lines whose last report is at least one
  // interval old (or that were never reported), with how many lines were
  // suppressed since; their counts restart at zero. Call it after a batch
  // of work (a frame) and write one line per entry.
  [[nodiscard]] std::vector<std::pair<std::string, uint64_t>> TakeSuppressed();

  [[nodiscard]] uint32_t burst() const { return burst_; }

 private:
  struct Bucket {
    double tokens = 0;
    Time refilled_at;
    uint64_t suppressed = 0;
    bool reported = false;
    Time reported_at;
  };
  void Refill(Bucket& bucket, Time now) const;

  const Clock& clock_;
  const uint32_t burst_;
  const Duration interval_;
  std::map<std::string, Bucket, std::less<>> buckets_;
};

}  // namespace anding::runtime

// One stored alert (告警) per storage failure: the people at headquarters
// learn from `anding alerts` and the live feed, not only from a log line,
// that the store refused to commit and that nothing of the failed batches
// was acknowledged.
//
// An episode starts with a failed commit and ends a quiet period after the
// alert about it has committed, so that a store that fails, recovers for a
// moment and fails again (a disk that stays nearly full) is one episode and
// one alert. The dispatcher rebuilds its state and takes input again after
// RecoveryDelay(): at once after the first failure, then after a delay that
// doubles with each further failure up to a cap, so that a store that keeps
// failing is neither retried nor logged in a tight loop. The alert is raised
// when commits are taken again, until one has committed; it counts every
// failed commit of the episode so far and names the last error.
// Thread-safety: the scheduler's thread only.
#pragma once

#include <functional>
#include <optional>

#include "anding/common/clock.h"
#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/effects.h"

namespace anding::dispatcher {

class StorageFailureAlerts {
 public:
  // Adds `alert` to the batch being assembled; the owner calls Reported()
  // once that batch has committed.
  using Raise = std::function<void(const core::HqAlert& alert)>;

  static constexpr Duration kFirstRetry = std::chrono::seconds(1);
  static constexpr Duration kMaxRetry = std::chrono::minutes(1);
  // How long commits must work after the alert before an episode ends.
  static constexpr Duration kQuietPeriod = std::chrono::minutes(1);

  StorageFailureAlerts(Scheduler& scheduler, TimeZone zone, Raise raise);
  ~StorageFailureAlerts();
  StorageFailureAlerts(const StorageFailureAlerts&) = delete;
  StorageFailureAlerts& operator=(const StorageFailureAlerts&) = delete;

  // A commit failed with `failure` (nothing of it is stored).
  void Failed(const Status& failure);
  // How long to wait before rebuilding the state and taking input again.
  [[nodiscard]] Duration RecoveryDelay() const {
    return episode_ ? episode_->next_delay : Duration::zero();
  }
  // The state was rebuilt from the store and commits are accepted again:
  // raises the alert, unless this episode's alert is already stored.
  void Recovered();
  // The batch holding the alert committed; the episode ends after a quiet
  // period without failures.
  void Reported();

  // An episode is going on (a failure not yet reported by a stored alert).
  [[nodiscard]] bool open() const { return episode_.has_value(); }
  [[nodiscard]] int failed_commits() const { return episode_ ? episode_->failed_commits : 0; }

  // The alert for `failed_commits` failures from `first` to `last`.
  [[nodiscard]] static core::HqAlert MakeAlert(int failed_commits, Time first, Time last,
                                               const Status& last_error, const TimeZone& zone);

 private:
  struct Episode {
    Time first;
    Time last;
    int failed_commits = 0;
    Status last_error;
    Duration next_delay{0};
    bool reported = false;
  };
  void EndAfterQuietPeriod();

  Scheduler& scheduler_;
  TimeZone zone_;
  Raise raise_;
  std::optional<Episode> episode_;
  TimerId timer_ = 0;
};

}  // namespace anding::dispatcher

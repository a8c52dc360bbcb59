#include "storage_failure_alerts.h"

#include <algorithm>

#include "anding/common/strings.h"

namespace anding::dispatcher {

StorageFailureAlerts::StorageFailureAlerts(Scheduler& scheduler, TimeZone zone, Raise raise)
    : scheduler_(scheduler), zone_(std::move(zone)), raise_(std::move(raise)) {}

StorageFailureAlerts::~StorageFailureAlerts() {
  if (timer_ != 0) scheduler_.Cancel(timer_);
}

void StorageFailureAlerts::Failed(const Status& failure) {
  const Time now = scheduler_.clock().Now();
  if (timer_ != 0) {
    scheduler_.Cancel(timer_);
    timer_ = 0;
  }
  if (!episode_) {
    episode_ = Episode{now, now, 0, failure, Duration::zero()};
  } else {
    // It failed again after a recovery: wait longer before the next one.
    episode_->next_delay = std::clamp(2 * episode_->next_delay, Duration(kFirstRetry), kMaxRetry);
  }
  episode_->last = now;
  episode_->last_error = failure;
  ++episode_->failed_commits;
}

void StorageFailureAlerts::Recovered() {
  if (!episode_) return;
  if (episode_->reported) {
    EndAfterQuietPeriod();
    return;
  }
  raise_(MakeAlert(episode_->failed_commits, episode_->first, episode_->last, episode_->last_error,
                   zone_));
}

void StorageFailureAlerts::Reported() {
  if (!episode_) return;
  episode_->reported = true;
  EndAfterQuietPeriod();
}

void StorageFailureAlerts::EndAfterQuietPeriod() {
  if (timer_ != 0) scheduler_.Cancel(timer_);
  timer_ = scheduler_.ScheduleAfter(kQuietPeriod, [this] {
    timer_ = 0;
    episode_.reset();
  });
}

core::HqAlert StorageFailureAlerts::MakeAlert(int failed_commits, Time first, Time last,
                                              const Status& last_error, const TimeZone& zone) {
  const std::string when = failed_commits == 1
                               ? StrCat("于 ", zone.FormatLocal(first))
                               : StrCat(failed_commits, " 次（", zone.FormatLocal(first), " 至 ",
                                        zone.FormatLocal(last), "）");
  return core::HqAlert{
      core::HqAlert::Severity::kCritical, "storage_failure", "store", "",
      StrCat("存储写入失败", when, "：", last_error.ToString(),
             "。失败批次的内容均未确认，各代理会重发，现已恢复写入；如为磁盘已满或 I/O "
             "错误，请立即处理。The store failed to commit; nothing of the failed batches "
             "was acknowledged.")};
}

}  // namespace anding::dispatcher

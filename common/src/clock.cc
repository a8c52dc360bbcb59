#include "anding/common/clock.h"

namespace anding {

Time SystemClock::Now() const {
  return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
}

TimerId ManualScheduler::ScheduleAt(Time at, std::function<void()> fn) {
  const TimerId id = next_id_++;
  timers_.emplace(std::make_pair(at, id), std::move(fn));
  return id;
}

bool ManualScheduler::Cancel(TimerId id) {
  for (auto it = timers_.begin(); it != timers_.end(); ++it) {
    if (it->first.second == id) {
      timers_.erase(it);
      return true;
    }
  }
  return false;
}

size_t ManualScheduler::AdvanceTo(Time t) {
  size_t fired = 0;
  while (!timers_.empty() && timers_.begin()->first.first <= t) {
    auto node = timers_.extract(timers_.begin());
    if (node.key().first > clock_.Now()) clock_.Set(node.key().first);
    node.mapped()();
    ++fired;
  }
  if (t > clock_.Now()) clock_.Set(t);
  return fired;
}

Time ManualScheduler::next_due() const {
  return timers_.empty() ? Time::max() : timers_.begin()->first.first;
}

}  // namespace anding

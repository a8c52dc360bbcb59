#include "anding/runtime/asio_scheduler.h"

namespace anding::runtime {

AsioScheduler::~AsioScheduler() {
  for (auto& [id, timer] : timers_) timer->cancel();
}

TimerId AsioScheduler::ScheduleAt(Time at, std::function<void()> fn) {
  const TimerId id = next_id_++;
  auto timer = std::make_unique<boost::asio::system_timer>(io_);
  timer->expires_at(std::chrono::time_point_cast<std::chrono::system_clock::duration>(at));
  timer->async_wait([this, id, fn = std::move(fn)](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted) return;
    auto it = timers_.find(id);
    if (it == timers_.end()) return;  // cancelled after expiry was queued
    // Keep the timer object alive until this handler returns.
    auto timer_owner = std::move(it->second);
    timers_.erase(it);
    fn();
  });
  timers_.emplace(id, std::move(timer));
  return id;
}

bool AsioScheduler::Cancel(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return false;
  it->second->cancel();
  timers_.erase(it);
  return true;
}

}  // namespace anding::runtime

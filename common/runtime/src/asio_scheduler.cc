#include "anding/runtime/asio_scheduler.h"

#include <algorithm>
#include <cmath>

namespace anding::runtime {
namespace {

using RealDuration = boost::asio::steady_timer::duration;

// How long to wait in real time for `clock` to move by `ahead`: rounded up,
// so that the clock has moved at least that far on waking, and at most
// `longest`, so that a jump of the clock is noticed.
RealDuration RealWait(Duration ahead, double rate, RealDuration longest) {
  if (ahead <= Duration::zero()) return RealDuration::zero();
  if (!(rate > 0)) return longest;
  const double ns = std::ceil(static_cast<double>(ahead.count()) * 1000.0 / rate);
  const double longest_ns =
      static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(longest).count());
  return std::chrono::duration_cast<RealDuration>(
      std::chrono::nanoseconds(static_cast<int64_t>(std::min(ns, longest_ns))));
}

}  // namespace

AsioScheduler::AsioScheduler(boost::asio::io_context& io, const Clock& clock,
                             std::chrono::milliseconds recheck_every)
    : io_(io), clock_(clock), recheck_every_(recheck_every) {}

AsioScheduler::~AsioScheduler() {
  *alive_ = false;
  for (auto& [id, timer] : timers_) timer->wait.cancel();
}

TimerId AsioScheduler::ScheduleAt(Time at, std::function<void()> fn) {
  const TimerId id = next_id_++;
  auto timer = std::make_unique<Timer>(io_, at, std::move(fn));
  Arm(id, *timer);
  timers_.emplace(id, std::move(timer));
  return id;
}

void AsioScheduler::Arm(TimerId id, Timer& timer) {
  timer.wait.expires_after(RealWait(timer.at - clock_.Now(), clock_.rate(), recheck_every_));
  timer.wait.async_wait([this, id, alive = alive_](const boost::system::error_code& ec) {
    // Aborted: cancelled. Not alive: the scheduler is gone, although this
    // wake-up was already queued when it cancelled its timers.
    if (ec == boost::asio::error::operation_aborted || !*alive) return;
    OnWake(id);
  });
}

void AsioScheduler::OnWake(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;  // cancelled after expiry was queued
  if (clock_.Now() < it->second->at) {
    Arm(id, *it->second);  // the clock was set back, or is slower than it says
    return;
  }
  // Keep the timer object alive until the callback returns: it may cancel
  // or schedule other timers.
  auto timer = std::move(it->second);
  timers_.erase(it);
  timer->fn();
}

bool AsioScheduler::Cancel(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return false;
  it->second->wait.cancel();
  timers_.erase(it);
  return true;
}

}  // namespace anding::runtime

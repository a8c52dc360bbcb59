#include "anding/runtime/asio_scheduler.h"

#include <algorithm>
#include <cmath>
#include <vector>

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
    : clock_(clock), recheck_every_(recheck_every), wake_(io) {}

AsioScheduler::~AsioScheduler() {
  *alive_ = false;
  wake_.cancel();
}

TimerId AsioScheduler::ScheduleAt(Time at, std::function<void()> fn) {
  const TimerId id = next_id_++;
  timers_.emplace(std::make_pair(at, id), std::move(fn));
  due_.emplace(id, at);
  if (at < armed_for_) Arm();
  return id;
}

bool AsioScheduler::Cancel(TimerId id) {
  auto it = due_.find(id);
  if (it == due_.end()) return false;
  timers_.erase(std::make_pair(it->second, id));
  due_.erase(it);
  // The wake-up stays set: waking for nothing only re-arms.
  return true;
}

void AsioScheduler::Arm() {
  if (timers_.empty()) {
    armed_for_ = Time::max();
    wake_.cancel();
    return;
  }
  armed_for_ = timers_.begin()->first.first;
  // Re-setting the expiry cancels the previous wait (its handler sees
  // operation_aborted).
  wake_.expires_after(RealWait(armed_for_ - clock_.Now(), clock_.rate(), recheck_every_));
  wake_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    // Not alive: the scheduler is gone, although this wake-up was already
    // queued when it cancelled.
    if (ec == boost::asio::error::operation_aborted || !*alive) return;
    OnWake();
  });
}

void AsioScheduler::OnWake() {
  armed_for_ = Time::max();
  // What is due now, as the clock says (it may be set back, or be slower
  // than its rate claims: then nothing is, and the wait starts again).
  const Time now = clock_.Now();
  std::vector<std::pair<Time, TimerId>> due;
  for (auto it = timers_.begin(); it != timers_.end() && it->first.first <= now; ++it) {
    due.push_back(it->first);
  }
  for (const auto& key : due) {
    auto node = timers_.extract(key);
    if (node.empty()) continue;  // cancelled by an earlier callback
    due_.erase(key.second);
    node.mapped()();
  }
  Arm();
}

}  // namespace anding::runtime

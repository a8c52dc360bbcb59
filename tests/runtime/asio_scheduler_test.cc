// The Asio scheduler against simulated clocks running thousands of times
// faster than real time, so that minutes of timers take milliseconds.
#include "anding/runtime/asio_scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <vector>

#include "anding/runtime/simulated_clock.h"

namespace anding::runtime {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using Steady = std::chrono::steady_clock;

const Time kStart = *ParseRfc3339("2026-12-31T23:59:59+08:00");

// A simulated clock that can be set forward or back while it runs, as an
// operator (or NTP) sets a wall clock.
class AdjustableClock final : public Clock {
 public:
  explicit AdjustableClock(double rate) : base_(kStart, rate) {}
  [[nodiscard]] Time Now() const override { return base_.Now() + Duration(offset_us_.load()); }
  [[nodiscard]] double rate() const override { return base_.rate(); }
  void Jump(Duration by) { offset_us_ += by.count(); }

 private:
  SimulatedClock base_;
  std::atomic<int64_t> offset_us_{0};
};

// A clock that runs slower than the rate it claims.
class SlowerThanItSaysClock final : public Clock {
 public:
  SlowerThanItSaysClock(double real_rate, double claimed_rate)
      : base_(kStart, real_rate), claimed_rate_(claimed_rate) {}
  [[nodiscard]] Time Now() const override { return base_.Now(); }
  [[nodiscard]] double rate() const override { return claimed_rate_; }

 private:
  SimulatedClock base_;
  double claimed_rate_;
};

struct Firing {
  int timer;
  Time due;
  Time fired_at;
};

TEST(AsioSchedulerTest, FiresInTimeOrderAgainstAFastSimulatedClock) {
  boost::asio::io_context io;
  const SimulatedClock clock(kStart, 60'000);  // a minute per millisecond
  AsioScheduler scheduler(io, clock);
  std::vector<Firing> fired;
  auto at = [&](int timer, Time due) {
    scheduler.ScheduleAt(due, [&, timer, due] { fired.push_back({timer, due, clock.Now()}); });
  };
  const auto real_start = Steady::now();
  const Time now = clock.Now();
  at(2, now + minutes(4));
  at(1, now + minutes(2));
  at(3, now + minutes(6));
  io.run();
  const auto real = Steady::now() - real_start;

  ASSERT_EQ(fired.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(fired[i].timer, i + 1);
    EXPECT_GE(fired[i].fired_at, fired[i].due) << "timer " << i + 1 << " fired early";
  }
  // Six simulated minutes are six real milliseconds, not six minutes.
  EXPECT_GE(real, milliseconds(5));
  EXPECT_LT(real, seconds(5));
  EXPECT_EQ(scheduler.pending(), 0u);
}

TEST(AsioSchedulerTest, TimersDueTogetherFireInTimeOrderThenSchedulingOrder) {
  boost::asio::io_context io;
  const SimulatedClock clock(kStart, 1);
  AsioScheduler scheduler(io, clock);
  std::vector<int> fired;
  const Time now = clock.Now();
  // All overdue by the time the io_context runs them.
  scheduler.ScheduleAt(now - seconds(1), [&] { fired.push_back(3); });
  scheduler.ScheduleAt(now - seconds(3), [&] { fired.push_back(1); });
  scheduler.ScheduleAt(now - seconds(1), [&] { fired.push_back(4); });
  scheduler.ScheduleAt(now - seconds(2), [&] {
    fired.push_back(2);
    // Scheduled in the past by a callback: runs on the next turn, after
    // what was already due.
    scheduler.ScheduleAt(now - minutes(1), [&] { fired.push_back(5); });
  });
  io.run();
  EXPECT_EQ(fired, (std::vector<int>{1, 2, 3, 4, 5}));
}

TEST(AsioSchedulerTest, NeverFiresBeforeTheClockSaysItIsDue) {
  boost::asio::io_context io;
  // It claims 100x what it does: every real wait is far too short, and the
  // scheduler must wait again until the clock itself says the timer is due.
  const SlowerThanItSaysClock clock(1'000, 100'000);
  AsioScheduler scheduler(io, clock);
  const Time due = clock.Now() + seconds(3);
  Time fired_at{};
  scheduler.ScheduleAt(due, [&] { fired_at = clock.Now(); });
  io.run();
  EXPECT_GE(fired_at, due);
}

TEST(AsioSchedulerTest, AClockSetBackDelaysTheTimer) {
  boost::asio::io_context io;
  AdjustableClock clock(1'000);
  AsioScheduler scheduler(io, clock);
  const Time due = clock.Now() + seconds(2);
  Time fired_at{};
  scheduler.ScheduleAt(due, [&] { fired_at = clock.Now(); });
  clock.Jump(-seconds(5));  // after the real wait was computed
  io.run();
  EXPECT_GE(fired_at, due);
}

TEST(AsioSchedulerTest, AClockSetForwardIsNoticedAtTheNextRecheck) {
  boost::asio::io_context io;
  AdjustableClock clock(1);  // real time
  AsioScheduler scheduler(io, clock, milliseconds(2));
  const Time due = clock.Now() + std::chrono::hours(1);
  bool fired = false;
  scheduler.ScheduleAt(due, [&] { fired = true; });
  scheduler.ScheduleAfter(Duration::zero(), [&] { clock.Jump(std::chrono::hours(1)); });
  const auto real_start = Steady::now();
  io.run();
  EXPECT_TRUE(fired);
  EXPECT_LT(Steady::now() - real_start, seconds(5));
}

TEST(AsioSchedulerTest, PastTimersFireOnTheNextTurnNotInline) {
  boost::asio::io_context io;
  const SimulatedClock clock(kStart, 1);
  AsioScheduler scheduler(io, clock);
  bool fired = false;
  scheduler.ScheduleAt(clock.Now() - minutes(1), [&] { fired = true; });
  EXPECT_FALSE(fired);
  io.run();
  EXPECT_TRUE(fired);
}

TEST(AsioSchedulerTest, CancelledTimersDoNotFire) {
  boost::asio::io_context io;
  const SimulatedClock clock(kStart, 60'000);
  AsioScheduler scheduler(io, clock);
  std::vector<int> fired;
  const TimerId cancelled = scheduler.ScheduleAfter(minutes(1), [&] { fired.push_back(1); });
  TimerId cancelled_by_callback = 0;
  scheduler.ScheduleAfter(seconds(1), [&] {
    fired.push_back(2);
    EXPECT_TRUE(scheduler.Cancel(cancelled_by_callback));
  });
  cancelled_by_callback = scheduler.ScheduleAfter(minutes(2), [&] { fired.push_back(3); });
  scheduler.ScheduleAfter(minutes(3), [&] { fired.push_back(4); });
  EXPECT_TRUE(scheduler.Cancel(cancelled));
  EXPECT_FALSE(scheduler.Cancel(cancelled));
  io.run();
  EXPECT_EQ(fired, (std::vector<int>{2, 4}));
}

TEST(AsioSchedulerTest, CallbacksMayScheduleMore) {
  boost::asio::io_context io;
  const SimulatedClock clock(kStart, 60'000);
  AsioScheduler scheduler(io, clock);
  std::vector<Time> ticks;
  std::function<void()> tick = [&] {
    ticks.push_back(clock.Now());
    if (ticks.size() < 5) scheduler.ScheduleAfter(seconds(30), tick);
  };
  scheduler.ScheduleAfter(seconds(30), tick);
  io.run();
  ASSERT_EQ(ticks.size(), 5u);
  for (size_t i = 1; i < ticks.size(); ++i) EXPECT_GE(ticks[i] - ticks[i - 1], seconds(30));
}

TEST(AsioSchedulerTest, OnTheSystemClock) {
  boost::asio::io_context io;
  const SystemClock clock;
  AsioScheduler scheduler(io, clock);
  const Time due = clock.Now() + milliseconds(2);
  Time fired_at{};
  scheduler.ScheduleAt(due, [&] { fired_at = clock.Now(); });
  io.run();
  EXPECT_GE(fired_at, due);
}

TEST(AsioSchedulerTest, DestroyedWithTimersPending) {
  boost::asio::io_context io;
  const SimulatedClock clock(kStart, 60'000);
  bool fired = false;
  {
    AsioScheduler scheduler(io, clock);
    scheduler.ScheduleAfter(Duration::zero(), [&] { fired = true; });
    scheduler.ScheduleAfter(minutes(1), [&] { fired = true; });
  }
  io.run();
  EXPECT_FALSE(fired);
}

}  // namespace
}  // namespace anding::runtime

#include "anding/common/clock.h"

#include <gtest/gtest.h>

#include <vector>

namespace anding {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const Time kStart = FromUnixMicros(1'800'000'000'000'000);

TEST(ManualSchedulerTest, FiresInTimeOrderWithClockAtEachInstant) {
  ManualClock clock(kStart);
  ManualScheduler scheduler(clock);
  std::vector<std::pair<int, Time>> fired;
  scheduler.ScheduleAt(kStart + minutes(10), [&] { fired.emplace_back(2, clock.Now()); });
  scheduler.ScheduleAt(kStart + minutes(5), [&] { fired.emplace_back(1, clock.Now()); });
  scheduler.ScheduleAt(kStart + minutes(30), [&] { fired.emplace_back(3, clock.Now()); });

  EXPECT_EQ(scheduler.AdvanceBy(minutes(20)), 2u);
  ASSERT_EQ(fired.size(), 2u);
  EXPECT_EQ(fired[0], std::make_pair(1, kStart + minutes(5)));
  EXPECT_EQ(fired[1], std::make_pair(2, kStart + minutes(10)));
  EXPECT_EQ(clock.Now(), kStart + minutes(20));
  EXPECT_EQ(scheduler.pending(), 1u);
  EXPECT_EQ(scheduler.next_due(), kStart + minutes(30));
}

TEST(ManualSchedulerTest, TiesFireInSchedulingOrder) {
  ManualClock clock(kStart);
  ManualScheduler scheduler(clock);
  std::vector<int> order;
  for (int i = 0; i < 5; ++i)
    scheduler.ScheduleAt(kStart + seconds(1), [&, i] { order.push_back(i); });
  scheduler.AdvanceBy(seconds(1));
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(ManualSchedulerTest, CancelledTimersDoNotFire) {
  ManualClock clock(kStart);
  ManualScheduler scheduler(clock);
  bool fired = false;
  const TimerId id = scheduler.ScheduleAfter(seconds(5), [&] { fired = true; });
  EXPECT_TRUE(scheduler.Cancel(id));
  EXPECT_FALSE(scheduler.Cancel(id));
  scheduler.AdvanceBy(minutes(1));
  EXPECT_FALSE(fired);
}

TEST(ManualSchedulerTest, CallbacksMayScheduleDueTimers) {
  ManualClock clock(kStart);
  ManualScheduler scheduler(clock);
  int count = 0;
  std::function<void()> tick = [&] {
    if (++count < 3) scheduler.ScheduleAfter(seconds(10), tick);
  };
  scheduler.ScheduleAfter(seconds(10), tick);
  EXPECT_EQ(scheduler.AdvanceBy(seconds(25)), 2u);
  EXPECT_EQ(count, 2);
  EXPECT_EQ(scheduler.AdvanceBy(seconds(5)), 1u);
  EXPECT_EQ(count, 3);
  EXPECT_EQ(scheduler.pending(), 0u);
}

TEST(ManualSchedulerTest, PastTimersFireOnRunDue) {
  ManualClock clock(kStart);
  ManualScheduler scheduler(clock);
  bool fired = false;
  scheduler.ScheduleAt(kStart - minutes(1), [&] { fired = true; });
  EXPECT_EQ(scheduler.RunDue(), 1u);
  EXPECT_TRUE(fired);
  EXPECT_EQ(clock.Now(), kStart);
}

}  // namespace
}  // namespace anding

#include "recent_messages.h"

#include <gtest/gtest.h>

#include "anding/common/clock.h"
#include "anding/common/ids.h"

namespace anding::dispatcher {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const Time kStart = FromUnixMicros(1'795'000'000'000'000);

// A message id whose UUIDv7 time is `at` (as an agent with that clock makes).
std::string IdAt(Time at) {
  ManualClock clock(at);
  UuidV7Generator ids(clock);
  return ids.Next();
}

TEST(RecentMessagesTest, PendingThenStoredWithItsRecord) {
  RecentMessages recent(hours(1));
  const auto key = *recent.KeyOf("mine-1", IdAt(kStart));
  EXPECT_EQ(recent.Find(key), nullptr);
  EXPECT_TRUE(recent.FindOrAddPending(key, 7).second);
  ASSERT_NE(recent.Find(key), nullptr);
  EXPECT_TRUE(recent.Find(key)->pending());
  recent.Stored(key, kStart, "incident-7");
  EXPECT_FALSE(recent.Find(key)->pending());
  EXPECT_EQ(recent.Find(key)->stored_at_us, ToUnixMicros(kStart));
  EXPECT_EQ(recent.Find(key)->record_id, "incident-7");
  EXPECT_EQ(recent.Find(*recent.KeyOf("mine-2", IdAt(kStart))), nullptr)
      << "the same message id from another unit is another message";
  EXPECT_EQ(recent.KeyOf("mine-1", IdAt(kStart))->unit, key.unit) << "units keep their number";
  EXPECT_FALSE(recent.KeyOf("mine-1", "not-a-uuid").has_value());
}

TEST(RecentMessagesTest, FindOrAddPendingLooksOnceAndDropForgets) {
  RecentMessages recent(hours(1));
  const auto key = *recent.KeyOf("mine-1", IdAt(kStart));
  auto [entry, added] = recent.FindOrAddPending(key, 7);
  EXPECT_TRUE(added);
  EXPECT_TRUE(entry->pending());
  recent.Stored(key, kStart, "incident-7");
  std::tie(entry, added) = recent.FindOrAddPending(key, 7);
  EXPECT_FALSE(added) << "a repeat finds the stored entry";
  EXPECT_EQ(entry->record_id, "incident-7");
  recent.Drop(key);
  EXPECT_EQ(recent.Find(key), nullptr);
  EXPECT_EQ(recent.size(), 0u);
}

TEST(RecentMessagesTest, ForgetsOnlyWhatTheStoreWouldBeAskedAbout) {
  RecentMessages recent(hours(1));
  const auto old = *recent.KeyOf("mine-1", IdAt(kStart));
  const auto fresh = *recent.KeyOf("mine-1", IdAt(kStart + minutes(50)));
  // Received long ago, but its agent's clock ran 3 hours ahead: the Intake
  // would not look its id up in the store yet, so it must stay remembered.
  const auto ahead = *recent.KeyOf("mine-2", IdAt(kStart + hours(3)));
  const auto pending = *recent.KeyOf("mine-3", IdAt(kStart));
  recent.Stored(old, kStart, "");
  recent.Stored(fresh, kStart + minutes(50), "");
  recent.Stored(ahead, kStart, "");
  EXPECT_TRUE(recent.FindOrAddPending(pending, 7).second);

  recent.Forget(kStart + minutes(90));  // small map: no sweep unless forced
  EXPECT_EQ(recent.size(), 4u);
  recent.Forget(kStart + minutes(90), /*force=*/true);
  EXPECT_EQ(recent.Find(old), nullptr);
  EXPECT_NE(recent.Find(fresh), nullptr);
  EXPECT_NE(recent.Find(ahead), nullptr);
  EXPECT_NE(recent.Find(pending), nullptr) << "an uncommitted envelope is never forgotten";

  recent.Forget(kStart + hours(5), /*force=*/true);
  EXPECT_EQ(recent.Find(fresh), nullptr);
  EXPECT_EQ(recent.Find(ahead), nullptr);
  EXPECT_NE(recent.Find(pending), nullptr);
}

// Twelve hours of 2 envelopes a second with a one-hour window (7,200
// entries): the map never holds more than twice the window's worth.
TEST(RecentMessagesTest, MemoryStaysBoundedUnderSteadyTraffic) {
  constexpr int kPerSecond = 2;
  constexpr size_t kWindowEntries = 3600 * kPerSecond;
  RecentMessages recent(hours(1), /*min_sweep=*/1000);
  const size_t bound = 2 * kWindowEntries + kPerSecond;
  ManualClock clock(kStart);
  UuidV7Generator ids(clock);
  size_t largest = 0;
  for (int second = 0; second < 12 * 3600; ++second, clock.Advance(seconds(1))) {
    for (int i = 0; i < kPerSecond; ++i) {
      const auto key = *recent.KeyOf("mine-1", ids.Next());
      recent.Forget(clock.Now());
      recent.Stored(key, clock.Now(), "");
    }
    largest = std::max(largest, recent.size());
  }
  EXPECT_LE(largest, bound);
  EXPECT_GE(recent.size(), kWindowEntries) << "the window is remembered";
}

}  // namespace
}  // namespace anding::dispatcher

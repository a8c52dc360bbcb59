#include "anding/common/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace anding {
namespace {

using std::chrono::milliseconds;

TEST(UuidV7Test, CanonicalVersionSevenWithTimestamp) {
  ManualClock clock(FromUnixMicros(1'800'000'000'123'000));
  UuidV7Generator ids(clock);
  const std::string id = ids.Next();
  EXPECT_TRUE(IsCanonicalUuid(id)) << id;
  EXPECT_EQ(id[14], '7');
  EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b') << id;
  EXPECT_EQ(UuidV7Millis(id), 1'800'000'000'123);
}

TEST(UuidV7Test, StrictlyIncreasingWithinOneMillisecond) {
  ManualClock clock(FromUnixMicros(1'800'000'000'000'000));
  UuidV7Generator ids(clock);
  std::string previous = ids.Next();
  for (int i = 0; i < 10'000; ++i) {  // more than the 12-bit counter holds
    const std::string next = ids.Next();
    ASSERT_LT(previous, next);
    previous = next;
  }
}

TEST(UuidV7Test, SortsByCreationTimeEvenIfClockStepsBack) {
  ManualClock clock(FromUnixMicros(1'800'000'000'000'000));
  UuidV7Generator ids(clock);
  const std::string first = ids.Next();
  clock.Advance(milliseconds(5));
  const std::string second = ids.Next();
  clock.Advance(-milliseconds(100));
  const std::string third = ids.Next();
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
}

TEST(UuidV7Test, RandomPartDiffersBetweenGenerators) {
  ManualClock clock(FromUnixMicros(1'800'000'000'000'000));
  UuidV7Generator a(clock), b(clock);
  EXPECT_NE(a.Next(), b.Next());
}

TEST(IdsTest, RejectsNonCanonicalText) {
  EXPECT_FALSE(IsCanonicalUuid(""));
  EXPECT_FALSE(IsCanonicalUuid("0190B8C4-1D2E-7ABC-8DEF-0123456789AB"));
  EXPECT_FALSE(IsCanonicalUuid("0190b8c4_1d2e-7abc-8def-0123456789ab"));
  EXPECT_TRUE(IsCanonicalUuid("0190b8c4-1d2e-7abc-8def-0123456789ab"));
  EXPECT_EQ(UuidV7Millis("0190b8c4-1d2e-4abc-8def-0123456789ab"), -1);  // version 4
}

TEST(IdsTest, ParseUuidGivesItsBitsInOrder) {
  const auto bits = ParseUuid("0190b8c4-1d2e-7abc-8def-0123456789ab");
  ASSERT_TRUE(bits.has_value());
  EXPECT_EQ(bits->high, 0x0190b8c41d2e7abcULL);
  EXPECT_EQ(bits->low, 0x8def0123456789abULL);
  EXPECT_EQ(UuidV7Millis(*bits), 0x0190b8c41d2e);
  EXPECT_EQ(UuidV7Millis(*ParseUuid("0190b8c4-1d2e-4abc-8def-0123456789ab")), -1);
  EXPECT_FALSE(ParseUuid("0190B8C4-1D2E-7ABC-8DEF-0123456789AB").has_value());
  EXPECT_FALSE(ParseUuid("inc-000001").has_value());
  // Ids from one generator: distinct bits, ordered like their text.
  ManualClock clock(FromUnixMicros(1'800'000'000'000'000));
  UuidV7Generator ids(clock);
  const std::string first = ids.Next(), second = ids.Next();
  const auto a = *ParseUuid(first), b = *ParseUuid(second);
  EXPECT_TRUE(a.high < b.high || (a.high == b.high && a.low < b.low));
  EXPECT_EQ(UuidV7Millis(a), 1'800'000'000'000);
}

TEST(IdsTest, RandomUuidsAreCanonicalVersionFourAndNeverRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    const std::string id = RandomUuid();
    ASSERT_TRUE(IsCanonicalUuid(id)) << id;
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    EXPECT_TRUE(seen.insert(id).second) << "repeated: " << id;
  }
}

TEST(IdsTest, SequentialIdsAreDeterministic) {
  SequentialIdGenerator ids("inc");
  EXPECT_EQ(ids.Next(), "inc-000001");
  EXPECT_EQ(ids.Next(), "inc-000002");
}

}  // namespace
}  // namespace anding

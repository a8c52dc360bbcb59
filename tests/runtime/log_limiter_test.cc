#include "anding/runtime/log_limiter.h"

#include <gtest/gtest.h>

#include <chrono>

namespace anding::runtime {
namespace {

using std::chrono::seconds;

class LogLimiterTest : public ::testing::Test {
 protected:
  ManualClock clock_{FromUnixMicros(1'700'000'000'000'000)};
  LogLimiter limiter_{clock_, 3, seconds(10)};

  int AdmitMany(std::string_view key, int n) {
    int admitted = 0;
    for (int i = 0; i < n; ++i) admitted += limiter_.Admit(key) ? 1 : 0;
    return admitted;
  }
};

TEST_F(LogLimiterTest, ABurstPerKeyThenSuppressedAndReportedOnce) {
  EXPECT_EQ(AdmitMany("mine-3", 1000), 3);
  auto suppressed = limiter_.TakeSuppressed();
  ASSERT_EQ(suppressed.size(), 1u);
  EXPECT_EQ(suppressed[0].first, "mine-3");
  EXPECT_EQ(suppressed[0].second, 997u);

  // Still noisy in the same interval: counted, not reported again yet.
  EXPECT_EQ(AdmitMany("mine-3", 50), 0);
  EXPECT_TRUE(limiter_.TakeSuppressed().empty());

  clock_.Advance(seconds(10));
  suppressed = limiter_.TakeSuppressed();
  ASSERT_EQ(suppressed.size(), 1u);
  EXPECT_EQ(suppressed[0].second, 50u);
  EXPECT_EQ(AdmitMany("mine-3", 10), 3);
}

TEST_F(LogLimiterTest, KeysAreIndependent) {
  EXPECT_EQ(AdmitMany("mine-3", 10), 3);
  EXPECT_EQ(AdmitMany("mine-4", 10), 3);
  EXPECT_EQ(limiter_.TakeSuppressed().size(), 2u);
}

TEST_F(LogLimiterTest, TokensRefillGradually) {
  EXPECT_EQ(AdmitMany("mine-3", 3), 3);
  EXPECT_FALSE(limiter_.Admit("mine-3"));
  clock_.Advance(std::chrono::milliseconds(3400));  // a bit more than one line's worth
  EXPECT_TRUE(limiter_.Admit("mine-3"));
  EXPECT_FALSE(limiter_.Admit("mine-3"));
}

TEST_F(LogLimiterTest, NothingSuppressedNothingReported) {
  EXPECT_EQ(AdmitMany("mine-3", 2), 2);
  EXPECT_TRUE(limiter_.TakeSuppressed().empty());
}

}  // namespace
}  // namespace anding::runtime

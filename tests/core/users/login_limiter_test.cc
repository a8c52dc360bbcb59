#include "anding/core/users/login_limiter.h"

#include <gtest/gtest.h>

#include "anding/common/clock.h"

namespace anding::core::users {
namespace {

using std::chrono::seconds;

const Time kStart = FromUnixMicros(1'780'000'000'000'000);

TEST(LoginLimiterTest, FiveFailuresLockOutThenEachFurtherFailureDoubles) {
  ManualClock clock(kStart);
  LoginLimiter limiter(5, seconds(30), seconds(3600));
  for (int i = 0; i < 4; ++i) {
    limiter.Failure("user:zhang", clock.Now());
    EXPECT_FALSE(limiter.RetryAfter("user:zhang", clock.Now())) << i;
  }
  limiter.Failure("user:zhang", clock.Now());
  EXPECT_EQ(limiter.RetryAfter("user:zhang", clock.Now()), seconds(30));
  clock.Advance(seconds(10));
  EXPECT_EQ(limiter.RetryAfter("user:zhang", clock.Now()), seconds(20));
  clock.Advance(seconds(20));
  EXPECT_FALSE(limiter.RetryAfter("user:zhang", clock.Now()));
  limiter.Failure("user:zhang", clock.Now());
  EXPECT_EQ(limiter.RetryAfter("user:zhang", clock.Now()), seconds(60));
  clock.Advance(seconds(60));
  limiter.Failure("user:zhang", clock.Now());
  EXPECT_EQ(limiter.RetryAfter("user:zhang", clock.Now()), seconds(120));
  EXPECT_FALSE(limiter.RetryAfter("user:li", clock.Now())) << "other keys are not affected";
}

TEST(LoginLimiterTest, TheLockoutIsCappedAndSuccessStartsAfresh) {
  ManualClock clock(kStart);
  LoginLimiter limiter(5, seconds(30), seconds(3600));
  for (int i = 0; i < 200; ++i) limiter.Failure("peer:10.0.0.9", clock.Now());
  EXPECT_EQ(limiter.RetryAfter("peer:10.0.0.9", clock.Now()), seconds(3600));
  limiter.Success("peer:10.0.0.9");
  EXPECT_FALSE(limiter.RetryAfter("peer:10.0.0.9", clock.Now()));
  limiter.Failure("peer:10.0.0.9", clock.Now());
  EXPECT_FALSE(limiter.RetryAfter("peer:10.0.0.9", clock.Now())) << "counting starts again";
}

TEST(LoginLimiterTest, AFloodOfNamesKeepsAtMostMaxKeys) {
  ManualClock clock(kStart);
  LoginLimiter limiter(5, seconds(30), seconds(3600), 100);
  for (int i = 0; i < 1000; ++i) {
    limiter.Failure("user:n" + std::to_string(i), clock.Now());
    clock.Advance(seconds(1));
  }
  EXPECT_LE(limiter.size(), 100u);
  EXPECT_EQ(limiter.size(), 100u);
}

}  // namespace
}  // namespace anding::core::users

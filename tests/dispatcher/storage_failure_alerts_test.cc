#include "storage_failure_alerts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace anding::dispatcher {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::Not;

// 2026-11-28 08:00:00 in Shanghai.
const Time kStart = FromUnixMicros(int64_t{1'795'824'000} * 1'000'000);

class StorageFailureAlertsTest : public ::testing::Test {
 protected:
  StorageFailureAlertsTest()
      : alerts_(scheduler_, TimeZone::Shanghai(),
                [this](const core::HqAlert& alert) { raised_.push_back(alert); }) {}

  ManualClock clock_{kStart};
  ManualScheduler scheduler_{clock_};
  std::vector<core::HqAlert> raised_;
  StorageFailureAlerts alerts_;
};

TEST_F(StorageFailureAlertsTest, TheFirstFailureIsReportedAsSoonAsCommitsWorkAgain) {
  alerts_.Failed(ResourceExhaustedError("database or disk is full"));
  EXPECT_EQ(alerts_.RecoveryDelay(), Duration::zero()) << "the first failure recovers at once";
  scheduler_.AdvanceBy(seconds(10));
  EXPECT_TRUE(raised_.empty()) << "no alert while the state is being rebuilt";

  alerts_.Recovered();
  ASSERT_EQ(raised_.size(), 1u);
  const core::HqAlert& alert = raised_[0];
  EXPECT_EQ(alert.severity, core::HqAlert::Severity::kCritical);
  EXPECT_EQ(alert.kind, "storage_failure");
  EXPECT_EQ(alert.reference_id, "store");
  EXPECT_THAT(alert.text, HasSubstr("存储写入失败于 2026-11-28 08:00:00"));
  EXPECT_THAT(alert.text, HasSubstr("RESOURCE_EXHAUSTED: database or disk is full"));
  EXPECT_THAT(alert.text, HasSubstr("均未确认"));

  alerts_.Reported();
  EXPECT_TRUE(alerts_.open()) << "the episode lasts a quiet period after its alert";
  scheduler_.AdvanceBy(StorageFailureAlerts::kQuietPeriod);
  EXPECT_FALSE(alerts_.open());
  EXPECT_EQ(raised_.size(), 1u) << "one alert per episode";
}

TEST_F(StorageFailureAlertsTest, AStoreThatKeepsFailingIsRecoveredLessAndLessOften) {
  alerts_.Failed(UnavailableError("disk I/O error"));
  alerts_.Recovered();
  ASSERT_EQ(raised_.size(), 1u);

  // The batch with the alert fails too, again and again: each recovery
  // waits twice as long as the one before, up to a minute, and each raises
  // the alert again (it has not been stored yet).
  Duration expected_delay = StorageFailureAlerts::kFirstRetry;
  for (int failures = 2; failures <= 10; ++failures) {
    clock_.Advance(seconds(3));
    alerts_.Failed(UnavailableError("disk I/O error"));
    EXPECT_EQ(alerts_.RecoveryDelay(), expected_delay) << "failure " << failures;
    clock_.Advance(alerts_.RecoveryDelay());
    alerts_.Recovered();
    ASSERT_EQ(raised_.size(), static_cast<size_t>(failures)) << "failure " << failures;
    EXPECT_THAT(raised_.back().text,
                HasSubstr(std::to_string(failures) + " 次（2026-11-28 08:00:00 至"));
    EXPECT_EQ(alerts_.failed_commits(), failures);
    expected_delay = std::min(2 * expected_delay, Duration(StorageFailureAlerts::kMaxRetry));
  }
  EXPECT_EQ(expected_delay, Duration(StorageFailureAlerts::kMaxRetry));

  alerts_.Reported();
  scheduler_.AdvanceBy(StorageFailureAlerts::kQuietPeriod);
  alerts_.Failed(UnavailableError("disk I/O error"));
  EXPECT_EQ(alerts_.RecoveryDelay(), Duration::zero()) << "a new episode recovers at once";
  alerts_.Recovered();
  ASSERT_EQ(raised_.size(), 11u) << "a new episode is reported";
  EXPECT_THAT(raised_.back().text, Not(HasSubstr(" 次（")));
}

TEST_F(StorageFailureAlertsTest, FailuresSoonAfterTheStoredAlertBelongToItsEpisode) {
  alerts_.Failed(ResourceExhaustedError("database or disk is full"));
  alerts_.Recovered();
  alerts_.Reported();
  // The disk fills up again 20 s later: same episode, no second alert, and
  // the recovery backs off.
  scheduler_.AdvanceBy(seconds(20));
  alerts_.Failed(ResourceExhaustedError("database or disk is full"));
  EXPECT_EQ(alerts_.RecoveryDelay(), StorageFailureAlerts::kFirstRetry);
  alerts_.Recovered();
  EXPECT_EQ(raised_.size(), 1u);
  EXPECT_EQ(alerts_.failed_commits(), 2);
  // The quiet period starts again from the last failure.
  scheduler_.AdvanceBy(StorageFailureAlerts::kQuietPeriod - seconds(1));
  EXPECT_TRUE(alerts_.open());
  scheduler_.AdvanceBy(seconds(1));
  EXPECT_FALSE(alerts_.open());
}

}  // namespace
}  // namespace anding::dispatcher

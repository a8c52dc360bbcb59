// The alert repository: alerts and notifications read back as saved, and a
// malformed stored row is DataLoss naming the table, the row and the field.
#include "anding/store/alert_repository.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/process.h"

namespace anding::store {
namespace {

using ::testing::HasSubstr;

class AlertRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::Database::Open(dir_.path() + "/alerts.db");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate("alerts", AlertMigrations()).ok());
  }
  testing::TempDir dir_{"alertrepo"};
  std::unique_ptr<storage::Database> db_;
};

TEST_F(AlertRepositoryTest, AlertsAndNotificationsReadBackAsSaved) {
  AlertRow alert;
  alert.id = 1;
  alert.raised_at = FromUnixMicros(1'795'000'000'000'000);
  alert.alert = core::HqAlert{core::HqAlert::Severity::kCritical, "deadline_breach",
                              "INC-20261127-001", "mine-1", "一矿未按时到达"};
  ASSERT_TRUE(SaveAlert(*db_, alert).ok());
  auto alerts = ListAlerts(*db_, true, 10);
  ASSERT_TRUE(alerts.ok()) << alerts.status();
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].alert.severity, core::HqAlert::Severity::kCritical);
  EXPECT_EQ((*alerts)[0].alert.text, "一矿未按时到达");
  EXPECT_FALSE((*alerts)[0].acknowledged_at.has_value());

  NotificationRow notification;
  notification.id = 7;
  notification.created_at = alert.raised_at;
  notification.request.recipients = {core::Person{"王矿长", "+8613800000001", "矿长"},
                                     core::Person{"李干事", "", ""}};
  notification.request.template_id = "deadline_breach";
  notification.request.text = "请立即到场";
  ASSERT_TRUE(SaveNotification(*db_, notification).ok());
  auto notifications = ListNotifications(*db_, 10);
  ASSERT_TRUE(notifications.ok()) << notifications.status();
  ASSERT_EQ(notifications->size(), 1u);
  EXPECT_EQ((*notifications)[0].request.recipients, notification.request.recipients);
}

TEST_F(AlertRepositoryTest, AMalformedRowIsDataLossNamingTheField) {
  NotificationRow notification;
  notification.id = 3;
  notification.request.recipients = {core::Person{"王矿长", "+8613800000001", "矿长"}};
  ASSERT_TRUE(SaveNotification(*db_, notification).ok());
  ASSERT_TRUE(db_->Exec("UPDATE notifications SET recipients = '[{\"name\": 1}]'").ok());
  auto notifications = ListNotifications(*db_, 10);
  EXPECT_EQ(notifications.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(notifications.status().message(),
              HasSubstr("notifications row '3': recipients: entry 0: name: is not a string"));
}

}  // namespace
}  // namespace anding::store

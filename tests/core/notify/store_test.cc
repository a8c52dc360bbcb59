#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "anding/common/strings.h"
#include "anding/core/notify/notifier.h"
#include "anding/store/notify_repository.h"
#include "notify_fixtures.h"

namespace anding::core::notify {
namespace {

Time Morning() { return TimeZone::Shanghai().At(CivilDay(2026, 12, 2), 10, 0); }

class NotifyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           StrCat("anding_notify_store_", getpid(), "_",
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = storage::Database::Open((dir_ / "notify.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate("notify", store::NotifyMigrations()).ok());
    ASSERT_TRUE(testing::ReadConfig(testing::kRolesYaml, config_).ok());
    config_.kannel = KannelGateway{"http://127.0.0.1:1/s", "u", "p", "", "http://127.0.0.1:2", 31,
                                   std::chrono::seconds(1)};
  }
  Status Save(Notifier& notifier) {
    return storage::InTransaction(
        *db_, [&] { return store::SaveNotifyChanges(*db_, notifier.TakeChanges()); });
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> db_;
  NotifyConfig config_;
};

HqAlert Report() {
  HqAlert alert;
  alert.severity = Severity::kCritical;
  alert.kind = "special_report";
  alert.unit_id = "mine-3";
  alert.reference_id = "L-1";
  alert.text = "三矿职工聚集";
  return alert;
}

TEST_F(NotifyStoreTest, WhatIsSavedLoadsBackAndSendingIsRecovered) {
  Notifier notifier(config_);
  const Time now = Morning();
  ASSERT_TRUE(notifier.Ingest(Report(), now).has_value());
  (void)notifier.Tick(now);
  ASSERT_TRUE(Save(notifier).ok());
  const Message before = *notifier.FindMessage(1);
  const NotifyEvent event_before = *notifier.FindEvent(1);

  auto state = store::LoadNotifyState(*db_, now - std::chrono::hours(24));
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  ASSERT_EQ(state->events.size(), 1u);
  ASSERT_EQ(state->messages.size(), 1u);
  EXPECT_EQ(state->messages[0], before);
  EXPECT_EQ(state->events[0], event_before);

  Notifier restarted(config_);
  restarted.Restore(state->events, state->messages, state->max_event_id, state->max_message_id);
  EXPECT_EQ(restarted.TakeRecovering(), std::vector<int64_t>{1});
  // A repeat of the same event right after the restart is still a repeat.
  EXPECT_FALSE(restarted.Ingest(Report(), now + std::chrono::minutes(1)).has_value());
}

TEST_F(NotifyStoreTest, DeliveredAndAcknowledgedEventsAreNotLoadedOnceOld) {
  Notifier notifier(config_);
  const Time now = Morning();
  (void)notifier.Ingest(Report(), now);
  (void)notifier.Tick(now);
  ASSERT_TRUE(
      notifier.OnSendOutcome(1, "n1-1", {SendOutcome::Kind::kAccepted, "0: Accepted"}, now).ok());
  ASSERT_TRUE(notifier.OnDeliveryReport(1, "n1-1", 1, now).ok());
  ASSERT_TRUE(notifier.Acknowledge(1, Actor::Operator("zhang"), now).ok());
  ASSERT_TRUE(Save(notifier).ok());
  auto recent = store::LoadNotifyState(*db_, now - std::chrono::hours(1));
  ASSERT_TRUE(recent.ok());
  EXPECT_EQ(recent->events.size(), 1u);
  auto later = store::LoadNotifyState(*db_, now + std::chrono::hours(1));
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->events.empty());
  EXPECT_EQ(later->max_message_id, 1);

  auto shown = store::ShowNotifyMessage(*db_, 1);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->first.message.state, MessageState::kDelivered);
  EXPECT_EQ(shown->first.event.acknowledged_by, "operator:zhang");
  ASSERT_EQ(shown->second.size(), 2u);
  EXPECT_EQ(shown->second[0].what, "accepted");
  EXPECT_EQ(shown->second[1].what, "report:1");
  EXPECT_EQ(store::ShowNotifyMessage(*db_, 9).status().code(), StatusCode::kNotFound);
  auto all = store::ListNotifyMessages(*db_, true, 10);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
  auto open = store::ListNotifyMessages(*db_, false, 10);
  ASSERT_TRUE(open.ok());
  EXPECT_TRUE(open->empty());
}

}  // namespace
}  // namespace anding::core::notify

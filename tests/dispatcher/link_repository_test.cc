#include "anding/store/link_repository.h"

#include <gtest/gtest.h>

#include "anding/common/strings.h"
#include "support/process.h"

namespace anding::store {
namespace {

class LinkRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(dir_.path() + "/link.db");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate("link", LinkMigrations()).ok());
  }
  EventRow Event(const std::string& unit, const std::string& id, int64_t us) {
    return EventRow{unit, id, 1, "early_warning", FromUnixMicros(us), FromUnixMicros(us), "",
                    "summary", "bytes"};
  }
  testing::TempDir dir_{"linkrepo"};
  std::unique_ptr<Database> db_;
};

TEST_F(LinkRepositoryTest, EventsAreUniquePerUnitAndMessage) {
  ASSERT_TRUE(InsertEvent(*db_, Event("mine-3", "id-1", 100)).ok());
  EXPECT_EQ(InsertEvent(*db_, Event("mine-3", "id-1", 200)).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(InsertEvent(*db_, Event("mine-6", "id-1", 300)).ok());
  auto found = FindEvent(*db_, "mine-3", "id-1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->received_at, FromUnixMicros(100));
  EXPECT_FALSE(FindEvent(*db_, "mine-3", "id-2")->has_value());
}

TEST_F(LinkRepositoryTest, ListsNewestFirstWithFiltersAndCounts) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(InsertEvent(*db_, Event(i % 2 ? "mine-6" : "mine-3", "id-" + std::to_string(i), i)).ok());
  }
  auto all = ListEvents(*db_, EventQuery{"", "", 3});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].message_id, "id-4");
  EXPECT_EQ(*CountEvents(*db_, EventQuery{"mine-3", "", 50}), 3u);
  EXPECT_EQ(*CountEvents(*db_, EventQuery{"", "daily_report", 50}), 0u);
  std::vector<std::string> recent;
  ASSERT_TRUE(ForEachEventSince(*db_, FromUnixMicros(3), [&](EventKey key) {
                recent.push_back(key.message_id);
              }).ok());
  EXPECT_EQ(recent, (std::vector<std::string>{"id-3", "id-4"}));
}

TEST_F(LinkRepositoryTest, OutboundOrdersStayPendingUntilAcked) {
  for (uint64_t seq = 1; seq <= 3; ++seq) {
    OutboundRow row{"zz-office", seq, StrCat("m", seq), StrCat("o", seq),
                    FromUnixMicros(10), std::nullopt, "env"};
    ASSERT_TRUE(InsertOutbound(*db_, row).ok());
  }
  ASSERT_TRUE(MarkOutboundAcked(*db_, "zz-office", "m2", FromUnixMicros(20)).ok());
  auto pending = LoadPendingOutbound(*db_);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].sequence, 1u);
  EXPECT_EQ((*pending)[1].sequence, 3u);
  auto sequences = LoadOutboundSequences(*db_);
  ASSERT_EQ(sequences->size(), 1u);
  EXPECT_EQ((*sequences)[0].second, 3u);
  // The same unit and sequence twice is refused by the store itself.
  OutboundRow again{"zz-office", 3, "m9", "o9", FromUnixMicros(30), std::nullopt, "env"};
  EXPECT_EQ(InsertOutbound(*db_, again).code(), StatusCode::kFailedPrecondition);
}

TEST_F(LinkRepositoryTest, AgentsAndCountersRoundTrip) {
  AgentRow row{"mine-3", true, FromUnixMicros(99), 42, 3};
  ASSERT_TRUE(SaveAgent(*db_, row).ok());
  row.online = false;
  ASSERT_TRUE(SaveAgent(*db_, row).ok());
  auto agents = LoadAgents(*db_);
  ASSERT_EQ(agents->size(), 1u);
  EXPECT_FALSE((*agents)[0].online);
  EXPECT_EQ((*agents)[0].last_sequence, 42u);
  EXPECT_EQ(*LoadCounter(*db_, "feed_sequence"), 0);
  ASSERT_TRUE(SaveCounter(*db_, "feed_sequence", 17).ok());
  EXPECT_EQ(*LoadCounter(*db_, "feed_sequence"), 17);
}

}  // namespace
}  // namespace anding::store

#include "anding/store/link_repository.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "anding/common/strings.h"
#include "support/process.h"

namespace anding::store {
namespace {

class LinkRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::Database::Open(dir_.path() + "/link.db");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate("link", LinkMigrations()).ok());
  }
  EventRow Event(const std::string& unit, const std::string& id, int64_t us) {
    return EventRow{unit,
                    id,
                    1,
                    "early_warning",
                    FromUnixMicros(us),
                    FromUnixMicros(us),
                    "",
                    "summary",
                    "bytes",
                    std::nullopt,
                    {},
                    ""};
  }
  testing::TempDir dir_{"linkrepo"};
  std::unique_ptr<storage::Database> db_;
};

TEST_F(LinkRepositoryTest, EventsAreUniquePerUnitAndMessage) {
  ASSERT_TRUE(InsertEvent(*db_, Event("mine-3", "id-1", 100)).ok());
  EXPECT_EQ(InsertEvent(*db_, Event("mine-3", "id-1", 200)).code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(InsertEvent(*db_, Event("mine-6", "id-1", 300)).ok());
  auto found = FindEvent(*db_, "mine-3", "id-1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->received_at, FromUnixMicros(100));
  EXPECT_FALSE(FindEvent(*db_, "mine-3", "id-2")->has_value());
}

// The dispatcher's I/O thread reads by key on one connection (a repeated
// envelope, a record a command names) while the commit thread writes on
// another: a read must not leave that connection's snapshot behind.
TEST_F(LinkRepositoryTest, FindingAnEventLeavesLaterReadsCurrent) {
  auto writer = storage::Database::Open(dir_.path() + "/link.db");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(InsertEvent(**writer, Event("mine-3", "id-1", 100)).ok());
  auto found = FindEvent(*db_, "mine-3", "id-1");
  ASSERT_TRUE(found.ok() && found->has_value());
  ASSERT_TRUE(InsertEvent(**writer, Event("mine-3", "id-2", 200)).ok());
  auto later = db_->Prepare("SELECT COUNT(*) FROM events");
  ASSERT_TRUE(later.ok());
  ASSERT_TRUE(later->Step().value_or(false));
  EXPECT_EQ(later->Int64(0), 2);
}

TEST_F(LinkRepositoryTest, ListsNewestFirstWithFiltersAndCounts) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        InsertEvent(*db_, Event(i % 2 ? "mine-6" : "mine-3", "id-" + std::to_string(i), i)).ok());
  }
  auto all = ListEvents(*db_, EventQuery{"", "", 3, ""});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].message_id, "id-4");
  EXPECT_EQ(*CountEvents(*db_, EventQuery{"mine-3", "", 50, ""}), 3u);
  EXPECT_EQ(*CountEvents(*db_, EventQuery{"", "daily_report", 50, ""}), 0u);
  std::vector<std::string> recent;
  ASSERT_TRUE(ForEachEventSince(*db_, FromUnixMicros(3), [&](EventKey key) {
                recent.push_back(key.message_id);
              }).ok());
  EXPECT_EQ(recent, (std::vector<std::string>{"id-3", "id-4"}));
}

TEST_F(LinkRepositoryTest, IdsFollowReceiptTimeAndStayUnique) {
  const int64_t t = 1'795'000'000'000'000;  // 2026 in µs
  ASSERT_TRUE(InsertEvent(*db_, Event("mine-3", "a", t)).ok());
  ASSERT_TRUE(InsertEvent(*db_, Event("mine-3", "b", t)).ok());         // same µs
  ASSERT_TRUE(InsertEvent(*db_, Event("mine-3", "c", t - 5000)).ok());  // clock went back
  ASSERT_TRUE(InsertEvent(*db_, Event("mine-3", "d", t + 9000)).ok());
  auto ids = db_->Prepare("SELECT id FROM events ORDER BY id");
  ASSERT_TRUE(ids.ok());
  std::vector<int64_t> got;
  while (*ids->Step()) got.push_back(ids->Int64(0));
  EXPECT_EQ(got, (std::vector<int64_t>{t, t + 1, t + 2, t + 9000}));
  std::vector<std::string> since;
  ASSERT_TRUE(ForEachEventSince(*db_, FromUnixMicros(t - 5000), [&](EventKey key) {
                since.push_back(key.message_id);
              }).ok());
  EXPECT_EQ(since, (std::vector<std::string>{"a", "b", "c", "d"}))
      << "an event whose clock went back is still found by its receipt time";
  // One unit's newest first follows the message ids (UUIDv7 in practice).
  auto listed = ListEvents(*db_, EventQuery{"mine-3", "", 2, ""});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].message_id, "d");
  EXPECT_EQ((*listed)[1].message_id, "c");
}

// A database written before schema 3 (ids were a count) keeps working: its
// recent events are still found for de-duplication, next to new ones.
TEST(LinkMigrationTest, EventsStoredBeforeTimeOrderedIdsAreStillFound) {
  testing::TempDir dir{"linkmig"};
  auto db = storage::Database::Open(dir.path() + "/link.db");
  ASSERT_TRUE(db.ok());
  auto before = LinkMigrations();
  before.resize(2);
  ASSERT_TRUE((*db)->Migrate("link", before).ok());
  const int64_t t = 1'795'000'000'000'000;
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE((*db)
                    ->Exec(StrCat("INSERT INTO events (id, unit_id, message_id, sequence, "
                                  "payload_kind, sent_at_us, received_at_us, summary, envelope) "
                                  "VALUES (",
                                  i, ", 'mine-3', 'old-", i, "', ", i, ", 'visit_record', 0, ",
                                  t + i * 1000, ", 's', x'00')"))
                    .ok());
  }
  ASSERT_TRUE((*db)->Migrate("link", LinkMigrations()).ok());
  EXPECT_EQ(*(*db)->SchemaVersion("link"), static_cast<int>(LinkMigrations().size()));
  EventRow row{
      "mine-3", "new-1", 4,   "visit_record",    FromUnixMicros(t),     FromUnixMicros(t + 5000),
      "",       "s",     "e", FromUnixMicros(t), std::chrono::hours(2), "corrected"};
  ASSERT_TRUE(InsertEvent(**db, row).ok());
  std::vector<std::string> since;
  ASSERT_TRUE(ForEachEventSince(**db, FromUnixMicros(t + 2000), [&](EventKey key) {
                since.push_back(key.message_id);
              }).ok());
  std::sort(since.begin(), since.end());
  EXPECT_EQ(since, (std::vector<std::string>{"new-1", "old-2", "old-3"}));
  // The judged filing time and the clock correction are kept with the event;
  // events stored before them have none.
  auto stored = FindEvent(**db, "mine-3", "new-1");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->filed_at, FromUnixMicros(t));
  EXPECT_EQ((*stored)->clock_correction, std::chrono::hours(2));
  EXPECT_EQ((*stored)->filed_at_basis, "corrected");
  auto old = FindEvent(**db, "mine-3", "old-2");
  ASSERT_TRUE(old.ok() && old->has_value());
  EXPECT_FALSE((*old)->filed_at.has_value());
  EXPECT_EQ((*old)->clock_correction, Duration::zero());
}

TEST_F(LinkRepositoryTest, OutboundOrdersStayPendingUntilAcked) {
  for (uint64_t seq = 1; seq <= 3; ++seq) {
    OutboundRow row{"zz-office",  seq,  StrCat("m", seq), StrCat("o", seq), FromUnixMicros(10),
                    std::nullopt, "env"};
    ASSERT_TRUE(InsertOutbound(*db_, row).ok());
  }
  for (uint64_t seq = 1; seq <= 2; ++seq) {
    OutboundRow row{"mine-3",     seq,  StrCat("n", seq), StrCat("p", seq), FromUnixMicros(10),
                    std::nullopt, "env"};
    ASSERT_TRUE(InsertOutbound(*db_, row).ok());
  }
  ASSERT_TRUE(MarkOutboundAcked(*db_, "zz-office", "m2", FromUnixMicros(20)).ok());
  ASSERT_TRUE(MarkOutboundAcked(*db_, "mine-3", "n1", FromUnixMicros(20)).ok());
  ASSERT_TRUE(MarkOutboundAcked(*db_, "mine-3", "n2", FromUnixMicros(20)).ok());
  auto pending = LoadPendingOutbound(*db_, "zz-office", 0, 3, 10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].sequence, 1u);
  EXPECT_EQ((*pending)[1].sequence, 3u);
  // After a sequence, up to one, at most a limit.
  pending = LoadPendingOutbound(*db_, "zz-office", 1, 3, 10);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].sequence, 3u);
  EXPECT_EQ(LoadPendingOutbound(*db_, "zz-office", 0, 2, 10)->size(), 1u);
  EXPECT_EQ(LoadPendingOutbound(*db_, "zz-office", 0, 3, 1)->size(), 1u);
  EXPECT_TRUE(LoadPendingOutbound(*db_, "mine-3", 0, 2, 10)->empty());
  // Counted per unit; a unit with every order acknowledged is left out.
  auto counts = CountPendingOutbound(*db_);
  ASSERT_TRUE(counts.ok());
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0], std::make_pair(std::string("zz-office"), uint64_t{2}));
  auto sequences = LoadOutboundSequences(*db_);
  ASSERT_TRUE(sequences.ok());
  ASSERT_EQ(sequences->size(), 2u);
  EXPECT_EQ((*sequences)[0], std::make_pair(std::string("mine-3"), uint64_t{2}));
  EXPECT_EQ((*sequences)[1], std::make_pair(std::string("zz-office"), uint64_t{3}));
  // The same unit and sequence twice is refused by the store itself.
  OutboundRow again{"zz-office", 3, "m9", "o9", FromUnixMicros(30), std::nullopt, "env"};
  EXPECT_EQ(InsertOutbound(*db_, again).code(), StatusCode::kFailedPrecondition);
}

TEST_F(LinkRepositoryTest, AgentsAndCountersRoundTrip) {
  AgentRow row{"mine-3", true, FromUnixMicros(99), 42, 3, 0, std::nullopt, {}};
  ASSERT_TRUE(SaveAgent(*db_, row).ok());
  auto agents = LoadAgents(*db_);
  ASSERT_EQ(agents->size(), 1u);
  EXPECT_FALSE((*agents)[0].clock_offset.has_value());
  row.online = false;
  row.clock_offset = -std::chrono::hours(2);
  row.clock_round_trip = std::chrono::milliseconds(12);
  ASSERT_TRUE(SaveAgent(*db_, row).ok());
  agents = LoadAgents(*db_);
  ASSERT_EQ(agents->size(), 1u);
  EXPECT_FALSE((*agents)[0].online);
  EXPECT_EQ((*agents)[0].last_sequence, 42u);
  EXPECT_EQ((*agents)[0].clock_offset, -std::chrono::hours(2));
  EXPECT_EQ((*agents)[0].clock_round_trip, std::chrono::milliseconds(12));
  EXPECT_EQ(*LoadCounter(*db_, "feed_sequence"), 0);
  ASSERT_TRUE(SaveCounter(*db_, "feed_sequence", 17).ok());
  EXPECT_EQ(*LoadCounter(*db_, "feed_sequence"), 17);
}

}  // namespace
}  // namespace anding::store

#include "anding/storage/database.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "support/process.h"

namespace anding::storage {
namespace {

using ::testing::HasSubstr;

std::vector<Migration> TwoSteps() {
  return {{1, "items",
           "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
           "amount INTEGER NOT NULL CHECK (amount >= 0));"},
          {2, "notes", "ALTER TABLE items ADD COLUMN note TEXT NOT NULL DEFAULT '';"}};
}

TEST(DatabaseTest, MigratesStepByStepAndOnlyOnce) {
  testing::TempDir dir("db");
  auto db = Database::Open(dir.path() + "/a.db");
  ASSERT_TRUE(db.ok()) << db.status();
  auto first = TwoSteps();
  first.pop_back();
  ASSERT_TRUE((*db)->Migrate("things", first).ok());
  EXPECT_EQ(*(*db)->SchemaVersion("things"), 1);
  ASSERT_TRUE((*db)->Migrate("things", TwoSteps()).ok());
  ASSERT_TRUE((*db)->Migrate("things", TwoSteps()).ok());  // idempotent
  EXPECT_EQ(*(*db)->SchemaVersion("things"), 2);
  EXPECT_EQ(*(*db)->SchemaVersion("other"), 0);
  ASSERT_TRUE((*db)->Exec("INSERT INTO items (name, amount, note) VALUES ('a', 1, 'x')").ok());
}

TEST(DatabaseTest, RefusesDataFromANewerBuild) {
  testing::TempDir dir("db");
  auto db = Database::Open(dir.path() + "/a.db");
  ASSERT_TRUE((*db)->Migrate("things", TwoSteps()).ok());
  auto older = TwoSteps();
  older.pop_back();
  const Status status = (*db)->Migrate("things", older);
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("schema version 2 but this build knows only up to 1"));
}

TEST(DatabaseTest, ConstraintViolationsAreFailedPreconditionAndRollBack) {
  testing::TempDir dir("db");
  auto db = Database::Open(dir.path() + "/a.db");
  ASSERT_TRUE((*db)->Migrate("things", TwoSteps()).ok());
  const Status status = InTransaction(**db, [&]() -> Status {
    ANDING_RETURN_IF_ERROR((*db)->Exec("INSERT INTO items (name, amount) VALUES ('a', 5)"));
    return (*db)->Exec("INSERT INTO items (name, amount) VALUES ('b', -1)");
  });
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("CHECK constraint failed"));
  auto count = (*db)->Prepare("SELECT COUNT(*) FROM items");
  ASSERT_TRUE(count.ok());
  ASSERT_TRUE(*count->Step());
  EXPECT_EQ(count->Int64(0), 0) << "the whole transaction must roll back";
}

TEST(DatabaseTest, TypedBindingRoundTripsUtf8AndBlobs) {
  testing::TempDir dir("db");
  auto db = Database::Open(dir.path() + "/a.db");
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t (a INTEGER, b TEXT, c BLOB, d INTEGER)").ok());
  auto insert = (*db)->Prepare("INSERT INTO t VALUES (?, ?, ?, ?)");
  ASSERT_TRUE(insert.ok());
  const std::string blob("\0\x01\xff", 3);
  insert->Bind(1, int64_t{-42}).Bind(2, "鹤壁三矿").BindBlob(3, blob).BindNull(4);
  ASSERT_TRUE(insert->Run().ok());
  auto select = (*db)->Prepare("SELECT a, b, c, d FROM t");
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->Int64(0), -42);
  EXPECT_EQ(select->Text(1), "鹤壁三矿");
  EXPECT_EQ(select->Blob(2), blob);
  EXPECT_FALSE(select->OptionalInt64(3).has_value());
}

TEST(DatabaseTest, OpeningAMissingDirectoryIsUnavailable) {
  EXPECT_EQ(Database::Open("/nonexistent/dir/x.db").status().code(), StatusCode::kUnavailable);
}

// An upgrade of several domains whose last step fails: nothing of it is
// stored, not even the steps of other domains that ran before it, so the
// file is exactly what the previous build wrote and that build still runs.
TEST(DatabaseTest, AFailingStepLeavesEveryDomainAsItWas) {
  testing::TempDir dir("db");
  auto db = Database::Open(dir.path() + "/a.db");
  ASSERT_TRUE(db.ok()) << db.status();
  auto first = TwoSteps();
  first.pop_back();
  ASSERT_TRUE((*db)
                  ->MigrateAll({{"things", first},
                                {"tags",
                                 {{1, "tags",
                                   "CREATE TABLE tags "
                                   "(t TEXT);"}}}})
                  .ok());
  ASSERT_TRUE((*db)->Exec("INSERT INTO items (name, amount) VALUES ('kept', 7)").ok());

  std::vector<Migration> broken_tags = {
      {1, "tags", "CREATE TABLE tags (t TEXT);"},
      {2, "tag owners", "CREATE TABLE tag_owners (o TEXT);"},
      // Deliberately wrong: the column does not exist.
      {3, "index", "CREATE INDEX tags_by_owner ON tags (owner);"}};
  auto pending = (*db)->PendingMigrations({{"things", TwoSteps()}, {"tags", broken_tags}});
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].domain, "things");
  EXPECT_EQ((*pending)[0].from, 1);
  EXPECT_EQ((*pending)[0].to, 2);
  EXPECT_EQ((*pending)[1].from, 1);
  EXPECT_EQ((*pending)[1].to, 3);

  const Status failed = (*db)->MigrateAll({{"things", TwoSteps()}, {"tags", broken_tags}});
  ASSERT_FALSE(failed.ok());
  EXPECT_THAT(failed.message(), HasSubstr("tags migration 3"));
  EXPECT_EQ(*(*db)->SchemaVersion("things"), 1);
  EXPECT_EQ(*(*db)->SchemaVersion("tags"), 1);
  // Neither "things" v2 (its column) nor "tags" v2 (its table) was kept.
  EXPECT_FALSE((*db)->Exec("SELECT note FROM items").ok());
  EXPECT_FALSE((*db)->Exec("SELECT o FROM tag_owners").ok());
  auto kept = (*db)->Prepare("SELECT amount FROM items WHERE name = 'kept'");
  ASSERT_TRUE(kept.ok());
  ASSERT_TRUE(*kept->Step());
  EXPECT_EQ(kept->Int64(0), 7);

  // Fixed, the same upgrade goes through in one piece.
  broken_tags[2].sql = "CREATE INDEX tags_by_text ON tags (t);";
  ASSERT_TRUE((*db)->MigrateAll({{"things", TwoSteps()}, {"tags", broken_tags}}).ok());
  EXPECT_EQ(*(*db)->SchemaVersion("things"), 2);
  EXPECT_EQ(*(*db)->SchemaVersion("tags"), 3);
}

TEST(DatabaseTest, PendingMigrationsRefuseANewerDomainByName) {
  testing::TempDir dir("db");
  auto db = Database::Open(dir.path() + "/a.db");
  ASSERT_TRUE((*db)->MigrateAll({{"things", TwoSteps()}}).ok());
  auto first = TwoSteps();
  first.pop_back();
  auto pending = (*db)->PendingMigrations({{"other", first}, {"things", first}});
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(pending.status().message(),
              HasSubstr("has things schema version 2 but this build knows only up to 1"));
  // Nothing ran: "other" was not created on the way.
  EXPECT_EQ(*(*db)->SchemaVersion("other"), 0);
}

}  // namespace
}  // namespace anding::storage

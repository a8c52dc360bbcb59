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

}  // namespace
}  // namespace anding::storage

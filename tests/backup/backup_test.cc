// Backups of a live SQLite store: a consistent copy while a writer commits,
// its manifest, the refusals, verification and restore.
#include "anding/backup/backup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "anding/storage/database.h"
#include "support/process.h"

namespace anding::backup {
namespace {

using ::testing::HasSubstr;

const Time kNow = FromUnixMicros(1'796'000'000'000'000);  // 2026-11-29T...Z

std::unique_ptr<storage::Database> OpenStore(const std::string& path) {
  auto db = storage::Database::Open(path);
  EXPECT_TRUE(db.ok()) << db.status();
  EXPECT_TRUE((*db)
                  ->MigrateAll({{"events",
                                 {{1, "events",
                                   "CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT NOT "
                                   "NULL)"}}},
                                {"units",
                                 {{1, "units", "CREATE TABLE units (id TEXT)"},
                                  {2, "names", "ALTER TABLE units ADD name TEXT"}}}})
                  .ok());
  return std::move(*db);
}

int64_t Count(const std::string& path, const std::string& sql) {
  storage::OpenOptions options;
  options.read_only = true;
  auto db = storage::Database::Open(path, options);
  EXPECT_TRUE(db.ok()) << db.status();
  auto s = (*db)->Prepare(sql);
  EXPECT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(*s->Step());
  return s->Int64(0);
}

void Insert(storage::Database& db, int count, int64_t& next) {
  ASSERT_TRUE(storage::InTransaction(db, [&]() -> Status {
                for (int i = 0; i < count; ++i) {
                  auto s = db.Cached("INSERT INTO events (id, body) VALUES (?, ?)");
                  if (!s.ok()) return s.status();
                  (*s)->Bind(1, next++).Bind(2, std::string(200, 'x'));
                  ANDING_RETURN_IF_ERROR((*s)->Run());
                }
                return OkStatus();
              }).ok());
}

TEST(BackupTest, NamesAreFileNamesOnly) {
  EXPECT_TRUE(CheckName("anding-20261204T101500Z.db").ok());
  EXPECT_TRUE(CheckName("before_v2.sqlite").ok());
  for (const std::string bad : {"", "../x.db", "a/b.db", "/etc/passwd", "a\\b", ".hidden",
                                "x.db.partial", "x.db.manifest", "sp ace.db", "名.db"}) {
    EXPECT_EQ(CheckName(bad).code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_THAT(CheckName("../x.db").message(), HasSubstr("path separator"));
  EXPECT_TRUE(CheckName(std::string(128, 'a')).ok());
  EXPECT_FALSE(CheckName(std::string(129, 'a')).ok());
  EXPECT_EQ(DefaultName("anding", kNow), "anding-" + CompactUtc(kNow) + ".db");
  EXPECT_EQ(CompactUtc(kNow).size(), 16u);
}

// The copy runs while a writer commits one event at a time as fast as it
// can; every event committed before the copy began is in it, the copy is
// consistent (its integrity check passes), and no commit waited long. The
// longest commit during the copy is printed: the figure for BENCHMARKS.md.
TEST(BackupTest, CopiesWhileAWriterCommitsAndNeverStallsIt) {
  testing::TempDir dir("backup");
  const std::string path = dir.path() + "/live.db";
  auto writer = OpenStore(path);
  int64_t next = 1;
  for (int i = 0; i < 20; ++i) Insert(*writer, 1000, next);  // 20,000 events, ~5 MB
  const int64_t before = next - 1;

  std::atomic<bool> done{false};
  std::chrono::steady_clock::duration longest{};
  int64_t commits_during = 0;
  std::thread committing([&] {
    while (!done) {
      const auto start = std::chrono::steady_clock::now();
      Insert(*writer, 1, next);
      longest = std::max(longest, std::chrono::steady_clock::now() - start);
      ++commits_during;
    }
  });
  CopyOptions options;
  options.pages_per_step = 16;
  auto taken = TakeBackup(path, dir.path() + "/backups", "copy.db", kNow, options);
  done = true;
  committing.join();
  ASSERT_TRUE(taken.ok()) << taken.status();

  const int64_t in_copy = Count(taken->path, "SELECT COUNT(*) FROM events");
  EXPECT_GE(in_copy, before);
  EXPECT_LE(in_copy, next - 1);
  // Every id up to the count: a snapshot, not pages from different moments.
  EXPECT_EQ(Count(taken->path, "SELECT MAX(id) FROM events"), in_copy);
  EXPECT_GT(taken->steps, 10);
  std::printf(
      "backup of %lld events (%lld bytes): %lld pages in %lld steps, %lld ms; "
      "%lld commits meanwhile, the longest %.1f ms\n",
      static_cast<long long>(in_copy), static_cast<long long>(taken->manifest.size_bytes),
      static_cast<long long>(taken->pages), static_cast<long long>(taken->steps),
      static_cast<long long>(taken->copy_time.count()), static_cast<long long>(commits_during),
      std::chrono::duration<double, std::milli>(longest).count());
  // Generous for a sanitized build on a shared machine; a reader in WAL
  // mode takes no lock the writer waits for.
  EXPECT_LT(longest, std::chrono::seconds(1));

  // The manifest says what the file holds.
  auto text = std::ifstream(taken->manifest_path);
  std::stringstream buffer;
  buffer << text.rdbuf();
  auto manifest = ParseManifest(buffer.str());
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  EXPECT_EQ(manifest->file, "copy.db");
  EXPECT_EQ(manifest->size_bytes, static_cast<int64_t>(std::filesystem::file_size(taken->path)));
  EXPECT_EQ(manifest->sha256, taken->manifest.sha256);
  EXPECT_EQ(manifest->source, path);
  EXPECT_EQ(manifest->schema, (std::vector<DomainVersion>{{"events", 1}, {"units", 2}}));
  // One file: no WAL beside it, nothing half-written left.
  EXPECT_FALSE(std::filesystem::exists(taken->path + "-wal"));
  EXPECT_FALSE(std::filesystem::exists(taken->path + ".partial"));
  auto verified = VerifyBackup(taken->path);
  ASSERT_TRUE(verified.ok()) << verified.status();
}

TEST(BackupTest, RefusesToOverwriteOrLeaveTheDirectory) {
  testing::TempDir dir("backup");
  const std::string path = dir.path() + "/live.db";
  auto writer = OpenStore(path);
  ASSERT_TRUE(TakeBackup(path, dir.path() + "/b", "one.db", kNow).ok());
  auto again = TakeBackup(path, dir.path() + "/b", "one.db", kNow);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  auto escape = TakeBackup(path, dir.path() + "/b", "../live.db", kNow);
  EXPECT_EQ(escape.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Count(path, "SELECT COUNT(*) FROM schema_migrations"), 3);
}

TEST(BackupTest, CancelledCopyLeavesNothing) {
  testing::TempDir dir("backup");
  const std::string path = dir.path() + "/live.db";
  auto writer = OpenStore(path);
  std::atomic<bool> cancel{true};
  CopyOptions options;
  options.cancel = &cancel;
  auto taken = TakeBackup(path, dir.path() + "/b", "x.db", kNow, options);
  EXPECT_EQ(taken.status().code(), StatusCode::kAborted);
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/b/x.db"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/b/x.db.partial"));
}

TEST(BackupTest, RestoreKeepsTheCurrentDatabaseWithItsWalAside) {
  testing::TempDir dir("backup");
  const std::string path = dir.path() + "/live.db";
  auto writer = OpenStore(path);
  int64_t next = 1;
  Insert(*writer, 10, next);
  auto taken = TakeBackup(path, dir.path() + "/b", "ten.db", kNow);
  ASSERT_TRUE(taken.ok()) << taken.status();
  Insert(*writer, 5, next);
  // As after kill -9: the last commits are only in the WAL.
  ASSERT_TRUE(std::filesystem::exists(path + "-wal"));
  std::filesystem::copy_file(path, dir.path() + "/crashed.db");
  std::filesystem::copy_file(path + "-wal", dir.path() + "/crashed.db-wal");
  writer.reset();
  std::filesystem::rename(dir.path() + "/crashed.db", path);
  std::filesystem::rename(dir.path() + "/crashed.db-wal", path + "-wal");

  auto restored = RestoreBackup(taken->path, path, kNow);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(Count(path, "SELECT COUNT(*) FROM events"), 10);
  ASSERT_FALSE(restored->kept_aside.empty());
  // The database that was there, with what only its WAL held.
  EXPECT_EQ(Count(restored->kept_aside, "SELECT COUNT(*) FROM events"), 15);
}

TEST(BackupTest, RestoreRefusesACorruptedCopyAndChangesNothing) {
  testing::TempDir dir("backup");
  const std::string path = dir.path() + "/live.db";
  auto writer = OpenStore(path);
  int64_t next = 1;
  Insert(*writer, 10, next);
  auto taken = TakeBackup(path, dir.path() + "/b", "ten.db", kNow);
  ASSERT_TRUE(taken.ok()) << taken.status();
  Insert(*writer, 5, next);
  writer.reset();
  {
    std::fstream file(taken->path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(3000);
    file.put('\x5a');
  }
  auto refused = RestoreBackup(taken->path, path, kNow);
  EXPECT_EQ(refused.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(refused.status().message(), HasSubstr("is not the file its manifest describes"));
  EXPECT_EQ(Count(path, "SELECT COUNT(*) FROM events"), 15);
  EXPECT_FALSE(std::filesystem::exists(path + ".restoring"));
  // Without a manifest there is nothing to verify against.
  std::filesystem::remove(taken->manifest_path);
  EXPECT_EQ(VerifyBackup(taken->path).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace anding::backup

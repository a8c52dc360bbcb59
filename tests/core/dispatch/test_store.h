// A fresh SQLite file per test with the dispatch schema, removed afterwards,
// and the save / load round trip the shell performs: DispatchModule::Changes,
// then store::SaveDispatchChanges in a transaction.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "anding/common/strings.h"
#include "anding/core/dispatch/dispatch_module.h"
#include "anding/storage/database.h"
#include "anding/store/dispatch_repository.h"

namespace anding::core::dispatch::testing {

class TempDatabase {
 public:
  TempDatabase() {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           StrCat("anding-dispatch-", ::getpid(), "-", counter++);
    std::filesystem::create_directories(dir_);
    Open();
  }
  ~TempDatabase() {
    db_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Closes and opens the file again (a process restart).
  void Open() {
    db_.reset();
    storage::OpenOptions options;
    options.durable = false;  // tests do not need fsync
    auto db = storage::Database::Open((dir_ / "dispatch.db").string(), options);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF").ok());
    const Status migrated = db_->Migrate("dispatch", store::DispatchMigrations());
    ASSERT_TRUE(migrated.ok()) << migrated;
  }

  storage::Database& db() { return *db_; }
  [[nodiscard]] std::filesystem::path dir() const { return dir_; }

  // Saves the records in `effects.changed` in one transaction, as the shell does.
  void Save(const DispatchModule& module, const Effects& effects) { Save(module, effects.changed); }
  // Saves every record of `module` (a whole module into a fresh file).
  void SaveAll(const DispatchModule& module) { Save(module, module.AllRecordRefs()); }
  void Save(const DispatchModule& module, const std::vector<RecordRef>& changed) {
    auto changes = module.Changes(changed);
    ASSERT_TRUE(changes.ok()) << changes.status();
    const Status status =
        storage::InTransaction(*db_, [&] { return store::SaveDispatchChanges(*db_, *changes); });
    ASSERT_TRUE(status.ok()) << status;
  }

  // A module rebuilt from what is stored.
  std::unique_ptr<DispatchModule> Load(const DispatchConfig& config, const Organisation& org) {
    auto snapshot = store::LoadDispatch(*db_);
    EXPECT_TRUE(snapshot.ok()) << snapshot.status();
    if (!snapshot.ok()) return nullptr;
    auto module = DispatchModule::Restore(config, org, std::move(*snapshot));
    EXPECT_TRUE(module.ok()) << module.status();
    return module.ok() ? std::move(*module) : nullptr;
  }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<storage::Database> db_;
};

}  // namespace anding::core::dispatch::testing

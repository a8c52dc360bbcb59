// What one more early warning costs when it attaches to a ledger item that
// already has many: every warning of a unit and category joins the same
// open item, adding a history entry and a warning link. Reports, at each
// size, the mean time per warning of the three steps the dispatcher takes:
//   core:    Ledger::ReceiveWarning (the state thread)
//   collect: Ledger::TakeChanges, the copy handed to the commit thread
//   save:    SaveLedgerChanges and COMMIT (the commit thread)
// and the pages each commit wrote (SQLITE_DBSTATUS_CACHE_WRITE: 4 KiB each,
// every one of them a WAL frame and later a checkpoint copy). Constant per-change
// costs stay flat as the item grows; anything proportional to the item's
// length grows with it.
//
//   ledger_item_growth_bench [--warnings N] [--dir DIR]
//
// DIR (default /dev/shm) holds the database; on tmpfs the commit's fsync
// costs nothing, so the figures are CPU time, not the disk's.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include "anding/common/strings.h"
#include "anding/core/ledger/ledger.h"
#include "anding/storage/database.h"
#include "anding/store/ledger_repository.h"

namespace anding::core::ledger {
namespace {

using Clock = std::chrono::steady_clock;

Organisation OneMine() {
  Region region;
  region.id = "hebi";
  region.name = "鹤壁";
  region.kind = RegionKind::kHomeCity;
  region.province = "henan";
  Unit unit;
  unit.id = "mine-1";
  unit.name = "一矿";
  unit.kind = UnitKind::kMine;
  unit.region_id = "hebi";
  unit.leaders.push_back(Person{"王矿长", "+8613800000001", "矿长"});
  unit.duty_contacts.push_back(Person{"李干事", "+8613800000002", "信访员"});
  return Organisation({region}, {unit}, DefaultCategories(), TimeZone::Shanghai());
}

// Pages written by `db` since the last call.
int PagesWritten(storage::Database& db) {
  int current = 0;
  int highwater = 0;
  sqlite3_db_status(db.handle(), SQLITE_DBSTATUS_CACHE_WRITE, &current, &highwater, /*reset=*/1);
  return current;
}

double Micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

int Run(int warnings, const std::string& dir) {
  const std::string path = StrCat(dir, "/ledger_item_growth_", getpid(), ".db");
  auto remove_files = [&] {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  };
  remove_files();
  auto opened = storage::Database::Open(path);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<storage::Database> db = std::move(*opened);
  if (Status migrated = db->Migrate("ledger", store::LedgerMigrations()); !migrated.ok()) {
    std::fprintf(stderr, "%s\n", migrated.ToString().c_str());
    return 1;
  }
  const Organisation org = OneMine();
  LedgerConfig config = DefaultLedgerConfig(org);
  config.track_from = CivilDay(2026, 3, 1);
  Ledger ledger(org, config);
  const Time t0 = FromUnixMicros(1'772'416'800'000'000);  // 2026-03-02 02:00 UTC

  std::printf("%-10s %-12s %-12s %-12s %-14s\n", "item_size", "core_us", "collect_us", "save_us",
              "pages_per_warning");
  Clock::duration core{}, collect{}, save{};
  int64_t pages = 0;
  int window = 0;
  int report_at = 100;
  for (int i = 1; i <= warnings; ++i) {
    EarlyWarningRequest request;
    request.summary = StrCat("职工反映待遇问题，第 ", i, " 次");
    request.details = "拟到矿部反映";
    request.category_id = "retiree-management";
    request.persons = 5;
    const Time now = t0 + std::chrono::seconds(i);
    Effects out;
    const auto a = Clock::now();
    auto outcome = ledger.ReceiveWarning(request, Actor::Agent("mine-1"), now, out);
    const auto b = Clock::now();
    auto changes = ledger.TakeChanges(out.changed);
    const auto c = Clock::now();
    if (!outcome.ok() || !changes.ok()) {
      std::fprintf(stderr, "warning %d: %s\n", i,
                   (!outcome.ok() ? outcome.status() : changes.status()).ToString().c_str());
      return 1;
    }
    const Status saved =
        storage::InTransaction(*db, [&] { return store::SaveLedgerChanges(*db, *changes); });
    const auto d = Clock::now();
    if (!saved.ok()) {
      std::fprintf(stderr, "warning %d: %s\n", i, saved.ToString().c_str());
      return 1;
    }
    core += b - a;
    collect += c - b;
    save += d - c;
    pages += PagesWritten(*db);
    ++window;
    if (i == report_at || i == warnings) {
      std::printf("%-10d %-12.1f %-12.1f %-12.1f %-14.1f\n", i, Micros(core) / window,
                  Micros(collect) / window, Micros(save) / window,
                  static_cast<double>(pages) / window);
      core = collect = save = {};
      pages = 0;
      window = 0;
      report_at *= 10;
      if (report_at > warnings) report_at = warnings;
    }
  }
  db.reset();
  remove_files();
  return 0;
}

}  // namespace
}  // namespace anding::core::ledger

int main(int argc, char** argv) {
  int warnings = 10000;
  std::string dir = "/dev/shm";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--warnings") == 0) {
      warnings = std::atoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--dir") == 0) {
      dir = argv[i + 1];
    } else {
      std::fprintf(stderr, "usage: %s [--warnings N] [--dir DIR]\n", argv[0]);
      return 2;
    }
  }
  if (warnings < 1) {
    std::fprintf(stderr, "--warnings must be at least 1\n");
    return 2;
  }
  return anding::core::ledger::Run(warnings, dir);
}

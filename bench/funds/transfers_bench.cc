// Durable transfers per second through the funds repository on SQLite (WAL,
// synchronous=FULL): one transaction (one fsync) per transfer versus N
// transfers per transaction, in the same run, reported as ratios.
//
// Each transfer is a real Funds::CreateTransfer (validation, running
// balances, Effects) followed by Funds::Changes and SaveFundsChanges, i.e.
// the rows the shell would write: the transfer (whose trigger updates both
// accounts' totals under their CHECK constraints) and the two accounts.
//
//   funds_transfers_bench [--dir DIR] [--single N] [--batched N] [--batches 10,100,1000]
//
// DIR (default: the current directory) holds one database file per mode,
// removed afterwards. Put it on a real disk, not tmpfs, or fsync is free.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "anding/common/strings.h"
#include "anding/core/funds/funds.h"
#include "anding/storage/database.h"
#include "anding/store/funds_repository.h"

namespace {

using anding::Status;
using anding::StrCat;
using anding::core::Actor;
using anding::core::Effects;
using anding::core::funds::Funds;
using anding::core::funds::FundsChangeSet;
using anding::core::funds::FundsConfig;
using anding::core::funds::FundsState;
using anding::core::funds::TransferRequest;
namespace store = anding::store;
namespace storage = anding::storage;

constexpr int kUnits = 8;

FundsConfig BenchConfig() {
  FundsConfig config;
  config.enabled = true;
  for (int i = 0; i < kUnits; ++i) {
    config.reserves.push_back({StrCat("unit-", i), StrCat("unit ", i), std::nullopt, 0});
  }
  config.expense_codes = anding::core::funds::DefaultExpenseCodes();
  config.opening_balances = {
      {"opening", "pool", anding::core::funds::kMaxAmountFen, "benchmark opening"}};
  return config;
}

struct Run {
  double seconds = 0;
  int64_t transfers = 0;
  int64_t commits = 0;
  [[nodiscard]] double per_second() const { return static_cast<double>(transfers) / seconds; }
};

[[noreturn]] void Die(const Status& status, const char* what) {
  std::fprintf(stderr, "funds_transfers_bench: %s: %s\n", what, status.ToString().c_str());
  std::exit(1);
}

std::string Pragma(storage::Database& db, const char* name) {
  auto stmt = db.Prepare(StrCat("PRAGMA ", name));
  if (!stmt.ok()) return "?";
  auto row = stmt->Step();
  return row.ok() && *row ? stmt->Text(0) : "?";
}

// `batch` transfers per transaction (1 = one commit per transfer).
Run Measure(const std::filesystem::path& dir, int64_t transfers, int64_t batch, bool report) {
  const std::filesystem::path path = dir / StrCat("funds_bench_", batch, ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  auto opened = storage::Database::Open(path.string());  // WAL, synchronous=FULL
  if (!opened.ok()) Die(opened.status(), "open");
  storage::Database& db = **opened;
  if (Status s = db.Migrate("funds", store::FundsMigrations()); !s.ok()) Die(s, "migrate");
  if (report) {
    std::printf("database %s: journal_mode=%s synchronous=%s (2 = FULL)\n", path.c_str(),
                Pragma(db, "journal_mode").c_str(), Pragma(db, "synchronous").c_str());
  }

  auto restored = Funds::Restore(BenchConfig(), FundsState{});
  if (!restored.ok()) Die(restored.status(), "restore");
  Funds& funds = *restored;
  anding::Time now = anding::FromUnixMicros(1'780'000'000'000'000);
  {
    Effects out;
    if (Status s = funds.ApplyConfig(now, out); !s.ok()) Die(s, "config");
    auto changes = funds.Changes(out.changed);
    if (!changes.ok()) Die(changes.status(), "changes");
    if (Status s =
            storage::InTransaction(db, [&] { return store::SaveFundsChanges(db, *changes); });
        !s.ok()) {
      Die(s, "save config");
    }
  }

  const Actor who = Actor::Operator("bench");
  std::vector<FundsChangeSet> pending;
  pending.reserve(static_cast<size_t>(batch));
  Run run;
  const auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < transfers; ++i) {
    now += std::chrono::milliseconds(1);
    const std::string unit = StrCat("reserve/unit-", (i / 2) % kUnits);
    // Alternately top a reserve up and spend from it: always valid.
    TransferRequest request =
        i % 2 == 0
            ? TransferRequest{StrCat("t", i), "pool", unit, 100, "top_up", "bench", ""}
            : TransferRequest{StrCat("t", i), unit, "expense/other", 100, "other", "bench", ""};
    Effects out;
    auto made = funds.CreateTransfer(request, who, now, out);
    if (!made.ok()) Die(made.status(), "transfer");
    auto changes = funds.Changes(out.changed);
    if (!changes.ok()) Die(changes.status(), "changes");
    pending.push_back(std::move(*changes));
    if (static_cast<int64_t>(pending.size()) == batch || i + 1 == transfers) {
      const Status s = storage::InTransaction(db, [&]() -> Status {
        for (const auto& batched : pending) {
          ANDING_RETURN_IF_ERROR(store::SaveFundsChanges(db, batched));
        }
        return anding::OkStatus();
      });
      if (!s.ok()) Die(s, "commit");
      pending.clear();
      ++run.commits;
    }
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.transfers = transfers;

  // The store agrees with the core: a reload rebuilds the same book.
  auto loaded = store::LoadFundsState(db);
  if (!loaded.ok()) Die(loaded.status(), "load");
  if (!(*loaded == funds.state())) {
    std::fprintf(stderr, "funds_transfers_bench: reloaded state differs\n");
    std::exit(1);
  }
  opened->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return run;
}

Run MeasureCoreOnly(int64_t transfers) {
  auto restored = Funds::Restore(BenchConfig(), FundsState{});
  if (!restored.ok()) Die(restored.status(), "restore");
  Funds& funds = *restored;
  anding::Time now = anding::FromUnixMicros(1'780'000'000'000'000);
  Effects config;
  if (Status s = funds.ApplyConfig(now, config); !s.ok()) Die(s, "config");
  const Actor who = Actor::Operator("bench");
  Run run;
  const auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < transfers; ++i) {
    const std::string unit = StrCat("reserve/unit-", (i / 2) % kUnits);
    TransferRequest request =
        i % 2 == 0
            ? TransferRequest{StrCat("t", i), "pool", unit, 100, "top_up", "bench", ""}
            : TransferRequest{StrCat("t", i), unit, "expense/other", 100, "other", "bench", ""};
    Effects out;
    if (!funds.CreateTransfer(request, who, now, out).ok()) Die(anding::OkStatus(), "transfer");
    auto changes = funds.Changes(out.changed);
    if (!changes.ok()) Die(changes.status(), "changes");
    if (changes->transfers.size() != 1) Die(anding::OkStatus(), "snapshot");
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.transfers = transfers;
  return run;
}

std::vector<int64_t> ParseList(const std::string& text) {
  std::vector<int64_t> values;
  size_t start = 0;
  while (start < text.size()) {
    const size_t comma = text.find(',', start);
    values.push_back(std::strtoll(text.substr(start, comma - start).c_str(), nullptr, 10));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return values;
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path dir = std::filesystem::current_path();
  int64_t single = 2000;
  int64_t batched = 50000;
  std::vector<int64_t> batches = {10, 100, 1000};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--dir") {
      dir = value;
    } else if (flag == "--single") {
      single = std::strtoll(value.c_str(), nullptr, 10);
    } else if (flag == "--batched") {
      batched = std::strtoll(value.c_str(), nullptr, 10);
    } else if (flag == "--batches") {
      batches = ParseList(value);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (argc % 2 == 0) {
    std::fprintf(stderr,
                 "usage: funds_transfers_bench [--dir DIR] [--single N] [--batched N] "
                 "[--batches 10,100,1000]\n");
    return 2;
  }

  const Run core = MeasureCoreOnly(batched);
  std::printf("core only (no store): %lld transfers in %.3f s = %.0f transfers/s\n",
              static_cast<long long>(core.transfers), core.seconds, core.per_second());
  const Run one = Measure(dir, single, 1, true);
  std::printf("\n%-24s %10s %8s %10s %14s %10s\n", "mode", "transfers", "commits", "seconds",
              "transfers/s", "vs single");
  std::printf("%-24s %10lld %8lld %10.3f %14.0f %10s\n", "single (1 per commit)",
              static_cast<long long>(one.transfers), static_cast<long long>(one.commits),
              one.seconds, one.per_second(), "1.0x");
  for (const int64_t batch : batches) {
    const Run run = Measure(dir, batched, batch, false);
    std::printf("%-24s %10lld %8lld %10.3f %14.0f %9.1fx\n",
                StrCat("batched ", batch, " per commit").c_str(),
                static_cast<long long>(run.transfers), static_cast<long long>(run.commits),
                run.seconds, run.per_second(), run.per_second() / one.per_second());
  }
  return 0;
}

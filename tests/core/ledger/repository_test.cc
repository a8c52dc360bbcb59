// The ledger repository: the module rebuilt from SQLite equals the module
// before, and timers that fired stay fired across a restart.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "anding/common/strings.h"
#include "anding/store/ledger_repository.h"
#include "core/ledger/fixture.h"

namespace anding::core::ledger {
namespace {

using std::chrono::hours;
using testing::At;
using ::testing::HasSubstr;
using testing::SampleRegistration;

// A query with the fields `set` sets.
store::LedgerItemQuery Query(const std::function<void(store::LedgerItemQuery&)>& set) {
  store::LedgerItemQuery query;
  set(query);
  return query;
}

class RepositoryTest : public testing::LedgerFixture {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::path(::testing::TempDir()) /
             StrCat("ledger_repository_",
                    ::testing::UnitTest::GetInstance()->current_test_info()->name(), ".db"))
                .string();
    RemoveFiles();
    config.track_from = CivilDay(2026, 3, 1);
    Reconfigure();
    OpenStore();
  }
  void TearDown() override {
    db_.reset();
    RemoveFiles();
  }

  void RemoveFiles() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  void OpenStore() {
    auto db = storage::Database::Open(path_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate("ledger", store::LedgerMigrations()).ok());
  }

  // Runs one command or Tick and commits what it changed, as the shell does.
  Effects Run(const std::function<Status(Effects&)>& command) {
    Effects out;
    const Status status = command(out);
    EXPECT_TRUE(status.ok()) << status;
    Persist(out);
    return out;
  }
  Effects Tick(Time now) {
    return Run([&](Effects& out) {
      ledger->Tick(now, out);
      return OkStatus();
    });
  }
  void Persist(const Effects& out) {
    auto changes = ledger->TakeChanges(out.changed);
    ASSERT_TRUE(changes.ok()) << changes.status();
    const Status status =
        storage::InTransaction(*db_, [&] { return store::SaveLedgerChanges(*db_, *changes); });
    ASSERT_TRUE(status.ok()) << status;
  }

  // A process restart: close the file, open it again, rebuild the module.
  void Restart() {
    db_.reset();
    OpenStore();
    auto snapshot = store::LoadLedger(*db_);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status();
    ledger = std::make_unique<Ledger>(org, config, std::move(*snapshot));
  }

  static size_t Count(const Effects& out, std::string_view alert_kind) {
    size_t n = 0;
    for (const HqAlert& alert : out.alerts) n += alert.kind == alert_kind ? 1 : 0;
    return n;
  }

  // A ledger with every kind of record and every optional field in use.
  void BuildRichLedger() {
    Tick(At("2026-03-01T01:00:00Z"));
    RegisterItemRequest request = SampleRegistration();
    request.key_persons = {"张某", "刘某"};
    request.deadline = At("2026-03-20T10:00:00.123456Z");
    std::string a;
    Run([&](Effects& out) {
      auto id = ledger->Register(request, Actor::Agent("mine-1"), t0, out);
      if (id.ok()) a = *id;
      return id.status();
    });
    Run([&](Effects& out) {
      UpdateItemRequest update;
      update.item_id = a;
      update.progress = "走访\"重点人\"，情绪稳定";
      update.updated_by = "李干事";
      update.level = RiskLevel::kHigh;
      return ledger->Update(update, Actor::Agent("mine-1"), t0 + hours(1), out);
    });
    Run([&](Effects& out) {
      return ledger->ExtendDeadline({a, At("2026-04-20T10:00:00Z"), "需社保部门配合", "王矿长"},
                                    Actor::Operator("zhang"), t0 + hours(2), out);
    });
    Run([&](Effects& out) {
      UpdateItemRequest update;
      update.item_id = a;
      update.resolution = "补发到位";
      return ledger->Update(update, Actor::Agent("mine-1"), t0 + hours(3), out);
    });
    Run([&](Effects& out) {
      return ledger->CloseOut(CloseOutRequest{a, "", "王矿长", t0 + hours(3)},
                              Actor::Agent("mine-1"), t0 + hours(4), out);
    });
    Run([&](Effects& out) {
      return ledger->Reopen(ReopenRequest{a, "再次聚集", At("2026-05-01T00:00:00Z")},
                            Actor::Operator("zhang"), t0 + hours(5), out);
    });
    // A major warning with every field, creating an item at mine-2.
    Run([&](Effects& out) {
      EarlyWarningRequest warning;
      warning.summary = "拟赴京上访";
      warning.details = "已购车票";
      warning.category_id = "labour-contract-compensation";
      warning.persons = 35;
      warning.level = RiskLevel::kCritical;
      warning.destination_region_id = "beijing";
      warning.destination_address = "国家信访局";
      warning.observed_at = t0 - hours(2);
      return ledger->ReceiveWarning(warning, Actor::Agent("mine-2"), t0, out).status();
    });
    // Screening: a zero report replaced by findings; a reminder for others.
    ScreeningReportRequest zero;
    zero.period = {PeriodKind::kTenDay, 2026, 3, 1};
    zero.zero_report = true;
    zero.screened_by = "钱干事";
    Run([&](Effects& out) {
      return ledger->FileScreening(zero, Actor::Agent("mine-2"), t0, out).status();
    });
    ScreeningReportRequest findings = zero;
    findings.zero_report = false;
    findings.remarks = "补报";
    findings.findings.push_back({"", "other", "食堂承包", 4, std::nullopt});
    findings.findings.push_back({"", "retiree-management", "统筹外待遇", 9, RiskLevel::kLow});
    Run([&](Effects& out) {
      return ledger->FileScreening(findings, Actor::Agent("mine-2"), t0 + hours(1), out).status();
    });
    // Daily reports with a correction.
    DailyReportRequest daily;
    daily.day = CivilDay(2026, 3, 2);
    daily.visit_batches = 1;
    daily.visit_persons = 3;
    daily.text = "接待1批3人";
    daily.reported_by = "李干事";
    Run([&](Effects& out) {
      return ledger->FileDailyReport(daily, Actor::Agent("mine-1"), t0, out).status();
    });
    daily.visit_persons = 4;
    Run([&](Effects& out) {
      return ledger->FileDailyReport(daily, Actor::Agent("mine-1"), t0 + hours(1), out).status();
    });
    // Timers: supervision, screening reminders, daily summaries.
    Tick(At("2026-03-12T16:00:00Z"));
  }

  std::string path_;
  std::unique_ptr<storage::Database> db_;
};

TEST_F(RepositoryTest, TheRebuiltStateEqualsTheStateBefore) {
  BuildRichLedger();
  const LedgerSnapshot before = ledger->Snapshot();
  // Sanity: the scenario produced every kind of record.
  ASSERT_GE(before.items.size(), 4u);
  ASSERT_EQ(before.warnings.size(), 1u);
  ASSERT_EQ(before.screenings.size(), 1u);
  ASSERT_FALSE(before.screening_reminders.empty());
  ASSERT_EQ(before.daily_reports.size(), 1u);
  ASSERT_EQ(before.daily_reports[0].earlier.size(), 1u);
  ASSERT_EQ(before.screenings[0].earlier.size(), 1u);
  ASSERT_TRUE(before.meta.last_daily_summary_run.has_value());
  ASSERT_FALSE(before.meta.screening_checked_through.empty());
  bool notified = false;
  for (const LedgerItem& item : before.items) notified = notified || item.overdue_notified_day;
  ASSERT_TRUE(notified);

  Restart();
  EXPECT_EQ(ledger->Snapshot(), before);
  auto loaded = store::LoadLedger(*db_);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, before);  // same order as the snapshot documents
  // Microseconds survive (the deadline above has a fractional second).
  EXPECT_EQ(ledger->FindItem("TZ-2026-0001")->history[2].changes[0].before,
            "2026-03-20T10:00:00.123Z");

  // The counters survived too: the next id continues the sequence.
  EXPECT_EQ(Register(At("2026-03-13T02:00:00Z")),
            StrCat("TZ-2026-", fmt::format("{:04d}", before.items.size() + 1)));
}

TEST_F(RepositoryTest, SupervisionFiresOncePerDayAcrossARestart) {
  Tick(t0 - hours(1));
  std::string id;
  Run([&](Effects& out) {
    RegisterItemRequest request = SampleRegistration();
    auto registered = ledger->Register(request, Actor::Agent("mine-1"), t0, out);
    if (registered.ok()) id = *registered;
    return registered.status();
  });
  EXPECT_EQ(Count(Tick(t0 + hours(24)), "ledger_overdue"), 1u);
  Restart();
  EXPECT_EQ(ledger->FindItem(id)->overdue_notified_day, CivilDay(2026, 3, 3));
  EXPECT_EQ(Count(Tick(t0 + hours(24)), "ledger_overdue"), 0u);
  EXPECT_EQ(Count(Tick(t0 + hours(30)), "ledger_overdue"), 0u);
  Restart();
  EXPECT_EQ(Count(Tick(t0 + hours(38)), "ledger_overdue"), 1u);  // the next local day
}

TEST_F(RepositoryTest, RemindersAndSummariesFireOnceAcrossARestart) {
  Tick(At("2026-03-01T01:00:00Z"));
  const Effects first = Tick(At("2026-03-12T16:00:00Z"));
  EXPECT_EQ(Count(first, "report_overdue"), 3u);
  EXPECT_EQ(Count(first, "daily_summary"), 1u);
  Restart();
  const Effects second = Tick(At("2026-03-12T16:00:00Z"));
  EXPECT_EQ(Count(second, "report_overdue"), 0u);
  EXPECT_EQ(Count(second, "daily_summary"), 0u);
  EXPECT_TRUE(second.orders.empty());
  EXPECT_EQ(ledger->NextWakeup(), At("2026-03-13T00:30:00Z"));
}

TEST_F(RepositoryTest, MigrationsAreVersionedAndIdempotent) {
  ASSERT_TRUE(db_->Migrate("ledger", store::LedgerMigrations()).ok());
  auto version = db_->SchemaVersion("ledger");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 6);
  auto empty = store::LoadLedger(*db_);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, LedgerSnapshot{});
}

// Version 3 rebuilds the items table (an item may come from an incident):
// items written at version 2, with their logs, load the same after it, and
// an item of source "incident" is stored.
TEST_F(RepositoryTest, VersionThreeKeepsItemsAndTheirLogs) {
  db_.reset();
  RemoveFiles();
  {
    auto db = storage::Database::Open(path_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    auto migrations = store::LedgerMigrations();
    migrations.resize(2);
    ASSERT_TRUE(db_->Migrate("ledger", migrations).ok());
  }
  Run([&](Effects& out) {
    return ledger->Register(SampleRegistration(), Actor::Agent("mine-1"), t0, out).status();
  });
  const auto before = store::LoadLedger(*db_);
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_FALSE(before->items.empty());
  auto up_to_three = store::LedgerMigrations();
  up_to_three.resize(3);
  ASSERT_TRUE(db_->Migrate("ledger", up_to_three).ok());
  EXPECT_EQ(*db_->SchemaVersion("ledger"), 3);
  const auto after = store::LoadLedger(*db_);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, *before);

  RegisterItemRequest follow_up = SampleRegistration();
  follow_up.unit_id = "mine-1";
  follow_up.source = ItemSource::kIncident;
  follow_up.source_ref = "INC-20260301-001";
  Run([&](Effects& out) { return ledger->Register(follow_up, Actor::System(), t0, out).status(); });
  Restart();
  bool found = false;
  const auto reloaded = store::LoadLedger(*db_);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  for (const auto& item : reloaded->items) {
    if (item.source == ItemSource::kIncident) {
      found = true;
      EXPECT_EQ(item.source_ref, "INC-20260301-001");
    }
  }
  EXPECT_TRUE(found);
  // The logs still refer to their items.
  EXPECT_TRUE(
      db_->Exec("INSERT INTO ledger_item_warnings VALUES ('TZ-9999-0001', 0, 'x')").code() !=
      StatusCode::kOk);
}

// The dispatcher loads what is open or recent (LoadOpenLedger); a
// closed-out item is read by key, recalled into the ledger and reopened,
// and the store then holds its whole log once, in sequence.
TEST_F(RepositoryTest, TheOpenLoadLeavesOldClosedOutItemsToBeReadByKeyAndReopened) {
  Tick(At("2026-03-01T01:00:00Z"));
  std::string closed;
  std::string open;
  Run([&](Effects& out) {
    auto id = ledger->Register(SampleRegistration(), Actor::Agent("mine-1"), t0, out);
    if (id.ok()) closed = *id;
    return id.status();
  });
  Run([&](Effects& out) {
    auto id = ledger->Register(SampleRegistration(), Actor::Agent("mine-1"), t0 + hours(1), out);
    if (id.ok()) open = *id;
    return id.status();
  });
  Run([&](Effects& out) {
    UpdateItemRequest update;
    update.item_id = closed;
    update.resolution = "补发到位";
    return ledger->Update(update, Actor::Agent("mine-1"), t0 + hours(2), out);
  });
  Run([&](Effects& out) {
    return ledger->CloseOut(CloseOutRequest{closed, "", "王矿长", std::nullopt},
                            Actor::Agent("mine-1"), t0 + hours(3), out);
  });
  const auto everything = store::LoadLedger(*db_);
  ASSERT_TRUE(everything.ok()) << everything.status();
  ASSERT_EQ(everything->items.size(), 2u);
  const LedgerItem stored_closed = everything->items[0];
  ASSERT_EQ(stored_closed.id, closed);
  ASSERT_EQ(stored_closed.state, ItemState::kClosedOut);

  auto ids = [](const std::vector<LedgerItem>& items) {
    std::vector<std::string> result;
    for (const LedgerItem& item : items) result.push_back(item.id);
    return result;
  };
  using V = std::vector<std::string>;
  // Closed out before `since`: not held; at or after it: held.
  const auto later = store::LoadOpenLedger(*db_, t0 + hours(4));
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(ids(later->items), V{open});
  const auto earlier = store::LoadOpenLedger(*db_, t0 + hours(3));
  ASSERT_TRUE(earlier.ok()) << earlier.status();
  EXPECT_EQ(ids(earlier->items), (V{closed, open}));
  EXPECT_EQ(earlier->items[0], stored_closed);

  // The queries the module runs on the query thread.
  auto query = [&](const store::LedgerItemQuery& q) {
    auto items = store::LoadLedgerItems(*db_, q);
    EXPECT_TRUE(items.ok()) << items.status();
    return items.ok() ? ids(*items) : V{};
  };
  EXPECT_EQ(query({}), (V{closed, open}));
  EXPECT_EQ(query(Query([&](store::LedgerItemQuery& q) { q.unit_id = "mine-1"; })),
            (V{closed, open}));
  EXPECT_EQ(query(Query([&](store::LedgerItemQuery& q) { q.unit_id = "mine-2"; })), V{});
  EXPECT_EQ(query(Query([&](store::LedgerItemQuery& q) { q.registered_from = t0 + hours(1); })),
            V{open});
  EXPECT_EQ(query(Query([&](store::LedgerItemQuery& q) { q.registered_before = t0 + hours(1); })),
            V{closed});
  EXPECT_EQ(query(Query([&](store::LedgerItemQuery& q) { q.open_since = t0 + hours(4); })),
            V{open});
  EXPECT_EQ(query(Query([&](store::LedgerItemQuery& q) { q.open_since = t0 + hours(3); })),
            (V{closed, open}));
  EXPECT_EQ(query(Query([&](store::LedgerItemQuery& q) { q.not_closed_out = true; })), V{open});

  auto found = store::FindLedgerItem(*db_, closed);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, stored_closed);
  auto missing = store::FindLedgerItem(*db_, "TZ-2026-9999");
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_FALSE(missing->has_value());

  // A restart as the dispatcher does it, then a rebound of the old item.
  db_.reset();
  OpenStore();
  auto held = store::LoadOpenLedger(*db_, t0 + hours(4));
  ASSERT_TRUE(held.ok()) << held.status();
  ledger = std::make_unique<Ledger>(org, config, std::move(*held));
  ASSERT_EQ(ledger->FindItem(closed), nullptr);
  {
    Effects out;
    EXPECT_EQ(ledger
                  ->Reopen({closed, "又来上访", std::nullopt}, Actor::Operator("zhang"),
                           t0 + hours(5), out)
                  .code(),
              StatusCode::kNotFound);
  }
  auto read = store::FindLedgerItem(*db_, closed);
  ASSERT_TRUE(read.ok() && read->has_value());
  ledger->Recall(std::move(**read));
  Run([&](Effects& out) {
    return ledger->Reopen({closed, "又来上访", std::nullopt}, Actor::Operator("zhang"),
                          t0 + hours(5), out);
  });
  const auto after = store::FindLedgerItem(*db_, closed);
  ASSERT_TRUE(after.ok() && after->has_value()) << after.status();
  EXPECT_EQ((*after)->state, ItemState::kReopened);
  ASSERT_EQ((*after)->history.size(), stored_closed.history.size() + 1);
  EXPECT_TRUE(std::equal(stored_closed.history.begin(), stored_closed.history.end(),
                         (*after)->history.begin()));
  EXPECT_EQ((*after)->history.back().action, kActionReopened);
  EXPECT_EQ(*ledger->FindItem(closed), **after);
}

// A start holds the daily reports of the last days only (LoadOpenLedger
// with reports_since), a long run lets go of older ones
// (HoldDailyReportsSince), and a re-filing of an earlier day's report reads
// the stored one first: it is revised exactly as if every report were held.
TEST_F(RepositoryTest, EarlierDaysDailyReportsStayInTheStoreAndAreReadForARefiling) {
  Tick(At("2026-03-01T01:00:00Z"));
  const Time now = At("2026-03-10T02:00:00Z");
  auto file = [&](Ledger& book, const char* unit, CivilDay day,
                  uint32_t persons) -> Result<DailyReportOutcome> {
    DailyReportRequest daily;
    daily.day = day;
    daily.visit_batches = 1;
    daily.visit_persons = persons;
    daily.reported_by = "李干事";
    Effects out;
    ANDING_ASSIGN_OR_RETURN(DailyReportOutcome outcome,
                            book.FileDailyReport(daily, Actor::Agent(unit), now, out));
    ANDING_ASSIGN_OR_RETURN(auto changes, book.TakeChanges(out.changed));
    ANDING_RETURN_IF_ERROR(
        storage::InTransaction(*db_, [&] { return store::SaveLedgerChanges(*db_, changes); }));
    return outcome;
  };
  for (const int day : {2, 8, 9, 10}) {
    ASSERT_TRUE(file(*ledger, "mine-1", CivilDay(2026, 3, day), 3).ok());
  }
  ASSERT_TRUE(file(*ledger, "mine-2", CivilDay(2026, 3, 9), 3).ok());

  const CivilDay since(2026, 3, 8);
  auto held = store::LoadOpenLedger(*db_, now, since);
  ASSERT_TRUE(held.ok()) << held.status();
  ASSERT_EQ(held->daily_reports.size(), 4u);
  for (const auto& report : held->daily_reports) EXPECT_GE(report.day, since) << report.unit_id;
  auto every = store::LoadOpenLedger(*db_, now);
  ASSERT_TRUE(every.ok()) << every.status();
  EXPECT_EQ(every->daily_reports.size(), 5u);
  auto old = store::FindDailyReport(*db_, "mine-1", CivilDay(2026, 3, 2));
  ASSERT_TRUE(old.ok() && old->has_value()) << old.status();
  EXPECT_EQ(**old, *ledger->FindDailyReport("mine-1", CivilDay(2026, 3, 2)));
  EXPECT_FALSE(store::FindDailyReport(*db_, "mine-2", CivilDay(2026, 3, 2))->has_value());
  auto of_day = store::LoadDailyReportsOn(*db_, CivilDay(2026, 3, 9));
  ASSERT_TRUE(of_day.ok()) << of_day.status();
  ASSERT_EQ(of_day->size(), 2u);
  EXPECT_EQ((*of_day)[0].unit_id, "mine-1");
  EXPECT_EQ((*of_day)[1].unit_id, "mine-2");

  // A start: the earlier day's report is not held; re-filed, it is read
  // from the store and revised, and an identical one changes nothing.
  Ledger started(org, config, std::move(*held));
  storage::Database* db = db_.get();
  started.HoldDailyReportsSince(since, [db](std::string_view unit, CivilDay day) {
    return store::FindDailyReport(*db, unit, day);
  });
  EXPECT_EQ(started.FindDailyReport("mine-1", CivilDay(2026, 3, 2)), nullptr);
  auto revised = file(started, "mine-1", CivilDay(2026, 3, 2), 4);
  ASSERT_TRUE(revised.ok()) << revised.status();
  EXPECT_EQ(revised->revision, 2u);
  EXPECT_FALSE(revised->unchanged);
  auto stored = store::FindDailyReport(*db_, "mine-1", CivilDay(2026, 3, 2));
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->revision, 2u);
  ASSERT_EQ((*stored)->earlier.size(), 1u);
  EXPECT_EQ((*stored)->earlier[0].content.visit_persons, 3u);
  Ledger again(org, config, std::move(*store::LoadOpenLedger(*db_, now, since)));
  again.HoldDailyReportsSince(since, [db](std::string_view unit, CivilDay day) {
    return store::FindDailyReport(*db, unit, day);
  });
  auto same = file(again, "mine-1", CivilDay(2026, 3, 2), 4);
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_TRUE(same->unchanged);
  EXPECT_EQ(same->revision, 2u);
  // Without a store to ask, the source's error refuses the filing.
  Ledger refused(org, config, std::move(*store::LoadOpenLedger(*db_, now, since)));
  refused.HoldDailyReportsSince(since, [](std::string_view, CivilDay) {
    return Result<std::optional<DailyReportRecord>>(UnavailableError("store down"));
  });
  EXPECT_EQ(file(refused, "mine-1", CivilDay(2026, 3, 2), 5).status().code(),
            StatusCode::kUnavailable);

  // A long run lets go of the days before, and never takes them back.
  ledger->HoldDailyReportsSince(CivilDay(2026, 3, 9), nullptr);
  EXPECT_EQ(ledger->FindDailyReport("mine-1", CivilDay(2026, 3, 8)), nullptr);
  EXPECT_NE(ledger->FindDailyReport("mine-1", CivilDay(2026, 3, 9)), nullptr);
  ledger->HoldDailyReportsSince(since, nullptr);
  EXPECT_EQ(ledger->daily_reports_since(), CivilDay(2026, 3, 9));
  // With no store to ask, an earlier day's filing is refused, not taken
  // for a first one.
  EXPECT_EQ(file(*ledger, "mine-1", CivilDay(2026, 3, 2), 9).status().code(),
            StatusCode::kUnavailable);
}

// A start holds the screening reports and reminders of the periods not
// yet checked only (LoadOpenLedger with recent_since), a long run lets go of
// the checked ones (HoldUncheckedScreenings), a re-filing of a checked
// period's report reads the stored one first, and a checked period's status
// read from the store (LoadScreeningsOf) is the one the ledger gave.
TEST_F(RepositoryTest, CheckedPeriodsScreeningsStayInTheStoreAndAreReadForARefiling) {
  const Period t1{PeriodKind::kTenDay, 2026, 3, 1};
  const Period t2{PeriodKind::kTenDay, 2026, 3, 2};
  const Period march{PeriodKind::kMonth, 2026, 3, 0};
  auto file = [&](Ledger& book, const char* unit, const Period& period, const char* remarks,
                  Time at) -> Result<ScreeningOutcome> {
    ScreeningReportRequest zero;
    zero.period = period;
    zero.zero_report = true;
    zero.screened_by = "钱干事";
    zero.remarks = remarks;
    Effects out;
    ANDING_ASSIGN_OR_RETURN(ScreeningOutcome outcome,
                            book.FileScreening(zero, Actor::Agent(unit), at, out));
    ANDING_ASSIGN_OR_RETURN(auto changes, book.TakeChanges(out.changed));
    ANDING_RETURN_IF_ERROR(
        storage::InTransaction(*db_, [&] { return store::SaveLedgerChanges(*db_, changes); }));
    return outcome;
  };
  // Before tracking starts no period is checked: every report is held.
  ASSERT_TRUE(file(*ledger, "mine-1", t1, "", At("2026-03-01T00:30:00Z")).ok());
  auto untracked = store::LoadOpenLedger(*db_, At("2026-03-01T00:30:00Z"), CivilDay(2026, 2, 27));
  ASSERT_TRUE(untracked.ok()) << untracked.status();
  EXPECT_EQ(untracked->screenings.size(), 1u);
  Tick(At("2026-03-01T01:00:00Z"));
  ASSERT_TRUE(file(*ledger, "mine-2", t1, "", At("2026-03-10T02:00:00Z")).ok());
  // T1 is checked (due 12 March 16:00Z): factory-1 is reminded.
  const Time now = At("2026-03-13T02:00:00Z");
  EXPECT_EQ(Count(Tick(now), "report_overdue"), 1u);
  ASSERT_TRUE(file(*ledger, "mine-1", t2, "", now).ok());
  ASSERT_TRUE(file(*ledger, "mine-2", march, "", now).ok());
  const std::vector<ScreeningStatusRow> t1_status = ledger->ScreeningStatus(t1, now);

  const CivilDay since(2026, 3, 11);
  auto held = store::LoadOpenLedger(*db_, now, since);
  ASSERT_TRUE(held.ok()) << held.status();
  ASSERT_EQ(held->screenings.size(), 2u);
  for (const auto& record : held->screenings) EXPECT_NE(record.period, t1) << record.unit_id;
  EXPECT_TRUE(held->screening_reminders.empty());
  auto every = store::LoadOpenLedger(*db_, now);
  ASSERT_TRUE(every.ok()) << every.status();
  EXPECT_EQ(every->screenings.size(), 4u);
  EXPECT_EQ(every->screening_reminders.size(), 1u);
  auto old = store::FindScreeningReport(*db_, "mine-1", t1);
  ASSERT_TRUE(old.ok() && old->has_value()) << old.status();
  EXPECT_EQ(**old, *ledger->FindScreening("mine-1", t1));
  EXPECT_FALSE(store::FindScreeningReport(*db_, "factory-1", t1)->has_value());
  auto of_t1 = store::LoadScreeningsOf(*db_, t1);
  ASSERT_TRUE(of_t1.ok()) << of_t1.status();
  ASSERT_EQ(of_t1->screenings.size(), 2u);
  ASSERT_EQ(of_t1->screening_reminders.size(), 1u);
  const Ledger over(org, config, std::move(*of_t1));
  const std::vector<ScreeningStatusRow> read_status = over.ScreeningStatus(t1, now);
  ASSERT_EQ(read_status.size(), t1_status.size());
  for (size_t i = 0; i < t1_status.size(); ++i) {
    const ScreeningStatusRow& a = read_status[i];
    const ScreeningStatusRow& b = t1_status[i];
    EXPECT_EQ(
        std::tie(a.unit_id, a.filed, a.zero_report, a.overdue, a.late, a.filed_at, a.reminded_at),
        std::tie(b.unit_id, b.filed, b.zero_report, b.overdue, b.late, b.filed_at, b.reminded_at))
        << b.unit_id;
  }

  // A start: the checked period's reports are not held; re-filed, the
  // stored one is read and revised, and an identical one changes nothing.
  storage::Database* db = db_.get();
  auto stored_screenings = [db](std::string_view unit, const Period& period) {
    return store::FindScreeningReport(*db, unit, period);
  };
  Ledger started(org, config, std::move(*held));
  started.HoldUncheckedScreenings(stored_screenings);
  EXPECT_FALSE(started.HoldsScreeningsOf(t1));
  EXPECT_TRUE(started.HoldsScreeningsOf(t2));
  EXPECT_TRUE(started.HoldsScreeningsOf(march));
  EXPECT_EQ(started.FindScreening("mine-1", t1), nullptr);
  auto revised = file(started, "mine-1", t1, "补充说明", now);
  ASSERT_TRUE(revised.ok()) << revised.status();
  EXPECT_EQ(revised->revision, 2u);
  EXPECT_FALSE(revised->unchanged);
  EXPECT_FALSE(revised->late) << "lateness is the first filing's";
  auto stored = store::FindScreeningReport(*db_, "mine-1", t1);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->revision, 2u);
  ASSERT_EQ((*stored)->earlier.size(), 1u);
  EXPECT_EQ((*stored)->earlier[0].content.remarks, "");
  Ledger again(org, config, std::move(*store::LoadOpenLedger(*db_, now, since)));
  again.HoldUncheckedScreenings(stored_screenings);
  auto same = file(again, "mine-1", t1, "补充说明", now);
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_TRUE(same->unchanged);
  EXPECT_EQ(same->revision, 2u);
  // Without a store to ask, or with its error, the filing is refused.
  Ledger refused(org, config, std::move(*store::LoadOpenLedger(*db_, now, since)));
  refused.HoldUncheckedScreenings([](std::string_view, const Period&) {
    return Result<std::optional<ScreeningRecord>>(UnavailableError("store down"));
  });
  EXPECT_EQ(file(refused, "mine-2", t1, "x", now).status().code(), StatusCode::kUnavailable);
  refused.HoldUncheckedScreenings(nullptr);
  EXPECT_EQ(file(refused, "mine-2", t1, "x", now).status().code(), StatusCode::kUnavailable);

  // A long run lets go of the checked period's reports and reminders.
  ledger->HoldUncheckedScreenings(nullptr);
  EXPECT_EQ(ledger->FindScreening("mine-2", t1), nullptr);
  EXPECT_EQ(ledger->FindScreeningReminder("factory-1", t1), nullptr);
  EXPECT_NE(ledger->FindScreening("mine-1", t2), nullptr);
  EXPECT_NE(ledger->FindScreening("mine-2", march), nullptr);
  EXPECT_EQ(ledger->Snapshot().screenings.size(), 2u);
}

TEST_F(RepositoryTest, AnUndecodableRowIsDataLoss) {
  Register(t0);
  Run([&](Effects& out) {
    RegisterItemRequest request = SampleRegistration();
    return ledger->Register(request, Actor::Agent("mine-1"), t0, out).status();
  });
  ASSERT_TRUE(
      db_->Exec("UPDATE ledger_items SET key_persons = '[1' WHERE id = 'TZ-2026-0002'").ok());
  auto loaded = store::LoadLedger(*db_);
  EXPECT_EQ(loaded.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(loaded.status().message(),
              HasSubstr("ledger_items row 'TZ-2026-0002': key_persons: malformed JSON"));
  ASSERT_TRUE(db_->Exec("UPDATE ledger_items SET key_persons = '[]'").ok());
  ASSERT_TRUE(db_->Exec("UPDATE ledger_item_history SET changes = '{' WHERE seq = 0 AND "
                        "item_id = 'TZ-2026-0002'")
                  .ok());
  loaded = store::LoadLedger(*db_);
  EXPECT_EQ(loaded.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(loaded.status().message(),
              HasSubstr("ledger_item_history row 'TZ-2026-0002/0': changes: malformed JSON"));
  ASSERT_TRUE(db_->Exec("UPDATE ledger_item_history SET changes = '[{\"field\": 1}]' WHERE seq "
                        "= 0 AND item_id = 'TZ-2026-0002'")
                  .ok());
  loaded = store::LoadLedger(*db_);
  EXPECT_THAT(loaded.status().message(),
              HasSubstr("ledger_item_history row 'TZ-2026-0002/0': changes: entry 0: field: is "
                        "not a string"));
  ASSERT_TRUE(db_->Exec("UPDATE ledger_item_history SET changes = '[]'").ok());
  ASSERT_TRUE(db_->Exec("UPDATE ledger_items SET responsible_leader = '{\"name\": \"王\"}' "
                        "WHERE id = 'TZ-2026-0002'")
                  .ok());
  loaded = store::LoadLedger(*db_);
  EXPECT_EQ(loaded.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(loaded.status().message(),
              HasSubstr("ledger_items row 'TZ-2026-0002': responsible_leader: phone: missing"));
}

TEST_F(RepositoryTest, AnUnknownNameOrActorIsDataLossNamingTheField) {
  Run([&](Effects& out) {
    return ledger->Register(SampleRegistration(), Actor::Agent("mine-1"), t0, out).status();
  });
  ASSERT_TRUE(db_->Exec("UPDATE ledger_items SET registered_by = 'robot:x'").ok());
  auto loaded = store::LoadLedger(*db_);
  EXPECT_EQ(loaded.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(loaded.status().message(),
              HasSubstr("ledger_items row 'TZ-2026-0001': registered_by: malformed actor"));
  ASSERT_TRUE(db_->Exec("UPDATE ledger_items SET registered_by = 'agent:mine-1'").ok());
  ASSERT_TRUE(
      db_->Exec("INSERT INTO ledger_meta (key, value) VALUES ('counter:YJ-2026', 'x')").ok());
  loaded = store::LoadLedger(*db_);
  EXPECT_EQ(loaded.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(loaded.status().message(), HasSubstr("ledger_meta row 'counter:YJ-2026': value"));
}

TEST_F(RepositoryTest, TheSchemaRefusesAClosedOutItemWithoutConfirmation) {
  LedgerItem item;
  item.id = "TZ-2026-0001";
  item.unit_id = "mine-1";
  item.category_id = "other";
  item.state = ItemState::kClosedOut;
  item.registered_by = Actor::Agent("mine-1");
  // Written around the core, as a bug or a careless tool might.
  auto save = [&](const LedgerItem& written) {
    LedgerChangeSet changes;
    changes.items.push_back({written, {}});
    return storage::InTransaction(*db_, [&] { return store::SaveLedgerChanges(*db_, changes); });
  };
  EXPECT_EQ(save(item).code(), StatusCode::kFailedPrecondition);
  item.resolution = "已解决";
  item.confirmed_by_leader = "王矿长";
  EXPECT_TRUE(save(item).ok());
}

// Warnings of one unit and category all join one open item. Each change
// hands the store only the log entries it added, so a change costs the same
// however long the item's past; the item read back is the same.
TEST_F(RepositoryTest, AnItemsLogsAreStoredEntryByEntry) {
  Tick(t0 - hours(1));
  auto warn = [&](int i, Effects& out) {
    EarlyWarningRequest warning;
    warning.summary = StrCat("职工反映待遇问题，第 ", i, " 次");
    warning.category_id = "retiree-management";
    warning.persons = 3;
    return ledger->ReceiveWarning(warning, Actor::Agent("mine-1"), t0 + std::chrono::minutes(i),
                                  out);
  };
  for (int i = 0; i < 150; ++i) Run([&](Effects& out) { return warn(i, out).status(); });
  Run([&](Effects& out) {
    UpdateItemRequest update;
    update.item_id = "TZ-2026-0001";
    update.progress = "逐户走访";
    return ledger->Update(update, Actor::Agent("mine-1"), t0 + hours(4), out);
  });
  const LedgerItem& item = *ledger->FindItem("TZ-2026-0001");
  ASSERT_EQ(item.warning_ids.size(), 150u);
  ASSERT_EQ(item.updates.size(), 1u);
  const size_t history = item.history.size();  // registered, 149 attached, progress

  Effects out;
  ASSERT_TRUE(warn(150, out).ok());
  auto set = ledger->TakeChanges(out.changed);
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ(set->items.size(), 1u);
  const LedgerItemChange& change = set->items[0];
  EXPECT_EQ(change.from.history, history);
  EXPECT_EQ(change.item.history.size(), 1u);
  EXPECT_EQ(change.from.warnings, 150u);
  EXPECT_EQ(change.item.warning_ids, std::vector<std::string>{"YJ-2026-0151"});
  EXPECT_EQ(change.from.updates, 1u);
  EXPECT_TRUE(change.item.updates.empty());
  ASSERT_TRUE(
      storage::InTransaction(*db_, [&] { return store::SaveLedgerChanges(*db_, *set); }).ok());

  const LedgerSnapshot before = ledger->Snapshot();
  Restart();
  EXPECT_EQ(ledger->Snapshot(), before);
  auto rows = db_->Prepare("SELECT COUNT(*) FROM ledger_item_history");
  ASSERT_TRUE(rows.ok() && rows->Step().ok());
  EXPECT_EQ(rows->Int64(0), static_cast<int64_t>(history + 1));
}

// A commit that fails loses what it carried; the dispatcher rebuilds the
// ledger from the store and resets the marks, so the next change of the
// item stores its entries where the lost ones would have gone.
TEST_F(RepositoryTest, AfterALostCommitTheRebuiltLedgerStoresItsLogsInSequence) {
  Run([&](Effects& out) {
    return ledger->Register(SampleRegistration(), Actor::Agent("mine-1"), t0, out).status();
  });
  const std::string id = "TZ-2026-0001";
  auto progress = [&](std::string text, Time at, Effects& out) {
    UpdateItemRequest update;
    update.item_id = id;
    update.progress = std::move(text);
    return ledger->Update(update, Actor::Agent("mine-1"), at, out);
  };
  Effects lost;
  ASSERT_TRUE(progress("走访", t0 + hours(1), lost).ok());
  ASSERT_TRUE(ledger->TakeChanges(lost.changed).ok());  // never saved

  Restart();
  EXPECT_TRUE(ledger->FindItem(id)->updates.empty());
  Run([&](Effects& out) { return progress("再次走访", t0 + hours(2), out); });
  const LedgerSnapshot before = ledger->Snapshot();
  Restart();
  EXPECT_EQ(ledger->Snapshot(), before);
  ASSERT_EQ(ledger->FindItem(id)->updates.size(), 1u);
  EXPECT_EQ(ledger->FindItem(id)->updates[0].text, "再次走访");
}

TEST_F(RepositoryTest, AMissingLogEntryIsDataLoss) {
  Run([&](Effects& out) {
    return ledger->Register(SampleRegistration(), Actor::Agent("mine-1"), t0, out).status();
  });
  for (int i = 1; i <= 2; ++i) {
    Run([&](Effects& out) {
      UpdateItemRequest update;
      update.item_id = "TZ-2026-0001";
      update.progress = StrCat("第 ", i, " 次走访");
      return ledger->Update(update, Actor::Agent("mine-1"), t0 + hours(i), out);
    });
  }
  ASSERT_TRUE(db_->Exec("DELETE FROM ledger_item_updates WHERE seq = 0").ok());
  auto loaded = store::LoadLedger(*db_);
  EXPECT_EQ(loaded.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(loaded.status().message(),
              HasSubstr("ledger_item_updates of TZ-2026-0001: entry 0 is missing"));
}

// A database written by schema 1 (an item's logs as JSON arrays in its
// row) is migrated to rows and reads back the same.
TEST_F(RepositoryTest, SchemaTwoMovesTheLogsOfSchemaOneToRows) {
  db_.reset();
  RemoveFiles();
  auto opened = storage::Database::Open(path_);
  ASSERT_TRUE(opened.ok());
  db_ = std::move(*opened);
  ASSERT_TRUE(db_->Migrate("ledger", {store::LedgerMigrations()[0]}).ok());
  ASSERT_TRUE(db_->Exec(R"sql(
INSERT INTO ledger_items VALUES (
  'TZ-2026-0001', 'mine-1', 'retiree-management', 'in_progress', 'high', '退休待遇', 12, '["张某"]',
  '{"name": "王矿长", "phone": "+8613800000001", "title": "矿长"}',
  '{"name": "李干事", "phone": "+8613800000002", "title": "信访员"}', '人力资源部', '走访',
  1774000000000000, '', '', NULL, 'early_warning', 'YJ-2026-0001', 1772416800000000,
  'agent:mine-1', 1772424000000000, 1772420400000000, NULL, NULL, NULL, 0,
  '["YJ-2026-0001", "YJ-2026-0002"]', '2026-03-03',
  '[{"at": 1772420400000000, "actor": "agent:mine-1", "written_by": "李干事", "text": "走访\"重点人\""}]',
  '[{"at": 1772416800000000, "actor": "agent:mine-1", "action": "registered",
     "changes": [{"field": "state", "before": "", "after": "registered"}],
     "note": "from early_warning YJ-2026-0001", "person": ""},
    {"at": 1772424000000000, "actor": "operator:zhang", "action": "warning_attached",
     "changes": [{"field": "level", "before": "medium", "after": "high"}],
     "note": "YJ-2026-0002", "person": "王矿长"}]');
)sql")
                  .ok());
  ASSERT_TRUE(db_->Migrate("ledger", store::LedgerMigrations()).ok());
  auto loaded = store::LoadLedger(*db_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->items.size(), 1u);
  const LedgerItem& item = loaded->items[0];
  EXPECT_EQ(item.warning_ids, (std::vector<std::string>{"YJ-2026-0001", "YJ-2026-0002"}));
  ASSERT_EQ(item.updates.size(), 1u);
  EXPECT_EQ(item.updates[0], (ProgressUpdate{FromUnixMicros(1772420400000000),
                                             Actor::Agent("mine-1"), "李干事", "走访\"重点人\""}));
  ASSERT_EQ(item.history.size(), 2u);
  EXPECT_EQ(item.history[1].at, FromUnixMicros(1772424000000000));
  EXPECT_EQ(item.history[1].actor, Actor::Operator("zhang"));
  EXPECT_EQ(item.history[1].action, "warning_attached");
  EXPECT_EQ(item.history[1].changes, (std::vector<FieldChange>{{"level", "medium", "high"}}));
  EXPECT_EQ(item.history[1].note, "YJ-2026-0002");
  EXPECT_EQ(item.history[1].person, "王矿长");
  EXPECT_EQ(item.history[0].changes[0].after, "registered");
  EXPECT_EQ(item.overdue_notified_day, CivilDay(2026, 3, 3));
  EXPECT_EQ(item.key_persons, std::vector<std::string>{"张某"});
}

}  // namespace
}  // namespace anding::core::ledger

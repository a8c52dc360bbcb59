// The funds repository: round trips through SQLite, and the schema's own
// enforcement of the book's rules when the core is bypassed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>

#include "anding/common/strings.h"
#include "anding/core/funds/reports.h"
#include "anding/storage/database.h"
#include "anding/store/funds_repository.h"
#include "core/funds/funds_fixtures.h"

namespace anding::core::funds {
namespace {

using storage::Database;
using testing::At;
using ::testing::HasSubstr;
using testing::MakeConfig;
using testing::MakeFunds;

const Actor kZhang = Actor::Operator("zhang");

class FundsStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           StrCat("anding_funds_store_", ::testing::UnitTest::GetInstance()->random_seed(), "_",
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = Open();
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<Database> Open() {
    auto db = Database::Open((dir_ / "funds.db").string());
    EXPECT_TRUE(db.ok()) << db.status();
    EXPECT_TRUE((*db)->Migrate("funds", store::FundsMigrations()).ok());
    return std::move(db).value();
  }

  // Runs a command's effects through the repository in one transaction.
  Status Save(const Effects& out) {
    ANDING_ASSIGN_OR_RETURN(const FundsChangeSet changes, funds_.Changes(out.changed));
    return storage::InTransaction(*db_, [&] { return store::SaveFundsChanges(*db_, changes); });
  }
  // Saves `changes` as the shell would, whatever made them.
  Status SaveSet(const FundsChangeSet& changes) { return store::SaveFundsChanges(*db_, changes); }

  Result<Funds> Reload() {
    db_ = Open();
    ANDING_ASSIGN_OR_RETURN(FundsState state, store::LoadFundsState(*db_));
    return Funds::Restore(MakeConfig(), std::move(state));
  }

  // Runs raw SQL as a careless tool might.
  Status Raw(const std::string& sql) { return db_->Exec(sql); }

  Result<int64_t> Scalar(const std::string& sql) {
    ANDING_ASSIGN_OR_RETURN(storage::Statement stmt, db_->Prepare(sql));
    ANDING_ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return NotFoundError("no row");
    return stmt.Int64(0);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  Time now_ = At("2026-05-18T07:30:00+08:00");
  Funds funds_ = Funds::Restore(MakeConfig(), FundsState{}).value();
};

TEST_F(FundsStoreTest, EverythingSavedReloadsEqual) {
  Effects config;
  ASSERT_TRUE(funds_.ApplyConfig(now_, config).ok());
  ASSERT_TRUE(Save(config).ok());
  auto step = [&](auto&& command) {
    Effects out;
    command(out);
    ASSERT_TRUE(Save(out).ok());
  };
  step([&](Effects& o) {
    ASSERT_TRUE(funds_.TopUp({"tu-1", "mine-2", 900'000, "补充", ""}, kZhang, now_, o).ok());
  });
  step([&](Effects& o) {
    DispatchConfirmed d{"inc-7", "mine-1", "beijing", RegionKind::kNationalCapital, 4, 1, 520.4};
    funds_.OnDispatchConfirmed(d, now_, o);
  });
  step([&](Effects& o) {
    ASSERT_TRUE(funds_
                    .RecordExpense({"msg-1", "inc-7", "mine-1", 318'000, "transport", "高铁", "V1"},
                                   Actor::Agent("mine-1"), now_, o)
                    .ok());
  });
  step([&](Effects& o) {
    ASSERT_TRUE(funds_
                    .RecordExpense({"msg-2", "inc-7", "mine-1", 2'000'000, "lodging", "", ""},
                                   Actor::Agent("mine-1"), now_, o)
                    .ok());
  });
  step([&](Effects& o) {
    ASSERT_TRUE(funds_.Reverse({"rv-1", "msg-2/direct", 1000, "多报"}, kZhang, now_, o).ok());
  });
  step([&](Effects& o) {
    ASSERT_TRUE(
        funds_.SetQuota({"reserve/mine-2", int64_t{1'000'000}, "调整"}, kZhang, now_, o).ok());
  });
  step([&](Effects& o) {
    ASSERT_TRUE(
        funds_
            .PlaceHold({"h-1", "pool", 5'000, "x", "r", "", std::chrono::hours(1)}, kZhang, now_, o)
            .ok());
  });
  step([&](Effects& o) { funds_.Tick(now_ + std::chrono::hours(2), o); });
  step([&](Effects& o) { funds_.OnIncidentSettled({"inc-7"}, now_ + std::chrono::hours(3), o); });

  auto reloaded = Reload();
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(reloaded->state(), funds_.state());
  EXPECT_TRUE(reloaded->VerifyBalances().ok());
  // A restart followed by Tick expires nothing twice.
  Effects tick;
  reloaded->Tick(now_ + std::chrono::days(30), tick);
  EXPECT_TRUE(tick.empty());
  // The store's running totals are the core's.
  EXPECT_EQ(Scalar("SELECT credits_posted_fen - debits_posted_fen FROM funds_accounts "
                   "WHERE id = 'reserve/mine-1'")
                .value_or(-1),
            funds_.FindAccount("reserve/mine-1")->balance_fen());
}

TEST_F(FundsStoreTest, SeveralCommandsBatchedInOneTransactionReloadEqual) {
  std::vector<FundsChangeSet> batch;
  auto run = [&](auto&& command) {
    Effects out;
    command(out);
    auto changes = funds_.Changes(out.changed);  // copied right after the command
    ASSERT_TRUE(changes.ok()) << changes.status();
    batch.push_back(std::move(*changes));
  };
  run([&](Effects& o) { ASSERT_TRUE(funds_.ApplyConfig(now_, o).ok()); });
  run([&](Effects& o) {
    ASSERT_TRUE(
        funds_
            .PlaceHold({"h-1", "reserve/mine-1", 1'000'000, "x", "r", "inc-1", std::nullopt},
                       kZhang, now_, o)
            .ok());
  });
  run([&](Effects& o) {
    ASSERT_TRUE(
        funds_.PostHold({"p-1", "h-1", "expense/meals", 400'000, "meals", "r"}, kZhang, now_, o)
            .ok());
  });
  run([&](Effects& o) {
    ASSERT_TRUE(
        funds_.PostHold({"p-2", "h-1", "expense/meals", 600'000, "meals", "r"}, kZhang, now_, o)
            .ok());
  });
  run([&](Effects& o) {
    ASSERT_TRUE(
        funds_.SetQuota({"reserve/mine-1", int64_t{2'000'000}, "下调"}, kZhang, now_, o).ok());
  });
  ASSERT_TRUE(storage::InTransaction(*db_, [&]() -> Status {
                for (const auto& changes : batch) {
                  ANDING_RETURN_IF_ERROR(store::SaveFundsChanges(*db_, changes));
                }
                return OkStatus();
              }).ok());
  auto reloaded = Reload();
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(reloaded->state(), funds_.state());
}

TEST_F(FundsStoreTest, ChangesRejectRecordsTheBookDoesNotHold) {
  for (std::string_view kind : {kAccountRecord, kTransferRecord, kHoldRecord, kExpenseRecord,
                                kEstimateRecord, kQuotaChangeRecord}) {
    EXPECT_EQ(funds_.Changes({RecordRef{std::string(kind), "nowhere"}}).status().code(),
              StatusCode::kInternal)
        << kind;
  }
  // Refs of other modules are not the book's business.
  auto others = funds_.Changes({RecordRef{"incident", "INC-20260518-001"}});
  ASSERT_TRUE(others.ok()) << others.status();
  EXPECT_TRUE(others->empty());
}

class FundsStoreConstraintTest : public FundsStoreTest {
 protected:
  void SetUp() override {
    FundsStoreTest::SetUp();
    Effects out;
    ASSERT_TRUE(funds_.ApplyConfig(now_, out).ok());
    ASSERT_TRUE(funds_
                    .PlaceHold({"h-1", "reserve/mine-1", 1'000'000, "x", "r", "", std::nullopt},
                               kZhang, now_, out)
                    .ok());
    ASSERT_TRUE(Save(out).ok());
  }

  // Expects `write` (in its own transaction) to be refused by the schema
  // and the stored state to be exactly what it was.
  void ExpectStoreRefuses(const std::function<Status()>& write, const char* why) {
    auto before = store::LoadFundsState(*db_);
    ASSERT_TRUE(before.ok());
    const Status status = storage::InTransaction(*db_, write);
    EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << status;
    EXPECT_THAT(status.message(), HasSubstr(why));
    auto after = store::LoadFundsState(*db_);
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(*after, *before);
  }

  static FundsChangeSet Transfers(Transfer transfer) {
    FundsChangeSet changes;
    changes.transfers.push_back(std::move(transfer));
    return changes;
  }
  static FundsChangeSet Accounts(Account account) {
    FundsChangeSet changes;
    changes.accounts.push_back(std::move(account));
    return changes;
  }
  static FundsChangeSet Holds(Hold hold) {
    FundsChangeSet changes;
    changes.holds.push_back(std::move(hold));
    return changes;
  }

  Transfer RawTransfer(std::string id, std::string debit, std::string credit, int64_t amount) {
    Transfer t;
    t.id = std::move(id);
    t.sequence = 1000 + static_cast<int64_t>(funds_.state().transfers.size());
    t.debit_account_id = std::move(debit);
    t.credit_account_id = std::move(credit);
    t.amount_fen = amount;
    t.code = "bypass";
    t.reason = "written around the core";
    t.actor = kZhang;
    t.at = now_;
    return t;
  }
};

TEST_F(FundsStoreConstraintTest, OverdraftIsRefused) {
  // mine-1 holds 30,000.00, 10,000.00 of it on hold: 20,000.01 overdraws.
  ExpectStoreRefuses(
      [&] {
        return SaveSet(Transfers(RawTransfer("x-1", "reserve/mine-1", "expense/meals", 2'000'001)));
      },
      "funds_no_overdraft");
  ExpectStoreRefuses(
      [&] {
        return Raw("UPDATE funds_accounts SET debits_posted_fen = 1 WHERE id = 'reserve/mine-2'");
      },
      "funds_no_overdraft");
}

TEST_F(FundsStoreConstraintTest, OverQuotaIsRefused) {
  ExpectStoreRefuses(
      [&] { return SaveSet(Transfers(RawTransfer("x-1", "pool", "reserve/mine-1", 2'000'001))); },
      "funds_within_quota");
  Account account = *funds_.FindAccount("reserve/mine-1");
  account.quota_fen = 2'999'999;
  ExpectStoreRefuses([&] { return SaveSet(Accounts(account)); }, "funds_within_quota");
}

TEST_F(FundsStoreConstraintTest, BadAmountsAndAccountsAreRefused) {
  ExpectStoreRefuses(
      [&] { return SaveSet(Transfers(RawTransfer("x-1", "pool", "reserve/mine-2", 0))); },
      "amount_fen > 0");
  ExpectStoreRefuses([&] { return SaveSet(Transfers(RawTransfer("x-1", "pool", "pool", 5))); },
                     "CHECK constraint failed");
  ExpectStoreRefuses([&] { return SaveSet(Transfers(RawTransfer("x-1", "pool", "nowhere", 5))); },
                     "FOREIGN KEY");
  // The same id twice.
  ExpectStoreRefuses(
      [&] { return SaveSet(Transfers(RawTransfer("open-pool", "pool", "reserve/mine-2", 5))); },
      "UNIQUE");
}

TEST_F(FundsStoreConstraintTest, TransfersCanBeNeitherEditedNorDeleted) {
  ExpectStoreRefuses(
      [&] { return Raw("UPDATE funds_transfers SET amount_fen = 1 WHERE id = 'open-pool'"); },
      "immutable");
  ExpectStoreRefuses([&] { return Raw("DELETE FROM funds_transfers WHERE id = 'open-pool'"); },
                     "never deleted");
  ExpectStoreRefuses([&] { return Raw("DELETE FROM funds_accounts WHERE id = 'pool'"); },
                     "never deleted");
}

TEST_F(FundsStoreConstraintTest, HoldsCannotOverReserveOrChangeOnceClosed) {
  Hold hold;
  hold.id = "x-hold";
  hold.sequence = 999;
  hold.account_id = "reserve/mine-1";
  hold.amount_fen = 2'000'001;  // 20,000.00 available
  hold.code = "x";
  hold.actor = kZhang;
  hold.created_at = now_;
  hold.expires_at = now_ + std::chrono::hours(1);
  ExpectStoreRefuses([&] { return SaveSet(Holds(hold)); }, "funds_no_overdraft");

  // Void h-1 through the core and save it; then no write may reopen it.
  Effects out;
  ASSERT_TRUE(funds_.VoidHold({"h-1", "r"}, kZhang, now_, out).ok());
  ASSERT_TRUE(Save(out).ok());
  Hold reopened = *funds_.FindHold("h-1");
  reopened.state = HoldState::kPending;
  reopened.closed_at.reset();
  reopened.closed_by.reset();
  ExpectStoreRefuses([&] { return SaveSet(Holds(reopened)); }, "closed");
  Hold posted = *funds_.FindHold("h-1");
  posted.posted_fen = 1;
  ExpectStoreRefuses([&] { return SaveSet(Holds(posted)); }, "closed");
  // Saving it again unchanged is harmless.
  EXPECT_TRUE(
      storage::InTransaction(*db_, [&] { return SaveSet(Holds(*funds_.FindHold("h-1"))); }).ok());
}

TEST_F(FundsStoreConstraintTest, PostsCannotExceedWhatTheHoldRecords) {
  Transfer post = RawTransfer("x-post", "reserve/mine-1", "expense/meals", 100);
  post.hold_id = "h-1";  // the hold records nothing posted yet
  ExpectStoreRefuses([&] { return SaveSet(Transfers(post)); }, "exceed what the hold records");
  post.debit_account_id = "pool";
  ExpectStoreRefuses([&] { return SaveSet(Transfers(post)); }, "hold's account");
}

TEST_F(FundsStoreConstraintTest, TamperedTotalsAreCaughtOnLoad) {
  // A hand edit that keeps every CHECK satisfied but breaks the fold.
  ASSERT_TRUE(Raw("UPDATE funds_accounts SET credits_posted_fen = credits_posted_fen + 7 "
                  "WHERE id = 'reserve/mine-2'")
                  .ok());
  auto reloaded = Reload();
  ASSERT_FALSE(reloaded.ok());
  EXPECT_EQ(reloaded.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(reloaded.status().message(), HasSubstr("reserve/mine-2"));
}

TEST_F(FundsStoreConstraintTest, MigrationIsIdempotent) {
  EXPECT_TRUE(db_->Migrate("funds", store::FundsMigrations()).ok());
  EXPECT_EQ(db_->SchemaVersion("funds").value_or(-1), 2);
}

// A book with a history: March's money, a reversal, a hold closed and one
// left pending, an expense; then one transfer in May. The dispatcher holds
// only what is open or recent, reads the rest by id, and its reports over
// what the store reads equal those over the whole book.
class FundsOpenBookTest : public FundsStoreTest {
 protected:
  void SetUp() override {
    FundsStoreTest::SetUp();
    Run([&](Effects& o) { ASSERT_TRUE(funds_.ApplyConfig(march_, o).ok()); });
    Run([&](Effects& o) {
      ASSERT_TRUE(funds_.TopUp({"tu-old", "mine-2", 900'000, "补充", ""}, kZhang, march_, o).ok());
    });
    Run([&](Effects& o) {
      ASSERT_TRUE(funds_
                      .Reverse({"rv-old", "tu-old", 100'000, "多拨"}, kZhang,
                               march_ + std::chrono::hours(1), o)
                      .ok());
    });
    Run([&](Effects& o) {
      ASSERT_TRUE(funds_
                      .PlaceHold({"h-closed", "pool", 5'000, "x", "r", "", std::chrono::hours(1)},
                                 kZhang, march_, o)
                      .ok());
      ASSERT_TRUE(funds_.VoidHold({"h-closed", ""}, kZhang, march_, o).ok());
    });
    Run([&](Effects& o) {
      ASSERT_TRUE(funds_
                      .PlaceHold({"h-open", "reserve/mine-1", 7'000, "x", "r", "inc-9",
                                  std::chrono::days(90)},
                                 kZhang, march_, o)
                      .ok());
    });
    Run([&](Effects& o) {
      ASSERT_TRUE(funds_
                      .RecordExpense({"msg-old", "inc-9", "mine-1", 3'000, "meals", "", ""},
                                     Actor::Agent("mine-1"), march_, o)
                      .ok());
    });
    Run([&](Effects& o) {
      ASSERT_TRUE(funds_.TopUp({"tu-new", "mine-1", 20'000, "补充", ""}, kZhang, may_, o).ok());
    });
  }

  void Run(const std::function<void(Effects&)>& command) {
    Effects out;
    command(out);
    ASSERT_TRUE(Save(out).ok());
  }

  Funds RestoreOpen() {
    auto state = store::LoadOpenFunds(*db_, may_ - std::chrono::hours(48));
    EXPECT_TRUE(state.ok()) << state.status();
    auto book = Funds::Restore(MakeConfig(), std::move(state).value());
    EXPECT_TRUE(book.ok()) << book.status();
    return std::move(book).value();
  }

  Time march_ = At("2026-03-10T09:00:00+08:00");
  Time may_ = At("2026-05-18T09:00:00+08:00");
};

TEST_F(FundsOpenBookTest, TheOpenLoadHoldsWhatIsOpenOrRecent) {
  auto state = store::LoadOpenFunds(*db_, may_ - std::chrono::hours(48));
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->accounts, funds_.state().accounts);
  ASSERT_EQ(state->transfers.size(), 1u);
  EXPECT_EQ(state->transfers[0].id, "tu-new");
  ASSERT_EQ(state->holds.size(), 1u);
  EXPECT_EQ(state->holds[0].id, "h-open");
  EXPECT_TRUE(state->expenses.empty());
  EXPECT_EQ(state->quota_changes, funds_.state().quota_changes);
  EXPECT_EQ(state->last_sequence, funds_.state().transfers.back().sequence);

  // The restored book goes on numbering after the whole book.
  Funds book = RestoreOpen();
  Effects out;
  auto made = book.TopUp({"tu-next", "mine-1", 1'000, "补充", ""}, kZhang, may_, out);
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(made->sequence, state->last_sequence + 1);
  EXPECT_TRUE(book.VerifyBalances().ok());
}

TEST_F(FundsOpenBookTest, AnOldRecordIsReadByIdBeforeACommandNamesIt) {
  Funds book = RestoreOpen();
  // Not held: a retry of March's top-up would look new.
  EXPECT_EQ(book.FindTransfer("tu-old"), nullptr);
  for (const char* id : {"tu-old", "h-closed", "msg-old"}) {
    auto found = store::FindFundsRecords(*db_, id);
    ASSERT_TRUE(found.ok()) << found.status();
    book.Recall(std::move(found).value());
  }
  Effects out;
  // The retry answers with the original and changes nothing.
  auto retry = book.TopUp({"tu-old", "mine-2", 900'000, "补充", ""}, kZhang, may_, out);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->at, march_);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(book.TopUp({"tu-old", "mine-2", 1, "补充", ""}, kZhang, may_, out).status().code(),
            StatusCode::kAlreadyExists);
  // Its reversal came with it: only 800,000 fen are left to reverse.
  EXPECT_EQ(book.ReversedFen("tu-old"), 100'000);
  EXPECT_EQ(book.Reverse({"rv-2", "tu-old", 800'001, "x"}, kZhang, may_, out).status().code(),
            StatusCode::kFailedPrecondition);
  // A closed hold cannot be voided again nor its id reused; an old expense
  // report repeated is the original.
  EXPECT_EQ(book.VoidHold({"h-closed", ""}, kZhang, may_, out).value().state, HoldState::kVoided);
  EXPECT_EQ(book.PlaceHold({"h-closed", "pool", 1, "x", "r", "", std::nullopt}, kZhang, may_, out)
                .status()
                .code(),
            StatusCode::kAlreadyExists);
  auto expense = book.RecordExpense({"msg-old", "inc-9", "mine-1", 3'000, "meals", "", ""},
                                    Actor::Agent("mine-1"), may_, out);
  ASSERT_TRUE(expense.ok()) << expense.status();
  EXPECT_EQ(expense->at, march_);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(book.VerifyBalances().ok());
}

TEST_F(FundsOpenBookTest, ReportsOverWhatTheStoreReadsEqualThoseOverTheWholeBook) {
  const TimeZone zone = TimeZone::Shanghai();
  const Period march{CivilDay(2026, 3, 10), CivilDay(2026, 3, 31)};
  for (const char* account : {"reserve/mine-2", "reserve/mine-1", "pool", "expense/meals"}) {
    auto read = store::LoadAccountTransfers(*db_, account, zone.StartOf(march.first));
    ASSERT_TRUE(read.ok()) << read.status();
    auto from_store = AccountStatement(*read, account, march, zone);
    auto whole = AccountStatement(funds_.state(), account, march, zone);
    ASSERT_TRUE(from_store.ok() && whole.ok()) << account;
    EXPECT_EQ(from_store->opening_fen, whole->opening_fen) << account;
    EXPECT_EQ(from_store->closing_fen, whole->closing_fen) << account;
    EXPECT_EQ(from_store->lines.size(), whole->lines.size()) << account;
  }
  const Period april{CivilDay(2026, 4, 1), CivilDay(2026, 4, 30)};
  auto since = store::LoadFundsSince(*db_, zone.StartOf(april.first));
  ASSERT_TRUE(since.ok()) << since.status();
  auto from_store = Reconcile(*since, april, zone, may_, store::CheckFundsTotals(*db_).ok());
  auto whole = Reconcile(funds_.state(), april, zone, may_, funds_.VerifyBalances().ok());
  ASSERT_TRUE(from_store.ok() && whole.ok());
  EXPECT_TRUE(from_store->balanced);
  ASSERT_EQ(from_store->accounts.size(), whole->accounts.size());
  for (size_t i = 0; i < whole->accounts.size(); ++i) {
    EXPECT_EQ(from_store->accounts[i].opening_fen, whole->accounts[i].opening_fen)
        << whole->accounts[i].account_id;
    EXPECT_EQ(from_store->accounts[i].closing_fen, whole->accounts[i].closing_fen)
        << whole->accounts[i].account_id;
  }
  auto incident = store::LoadIncidentFunds(*db_, {"inc-9"});
  ASSERT_TRUE(incident.ok()) << incident.status();
  const IncidentCost cost = IncidentCostReport(*incident, "inc-9");
  EXPECT_EQ(cost.actual_fen, IncidentCostReport(funds_.state(), "inc-9").actual_fen);
  EXPECT_EQ(cost.pending_fen, 4'000);
}

TEST_F(FundsOpenBookTest, TotalsThatNoLongerFoldAreFoundByTheWholeBookCheck) {
  EXPECT_TRUE(store::CheckFundsTotals(*db_).ok());
  // Two edits that keep the balances summing to zero: the open load
  // cannot see them, the reconciliation's check of the whole book does.
  ASSERT_TRUE(Raw("UPDATE funds_accounts SET credits_posted_fen = credits_posted_fen + 7 "
                  "WHERE id = 'reserve/mine-2'")
                  .ok());
  ASSERT_TRUE(Raw("UPDATE funds_accounts SET debits_posted_fen = debits_posted_fen + 7 "
                  "WHERE id = 'pool'")
                  .ok());
  RestoreOpen();
  const Status checked = store::CheckFundsTotals(*db_);
  EXPECT_EQ(checked.code(), StatusCode::kDataLoss);
  EXPECT_THAT(checked.message(), HasSubstr("pool"));
}

}  // namespace
}  // namespace anding::core::funds

#include "anding/store/funds_repository.h"

#include <algorithm>
#include <string>
#include <utility>

#include "anding/common/strings.h"
#include "codec.h"
#include "sql.h"

namespace anding::store {
namespace {

using codec::ActorFrom;
using codec::Named;
using codec::OptionalMicros;
using codec::OptionalTimeColumn;
using core::funds::Account;
using core::funds::AccountKind;
using core::funds::Estimate;
using core::funds::Expense;
using core::funds::FundsChangeSet;
using core::funds::FundsState;
using core::funds::Hold;
using core::funds::HoldState;
using core::funds::QuotaChange;
using core::funds::Transfer;

// Version 1 of the funds schema. The rules of the book, enforced again
// below the core (see funds_repository.h).
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE funds_accounts (
  id TEXT PRIMARY KEY NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('external', 'pool', 'reserve', 'expense')),
  name TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  expense_code TEXT NOT NULL,
  quota_fen INTEGER CHECK (quota_fen IS NULL OR quota_fen >= 0),
  low_balance_fen INTEGER NOT NULL CHECK (low_balance_fen >= 0),
  low_balance_alerted INTEGER NOT NULL CHECK (low_balance_alerted IN (0, 1)),
  debits_posted_fen INTEGER NOT NULL DEFAULT 0 CHECK (debits_posted_fen >= 0),
  credits_posted_fen INTEGER NOT NULL DEFAULT 0 CHECK (credits_posted_fen >= 0),
  debits_pending_fen INTEGER NOT NULL DEFAULT 0 CHECK (debits_pending_fen >= 0),
  CONSTRAINT funds_no_overdraft CHECK (
    kind = 'external' OR credits_posted_fen - debits_posted_fen - debits_pending_fen >= 0),
  CONSTRAINT funds_within_quota CHECK (
    quota_fen IS NULL OR credits_posted_fen - debits_posted_fen <= quota_fen),
  CONSTRAINT funds_quota_on_reserves CHECK (kind = 'reserve' OR quota_fen IS NULL)
) STRICT;

CREATE TRIGGER funds_accounts_no_delete BEFORE DELETE ON funds_accounts
BEGIN
  SELECT RAISE(ABORT, 'funds accounts are never deleted');
END;

CREATE TRIGGER funds_accounts_identity BEFORE UPDATE OF id, kind, unit_id, expense_code
ON funds_accounts
WHEN NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind OR NEW.unit_id IS NOT OLD.unit_id
  OR NEW.expense_code IS NOT OLD.expense_code
BEGIN
  SELECT RAISE(ABORT, 'a funds account never changes its id, kind, unit or code');
END;

CREATE TABLE funds_holds (
  id TEXT PRIMARY KEY NOT NULL,
  seq INTEGER NOT NULL UNIQUE,
  account_id TEXT NOT NULL REFERENCES funds_accounts (id),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  posted_fen INTEGER NOT NULL CHECK (posted_fen >= 0 AND posted_fen <= amount_fen),
  state TEXT NOT NULL CHECK (state IN ('pending', 'posted', 'voided', 'expired')),
  code TEXT NOT NULL CHECK (length(code) > 0),
  reason TEXT NOT NULL,
  incident_id TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  expires_at_us INTEGER NOT NULL,
  closed_at_us INTEGER,
  closed_by TEXT,
  close_reason TEXT NOT NULL,
  CHECK ((state = 'pending') = (closed_at_us IS NULL)),
  CHECK ((state = 'pending') = (closed_by IS NULL)),
  CHECK (state <> 'posted' OR posted_fen = amount_fen),
  CHECK (state <> 'pending' OR posted_fen < amount_fen)
) STRICT;

CREATE INDEX funds_holds_incident ON funds_holds (incident_id) WHERE incident_id <> '';

CREATE TRIGGER funds_holds_new BEFORE INSERT ON funds_holds
WHEN NEW.state <> 'pending' OR NEW.posted_fen <> 0
BEGIN
  SELECT RAISE(ABORT, 'a new funds hold must be pending with nothing posted');
END;

CREATE TRIGGER funds_holds_reserve AFTER INSERT ON funds_holds
BEGIN
  UPDATE funds_accounts SET debits_pending_fen = debits_pending_fen + NEW.amount_fen
  WHERE id = NEW.account_id;
END;

CREATE TRIGGER funds_holds_closed BEFORE UPDATE ON funds_holds
WHEN OLD.state <> 'pending'
BEGIN
  SELECT RAISE(ABORT, 'funds hold is closed (posted, voided or expired) and cannot change');
END;

CREATE TRIGGER funds_holds_fixed BEFORE UPDATE ON funds_holds
WHEN NEW.id IS NOT OLD.id OR NEW.seq IS NOT OLD.seq OR NEW.account_id IS NOT OLD.account_id
  OR NEW.amount_fen IS NOT OLD.amount_fen OR NEW.posted_fen < OLD.posted_fen
BEGIN
  SELECT RAISE(ABORT, 'a funds hold never changes its account or amount, nor unposts');
END;

CREATE TRIGGER funds_holds_release AFTER UPDATE ON funds_holds
BEGIN
  UPDATE funds_accounts
  SET debits_pending_fen = debits_pending_fen - (OLD.amount_fen - OLD.posted_fen)
      + (CASE WHEN NEW.state = 'pending' THEN NEW.amount_fen - NEW.posted_fen ELSE 0 END)
  WHERE id = NEW.account_id;
END;

CREATE TRIGGER funds_holds_no_delete BEFORE DELETE ON funds_holds
BEGIN
  SELECT RAISE(ABORT, 'funds holds are never deleted');
END;

CREATE TABLE funds_estimates (
  id TEXT PRIMARY KEY NOT NULL,
  seq INTEGER NOT NULL UNIQUE,
  incident_id TEXT NOT NULL CHECK (length(incident_id) > 0),
  unit_id TEXT NOT NULL,
  destination_region TEXT NOT NULL,
  destination_kind TEXT NOT NULL
    CHECK (destination_kind IN ('home_city', 'provincial_capital', 'national_capital', 'other')),
  people INTEGER NOT NULL CHECK (people >= 0),
  vehicles INTEGER NOT NULL CHECK (vehicles >= 0),
  distance_m INTEGER NOT NULL CHECK (distance_m >= 0),
  days INTEGER NOT NULL CHECK (days >= 0),
  person_cost_fen INTEGER NOT NULL CHECK (person_cost_fen >= 0),
  vehicle_cost_fen INTEGER NOT NULL CHECK (vehicle_cost_fen >= 0),
  estimated_fen INTEGER NOT NULL CHECK (estimated_fen >= 0),
  held_fen INTEGER NOT NULL CHECK (held_fen >= 0),
  shortfall_fen INTEGER NOT NULL CHECK (shortfall_fen >= 0),
  hold_id TEXT REFERENCES funds_holds (id),
  at_us INTEGER NOT NULL,
  CHECK (held_fen + shortfall_fen = estimated_fen),
  CHECK ((hold_id IS NULL) = (held_fen = 0))
) STRICT;

CREATE INDEX funds_estimates_incident ON funds_estimates (incident_id);

CREATE TABLE funds_expenses (
  id TEXT PRIMARY KEY NOT NULL,
  seq INTEGER NOT NULL UNIQUE,
  incident_id TEXT NOT NULL CHECK (length(incident_id) > 0),
  unit_id TEXT NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  code TEXT NOT NULL CHECK (length(code) > 0),
  reason TEXT NOT NULL,
  voucher TEXT NOT NULL,
  actor TEXT NOT NULL,
  at_us INTEGER NOT NULL,
  held_fen INTEGER NOT NULL CHECK (held_fen >= 0),
  direct_fen INTEGER NOT NULL CHECK (direct_fen >= 0),
  CHECK (held_fen + direct_fen = amount_fen)
) STRICT;

CREATE TABLE funds_transfers (
  id TEXT PRIMARY KEY NOT NULL,
  seq INTEGER NOT NULL UNIQUE,
  debit_account_id TEXT NOT NULL REFERENCES funds_accounts (id),
  credit_account_id TEXT NOT NULL REFERENCES funds_accounts (id),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  code TEXT NOT NULL CHECK (length(code) > 0),
  reason TEXT NOT NULL,
  incident_id TEXT NOT NULL,
  hold_id TEXT REFERENCES funds_holds (id),
  reverses_id TEXT REFERENCES funds_transfers (id),
  expense_id TEXT REFERENCES funds_expenses (id),
  actor TEXT NOT NULL,
  at_us INTEGER NOT NULL,
  CHECK (debit_account_id <> credit_account_id)
) STRICT;

CREATE INDEX funds_transfers_hold ON funds_transfers (hold_id) WHERE hold_id IS NOT NULL;
CREATE INDEX funds_transfers_incident ON funds_transfers (incident_id) WHERE incident_id <> '';
CREATE INDEX funds_transfers_at ON funds_transfers (at_us);

CREATE TRIGGER funds_transfers_post BEFORE INSERT ON funds_transfers
WHEN NEW.hold_id IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'a funds post must come from its hold''s account')
  WHERE NOT EXISTS (SELECT 1 FROM funds_holds
                    WHERE id = NEW.hold_id AND account_id = NEW.debit_account_id);
  SELECT RAISE(ABORT, 'funds posts would exceed what the hold records as posted')
  WHERE (SELECT COALESCE(SUM(amount_fen), 0) FROM funds_transfers WHERE hold_id = NEW.hold_id)
        + NEW.amount_fen > (SELECT posted_fen FROM funds_holds WHERE id = NEW.hold_id);
END;

CREATE TRIGGER funds_transfers_apply AFTER INSERT ON funds_transfers
BEGIN
  UPDATE funds_accounts SET debits_posted_fen = debits_posted_fen + NEW.amount_fen
  WHERE id = NEW.debit_account_id;
  UPDATE funds_accounts SET credits_posted_fen = credits_posted_fen + NEW.amount_fen
  WHERE id = NEW.credit_account_id;
END;

CREATE TRIGGER funds_transfers_immutable BEFORE UPDATE ON funds_transfers
BEGIN
  SELECT RAISE(ABORT, 'funds transfers are immutable; correct one with a reversing transfer');
END;

CREATE TRIGGER funds_transfers_no_delete BEFORE DELETE ON funds_transfers
BEGIN
  SELECT RAISE(ABORT, 'funds transfers are never deleted; correct one with a reversing transfer');
END;

CREATE TABLE funds_quota_changes (
  id TEXT PRIMARY KEY NOT NULL,
  seq INTEGER NOT NULL UNIQUE,
  account_id TEXT NOT NULL REFERENCES funds_accounts (id),
  old_quota_fen INTEGER,
  new_quota_fen INTEGER,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  at_us INTEGER NOT NULL
) STRICT;

CREATE TRIGGER funds_expenses_immutable BEFORE UPDATE ON funds_expenses
BEGIN
  SELECT RAISE(ABORT, 'funds expense reports are immutable');
END;
CREATE TRIGGER funds_expenses_no_delete BEFORE DELETE ON funds_expenses
BEGIN
  SELECT RAISE(ABORT, 'funds expense reports are never deleted');
END;
CREATE TRIGGER funds_estimates_immutable BEFORE UPDATE ON funds_estimates
BEGIN
  SELECT RAISE(ABORT, 'funds estimates are immutable');
END;
CREATE TRIGGER funds_estimates_no_delete BEFORE DELETE ON funds_estimates
BEGIN
  SELECT RAISE(ABORT, 'funds estimates are never deleted');
END;
CREATE TRIGGER funds_quota_changes_immutable BEFORE UPDATE ON funds_quota_changes
BEGIN
  SELECT RAISE(ABORT, 'funds quota changes are immutable');
END;
CREATE TRIGGER funds_quota_changes_no_delete BEFORE DELETE ON funds_quota_changes
BEGIN
  SELECT RAISE(ABORT, 'funds quota changes are never deleted');
END;
)sql";

// Version 2: what a running dispatcher holds (pending holds, records since
// an instant) and what a statement or a retry reads by key, through indexes.
constexpr const char* kSchemaV2 = R"sql(
CREATE INDEX funds_holds_pending ON funds_holds (seq) WHERE state = 'pending';
CREATE INDEX funds_holds_closed_at ON funds_holds (closed_at_us) WHERE closed_at_us IS NOT NULL;
CREATE INDEX funds_estimates_at ON funds_estimates (at_us);
CREATE INDEX funds_expenses_at ON funds_expenses (at_us);
CREATE INDEX funds_transfers_debit ON funds_transfers (debit_account_id, at_us);
CREATE INDEX funds_transfers_credit ON funds_transfers (credit_account_id, at_us);
CREATE INDEX funds_transfers_reverses ON funds_transfers (reverses_id) WHERE reverses_id IS NOT NULL;
)sql";

}  // namespace

std::vector<storage::Migration> FundsMigrations() {
  return {
      storage::Migration{1,
                         "reserve-fund book: accounts, holds, estimates, expenses, transfers and "
                         "quota changes, with balance and quota constraints",
                         kSchemaV1},
      storage::Migration{2,
                         "reserve funds: indexes for the open book (pending holds, records since "
                         "an instant), an account's transfers and a transfer's reversals",
                         kSchemaV2}};
}

namespace {

// Inserts the account, or updates its name, quota, threshold and
// low-balance latch (never its kind or running totals).
Status SaveFundsAccount(storage::Database& db, const Account& account) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * stmt,
      db.Cached("INSERT INTO funds_accounts (id, kind, name, unit_id, expense_code, quota_fen, "
                "low_balance_fen, low_balance_alerted) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                "quota_fen = excluded.quota_fen, low_balance_fen = excluded.low_balance_fen, "
                "low_balance_alerted = excluded.low_balance_alerted "
                "WHERE name IS NOT excluded.name OR quota_fen IS NOT excluded.quota_fen "
                "OR low_balance_fen IS NOT excluded.low_balance_fen "
                "OR low_balance_alerted IS NOT excluded.low_balance_alerted"));
  stmt->Bind(1, account.id)
      .Bind(2, core::funds::AccountKindName(account.kind))
      .Bind(3, account.name)
      .Bind(4, account.unit_id)
      .Bind(5, account.expense_code)
      .Bind(6, account.quota_fen)
      .Bind(7, account.low_balance_fen)
      .Bind(8, int64_t{account.low_balance_alerted ? 1 : 0});
  return Annotate(stmt->Run(), StrCat("saving funds account ", account.id));
}

Status SaveFundsHold(storage::Database& db, const Hold& hold) {
  // A hold is inserted as it was placed (pending, nothing posted), then
  // brought to its current state. An UPSERT would run the insert-only
  // trigger on every update, so look first.
  ANDING_ASSIGN_OR_RETURN(storage::Statement * exists,
                          db.Cached("SELECT 1 FROM funds_holds WHERE id = ?1"));
  exists->Bind(1, hold.id);
  ANDING_ASSIGN_OR_RETURN(const bool found, exists->Step());
  exists->Reset();
  if (!found) {
    ANDING_ASSIGN_OR_RETURN(
        storage::Statement * stmt,
        db.Cached(
            "INSERT INTO funds_holds (id, seq, account_id, amount_fen, posted_fen, state, "
            "code, reason, incident_id, actor, created_at_us, expires_at_us, "
            "closed_at_us, closed_by, close_reason) "
            "VALUES (?1, ?2, ?3, ?4, 0, 'pending', ?5, ?6, ?7, ?8, ?9, ?10, NULL, NULL, '')"));
    stmt->Bind(1, hold.id)
        .Bind(2, hold.sequence)
        .Bind(3, hold.account_id)
        .Bind(4, hold.amount_fen)
        .Bind(5, hold.code)
        .Bind(6, hold.reason)
        .Bind(7, hold.incident_id)
        .Bind(8, hold.actor.ToString())
        .Bind(9, ToUnixMicros(hold.created_at))
        .Bind(10, ToUnixMicros(hold.expires_at));
    ANDING_RETURN_IF_ERROR(Annotate(stmt->Run(), StrCat("saving funds hold ", hold.id)));
  }
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * stmt,
      db.Cached("UPDATE funds_holds SET account_id = ?2, amount_fen = ?3, posted_fen = ?4, "
                "state = ?5, closed_at_us = ?6, closed_by = ?7, close_reason = ?8 "
                "WHERE id = ?1 AND (account_id IS NOT ?2 OR amount_fen IS NOT ?3 "
                "OR posted_fen IS NOT ?4 OR state IS NOT ?5 OR closed_at_us IS NOT ?6 "
                "OR closed_by IS NOT ?7 OR close_reason IS NOT ?8)"));
  stmt->Bind(1, hold.id)
      .Bind(2, hold.account_id)
      .Bind(3, hold.amount_fen)
      .Bind(4, hold.posted_fen)
      .Bind(5, core::funds::HoldStateName(hold.state))
      .Bind(6, OptionalMicros(hold.closed_at));
  if (hold.closed_by) {
    stmt->Bind(7, hold.closed_by->ToString());
  } else {
    stmt->BindNull(7);
  }
  stmt->Bind(8, hold.close_reason);
  return Annotate(stmt->Run(), StrCat("saving funds hold ", hold.id));
}

// Inserts an immutable record (as the next three); FailedPrecondition if
// the id exists.
Status SaveFundsTransfer(storage::Database& db, const Transfer& t) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * stmt,
      db.Cached("INSERT INTO funds_transfers (id, seq, debit_account_id, credit_account_id, "
                "amount_fen, code, reason, incident_id, hold_id, reverses_id, expense_id, actor, "
                "at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULLIF(?9, ''), "
                "NULLIF(?10, ''), NULLIF(?11, ''), ?12, ?13)"));
  stmt->Bind(1, t.id)
      .Bind(2, t.sequence)
      .Bind(3, t.debit_account_id)
      .Bind(4, t.credit_account_id)
      .Bind(5, t.amount_fen)
      .Bind(6, t.code)
      .Bind(7, t.reason)
      .Bind(8, t.incident_id)
      .Bind(9, t.hold_id)
      .Bind(10, t.reverses_id)
      .Bind(11, t.expense_id)
      .Bind(12, t.actor.ToString())
      .Bind(13, ToUnixMicros(t.at));
  return Annotate(stmt->Run(), StrCat("saving funds transfer ", t.id));
}

Status SaveFundsExpense(storage::Database& db, const Expense& e) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * stmt,
      db.Cached("INSERT INTO funds_expenses (id, seq, incident_id, unit_id, amount_fen, code, "
                "reason, voucher, actor, at_us, held_fen, direct_fen) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  stmt->Bind(1, e.id)
      .Bind(2, e.sequence)
      .Bind(3, e.incident_id)
      .Bind(4, e.unit_id)
      .Bind(5, e.amount_fen)
      .Bind(6, e.code)
      .Bind(7, e.reason)
      .Bind(8, e.voucher)
      .Bind(9, e.actor.ToString())
      .Bind(10, ToUnixMicros(e.at))
      .Bind(11, e.held_fen)
      .Bind(12, e.direct_fen);
  return Annotate(stmt->Run(), StrCat("saving funds expense ", e.id));
}

Status SaveFundsEstimate(storage::Database& db, const Estimate& e) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * stmt,
      db.Cached("INSERT INTO funds_estimates (id, seq, incident_id, unit_id, destination_region, "
                "destination_kind, people, vehicles, distance_m, days, person_cost_fen, "
                "vehicle_cost_fen, estimated_fen, held_fen, shortfall_fen, hold_id, at_us) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                "NULLIF(?16, ''), ?17)"));
  stmt->Bind(1, e.id)
      .Bind(2, e.sequence)
      .Bind(3, e.incident_id)
      .Bind(4, e.unit_id)
      .Bind(5, e.destination_region)
      .Bind(6, core::RegionKindName(e.destination_kind))
      .Bind(7, e.people)
      .Bind(8, e.vehicles)
      .Bind(9, e.distance_m)
      .Bind(10, e.days)
      .Bind(11, e.person_cost_fen)
      .Bind(12, e.vehicle_cost_fen)
      .Bind(13, e.estimated_fen)
      .Bind(14, e.held_fen)
      .Bind(15, e.shortfall_fen)
      .Bind(16, e.hold_id)
      .Bind(17, ToUnixMicros(e.at));
  return Annotate(stmt->Run(), StrCat("saving funds estimate ", e.id));
}

Status SaveFundsQuotaChange(storage::Database& db, const QuotaChange& c) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * stmt,
      db.Cached("INSERT INTO funds_quota_changes (id, seq, account_id, old_quota_fen, "
                "new_quota_fen, reason, actor, at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  stmt->Bind(1, c.id)
      .Bind(2, c.sequence)
      .Bind(3, c.account_id)
      .Bind(4, c.old_quota_fen)
      .Bind(5, c.new_quota_fen)
      .Bind(6, c.reason)
      .Bind(7, c.actor.ToString())
      .Bind(8, ToUnixMicros(c.at));
  return Annotate(stmt->Run(), StrCat("saving funds quota change ", c.id));
}

}  // namespace

Status SaveFundsChanges(storage::Database& db, const FundsChangeSet& changes) {
  // 1. Accounts new to the store, without limits yet, so that the rows
  //    below can refer to them.
  for (const Account& a : changes.accounts) {
    ANDING_ASSIGN_OR_RETURN(
        storage::Statement * stmt,
        db.Cached("INSERT INTO funds_accounts (id, kind, name, unit_id, expense_code, quota_fen, "
                  "low_balance_fen, low_balance_alerted) VALUES (?1, ?2, ?3, ?4, ?5, NULL, 0, 0) "
                  "ON CONFLICT (id) DO NOTHING"));
    stmt->Bind(1, a.id)
        .Bind(2, core::funds::AccountKindName(a.kind))
        .Bind(3, a.name)
        .Bind(4, a.unit_id)
        .Bind(5, a.expense_code);
    ANDING_RETURN_IF_ERROR(Annotate(stmt->Run(), StrCat("saving funds account ", a.id)));
  }
  // 2. Everything else in book order, so that each row's constraints are
  //    checked against the balances of its moment. A hold is written at its
  //    own position in its latest state: holds only ever release money, so
  //    that is never stricter than the truth.
  struct Item {
    int64_t sequence;
    int kind;
    size_t index;
  };
  std::vector<Item> items;
  items.reserve(changes.holds.size() + changes.estimates.size() + changes.expenses.size() +
                changes.transfers.size() + changes.quota_changes.size());
  for (size_t i = 0; i < changes.holds.size(); ++i)
    items.push_back({changes.holds[i].sequence, 0, i});
  for (size_t i = 0; i < changes.estimates.size(); ++i) {
    items.push_back({changes.estimates[i].sequence, 1, i});
  }
  for (size_t i = 0; i < changes.expenses.size(); ++i) {
    items.push_back({changes.expenses[i].sequence, 2, i});
  }
  for (size_t i = 0; i < changes.transfers.size(); ++i) {
    items.push_back({changes.transfers[i].sequence, 3, i});
  }
  for (size_t i = 0; i < changes.quota_changes.size(); ++i) {
    items.push_back({changes.quota_changes[i].sequence, 4, i});
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.sequence < b.sequence; });
  for (const Item& item : items) {
    switch (item.kind) {
      case 0:
        ANDING_RETURN_IF_ERROR(SaveFundsHold(db, changes.holds[item.index]));
        break;
      case 1:
        ANDING_RETURN_IF_ERROR(SaveFundsEstimate(db, changes.estimates[item.index]));
        break;
      case 2:
        ANDING_RETURN_IF_ERROR(SaveFundsExpense(db, changes.expenses[item.index]));
        break;
      case 3:
        ANDING_RETURN_IF_ERROR(SaveFundsTransfer(db, changes.transfers[item.index]));
        break;
      default: {
        // The quota takes effect at the change's position.
        const QuotaChange& change = changes.quota_changes[item.index];
        ANDING_RETURN_IF_ERROR(SaveFundsQuotaChange(db, change));
        ANDING_ASSIGN_OR_RETURN(
            storage::Statement * stmt,
            db.Cached("UPDATE funds_accounts SET quota_fen = ?2 WHERE id = ?1"));
        stmt->Bind(1, change.account_id).Bind(2, change.new_quota_fen);
        ANDING_RETURN_IF_ERROR(
            Annotate(stmt->Run(), StrCat("applying funds quota change ", change.id)));
        break;
      }
    }
  }
  // 3. The accounts' latest names, quotas, thresholds and latches.
  for (const Account& a : changes.accounts) ANDING_RETURN_IF_ERROR(SaveFundsAccount(db, a));
  return OkStatus();
}

namespace {

Result<Account> AccountFrom(const storage::Statement& stmt) {
  Account a;
  a.id = stmt.Text(0);
  ANDING_ASSIGN_OR_RETURN(a.kind, Named("kind", core::funds::ParseAccountKind, stmt.Text(1)));
  a.name = stmt.Text(2);
  a.unit_id = stmt.Text(3);
  a.expense_code = stmt.Text(4);
  a.quota_fen = stmt.OptionalInt64(5);
  a.low_balance_fen = stmt.Int64(6);
  a.low_balance_alerted = stmt.Int64(7) != 0;
  a.debits_posted_fen = stmt.Int64(8);
  a.credits_posted_fen = stmt.Int64(9);
  a.debits_pending_fen = stmt.Int64(10);
  return a;
}

Result<Hold> HoldFrom(const storage::Statement& stmt) {
  Hold h;
  h.id = stmt.Text(0);
  h.sequence = stmt.Int64(1);
  h.account_id = stmt.Text(2);
  h.amount_fen = stmt.Int64(3);
  h.posted_fen = stmt.Int64(4);
  ANDING_ASSIGN_OR_RETURN(h.state, Named("state", core::funds::ParseHoldState, stmt.Text(5)));
  h.code = stmt.Text(6);
  h.reason = stmt.Text(7);
  h.incident_id = stmt.Text(8);
  ANDING_ASSIGN_OR_RETURN(h.actor, ActorFrom("actor", stmt.Text(9)));
  h.created_at = FromUnixMicros(stmt.Int64(10));
  h.expires_at = FromUnixMicros(stmt.Int64(11));
  h.closed_at = OptionalTimeColumn(stmt, 12);
  if (!stmt.IsNull(13)) {
    ANDING_ASSIGN_OR_RETURN(h.closed_by, ActorFrom("closed_by", stmt.Text(13)));
  }
  h.close_reason = stmt.Text(14);
  return h;
}

Result<Estimate> EstimateFrom(const storage::Statement& stmt) {
  Estimate e;
  e.id = stmt.Text(0);
  e.sequence = stmt.Int64(1);
  e.incident_id = stmt.Text(2);
  e.unit_id = stmt.Text(3);
  e.destination_region = stmt.Text(4);
  ANDING_ASSIGN_OR_RETURN(e.destination_kind,
                          Named("destination_kind", core::ParseRegionKind, stmt.Text(5)));
  e.people = stmt.Int64(6);
  e.vehicles = stmt.Int64(7);
  e.distance_m = stmt.Int64(8);
  e.days = stmt.Int64(9);
  e.person_cost_fen = stmt.Int64(10);
  e.vehicle_cost_fen = stmt.Int64(11);
  e.estimated_fen = stmt.Int64(12);
  e.held_fen = stmt.Int64(13);
  e.shortfall_fen = stmt.Int64(14);
  e.hold_id = stmt.Text(15);
  e.at = FromUnixMicros(stmt.Int64(16));
  return e;
}

Result<Expense> ExpenseFrom(const storage::Statement& stmt) {
  Expense e;
  e.id = stmt.Text(0);
  e.sequence = stmt.Int64(1);
  e.incident_id = stmt.Text(2);
  e.unit_id = stmt.Text(3);
  e.amount_fen = stmt.Int64(4);
  e.code = stmt.Text(5);
  e.reason = stmt.Text(6);
  e.voucher = stmt.Text(7);
  ANDING_ASSIGN_OR_RETURN(e.actor, ActorFrom("actor", stmt.Text(8)));
  e.at = FromUnixMicros(stmt.Int64(9));
  e.held_fen = stmt.Int64(10);
  e.direct_fen = stmt.Int64(11);
  return e;
}

Result<Transfer> TransferFrom(const storage::Statement& stmt) {
  Transfer t;
  t.id = stmt.Text(0);
  t.sequence = stmt.Int64(1);
  t.debit_account_id = stmt.Text(2);
  t.credit_account_id = stmt.Text(3);
  t.amount_fen = stmt.Int64(4);
  t.code = stmt.Text(5);
  t.reason = stmt.Text(6);
  t.incident_id = stmt.Text(7);
  t.hold_id = stmt.Text(8);
  t.reverses_id = stmt.Text(9);
  t.expense_id = stmt.Text(10);
  ANDING_ASSIGN_OR_RETURN(t.actor, ActorFrom("actor", stmt.Text(11)));
  t.at = FromUnixMicros(stmt.Int64(12));
  return t;
}

Result<QuotaChange> QuotaChangeFrom(const storage::Statement& stmt) {
  QuotaChange c;
  c.id = stmt.Text(0);
  c.sequence = stmt.Int64(1);
  c.account_id = stmt.Text(2);
  c.old_quota_fen = stmt.OptionalInt64(3);
  c.new_quota_fen = stmt.OptionalInt64(4);
  c.reason = stmt.Text(5);
  ANDING_ASSIGN_OR_RETURN(c.actor, ActorFrom("actor", stmt.Text(6)));
  c.at = FromUnixMicros(stmt.Int64(7));
  return c;
}

// The columns each decoder above reads, in its order.
constexpr std::string_view kAccountSelect =
    "SELECT id, kind, name, unit_id, expense_code, quota_fen, low_balance_fen, "
    "low_balance_alerted, debits_posted_fen, credits_posted_fen, debits_pending_fen "
    "FROM funds_accounts";
constexpr std::string_view kHoldSelect =
    "SELECT id, seq, account_id, amount_fen, posted_fen, state, code, reason, incident_id, actor, "
    "created_at_us, expires_at_us, closed_at_us, closed_by, close_reason FROM funds_holds";
constexpr std::string_view kEstimateSelect =
    "SELECT id, seq, incident_id, unit_id, destination_region, destination_kind, people, "
    "vehicles, distance_m, days, person_cost_fen, vehicle_cost_fen, estimated_fen, held_fen, "
    "shortfall_fen, hold_id, at_us FROM funds_estimates";
constexpr std::string_view kExpenseSelect =
    "SELECT id, seq, incident_id, unit_id, amount_fen, code, reason, voucher, actor, at_us, "
    "held_fen, direct_fen FROM funds_expenses";
constexpr std::string_view kTransferSelect =
    "SELECT id, seq, debit_account_id, credit_account_id, amount_fen, code, reason, "
    "incident_id, COALESCE(hold_id, ''), COALESCE(reverses_id, ''), COALESCE(expense_id, ''), "
    "actor, at_us FROM funds_transfers";
constexpr std::string_view kQuotaChangeSelect =
    "SELECT id, seq, account_id, old_quota_fen, new_quota_fen, reason, actor, at_us "
    "FROM funds_quota_changes";

// Rows of `select` + " " + `rest` (a WHERE and ORDER BY clause) decoded
// into `out`, with `bind` binding the parameters.
template <typename T, typename Decode, typename Bind>
Status Load(storage::Database& db, std::string_view select, std::string_view rest,
            std::string_view table, Decode decode, std::vector<T>& out, Bind bind) {
  return sql::LoadRows(db, StrCat(select, " ", rest), table, 1, decode, out, bind);
}
template <typename T, typename Decode>
Status Load(storage::Database& db, std::string_view select, std::string_view rest,
            std::string_view table, Decode decode, std::vector<T>& out) {
  return Load(db, select, rest, table, decode, out, [](storage::Statement&) {});
}

auto BindTime(Time at) {
  return [at](storage::Statement& s) { s.Bind(1, ToUnixMicros(at)); };
}

auto BindText(std::string_view text) {
  return [text](storage::Statement& s) { s.Bind(1, text); };
}

Status LoadAccounts(storage::Database& db, FundsState& state) {
  std::vector<Account> accounts;
  ANDING_RETURN_IF_ERROR(
      Load(db, kAccountSelect, "ORDER BY id", "funds_accounts", AccountFrom, accounts));
  for (Account& a : accounts) {
    std::string id = a.id;
    state.accounts.emplace(std::move(id), std::move(a));
  }
  return OkStatus();
}

template <typename Record>
void SortBySequence(std::vector<Record>& records) {
  std::sort(records.begin(), records.end(),
            [](const Record& a, const Record& b) { return a.sequence < b.sequence; });
}

// The pending holds and those closed from `since` on, in sequence order.
Status LoadHoldsOpenSince(storage::Database& db, Time since, FundsState& state) {
  ANDING_RETURN_IF_ERROR(Load(db, kHoldSelect, "WHERE state = 'pending' ORDER BY seq",
                              "funds_holds", HoldFrom, state.holds));
  ANDING_RETURN_IF_ERROR(Load(db, kHoldSelect,
                              "WHERE closed_at_us IS NOT NULL AND closed_at_us >= ?1",
                              "funds_holds", HoldFrom, state.holds, BindTime(since)));
  SortBySequence(state.holds);
  return OkStatus();
}

}  // namespace

Result<FundsState> LoadFundsState(storage::Database& db) {
  FundsState state;
  ANDING_RETURN_IF_ERROR(LoadAccounts(db, state));
  ANDING_RETURN_IF_ERROR(
      Load(db, kHoldSelect, "ORDER BY seq", "funds_holds", HoldFrom, state.holds));
  ANDING_RETURN_IF_ERROR(
      Load(db, kEstimateSelect, "ORDER BY seq", "funds_estimates", EstimateFrom, state.estimates));
  ANDING_RETURN_IF_ERROR(
      Load(db, kExpenseSelect, "ORDER BY seq", "funds_expenses", ExpenseFrom, state.expenses));
  ANDING_RETURN_IF_ERROR(
      Load(db, kTransferSelect, "ORDER BY seq", "funds_transfers", TransferFrom, state.transfers));
  ANDING_RETURN_IF_ERROR(Load(db, kQuotaChangeSelect, "ORDER BY seq", "funds_quota_changes",
                              QuotaChangeFrom, state.quota_changes));
  return state;
}

Result<FundsState> LoadOpenFunds(storage::Database& db, Time since) {
  FundsState state;
  state.held_since = since;
  ANDING_RETURN_IF_ERROR(LoadAccounts(db, state));
  ANDING_RETURN_IF_ERROR(LoadHoldsOpenSince(db, since, state));
  // Read in time order through the indexes, then put in sequence order.
  ANDING_RETURN_IF_ERROR(Load(db, kEstimateSelect, "WHERE at_us >= ?1", "funds_estimates",
                              EstimateFrom, state.estimates, BindTime(since)));
  ANDING_RETURN_IF_ERROR(Load(db, kExpenseSelect, "WHERE at_us >= ?1", "funds_expenses",
                              ExpenseFrom, state.expenses, BindTime(since)));
  ANDING_RETURN_IF_ERROR(Load(db, kTransferSelect, "WHERE at_us >= ?1", "funds_transfers",
                              TransferFrom, state.transfers, BindTime(since)));
  SortBySequence(state.estimates);
  SortBySequence(state.expenses);
  SortBySequence(state.transfers);
  ANDING_RETURN_IF_ERROR(Load(db, kQuotaChangeSelect, "ORDER BY seq", "funds_quota_changes",
                              QuotaChangeFrom, state.quota_changes));
  // Every record kind shares one sequence; each table's is unique (indexed).
  for (const char* table : {"funds_holds", "funds_estimates", "funds_expenses", "funds_transfers",
                            "funds_quota_changes"}) {
    ANDING_ASSIGN_OR_RETURN(storage::Statement max,
                            db.Prepare(StrCat("SELECT COALESCE(MAX(seq), 0) FROM ", table)));
    ANDING_ASSIGN_OR_RETURN(const bool row, max.Step());
    if (row) state.last_sequence = std::max(state.last_sequence, max.Int64(0));
  }
  return state;
}

Result<FundsState> FindFundsRecords(storage::Database& db, std::string_view id) {
  FundsState found;
  ANDING_RETURN_IF_ERROR(
      Load(db, kHoldSelect, "WHERE id = ?1", "funds_holds", HoldFrom, found.holds, BindText(id)));
  ANDING_RETURN_IF_ERROR(Load(db, kEstimateSelect, "WHERE id = ?1", "funds_estimates", EstimateFrom,
                              found.estimates, BindText(id)));
  ANDING_RETURN_IF_ERROR(Load(db, kExpenseSelect, "WHERE id = ?1", "funds_expenses", ExpenseFrom,
                              found.expenses, BindText(id)));
  ANDING_RETURN_IF_ERROR(Load(db, kTransferSelect, "WHERE id = ?1 OR reverses_id = ?1",
                              "funds_transfers", TransferFrom, found.transfers, BindText(id)));
  return found;
}

Result<FundsState> FindIncidentEstimates(storage::Database& db, std::string_view incident_id) {
  FundsState found;
  ANDING_RETURN_IF_ERROR(Load(db, kEstimateSelect, "WHERE incident_id = ?1", "funds_estimates",
                              EstimateFrom, found.estimates, BindText(incident_id)));
  return found;
}

Result<FundsState> LoadIncidentFunds(storage::Database& db,
                                     const std::vector<std::string>& incident_ids) {
  FundsState state;
  ANDING_RETURN_IF_ERROR(LoadAccounts(db, state));
  // The incident indexes are partial (incident_id <> ''): the condition
  // repeats so that SQLite may use them with a bound value.
  for (const std::string& incident : incident_ids) {
    if (incident.empty()) continue;
    ANDING_RETURN_IF_ERROR(Load(db, kEstimateSelect, "WHERE incident_id = ?1", "funds_estimates",
                                EstimateFrom, state.estimates, BindText(incident)));
    ANDING_RETURN_IF_ERROR(Load(db, kHoldSelect, "WHERE incident_id = ?1 AND incident_id <> ''",
                                "funds_holds", HoldFrom, state.holds, BindText(incident)));
    ANDING_RETURN_IF_ERROR(Load(db, kTransferSelect, "WHERE incident_id = ?1 AND incident_id <> ''",
                                "funds_transfers", TransferFrom, state.transfers,
                                BindText(incident)));
  }
  SortBySequence(state.estimates);
  SortBySequence(state.holds);
  SortBySequence(state.transfers);
  return state;
}

Result<FundsState> LoadAccountTransfers(storage::Database& db, std::string_view account_id,
                                        Time since) {
  FundsState state;
  ANDING_RETURN_IF_ERROR(LoadAccounts(db, state));
  auto bind = [account_id, since](storage::Statement& s) {
    s.Bind(1, account_id);
    s.Bind(2, ToUnixMicros(since));
  };
  ANDING_RETURN_IF_ERROR(Load(db, kTransferSelect, "WHERE debit_account_id = ?1 AND at_us >= ?2",
                              "funds_transfers", TransferFrom, state.transfers, bind));
  ANDING_RETURN_IF_ERROR(Load(db, kTransferSelect, "WHERE credit_account_id = ?1 AND at_us >= ?2",
                              "funds_transfers", TransferFrom, state.transfers, bind));
  SortBySequence(state.transfers);
  return state;
}

Result<FundsState> LoadFundsSince(storage::Database& db, Time since) {
  FundsState state;
  ANDING_RETURN_IF_ERROR(LoadAccounts(db, state));
  ANDING_RETURN_IF_ERROR(Load(db, kTransferSelect, "WHERE at_us >= ?1", "funds_transfers",
                              TransferFrom, state.transfers, BindTime(since)));
  SortBySequence(state.transfers);
  ANDING_RETURN_IF_ERROR(LoadHoldsOpenSince(db, since, state));
  return state;
}

Status CheckFundsTotals(storage::Database& db) {
  auto broken = [](std::string message) {
    return DataLossError(StrCat("funds book inconsistent: ", message));
  };
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement accounts,
      db.Prepare("SELECT a.id, a.debits_posted_fen, a.credits_posted_fen, a.debits_pending_fen, "
                 "COALESCE(d.fen, 0), COALESCE(c.fen, 0), COALESCE(p.fen, 0) "
                 "FROM funds_accounts a "
                 "LEFT JOIN (SELECT debit_account_id AS id, SUM(amount_fen) AS fen "
                 "  FROM funds_transfers GROUP BY debit_account_id) d ON d.id = a.id "
                 "LEFT JOIN (SELECT credit_account_id AS id, SUM(amount_fen) AS fen "
                 "  FROM funds_transfers GROUP BY credit_account_id) c ON c.id = a.id "
                 "LEFT JOIN (SELECT account_id AS id, SUM(amount_fen - posted_fen) AS fen "
                 "  FROM funds_holds WHERE state = 'pending' GROUP BY account_id) p "
                 "  ON p.id = a.id "
                 "WHERE a.debits_posted_fen <> COALESCE(d.fen, 0) "
                 "   OR a.credits_posted_fen <> COALESCE(c.fen, 0) "
                 "   OR a.debits_pending_fen <> COALESCE(p.fen, 0) ORDER BY a.id LIMIT 1"));
  ANDING_ASSIGN_OR_RETURN(const bool differs, accounts.Step());
  if (differs) {
    return broken(StrCat("account '", accounts.Text(0), "' has running totals (debits ",
                         accounts.Int64(1), ", credits ", accounts.Int64(2), ", pending ",
                         accounts.Int64(3), ") but its transfers and holds fold to (",
                         accounts.Int64(4), ", ", accounts.Int64(5), ", ", accounts.Int64(6), ")"));
  }
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement holds,
      db.Prepare("SELECT h.id, h.posted_fen, (SELECT COALESCE(SUM(t.amount_fen), 0) "
                 "FROM funds_transfers t WHERE t.hold_id = h.id) AS posts FROM funds_holds h "
                 "WHERE h.posted_fen <> posts ORDER BY h.seq LIMIT 1"));
  ANDING_ASSIGN_OR_RETURN(const bool mismatch, holds.Step());
  if (mismatch) {
    return broken(StrCat("hold '", holds.Text(0), "' records ", holds.Int64(1),
                         " fen posted but its posts sum to ", holds.Int64(2)));
  }
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement sum,
      db.Prepare("SELECT COALESCE(SUM(credits_posted_fen - debits_posted_fen), 0) "
                 "FROM funds_accounts"));
  ANDING_ASSIGN_OR_RETURN(const bool row, sum.Step());
  if (row && sum.Int64(0) != 0) {
    return broken(StrCat("balances sum to ", sum.Int64(0), " fen, not 0"));
  }
  return OkStatus();
}

}  // namespace anding::store

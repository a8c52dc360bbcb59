// Persistence of the reserve-fund book (domain "funds"): the only code
// that writes SQL for it.
//
// The core enforces the book's rules; the schema enforces them again, so
// that a bug or a hand-written statement cannot corrupt the books:
//  * funds_accounts keeps running totals that only triggers change: every
//    insert into funds_transfers adds its amount to the debit and credit
//    accounts, every insert or update of funds_holds moves the hold's
//    remaining amount in or out of debits_pending_fen. CHECK constraints on
//    funds_accounts then refuse, inside the same statement, any write that
//    would leave a non-external account with available < 0 or a balance
//    above its quota. (Save functions never write the totals themselves.)
//  * funds_transfers: amount_fen > 0, two distinct known accounts, unique
//    id; rows can be neither updated nor deleted. A post against a hold must
//    come from the hold's account and may not exceed what the hold records
//    as posted.
//  * funds_holds: posted_fen within 0..amount_fen, a closed hold
//    (posted, voided, expired) never changes again, amounts never change.
// A violating write fails with FailedPrecondition and, inside the caller's
// transaction, changes nothing once the caller rolls back.
//
// Save functions run inside a transaction the shell opens (storage::InTransaction);
// they do not open one. Thread-safety: as storage::Database (one thread at a time).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/funds/records.h"
#include "anding/storage/database.h"

namespace anding::store {

// The funds schema, for storage::Database::Migrate("funds", FundsMigrations()).
[[nodiscard]] std::vector<storage::Migration> FundsMigrations();

// Saves a change set (Funds::Changes): new accounts first, then holds,
// estimates, expenses, transfers and quota changes in book (sequence)
// order, each checked against the balances of its moment, then the
// accounts' latest metadata. A change set may cover one command or several
// (Effects accumulated over many commands); several change sets may go, in
// the order they were taken, into one transaction.
[[nodiscard]] Status SaveFundsChanges(storage::Database& db,
                                      const core::funds::FundsChangeSet& changes);

// Every load below returns DataLoss naming the table, the row and the field
// for a row that does not parse (an unknown kind or state, a malformed
// actor). Records come in sequence order.

// Everything stored, ready for Funds::Restore (which checks the running
// totals against the fold of the transfers). For tools and tests: the
// dispatcher loads LoadOpenFunds.
[[nodiscard]] Result<core::funds::FundsState> LoadFundsState(storage::Database& db);

// What a running dispatcher holds (FundsState::held_since = since): every
// account, pending hold and quota change; the holds closed, and the
// estimates, expenses and transfers made, from `since` on; the highest
// sequence number. Through indexes: it reads what is open and recent, not
// the history.
[[nodiscard]] Result<core::funds::FundsState> LoadOpenFunds(storage::Database& db, Time since);

// The hold, estimate, expense or transfer with this id (one id space), and
// the transfers that reverse it, for Funds::Recall. Empty if none.
[[nodiscard]] Result<core::funds::FundsState> FindFundsRecords(storage::Database& db,
                                                               std::string_view id);

// The incident's dispatch estimates (only), for Funds::Recall before a
// confirmed dispatch is numbered after them.
[[nodiscard]] Result<core::funds::FundsState> FindIncidentEstimates(storage::Database& db,
                                                                    std::string_view incident_id);

// Every account, and the estimates, holds and transfers of the incidents
// (IncidentCostReport, ComputeCategoryUse, an incident's holds).
[[nodiscard]] Result<core::funds::FundsState> LoadIncidentFunds(
    storage::Database& db, const std::vector<std::string>& incident_ids);

// Every account, and the account's transfers made from `since` on
// (AccountStatement).
[[nodiscard]] Result<core::funds::FundsState> LoadAccountTransfers(storage::Database& db,
                                                                   std::string_view account_id,
                                                                   Time since);

// Every account, the transfers made from `since` on, the pending holds and
// those closed from `since` on (Reconcile).
[[nodiscard]] Result<core::funds::FundsState> LoadFundsSince(storage::Database& db, Time since);

// The whole book's check, in SQL: every account's running totals equal the
// fold of its transfers and pending holds, every hold's posted amount its
// posts, and the balances sum to zero. DataLoss naming the first mismatch.
// Reads every transfer: for the monthly reconciliation, on the query thread.
[[nodiscard]] Status CheckFundsTotals(storage::Database& db);

}  // namespace anding::store

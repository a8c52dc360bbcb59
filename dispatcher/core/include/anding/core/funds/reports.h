// Reports over the reserve-fund book: an account's statement for a
// period, an incident's cost (estimated vs actual), and the monthly
// reconciliation for auditors. Periods are whole calendar days in the
// organisation's time zone (Organisation::time_zone()); instants are UTC.
//
// Thread-safety: pure functions of a Funds the caller does not modify
// meanwhile.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/funds/funds.h"

namespace anding::core::funds {

// Calendar days `first`..`last`, both included.
struct Period {
  CivilDay first;
  CivilDay last;
};

// The calendar month; InvalidArgument unless 1 <= month <= 12.
[[nodiscard]] Result<Period> MonthPeriod(int year, int month);

struct StatementLine {
  std::string transfer_id;
  Time at{};
  std::string code;
  std::string reason;
  std::string incident_id;
  std::string counterparty_account_id;
  int64_t amount_fen = 0;         // + money in, - money out
  int64_t balance_after_fen = 0;  // running balance after this line
};

struct Statement {
  std::string account_id;
  Period period;
  Time from{};              // first instant of period.first in the zone
  Time to{};                // first instant after period.last (exclusive)
  int64_t opening_fen = 0;  // balance at `from`
  int64_t credits_fen = 0;  // money in during the period
  int64_t debits_fen = 0;   // money out during the period
  int64_t closing_fen = 0;  // opening + credits - debits = balance at `to`
  std::vector<StatementLine> lines;
};

// The account's movements in `period`, from a state that holds the account
// (with its running totals) and at least its transfers from the period's
// start on, in sequence order (the whole book, or the store's
// store::LoadAccountTransfers): the opening balance is the balance now less
// what moved since. NotFound for an unknown account; InvalidArgument if
// period.last is before period.first.
[[nodiscard]] Result<Statement> AccountStatement(const FundsState& state,
                                                 std::string_view account_id, const Period& period,
                                                 const TimeZone& zone);

// One responding unit's share of an incident's cost.
struct IncidentUnitCost {
  std::string unit_id;  // empty for expenses paid from the pool
  int64_t dispatches = 0;
  int64_t estimated_fen = 0;  // sum of its dispatch estimates
  int64_t shortfall_fen = 0;  // estimated but not held at dispatch
  int64_t held_fen = 0;       // holds placed for the incident
  int64_t pending_fen = 0;    // still reserved now
  int64_t released_fen = 0;   // voided or expired, never spent
  int64_t actual_fen = 0;     // spent: transfers to expense accounts, net of reversals
  std::map<std::string, int64_t> actual_by_code;  // expense code -> fen
};

struct IncidentCost {
  std::string incident_id;
  std::vector<IncidentUnitCost> units;  // by unit id
  int64_t estimated_fen = 0;
  int64_t actual_fen = 0;
  int64_t variance_fen = 0;  // actual - estimated
  int64_t pending_fen = 0;
  int64_t released_fen = 0;
};

// Estimated vs actual cost of an incident, per responding unit. Actual
// counts every transfer tagged with the incident into an expense account
// (minus those out of one, i.e. reversals). An incident the book never
// saw yields an empty report. `state` holds every account and at least the
// incident's estimates, holds and transfers (the whole book, or
// store::LoadIncidentFunds).
[[nodiscard]] IncidentCost IncidentCostReport(const FundsState& state,
                                              std::string_view incident_id);

struct AccountReconciliation {
  std::string account_id;
  AccountKind kind = AccountKind::kReserve;
  int64_t opening_fen = 0;
  int64_t debits_fen = 0;
  int64_t credits_fen = 0;
  int64_t closing_fen = 0;
};

struct Reconciliation {
  Period period;
  Time from{};
  Time to{};
  std::vector<AccountReconciliation> accounts;  // by account id
  int64_t opening_sum_fen = 0;                  // must be 0
  int64_t closing_sum_fen = 0;                  // must be 0
  int64_t total_debits_fen = 0;
  int64_t total_credits_fen = 0;  // must equal total_debits_fen
  // Running balances equal the fold of every transfer and hold.
  bool running_balances_match = false;
  // All of the above hold: the books balance.
  bool balanced = false;
  // Holds still pending at `now` although their expires_at has passed
  // (Tick has not run: look at the dispatcher's timers).
  std::vector<Hold> overdue_holds;
  // Holds that expired within the period with money never posted.
  std::vector<Hold> expired_holds;
};

// The reconciliation of `period` (normally MonthPeriod), as of `now`, from
// a state that holds every account with its running totals, at least the
// transfers from the period's start on, the pending holds and those
// expired in the period (the whole book, or store::LoadFundsSince).
// `running_balances_match` is the caller's check of the running totals
// against the fold of every transfer and hold (Funds::VerifyBalances of the
// whole book, or store::CheckFundsTotals). InvalidArgument if period.last
// is before period.first.
[[nodiscard]] Result<Reconciliation> Reconcile(const FundsState& state, const Period& period,
                                               const TimeZone& zone, Time now,
                                               bool running_balances_match);

}  // namespace anding::core::funds

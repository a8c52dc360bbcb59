#include "anding/core/funds/reports.h"

#include <map>

#include "anding/common/strings.h"

namespace anding::core::funds {
namespace {

Status CheckPeriod(const Period& period) {
  if (period.last < period.first) {
    return InvalidArgumentError(StrCat("period ends (", FormatDay(period.last),
                                       ") before it starts (", FormatDay(period.first), ")"));
  }
  return OkStatus();
}

}  // namespace

Result<Period> MonthPeriod(int year, int month) {
  if (month < 1 || month > 12) {
    return InvalidArgumentError(StrCat("month must be 1 to 12, got ", month));
  }
  const absl::CivilMonth start(year, month);
  return Period{CivilDay(start), CivilDay(start + 1) - 1};
}

Result<Statement> AccountStatement(const FundsState& state, std::string_view account_id,
                                   const Period& period, const TimeZone& zone) {
  ANDING_RETURN_IF_ERROR(CheckPeriod(period));
  const auto found = state.accounts.find(account_id);
  if (found == state.accounts.end()) {
    return NotFoundError(StrCat("unknown account '", account_id, "'"));
  }
  const Account& account = found->second;
  Statement statement;
  statement.account_id = account.id;
  statement.period = period;
  statement.from = zone.StartOf(period.first);
  statement.to = zone.StartOf(period.last + 1);
  // The opening balance is today's less what moved from `from` on.
  int64_t moved_since = 0;
  for (const Transfer& t : state.transfers) {
    const bool in = t.credit_account_id == account.id;
    if ((!in && t.debit_account_id != account.id) || t.at < statement.from) continue;
    const int64_t signed_fen = in ? t.amount_fen : -t.amount_fen;
    moved_since += signed_fen;
    if (t.at >= statement.to) continue;
    (in ? statement.credits_fen : statement.debits_fen) += t.amount_fen;
    StatementLine line;
    line.transfer_id = t.id;
    line.at = t.at;
    line.code = t.code;
    line.reason = t.reason;
    line.incident_id = t.incident_id;
    line.counterparty_account_id = in ? t.debit_account_id : t.credit_account_id;
    line.amount_fen = signed_fen;
    statement.lines.push_back(std::move(line));
  }
  statement.opening_fen = account.balance_fen() - moved_since;
  int64_t balance = statement.opening_fen;
  for (StatementLine& line : statement.lines) {
    balance += line.amount_fen;
    line.balance_after_fen = balance;
  }
  statement.closing_fen = statement.opening_fen + statement.credits_fen - statement.debits_fen;
  return statement;
}

IncidentCost IncidentCostReport(const FundsState& state, std::string_view incident_id) {
  IncidentCost report;
  report.incident_id = std::string(incident_id);
  std::map<std::string, IncidentUnitCost> units;
  auto unit = [&](const std::string& unit_id) -> IncidentUnitCost& {
    IncidentUnitCost& cost = units[unit_id];
    cost.unit_id = unit_id;
    return cost;
  };
  auto account = [&](const std::string& id) -> const Account& { return state.accounts.at(id); };
  for (const Estimate& e : state.estimates) {
    if (e.incident_id != incident_id) continue;
    IncidentUnitCost& cost = unit(e.unit_id);
    ++cost.dispatches;
    cost.estimated_fen += e.estimated_fen;
    cost.shortfall_fen += e.shortfall_fen;
  }
  for (const Hold& h : state.holds) {
    if (h.incident_id != incident_id) continue;
    IncidentUnitCost& cost = unit(account(h.account_id).unit_id);
    cost.held_fen += h.amount_fen;
    cost.pending_fen += h.remaining_fen();
    cost.released_fen += h.released_fen();
  }
  for (const Transfer& t : state.transfers) {
    if (t.incident_id != incident_id) continue;
    const Account* debit = &account(t.debit_account_id);
    const Account* credit = &account(t.credit_account_id);
    if (credit->kind == AccountKind::kExpense && debit->kind != AccountKind::kExpense) {
      IncidentUnitCost& cost = unit(debit->unit_id);
      cost.actual_fen += t.amount_fen;
      cost.actual_by_code[credit->expense_code] += t.amount_fen;
    } else if (debit->kind == AccountKind::kExpense && credit->kind != AccountKind::kExpense) {
      IncidentUnitCost& cost = unit(credit->unit_id);
      cost.actual_fen -= t.amount_fen;
      cost.actual_by_code[debit->expense_code] -= t.amount_fen;
    }
  }
  for (auto& [id, cost] : units) {
    report.estimated_fen += cost.estimated_fen;
    report.actual_fen += cost.actual_fen;
    report.pending_fen += cost.pending_fen;
    report.released_fen += cost.released_fen;
    report.units.push_back(std::move(cost));
  }
  report.variance_fen = report.actual_fen - report.estimated_fen;
  return report;
}

Result<Reconciliation> Reconcile(const FundsState& state, const Period& period,
                                 const TimeZone& zone, Time now, bool running_balances_match) {
  ANDING_RETURN_IF_ERROR(CheckPeriod(period));
  Reconciliation r;
  r.period = period;
  r.from = zone.StartOf(period.first);
  r.to = zone.StartOf(period.last + 1);
  std::map<std::string, AccountReconciliation> rows;
  // Each account's balance now, less what moved from `from` on, is its
  // opening balance.
  std::map<std::string, int64_t> opening;
  for (const auto& [id, account] : state.accounts) {
    rows[id] = AccountReconciliation{id, account.kind, 0, 0, 0, 0};
    opening[id] = account.balance_fen();
  }
  for (const Transfer& t : state.transfers) {
    if (t.at < r.from) continue;
    opening[t.debit_account_id] += t.amount_fen;
    opening[t.credit_account_id] -= t.amount_fen;
    if (t.at >= r.to) continue;
    AccountReconciliation& debit = rows[t.debit_account_id];
    AccountReconciliation& credit = rows[t.credit_account_id];
    debit.debits_fen += t.amount_fen;
    credit.credits_fen += t.amount_fen;
    r.total_debits_fen += t.amount_fen;
    r.total_credits_fen += t.amount_fen;
  }
  for (auto& [id, row] : rows) {
    row.opening_fen = opening[id];
    row.closing_fen = row.opening_fen + row.credits_fen - row.debits_fen;
    r.opening_sum_fen += row.opening_fen;
    r.closing_sum_fen += row.closing_fen;
    r.accounts.push_back(row);
  }
  r.running_balances_match = running_balances_match;
  r.balanced = r.running_balances_match && r.opening_sum_fen == 0 && r.closing_sum_fen == 0 &&
               r.total_debits_fen == r.total_credits_fen;
  for (const Hold& h : state.holds) {
    if (h.state == HoldState::kPending && h.expires_at <= now) r.overdue_holds.push_back(h);
    if (h.state == HoldState::kExpired && h.closed_at && *h.closed_at >= r.from &&
        *h.closed_at < r.to && h.released_fen() > 0) {
      r.expired_holds.push_back(h);
    }
  }
  return r;
}

}  // namespace anding::core::funds

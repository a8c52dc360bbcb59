// Funds: restoring from the store, applying the configuration, reads and
// change sets. The commands are in book.cc and incidents.cc.
#include "anding/core/funds/funds.h"

#include <algorithm>
#include <unordered_set>

#include "anding/common/strings.h"
#include "internal.h"

namespace anding::core::funds {
namespace {

using internal::Yuan;

Status Broken(StatusCode code, std::string message) {
  return Status(code, StrCat("funds book inconsistent: ", message));
}

// Checks that the running totals of every account equal the fold of the
// transfers and holds, that the balances sum to zero, that no account breaks
// its limits and that each hold's posted amount equals its posts. Of a
// partial state (held_since set) only the pending amounts are folded: it
// holds every pending hold but not every transfer.
Status CheckFold(const FundsState& state, StatusCode code) {
  const bool whole = !state.held_since.has_value();
  struct Totals {
    int64_t debits = 0;
    int64_t credits = 0;
    int64_t pending = 0;
  };
  std::unordered_map<std::string, Totals> totals;
  std::unordered_map<std::string, int64_t> posted_by_hold;
  for (const Transfer& t : state.transfers) {
    if (!state.accounts.contains(t.debit_account_id) ||
        !state.accounts.contains(t.credit_account_id)) {
      return Broken(code, StrCat("transfer '", t.id, "' names an unknown account"));
    }
    if (!whole) continue;
    totals[t.debit_account_id].debits += t.amount_fen;
    totals[t.credit_account_id].credits += t.amount_fen;
    if (!t.hold_id.empty()) posted_by_hold[t.hold_id] += t.amount_fen;
  }
  for (const Hold& h : state.holds) {
    if (!state.accounts.contains(h.account_id)) {
      return Broken(code, StrCat("hold '", h.id, "' names an unknown account"));
    }
    totals[h.account_id].pending += h.remaining_fen();
    const auto it = posted_by_hold.find(h.id);
    const int64_t posted = it == posted_by_hold.end() ? 0 : it->second;
    if (whole && posted != h.posted_fen) {
      return Broken(code, StrCat("hold '", h.id, "' records ", h.posted_fen,
                                 " fen posted but its posts sum to ", posted));
    }
  }
  int64_t sum = 0;
  for (const auto& [id, account] : state.accounts) {
    const Totals& t = totals[id];
    if (t.pending != account.debits_pending_fen ||
        (whole &&
         (t.debits != account.debits_posted_fen || t.credits != account.credits_posted_fen))) {
      return Broken(
          code,
          StrCat("account '", id, "' has running totals (debits ", account.debits_posted_fen,
                 ", credits ", account.credits_posted_fen, ", pending ", account.debits_pending_fen,
                 ") but its ", whole ? "transfers and holds" : "pending holds", " fold to (",
                 whole ? StrCat(t.debits, ", ", t.credits, ", ") : std::string(), t.pending, ")"));
    }
    if (!account.may_go_negative() && account.available_fen() < 0) {
      return Broken(code, StrCat("account '", id, "' has available ", account.available_fen()));
    }
    if (account.quota_fen && account.balance_fen() > *account.quota_fen) {
      return Broken(code, StrCat("account '", id, "' holds ", account.balance_fen(),
                                 " fen above its quota of ", *account.quota_fen));
    }
    sum += account.balance_fen();
  }
  if (sum != 0) return Broken(code, StrCat("balances sum to ", sum, " fen, not 0"));
  return OkStatus();
}

template <typename Record>
Status CheckSequences(const std::vector<Record>& records, std::string_view what,
                      int64_t& next_sequence) {
  int64_t last = 0;
  for (const Record& r : records) {
    if (r.sequence <= last) {
      return Broken(StatusCode::kDataLoss, StrCat(what, " '", r.id, "' is out of sequence"));
    }
    last = r.sequence;
    next_sequence = std::max(next_sequence, r.sequence + 1);
  }
  return OkStatus();
}

}  // namespace

Result<Funds> Funds::Restore(FundsConfig config, FundsState loaded) {
  Funds funds;
  funds.config_ = std::move(config);
  funds.state_ = std::move(loaded);
  ANDING_RETURN_IF_ERROR(funds.Index());
  return funds;
}

Status Funds::Index() {
  constexpr StatusCode kLoss = StatusCode::kDataLoss;
  const bool whole = !state_.held_since.has_value();
  next_sequence_ = state_.last_sequence + 1;
  ANDING_RETURN_IF_ERROR(CheckSequences(state_.transfers, "transfer", next_sequence_));
  ANDING_RETURN_IF_ERROR(CheckSequences(state_.holds, "hold", next_sequence_));
  ANDING_RETURN_IF_ERROR(CheckSequences(state_.expenses, "expense", next_sequence_));
  ANDING_RETURN_IF_ERROR(CheckSequences(state_.estimates, "estimate", next_sequence_));
  ANDING_RETURN_IF_ERROR(CheckSequences(state_.quota_changes, "quota change", next_sequence_));
  for (const auto& [id, account] : state_.accounts) {
    if (id != account.id)
      return Broken(kLoss, StrCat("account '", account.id, "' filed as '", id, "'"));
  }

  std::unordered_set<std::string> ids;
  for (size_t i = 0; i < state_.holds.size(); ++i) {
    const Hold& h = state_.holds[i];
    if (!ids.insert(h.id).second) return Broken(kLoss, StrCat("id '", h.id, "' used twice"));
    IndexHold(i);
    if (h.amount_fen <= 0 || h.posted_fen < 0 || h.posted_fen > h.amount_fen ||
        (h.state == HoldState::kPending) == h.closed_at.has_value() ||
        (h.state == HoldState::kPosted && h.posted_fen != h.amount_fen)) {
      return Broken(kLoss, StrCat("hold '", h.id, "' has inconsistent amounts or state"));
    }
  }
  for (size_t i = 0; i < state_.expenses.size(); ++i) {
    const Expense& e = state_.expenses[i];
    if (!ids.insert(e.id).second) return Broken(kLoss, StrCat("id '", e.id, "' used twice"));
    expense_index_.emplace(e.id, i);
  }
  // Of a partial state, a reference to a record older than held_since
  // need not resolve.
  for (size_t i = 0; i < state_.transfers.size(); ++i) {
    const Transfer& t = state_.transfers[i];
    if (!ids.insert(t.id).second) return Broken(kLoss, StrCat("id '", t.id, "' used twice"));
    if (t.amount_fen <= 0 || t.debit_account_id == t.credit_account_id) {
      return Broken(kLoss, StrCat("transfer '", t.id, "' has a bad amount or accounts"));
    }
    if (whole && !t.hold_id.empty() && !hold_index_.contains(t.hold_id)) {
      return Broken(kLoss, StrCat("transfer '", t.id, "' posts unknown hold '", t.hold_id, "'"));
    }
    if (whole && !t.expense_id.empty() && !expense_index_.contains(t.expense_id)) {
      return Broken(kLoss, StrCat("transfer '", t.id, "' pays unknown expense"));
    }
    if (whole && !t.reverses_id.empty() && !transfer_index_.contains(t.reverses_id)) {
      return Broken(kLoss, StrCat("transfer '", t.id, "' reverses an unknown or later transfer"));
    }
    IndexTransfer(i);
  }
  for (size_t i = 0; i < state_.estimates.size(); ++i) {
    const Estimate& e = state_.estimates[i];
    if (estimate_index_.contains(e.id)) {
      return Broken(kLoss, StrCat("estimate '", e.id, "' listed twice"));
    }
    IndexEstimate(i);
  }
  return CheckFold(state_, kLoss);
}

void Funds::IndexHold(size_t index) {
  const Hold& h = state_.holds[index];
  hold_index_.emplace(h.id, index);
  if (h.state == HoldState::kPending)
    pending_by_expiry_.emplace(std::pair(h.expires_at, h.sequence), index);
  if (!h.incident_id.empty()) incident_holds_[h.incident_id].push_back(index);
}

void Funds::IndexTransfer(size_t index) {
  const Transfer& t = state_.transfers[index];
  transfer_index_.emplace(t.id, index);
  if (!t.reverses_id.empty()) reversed_fen_[t.reverses_id] += t.amount_fen;
}

void Funds::IndexEstimate(size_t index) {
  const Estimate& e = state_.estimates[index];
  estimate_index_.emplace(e.id, index);
  ++dispatch_count_[StrCat(e.incident_id, "\n", e.unit_id)];
}

void Funds::Recall(FundsState found) {
  for (Hold& hold : found.holds) {
    if (hold_index_.contains(hold.id)) continue;
    state_.holds.push_back(std::move(hold));
    IndexHold(state_.holds.size() - 1);
  }
  for (Expense& expense : found.expenses) {
    if (expense_index_.contains(expense.id)) continue;
    expense_index_.emplace(expense.id, state_.expenses.size());
    state_.expenses.push_back(std::move(expense));
  }
  for (Transfer& transfer : found.transfers) {
    if (transfer_index_.contains(transfer.id)) continue;
    state_.transfers.push_back(std::move(transfer));
    IndexTransfer(state_.transfers.size() - 1);
  }
  for (Estimate& estimate : found.estimates) {
    if (estimate_index_.contains(estimate.id)) continue;
    state_.estimates.push_back(std::move(estimate));
    IndexEstimate(state_.estimates.size() - 1);
  }
}

Status Funds::VerifyBalances() const { return CheckFold(state_, StatusCode::kInternal); }

Account& Funds::CreateAccount(Account account, Effects& out) {
  MarkChanged(kAccountRecord, account.id, out);
  out.notices.push_back(FeedNotice{std::string(kAccountRecord), account.id, "opened",
                                   StrCat("开设账户 ", account.name, " (", account.id, ")"),
                                   account.unit_id});
  const std::string id = account.id;
  return state_.accounts.emplace(id, std::move(account)).first->second;
}

Status Funds::ApplyConfig(Time now, Effects& out) {
  // Rare (once per start) and multi-step: work on a copy so that an error
  // leaves this object and `out` untouched.
  Funds next = *this;
  Effects local;
  auto ensure = [&](const std::string& id, AccountKind kind, const std::string& name,
                    const std::string& unit_id, const std::string& code,
                    int64_t low_balance_fen) -> Result<Account*> {
    auto it = next.state_.accounts.find(id);
    if (it == next.state_.accounts.end()) {
      Account account;
      account.id = id;
      account.kind = kind;
      account.name = name;
      account.unit_id = unit_id;
      account.expense_code = code;
      account.low_balance_fen = low_balance_fen;
      return &next.CreateAccount(std::move(account), local);
    }
    Account& account = it->second;
    if (account.kind != kind) {
      return FailedPreconditionError(StrCat("account '", id, "' is stored as ",
                                            AccountKindName(account.kind), ", not ",
                                            AccountKindName(kind)));
    }
    if (account.name != name || account.low_balance_fen != low_balance_fen) {
      account.name = name;
      account.low_balance_fen = low_balance_fen;
      next.MarkChanged(kAccountRecord, id, local);
    }
    return &account;
  };

  ANDING_RETURN_IF_ERROR(ensure(std::string(kExternalAccountId), AccountKind::kExternal,
                                config_.external_name, "", "", 0)
                             .status());
  ANDING_RETURN_IF_ERROR(ensure(std::string(kPoolAccountId), AccountKind::kPool, config_.pool_name,
                                "", "", config_.pool_low_balance_fen)
                             .status());
  for (const ExpenseCodeConfig& code : config_.expense_codes) {
    ANDING_RETURN_IF_ERROR(
        ensure(ExpenseAccountId(code.code), AccountKind::kExpense, code.name, "", code.code, 0)
            .status());
  }
  for (const ReserveConfig& reserve : config_.reserves) {
    const std::string id = ReserveAccountId(reserve.unit_id);
    const bool existed = next.state_.accounts.contains(id);
    ANDING_ASSIGN_OR_RETURN(Account * account,
                            ensure(id, AccountKind::kReserve, reserve.name, reserve.unit_id, "",
                                   reserve.low_balance_fen));
    if (!existed) {
      account->quota_fen = reserve.quota_fen;
      continue;
    }
    if (account->quota_fen == reserve.quota_fen) continue;
    const bool set_by_operator =
        std::any_of(next.state_.quota_changes.begin(), next.state_.quota_changes.end(),
                    [&](const QuotaChange& c) {
                      return c.account_id == id && c.actor.kind != Actor::Kind::kSystem;
                    });
    const std::string configured = reserve.quota_fen ? Yuan(*reserve.quota_fen) : "无额度";
    const std::string current = account->quota_fen ? Yuan(*account->quota_fen) : "无额度";
    if (set_by_operator) {
      local.alerts.push_back(HqAlert{
          HqAlert::Severity::kInfo, "funds_config_drift", id, reserve.unit_id,
          StrCat(account->name, " 的额度为 ", current, "（由操作员设定），配置文件中为 ",
                 configured,
                 "；以操作员设定为准。Quota set by an operator wins over the configuration.")});
      continue;
    }
    if (reserve.quota_fen && account->balance_fen() > *reserve.quota_fen) {
      local.alerts.push_back(
          HqAlert{HqAlert::Severity::kWarning, "funds_config_drift", id, reserve.unit_id,
                  StrCat(account->name, " 余额 ", Yuan(account->balance_fen()), " 高于配置额度 ",
                         configured, "，额度保持 ", current, "；请先将资金调回公司备用金池。")});
      continue;
    }
    QuotaChange change;
    change.id =
        StrCat("quota/", id, "/",
               1 + std::count_if(next.state_.quota_changes.begin(), next.state_.quota_changes.end(),
                                 [&](const QuotaChange& c) { return c.account_id == id; }));
    change.sequence = next.next_sequence_++;
    change.account_id = id;
    change.old_quota_fen = account->quota_fen;
    change.new_quota_fen = reserve.quota_fen;
    change.reason = "configuration";
    change.actor = Actor::System();
    change.at = now;
    account->quota_fen = reserve.quota_fen;
    next.MarkChanged(kQuotaChangeRecord, change.id, local);
    next.state_.quota_changes.push_back(std::move(change));
  }

  for (const OpeningBalance& opening : config_.opening_balances) {
    TransferRequest request{opening.id,
                            std::string(kExternalAccountId),
                            opening.account_id,
                            opening.amount_fen,
                            "opening",
                            opening.reason,
                            ""};
    auto made = next.CreateTransfer(request, Actor::System(), now, local);
    if (!made.ok()) {
      return Annotate(made.status(), StrCat("opening balance '", opening.id, "'"));
    }
  }
  for (const auto& [id, account] : next.state_.accounts) {
    if (account.low_balance_fen > 0 || account.low_balance_alerted) next.CheckLowBalance(id, local);
  }
  *this = std::move(next);
  out.Append(std::move(local));
  return OkStatus();
}

const Account* Funds::FindAccount(std::string_view id) const {
  auto it = state_.accounts.find(id);
  return it == state_.accounts.end() ? nullptr : &it->second;
}

const Transfer* Funds::FindTransfer(std::string_view id) const {
  auto it = transfer_index_.find(std::string(id));
  return it == transfer_index_.end() ? nullptr : &state_.transfers[it->second];
}

const Hold* Funds::FindHold(std::string_view id) const {
  auto it = hold_index_.find(std::string(id));
  return it == hold_index_.end() ? nullptr : &state_.holds[it->second];
}

const Expense* Funds::FindExpense(std::string_view id) const {
  auto it = expense_index_.find(std::string(id));
  return it == expense_index_.end() ? nullptr : &state_.expenses[it->second];
}

std::vector<const Hold*> Funds::PendingHolds() const {
  std::vector<const Hold*> holds;
  holds.reserve(pending_by_expiry_.size());
  for (const auto& [key, index] : pending_by_expiry_) holds.push_back(&state_.holds[index]);
  std::sort(holds.begin(), holds.end(),
            [](const Hold* a, const Hold* b) { return a->sequence < b->sequence; });
  return holds;
}

int64_t Funds::ReversedFen(std::string_view transfer_id) const {
  auto it = reversed_fen_.find(std::string(transfer_id));
  return it == reversed_fen_.end() ? 0 : it->second;
}

void Funds::MarkChanged(std::string_view kind, std::string_view id, Effects& out) const {
  out.changed.push_back(RecordRef{std::string(kind), std::string(id)});
}

Result<FundsChangeSet> Funds::Changes(const std::vector<RecordRef>& changed) const {
  FundsChangeSet set;
  std::unordered_set<std::string> seen;
  // Copies the record `found` points to into `to`, or says there is none.
  auto copy = [](const auto* found, auto& to, const RecordRef& ref) -> Status {
    if (found == nullptr) return InternalError(StrCat("no ", ref.kind, " ", ref.id, " to save"));
    to.push_back(*found);
    return OkStatus();
  };
  for (const RecordRef& ref : changed) {
    if (!seen.insert(StrCat(ref.kind, "\n", ref.id)).second) continue;
    if (ref.kind == kAccountRecord) {
      ANDING_RETURN_IF_ERROR(copy(FindAccount(ref.id), set.accounts, ref));
    } else if (ref.kind == kHoldRecord) {
      ANDING_RETURN_IF_ERROR(copy(FindHold(ref.id), set.holds, ref));
    } else if (ref.kind == kEstimateRecord) {
      auto it = estimate_index_.find(ref.id);
      const Estimate* found = it == estimate_index_.end() ? nullptr : &state_.estimates[it->second];
      ANDING_RETURN_IF_ERROR(copy(found, set.estimates, ref));
    } else if (ref.kind == kExpenseRecord) {
      ANDING_RETURN_IF_ERROR(copy(FindExpense(ref.id), set.expenses, ref));
    } else if (ref.kind == kTransferRecord) {
      ANDING_RETURN_IF_ERROR(copy(FindTransfer(ref.id), set.transfers, ref));
    } else if (ref.kind == kQuotaChangeRecord) {
      auto it = std::find_if(state_.quota_changes.begin(), state_.quota_changes.end(),
                             [&](const QuotaChange& c) { return c.id == ref.id; });
      const QuotaChange* found = it == state_.quota_changes.end() ? nullptr : &*it;
      ANDING_RETURN_IF_ERROR(copy(found, set.quota_changes, ref));
    }
  }
  auto by_sequence = [](const auto& a, const auto& b) { return a.sequence < b.sequence; };
  std::sort(set.holds.begin(), set.holds.end(), by_sequence);
  std::sort(set.estimates.begin(), set.estimates.end(), by_sequence);
  std::sort(set.expenses.begin(), set.expenses.end(), by_sequence);
  std::sort(set.transfers.begin(), set.transfers.end(), by_sequence);
  std::sort(set.quota_changes.begin(), set.quota_changes.end(), by_sequence);
  return set;
}

}  // namespace anding::core::funds

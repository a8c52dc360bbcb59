// The double-entry book: transfers, reversals, quotas, holds and their
// expiry, and the low-balance latch.
#include <algorithm>

#include "anding/common/strings.h"
#include "anding/core/funds/funds.h"
#include "internal.h"

namespace anding::core::funds {
namespace {

using internal::CheckAmount;
using internal::CheckCallerId;
using internal::CheckCode;
using internal::CheckIncidentId;
using internal::CheckText;
using internal::IdReused;
using internal::Yuan;

bool SameMovement(const Transfer& stored, const Transfer& request) {
  return stored.debit_account_id == request.debit_account_id &&
         stored.credit_account_id == request.credit_account_id &&
         stored.amount_fen == request.amount_fen && stored.code == request.code &&
         stored.reason == request.reason && stored.incident_id == request.incident_id &&
         stored.hold_id == request.hold_id && stored.reverses_id == request.reverses_id &&
         stored.expense_id == request.expense_id;
}

}  // namespace

Status Funds::CheckIdFree(std::string_view id) const {
  if (FindTransfer(id) != nullptr) return IdReused(id, "a transfer");
  if (FindHold(id) != nullptr) return IdReused(id, "a hold");
  if (FindExpense(id) != nullptr) return IdReused(id, "an expense report");
  return OkStatus();
}

Status Funds::CheckDebit(const Account& debit, int64_t amount) const {
  if (!debit.may_go_negative() && debit.available_fen() < amount) {
    return FailedPreconditionError(
        StrCat("overdraft: ", debit.id, " has ", Yuan(debit.available_fen()),
               " available (balance ", Yuan(debit.balance_fen()), ", held ",
               Yuan(debit.debits_pending_fen), "), needs ", Yuan(amount)));
  }
  if (debit.debits_posted_fen > INT64_MAX - amount ||
      debit.debits_pending_fen > INT64_MAX - amount) {
    return FailedPreconditionError(StrCat("account ", debit.id, " totals would overflow"));
  }
  return OkStatus();
}

Status Funds::CheckCredit(const Account& credit, int64_t amount) const {
  if (credit.credits_posted_fen > INT64_MAX - amount) {
    return FailedPreconditionError(StrCat("account ", credit.id, " totals would overflow"));
  }
  if (credit.quota_fen && credit.balance_fen() + amount > *credit.quota_fen) {
    return FailedPreconditionError(
        StrCat("over quota: ", credit.id, " holds ", Yuan(credit.balance_fen()), " of its quota ",
               Yuan(*credit.quota_fen), "; ", Yuan(amount), " more would exceed it by ",
               Yuan(credit.balance_fen() + amount - *credit.quota_fen)));
  }
  return OkStatus();
}

Result<Transfer> Funds::CreateTransfer(const TransferRequest& request, const Actor& who, Time now,
                                       Effects& out) {
  ANDING_RETURN_IF_ERROR(CheckCallerId(request.id, "transfer"));
  Transfer transfer;
  transfer.id = request.id;
  transfer.debit_account_id = request.debit_account_id;
  transfer.credit_account_id = request.credit_account_id;
  transfer.amount_fen = request.amount_fen;
  transfer.code = request.code;
  transfer.reason = request.reason;
  transfer.incident_id = request.incident_id;
  transfer.actor = who;
  transfer.at = now;
  if (const Transfer* stored = FindTransfer(request.id)) {
    if (SameMovement(*stored, transfer)) return *stored;
    return IdReused(request.id, "a transfer");
  }
  ANDING_RETURN_IF_ERROR(CheckIdFree(request.id));
  ANDING_RETURN_IF_ERROR(CheckAmount(request.amount_fen));
  ANDING_RETURN_IF_ERROR(CheckCode(request.code));
  ANDING_RETURN_IF_ERROR(CheckText(request.reason, "reason", true));
  if (request.debit_account_id == request.credit_account_id) {
    return InvalidArgumentError(StrCat("a transfer needs two different accounts, got ",
                                       request.debit_account_id, " twice"));
  }
  ANDING_RETURN_IF_ERROR(CheckIncidentId(request.incident_id, false));
  const Account* debit = FindAccount(request.debit_account_id);
  if (debit == nullptr) {
    return NotFoundError(StrCat("unknown account '", request.debit_account_id, "'"));
  }
  const Account* credit = FindAccount(request.credit_account_id);
  if (credit == nullptr) {
    return NotFoundError(StrCat("unknown account '", request.credit_account_id, "'"));
  }
  ANDING_RETURN_IF_ERROR(CheckDebit(*debit, request.amount_fen));
  ANDING_RETURN_IF_ERROR(CheckCredit(*credit, request.amount_fen));
  return AppendTransfer(std::move(transfer), out);
}

Result<Transfer> Funds::TopUp(const TopUpRequest& request, const Actor& who, Time now,
                              Effects& out) {
  return CreateTransfer(
      TransferRequest{request.id, std::string(kPoolAccountId), ReserveAccountId(request.unit_id),
                      request.amount_fen, "top_up", request.reason, request.incident_id},
      who, now, out);
}

Result<Transfer> Funds::Reverse(const ReversalRequest& request, const Actor& who, Time now,
                                Effects& out) {
  ANDING_RETURN_IF_ERROR(CheckCallerId(request.id, "transfer"));
  if (const Transfer* stored = FindTransfer(request.id)) {
    if (stored->reverses_id == request.original_id && stored->amount_fen == request.amount_fen &&
        stored->reason == request.reason && stored->code == "reversal") {
      return *stored;
    }
    return IdReused(request.id, "a transfer");
  }
  ANDING_RETURN_IF_ERROR(CheckIdFree(request.id));
  ANDING_RETURN_IF_ERROR(CheckAmount(request.amount_fen));
  ANDING_RETURN_IF_ERROR(CheckText(request.reason, "reason", true));
  const Transfer* original = FindTransfer(request.original_id);
  if (original == nullptr) {
    return NotFoundError(StrCat("unknown transfer '", request.original_id, "'"));
  }
  if (!original->reverses_id.empty()) {
    return InvalidArgumentError(StrCat("transfer '", original->id, "' is itself a reversal of '",
                                       original->reverses_id,
                                       "'; make a new transfer instead of reversing it"));
  }
  const int64_t open = original->amount_fen - ReversedFen(original->id);
  if (request.amount_fen > open) {
    return FailedPreconditionError(StrCat("transfer '", original->id, "' has ", Yuan(open),
                                          " left to reverse, not ", Yuan(request.amount_fen)));
  }
  const Account& debit = state_.accounts.at(original->credit_account_id);
  const Account& credit = state_.accounts.at(original->debit_account_id);
  ANDING_RETURN_IF_ERROR(CheckDebit(debit, request.amount_fen));
  ANDING_RETURN_IF_ERROR(CheckCredit(credit, request.amount_fen));
  Transfer transfer;
  transfer.id = request.id;
  transfer.debit_account_id = debit.id;
  transfer.credit_account_id = credit.id;
  transfer.amount_fen = request.amount_fen;
  transfer.code = "reversal";
  transfer.reason = request.reason;
  transfer.incident_id = original->incident_id;
  transfer.reverses_id = original->id;
  transfer.actor = who;
  transfer.at = now;
  return AppendTransfer(std::move(transfer), out);
}

Result<Account> Funds::SetQuota(const QuotaRequest& request, const Actor& who, Time now,
                                Effects& out) {
  if (request.quota_fen && (*request.quota_fen < 0 || *request.quota_fen > kMaxAmountFen)) {
    return InvalidArgumentError(StrCat("quota must be 0 to ", kMaxAmountFen, " fen"));
  }
  ANDING_RETURN_IF_ERROR(CheckText(request.reason, "reason", true));
  auto it = state_.accounts.find(request.account_id);
  if (it == state_.accounts.end()) {
    return NotFoundError(StrCat("unknown account '", request.account_id, "'"));
  }
  Account& account = it->second;
  if (account.kind != AccountKind::kReserve) {
    return InvalidArgumentError(
        StrCat("only reserves have quotas; '", account.id, "' is ", AccountKindName(account.kind)));
  }
  if (account.quota_fen == request.quota_fen) return account;
  if (request.quota_fen && account.balance_fen() > *request.quota_fen) {
    return FailedPreconditionError(StrCat(account.id, " holds ", Yuan(account.balance_fen()),
                                          ", more than the new quota of ", Yuan(*request.quota_fen),
                                          "; move money back to the pool first"));
  }
  const auto count =
      std::count_if(state_.quota_changes.begin(), state_.quota_changes.end(),
                    [&](const QuotaChange& c) { return c.account_id == account.id; });
  QuotaChange change;
  change.id = StrCat("quota/", account.id, "/", count + 1);
  change.sequence = next_sequence_++;
  change.account_id = account.id;
  change.old_quota_fen = account.quota_fen;
  change.new_quota_fen = request.quota_fen;
  change.reason = request.reason;
  change.actor = who;
  change.at = now;
  account.quota_fen = request.quota_fen;
  MarkChanged(kAccountRecord, account.id, out);
  MarkChanged(kQuotaChangeRecord, change.id, out);
  out.notices.push_back(FeedNotice{
      std::string(kAccountRecord), account.id, "quota_changed",
      StrCat(account.name, " 额度调整为 ", request.quota_fen ? Yuan(*request.quota_fen) : "无额度",
             "：", request.reason),
      account.unit_id});
  state_.quota_changes.push_back(std::move(change));
  return account;
}

Result<Hold> Funds::PlaceHold(const HoldRequest& request, const Actor& who, Time now,
                              Effects& out) {
  ANDING_RETURN_IF_ERROR(CheckCallerId(request.id, "hold"));
  const Duration timeout = request.timeout.value_or(config_.hold_timeout);
  if (const Hold* stored = FindHold(request.id)) {
    if (stored->account_id == request.account_id && stored->amount_fen == request.amount_fen &&
        stored->code == request.code && stored->reason == request.reason &&
        stored->incident_id == request.incident_id &&
        stored->expires_at - stored->created_at == timeout) {
      return *stored;
    }
    return IdReused(request.id, "a hold");
  }
  ANDING_RETURN_IF_ERROR(CheckIdFree(request.id));
  ANDING_RETURN_IF_ERROR(CheckAmount(request.amount_fen));
  ANDING_RETURN_IF_ERROR(CheckCode(request.code));
  ANDING_RETURN_IF_ERROR(CheckText(request.reason, "reason", true));
  ANDING_RETURN_IF_ERROR(CheckIncidentId(request.incident_id, false));
  if (timeout <= Duration::zero()) return InvalidArgumentError("hold timeout must be positive");
  const Account* account = FindAccount(request.account_id);
  if (account == nullptr) {
    return NotFoundError(StrCat("unknown account '", request.account_id, "'"));
  }
  if (account->kind != AccountKind::kPool && account->kind != AccountKind::kReserve) {
    return InvalidArgumentError(StrCat("holds are placed on the pool or a reserve; '", account->id,
                                       "' is ", AccountKindName(account->kind)));
  }
  ANDING_RETURN_IF_ERROR(CheckDebit(*account, request.amount_fen));
  Hold hold;
  hold.id = request.id;
  hold.account_id = request.account_id;
  hold.amount_fen = request.amount_fen;
  hold.code = request.code;
  hold.reason = request.reason;
  hold.incident_id = request.incident_id;
  hold.actor = who;
  hold.created_at = now;
  hold.expires_at = now + timeout;
  return AppendHold(std::move(hold), out);
}

Result<Transfer> Funds::PostHold(const PostRequest& request, const Actor& who, Time now,
                                 Effects& out) {
  ANDING_RETURN_IF_ERROR(CheckCallerId(request.id, "transfer"));
  if (const Transfer* stored = FindTransfer(request.id)) {
    if (stored->hold_id == request.hold_id &&
        stored->credit_account_id == request.credit_account_id &&
        stored->amount_fen == request.amount_fen && stored->code == request.code &&
        stored->reason == request.reason && stored->expense_id.empty()) {
      return *stored;
    }
    return IdReused(request.id, "a transfer");
  }
  ANDING_RETURN_IF_ERROR(CheckIdFree(request.id));
  ANDING_RETURN_IF_ERROR(CheckAmount(request.amount_fen));
  ANDING_RETURN_IF_ERROR(CheckCode(request.code));
  ANDING_RETURN_IF_ERROR(CheckText(request.reason, "reason", true));
  auto hold_it = hold_index_.find(request.hold_id);
  if (hold_it == hold_index_.end()) {
    return NotFoundError(StrCat("unknown hold '", request.hold_id, "'"));
  }
  Hold& hold = state_.holds[hold_it->second];
  const Account* credit = FindAccount(request.credit_account_id);
  if (credit == nullptr) {
    return NotFoundError(StrCat("unknown account '", request.credit_account_id, "'"));
  }
  if (credit->id == hold.account_id) {
    return InvalidArgumentError(
        StrCat("hold '", hold.id, "' is on ", hold.account_id, "; post it to another account"));
  }
  ANDING_RETURN_IF_ERROR(CheckHoldUsable(hold, now));
  if (request.amount_fen > hold.remaining_fen()) {
    return FailedPreconditionError(StrCat("hold '", hold.id, "' has ", Yuan(hold.remaining_fen()),
                                          " left, not ", Yuan(request.amount_fen)));
  }
  ANDING_RETURN_IF_ERROR(CheckCredit(*credit, request.amount_fen));
  Transfer transfer;
  transfer.id = request.id;
  transfer.credit_account_id = request.credit_account_id;
  transfer.amount_fen = request.amount_fen;
  transfer.code = request.code;
  transfer.reason = request.reason;
  transfer.actor = who;
  transfer.at = now;
  return PostFromHold(hold, std::move(transfer), who, now, out);
}

Result<Hold> Funds::VoidHold(const VoidRequest& request, const Actor& who, Time now, Effects& out) {
  ANDING_RETURN_IF_ERROR(CheckText(request.reason, "reason", false));
  auto hold_it = hold_index_.find(request.hold_id);
  if (hold_it == hold_index_.end()) {
    return NotFoundError(StrCat("unknown hold '", request.hold_id, "'"));
  }
  Hold& hold = state_.holds[hold_it->second];
  if (hold.state == HoldState::kVoided) return hold;
  ANDING_RETURN_IF_ERROR(CheckHoldUsable(hold, now));
  CloseHold(hold, HoldState::kVoided, now, who,
            request.reason.empty() ? std::string("voided") : request.reason, out);
  return hold;
}

std::optional<Time> Funds::NextWakeup() const {
  if (pending_by_expiry_.empty()) return std::nullopt;
  return pending_by_expiry_.begin()->first.first;
}

void Funds::Tick(Time now, Effects& out) {
  while (!pending_by_expiry_.empty() && pending_by_expiry_.begin()->first.first <= now) {
    Hold& hold = state_.holds[pending_by_expiry_.begin()->second];
    const int64_t released = hold.remaining_fen();
    CloseHold(hold, HoldState::kExpired, hold.expires_at, Actor::System(), "timeout", out);
    const Account& account = state_.accounts.at(hold.account_id);
    out.alerts.push_back(
        HqAlert{HqAlert::Severity::kInfo, "hold_expired", hold.id, account.unit_id,
                StrCat(account.name, " 的预留款 ", hold.id, " 已超时，释放 ", Yuan(released),
                       hold.incident_id.empty() ? "" : StrCat("（事件 ", hold.incident_id, "）"),
                       "。Hold expired unused.")});
  }
}

// ---- shared by the commands ----

Status Funds::CheckHoldUsable(const Hold& hold, Time now) const {
  if (internal::IsUsable(hold, now)) return OkStatus();
  if (hold.state != HoldState::kPending) {
    return FailedPreconditionError(StrCat("hold '", hold.id, "' is ", HoldStateName(hold.state),
                                          "; it can no longer be posted or voided"));
  }
  return FailedPreconditionError(StrCat("hold '", hold.id, "' expired at ",
                                        FormatUtc(hold.expires_at),
                                        "; it can no longer be posted or voided"));
}

Transfer Funds::AppendTransfer(Transfer transfer, Effects& out) {
  Account& debit = state_.accounts.at(transfer.debit_account_id);
  Account& credit = state_.accounts.at(transfer.credit_account_id);
  transfer.sequence = next_sequence_++;
  debit.debits_posted_fen += transfer.amount_fen;
  credit.credits_posted_fen += transfer.amount_fen;
  MarkChanged(kTransferRecord, transfer.id, out);
  MarkChanged(kAccountRecord, debit.id, out);
  MarkChanged(kAccountRecord, credit.id, out);
  out.notices.push_back(
      FeedNotice{std::string(kTransferRecord), transfer.id,
                 transfer.reverses_id.empty() ? "posted" : "reversal",
                 StrCat(debit.name, " → ", credit.name, " ", Yuan(transfer.amount_fen), "（",
                        transfer.code, "）：", transfer.reason),
                 !debit.unit_id.empty() ? debit.unit_id : credit.unit_id});
  state_.transfers.push_back(std::move(transfer));
  IndexTransfer(state_.transfers.size() - 1);
  CheckLowBalance(debit.id, out);
  CheckLowBalance(credit.id, out);
  return state_.transfers.back();
}

Hold Funds::AppendHold(Hold hold, Effects& out) {
  Account& account = state_.accounts.at(hold.account_id);
  hold.sequence = next_sequence_++;
  hold.state = HoldState::kPending;
  account.debits_pending_fen += hold.amount_fen;
  MarkChanged(kHoldRecord, hold.id, out);
  MarkChanged(kAccountRecord, account.id, out);
  out.notices.push_back(
      FeedNotice{std::string(kHoldRecord), hold.id, "pending",
                 StrCat(account.name, " 预留 ", Yuan(hold.amount_fen),
                        hold.incident_id.empty() ? "" : StrCat("（事件 ", hold.incident_id, "）"),
                        "：", hold.reason),
                 account.unit_id});
  state_.holds.push_back(std::move(hold));
  IndexHold(state_.holds.size() - 1);
  CheckLowBalance(account.id, out);
  return state_.holds.back();
}

Transfer Funds::PostFromHold(Hold& hold, Transfer transfer, const Actor& who, Time now,
                             Effects& out) {
  Account& account = state_.accounts.at(hold.account_id);
  transfer.debit_account_id = hold.account_id;
  transfer.hold_id = hold.id;
  transfer.incident_id = hold.incident_id;
  hold.posted_fen += transfer.amount_fen;
  account.debits_pending_fen -= transfer.amount_fen;
  if (hold.posted_fen == hold.amount_fen) {
    hold.state = HoldState::kPosted;
    hold.closed_at = now;
    hold.closed_by = who;
    hold.close_reason = "fully posted";
    pending_by_expiry_.erase(std::pair(hold.expires_at, hold.sequence));
  }
  MarkChanged(kHoldRecord, hold.id, out);
  return AppendTransfer(std::move(transfer), out);
}

void Funds::CloseHold(Hold& hold, HoldState state, Time at, const Actor& who, std::string reason,
                      Effects& out) {
  Account& account = state_.accounts.at(hold.account_id);
  const int64_t released = hold.remaining_fen();
  account.debits_pending_fen -= released;
  pending_by_expiry_.erase(std::pair(hold.expires_at, hold.sequence));
  hold.state = state;
  hold.closed_at = at;
  hold.closed_by = who;
  hold.close_reason = std::move(reason);
  MarkChanged(kHoldRecord, hold.id, out);
  MarkChanged(kAccountRecord, account.id, out);
  out.notices.push_back(
      FeedNotice{std::string(kHoldRecord), hold.id, std::string(HoldStateName(state)),
                 StrCat(account.name, " 预留款释放 ", Yuan(released), "：", hold.close_reason),
                 account.unit_id});
  CheckLowBalance(account.id, out);
}

void Funds::CheckLowBalance(std::string_view account_id, Effects& out) {
  auto it = state_.accounts.find(account_id);
  if (it == state_.accounts.end()) return;
  Account& account = it->second;
  const bool low = account.low_balance_fen > 0 && account.available_fen() < account.low_balance_fen;
  if (low == account.low_balance_alerted) return;
  account.low_balance_alerted = low;
  MarkChanged(kAccountRecord, account.id, out);
  if (low) {
    out.alerts.push_back(
        HqAlert{HqAlert::Severity::kWarning, "low_balance", account.id, account.unit_id,
                StrCat(account.name, " 可用余额 ", Yuan(account.available_fen()), "，低于预警线 ",
                       Yuan(account.low_balance_fen), "，请从", config_.pool_name, "补充。")});
  }
  out.notices.push_back(FeedNotice{
      std::string(kAccountRecord), account.id, low ? "low_balance" : "low_balance_cleared",
      StrCat(account.name, " 可用余额 ", Yuan(account.available_fen())), account.unit_id});
}

}  // namespace anding::core::funds

// Funds tied to incidents: the hold a confirmed dispatch places, expense
// reports paid against it, and the release of what is left when the
// incident is settled or closed.
#include <algorithm>
#include <variant>

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
using internal::IsUsable;
using internal::Yuan;

template <typename... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <typename... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

}  // namespace

Result<Expense> Funds::RecordExpense(const ExpenseRequest& request, const Actor& who, Time now,
                                     Effects& out) {
  ANDING_RETURN_IF_ERROR(CheckCallerId(request.id, "expense"));
  if (const Expense* stored = FindExpense(request.id)) {
    if (stored->incident_id == request.incident_id && stored->unit_id == request.unit_id &&
        stored->amount_fen == request.amount_fen && stored->code == request.code &&
        stored->reason == request.reason && stored->voucher == request.voucher) {
      return *stored;
    }
    return IdReused(request.id, "an expense report");
  }
  ANDING_RETURN_IF_ERROR(CheckIdFree(request.id));
  ANDING_RETURN_IF_ERROR(CheckAmount(request.amount_fen));
  ANDING_RETURN_IF_ERROR(CheckCode(request.code));
  ANDING_RETURN_IF_ERROR(CheckIncidentId(request.incident_id, true));
  ANDING_RETURN_IF_ERROR(CheckText(request.reason, "reason", false));
  ANDING_RETURN_IF_ERROR(CheckText(request.voucher, "voucher", false));
  const std::string expense_account_id = ExpenseAccountId(request.code);
  const Account* expense_account = FindAccount(expense_account_id);
  if (!config_.HasExpenseCode(request.code) || expense_account == nullptr) {
    std::string known;
    for (const auto& code : config_.expense_codes)
      StrAppend(known, known.empty() ? "" : ", ", code.code);
    return InvalidArgumentError(
        StrCat("unknown expense code '", request.code, "'; known codes: ", known));
  }
  auto reserve_it = state_.accounts.find(ReserveAccountId(request.unit_id));
  if (reserve_it == state_.accounts.end()) {
    return NotFoundError(StrCat("unit '", request.unit_id, "' has no reserve account"));
  }
  const Account& reserve = reserve_it->second;

  // Plan first, so that a refusal changes nothing.
  std::vector<std::pair<size_t, int64_t>> parts;  // hold index, amount
  int64_t left = request.amount_fen;
  int64_t held_total = 0;
  if (auto it = incident_holds_.find(request.incident_id); it != incident_holds_.end()) {
    for (const size_t index : it->second) {
      const Hold& hold = state_.holds[index];
      if (hold.account_id != reserve.id || !IsUsable(hold, now)) continue;
      held_total += hold.remaining_fen();
      if (left == 0) continue;
      const int64_t take = std::min(left, hold.remaining_fen());
      parts.emplace_back(index, take);
      left -= take;
    }
  }
  const int64_t direct = left;
  if (direct > 0 && !reserve.may_go_negative() && reserve.available_fen() < direct) {
    return FailedPreconditionError(
        StrCat("expense '", request.id, "' of ", Yuan(request.amount_fen), " exceeds the ",
               Yuan(held_total), " held for incident ", request.incident_id, " on ", reserve.id,
               " by ", Yuan(direct), ", and the reserve has only ", Yuan(reserve.available_fen()),
               " available; top up the reserve from the pool first (short by ",
               Yuan(direct - reserve.available_fen()), ")"));
  }
  if (direct > 0) ANDING_RETURN_IF_ERROR(CheckDebit(reserve, direct));
  ANDING_RETURN_IF_ERROR(CheckCredit(*expense_account, request.amount_fen));

  Expense expense;
  expense.id = request.id;
  expense.sequence = next_sequence_++;
  expense.incident_id = request.incident_id;
  expense.unit_id = request.unit_id;
  expense.amount_fen = request.amount_fen;
  expense.code = request.code;
  expense.reason = request.reason;
  expense.voucher = request.voucher;
  expense.actor = who;
  expense.at = now;
  expense.held_fen = request.amount_fen - direct;
  expense.direct_fen = direct;
  expense_index_.emplace(expense.id, state_.expenses.size());
  state_.expenses.push_back(expense);
  MarkChanged(kExpenseRecord, expense.id, out);
  out.notices.push_back(FeedNotice{
      std::string(kExpenseRecord), expense.id, "paid",
      StrCat(reserve.name, " 报销 ", Yuan(expense.amount_fen), "（", expense.code, "，事件 ",
             expense.incident_id, expense.voucher.empty() ? "" : "，凭证 ", expense.voucher,
             "）：预留款支付 ", Yuan(expense.held_fen), "，直接支付 ", Yuan(expense.direct_fen)),
      expense.unit_id});

  const std::string reason =
      !request.reason.empty()
          ? request.reason
          : StrCat("expense ", request.code,
                   request.voucher.empty() ? "" : StrCat(" voucher ", request.voucher));
  auto part = [&](std::string id, int64_t amount) {
    Transfer transfer;
    transfer.id = std::move(id);
    transfer.debit_account_id = reserve.id;
    transfer.credit_account_id = expense_account_id;
    transfer.amount_fen = amount;
    transfer.code = request.code;
    transfer.reason = reason;
    transfer.incident_id = request.incident_id;
    transfer.expense_id = request.id;
    transfer.actor = who;
    transfer.at = now;
    return transfer;
  };
  int n = 1;
  for (const auto& [index, amount] : parts) {
    PostFromHold(state_.holds[index], part(StrCat(request.id, "/", n++), amount), who, now, out);
  }
  if (direct > 0) AppendTransfer(part(StrCat(request.id, "/direct"), direct), out);
  return expense;
}

void Funds::OnDispatchConfirmed(const DispatchConfirmed& event, Time now, Effects& out) {
  if (!IsValidCallerId(event.incident_id) || event.unit_id.empty()) {
    out.alerts.push_back(HqAlert{HqAlert::Severity::kWarning, "funds_event_rejected",
                                 event.incident_id, event.unit_id,
                                 StrCat("备用金：无法为事件 '", event.incident_id,
                                        "' 的出动预留费用（事件或单位编号无效）。")});
    return;
  }
  const CostEstimate cost = EstimateDispatchCost(config_.rates, event);
  const std::string key = StrCat(event.incident_id, "\n", event.unit_id);
  int64_t n = dispatch_count_[key] + 1;
  std::string id = StrCat("dispatch/", event.incident_id, "/", event.unit_id, "/", n);
  while (estimate_index_.contains(id) || FindHold(id) != nullptr) {
    id = StrCat("dispatch/", event.incident_id, "/", event.unit_id, "/", ++n);
  }
  dispatch_count_[key] = n;

  Estimate estimate;
  estimate.id = id;
  estimate.incident_id = event.incident_id;
  estimate.unit_id = event.unit_id;
  estimate.destination_region = event.destination_region;
  estimate.destination_kind = event.destination_kind;
  estimate.people = event.people;
  estimate.vehicles = event.vehicles;
  estimate.distance_m = cost.distance_m;
  estimate.days = cost.days;
  estimate.person_cost_fen = cost.person_cost_fen;
  estimate.vehicle_cost_fen = cost.vehicle_cost_fen;
  estimate.estimated_fen = cost.total_fen;
  estimate.at = now;

  const std::string unit_name = config_.UnitName(event.unit_id);
  auto reserve_it = state_.accounts.find(ReserveAccountId(event.unit_id));
  if (reserve_it == state_.accounts.end()) {
    estimate.shortfall_fen = cost.total_fen;
    out.alerts.push_back(HqAlert{
        HqAlert::Severity::kCritical, "reserve_missing", event.incident_id, event.unit_id,
        StrCat(unit_name, " 没有备用金账户，事件 ", event.incident_id, " 出动预估费用 ",
               Yuan(cost.total_fen), " 无处预留；队伍照常出发。Unit has no reserve account.")});
  } else {
    const Account& reserve = reserve_it->second;
    estimate.held_fen = std::min(cost.total_fen, std::max<int64_t>(0, reserve.available_fen()));
    estimate.shortfall_fen = cost.total_fen - estimate.held_fen;
    if (estimate.held_fen > 0) {
      Hold hold;
      hold.id = id;
      hold.account_id = reserve.id;
      hold.amount_fen = estimate.held_fen;
      hold.code = "dispatch";
      hold.reason =
          StrCat("出动 ", event.people, " 人、", event.vehicles, " 车赴 ", event.destination_region,
                 "（", RegionKindName(event.destination_kind), "，预计 ", cost.days, " 天）");
      hold.incident_id = event.incident_id;
      hold.actor = Actor::System();
      hold.created_at = now;
      hold.expires_at = now + config_.hold_timeout;
      AppendHold(std::move(hold), out);
      estimate.hold_id = id;
    }
    if (estimate.shortfall_fen > 0) {
      const Account* pool = FindAccount(kPoolAccountId);
      const std::string pool_text = pool == nullptr ? std::string(kPoolAccountId)
                                                    : StrCat(pool->name, "（", pool->id, "，可用 ",
                                                             Yuan(pool->available_fen()), "）");
      std::string quota_note;
      if (reserve.quota_fen &&
          reserve.balance_fen() + estimate.shortfall_fen > *reserve.quota_fen) {
        quota_note = StrCat("；该备用金额度 ", Yuan(*reserve.quota_fen),
                            " 不足以容纳，需先将额度提高到至少 ",
                            Yuan(reserve.balance_fen() + estimate.shortfall_fen));
      }
      out.alerts.push_back(HqAlert{
          HqAlert::Severity::kCritical, "reserve_insufficient", event.incident_id, event.unit_id,
          StrCat(reserve.name, " 可用余额不足：事件 ", event.incident_id, " 出动预估 ",
                 Yuan(cost.total_fen), "，已预留 ", Yuan(estimate.held_fen), "，缺口 ",
                 Yuan(estimate.shortfall_fen), "；队伍照常出发。")});
      const std::string request_text =
          StrCat("请从", pool_text, "向 ", reserve.name, "（", reserve.id, "）拨付 ",
                 Yuan(estimate.shortfall_fen), "（事件 ", event.incident_id, "）", quota_note,
                 "。Top-up requested.");
      out.alerts.push_back(HqAlert{HqAlert::Severity::kWarning, "top_up_request", reserve.id,
                                   event.unit_id, request_text});
      out.notices.push_back(
          FeedNotice{"funds_top_up_request", id, "requested", request_text, event.unit_id});
    }
  }
  estimate.sequence = next_sequence_++;
  estimate_index_.emplace(estimate.id, state_.estimates.size());
  MarkChanged(kEstimateRecord, estimate.id, out);
  out.notices.push_back(
      FeedNotice{std::string(kEstimateRecord), estimate.id, "estimated",
                 StrCat(unit_name, " 出动事件 ", event.incident_id, "：预估 ",
                        Yuan(estimate.estimated_fen), "，预留 ", Yuan(estimate.held_fen)),
                 event.unit_id});
  state_.estimates.push_back(std::move(estimate));
}

void Funds::VoidIncidentHolds(const std::string& incident_id, std::string_view id_prefix,
                              std::string_view why, Time now, Effects& out) {
  auto it = incident_holds_.find(incident_id);
  if (it == incident_holds_.end()) return;
  for (const size_t index : it->second) {
    Hold& hold = state_.holds[index];
    if (!IsUsable(hold, now) || !hold.id.starts_with(id_prefix)) continue;
    CloseHold(hold, HoldState::kVoided, now, Actor::System(), std::string(why), out);
  }
}

void Funds::OnDispatchCancelled(const DispatchCancelled& event, Time now, Effects& out) {
  // The ids OnDispatchConfirmed gives, "dispatch/<incident>/<unit>/<n>";
  // ids chosen by callers cannot contain '/' (IsValidCallerId).
  const std::string prefix = StrCat("dispatch/", event.incident_id, "/", event.unit_id, "/");
  VoidIncidentHolds(event.incident_id, prefix, StrCat("dispatch cancelled: ", event.reason), now,
                    out);
}

void Funds::OnIncidentSettled(const IncidentSettled& event, Time now, Effects& out) {
  VoidIncidentHolds(event.incident_id, "", "incident settled (劝离)", now, out);
}

void Funds::OnIncidentClosed(const IncidentClosed& event, Time now, Effects& out) {
  VoidIncidentHolds(event.incident_id, "", "incident closed", now, out);
}

void Funds::OnIncidentCancelled(const IncidentCancelled& event, Time now, Effects& out) {
  VoidIncidentHolds(event.incident_id, "", StrCat("incident cancelled: ", event.reason), now, out);
}

void Funds::OnEvent(const DomainEvent& event, Time now, Effects& out) {
  std::visit(Overloaded{
                 [&](const DispatchConfirmed& e) { OnDispatchConfirmed(e, now, out); },
                 [&](const DispatchCancelled& e) { OnDispatchCancelled(e, now, out); },
                 [&](const IncidentSettled& e) { OnIncidentSettled(e, now, out); },
                 [&](const IncidentClosed& e) { OnIncidentClosed(e, now, out); },
                 [&](const IncidentCancelled& e) { OnIncidentCancelled(e, now, out); },
                 [](const IncidentReported&) {},
                 [](const WarningReceived&) {},
             },
             event);
}

}  // namespace anding::core::funds

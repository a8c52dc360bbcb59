#include "funds_codec.h"

#include "anding/common/strings.h"
#include "anding/wire/codec.h"
#include "vocabulary_codec.h"

namespace anding::dispatcher {

v1::AccountView AccountToProto(const funds::Account& a) {
  v1::AccountView view;
  view.set_id(a.id);
  view.set_kind(std::string(funds::AccountKindName(a.kind)));
  view.set_name(a.name);
  view.set_unit_id(a.unit_id);
  view.set_balance_fen(a.balance_fen());
  view.set_available_fen(a.available_fen());
  view.set_pending_fen(a.debits_pending_fen);
  view.set_has_quota(a.quota_fen.has_value());
  view.set_quota_fen(a.quota_fen.value_or(0));
  view.set_low_balance_fen(a.low_balance_fen);
  view.set_low_balance(a.low_balance_alerted);
  return view;
}

v1::TransferView TransferToProto(const funds::Transfer& t) {
  v1::TransferView view;
  view.set_id(t.id);
  view.set_sequence(t.sequence);
  view.set_debit_account_id(t.debit_account_id);
  view.set_credit_account_id(t.credit_account_id);
  view.set_amount_fen(t.amount_fen);
  view.set_code(t.code);
  view.set_reason(t.reason);
  view.set_incident_id(t.incident_id);
  view.set_hold_id(t.hold_id);
  view.set_reverses_id(t.reverses_id);
  view.set_expense_id(t.expense_id);
  view.set_actor(t.actor.ToString());
  *view.mutable_at() = wire::ToProto(t.at);
  return view;
}

v1::HoldView HoldToProto(const funds::Hold& h) {
  v1::HoldView view;
  view.set_id(h.id);
  view.set_account_id(h.account_id);
  view.set_amount_fen(h.amount_fen);
  view.set_posted_fen(h.posted_fen);
  view.set_remaining_fen(h.remaining_fen());
  view.set_state(std::string(funds::HoldStateName(h.state)));
  view.set_code(h.code);
  view.set_reason(h.reason);
  view.set_incident_id(h.incident_id);
  view.set_actor(h.actor.ToString());
  *view.mutable_created_at() = wire::ToProto(h.created_at);
  *view.mutable_expires_at() = wire::ToProto(h.expires_at);
  SetTime(h.closed_at, [&] { return view.mutable_closed_at(); });
  view.set_close_reason(h.close_reason);
  return view;
}

// "YYYY-MM" or "YYYY-MM-DD..YYYY-MM-DD"; empty = the month of `today`.
Result<funds::Period> StatementPeriod(const std::string& text, CivilDay today) {
  if (text.empty()) return funds::MonthPeriod(static_cast<int>(today.year()), today.month());
  if (const auto dots = text.find(".."); dots != std::string::npos) {
    ANDING_ASSIGN_OR_RETURN(const CivilDay first, ParseDay(text.substr(0, dots)));
    ANDING_ASSIGN_OR_RETURN(const CivilDay last, ParseDay(text.substr(dots + 2)));
    if (last < first) return InvalidArgumentError("the period ends before it starts");
    return funds::Period{first, last};
  }
  absl::CivilMonth month;
  if (text.size() != 7 || !absl::ParseCivilTime(text, &month)) {
    return InvalidArgumentError(
        StrCat("period must be YYYY-MM or YYYY-MM-DD..YYYY-MM-DD, not '", text, "'"));
  }
  return funds::MonthPeriod(static_cast<int>(month.year()), month.month());
}

}  // namespace anding::dispatcher

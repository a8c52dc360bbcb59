// `anding funds …`: the reserve funds (备用金). Amounts are given in yuan
// with at most two decimals (--amount 1234.56) or in fen (--amount-fen),
// and always travel as integer fen.
#include <iomanip>
#include <ostream>

#include "anding/common/ids.h"
#include "anding/common/strings.h"
#include "anding/wire/payload_options.h"
#include "commands.h"

namespace anding::cli {
namespace {

std::string Yuan(int64_t fen) {
  const bool negative = fen < 0;
  uint64_t value = negative ? static_cast<uint64_t>(-(fen + 1)) + 1 : static_cast<uint64_t>(fen);
  std::string digits = std::to_string(value / 100);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  const unsigned cents = static_cast<unsigned>(value % 100);
  return StrCat(negative ? "-" : "", "¥", grouped, ".", cents < 10 ? "0" : "", cents);
}

// --amount (yuan) or --amount-fen; exactly one.
Result<int64_t> Amount(Args& args) {
  const auto yuan = args.Option("amount");
  const auto fen = args.Int("amount-fen");
  if (yuan.has_value() == fen.has_value()) {
    return InvalidArgumentError("give exactly one of --amount YUAN or --amount-fen FEN");
  }
  if (fen) return *fen;
  return wire::ParseYuan(*yuan);
}

// The caller-chosen id: --id, or a new one (printed, so a retry can reuse it).
std::string Id(Args& args, const Clock& clock) {
  if (auto id = args.Option("id")) return *id;
  return UuidV7Generator(clock).Next();
}

void PrintTransfer(const v1::TransferView& t, const TimeZone& zone, std::ostream& out) {
  out << "transfer " << t.id() << " #" << t.sequence() << ": " << Yuan(t.amount_fen()) << " "
      << t.debit_account_id() << " → " << t.credit_account_id() << " [" << t.code() << "] "
      << t.reason();
  if (!t.incident_id().empty()) out << " (incident " << t.incident_id() << ")";
  out << "  by " << t.actor() << " at " << When(t.at(), zone) << "\n";
}

void PrintHold(const v1::HoldView& h, const TimeZone& zone, std::ostream& out) {
  out << "hold " << h.id() << " on " << h.account_id() << ": " << Yuan(h.amount_fen()) << " "
      << h.state() << " (posted " << Yuan(h.posted_fen()) << ", remaining "
      << Yuan(h.remaining_fen()) << ")";
  if (!h.incident_id().empty()) out << " incident " << h.incident_id();
  out << " expires " << When(h.expires_at(), zone);
  if (!h.close_reason().empty()) out << " — " << h.close_reason();
  out << "\n";
}

}  // namespace

std::optional<Result<v1::OperatorRequest>> FundsRequest(const std::string& command,
                                                        const std::string& sub, Args& args,
                                                        const CommandContext& context) {
  if (command != "funds") return std::nullopt;
  v1::OperatorRequest request;
  if (sub == "accounts") {
    request.mutable_list_accounts();
  } else if (sub == "holds") {
    request.mutable_list_holds()->set_incident_id(args.Option("incident").value_or(""));
  } else if (sub == "transfer") {
    auto* r = request.mutable_create_transfer();
    r->set_id(Id(args, context.clock));
    r->set_debit_account_id(args.Required("from"));
    r->set_credit_account_id(args.Required("to"));
    ANDING_ASSIGN_OR_RETURN(const int64_t amount, Amount(args));
    r->set_amount_fen(amount);
    r->set_code(args.Option("code").value_or("transfer"));
    r->set_reason(args.Required("reason"));
    r->set_incident_id(args.Option("incident").value_or(""));
  } else if (sub == "top-up") {
    auto* r = request.mutable_top_up();
    r->set_id(Id(args, context.clock));
    r->set_unit_id(args.Required("unit"));
    ANDING_ASSIGN_OR_RETURN(const int64_t amount, Amount(args));
    r->set_amount_fen(amount);
    r->set_reason(args.Required("reason"));
    r->set_incident_id(args.Option("incident").value_or(""));
  } else if (sub == "reverse") {
    auto* r = request.mutable_reverse_transfer();
    r->set_id(Id(args, context.clock));
    r->set_original_id(args.Required("transfer"));
    ANDING_ASSIGN_OR_RETURN(const int64_t amount, Amount(args));
    r->set_amount_fen(amount);
    r->set_reason(args.Required("reason"));
  } else if (sub == "quota") {
    auto* r = request.mutable_set_quota();
    r->set_account_id(args.Required("account"));
    if (args.Flag("none")) {
      r->set_no_quota(true);
    } else {
      ANDING_ASSIGN_OR_RETURN(const int64_t amount, Amount(args));
      r->set_quota_fen(amount);
    }
    r->set_reason(args.Required("reason"));
  } else if (sub == "hold") {
    auto* r = request.mutable_place_hold();
    r->set_id(Id(args, context.clock));
    r->set_account_id(args.Required("account"));
    ANDING_ASSIGN_OR_RETURN(const int64_t amount, Amount(args));
    r->set_amount_fen(amount);
    r->set_code(args.Option("code").value_or("other"));
    r->set_reason(args.Required("reason"));
    r->set_incident_id(args.Option("incident").value_or(""));
    if (auto timeout = args.DurationOption("timeout")) {
      r->set_timeout_seconds(std::chrono::duration_cast<std::chrono::seconds>(*timeout).count());
    }
  } else if (sub == "post") {
    auto* r = request.mutable_post_hold();
    r->set_id(Id(args, context.clock));
    r->set_hold_id(args.Required("hold"));
    r->set_credit_account_id(args.Required("to"));
    ANDING_ASSIGN_OR_RETURN(const int64_t amount, Amount(args));
    r->set_amount_fen(amount);
    r->set_code(args.Option("code").value_or("other"));
    r->set_reason(args.Required("reason"));
  } else if (sub == "void") {
    auto* r = request.mutable_void_hold();
    r->set_hold_id(args.Required("hold"));
    r->set_reason(args.Option("reason").value_or(""));
  } else if (sub == "statement") {
    request.mutable_statement()->set_account_id(args.Required("account"));
    request.mutable_statement()->set_period(args.Option("period").value_or(""));
  } else if (sub == "incident") {
    request.mutable_incident_cost()->set_incident_id(args.Positional(2));
    if (args.Positional(2).empty())
      return InvalidArgumentError("usage: anding funds incident INCIDENT_ID");
  } else if (sub == "reconcile") {
    request.mutable_reconcile()->set_month(args.Option("month").value_or(""));
  } else {
    return InvalidArgumentError(
        "usage: anding funds accounts|holds|transfer|top-up|reverse|quota|hold|post|void|"
        "statement|incident|reconcile");
  }
  return request;
}

bool PrintFunds(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out) {
  switch (response.result_case()) {
    case v1::OperatorResponse::kTransfer:
      PrintTransfer(response.transfer().transfer(), zone, out);
      return true;
    case v1::OperatorResponse::kHold:
      PrintHold(response.hold().hold(), zone, out);
      return true;
    case v1::OperatorResponse::kAccount:
    case v1::OperatorResponse::kAccounts: {
      std::vector<v1::AccountView> accounts;
      if (response.has_account()) accounts.push_back(response.account());
      for (const auto& a : response.accounts().accounts()) accounts.push_back(a);
      for (const auto& a : accounts) {
        out << PadRight(a.id(), 26) << " " << PadRight(a.name(), 18) << " balance " << std::right
            << std::setw(16) << Yuan(a.balance_fen()) << "  available " << std::setw(16)
            << Yuan(a.available_fen());
        if (a.pending_fen() > 0) out << "  held " << Yuan(a.pending_fen());
        if (a.has_quota()) out << "  quota " << Yuan(a.quota_fen());
        if (a.low_balance()) out << "  LOW BALANCE";
        out << "\n";
      }
      return true;
    }
    case v1::OperatorResponse::kHolds:
      if (response.holds().holds_size() == 0) out << "no holds\n";
      for (const auto& h : response.holds().holds()) PrintHold(h, zone, out);
      return true;
    case v1::OperatorResponse::kStatement: {
      const auto& s = response.statement();
      out << "statement of " << s.account_id() << " " << s.first_day() << " .. " << s.last_day()
          << "\n  opening " << Yuan(s.opening_fen()) << "\n";
      for (const auto& l : s.lines()) {
        out << "  " << When(l.at(), zone) << "  " << std::right << std::setw(14)
            << Yuan(l.amount_fen()) << "  " << std::setw(14) << Yuan(l.balance_after_fen()) << "  ["
            << l.code() << "] " << l.counterparty_account_id() << "  " << l.reason() << "\n";
      }
      out << "  in " << Yuan(s.credits_fen()) << ", out " << Yuan(s.debits_fen()) << ", closing "
          << Yuan(s.closing_fen()) << "\n";
      return true;
    }
    case v1::OperatorResponse::kIncidentCost: {
      const auto& c = response.incident_cost();
      out << "incident " << c.incident_id() << ": estimated " << Yuan(c.estimated_fen())
          << ", actual " << Yuan(c.actual_fen()) << " (variance " << Yuan(c.variance_fen())
          << "), still held " << Yuan(c.pending_fen()) << ", released " << Yuan(c.released_fen())
          << "\n";
      for (const auto& u : c.units()) {
        out << "  " << PadRight(u.unit_id().empty() ? "(pool)" : u.unit_id(), 12) << " dispatches "
            << u.dispatches() << "  estimated " << Yuan(u.estimated_fen()) << "  held "
            << Yuan(u.held_fen()) << "  actual " << Yuan(u.actual_fen());
        if (u.shortfall_fen() > 0) out << "  SHORTFALL " << Yuan(u.shortfall_fen());
        for (const auto& [code, fen] : u.actual_by_code()) out << "  " << code << " " << Yuan(fen);
        out << "\n";
      }
      return true;
    }
    case v1::OperatorResponse::kReconciliation: {
      const auto& r = response.reconciliation();
      out << "reconciliation " << r.month() << ": " << (r.balanced() ? "BALANCED" : "NOT BALANCED")
          << " (opening sum " << Yuan(r.opening_sum_fen()) << ", closing sum "
          << Yuan(r.closing_sum_fen()) << ", debits " << Yuan(r.total_debits_fen()) << " = credits "
          << Yuan(r.total_credits_fen()) << ")\n";
      for (const auto& a : r.accounts()) {
        out << "  " << PadRight(a.account_id(), 26) << " opening " << std::right << std::setw(14)
            << Yuan(a.opening_fen()) << "  in " << std::setw(14) << Yuan(a.credits_fen())
            << "  out " << std::setw(14) << Yuan(a.debits_fen()) << "  closing " << std::setw(14)
            << Yuan(a.closing_fen()) << "\n";
      }
      for (const auto& h : r.overdue_holds()) {
        out << "  OVERDUE HOLD ";
        PrintHold(h, zone, out);
      }
      for (const auto& h : r.expired_holds()) {
        out << "  expired: ";
        PrintHold(h, zone, out);
      }
      return true;
    }
    default:
      return false;
  }
}

}  // namespace anding::cli

// `anding funds …`: the reserve funds (备用金). Amounts are given in yuan
// with at most two decimals (--amount 1234.56) or in fen (--amount-fen),
// and always travel as integer fen.
#include <iomanip>
#include <ostream>

#include "anding/cmdline/gettext.h"
#include "anding/cmdline/validators.h"
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
Result<int64_t> Amount(const CommandValues& args) {
  const auto yuan = args.Option("amount");
  const auto fen = args.Int("amount-fen");
  if (yuan.has_value() == fen.has_value()) {
    return InvalidArgumentError(_("give exactly one of --amount YUAN or --amount-fen FEN"));
  }
  if (fen) return *fen;
  return wire::ParseYuan(*yuan);
}

// --amount YUAN (at most two decimals) or --amount-fen FEN.
void AmountOptions(CLI::App& command) {
  CLI::Option* yuan =
      Text(command, "amount", "YUAN", _("the amount in yuan (1234.56)"))->check(cmdline::Yuan());
  CLI::Option* fen = Number(command, "amount-fen", 0, 1'000'000'000'000'000,
                            _("the amount in fen (123456), instead of --amount"));
  yuan->excludes(fen);
}

// --id: the caller-chosen id of what is created, so that a retry is safe.
void IdOption(CLI::App& command) {
  Text(command, "id", "ID",
       _("the id to create it under (default: a new one, printed); repeat a command with the "
         "same --id after an unknown outcome and it is done once"));
}

// The caller-chosen id: --id, or a new one (printed, so a retry can reuse it).
std::string Id(const CommandValues& args, const Clock& clock) {
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

void DefineFundsCommands(CLI::App& program) {
  CLI::App* funds = TopCommand(program, "funds",
                               _("the reserve funds: accounts, transfers, holds, "
                                 "statements; amounts in yuan (--amount) or fen (--amount-fen)"),
                               {"anding funds accounts"});
  funds->require_subcommand(1);
  Command(*funds, "accounts", _("every account with its balance, what is held and its quota"),
          {"anding funds accounts"});
  CLI::App* holds = Command(*funds, "holds", _("holds on the reserve funds, pending or closed"),
                            {"anding funds holds --incident INC-20261203-0001"});
  Text(*holds, "incident", "ID", _("only the holds of this incident"));

  CLI::App* transfer =
      Command(*funds, "transfer", _("move money from one account to another"),
              {"anding funds transfer --from reserve/pool --to reserve/mine-3 --amount 5000 "
               "--reason '补充三矿备用金'"});
  Text(*transfer, "from", "ACCOUNT", _("the account debited"))->required();
  Text(*transfer, "to", "ACCOUNT", _("the account credited"))->required();
  AmountOptions(*transfer);
  Text(*transfer, "code", "CODE", _("the kind of movement (default: transfer)"));
  Text(*transfer, "reason", "TEXT", _("why"))->required();
  Text(*transfer, "incident", "ID", _("the incident it is for"));
  IdOption(*transfer);

  CLI::App* top_up =
      Command(*funds, "top-up", _("add money to a unit's reserve"),
              {"anding funds top-up --unit mine-3 --amount 10000 --reason '年初拨付'"});
  Text(*top_up, "unit", "UNIT", _("the unit"))->required();
  AmountOptions(*top_up);
  Text(*top_up, "reason", "TEXT", _("why"))->required();
  Text(*top_up, "incident", "ID", _("the incident it is for"));
  IdOption(*top_up);

  CLI::App* reverse =
      Command(*funds, "reverse", _("reverse (part of) a transfer made in error"),
              {"anding funds reverse --transfer T-1 --amount 100 --reason '重复拨付'"});
  Text(*reverse, "transfer", "ID", _("the transfer to reverse"))->required();
  AmountOptions(*reverse);
  Text(*reverse, "reason", "TEXT", _("why"))->required();
  IdOption(*reverse);

  CLI::App* quota =
      Command(*funds, "quota", _("set the most a reserve may hold (or no limit, --none)"),
              {"anding funds quota --account reserve/mine-3 --amount 50000 --reason '年度核定'"});
  Text(*quota, "account", "ACCOUNT", _("the reserve account (reserve/UNIT)"))->required();
  AmountOptions(*quota);
  Flag(*quota, "none", _("no quota"));
  Text(*quota, "reason", "TEXT", _("why"))->required();

  CLI::App* hold =
      Command(*funds, "hold", _("hold money for an expected expense"),
              {"anding funds hold --account reserve/mine-3 --amount 800 --code transport --reason "
               "'赴省交通' --incident INC-20261203-0001"});
  Text(*hold, "account", "ACCOUNT", _("the account the money is held on"))->required();
  AmountOptions(*hold);
  Text(*hold, "code", "CODE", _("the kind of expense (default: other)"));
  Text(*hold, "reason", "TEXT", _("why"))->required();
  Text(*hold, "incident", "ID", _("the incident it is for"));
  Text(*hold, "timeout", "DURATION", _("how long it holds before it expires (14d)"))
      ->check(cmdline::DurationText());
  IdOption(*hold);

  CLI::App* post = Command(
      *funds, "post", _("spend held money: post (part of) a hold to an expense"),
      {"anding funds post --hold H-1 --to expense/transport --amount 450.50 --reason '车费'"});
  Text(*post, "hold", "ID", _("the hold"))->required();
  Text(*post, "to", "ACCOUNT", _("the expense account (expense/CODE)"))->required();
  AmountOptions(*post);
  Text(*post, "code", "CODE", _("the kind of expense (default: other)"));
  Text(*post, "reason", "TEXT", _("why"))->required();
  IdOption(*post);

  CLI::App* void_hold = Command(*funds, "void", _("release what a hold still holds"),
                                {"anding funds void --hold H-1 --reason '未发生'"});
  Text(*void_hold, "hold", "ID", _("the hold"))->required();
  Text(*void_hold, "reason", "TEXT", _("why"));

  CLI::App* statement =
      Command(*funds, "statement", _("an account's movements and balances over a period"),
              {"anding funds statement --account reserve/mine-3 --period 2026-11"});
  Text(*statement, "account", "ACCOUNT", _("the account"))->required();
  Text(*statement, "period", "PERIOD",
       _("YYYY-MM or YYYY-MM-DD..YYYY-MM-DD (default: this month)"));

  CLI::App* incident = Command(*funds, "incident", _("an incident's estimated and actual cost"),
                               {"anding funds incident INC-20261203-0001"});
  Argument(*incident, "incident", "INCIDENT_ID", _("the incident"))->required();

  CLI::App* reconcile = Command(*funds, "reconcile", _("prove that the books balance for a month"),
                                {"anding funds reconcile --month 2026-11"});
  Text(*reconcile, "month", "YYYY-MM", _("the month (default: this one)"));
}

std::optional<Result<v1::OperatorRequest>> FundsRequest(const std::string& command,
                                                        const std::string& sub,
                                                        const CommandValues& args,
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
    request.mutable_incident_cost()->set_incident_id(args.Argument("incident"));
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

// `anding ledger …`, `anding report daily|monthly`, `anding screening
// status`, `anding alerts …`: the ledger (台账) and its reports.
#include <fstream>
#include <iomanip>
#include <ostream>

#include "anding/cmdline/gettext.h"
#include "anding/cmdline/validators.h"
#include "anding/common/strings.h"
#include "anding/wire/codec.h"
#include "anding/wire/payload_options.h"
#include "commands.h"

namespace anding::cli {
namespace {

const char* StateName(v1::LedgerItemState state) {
  switch (state) {
    case v1::LEDGER_ITEM_STATE_REGISTERED:
      return "registered";
    case v1::LEDGER_ITEM_STATE_IN_PROGRESS:
      return "in_progress";
    case v1::LEDGER_ITEM_STATE_RESOLVED:
      return "resolved";
    case v1::LEDGER_ITEM_STATE_CLOSED_OUT:
      return "closed_out";
    case v1::LEDGER_ITEM_STATE_REOPENED:
      return "reopened";
    default:
      return "?";
  }
}

std::optional<v1::LedgerItemState> ParseState(const std::string& text) {
  for (int s = v1::LEDGER_ITEM_STATE_REGISTERED; s <= v1::LEDGER_ITEM_STATE_REOPENED; ++s) {
    if (text == StateName(static_cast<v1::LedgerItemState>(s))) {
      return static_cast<v1::LedgerItemState>(s);
    }
  }
  return std::nullopt;
}

const char* LevelName(v1::RiskLevel level) {
  switch (level) {
    case v1::RISK_LEVEL_LOW:
      return "low";
    case v1::RISK_LEVEL_MEDIUM:
      return "medium";
    case v1::RISK_LEVEL_HIGH:
      return "high";
    case v1::RISK_LEVEL_CRITICAL:
      return "critical";
    default:
      return "-";
  }
}

// RFC 3339, or a day (its last second in `zone`).
Result<google::protobuf::Timestamp> WhenOption(const std::string& option, const std::string& text,
                                               const TimeZone& zone) {
  if (auto day = ParseDay(text); day.ok()) {
    return wire::ToProto(zone.StartOf(*day + 1) - std::chrono::seconds(1));
  }
  auto time = ParseRfc3339(text);
  if (!time.ok()) {
    return InvalidArgumentError(StrCat("--", option, ": expected YYYY-MM-DD or an RFC 3339 time"));
  }
  return wire::ToProto(*time);
}

Status Filter(const CommandValues& args, v1::ListLedgerItemsRequest* filter) {
  filter->set_unit_id(args.Option("unit").value_or(""));
  filter->set_category_id(args.Option("category").value_or(""));
  for (const auto& state : args.All("state")) {
    auto parsed = ParseState(state);
    if (!parsed) return InvalidArgumentError(StrCat("--state: ", state));  // OneOf refused it
    filter->add_states(*parsed);
  }
  filter->set_open_only(args.Flag("open"));
  filter->set_overdue_only(args.Flag("overdue"));
  return OkStatus();
}

// The options of Filter, on `ledger list` and `ledger export`.
void FilterOptions(CLI::App& command) {
  Text(command, "unit", "UNIT", _("only the items of this unit"));
  Text(command, "category", "CATEGORY", _("only the items of this category"));
  cmdline::OneOf(Repeated(command, "state", "", _("only the items in this state (repeatable)")),
                 {"registered", "in_progress", "resolved", "closed_out", "reopened"});
  Flag(command, "open", _("only the items not closed out"));
  Flag(command, "overdue", _("only the overdue items"));
}

Result<v1::Period> PeriodOption(const std::string& text, const CommandContext& context) {
  // The agent's form (YYYY-MM/N, YYYY-MM, YYYY-QN) via the screening builder.
  wire::PayloadValues values;
  values.Add("period", text);
  values.Add("zero", "");
  ANDING_ASSIGN_OR_RETURN(
      v1::Envelope envelope,
      wire::BuildPayloadFrom("report", "screening", values, context.clock, context.zone));
  return envelope.screening_report().period();
}

void PrintItem(const v1::LedgerItemView& item, bool full, const TimeZone& zone, std::ostream& out) {
  out << item.id() << "  " << PadRight(item.unit_id(), 10) << " " << std::left << std::setw(12)
      << StateName(item.state()) << " " << std::setw(8) << LevelName(item.level()) << " ["
      << item.category_id() << "] " << item.description();
  if (item.overdue_reasons_size() > 0) {
    out << "  OVERDUE(";
    for (int i = 0; i < item.overdue_reasons_size(); ++i) {
      out << (i ? "," : "") << item.overdue_reasons(i);
    }
    out << ")";
  }
  out << "\n";
  if (!full) return;
  out << "  persons " << item.persons() << "; leader " << item.responsible_leader().name() << " "
      << item.responsible_leader().phone() << "; responsible " << item.responsible_person().name()
      << "; department " << item.lead_department() << "\n"
      << "  deadline " << When(item.deadline(), zone) << "; registered "
      << When(item.registered_at(), zone) << " (" << item.source() << ")\n";
  if (!item.measures().empty()) out << "  measures: " << item.measures() << "\n";
  if (!item.resolution().empty()) out << "  resolution: " << item.resolution() << "\n";
  for (const auto& h : item.history()) {
    out << "  " << When(h.at(), zone) << "  " << h.actor() << "  " << h.action();
    for (const auto& c : h.changes())
      out << "  " << c.field() << ": " << c.before() << " → " << c.after();
    if (!h.note().empty()) out << "  — " << h.note();
    if (!h.person().empty()) out << " (" << h.person() << ")";
    out << "\n";
  }
}

void PrintRow(const v1::DailySummaryRowView& r, std::ostream& out) {
  out << PadRight(r.unit_id().empty() ? "TOTAL" : r.unit_id(), 12) << " " << std::left
      << std::setw(12) << r.report() << " new " << r.new_items() << "  open " << r.open_items()
      << "  overdue " << r.overdue_items() << "  warnings " << r.warnings() << " (special "
      << r.special_reports() << ")  incidents " << r.incidents() << "  visits " << r.visit_batches()
      << "/" << r.visit_persons() << "  matters due soon " << r.matters_due_soon() << " overdue "
      << r.matters_overdue() << "\n";
}

void PrintCount(const v1::MonthlyCountView& c, std::ostream& out) {
  out << "  " << std::left << std::setw(30) << (c.key().empty() ? "TOTAL" : c.key()) << " opened "
      << c.opened() << "  closed out " << c.closed_out() << "  reopened " << c.reopened()
      << "  still open " << c.still_open() << "  overdue " << c.overdue() << "\n";
}

// The payload of the selected `ledger register|update|close-out`.
Result<v1::Envelope> BuildPayload(const CommandContext& context) {
  auto envelope = context.payloads.Build(context.clock, context.zone);
  if (!envelope) return InvalidArgumentError(_("no ledger command was given"));
  return std::move(*envelope);
}

}  // namespace

void DefineLedgerCommands(CLI::App& program, wire::PayloadCommands& payloads) {
  CLI::App* ledger = TopCommand(program, "ledger",
                                _("the ledger of every unit: list, show, register, "
                                  "update, close out, reject, reopen, extend, export"),
                                {"anding ledger list --overdue"});
  ledger->require_subcommand(1);
  CLI::App* list = Command(*ledger, "list", _("ledger items, filtered"),
                           {"anding ledger list --unit mine-3 --state registered --state reopened",
                            "anding ledger list --open --overdue"});
  FilterOptions(*list);
  CLI::App* show = Command(*ledger, "show", _("an item with its full history"),
                           {"anding ledger show L-mine-3-0001"});
  Argument(*show, "item", "ITEM_ID", _("the ledger item"))->required();
  // register, update, close-out: the same options as anding-agent's.
  payloads.Define(*ledger, "anding", "ledger");
  Text(*ledger->get_subcommand("register"), "unit", "UNIT", _("the unit the item belongs to"))
      ->required();
  CLI::App* reject =
      Command(*ledger, "reject", _("refuse an item's resolution: it goes back to in progress"),
              {"anding ledger reject --item L-mine-3-0001 --reason '职工仍有异议'"});
  Text(*reject, "item", "ID", _("the ledger item"))->required();
  Text(*reject, "reason", "TEXT", _("why"))->required();
  CLI::App* reopen =
      Command(*ledger, "reopen", _("the problem came back (a rebound): reopen the item"),
              {"anding ledger reopen --item L-mine-3-0001 --reason '职工再次聚集' "
               "--deadline 2026-12-31"});
  Text(*reopen, "item", "ID", _("the ledger item"))->required();
  Text(*reopen, "reason", "TEXT", _("why"))->required();
  Text(*reopen, "deadline", "TIME", _("the new deadline (a day or an RFC 3339 time)"))
      ->check(cmdline::DayOrTime());
  CLI::App* extend =
      Command(*ledger, "extend", _("move an item's deadline, with who approved it"),
              {"anding ledger extend --item L-mine-3-0001 --deadline 2027-01-15 --reason "
               "'需上级协调' --approved-by 孙主任"});
  Text(*extend, "item", "ID", _("the ledger item"))->required();
  Text(*extend, "deadline", "TIME", _("the new deadline (a day or an RFC 3339 time)"))
      ->check(cmdline::DayOrTime())
      ->required();
  Text(*extend, "reason", "TEXT", _("why"))->required();
  Text(*extend, "approved-by", "NAME", _("who approved it"))->required();
  CLI::App* exported = Command(*ledger, "export", _("the ledger as a document (CSV, HTML or PDF)"),
                               {"anding ledger export --open --format csv --out ledger.csv",
                                "anding --lang en ledger export --format pdf --out ledger.pdf"});
  FilterOptions(*exported);
  FormatOptions(*exported, {"csv", "html", "pdf"});

  CLI::App* report =
      TopCommand(program, "report", _("headquarters' daily and monthly summaries of the reports"),
                 {"anding report daily"});
  report->require_subcommand(1);
  CLI::App* daily = Command(
      *report, "daily", _("the daily summary: who reported, new and open items, warnings"),
      {"anding report daily --day 2026-12-03", "anding report daily --format pdf --out daily.pdf"});
  Text(*daily, "day", "YYYY-MM-DD", _("the day (default: today)"))->check(cmdline::Day());
  FormatOptions(*daily, {"text", "csv", "html", "pdf"});
  CLI::App* monthly =
      Command(*report, "monthly", _("the monthly summary: items opened, closed out, overdue"),
              {"anding report monthly --month 2026-11"});
  Text(*monthly, "month", "YYYY-MM", _("the month (default: this one)"));
  FormatOptions(*monthly, {"text", "csv", "html", "pdf"});

  CLI::App* screening = TopCommand(program, "screening", _("the screenings the units file"),
                                   {"anding screening status --period 2026-11/3"});
  screening->require_subcommand(1);
  CLI::App* status =
      Command(*screening, "status", _("which units filed the screening of a period, and when"),
              {"anding screening status --period 2026-11/3",
               "anding screening status --period "
               "2026-Q4"});
  Text(*status, "period", "PERIOD", _("YYYY-MM/N (ten-day period N = 1, 2, 3), YYYY-MM or YYYY-QN"))
      ->required();

  CLI::App* alerts = TopCommand(program, "alerts",
                                _("what headquarters must look at (special reports, overdue, ...)"),
                                {"anding alerts list"});
  alerts->require_subcommand(1);
  CLI::App* alerts_list = Command(*alerts, "list", _("alerts not yet acknowledged (or all)"),
                                  {"anding alerts list", "anding alerts list --all --limit 20"});
  Flag(*alerts_list, "all", _("also the alerts acknowledged"));
  Number(*alerts_list, "limit", 1, 100'000, _("at most this many (default 50)"));
  CLI::App* ack = Command(*alerts, "ack", _("acknowledge an alert"), {"anding alerts ack 12"});
  Argument(*ack, "alert", "ALERT_ID", _("the alert's number"))
      ->check(cmdline::InRange(1, 1'000'000'000'000'000))
      ->required();
}

std::optional<Result<v1::OperatorRequest>> LedgerRequest(const std::string& command,
                                                         const std::string& sub,
                                                         const CommandValues& args,
                                                         const CommandContext& context) {
  v1::OperatorRequest request;
  if (command == "ledger") {
    if (sub == "list") {
      ANDING_RETURN_IF_ERROR(Filter(args, request.mutable_list_ledger_items()));
    } else if (sub == "show") {
      request.mutable_show_ledger_item()->set_ledger_item_id(args.Argument("item"));
    } else if (sub == "register") {
      auto* r = request.mutable_register_ledger_item();
      r->set_unit_id(args.Required("unit"));
      auto envelope = BuildPayload(context);
      if (!envelope.ok()) return envelope.status();
      *r->mutable_item() = envelope->ledger_register();
    } else if (sub == "update") {
      auto envelope = BuildPayload(context);
      if (!envelope.ok()) return envelope.status();
      *request.mutable_update_ledger_item()->mutable_update() = envelope->ledger_update();
    } else if (sub == "close-out") {
      auto envelope = BuildPayload(context);
      if (!envelope.ok()) return envelope.status();
      *request.mutable_close_out_ledger_item()->mutable_close_out() = envelope->ledger_close_out();
    } else if (sub == "reject") {
      auto* r = request.mutable_reject_resolution();
      r->set_ledger_item_id(args.Required("item"));
      r->set_reason(args.Required("reason"));
    } else if (sub == "reopen") {
      auto* r = request.mutable_reopen_ledger_item();
      r->set_ledger_item_id(args.Required("item"));
      r->set_reason(args.Required("reason"));
      if (auto deadline = args.Option("deadline")) {
        auto ts = WhenOption("deadline", *deadline, context.zone);
        if (!ts.ok()) return ts.status();
        *r->mutable_new_deadline() = *ts;
      }
    } else if (sub == "extend") {
      auto* r = request.mutable_extend_ledger_deadline();
      r->set_ledger_item_id(args.Required("item"));
      auto ts = WhenOption("deadline", args.Required("deadline"), context.zone);
      if (!ts.ok()) return ts.status();
      *r->mutable_new_deadline() = *ts;
      r->set_reason(args.Required("reason"));
      r->set_approved_by(args.Required("approved-by"));
    } else if (sub == "export") {
      auto* r = request.mutable_export_();
      r->set_document(v1::EXPORT_DOCUMENT_LEDGER);
      ANDING_RETURN_IF_ERROR(Filter(args, r->mutable_filter()));
    } else {
      return InvalidArgumentError(
          "usage: anding ledger list|show|register|update|close-out|reject|reopen|extend|export");
    }
  } else if (command == "report" && (sub == "daily" || sub == "monthly")) {
    const std::string format = args.Option("format").value_or("text");
    if (format == "text") {
      if (sub == "daily") {
        request.mutable_daily_summary()->set_day(args.Option("day").value_or(""));
      } else {
        request.mutable_monthly_summary()->set_month(args.Option("month").value_or(""));
      }
    } else {
      auto* r = request.mutable_export_();
      r->set_document(sub == "daily" ? v1::EXPORT_DOCUMENT_DAILY_SUMMARY
                                     : v1::EXPORT_DOCUMENT_MONTHLY_SUMMARY);
      r->set_day(args.Option("day").value_or(""));
      r->set_month(args.Option("month").value_or(""));
      if (format != "csv" && format != "html") {
        return InvalidArgumentError("--format must be text, csv, html or pdf");
      }
    }
  } else if (command == "screening" && sub == "status") {
    auto period = PeriodOption(args.Required("period"), context);
    if (!period.ok()) return period.status();
    *request.mutable_screening_status()->mutable_period() = *period;
  } else if (command == "alerts" && sub == "list") {
    request.mutable_list_alerts()->set_all(args.Flag("all"));
    request.mutable_list_alerts()->set_limit(static_cast<uint32_t>(args.Int("limit").value_or(50)));
  } else if (command == "alerts" && sub == "ack") {
    const std::string id = args.Argument("alert");
    request.mutable_acknowledge_alert()->set_alert_id(std::strtoll(id.c_str(), nullptr, 10));
  } else {
    return std::nullopt;
  }
  if (request.has_export_()) {
    const std::string format = args.Option("format").value_or("csv");
    if (format != "csv" && format != "html") {
      return InvalidArgumentError("--format must be csv, html or pdf");
    }
    request.mutable_export_()->set_format(format == "html" ? v1::EXPORT_FORMAT_HTML
                                                           : v1::EXPORT_FORMAT_CSV);
    request.mutable_export_()->set_language(args.Option("lang").value_or("zh"));
  }
  return request;
}

bool PrintLedger(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out) {
  switch (response.result_case()) {
    case v1::OperatorResponse::kLedgerItem:
      PrintItem(response.ledger_item().item(), true, zone, out);
      return true;
    case v1::OperatorResponse::kLedgerItems:
      out << response.ledger_items().items_size() << " ledger items\n";
      for (const auto& item : response.ledger_items().items()) PrintItem(item, false, zone, out);
      return true;
    case v1::OperatorResponse::kDailySummary: {
      const auto& s = response.daily_summary();
      out << "daily summary for " << s.day() << " (generated " << When(s.generated_at(), zone)
          << ")\n";
      for (const auto& row : s.rows()) PrintRow(row, out);
      PrintRow(s.totals(), out);
      out << "not reported: ";
      if (s.units_not_reported_size() == 0) out << "none";
      for (int i = 0; i < s.units_not_reported_size(); ++i) {
        out << (i ? ", " : "") << s.units_not_reported(i);
      }
      out << "\n";
      return true;
    }
    case v1::OperatorResponse::kMonthlySummary: {
      const auto& s = response.monthly_summary();
      out << "monthly ledger summary for " << s.month() << " (generated "
          << When(s.generated_at(), zone) << ")\n";
      PrintCount(s.totals(), out);
      out << " by unit:\n";
      for (const auto& c : s.by_unit()) PrintCount(c, out);
      out << " by category:\n";
      for (const auto& c : s.by_category()) PrintCount(c, out);
      if (s.average_days_to_close() >= 0) {
        out << " average days to close out: " << std::fixed << std::setprecision(1)
            << s.average_days_to_close() << "\n";
      }
      return true;
    }
    case v1::OperatorResponse::kScreeningStatus: {
      const auto& s = response.screening_status();
      out << "screening " << s.period() << "\n";
      for (const auto& row : s.rows()) {
        out << "  " << std::left << std::setw(12) << row.unit_id() << " "
            << (row.filed() ? (row.zero_report() ? "zero report" : "filed") : "NOT FILED")
            << (row.late() ? " (late)" : "") << (row.overdue() ? "  OVERDUE" : "")
            << (row.has_filed_at() ? "  filed " + When(row.filed_at(), zone) : "")
            << (row.has_reminded_at() ? "  reminded " + When(row.reminded_at(), zone) : "") << "\n";
      }
      return true;
    }
    case v1::OperatorResponse::kListAlerts:
      if (response.list_alerts().alerts_size() == 0) out << "no alerts\n";
      for (const auto& a : response.list_alerts().alerts()) {
        out << "#" << a.id() << " " << When(a.raised_at(), zone) << " " << std::left << std::setw(8)
            << a.severity() << " [" << a.kind() << "] " << a.text();
        if (a.has_acknowledged_at()) out << "  (acknowledged by " << a.acknowledged_by() << ")";
        out << "\n";
      }
      return true;
    default:
      return false;
  }
}

}  // namespace anding::cli

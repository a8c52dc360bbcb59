// `anding stats …`: visits in batches and person-times (visits), response
// times (responses), the 台账's close-out record per unit or category
// (ledger), reserve-fund use per incident category (funds), and all of them
// for one year in one document (yearly). The dispatcher renders the tables
// (text, CSV, HTML; Chinese or English words, --lang) so that the command
// line and the HTTP API print the same digits; --format json prints the
// figures.
#include <google/protobuf/util/json_util.h>

#include <optional>
#include <ostream>
#include <tuple>

#include "anding/cmdline/gettext.h"
#include "anding/cmdline/validators.h"
#include "anding/common/strings.h"
#include "commands.h"

namespace anding::cli {
namespace {

// --from and --to: days, the first not after the last. Checked here too so
// that the error names the option the operator typed.
Status DayOptions(const CommandValues& args, std::string* from, std::string* to) {
  std::optional<CivilDay> first;
  std::optional<CivilDay> last;
  for (auto [name, text, day] : {std::tuple{"from", from, &first}, std::tuple{"to", to, &last}}) {
    *text = args.Option(name).value_or("");
    if (text->empty()) continue;
    auto parsed = ParseDay(*text);
    if (!parsed.ok()) {
      return InvalidArgumentError(
          StrCat("--", name, " must be a day written YYYY-MM-DD, not '", *text, "'"));
    }
    *day = *parsed;
  }
  if (first && last && *last < *first) {
    return InvalidArgumentError(cmdline::Tr(N_("--to {} is before --from {}"), *to, *from));
  }
  return OkStatus();
}

Result<std::string> FormatOption(const CommandValues& args) {
  const std::string format = args.Option("format").value_or("text");
  if (format != "text" && format != "csv" && format != "json" && format != "html") {
    return InvalidArgumentError("--format must be text, csv, json, html or pdf");
  }
  return format;
}

// --lang: the document's words. Chinese unless English is asked for.
Result<std::string> LanguageOption(const CommandValues& args) {
  const std::string language = args.Option("lang").value_or("zh");
  if (language != "zh" && language != "en") {
    return InvalidArgumentError(StrCat("--lang must be zh or en, not '", language, "'"));
  }
  return language;
}

// `stats visits`: exactly one period option names the period.
Status PeriodOption(const CommandValues& args, v1::VisitStatsRequest& r) {
  int given = 0;
  for (const char* kind : {"year", "quarter", "month", "range"}) {
    if (auto period = args.Option(kind)) {
      r.set_period_kind(kind);
      r.set_period(*period);
      ++given;
    }
  }
  if (given != 1) {
    return InvalidArgumentError(
        _("give exactly one of --year YYYY, --quarter YYYY-Qn, --month YYYY-MM, "
          "--range YYYY-MM-DD..YYYY-MM-DD"));
  }
  return OkStatus();
}

void PrintDocumentOrJson(const std::string& document, const google::protobuf::Message& figures,
                         std::ostream& out) {
  if (!document.empty()) {
    out << document;
    return;
  }
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(figures, &json, options);
  out << json;
}

// --from DAY and --to DAY.
void DayRangeOptions(CLI::App& command) {
  Text(command, "from", "YYYY-MM-DD", _("the first day"))->check(cmdline::Day());
  Text(command, "to", "YYYY-MM-DD", _("the last day"))->check(cmdline::Day());
}

}  // namespace

void DefineStatsCommands(CLI::App& program) {
  CLI::App* stats = TopCommand(
      program, "stats",
      _("statistics: visits, response times, the ledger's close-out record, the reserve funds, "
        "and all of them for a year; their words in Chinese unless --lang en"),
      {"anding stats visits --year 2026"});
  stats->require_subcommand(1);
  const std::vector<std::string> formats = {"text", "csv", "json", "html", "pdf"};

  CLI::App* visits =
      Command(*stats, "visits", _("visits in batches and person-times over a period"),
              {"anding stats visits --year 2026 --by unit",
               "anding stats visits --quarter 2026-Q4 --format pdf --out visits.pdf"});
  Text(*visits, "year", "YYYY", _("the period: a year"));
  Text(*visits, "quarter", "YYYY-Qn", _("the period: a quarter"));
  Text(*visits, "month", "YYYY-MM", _("the period: a month"));
  Text(*visits, "range", "DAY..DAY", _("the period: from a day to a day"));
  Choice(*visits, "by", {"total", "unit", "category", "channel", "destination"},
         _("the rows (default: total)"));
  FormatOptions(*visits, formats);

  CLI::App* responses =
      Command(*stats, "responses",
              _("response times per unit: the share of deadlines met, the median, the worst"),
              {"anding stats responses --from 2026-01-01 --to 2026-12-31 --by-rule"});
  DayRangeOptions(*responses);
  Flag(*responses, "by-rule", _("a row per deadline rule too"));
  FormatOptions(*responses, formats);

  CLI::App* ledger =
      Command(*stats, "ledger",
              _("ledger items registered in the days: closed out, on time, mean days to close, "
                "open, overdue, reopened, rebounds"),
              {"anding stats ledger --from 2026-10-01 --by category"});
  DayRangeOptions(*ledger);
  Choice(*ledger, "by", {"unit", "category"}, _("the rows (default: unit)"));
  FormatOptions(*ledger, formats);

  CLI::App* funds = Command(*stats, "funds",
                            _("reserve-fund use per incident category: estimated, held, "
                              "actual, share of the actual"),
                            {"anding stats funds --from 2026-01-01 --format csv"});
  DayRangeOptions(*funds);
  FormatOptions(*funds, formats);

  CLI::App* yearly = Command(*stats, "yearly",
                             _("the yearly report: every statistic above and the "
                               "visits' for the year, in one document"),
                             {"anding stats yearly --year 2026 --format pdf --out 2026.pdf"});
  Number(*yearly, "year", 2000, 2100, _("the year"))->type_name("YYYY")->required();
  FormatOptions(*yearly, formats);
}

std::optional<Result<v1::OperatorRequest>> StatsRequest(const std::string& command,
                                                        const std::string& sub,
                                                        const CommandValues& args,
                                                        const CommandContext&) {
  if (command != "stats") return std::nullopt;
  if (sub != "visits" && sub != "responses" && sub != "ledger" && sub != "funds" &&
      sub != "yearly") {
    return std::nullopt;
  }
  v1::OperatorRequest request;
  ANDING_ASSIGN_OR_RETURN(const std::string format, FormatOption(args));
  ANDING_ASSIGN_OR_RETURN(const std::string language, LanguageOption(args));
  if (sub == "visits") {
    auto* r = request.mutable_visit_stats();
    ANDING_RETURN_IF_ERROR(PeriodOption(args, *r));
    r->set_by(args.Option("by").value_or("total"));
    r->set_format(format);
    r->set_language(language);
    return request;
  }
  if (sub == "yearly") {
    auto* r = request.mutable_yearly_report();
    r->set_year(static_cast<int32_t>(args.Int("year").value_or(0)));
    r->set_format(format);
    r->set_language(language);
    return request;
  }
  std::string from;
  std::string to;
  ANDING_RETURN_IF_ERROR(DayOptions(args, &from, &to));
  if (sub == "responses") {
    auto* r = request.mutable_response_stats();
    r->set_from_day(from);
    r->set_to_day(to);
    r->set_by_rule(args.Flag("by-rule"));
    r->set_format(format);
    r->set_language(language);
    return request;
  }
  if (sub == "ledger") {
    const std::string by = args.Option("by").value_or("unit");
    if (by != "unit" && by != "category") {
      return InvalidArgumentError(StrCat("--by must be unit or category, not '", by, "'"));
    }
    auto* r = request.mutable_ledger_stats();
    r->set_from_day(from);
    r->set_to_day(to);
    r->set_by(by);
    r->set_format(format);
    r->set_language(language);
    return request;
  }
  auto* r = request.mutable_fund_stats();
  r->set_from_day(from);
  r->set_to_day(to);
  r->set_format(format);
  r->set_language(language);
  return request;
}

bool PrintStats(const v1::OperatorResponse& response, const TimeZone&, std::ostream& out) {
  switch (response.result_case()) {
    case v1::OperatorResponse::kVisitStats:
      PrintDocumentOrJson(response.visit_stats().document(), response.visit_stats(), out);
      return true;
    case v1::OperatorResponse::kResponseStats:
      PrintDocumentOrJson(response.response_stats().document(), response.response_stats(), out);
      return true;
    case v1::OperatorResponse::kLedgerStats:
      PrintDocumentOrJson(response.ledger_stats().document(), response.ledger_stats(), out);
      return true;
    case v1::OperatorResponse::kFundStats:
      PrintDocumentOrJson(response.fund_stats().document(), response.fund_stats(), out);
      return true;
    case v1::OperatorResponse::kYearlyReport:
      PrintDocumentOrJson(response.yearly_report().document(), response.yearly_report(), out);
      return true;
    default:
      return false;
  }
}

}  // namespace anding::cli

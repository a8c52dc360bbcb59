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

#include "anding/common/strings.h"
#include "commands.h"

namespace anding::cli {
namespace {

// --from and --to: days, the first not after the last. Checked here too so
// that the error names the option the operator typed.
Status DayOptions(Args& args, std::string* from, std::string* to) {
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
    return InvalidArgumentError(StrCat("--to ", *to, " is before --from ", *from));
  }
  return OkStatus();
}

Result<std::string> FormatOption(Args& args) {
  const std::string format = args.Option("format").value_or("text");
  if (format != "text" && format != "csv" && format != "json" && format != "html") {
    return InvalidArgumentError("--format must be text, csv, json, html or pdf");
  }
  return format;
}

// --lang: the document's words. Chinese unless English is asked for.
Result<std::string> LanguageOption(Args& args) {
  const std::string language = args.Option("lang").value_or("zh");
  if (language != "zh" && language != "en") {
    return InvalidArgumentError(StrCat("--lang must be zh or en, not '", language, "'"));
  }
  return language;
}

// `stats visits`: exactly one period option names the period.
Status PeriodOption(Args& args, v1::VisitStatsRequest& r) {
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
        "give exactly one of --year YYYY, --quarter YYYY-Qn, --month YYYY-MM, "
        "--range YYYY-MM-DD..YYYY-MM-DD");
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

}  // namespace

std::optional<Result<v1::OperatorRequest>> StatsRequest(const std::string& command,
                                                        const std::string& sub, Args& args,
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
    const std::optional<int64_t> year = args.Int("year");
    if (!year) return InvalidArgumentError("usage: anding stats yearly --year YYYY");
    if (*year < 2000 || *year > 2100) {
      return InvalidArgumentError(StrCat("--year must be in 2000..2100, not ", *year));
    }
    r->set_year(static_cast<int32_t>(*year));
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

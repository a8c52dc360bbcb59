// `anding stats ledger …` and `anding stats funds …`: the 台账's close-out
// record per unit or category, and reserve-fund use per incident category.
// The dispatcher renders the tables (text, CSV, HTML) so that the command
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
  if (command != "stats" || (sub != "ledger" && sub != "funds")) return std::nullopt;
  v1::OperatorRequest request;
  std::string from;
  std::string to;
  ANDING_RETURN_IF_ERROR(DayOptions(args, &from, &to));
  ANDING_ASSIGN_OR_RETURN(const std::string format, FormatOption(args));
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
    return request;
  }
  auto* r = request.mutable_fund_stats();
  r->set_from_day(from);
  r->set_to_day(to);
  r->set_format(format);
  return request;
}

bool PrintStats(const v1::OperatorResponse& response, const TimeZone&, std::ostream& out) {
  switch (response.result_case()) {
    case v1::OperatorResponse::kLedgerStats:
      PrintDocumentOrJson(response.ledger_stats().document(), response.ledger_stats(), out);
      return true;
    case v1::OperatorResponse::kFundStats:
      PrintDocumentOrJson(response.fund_stats().document(), response.fund_stats(), out);
      return true;
    default:
      return false;
  }
}

}  // namespace anding::cli

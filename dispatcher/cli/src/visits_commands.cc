// `anding visits …` and `anding matters …`: the visit register
// (接处访登记) and petition matters (信访事项) with their statutory time
// limits (their statistics are `anding stats visits`, stats_commands.cc).
#include <ostream>

#include "anding/common/strings.h"
#include "commands.h"

namespace anding::cli {
namespace {

// A count option: absent = 0 (the dispatcher's default), else 1..2^32-1.
uint32_t Count(Args& args, const std::string& name) {
  const auto value = args.Int(name);
  if (!value) return 0;
  if (*value < 1 || *value > 0xFFFFFFFFLL) {
    args.Error(StrCat("--", name, " must be a positive number"));
    return 0;
  }
  return static_cast<uint32_t>(*value);
}

std::optional<Result<v1::OperatorRequest>> VisitsCommand(const std::string& sub, Args& args) {
  v1::OperatorRequest request;
  if (sub == "register") {
    auto* r = request.mutable_record_visit();
    r->set_unit_id(args.Required("unit"));
    r->set_day(args.Option("day").value_or(""));
    r->set_category_id(args.Option("category").value_or(""));
    r->set_channel(args.Option("channel").value_or(""));
    r->set_destination_level(args.Option("destination").value_or(""));
    r->set_batches(Count(args, "batches"));
    r->set_persons(Count(args, "persons"));
    r->set_collective(args.Option("collective").value_or(""));
    r->set_representative(args.Option("representative").value_or(""));
    r->set_contact(args.Option("contact").value_or(""));
    r->set_note(args.Option("note").value_or(""));
    r->set_repeat_of(args.Option("repeat-of").value_or(""));
    return request;
  }
  if (sub == "list") {
    auto* r = request.mutable_list_visits();
    r->set_unit_id(args.Option("unit").value_or(""));
    r->set_from_day(args.Option("from").value_or(""));
    r->set_to_day(args.Option("to").value_or(""));
    r->set_repeats_only(args.Flag("repeats"));
    r->set_limit(Count(args, "limit"));
    return request;
  }
  return std::nullopt;
}

std::optional<Result<v1::OperatorRequest>> MattersCommand(const std::string& sub, Args& args) {
  v1::OperatorRequest request;
  if (sub == "register") {
    auto* r = request.mutable_register_matter();
    r->set_unit_id(args.Required("unit"));
    r->set_summary(args.Required("summary"));
    r->set_category_id(args.Option("category").value_or(""));
    r->set_visit_id(args.Option("visit").value_or(""));
    r->set_received_day(args.Option("received").value_or(""));
    return request;
  }
  if (sub == "list") {
    auto* r = request.mutable_list_matters();
    r->set_unit_id(args.Option("unit").value_or(""));
    r->set_state(args.Option("state").value_or(""));
    r->set_open_only(args.Flag("open"));
    return request;
  }
  static const std::pair<const char*, const char*> kActions[] = {
      {"accept", "accept"},
      {"decline", "decline"},
      {"extend", "extend"},
      {"conclude", "conclude"},
      {"request-review", "request_review"},
      {"conclude-review", "conclude_review"},
      {"request-reexamination", "request_reexamination"},
      {"conclude-reexamination", "conclude_reexamination"}};
  for (const auto& [word, action] : kActions) {
    if (sub != word) continue;
    auto* r = request.mutable_update_matter();
    r->set_matter_id(args.Positional(2));
    if (r->matter_id().empty()) return InvalidArgumentError(StrCat("matters ", sub, " MATTER_ID"));
    r->set_action(action);
    r->set_day(args.Option("day").value_or(""));
    r->set_extension_days(args.Int("days").value_or(0));
    r->set_text(args.Option("text").value_or(""));
    return request;
  }
  return std::nullopt;
}

void PrintVisit(const v1::VisitView& v, std::ostream& out) {
  out << v.id() << "  " << v.day() << "  " << v.unit_id() << "  "
      << (v.category_id().empty() ? "-" : v.category_id()) << "  " << v.channel() << " → "
      << v.destination_level() << "  " << v.batches() << " 批次 / " << v.persons() << " 人次"
      << (v.collective() ? "  集体访" : "");
  if (!v.representative().empty() || !v.contact().empty()) {
    out << "  代表 " << v.representative() << (v.contact().empty() ? "" : " ") << v.contact();
  }
  if (!v.repeat_of().empty())
    out << "  重复访 repeat of " << v.repeat_of() << " (" << v.repeat_basis() << ")";
  out << "\n";
}

void PrintMatter(const v1::MatterView& m, std::ostream& out) {
  out << m.id() << "  " << m.state() << "  " << m.unit_id() << "  received " << m.received_day();
  if (!m.deadline_stage().empty()) {
    out << "  " << m.deadline_stage() << " by " << m.deadline_day()
        << (m.deadline_breached() ? "  OVERDUE"
            : m.deadline_warned() ? "  due soon"
                                  : "");
  }
  if (m.extension_days() > 0) {
    out << "  extended " << m.extension_days() << "d (" << m.extension_reason() << ")";
  }
  out << "\n    " << m.summary();
  if (!m.outcome().empty()) out << " — " << m.outcome();
  out << "\n";
}

}  // namespace

std::optional<Result<v1::OperatorRequest>> VisitsRequest(const std::string& command,
                                                         const std::string& sub, Args& args,
                                                         const CommandContext&) {
  if (command == "visits") return VisitsCommand(sub, args);
  if (command == "matters") return MattersCommand(sub, args);
  return std::nullopt;
}

bool PrintVisits(const v1::OperatorResponse& response, const TimeZone&, std::ostream& out) {
  switch (response.result_case()) {
    case v1::OperatorResponse::kVisit:
      PrintVisit(response.visit().visit(), out);
      return true;
    case v1::OperatorResponse::kVisits:
      for (const auto& visit : response.visits().visits()) PrintVisit(visit, out);
      out << response.visits().visits_size() << " of " << response.visits().total() << " visits\n";
      return true;
    case v1::OperatorResponse::kMatter:
      PrintMatter(response.matter().matter(), out);
      return true;
    case v1::OperatorResponse::kMatters:
      for (const auto& matter : response.matters().matters()) PrintMatter(matter, out);
      return true;
    default:
      return false;
  }
}

}  // namespace anding::cli

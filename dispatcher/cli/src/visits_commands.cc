// `anding visits …` and `anding matters …`: the visit register
// (接处访登记) and petition matters with their statutory time
// limits (their statistics are `anding stats visits`, stats_commands.cc).
#include <ostream>

#include "anding/cmdline/gettext.h"
#include "anding/cmdline/validators.h"
#include "anding/common/strings.h"
#include "commands.h"

namespace anding::cli {
namespace {

// A count option: absent = 0 (the dispatcher's default), else checked in
// its definition (CountOption).
uint32_t Count(const CommandValues& args, const std::string& name) {
  return static_cast<uint32_t>(args.Int(name).value_or(0));
}

CLI::Option* CountOption(CLI::App& command, const std::string& name,
                         const std::string& description) {
  return Number(command, name, 1, 0xFFFFFFFFLL, description);
}

std::optional<Result<v1::OperatorRequest>> VisitsCommand(const std::string& sub,
                                                         const CommandValues& args) {
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
    r->set_cursor(args.Option("cursor").value_or(""));
    return request;
  }
  return std::nullopt;
}

std::optional<Result<v1::OperatorRequest>> MattersCommand(const std::string& sub,
                                                          const CommandValues& args) {
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
    r->set_limit(Count(args, "limit"));
    r->set_cursor(args.Option("cursor").value_or(""));
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
    r->set_matter_id(args.Argument("matter"));
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

void DefineVisitsCommands(CLI::App& program) {
  CLI::App* visits =
      TopCommand(program, "visits", _("the visit register"), {"anding visits list --unit mine-3"});
  visits->require_subcommand(1);
  CLI::App* record = Command(
      *visits, "register",
      _("register a visit, letter or call; repeats of a group are flagged by themselves"),
      {"anding visits register --unit mine-3 --channel visit --destination city --batches 1 "
       "--persons 12 --collective yes --representative 刘某"});
  Text(*record, "unit", "UNIT", _("the unit"))->required();
  Text(*record, "day", "YYYY-MM-DD", _("the day (default: today)"))->check(cmdline::Day());
  Text(*record, "category", "CATEGORY", _("the category of the problem"));
  Choice(*record, "channel", {"visit", "letter", "phone", "online"}, _("how it came"));
  Choice(*record, "destination", {"unit", "company", "city", "province", "beijing"},
         _("the level it went to"));
  CountOption(*record, "batches", _("batches"));
  CountOption(*record, "persons", _("person-times"));
  Choice(*record, "collective", {"yes", "no"}, _("a collective visit"));
  Text(*record, "representative", "NAME", _("the representative"));
  Text(*record, "contact", "CONTACT", _("how to reach the representative"));
  Text(*record, "note", "TEXT", _("a note"));
  Text(*record, "repeat-of", "VISIT_ID", _("the visit this one repeats"));
  CLI::App* list = Command(*visits, "list", _("registered visits, filtered"),
                           {"anding visits list --unit mine-3 --from 2026-11-01 --repeats"});
  Text(*list, "unit", "UNIT", _("only this unit's visits"));
  Text(*list, "from", "YYYY-MM-DD", _("the first day"))->check(cmdline::Day());
  Text(*list, "to", "YYYY-MM-DD", _("the last day"))->check(cmdline::Day());
  Flag(*list, "repeats", _("only the repeated visits"));
  CountOption(*list, "limit", _("at most this many (default 50)"));
  Text(*list, "cursor", "CURSOR", _("the next page: the cursor the page before printed"));

  CLI::App* matters =
      TopCommand(program, "matters", _("petition matters with their statutory time limits"),
                 {"anding matters list --open"});
  matters->require_subcommand(1);
  CLI::App* register_matter =
      Command(*matters, "register", _("register a petition matter received"),
              {"anding matters register --unit mine-3 --summary '反映工资拖欠' --visit V-000001"});
  Text(*register_matter, "unit", "UNIT", _("the unit"))->required();
  Text(*register_matter, "summary", "TEXT", _("what it is about"))->required();
  Text(*register_matter, "category", "CATEGORY", _("the category of the problem"));
  Text(*register_matter, "visit", "VISIT_ID", _("the visit it came with"));
  Text(*register_matter, "received", "YYYY-MM-DD", _("the day it was received (default: today)"))
      ->check(cmdline::Day());
  CLI::App* list_matters = Command(*matters, "list", _("matters, their time limits and warnings"),
                                   {"anding matters list --unit mine-3 --open"});
  Text(*list_matters, "unit", "UNIT", _("only this unit's matters"));
  Text(*list_matters, "state", "STATE", _("only the matters in this state"));
  Flag(*list_matters, "open", _("only the matters in which a time limit runs"));
  CountOption(*list_matters, "limit", _("at most this many (default 50)"));
  Text(*list_matters, "cursor", "CURSOR", _("the next page: the cursor the page before printed"));
  const std::pair<const char*, const char*> kSteps[] = {
      {"accept", N_("accept the matter")},
      {"decline", N_("decline the matter")},
      {"conclude", N_("conclude the matter with its outcome")},
      {"request-review", N_("the petitioner asks for a review")},
      {"conclude-review", N_("conclude the review")},
      {"request-reexamination", N_("the petitioner asks for a re-examination")},
      {"conclude-reexamination", N_("conclude the re-examination")}};
  for (const auto& [name, description] : kSteps) {
    CLI::App* step = Command(*matters, name, _(description),
                             {StrCat("anding matters ", name, " M-000001 --text '已答复'")});
    Argument(*step, "matter", "MATTER_ID", _("the matter"))->required();
    Text(*step, "day", "YYYY-MM-DD", _("the day (default: today)"))->check(cmdline::Day());
    Text(*step, "text", "TEXT", _("the decision or outcome"));
  }
  CLI::App* extend = Command(*matters, "extend", _("extend the time limit once, by up to 30 days"),
                             {"anding matters extend M-000001 --days 30 --text '需要调查核实'"});
  Argument(*extend, "matter", "MATTER_ID", _("the matter"))->required();
  Number(*extend, "days", 1, 30, _("the days added (1 to 30)"))->required();
  Text(*extend, "text", "REASON", _("why"))->required();
  Text(*extend, "day", "YYYY-MM-DD", _("the day (default: today)"))->check(cmdline::Day());
}

std::optional<Result<v1::OperatorRequest>> VisitsRequest(const std::string& command,
                                                         const std::string& sub,
                                                         const CommandValues& args,
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
      out << response.visits().visits_size()
          << (response.visits().visits_size() == 1 ? " visit\n" : " visits\n");
      if (!response.visits().next_cursor().empty()) {
        out << "next page: --cursor " << response.visits().next_cursor() << "\n";
      }
      return true;
    case v1::OperatorResponse::kMatter:
      PrintMatter(response.matter().matter(), out);
      return true;
    case v1::OperatorResponse::kMatters:
      for (const auto& matter : response.matters().matters()) PrintMatter(matter, out);
      if (!response.matters().next_cursor().empty()) {
        out << "next page: --cursor " << response.matters().next_cursor() << "\n";
      }
      return true;
    default:
      return false;
  }
}

}  // namespace anding::cli

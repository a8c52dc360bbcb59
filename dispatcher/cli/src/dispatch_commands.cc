// `anding incident …`, `anding teams`, `anding availability`: incidents,
// their deadlines and assignments, and the response teams and vehicles.
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

const char* StateName(v1::IncidentState state) {
  switch (state) {
    case v1::INCIDENT_STATE_REPORTED:
      return "reported";
    case v1::INCIDENT_STATE_DISPATCHED:
      return "dispatched";
    case v1::INCIDENT_STATE_EN_ROUTE:
      return "en_route";
    case v1::INCIDENT_STATE_ON_SCENE:
      return "on_scene";
    case v1::INCIDENT_STATE_SETTLED:
      return "settled";
    case v1::INCIDENT_STATE_AFTERMATH:
      return "aftermath";
    case v1::INCIDENT_STATE_CLOSED:
      return "closed";
    case v1::INCIDENT_STATE_CANCELLED:
      return "cancelled";
    default:
      return "?";
  }
}

const char* GradeName(v1::RiskLevel grade) {
  switch (grade) {
    case v1::RISK_LEVEL_LOW:
      return "一般";
    case v1::RISK_LEVEL_MEDIUM:
      return "较大";
    case v1::RISK_LEVEL_HIGH:
      return "重大";
    case v1::RISK_LEVEL_CRITICAL:
      return "特别重大";
    default:
      return "-";
  }
}

std::string Minutes(int64_t seconds) { return FormatDuration(std::chrono::seconds(seconds)); }

void PrintExplanation(const v1::ExplanationView& e, const std::string& indent, std::ostream& out) {
  for (const auto& reason : e.reasons()) out << indent << "why: " << reason << "\n";
  for (const auto& r : e.rejected()) {
    out << indent << "rejected " << r.team_id() << " (" << r.unit_id() << "): " << r.reason()
        << "\n";
  }
  if (!e.more_rejected().empty()) out << indent << e.more_rejected() << "\n";
}

void PrintIncident(const v1::IncidentView& i, bool full, const TimeZone& zone, std::ostream& out) {
  out << i.id() << "  " << std::left << std::setw(10) << StateName(i.state()) << " "
      << GradeName(i.grade()) << "  " << i.report().place().region_id() << " "
      << i.report().place().address() << "  " << i.report().persons() << "人  "
      << i.report().summary() << "\n";
  if (!full) return;
  out << "  reported " << When(i.reported_at(), zone) << " by " << i.reported_by() << "; involved:";
  for (const auto& unit : i.report().involved_unit_ids()) out << " " << unit;
  out << "\n";
  for (const auto& r : i.responses()) {
    out << "  unit " << PadRight(r.unit_id(), 12);
    if (r.has_deadline()) {
      out << " arrive by " << When(r.deadline().at(), zone) << " (" << r.deadline().rule_text()
          << ")";
    } else {
      out << " NO RULE COVERS THIS UNIT";
    }
    if (r.has_arrived_at()) {
      out << "; arrived " << When(r.arrived_at(), zone) << " after "
          << Minutes(r.response_time_seconds()) << " (" << r.punctuality() << ")";
    } else if (r.has_breach_at()) {
      out << "; DEADLINE BREACHED";
    }
    out << "\n";
    if (r.has_infeasible_since()) {
      out << "    NO FEASIBLE ASSIGNMENT since " << When(r.infeasible_since(), zone) << "\n";
      PrintExplanation(r.infeasible(), "      ", out);
    }
  }
  for (const auto& a : i.assignments()) {
    out << "  assignment #" << a.number() << " for " << a.unit_id() << ": " << a.state() << " team "
        << a.team_id() << " (" << a.team_unit_id() << ")" << (a.fallback() ? " FALLBACK" : "")
        << (a.by_operator() ? " by HQ" : "") << ", eta " << When(a.eta(), zone) << " (mobilise "
        << Minutes(a.mobilisation_seconds()) << " + travel " << Minutes(a.travel_seconds())
        << "), vehicles";
    for (const auto& v : a.vehicle_ids()) out << " " << v;
    out << "\n";
    for (const auto& m : a.members()) {
      out << "    " << m.role() << ": " << m.contact().name() << " " << m.contact().phone() << "\n";
    }
    for (const auto& l : a.accompanying_leaders()) {
      out << "    unit leader: " << l.name() << " " << l.phone() << "\n";
    }
    PrintExplanation(a.explanation(), "    ", out);
  }
  for (const auto& t : i.timeline()) {
    out << "  " << When(t.at(), zone) << "  " << std::left << std::setw(22) << t.event() << " "
        << t.actor() << (t.unit_id().empty() ? "" : " [" + t.unit_id() + "]") << "  " << t.text()
        << "\n";
  }
}

std::optional<v1::IncidentState> ParseState(const std::string& text) {
  for (int s = v1::INCIDENT_STATE_REPORTED; s <= v1::INCIDENT_STATE_CANCELLED; ++s) {
    if (text == StateName(static_cast<v1::IncidentState>(s)))
      return static_cast<v1::IncidentState>(s);
  }
  return std::nullopt;
}

// The incident a subcommand of `incident` acts on.
void IncidentArgument(CLI::App& command) {
  Argument(command, "incident", "INCIDENT_ID", _("the incident"))->required();
}

}  // namespace

void DefineDispatchCommands(CLI::App& program, wire::PayloadCommands& payloads) {
  CLI::App* incident =
      TopCommand(program, "incident",
                 _("incidents and the teams sent to them: report, list, show, confirm, override, "
                   "reassign, status, cancel, review"),
                 {"anding incident list --open"});
  incident->require_subcommand(1);
  CLI::App* report =
      Command(*incident, "report", _("report an incident for a unit (as its agent would)"),
              {"anding incident report --type group-petition --region zhengzhou --persons 40 "
               "--summary '三矿职工到省政府上访' --involved mine-3"});
  payloads.DefineOptions(*report, "report", "incident");

  CLI::App* list = Command(*incident, "list", _("incidents, newest first, filtered"),
                           {"anding incident list --open",
                            "anding incident list --state "
                            "dispatched --state on_scene"});
  Flag(*list, "open", _("only the incidents not closed or cancelled"));
  cmdline::OneOf(Repeated(*list, "state", "", _("only the incidents in this state (repeatable)")),
                 {"reported", "dispatched", "en_route", "on_scene", "settled", "aftermath",
                  "closed", "cancelled"});
  Text(*list, "region", "REGION", _("only the incidents in this region"));
  Text(*list, "unit", "UNIT", _("only the incidents involving this unit"));
  Number(*list, "limit", 1, 100'000, _("at most this many (default 100)"));

  CLI::App* show =
      Command(*incident, "show", _("an incident: deadlines, assignments (with why), timeline"),
              {"anding incident show INC-20261203-0001"});
  IncidentArgument(*show);

  CLI::App* confirm =
      Command(*incident, "confirm", _("confirm the proposed assignment(s): the orders go out"),
              {"anding incident confirm INC-20261203-0001"});
  IncidentArgument(*confirm);
  Text(*confirm, "unit", "UNIT", _("confirm only this unit's assignment"));

  CLI::App* override_ = Command(
      *incident, "override", _("send another team (and members, vehicles) than proposed"),
      {"anding incident override INC-20261203-0001 --unit mine-3 --team team-mine3 --member "
       "m-1 --vehicle v-2 --note '熟悉情况'"});
  IncidentArgument(*override_);
  Text(*override_, "unit", "UNIT", _("the unit whose assignment changes"))->required();
  Text(*override_, "team", "TEAM", _("the team sent"))->required();
  Repeated(*override_, "member", "MEMBER", _("a member sent (repeatable)"));
  Repeated(*override_, "vehicle", "VEHICLE", _("a vehicle sent (repeatable)"));
  Text(*override_, "note", "TEXT", _("why"));

  CLI::App* reassign =
      Command(*incident, "reassign", _("propose another team for a unit, excluding some"),
              {"anding incident reassign INC-20261203-0001 --unit mine-6 --exclude team-mine6"});
  IncidentArgument(*reassign);
  Text(*reassign, "unit", "UNIT", _("the unit whose team is replaced"))->required();
  Repeated(*reassign, "exclude", "TEAM", _("a team not to propose (repeatable)"));
  Text(*reassign, "note", "TEXT", _("why"));

  CLI::App* status = Command(
      *incident, "status", _("record a step of the response: departed, arrived, settled, ..."),
      {"anding incident status INC-20261203-0001 --step arrived --at 2026-12-03T10:15:00+08:00"});
  IncidentArgument(*status);
  Choice(*status, "step", {"departed", "arrived", "settled", "aftermath", "closed"},
         _("the step reached"))
      ->required();
  Text(*status, "unit", "UNIT", _("the unit whose team reached it"));
  Text(*status, "at", "TIME", _("when (RFC 3339; default: now)"))->check(Rfc3339Time());
  Text(*status, "note", "TEXT", _("a note"));
  Text(*status, "by", "NAME", _("who reports it"));

  CLI::App* cancel =
      Command(*incident, "cancel",
              _("the incident was reported in error: orders are withdrawn, holds released"),
              {"anding incident cancel INC-20261203-0001 --reason '误报'"});
  IncidentArgument(*cancel);
  Text(*cancel, "reason", "TEXT", _("why"))->required();

  CLI::App* teams =
      TopCommand(program, "teams", _("the response teams: members, vehicles, what they are on"),
                 {"anding teams", "anding teams --unit mine-3"});
  Text(*teams, "unit", "UNIT", _("only this unit's teams"));

  CLI::App* availability =
      TopCommand(program, "availability", _("take a team, member or vehicle off duty or back on"),
                 {"anding availability --kind vehicle --id v-2 --off --note '维修'"});
  Choice(*availability, "kind", {"team", "member", "vehicle"}, _("what it is"))->required();
  Text(*availability, "id", "ID", _("its id"))->required();
  CLI::Option* on = Flag(*availability, "on", _("available again"));
  Flag(*availability, "off", _("not available"))->excludes(on);
  Text(*availability, "note", "TEXT", _("why"));
}

std::optional<Result<v1::OperatorRequest>> DispatchRequest(const std::string& command,
                                                           const std::string& sub,
                                                           const CommandValues& args,
                                                           const CommandContext& context) {
  v1::OperatorRequest request;
  const std::string id = args.Argument("incident");
  if (command == "teams") {
    request.mutable_list_teams()->set_unit_id(args.Option("unit").value_or(""));
    return request;
  }
  if (command == "availability") {
    auto* r = request.mutable_set_availability();
    r->set_kind(args.Required("kind"));
    r->set_id(args.Required("id"));
    const bool off = args.Flag("off");
    const bool on = args.Flag("on");
    if (off == on) return InvalidArgumentError(_("give exactly one of --on or --off"));
    r->set_available(on);
    r->set_note(args.Option("note").value_or(""));
    return request;
  }
  if (command != "incident") return std::nullopt;
  if (sub == "report") {
    auto envelope = context.payloads.Build(context.clock, context.zone);
    if (!envelope) return InvalidArgumentError(_("no incident report was given"));
    if (!envelope->ok()) return envelope->status();
    ANDING_ASSIGN_OR_RETURN(v1::Envelope built, std::move(*envelope));
    *request.mutable_report_incident()->mutable_report() = built.incident_report();
  } else if (sub == "list") {
    auto* r = request.mutable_list_incidents();
    r->set_open_only(args.Flag("open"));
    for (const auto& state : args.All("state")) {
      auto parsed = ParseState(state);
      if (!parsed) return InvalidArgumentError(StrCat("--state: ", state));  // OneOf refused it
      r->add_states(*parsed);
    }
    r->set_region_id(args.Option("region").value_or(""));
    r->set_unit_id(args.Option("unit").value_or(""));
    r->set_limit(static_cast<uint32_t>(args.Int("limit").value_or(100)));
  } else if (sub == "show") {
    request.mutable_show_incident()->set_incident_id(id);
  } else if (sub == "confirm") {
    request.mutable_confirm_assignment()->set_incident_id(id);
    request.mutable_confirm_assignment()->set_unit_id(args.Option("unit").value_or(""));
  } else if (sub == "override") {
    auto* r = request.mutable_override_assignment();
    r->set_incident_id(id);
    r->set_unit_id(args.Required("unit"));
    r->set_team_id(args.Required("team"));
    for (const auto& m : args.All("member")) r->add_member_ids(m);
    for (const auto& v : args.All("vehicle")) r->add_vehicle_ids(v);
    r->set_note(args.Option("note").value_or(""));
  } else if (sub == "reassign") {
    auto* r = request.mutable_reassign();
    r->set_incident_id(id);
    r->set_unit_id(args.Required("unit"));
    for (const auto& t : args.All("exclude")) r->add_exclude_team_ids(t);
    r->set_note(args.Option("note").value_or(""));
  } else if (sub == "status") {
    wire::PayloadValues values;
    values.Add("incident", id);
    values.Add("step", args.Required("step"));
    auto envelope = wire::BuildPayloadFrom("report", "status", values, context.clock, context.zone);
    if (!envelope.ok()) return envelope.status();
    auto* r = request.mutable_update_incident_status();
    *r->mutable_update() = envelope->incident_status();
    if (auto at = args.Option("at")) {
      auto time = ParseRfc3339(*at);
      if (!time.ok()) return time.status();
      *r->mutable_update()->mutable_at() = wire::ToProto(*time);
    }
    r->mutable_update()->set_note(args.Option("note").value_or(""));
    r->mutable_update()->set_reported_by(args.Option("by").value_or(""));
    r->set_unit_id(args.Option("unit").value_or(""));
  } else if (sub == "cancel") {
    auto* r = request.mutable_cancel_incident();
    r->set_incident_id(id);
    r->set_reason(args.Required("reason"));
  } else {
    return std::nullopt;
  }
  return request;
}

bool PrintDispatch(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out) {
  switch (response.result_case()) {
    case v1::OperatorResponse::kIncident:
      PrintIncident(response.incident().incident(), true, zone, out);
      return true;
    case v1::OperatorResponse::kIncidents:
      out << response.incidents().incidents_size() << " incidents\n";
      for (const auto& incident : response.incidents().incidents())
        PrintIncident(incident, false, zone, out);
      return true;
    case v1::OperatorResponse::kTeams:
      for (const auto& t : response.teams().teams()) {
        out << "team " << t.id() << " " << t.name() << " (" << t.home_unit_id() << ") "
            << (t.on_duty() ? "on duty" : "OFF DUTY") << ", mobilises in "
            << Minutes(t.mobilisation_seconds());
        if (t.has_assignment())
          out << "  on " << t.assignment().incident_id() << " (" << t.assignment().state() << ")";
        out << "\n";
        for (const auto& m : t.members()) {
          out << "  " << std::left << std::setw(8) << m.role() << " " << m.contact().name() << " "
              << m.contact().phone() << (m.on_duty() ? "" : "  OFF DUTY")
              << (m.has_assignment() ? "  on " + m.assignment().incident_id() : "") << "\n";
        }
      }
      for (const auto& v : response.teams().vehicles()) {
        out << "vehicle " << v.id() << " " << v.name() << " " << v.plate() << " ("
            << v.home_unit_id() << ") " << v.seats() << " seats"
            << (v.available() ? "" : "  UNAVAILABLE")
            << (v.has_assignment() ? "  on " + v.assignment().incident_id() : "") << "\n";
      }
      return true;
    default:
      return false;
  }
}

}  // namespace anding::cli

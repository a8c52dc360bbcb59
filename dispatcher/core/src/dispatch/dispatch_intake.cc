// DispatchModule::ReportIncident: validation, the incident id, grade and
// per-unit deadlines, and the first proposals.
#include <algorithm>
#include <set>

#include "anding/common/limits.h"
#include "anding/common/strings.h"
#include "anding/core/dispatch/dispatch_module.h"
#include "anding/core/dispatch/rules.h"
#include "texts.h"

namespace anding::core::dispatch {
namespace {

constexpr size_t kMaxDetailsBytes = 20000;
constexpr size_t kMaxAddressBytes = 500;

}  // namespace

Result<std::string> DispatchModule::ReportIncident(const ReportIncidentRequest& request,
                                                   const Actor& who, Time now, Effects& out) {
  ANDING_RETURN_IF_ERROR(CheckActor(who));
  if (who.kind == Actor::Kind::kSms) {
    return PermissionDeniedError("incidents are reported by an agent or an operator, not by SMS");
  }
  IncidentReport report = request.report;
  if (who.kind == Actor::Kind::kAgent) {
    if (org_.FindUnit(who.id) == nullptr) {
      return PermissionDeniedError(StrCat("agent unit '", who.id, "' is not configured"));
    }
    if (std::find(report.involved_unit_ids.begin(), report.involved_unit_ids.end(), who.id) ==
        report.involved_unit_ids.end()) {
      report.involved_unit_ids.push_back(who.id);
    }
  }
  const Region* region = org_.FindRegion(report.place.region_id);
  if (region == nullptr) {
    return InvalidArgumentError(StrCat("unknown region '", report.place.region_id, "'"));
  }
  if (report.persons == 0) return InvalidArgumentError("persons must be at least 1");
  if (report.representatives > report.persons) {
    return InvalidArgumentError(StrCat("representatives (", report.representatives,
                                       ") exceed persons (", report.persons, ")"));
  }
  if (report.involved_unit_ids.empty()) {
    return InvalidArgumentError("an incident needs at least one involved unit");
  }
  std::set<std::string_view> seen;
  for (const auto& unit_id : report.involved_unit_ids) {
    if (org_.FindUnit(unit_id) == nullptr) {
      return InvalidArgumentError(StrCat("unknown involved unit '", unit_id, "'"));
    }
    if (!seen.insert(unit_id).second) {
      return InvalidArgumentError(StrCat("involved unit '", unit_id, "' is listed twice"));
    }
  }
  if (!report.category_id.empty() && org_.FindCategory(report.category_id) == nullptr) {
    return InvalidArgumentError(StrCat("unknown category '", report.category_id, "'"));
  }
  // Characters, not bytes: the limit the command lines and the edge check.
  const size_t summary_chars =
      static_cast<size_t>(std::count_if(report.summary.begin(), report.summary.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      }));
  if (summary_chars > limits::kMaxIncidentSummaryChars) {
    return InvalidArgumentError(StrCat("summary is too long (", summary_chars,
                                       " characters; at most ", limits::kMaxIncidentSummaryChars,
                                       ")"));
  }
  if (report.details.size() > kMaxDetailsBytes || report.place.address.size() > kMaxAddressBytes) {
    return InvalidArgumentError(StrCat("details or address too long (limits ", kMaxDetailsBytes,
                                       ", ", kMaxAddressBytes, " bytes)"));
  }
  const Time reported_at = request.reported_at.value_or(now);
  if (reported_at > now) {
    return InvalidArgumentError(
        StrCat("reported_at ", FormatUtc(reported_at), " is after now ", FormatUtc(now)));
  }
  if (report.occurred_at && *report.occurred_at > now) {
    return InvalidArgumentError(
        StrCat("occurred_at ", FormatUtc(*report.occurred_at), " is in the future"));
  }
  if (report.summary.empty()) report.summary = texts::DefaultSummary(org_, report);

  if (!request.request_id.empty()) {
    if (auto it = id_by_request_.find(request.request_id); it != id_by_request_.end()) {
      const Incident& existing = incidents_.at(it->second);
      // A retransmission: the same report (and, if it says so, the same
      // report time) gives the same incident and changes nothing.
      if (existing.report == report &&
          (!request.reported_at || *request.reported_at == existing.reported_at)) {
        return existing.id;
      }
      return AlreadyExistsError(StrCat("request id '", request.request_id, "' was used for ",
                                       existing.id, " with a different report"));
    }
  }

  // Valid: from here on the command succeeds.
  Incident incident;
  incident.id = NextIncidentId(now, out);
  incident.sequence = ++last_sequence_;
  incident.report = std::move(report);
  incident.request_id = request.request_id;
  incident.grade =
      GradeIncident(config_->grading, incident.report.type, incident.report.persons, region->kind);
  incident.state = IncidentState::kReported;
  incident.reported_at = reported_at;
  incident.registered_at = now;
  incident.reported_by = who;
  incident.updated_at = now;

  std::string units;
  for (const auto& unit_id : incident.report.involved_unit_ids) {
    StrAppend(units, units.empty() ? "" : ", ", unit_id);
  }
  AddTimeline(
      incident, reported_at, now, who, "reported", "",
      StrCat(IncidentTypeName(incident.report.type), ", ", incident.report.persons, " persons at ",
             texts::RegionName(org_, region->id), " ", incident.report.place.address, "; grade ",
             GradeName(incident.grade), "; involved: ", units));
  out.notices.push_back(FeedNotice{
      std::string(kIncidentRecord), incident.id, "reported",
      StrCat(incident.id, " ", incident.report.summary, " (grade ", GradeName(incident.grade), ")"),
      incident.report.involved_unit_ids.front()});

  for (const auto& unit_id : incident.report.involved_unit_ids) {
    Response response;
    response.unit_id = unit_id;
    response.deadline =
        ComputeArrivalDeadline(config_->rules, org_, region->id, unit_id, reported_at);
    if (response.deadline) {
      response.deadline->rule_text = texts_.Intern(response.deadline->rule_text);
      AddTimeline(incident, reported_at, now, Actor::System(), "deadline", unit_id,
                  StrCat(unit_id, " must arrive by ", Local(response.deadline->at), " (",
                         response.deadline->rule_text, ")"));
    } else {
      const Region* unit_region = org_.RegionOfUnit(unit_id);
      const std::string text =
          StrCat("no deadline rule covers ", unit_id, " (in ", unit_region ? unit_region->id : "?",
                 ") for an incident in ", region->id, " (", RegionKindName(region->kind),
                 "): assign a team by override and fix the rules");
      AddTimeline(incident, reported_at, now, Actor::System(), "no_rule", unit_id, text);
      out.alerts.push_back(HqAlert{HqAlert::Severity::kCritical, "no_rule", incident.id, unit_id,
                                   StrCat(incident.id, ": ", text)});
    }
    incident.responses.push_back(std::move(response));
  }

  const std::string id = incident.id;
  if (!incident.request_id.empty()) id_by_request_[incident.request_id] = id;
  Incident& stored = incidents_.emplace(id, std::move(incident)).first->second;
  by_sequence_[stored.sequence] = &stored;
  open_.insert(stored.sequence);
  // Units whose own team can make it are served first, so that a fallback
  // for one unit never takes the team another involved unit needs; then
  // the others, tightest deadline first.
  std::vector<size_t> rest;
  for (size_t i = 0; i < stored.responses.size(); ++i) {
    if (!stored.responses[i].deadline) continue;
    if (!ProposeFor(stored, i, now, out, /*own_teams_only=*/true)) rest.push_back(i);
  }
  std::stable_sort(rest.begin(), rest.end(), [&](size_t a, size_t b) {
    return stored.responses[a].deadline->at < stored.responses[b].deadline->at;
  });
  for (size_t i : rest) ProposeFor(stored, i, now, out);
  RefreshIncident(stored);
  Touch(stored, now, out);
  out.events.push_back(IncidentReported{id, stored.report.involved_unit_ids,
                                        stored.report.category_id, stored.report.summary,
                                        stored.reported_at});
  return id;
}

}  // namespace anding::core::dispatch

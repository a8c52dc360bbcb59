// DispatchModule: status updates (the lifecycle), HQ's confirm / override /
// reassign, and availability changes.
#include <algorithm>

#include "anding/common/strings.h"
#include "anding/core/dispatch/dispatch_module.h"
#include "proposer.h"
#include "resource_pool.h"
#include "texts.h"

namespace anding::core::dispatch {
namespace {

// The states a step may be recorded in.
std::vector<IncidentState> AllowedFrom(IncidentStep step) {
  switch (step) {
    case IncidentStep::kDeparted:
    case IncidentStep::kArrived:
      return {IncidentState::kDispatched, IncidentState::kEnRoute, IncidentState::kOnScene};
    case IncidentStep::kSettled:
      return {IncidentState::kOnScene};
    case IncidentStep::kAftermath:
      return {IncidentState::kSettled};
    case IncidentStep::kClosed:
      return {IncidentState::kAftermath};
  }
  return {};
}

Status IllegalStep(const Incident& incident, IncidentStep step) {
  std::string allowed;
  for (IncidentState state : AllowedFrom(step)) {
    StrAppend(allowed, allowed.empty() ? "" : " or ", IncidentStateName(state));
  }
  return FailedPreconditionError(
      StrCat("incident ", incident.id, " is ", IncidentStateName(incident.state),
             "; cannot move it to ", IncidentStateName(StateAfter(step)), " (step '",
             IncidentStepName(step), "' is allowed only when ", allowed, ")"));
}

bool IsOpenForDispatch(const Incident& incident) {
  return incident.state < IncidentState::kSettled;
}

}  // namespace

Status DispatchModule::CheckActor(const Actor& who) {
  if (who.kind != Actor::Kind::kSystem && who.id.empty()) {
    return PermissionDeniedError("the actor must be named (agent unit, operator or phone)");
  }
  return OkStatus();
}

Status DispatchModule::CheckHqActor(const Actor& who) const {
  ANDING_RETURN_IF_ERROR(CheckActor(who));
  if (who.kind == Actor::Kind::kOperator || who.kind == Actor::Kind::kSystem) return OkStatus();
  return PermissionDeniedError(
      StrCat(who.ToString(), " may not confirm, override or reassign; HQ operators only"));
}

Result<size_t> DispatchModule::InvolvedResponse(const Incident& incident,
                                                std::string_view unit_id) const {
  for (size_t i = 0; i < incident.responses.size(); ++i) {
    if (incident.responses[i].unit_id == unit_id) return i;
  }
  return InvalidArgumentError(StrCat("unit '", unit_id, "' is not involved in ", incident.id));
}

Result<size_t> DispatchModule::ResolveUnit(const Incident& incident, std::string_view unit_id,
                                           const Actor& who, bool required) const {
  const bool agent = who.kind == Actor::Kind::kAgent;
  // An agent speaks for its own unit, or for the unit its team was sent for.
  auto agent_may = [&](const Response& response) {
    if (response.unit_id == who.id) return true;
    const Assignment* active = ActiveAssignment(incident, response.unit_id);
    return active != nullptr && active->team_unit_id == who.id;
  };
  if (!unit_id.empty()) {
    ANDING_ASSIGN_OR_RETURN(const size_t index, InvolvedResponse(incident, unit_id));
    if (agent && !agent_may(incident.responses[index])) {
      return PermissionDeniedError(
          StrCat("agent of ", who.id, " may not report for ", unit_id, " on ", incident.id));
    }
    return index;
  }
  if (agent) {
    for (size_t i = 0; i < incident.responses.size(); ++i) {
      if (incident.responses[i].unit_id == who.id) return i;
    }
    for (size_t i = 0; i < incident.responses.size(); ++i) {
      if (agent_may(incident.responses[i])) return i;
    }
    return PermissionDeniedError(StrCat(who.id, " is not involved in ", incident.id));
  }
  if (incident.responses.size() == 1 || !required) return size_t{0};
  std::string units;
  for (const auto& response : incident.responses) {
    StrAppend(units, units.empty() ? "" : ", ", response.unit_id);
  }
  return InvalidArgumentError(
      StrCat(incident.id, " involves ", units, "; name the unit the step is about"));
}

// ---- the lifecycle ----

Result<Incident*> DispatchModule::IncidentForUpdate(const std::string& id) {
  auto it = incidents_.find(id);
  if (it == incidents_.end()) return NotFoundError(StrCat("no incident '", id, "'"));
  return &it->second;
}

Result<Incident*> DispatchModule::OpenIncidentForHq(const std::string& id, const Actor& who,
                                                    std::string_view refusal) {
  ANDING_RETURN_IF_ERROR(CheckHqActor(who));
  ANDING_ASSIGN_OR_RETURN(Incident * incident, IncidentForUpdate(id));
  if (!IsOpenForDispatch(*incident)) {
    return FailedPreconditionError(
        StrCat(incident->id, " is ", IncidentStateName(incident->state), refusal));
  }
  return incident;
}

Status DispatchModule::UpdateStatus(const StatusUpdateRequest& request, const Actor& who, Time now,
                                    Effects& out) {
  ANDING_RETURN_IF_ERROR(CheckActor(who));
  if (who.kind == Actor::Kind::kSms) {
    return PermissionDeniedError("status steps come from an agent or an operator, not SMS");
  }
  ANDING_ASSIGN_OR_RETURN(Incident * found, IncidentForUpdate(request.incident_id));
  Incident& incident = *found;
  const Time at = request.at.value_or(now);
  if (at > now) {
    return InvalidArgumentError(StrCat("the step's time ", FormatUtc(at), " is in the future"));
  }
  if (at < incident.reported_at) {
    return InvalidArgumentError(StrCat("the step's time ", FormatUtc(at), " is before ",
                                       incident.id, " was reported (",
                                       FormatUtc(incident.reported_at), ")"));
  }
  const bool per_unit =
      request.step == IncidentStep::kDeparted || request.step == IncidentStep::kArrived;
  ANDING_ASSIGN_OR_RETURN(const size_t index,
                          ResolveUnit(incident, request.unit_id, who, per_unit));
  const auto allowed = AllowedFrom(request.step);
  if (std::find(allowed.begin(), allowed.end(), incident.state) == allowed.end()) {
    return IllegalStep(incident, request.step);
  }
  Response& response = incident.responses[index];
  std::string note;
  if (!request.reported_by.empty()) note = StrCat(" — reported by ", request.reported_by);
  if (!request.note.empty()) StrAppend(note, ": ", request.note);

  switch (request.step) {
    case IncidentStep::kDeparted: {
      Assignment* active = ActiveAssignment(incident, response.unit_id);
      if (active == nullptr || active->state != AssignmentState::kConfirmed) {
        return FailedPreconditionError(StrCat(response.unit_id, " has no confirmed assignment on ",
                                              incident.id, " that could depart"));
      }
      if (active->departed_at) {
        return FailedPreconditionError(StrCat(active->team_id, " already departed for ",
                                              incident.id, " at ", Local(*active->departed_at)));
      }
      if (response.arrived_at) {
        return FailedPreconditionError(
            StrCat(response.unit_id, " already arrived at ", Local(*response.arrived_at)));
      }
      active->departed_at = at;
      if (incident.state == IncidentState::kDispatched) incident.state = IncidentState::kEnRoute;
      AddTimeline(incident, at, now, who, "departed", response.unit_id,
                  StrCat(active->team_id, " departed at ", Local(at), note));
      out.notices.push_back(
          FeedNotice{std::string(kIncidentRecord), incident.id, "en_route",
                     StrCat(incident.id, " ", response.unit_id, ": ", active->team_id, " departed"),
                     response.unit_id});
      break;
    }
    case IncidentStep::kArrived: {
      if (response.arrived_at) {
        return FailedPreconditionError(StrCat(response.unit_id, " already arrived at ", incident.id,
                                              " at ", Local(*response.arrived_at)));
      }
      response.arrived_at = at;
      response.arrival_recorded_at = now;
      response.response_time = at - incident.reported_at;
      std::string verdict = "no deadline applies";
      if (response.deadline) {
        response.on_time = at <= response.deadline->at;
        verdict = *response.on_time
                      ? StrCat("on time, ", FormatDuration(response.deadline->at - at),
                               " before the deadline ", Local(response.deadline->at))
                      : StrCat("LATE by ", FormatDuration(at - response.deadline->at),
                               " (deadline ", Local(response.deadline->at), ")");
      }
      incident.state = std::max(incident.state, IncidentState::kOnScene);
      if (response.deadline && !*response.on_time && !response.breach_at) {
        // Late, and the watch had not fired yet (no Tick since the
        // deadline): the breach is recorded now, once.
        FireBreach(incident, index, now,
                   StrCat("arrived late at ", Local(at), " (reported ", Local(now), ")"), out);
      }
      const std::string line =
          StrCat(response.unit_id, " on the scene at ", Local(at), ", response time ",
                 FormatDuration(*response.response_time), ", ", verdict);
      AddTimeline(incident, at, now, who, "arrived", response.unit_id, line + note);
      out.notices.push_back(FeedNotice{std::string(kIncidentRecord), incident.id, "on_scene",
                                       StrCat(incident.id, " ", line), response.unit_id});
      break;
    }
    case IncidentStep::kSettled: {
      incident.state = IncidentState::kSettled;
      AddTimeline(incident, at, now, who, "settled", "",
                  StrCat("petitioners persuaded to leave (劝离) at ", Local(at), note));
      for (auto& assignment : incident.assignments) {
        if (assignment.state == AssignmentState::kProposed ||
            assignment.state == AssignmentState::kConfirmed) {
          EndAssignment(incident, assignment, AssignmentState::kReleased, "incident settled", who,
                        now, out);
        }
      }
      out.events.push_back(IncidentSettled{incident.id, incident.report.involved_unit_ids,
                                           incident.report.category_id, incident.report.summary,
                                           incident.report.persons, incident.grade, at});
      out.notices.push_back(FeedNotice{std::string(kIncidentRecord), incident.id, "settled",
                                       StrCat(incident.id, " settled; teams released"),
                                       incident.report.involved_unit_ids.front()});
      break;
    }
    case IncidentStep::kAftermath: {
      incident.state = IncidentState::kAftermath;
      AddTimeline(incident, at, now, who, "aftermath", "",
                  StrCat("aftermath (善后) started", note));
      out.notices.push_back(FeedNotice{std::string(kIncidentRecord), incident.id, "aftermath",
                                       StrCat(incident.id, " aftermath started"),
                                       incident.report.involved_unit_ids.front()});
      break;
    }
    case IncidentStep::kClosed: {
      incident.state = IncidentState::kClosed;
      open_.erase(incident.sequence);
      AddTimeline(incident, at, now, who, "closed", "", StrCat("closed", note));
      out.events.push_back(IncidentClosed{incident.id});
      out.notices.push_back(FeedNotice{std::string(kIncidentRecord), incident.id, "closed",
                                       StrCat(incident.id, " closed"),
                                       incident.report.involved_unit_ids.front()});
      break;
    }
  }
  RefreshIncident(incident);
  Touch(incident, now, out);
  if (request.step == IncidentStep::kSettled) RetryPending(now, out);
  return OkStatus();
}

// ---- HQ decisions ----

Status DispatchModule::Confirm(const ConfirmRequest& request, const Actor& who, Time now,
                               Effects& out) {
  constexpr std::string_view kRefusal = "; there is nothing to confirm";
  ANDING_ASSIGN_OR_RETURN(Incident * found, OpenIncidentForHq(request.incident_id, who, kRefusal));
  Incident& incident = *found;
  std::vector<size_t> to_confirm;
  if (!request.unit_id.empty()) {
    ANDING_ASSIGN_OR_RETURN(const size_t index, InvolvedResponse(incident, request.unit_id));
    const Assignment* active = ActiveAssignment(incident, request.unit_id);
    if (active == nullptr) {
      return FailedPreconditionError(
          StrCat(incident.id, " has no proposal for ", request.unit_id, " to confirm"));
    }
    if (active->state == AssignmentState::kConfirmed) {
      return FailedPreconditionError(StrCat("the assignment of ", request.unit_id, " on ",
                                            incident.id, " is already confirmed"));
    }
    to_confirm.push_back(static_cast<size_t>(active - incident.assignments.data()));
    (void)index;
  } else {
    for (size_t i = 0; i < incident.assignments.size(); ++i) {
      if (incident.assignments[i].state == AssignmentState::kProposed) to_confirm.push_back(i);
    }
    if (to_confirm.empty()) {
      return FailedPreconditionError(StrCat(incident.id, " has no proposal waiting"));
    }
  }
  for (size_t i : to_confirm) {
    ConfirmAssignment(incident, incident.assignments[i], who, now, out, "confirmed");
  }
  Touch(incident, now, out);
  return OkStatus();
}

Status DispatchModule::Override(const OverrideRequest& request, const Actor& who, Time now,
                                Effects& out) {
  ANDING_ASSIGN_OR_RETURN(Incident * found,
                          OpenIncidentForHq(request.incident_id, who, "; no more assignments"));
  Incident& incident = *found;
  ANDING_ASSIGN_OR_RETURN(const size_t index, InvolvedResponse(incident, request.unit_id));
  Response& response = incident.responses[index];
  if (response.arrived_at) {
    return FailedPreconditionError(StrCat(response.unit_id, " already arrived at ", incident.id));
  }
  const uint32_t team = pool_->TeamIndex(request.team_id);
  if (team == kNoIndex) return NotFoundError(StrCat("no team '", request.team_id, "'"));
  std::optional<std::vector<uint32_t>> members, vehicles;
  if (!request.member_ids.empty()) {
    members.emplace();
    for (const auto& id : request.member_ids) {
      const uint32_t m = pool_->MemberIndex(id);
      if (m == kNoIndex) return NotFoundError(StrCat("no team member '", id, "'"));
      members->push_back(m);
    }
  }
  if (!request.vehicle_ids.empty()) {
    vehicles.emplace();
    for (const auto& id : request.vehicle_ids) {
      const uint32_t v = pool_->VehicleIndex(id);
      if (v == kNoIndex) return NotFoundError(StrCat("no vehicle '", id, "'"));
      vehicles->push_back(v);
    }
  }
  Assignment* active = (ActiveAssignment(incident, response.unit_id));
  std::optional<Hold> own;
  if (active != nullptr) {
    own = Hold{incident.sequence, incident.id, active->unit_id, active->number};
  }
  Proposer::ManualRequest manual;
  manual.unit_id = response.unit_id;
  manual.region_id = incident.report.place.region_id;
  manual.persons = incident.report.persons;
  manual.now = now;
  if (response.deadline) manual.deadline = response.deadline->at;
  manual.team = team;
  manual.members = std::move(members);
  manual.vehicles = std::move(vehicles);
  manual.own = own ? &*own : nullptr;
  manual.chosen_by = who.ToString();
  ANDING_ASSIGN_OR_RETURN(Assignment assignment, proposer_->Manual(manual));

  if (active != nullptr) {
    EndAssignment(incident, *active, AssignmentState::kSuperseded,
                  StrCat("overridden by ", who.ToString(),
                         request.note.empty() ? "" : StrCat(": ", request.note)),
                  who, now, out);
  }
  response.infeasible_since.reset();
  response.infeasible = {};
  assignment.number = static_cast<uint32_t>(incident.assignments.size() + 1);
  assignment.by_operator = true;
  assignment.proposed_at = now;
  assignment.proposed_by = who;
  incident.assignments.push_back(std::move(assignment));
  Assignment& stored = incident.assignments.back();
  HoldResources(incident, stored);
  ConfirmAssignment(incident, stored, who, now, out, "overridden");
  RefreshIncident(incident);
  Touch(incident, now, out);
  RetryPending(now, out);
  return OkStatus();
}

Status DispatchModule::Reassign(const ReassignRequest& request, const Actor& who, Time now,
                                Effects& out) {
  ANDING_ASSIGN_OR_RETURN(Incident * found,
                          OpenIncidentForHq(request.incident_id, who, "; nothing to reassign"));
  Incident& incident = *found;
  ANDING_ASSIGN_OR_RETURN(const size_t index, InvolvedResponse(incident, request.unit_id));
  Response& response = incident.responses[index];
  if (!response.deadline) {
    return FailedPreconditionError(StrCat("no deadline rule covers ", response.unit_id,
                                          ", so nothing is proposed for it; use override"));
  }
  if (response.arrived_at) {
    return FailedPreconditionError(StrCat(response.unit_id, " already arrived at ", incident.id));
  }
  for (const auto& id : request.exclude_team_ids) {
    if (pool_->TeamIndex(id) == kNoIndex) return NotFoundError(StrCat("no team '", id, "'"));
  }
  Assignment* active = (ActiveAssignment(incident, response.unit_id));
  std::vector<std::string> exclude = request.exclude_team_ids;
  if (exclude.empty() && active != nullptr) exclude.push_back(active->team_id);
  for (auto& id : exclude) {
    if (std::find(response.excluded_team_ids.begin(), response.excluded_team_ids.end(), id) ==
        response.excluded_team_ids.end()) {
      response.excluded_team_ids.push_back(std::move(id));
    }
  }
  if (active != nullptr) {
    EndAssignment(incident, *active, AssignmentState::kSuperseded,
                  StrCat("reassigned by ", who.ToString(),
                         request.note.empty() ? "" : StrCat(": ", request.note)),
                  who, now, out);
  }
  response.infeasible_since.reset();  // HQ asked: report the outcome afresh
  ProposeFor(incident, index, now, out);
  RefreshIncident(incident);
  Touch(incident, now, out);
  RetryPending(now, out);
  return OkStatus();
}

// ---- cancellation ----

Status DispatchModule::Cancel(const CancelRequest& request, const Actor& who, Time now,
                              Effects& out) {
  ANDING_RETURN_IF_ERROR(CheckHqActor(who));
  if (request.reason.find_first_not_of(" \t") == std::string::npos) {
    return InvalidArgumentError("a cancellation needs a reason (why the report was in error)");
  }
  ANDING_ASSIGN_OR_RETURN(Incident * found,
                          OpenIncidentForHq(request.incident_id, who,
                                            "; only an incident not yet settled can be cancelled"));
  Incident& incident = *found;
  const std::string reason = StrCat("incident cancelled: ", request.reason);
  for (auto& assignment : incident.assignments) {
    if (assignment.state == AssignmentState::kProposed ||
        assignment.state == AssignmentState::kConfirmed) {
      EndAssignment(incident, assignment, AssignmentState::kWithdrawn, reason, who, now, out);
    }
  }
  incident.state = IncidentState::kCancelled;
  open_.erase(incident.sequence);
  AddTimeline(incident, now, now, who, "cancelled", "",
              StrCat("cancelled (reported in error): ", request.reason));
  out.events.push_back(IncidentCancelled{incident.id, request.reason});
  out.notices.push_back(FeedNotice{std::string(kIncidentRecord), incident.id, "cancelled",
                                   StrCat(incident.id, " cancelled: ", request.reason),
                                   incident.report.involved_unit_ids.front()});
  RefreshIncident(incident);
  Touch(incident, now, out);
  RetryPending(now, out);  // what it held may serve another incident
  return OkStatus();
}

// ---- availability ----

Status DispatchModule::SetAvailability(const AvailabilityRequest& request, const Actor& who,
                                       Time now, Effects& out) {
  ANDING_RETURN_IF_ERROR(CheckActor(who));
  if (who.kind == Actor::Kind::kSms) {
    return PermissionDeniedError("availability is changed by an agent or an operator");
  }
  const uint32_t index = pool_->Index(request.kind, request.id);
  if (index == kNoIndex) {
    return NotFoundError(StrCat("no ", ResourceKindName(request.kind), " '", request.id, "'"));
  }
  std::string home_unit;
  switch (request.kind) {
    case ResourceKind::kTeam:
      home_unit = pool_->teams()[index].config->home_unit_id;
      break;
    case ResourceKind::kMember:
      home_unit = pool_->teams()[pool_->members()[index].team].config->home_unit_id;
      break;
    case ResourceKind::kVehicle:
      home_unit = pool_->vehicles()[index].config->home_unit_id;
      break;
  }
  if (who.kind == Actor::Kind::kAgent && who.id != home_unit) {
    return PermissionDeniedError(StrCat("agent of ", who.id, " may not change ",
                                        ResourceKindName(request.kind), " ", request.id, " of ",
                                        home_unit));
  }
  if (pool_->Available(request.kind, index) == request.available) return OkStatus();

  pool_->SetAvailable(request.kind, index, request.available);
  resource_status_[{request.kind, request.id}] =
      ResourceStatus{request.kind, request.id, request.available, now, who, request.note};
  out.changed.push_back(
      RecordRef{std::string(kResourceRecord), ResourceRecordId(request.kind, request.id)});
  out.notices.push_back(FeedNotice{std::string(kResourceRecord),
                                   ResourceRecordId(request.kind, request.id),
                                   request.available ? "available" : "unavailable",
                                   StrCat(ResourceKindName(request.kind), " ", request.id,
                                          request.available ? " available again" : " unavailable",
                                          request.note.empty() ? "" : StrCat(": ", request.note)),
                                   home_unit});
  if (!request.available) ReproposeHolding(request.kind, index, who, now, out);
  RetryPending(now, out);
  return OkStatus();
}

void DispatchModule::ReproposeHolding(ResourceKind kind, uint32_t index, const Actor& who, Time now,
                                      Effects& out) {
  const std::optional<Hold> hold = pool_->HoldOf(kind, index);
  if (!hold) return;
  Incident* incident = IncidentBySequence(hold->sequence);
  if (incident == nullptr) return;
  auto response_index = InvolvedResponse(*incident, hold->unit_id);
  if (!response_index.ok()) return;
  Response& response = incident->responses[*response_index];
  if (response.arrived_at || !IsOpenForDispatch(*incident)) return;  // they are there already
  Assignment* active = (ActiveAssignment(*incident, hold->unit_id));
  if (active == nullptr || active->number != hold->assignment_number) return;
  const std::string what =
      StrCat(ResourceKindName(kind), " ",
             kind == ResourceKind::kTeam     ? pool_->teams()[index].config->id
             : kind == ResourceKind::kMember ? pool_->members()[index].config->id
                                             : pool_->vehicles()[index].config->id);
  const bool was_confirmed = active->state == AssignmentState::kConfirmed;
  EndAssignment(*incident, *active, AssignmentState::kSuperseded,
                StrCat(what, " became unavailable"), who, now, out);
  out.alerts.push_back(
      HqAlert{was_confirmed ? HqAlert::Severity::kWarning : HqAlert::Severity::kInfo, "reproposal",
              incident->id, response.unit_id,
              StrCat(incident->id, " ", response.unit_id, ": ", what,
                     " became unavailable; assignment #", hold->assignment_number, " superseded")});
  if (response.deadline) {
    response.infeasible_since.reset();
    ProposeFor(*incident, *response_index, now, out);
  } else {
    // HQ assigned this unit by override (no rule covers it): HQ decides again.
    out.alerts.push_back(HqAlert{HqAlert::Severity::kCritical, "override_needed", incident->id,
                                 response.unit_id,
                                 StrCat(incident->id, ": ", what, " of the team HQ sent for ",
                                        response.unit_id, " became unavailable; no rule covers ",
                                        response.unit_id, ", so assign another team by override")});
  }
  RefreshIncident(*incident);
  Touch(*incident, now, out);
}

}  // namespace anding::core::dispatch

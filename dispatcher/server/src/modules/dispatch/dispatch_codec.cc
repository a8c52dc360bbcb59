#include "dispatch_codec.h"

#include "anding/common/strings.h"
#include "anding/wire/codec.h"
#include "vocabulary_codec.h"

namespace anding::dispatcher {

Result<dispatch::IncidentType> TypeFromProto(v1::IncidentType type) {
  switch (type) {
    case v1::INCIDENT_TYPE_GROUP_PETITION:
      return dispatch::IncidentType::kGroupPetition;
    case v1::INCIDENT_TYPE_INDIVIDUAL_EXTREME:
      return dispatch::IncidentType::kIndividualExtreme;
    case v1::INCIDENT_TYPE_OTHER:
      return dispatch::IncidentType::kOther;
    default:
      return InvalidArgumentError("type must be GROUP_PETITION, INDIVIDUAL_EXTREME or OTHER");
  }
}

v1::IncidentType TypeToProto(dispatch::IncidentType type) {
  switch (type) {
    case dispatch::IncidentType::kGroupPetition:
      return v1::INCIDENT_TYPE_GROUP_PETITION;
    case dispatch::IncidentType::kIndividualExtreme:
      return v1::INCIDENT_TYPE_INDIVIDUAL_EXTREME;
    case dispatch::IncidentType::kOther:
      return v1::INCIDENT_TYPE_OTHER;
  }
  return v1::INCIDENT_TYPE_UNSPECIFIED;
}

v1::IncidentState StateToProto(dispatch::IncidentState state) {
  return static_cast<v1::IncidentState>(static_cast<int>(state) + 1);
}

std::optional<dispatch::IncidentState> StateFromProto(int state) {
  if (state < v1::INCIDENT_STATE_REPORTED || state > v1::INCIDENT_STATE_CANCELLED) {
    return std::nullopt;
  }
  return static_cast<dispatch::IncidentState>(state - 1);
}

Result<dispatch::IncidentStep> StepFromProto(v1::IncidentStep step) {
  switch (step) {
    case v1::INCIDENT_STEP_DEPARTED:
      return dispatch::IncidentStep::kDeparted;
    case v1::INCIDENT_STEP_ARRIVED:
      return dispatch::IncidentStep::kArrived;
    case v1::INCIDENT_STEP_SETTLED:
      return dispatch::IncidentStep::kSettled;
    case v1::INCIDENT_STEP_AFTERMATH:
      return dispatch::IncidentStep::kAftermath;
    case v1::INCIDENT_STEP_CLOSED:
      return dispatch::IncidentStep::kClosed;
    default:
      return InvalidArgumentError("step must be DEPARTED, ARRIVED, SETTLED, AFTERMATH or CLOSED");
  }
}

Result<dispatch::IncidentReport> ReportFromProto(const v1::IncidentReport& p) {
  dispatch::IncidentReport report;
  ANDING_ASSIGN_OR_RETURN(report.type, TypeFromProto(p.type()));
  report.place = dispatch::Place{p.place().region_id(), p.place().address()};
  report.occurred_at = OptionalTime(p.occurred_at());
  report.persons = p.persons();
  report.representatives = p.representatives();
  report.involved_unit_ids.assign(p.involved_unit_ids().begin(), p.involved_unit_ids().end());
  report.summary = p.summary();
  report.details = p.details();
  report.category_id = p.category_id();
  return report;
}

v1::IncidentReport ReportToProto(const dispatch::IncidentReport& r) {
  v1::IncidentReport p;
  p.set_type(TypeToProto(r.type));
  p.mutable_place()->set_region_id(r.place.region_id);
  p.mutable_place()->set_address(r.place.address);
  SetTime(r.occurred_at, [&] { return p.mutable_occurred_at(); });
  p.set_persons(r.persons);
  p.set_representatives(r.representatives);
  for (const auto& unit : r.involved_unit_ids) p.add_involved_unit_ids(unit);
  p.set_summary(r.summary);
  p.set_details(r.details);
  p.set_category_id(r.category_id);
  return p;
}

v1::ExplanationView ExplanationToProto(const dispatch::Explanation& e) {
  v1::ExplanationView view;
  for (const auto& reason : e.reasons) view.add_reasons(reason);
  for (const auto& r : e.rejected) {
    auto* rejected = view.add_rejected();
    rejected->set_team_id(r.team_id);
    rejected->set_unit_id(r.unit_id);
    rejected->set_reason(r.reason);
  }
  view.set_more_rejected(e.more_rejected);
  return view;
}

v1::ResourceHoldView HoldToProto(const dispatch::HoldView& hold) {
  v1::ResourceHoldView view;
  view.set_incident_id(hold.incident_id);
  view.set_unit_id(hold.unit_id);
  view.set_assignment_number(hold.assignment_number);
  view.set_state(std::string(dispatch::AssignmentStateName(hold.state)));
  return view;
}

v1::IncidentView IncidentToProto(const dispatch::Incident& incident, bool with_timeline) {
  v1::IncidentView view;
  view.set_id(incident.id);
  view.set_sequence(incident.sequence);
  *view.mutable_report() = ReportToProto(incident.report);
  view.set_state(StateToProto(incident.state));
  view.set_grade(LevelToProto(incident.grade));
  *view.mutable_reported_at() = wire::ToProto(incident.reported_at);
  *view.mutable_registered_at() = wire::ToProto(incident.registered_at);
  view.set_reported_by(incident.reported_by.ToString());
  for (const auto& r : incident.responses) {
    auto* response = view.add_responses();
    response->set_unit_id(r.unit_id);
    if (r.deadline) {
      auto* deadline = response->mutable_deadline();
      deadline->set_rule_id(r.deadline->rule_id);
      deadline->set_rule_text(r.deadline->rule_text.str());
      deadline->set_limit_seconds(WholeSeconds(r.deadline->limit));
      *deadline->mutable_at() = wire::ToProto(r.deadline->at);
    }
    for (const auto& team : r.excluded_team_ids) response->add_excluded_team_ids(team);
    SetTime(r.infeasible_since, [&] { return response->mutable_infeasible_since(); });
    if (r.infeasible_since) *response->mutable_infeasible() = ExplanationToProto(r.infeasible);
    for (const auto& lead : r.warnings_done)
      response->add_warnings_done_seconds(WholeSeconds(lead));
    SetTime(r.breach_at, [&] { return response->mutable_breach_at(); });
    SetTime(r.arrived_at, [&] { return response->mutable_arrived_at(); });
    if (r.response_time) response->set_response_time_seconds(WholeSeconds(*r.response_time));
    if (r.on_time) response->set_punctuality(*r.on_time ? "on_time" : "late");
  }
  for (const auto& a : incident.assignments) {
    auto* assignment = view.add_assignments();
    assignment->set_number(a.number);
    assignment->set_unit_id(a.unit_id);
    assignment->set_state(std::string(dispatch::AssignmentStateName(a.state)));
    assignment->set_team_id(a.team_id);
    assignment->set_team_unit_id(a.team_unit_id);
    assignment->set_fallback(a.fallback);
    assignment->set_by_operator(a.by_operator);
    for (const auto& m : a.members) {
      auto* member = assignment->add_members();
      member->set_member_id(m.member_id);
      *member->mutable_contact() = PersonToProto(m.person);
      member->set_role(std::string(dispatch::RoleName(m.role)));
    }
    for (const auto& leader : a.accompanying_leaders) {
      *assignment->add_accompanying_leaders() = PersonToProto(leader);
    }
    for (const auto& vehicle : a.vehicle_ids) assignment->add_vehicle_ids(vehicle);
    assignment->set_seats(a.seats);
    assignment->set_mobilisation_seconds(WholeSeconds(a.mobilisation));
    assignment->set_travel_seconds(WholeSeconds(a.travel));
    assignment->set_distance_m(a.distance_m);
    *assignment->mutable_eta() = wire::ToProto(a.eta);
    *assignment->mutable_explanation() = ExplanationToProto(a.explanation);
    *assignment->mutable_proposed_at() = wire::ToProto(a.proposed_at);
    assignment->set_proposed_by(a.proposed_by.ToString());
    SetTime(a.confirmed_at, [&] { return assignment->mutable_confirmed_at(); });
    if (a.confirmed_by) assignment->set_confirmed_by(a.confirmed_by->ToString());
    SetTime(a.departed_at, [&] { return assignment->mutable_departed_at(); });
    SetTime(a.ended_at, [&] { return assignment->mutable_ended_at(); });
    assignment->set_end_reason(a.end_reason);
  }
  if (with_timeline) {
    for (const auto& t : incident.timeline) {
      auto* entry = view.add_timeline();
      *entry->mutable_at() = wire::ToProto(t.at);
      *entry->mutable_recorded_at() = wire::ToProto(t.recorded_at);
      entry->set_actor(t.actor.ToString());
      entry->set_event(t.event);
      entry->set_unit_id(t.unit_id);
      entry->set_text(t.text);
    }
  }
  return view;
}

namespace {

// The assignment that serves `unit_id` now: confirmed, else proposed, else
// the latest; null when the unit has none.
const dispatch::Assignment* CurrentAssignment(const dispatch::Incident& incident,
                                              std::string_view unit_id) {
  const dispatch::Assignment* proposed = nullptr;
  const dispatch::Assignment* latest = nullptr;
  for (const auto& a : incident.assignments) {
    if (a.unit_id != unit_id) continue;
    if (a.state == dispatch::AssignmentState::kConfirmed) return &a;
    if (a.state == dispatch::AssignmentState::kProposed && proposed == nullptr) proposed = &a;
    latest = &a;
  }
  return proposed != nullptr ? proposed : latest;
}

}  // namespace

v1::IncidentView IncidentToBoardProto(const dispatch::Incident& incident) {
  v1::IncidentView view;
  view.set_id(incident.id);
  view.set_sequence(incident.sequence);
  view.mutable_report()->set_summary(incident.report.summary);
  view.set_state(StateToProto(incident.state));
  view.set_grade(LevelToProto(incident.grade));
  *view.mutable_reported_at() = wire::ToProto(incident.reported_at);
  for (const auto& r : incident.responses) {
    auto* response = view.add_responses();
    response->set_unit_id(r.unit_id);
    if (r.deadline) {
      auto* deadline = response->mutable_deadline();
      deadline->set_rule_id(r.deadline->rule_id);
      deadline->set_rule_text(r.deadline->rule_text.str());
      deadline->set_limit_seconds(WholeSeconds(r.deadline->limit));
      *deadline->mutable_at() = wire::ToProto(r.deadline->at);
    }
    SetTime(r.breach_at, [&] { return response->mutable_breach_at(); });
    SetTime(r.arrived_at, [&] { return response->mutable_arrived_at(); });
    const dispatch::Assignment* a = CurrentAssignment(incident, r.unit_id);
    if (a == nullptr) continue;
    auto* assignment = view.add_assignments();
    assignment->set_number(a->number);
    assignment->set_unit_id(a->unit_id);
    assignment->set_state(std::string(dispatch::AssignmentStateName(a->state)));
    assignment->set_team_id(a->team_id);
    for (const auto& vehicle : a->vehicle_ids) assignment->add_vehicle_ids(vehicle);
  }
  return view;
}

Result<dispatch::StatusUpdateRequest> StatusFromProto(const v1::IncidentStatusUpdate& p,
                                                      std::string unit_id) {
  dispatch::StatusUpdateRequest request;
  request.incident_id = p.incident_id();
  ANDING_ASSIGN_OR_RETURN(request.step, StepFromProto(p.step()));
  request.unit_id = std::move(unit_id);
  request.at = OptionalTime(p.at());
  request.note = p.note();
  request.reported_by = p.reported_by();
  return request;
}

}  // namespace anding::dispatcher

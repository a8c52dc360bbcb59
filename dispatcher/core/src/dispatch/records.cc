#include "anding/core/dispatch/records.h"

#include <algorithm>
#include <utility>

#include "anding/common/strings.h"

namespace anding::core::dispatch {

const Assignment* ActiveAssignment(const Incident& incident, std::string_view unit_id) {
  for (auto it = incident.assignments.rbegin(); it != incident.assignments.rend(); ++it) {
    if (it->unit_id == unit_id &&
        (it->state == AssignmentState::kProposed || it->state == AssignmentState::kConfirmed)) {
      return &*it;
    }
  }
  return nullptr;
}

Assignment* ActiveAssignment(Incident& incident, std::string_view unit_id) {
  return const_cast<Assignment*>(ActiveAssignment(std::as_const(incident), unit_id));
}

const Response* FindResponse(const Incident& incident, std::string_view unit_id) {
  for (const auto& response : incident.responses) {
    if (response.unit_id == unit_id) return &response;
  }
  return nullptr;
}

bool HoldsLoadedTimeline(IncidentState state) {
  return state == IncidentState::kSettled || state == IncidentState::kAftermath;
}

bool OnDeadlineWatch(const Incident& incident, const Response& response) {
  return response.deadline && !response.arrived_at && !response.breach_at &&
         incident.state < IncidentState::kSettled;
}

bool WaitingForTeam(const Incident& incident, const Response& response) {
  return response.deadline && response.infeasible_since && !response.arrived_at &&
         incident.state < IncidentState::kSettled &&
         ActiveAssignment(incident, response.unit_id) == nullptr;
}

bool HoldsNothing(const Incident& incident) {
  if (IsFinal(incident.state)) return false;
  return std::none_of(incident.assignments.begin(), incident.assignments.end(),
                      [](const Assignment& assignment) {
                        return assignment.state == AssignmentState::kProposed ||
                               assignment.state == AssignmentState::kConfirmed;
                      });
}

bool Quiescent(const Incident& incident) {
  if (!HoldsNothing(incident)) return false;
  return std::none_of(
      incident.responses.begin(), incident.responses.end(), [&](const Response& response) {
        return OnDeadlineWatch(incident, response) || WaitingForTeam(incident, response);
      });
}

std::string ResourceRecordId(ResourceKind kind, std::string_view id) {
  return StrCat(ResourceKindName(kind), ":", id);
}

}  // namespace anding::core::dispatch

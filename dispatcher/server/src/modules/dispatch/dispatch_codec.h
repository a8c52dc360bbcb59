// Incident response's words on the wire: incident reports and status
// updates (anding.v1 incident.proto, dispatch_api.proto) to the core's
// requests, and incidents, assignments and resources to their views.
#pragma once

#include <optional>
#include <string>

#include "anding/core/dispatch/dispatch_module.h"
#include "anding/v1/dispatch_api.pb.h"
#include "anding/v1/incident.pb.h"

namespace anding::dispatcher {

namespace dispatch = core::dispatch;

// InvalidArgument naming the accepted values for UNSPECIFIED or unknown.
[[nodiscard]] Result<dispatch::IncidentType> TypeFromProto(v1::IncidentType type);
[[nodiscard]] v1::IncidentType TypeToProto(dispatch::IncidentType type);
[[nodiscard]] v1::IncidentState StateToProto(dispatch::IncidentState state);
// nullopt for UNSPECIFIED and unknown values.
[[nodiscard]] std::optional<dispatch::IncidentState> StateFromProto(int state);
[[nodiscard]] Result<dispatch::IncidentStep> StepFromProto(v1::IncidentStep step);
[[nodiscard]] Result<dispatch::IncidentReport> ReportFromProto(const v1::IncidentReport& p);
[[nodiscard]] v1::IncidentReport ReportToProto(const dispatch::IncidentReport& r);
[[nodiscard]] v1::ExplanationView ExplanationToProto(const dispatch::Explanation& e);
[[nodiscard]] v1::ResourceHoldView HoldToProto(const dispatch::HoldView& hold);
// With the timeline when `with_timeline`: the part `incident` holds (the
// caller completes a released one first, store::CompleteTimeline).
[[nodiscard]] v1::IncidentView IncidentToProto(const dispatch::Incident& incident,
                                               bool with_timeline);
// The board's view of an incident (INCIDENT_LIST_VIEW_BOARD in
// dispatch_api.proto): what the dashboard shows per involved unit.
[[nodiscard]] v1::IncidentView IncidentToBoardProto(const dispatch::Incident& incident);
// `unit_id`: the unit whose step it is (empty: the agent's own).
[[nodiscard]] Result<dispatch::StatusUpdateRequest> StatusFromProto(
    const v1::IncidentStatusUpdate& p, std::string unit_id);

}  // namespace anding::dispatcher

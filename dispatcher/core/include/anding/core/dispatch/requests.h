// Commands the dispatch module accepts and the views its queries return.
// The shell converts each anding.v1 payload or operator action into one of
// these once, at the edge (see DispatchModule for the mapping).
// Thread-safety: values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "anding/common/time.h"
#include "anding/core/dispatch/records.h"
#include "anding/core/dispatch/types.h"
#include "anding/core/org.h"

namespace anding::core::dispatch {

// A new incident (anding.v1.IncidentReport plus what the envelope says).
struct ReportIncidentRequest {
  IncidentReport report;
  // When the unit reported it (the envelope's creation time for an agent,
  // so an incident delivered late by an offline agent keeps its deadlines).
  // Defaults to `now`; must not be after `now`.
  std::optional<Time> reported_at;
  // Idempotency key (the envelope's message id, the CLI's request id). The
  // same key with the same report returns the existing incident; with a
  // different report it is AlreadyExists. May be empty.
  std::string request_id;
};

// anding.v1.IncidentStatusUpdate.
struct StatusUpdateRequest {
  std::string incident_id;
  IncidentStep step = IncidentStep::kArrived;
  // For departed / arrived: the responding unit. An agent may leave it
  // empty (its own unit, or the unit whose fallback team it sent); an
  // operator must name it when more than one unit is involved.
  std::string unit_id;
  // When the step happened (arrival counts against the deadline). Defaults
  // to `now`; must be within [reported_at, now].
  std::optional<Time> at;
  std::string note;         // for closed: root cause and lessons learned
  std::string reported_by;  // name and title, for the timeline
};

// HQ accepts a proposal as it stands.
struct ConfirmRequest {
  std::string incident_id;
  std::string unit_id;  // empty: every proposed assignment of the incident
};

// HQ chooses the team (and optionally the members and vehicles) itself.
// The result is confirmed at once.
struct OverrideRequest {
  std::string incident_id;
  std::string unit_id;  // the responding unit
  std::string team_id;
  std::vector<std::string> member_ids;   // empty: chosen by the sizing rules
  std::vector<std::string> vehicle_ids;  // empty: chosen from the team's unit
  std::string note;
};

// HQ rejects the current proposal or assignment of a unit and asks for
// another: the current one is superseded and a new proposal is made
// without the excluded teams (default: the current team).
struct ReassignRequest {
  std::string incident_id;
  std::string unit_id;
  std::vector<std::string> exclude_team_ids;
  std::string note;
};

// HQ cancels an incident reported in error.
struct CancelRequest {
  std::string incident_id;
  std::string reason;  // required, one line, for the timeline and the orders
};

// A team, member or vehicle goes off duty / out of service or comes back.
struct AvailabilityRequest {
  ResourceKind kind = ResourceKind::kTeam;
  std::string id;
  bool available = true;
  std::string note;
};

// ListIncidents filter; every set field must match.
struct IncidentFilter {
  std::vector<IncidentState> states;  // empty: any
  bool open_only = false;             // not closed
  std::string region_id;
  std::string unit_id;  // involved unit
  std::optional<IncidentType> type;
  std::optional<Time> reported_since;   // inclusive
  std::optional<Time> reported_before;  // exclusive
  // Paging: only incidents registered before the one with this sequence
  // (exclusive), i.e. the ones after it in the list's newest-first order.
  std::optional<uint64_t> before_sequence;
  size_t limit = 100;  // 0: no limit
};

// Where a team, member or vehicle is committed right now.
struct HoldView {
  std::string incident_id;
  std::string unit_id;  // the responding unit
  uint32_t assignment_number = 0;
  AssignmentState state = AssignmentState::kProposed;  // proposed or confirmed
  friend bool operator==(const HoldView&, const HoldView&) = default;
};

struct MemberView {
  std::string id;
  std::string team_id;
  Role role = Role::kStaff;
  Person person;
  bool on_duty = true;
  std::optional<HoldView> assignment;  // only while chosen for an incident
  friend bool operator==(const MemberView&, const MemberView&) = default;
};

struct TeamView {
  std::string id;
  std::string name;
  std::string home_unit_id;
  bool on_duty = true;
  Duration mobilisation{};
  std::optional<HoldView> assignment;
  std::vector<MemberView> members;
  friend bool operator==(const TeamView&, const TeamView&) = default;
};

struct VehicleView {
  std::string id;
  std::string name;
  std::string plate;
  std::string home_unit_id;
  uint32_t seats = 0;
  bool available = true;
  std::optional<HoldView> assignment;
  friend bool operator==(const VehicleView&, const VehicleView&) = default;
};

}  // namespace anding::core::dispatch

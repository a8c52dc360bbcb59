// The records the dispatch module owns and the repository persists:
// incidents (with their per-unit responses, deadlines, proposals and
// timeline), runtime availability of teams, members and vehicles, and the
// per-day id counters. Plain values that compare equal field by field, so a
// module rebuilt from the store can be checked against the original.
//
// The incident carries the same information as anding.v1.IncidentReport
// (IncidentReport below, 1:1), the status updates it received
// (anding.v1.IncidentStatusUpdate, as timeline entries and stamps) and the
// dispatch orders it produced (Assignment ↔ anding.v1.DispatchOrder).
// Thread-safety: values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/shared_string.h"
#include "anding/common/time.h"
#include "anding/core/dispatch/types.h"
#include "anding/core/effects.h"
#include "anding/core/org.h"

namespace anding::core::dispatch {

// anding.v1.Place.
struct Place {
  std::string region_id;
  std::string address;  // UTF-8, free text inside the region
  friend bool operator==(const Place&, const Place&) = default;
};

// anding.v1.IncidentReport, field for field.
struct IncidentReport {
  IncidentType type = IncidentType::kGroupPetition;
  Place place;
  std::optional<Time> occurred_at;  // unset = not known
  uint32_t persons = 0;             // petitioners, ≥ 1
  uint32_t representatives = 0;     // ≤ persons
  // Units that must respond, in the order given; the reporting agent's unit
  // is appended when missing. At least one.
  std::vector<std::string> involved_unit_ids;
  std::string summary;
  std::string details;
  std::string category_id;  // Organisation category, may be empty
  friend bool operator==(const IncidentReport&, const IncidentReport&) = default;
};

// A unit's arrival deadline and the rule that produced it.
struct Deadline {
  std::string rule_id;
  // DescribeRule at the time it was computed. Shared: every response under
  // the same rule holds one copy (DispatchModule interns it).
  SharedString rule_text;
  Duration limit{};
  Time at{};  // reported_at + limit; arriving at `at` is on time
  friend bool operator==(const Deadline&, const Deadline&) = default;
};

struct Rejection {
  std::string team_id;
  std::string unit_id;  // the team's home unit
  std::string reason;
  friend bool operator==(const Rejection&, const Rejection&) = default;
};

// Why a proposal chose what it chose, or why nobody could be chosen.
struct Explanation {
  std::vector<std::string> reasons;
  // Teams considered and rejected, in the order considered (the responding
  // unit's own teams first, then others fastest first); long lists are cut
  // and summarised in more_rejected.
  std::vector<Rejection> rejected;
  std::string more_rejected;  // "1988 more: 1900 busy, 88 off duty"; may be empty
  friend bool operator==(const Explanation&, const Explanation&) = default;
};

struct AssignedMember {
  std::string member_id;
  Role role = Role::kStaff;
  Person person;
  friend bool operator==(const AssignedMember&, const AssignedMember&) = default;
};

// One proposal for one responding unit: a team, the members and vehicles it
// brings, and when it can be there. Becomes the dispatch order on
// confirmation.
struct Assignment {
  uint32_t number = 0;  // 1, 2, ... within the incident
  std::string unit_id;  // the responding unit
  AssignmentState state = AssignmentState::kProposed;
  std::string team_id;
  std::string team_unit_id;  // the team's home unit
  // The team is not the responding unit's own (its own could not make it);
  // the unit's leaders still go, listed in accompanying_leaders.
  bool fallback = false;
  bool by_operator = false;  // an HQ override chose it
  std::vector<AssignedMember> members;
  std::vector<Person> accompanying_leaders;
  std::vector<std::string> vehicle_ids;
  uint32_t seats = 0;
  Duration mobilisation{};
  Duration travel{};
  int64_t distance_m = 0;  // team's unit to the scene, 0 if unknown
  Time eta{};              // proposed_at + mobilisation + travel
  Explanation explanation;
  Time proposed_at{};
  Actor proposed_by;
  std::optional<Time> confirmed_at;
  std::optional<Actor> confirmed_by;
  std::optional<Time> departed_at;  // the team reported leaving
  std::optional<Time> ended_at;     // released or superseded
  std::string end_reason;
  friend bool operator==(const Assignment&, const Assignment&) = default;
};

// One involved unit's obligation: its deadline, arrival and watch state.
struct Response {
  std::string unit_id;
  std::optional<Deadline> deadline;  // nullopt: no rule covers the unit
  // Teams HQ excluded for this unit (reassign); never proposed again here.
  std::vector<std::string> excluded_team_ids;
  // Set while the unit has no team because nobody could make it (HQ was
  // alerted once); retried whenever a resource comes free.
  std::optional<Time> infeasible_since;
  Explanation infeasible;  // why nobody, as found at infeasible_since
  // Deadline watch: lead times already warned (or passed over while the
  // dispatcher was down, see DispatchModule::Tick) and the breach.
  std::vector<Duration> warnings_done;
  std::optional<Time> breach_at;
  // Arrival: when leaders and staff were on the scene (as reported), when
  // the dispatcher learned it, and the response time it measured.
  std::optional<Time> arrived_at;
  std::optional<Time> arrival_recorded_at;
  std::optional<Duration> response_time;  // arrived_at - reported_at
  std::optional<bool> on_time;            // arrived_at <= deadline (if any)
  friend bool operator==(const Response&, const Response&) = default;
};

struct TimelineEntry {
  Time at{};           // when it happened (as reported for status updates)
  Time recorded_at{};  // when the dispatcher recorded it
  Actor actor;
  // "reported", "no_rule", "proposed", "no_feasible_assignment",
  // "confirmed", "overridden", "superseded", "departed", "arrived",
  // "deadline_warning", "deadline_breach", "settled", "released",
  // "aftermath", "closed".
  std::string event;
  std::string unit_id;  // the responding unit concerned, if any
  std::string text;     // UTF-8, one line (a status update's note and reporter)
  friend bool operator==(const TimelineEntry&, const TimelineEntry&) = default;
};

struct Incident {
  std::string id;         // "INC-20261127-001"
  uint64_t sequence = 0;  // 1, 2, ... in registration order
  IncidentReport report;
  std::string request_id;  // idempotency key of the report, may be empty
  Grade grade = Grade::kLow;
  IncidentState state = IncidentState::kReported;
  Time reported_at{};    // deadlines count from here
  Time registered_at{};  // when the dispatcher took it
  Actor reported_by;
  std::vector<Response> responses;      // one per involved unit, same order
  std::vector<Assignment> assignments;  // every proposal, oldest first
  // The timeline is append-only. A module may be restored without the
  // timeline entries stored before (store::LoadOpenDispatch with
  // LoadedTimelines::kReleased): then the first `timeline_stored` entries
  // are only in the store and `timeline` holds those added after the load;
  // store::CompleteTimeline puts them back. 0 (as made, and as loaded
  // whole): `timeline` is all of it.
  uint32_t timeline_stored = 0;
  std::vector<TimelineEntry> timeline;
  Time updated_at{};
  friend bool operator==(const Incident&, const Incident&) = default;
};

// Runtime availability of a team, member or vehicle, overriding the
// configured initial value. Only resources changed at runtime have one.
struct ResourceStatus {
  ResourceKind kind = ResourceKind::kTeam;
  std::string id;
  bool available = true;
  Time changed_at{};
  Actor changed_by;
  std::string note;
  friend bool operator==(const ResourceStatus&, const ResourceStatus&) = default;
};

// The last incident number handed out on a local day.
struct IdCounter {
  std::string day;  // "20261127" in the organisation's time zone
  uint32_t last = 0;
  friend bool operator==(const IdCounter&, const IdCounter&) = default;
};

// Everything the module persists; enough to rebuild it. The repository
// loads one; it saves change sets (DispatchChangeSet).
struct DispatchSnapshot {
  std::vector<Incident> incidents;        // by sequence
  std::vector<ResourceStatus> resources;  // by kind, then id
  std::vector<IdCounter> id_counters;     // by day
  friend bool operator==(const DispatchSnapshot&, const DispatchSnapshot&) = default;
};

// Copies of the records one or more commands changed, as they were then
// (DispatchModule::Changes), for the repository (store::SaveDispatchChanges).
// Taken on the thread that owns the module and saved on the commit thread,
// so the two never share the live module. Each record once, in the order
// the refs named them.
struct DispatchChangeSet {
  std::vector<Incident> incidents;
  std::vector<ResourceStatus> resources;
  std::vector<IdCounter> id_counters;

  [[nodiscard]] bool empty() const {
    return incidents.empty() && resources.empty() && id_counters.empty();
  }
  friend bool operator==(const DispatchChangeSet&, const DispatchChangeSet&) = default;
};

// RecordRef kinds this module writes to Effects::changed.
inline constexpr std::string_view kIncidentRecord = "incident";              // id: incident id
inline constexpr std::string_view kResourceRecord = "dispatch_resource";     // id: "team:<id>", ...
inline constexpr std::string_view kIdCounterRecord = "dispatch_id_counter";  // id: day

// Whether a module restored without the stored timelines still holds the
// timeline of an incident in `state`: only settled ones and those in
// aftermath, whose settlement time is read from it. An open incident's
// timeline is most of its memory and only views read it.
[[nodiscard]] bool HoldsLoadedTimeline(IncidentState state);
// Whether the deadline watch follows `response` of `incident`: it has a
// deadline, is neither on the scene nor breached, and the incident is not
// yet settled.
[[nodiscard]] bool OnDeadlineWatch(const Incident& incident, const Response& response);
// Whether `response` waits for a team: nobody could make it when last
// proposed, it has a deadline (a rule covers it), it is not on the scene
// and has no proposal or assignment, and the incident is not yet settled.
// Retried whenever a team, member or vehicle comes free.
[[nodiscard]] bool WaitingForTeam(const Incident& incident, const Response& response);
// Whether an incident that is not closed or cancelled has nothing the
// module does by itself: no proposed or confirmed assignment (it holds no
// team, member or vehicle), no response on the deadline watch or waiting
// for a team. Such an incident changes only when a command names it, so it
// may stay in the store until then (DispatchModule::Recall); settled ones
// and those in aftermath always are.
[[nodiscard]] bool Quiescent(const Incident& incident);
// Whether `incident` holds nothing: open, with no proposal or assignment
// holding a team, member or vehicle. A quiescent one, or one that only
// waits (a response on the deadline watch or waiting for a team), which
// the dispatch module may then park (DispatchModule::Release).
[[nodiscard]] bool HoldsNothing(const Incident& incident);
// The assignment of `unit_id` that is proposed or confirmed, if any.
[[nodiscard]] const Assignment* ActiveAssignment(const Incident& incident,
                                                 std::string_view unit_id);
[[nodiscard]] Assignment* ActiveAssignment(Incident& incident, std::string_view unit_id);
// The response of `unit_id`, if the unit is involved.
[[nodiscard]] const Response* FindResponse(const Incident& incident, std::string_view unit_id);
// "team:<id>", "member:<id>", "vehicle:<id>" (the kResourceRecord id).
[[nodiscard]] std::string ResourceRecordId(ResourceKind kind, std::string_view id);

}  // namespace anding::core::dispatch

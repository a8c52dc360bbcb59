#include "anding/store/dispatch_repository.h"

#include <algorithm>
#include <boost/json.hpp>
#include <functional>
#include <limits>
#include <string>

#include "anding/common/strings.h"
#include "codec.h"
#include "sql.h"

namespace anding::store {

using namespace codec;  // NOLINT: this file's vocabulary
using core::Actor;
using namespace core::dispatch;  // NOLINT: the records this file stores

std::vector<storage::Migration> DispatchMigrations() {
  return {
      {1, "incidents, resource availability, id counters, deadlines view",
       R"sql(
CREATE TABLE dispatch_incidents (
  id TEXT PRIMARY KEY,
  sequence INTEGER NOT NULL UNIQUE CHECK (sequence > 0),
  state TEXT NOT NULL,
  type TEXT NOT NULL,
  grade TEXT NOT NULL,
  region_id TEXT NOT NULL,
  address TEXT NOT NULL,
  occurred_at_us INTEGER,
  persons INTEGER NOT NULL CHECK (persons > 0),
  representatives INTEGER NOT NULL CHECK (representatives >= 0),
  involved_unit_ids TEXT NOT NULL,
  summary TEXT NOT NULL,
  details TEXT NOT NULL,
  category_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  reported_at_us INTEGER NOT NULL,
  registered_at_us INTEGER NOT NULL,
  reported_by TEXT NOT NULL,
  updated_at_us INTEGER NOT NULL,
  responses TEXT NOT NULL,
  assignments TEXT NOT NULL,
  timeline TEXT NOT NULL
);
CREATE INDEX dispatch_incidents_open ON dispatch_incidents (state) WHERE state <> 'closed';
CREATE TABLE dispatch_resource_status (
  kind TEXT NOT NULL CHECK (kind IN ('team', 'member', 'vehicle')),
  id TEXT NOT NULL,
  available INTEGER NOT NULL CHECK (available IN (0, 1)),
  changed_at_us INTEGER NOT NULL,
  changed_by TEXT NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE TABLE dispatch_id_counters (
  day TEXT PRIMARY KEY,
  last INTEGER NOT NULL CHECK (last >= 0)
);
CREATE VIEW dispatch_deadlines AS
SELECT i.id AS incident_id,
       i.state AS state,
       json_extract(r.value, '$.unit_id') AS unit_id,
       json_extract(r.value, '$.deadline.rule_id') AS rule_id,
       strftime('%Y-%m-%dT%H:%M:%SZ', json_extract(r.value, '$.deadline.at_us') / 1000000,
                'unixepoch') AS deadline_utc,
       strftime('%Y-%m-%dT%H:%M:%SZ', json_extract(r.value, '$.arrived_at_us') / 1000000,
                'unixepoch') AS arrived_utc,
       json_extract(r.value, '$.on_time') AS on_time,
       json_extract(r.value, '$.breach_at_us') IS NOT NULL AS breached
FROM dispatch_incidents AS i, json_each(i.responses) AS r;
)sql"},
      {2, "indexes for holding only open or recent incidents and reading the rest",
       R"sql(
CREATE INDEX dispatch_incidents_not_final ON dispatch_incidents (sequence)
  WHERE state NOT IN ('closed', 'cancelled');
CREATE INDEX dispatch_incidents_by_reported ON dispatch_incidents (reported_at_us);
CREATE INDEX dispatch_incidents_by_request ON dispatch_incidents (request_id)
  WHERE request_id <> '';
CREATE INDEX dispatch_incidents_by_region ON dispatch_incidents (region_id, sequence);
)sql"},
  };
}

namespace {

// ---- encoding ----

json::object EncodeExplanation(const Explanation& e) {
  json::array rejected;
  for (const auto& r : e.rejected) {
    rejected.push_back(
        json::object{{"team_id", r.team_id}, {"unit_id", r.unit_id}, {"reason", r.reason}});
  }
  return {{"reasons", StringsJson(e.reasons)},
          {"rejected", std::move(rejected)},
          {"more_rejected", e.more_rejected}};
}

json::object EncodeAssignment(const Assignment& a) {
  json::array members;
  for (const auto& m : a.members) {
    json::object member = PersonJson(m.person);
    member["member_id"] = m.member_id;
    member["role"] = RoleName(m.role);
    members.push_back(std::move(member));
  }
  json::array leaders;
  for (const auto& p : a.accompanying_leaders) leaders.push_back(PersonJson(p));
  return {{"number", a.number},
          {"unit_id", a.unit_id},
          {"state", AssignmentStateName(a.state)},
          {"team_id", a.team_id},
          {"team_unit_id", a.team_unit_id},
          {"fallback", a.fallback},
          {"by_operator", a.by_operator},
          {"members", std::move(members)},
          {"accompanying_leaders", std::move(leaders)},
          {"vehicle_ids", StringsJson(a.vehicle_ids)},
          {"seats", a.seats},
          {"mobilisation_us", a.mobilisation.count()},
          {"travel_us", a.travel.count()},
          {"distance_m", a.distance_m},
          {"eta_us", ToUnixMicros(a.eta)},
          {"explanation", EncodeExplanation(a.explanation)},
          {"proposed_at_us", ToUnixMicros(a.proposed_at)},
          {"proposed_by", a.proposed_by.ToString()},
          {"confirmed_at_us", OptionalTimeJson(a.confirmed_at)},
          {"confirmed_by",
           a.confirmed_by ? json::value(a.confirmed_by->ToString()) : json::value(nullptr)},
          {"departed_at_us", OptionalTimeJson(a.departed_at)},
          {"ended_at_us", OptionalTimeJson(a.ended_at)},
          {"end_reason", a.end_reason}};
}

json::object EncodeResponse(const Response& r) {
  json::value deadline = nullptr;
  if (r.deadline) {
    deadline = json::object{{"rule_id", r.deadline->rule_id},
                            {"rule_text", r.deadline->rule_text.str()},
                            {"limit_us", r.deadline->limit.count()},
                            {"at_us", ToUnixMicros(r.deadline->at)}};
  }
  json::array warnings;
  for (Duration lead : r.warnings_done) warnings.emplace_back(lead.count());
  return {{"unit_id", r.unit_id},
          {"deadline", std::move(deadline)},
          {"excluded_team_ids", StringsJson(r.excluded_team_ids)},
          {"infeasible_since_us", OptionalTimeJson(r.infeasible_since)},
          {"infeasible", EncodeExplanation(r.infeasible)},
          {"warnings_done_us", std::move(warnings)},
          {"breach_at_us", OptionalTimeJson(r.breach_at)},
          {"arrived_at_us", OptionalTimeJson(r.arrived_at)},
          {"arrival_recorded_at_us", OptionalTimeJson(r.arrival_recorded_at)},
          {"response_time_us",
           r.response_time ? json::value(r.response_time->count()) : json::value(nullptr)},
          {"on_time", r.on_time ? json::value(*r.on_time) : json::value(nullptr)}};
}

json::object EncodeTimelineEntry(const TimelineEntry& t) {
  return {{"at_us", ToUnixMicros(t.at)}, {"recorded_at_us", ToUnixMicros(t.recorded_at)},
          {"actor", t.actor.ToString()}, {"event", t.event},
          {"unit_id", t.unit_id},        {"text", t.text}};
}

template <typename T, typename Encode>
std::string EncodeList(const std::vector<T>& items, Encode encode) {
  json::array array;
  for (const auto& item : items) array.push_back(encode(item));
  return Serialize(array);
}

// ---- decoding: DataLoss naming the field; LoadDispatch adds the row ----

// The actor written as text in `key` of `o`.
Result<Actor> ActorAt(const json::object& o, std::string_view key) {
  ANDING_ASSIGN_OR_RETURN(const std::string text, StringAt(o, key));
  return ActorFrom(key, text);
}

Result<Explanation> DecodeExplanation(const json::value& value) {
  ANDING_ASSIGN_OR_RETURN(const json::object* o, ObjectOf(value));
  Explanation e;
  ANDING_ASSIGN_OR_RETURN(e.reasons, StringsAt(*o, "reasons"));
  ANDING_ASSIGN_OR_RETURN(const json::value* rejected, Member(*o, "rejected"));
  ANDING_ASSIGN_OR_RETURN(
      e.rejected,
      InField("rejected", ListOf(*rejected, [](const json::value& v) -> Result<Rejection> {
                ANDING_ASSIGN_OR_RETURN(const json::object* r, ObjectOf(v));
                Rejection rejection;
                ANDING_ASSIGN_OR_RETURN(rejection.team_id, StringAt(*r, "team_id"));
                ANDING_ASSIGN_OR_RETURN(rejection.unit_id, StringAt(*r, "unit_id"));
                ANDING_ASSIGN_OR_RETURN(rejection.reason, StringAt(*r, "reason"));
                return rejection;
              })));
  ANDING_ASSIGN_OR_RETURN(e.more_rejected, StringAt(*o, "more_rejected"));
  return e;
}

Result<AssignedMember> DecodeMember(const json::value& value) {
  ANDING_ASSIGN_OR_RETURN(const json::object* m, ObjectOf(value));
  AssignedMember member;
  ANDING_ASSIGN_OR_RETURN(member.member_id, StringAt(*m, "member_id"));
  ANDING_ASSIGN_OR_RETURN(const std::string role, StringAt(*m, "role"));
  ANDING_ASSIGN_OR_RETURN(member.role, Named("role", ParseRole, role));
  ANDING_ASSIGN_OR_RETURN(member.person, PersonFrom(value));
  return member;
}

Result<Assignment> DecodeAssignment(const json::value& value) {
  ANDING_ASSIGN_OR_RETURN(const json::object* o, ObjectOf(value));
  Assignment a;
  ANDING_ASSIGN_OR_RETURN(a.number, Uint32At(*o, "number"));
  ANDING_ASSIGN_OR_RETURN(a.unit_id, StringAt(*o, "unit_id"));
  ANDING_ASSIGN_OR_RETURN(const std::string state, StringAt(*o, "state"));
  ANDING_ASSIGN_OR_RETURN(a.state, Named("state", ParseAssignmentState, state));
  ANDING_ASSIGN_OR_RETURN(a.team_id, StringAt(*o, "team_id"));
  ANDING_ASSIGN_OR_RETURN(a.team_unit_id, StringAt(*o, "team_unit_id"));
  ANDING_ASSIGN_OR_RETURN(a.fallback, BoolAt(*o, "fallback"));
  ANDING_ASSIGN_OR_RETURN(a.by_operator, BoolAt(*o, "by_operator"));
  ANDING_ASSIGN_OR_RETURN(const json::value* members, Member(*o, "members"));
  ANDING_ASSIGN_OR_RETURN(a.members, InField("members", ListOf(*members, DecodeMember)));
  ANDING_ASSIGN_OR_RETURN(const json::value* leaders, Member(*o, "accompanying_leaders"));
  ANDING_ASSIGN_OR_RETURN(a.accompanying_leaders,
                          InField("accompanying_leaders", ListOf(*leaders, PersonFrom)));
  ANDING_ASSIGN_OR_RETURN(a.vehicle_ids, StringsAt(*o, "vehicle_ids"));
  ANDING_ASSIGN_OR_RETURN(a.seats, Uint32At(*o, "seats"));
  ANDING_ASSIGN_OR_RETURN(const int64_t mobilisation, IntAt(*o, "mobilisation_us"));
  a.mobilisation = Duration(mobilisation);
  ANDING_ASSIGN_OR_RETURN(const int64_t travel, IntAt(*o, "travel_us"));
  a.travel = Duration(travel);
  ANDING_ASSIGN_OR_RETURN(a.distance_m, IntAt(*o, "distance_m"));
  ANDING_ASSIGN_OR_RETURN(a.eta, TimeAt(*o, "eta_us"));
  ANDING_ASSIGN_OR_RETURN(const json::value* explanation, Member(*o, "explanation"));
  ANDING_ASSIGN_OR_RETURN(a.explanation, InField("explanation", DecodeExplanation(*explanation)));
  ANDING_ASSIGN_OR_RETURN(a.proposed_at, TimeAt(*o, "proposed_at_us"));
  ANDING_ASSIGN_OR_RETURN(a.proposed_by, ActorAt(*o, "proposed_by"));
  ANDING_ASSIGN_OR_RETURN(a.confirmed_at, OptionalTimeAt(*o, "confirmed_at_us"));
  ANDING_ASSIGN_OR_RETURN(const bool unconfirmed, IsNullAt(*o, "confirmed_by"));
  if (!unconfirmed) {
    ANDING_ASSIGN_OR_RETURN(a.confirmed_by, ActorAt(*o, "confirmed_by"));
  }
  ANDING_ASSIGN_OR_RETURN(a.departed_at, OptionalTimeAt(*o, "departed_at_us"));
  ANDING_ASSIGN_OR_RETURN(a.ended_at, OptionalTimeAt(*o, "ended_at_us"));
  ANDING_ASSIGN_OR_RETURN(a.end_reason, StringAt(*o, "end_reason"));
  return a;
}

Result<Deadline> DecodeDeadline(const json::value& value) {
  ANDING_ASSIGN_OR_RETURN(const json::object* d, ObjectOf(value));
  Deadline deadline;
  ANDING_ASSIGN_OR_RETURN(deadline.rule_id, StringAt(*d, "rule_id"));
  ANDING_ASSIGN_OR_RETURN(deadline.rule_text, StringAt(*d, "rule_text"));
  ANDING_ASSIGN_OR_RETURN(const int64_t limit, IntAt(*d, "limit_us"));
  deadline.limit = Duration(limit);
  ANDING_ASSIGN_OR_RETURN(deadline.at, TimeAt(*d, "at_us"));
  return deadline;
}

Result<Duration> DecodeDuration(const json::value& value) {
  if (!value.is_int64()) return Malformed("is not an integer");
  return Duration(value.get_int64());
}

Result<Response> DecodeResponse(const json::value& value) {
  ANDING_ASSIGN_OR_RETURN(const json::object* o, ObjectOf(value));
  Response r;
  ANDING_ASSIGN_OR_RETURN(r.unit_id, StringAt(*o, "unit_id"));
  ANDING_ASSIGN_OR_RETURN(const json::value* deadline, Member(*o, "deadline"));
  if (!deadline->is_null()) {
    ANDING_ASSIGN_OR_RETURN(r.deadline, InField("deadline", DecodeDeadline(*deadline)));
  }
  ANDING_ASSIGN_OR_RETURN(r.excluded_team_ids, StringsAt(*o, "excluded_team_ids"));
  ANDING_ASSIGN_OR_RETURN(r.infeasible_since, OptionalTimeAt(*o, "infeasible_since_us"));
  ANDING_ASSIGN_OR_RETURN(const json::value* infeasible, Member(*o, "infeasible"));
  ANDING_ASSIGN_OR_RETURN(r.infeasible, InField("infeasible", DecodeExplanation(*infeasible)));
  ANDING_ASSIGN_OR_RETURN(const json::value* warnings, Member(*o, "warnings_done_us"));
  ANDING_ASSIGN_OR_RETURN(r.warnings_done,
                          InField("warnings_done_us", ListOf(*warnings, DecodeDuration)));
  ANDING_ASSIGN_OR_RETURN(r.breach_at, OptionalTimeAt(*o, "breach_at_us"));
  ANDING_ASSIGN_OR_RETURN(r.arrived_at, OptionalTimeAt(*o, "arrived_at_us"));
  ANDING_ASSIGN_OR_RETURN(r.arrival_recorded_at, OptionalTimeAt(*o, "arrival_recorded_at_us"));
  ANDING_ASSIGN_OR_RETURN(const bool no_response_time, IsNullAt(*o, "response_time_us"));
  if (!no_response_time) {
    ANDING_ASSIGN_OR_RETURN(const int64_t response_time, IntAt(*o, "response_time_us"));
    r.response_time = Duration(response_time);
  }
  ANDING_ASSIGN_OR_RETURN(const bool no_on_time, IsNullAt(*o, "on_time"));
  if (!no_on_time) {
    ANDING_ASSIGN_OR_RETURN(r.on_time, BoolAt(*o, "on_time"));
  }
  return r;
}

Result<TimelineEntry> DecodeTimelineEntry(const json::value& value) {
  ANDING_ASSIGN_OR_RETURN(const json::object* o, ObjectOf(value));
  TimelineEntry t;
  ANDING_ASSIGN_OR_RETURN(t.at, TimeAt(*o, "at_us"));
  ANDING_ASSIGN_OR_RETURN(t.recorded_at, TimeAt(*o, "recorded_at_us"));
  ANDING_ASSIGN_OR_RETURN(t.actor, ActorAt(*o, "actor"));
  ANDING_ASSIGN_OR_RETURN(t.event, StringAt(*o, "event"));
  ANDING_ASSIGN_OR_RETURN(t.unit_id, StringAt(*o, "unit_id"));
  ANDING_ASSIGN_OR_RETURN(t.text, StringAt(*o, "text"));
  return t;
}

// A JSON list column decoded entry by entry with `decode`.
template <typename Decode>
auto ListColumn(std::string_view column, std::string_view text, Decode decode) {
  return FromJson(column, text, [&](const json::value& value) { return ListOf(value, decode); });
}

constexpr std::string_view kIncidentColumns =
    "id, sequence, state, type, grade, region_id, address, occurred_at_us, persons, "
    "representatives, involved_unit_ids, summary, details, category_id, request_id, "
    "reported_at_us, registered_at_us, reported_by, updated_at_us, responses, assignments, "
    "timeline";
constexpr std::string_view kTimelineLength = "json_array_length(timeline)";

// With LoadedTimelines::kReleased the row has one more column: the number
// of timeline entries (kTimelineLength).
// Every column but the timeline.
Result<Incident> ReadIncidentWithoutTimeline(const storage::Statement& s) {
  Incident incident;
  incident.id = s.Text(0);
  incident.sequence = static_cast<uint64_t>(s.Int64(1));
  ANDING_ASSIGN_OR_RETURN(incident.state, Named("state", ParseIncidentState, s.Text(2)));
  ANDING_ASSIGN_OR_RETURN(incident.report.type, Named("type", ParseIncidentType, s.Text(3)));
  ANDING_ASSIGN_OR_RETURN(incident.grade, Named("grade", ParseGrade, s.Text(4)));
  incident.report.place.region_id = s.Text(5);
  incident.report.place.address = s.Text(6);
  incident.report.occurred_at = OptionalTimeColumn(s, 7);
  incident.report.persons = static_cast<uint32_t>(s.Int64(8));
  incident.report.representatives = static_cast<uint32_t>(s.Int64(9));
  ANDING_ASSIGN_OR_RETURN(incident.report.involved_unit_ids,
                          FromJson("involved_unit_ids", s.Text(10), StringsOf));
  incident.report.summary = s.Text(11);
  incident.report.details = s.Text(12);
  incident.report.category_id = s.Text(13);
  incident.request_id = s.Text(14);
  incident.reported_at = FromUnixMicros(s.Int64(15));
  incident.registered_at = FromUnixMicros(s.Int64(16));
  ANDING_ASSIGN_OR_RETURN(incident.reported_by, ActorFrom("reported_by", s.Text(17)));
  incident.updated_at = FromUnixMicros(s.Int64(18));
  ANDING_ASSIGN_OR_RETURN(incident.responses, ListColumn("responses", s.Text(19), DecodeResponse));
  ANDING_ASSIGN_OR_RETURN(incident.assignments,
                          ListColumn("assignments", s.Text(20), DecodeAssignment));
  return incident;
}

// The timeline column into `incident` (read by ReadIncidentWithoutTimeline),
// or with kReleased only its length, as LoadedTimelines says.
Status ReadTimeline(const storage::Statement& s, LoadedTimelines timelines, Incident& incident) {
  if (timelines == LoadedTimelines::kReleased && !HoldsLoadedTimeline(incident.state)) {
    incident.timeline_stored = static_cast<uint32_t>(s.Int64(22));
    return OkStatus();
  }
  ANDING_ASSIGN_OR_RETURN(incident.timeline,
                          ListColumn("timeline", s.Text(21), DecodeTimelineEntry));
  return OkStatus();
}

Result<Incident> ReadIncident(const storage::Statement& s, LoadedTimelines timelines) {
  ANDING_ASSIGN_OR_RETURN(Incident incident, ReadIncidentWithoutTimeline(s));
  ANDING_RETURN_IF_ERROR(ReadTimeline(s, timelines, incident));
  return incident;
}

Result<Incident> ReadWholeIncident(const storage::Statement& s) {
  return ReadIncident(s, LoadedTimelines::kWhole);
}

Result<ResourceStatus> ReadResourceStatus(const storage::Statement& s) {
  ResourceStatus status;
  ANDING_ASSIGN_OR_RETURN(status.kind, Named("kind", ParseResourceKind, s.Text(0)));
  status.id = s.Text(1);
  status.available = s.Int64(2) != 0;
  status.changed_at = FromUnixMicros(s.Int64(3));
  ANDING_ASSIGN_OR_RETURN(status.changed_by, ActorFrom("changed_by", s.Text(4)));
  status.note = s.Text(5);
  return status;
}

// The first `count` entries of the stored timeline of incident `id`.
Result<std::vector<TimelineEntry>> StoredTimeline(storage::Database& db, const std::string& id,
                                                  uint32_t count) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement * s,
                          db.Cached("SELECT timeline FROM dispatch_incidents WHERE id = ?1"));
  s->Bind(1, id);
  ANDING_ASSIGN_OR_RETURN(const bool row, s->Step());
  if (!row) {
    s->Reset();
    return DataLossError(StrCat("dispatch_incidents: incident ", id, " holds ", count,
                                " stored timeline entries "
                                "but has no row"));
  }
  const std::string text = s->Text(0);
  s->Reset();  // no read left open on the connection
  auto entries = ListColumn("timeline", text, DecodeTimelineEntry);
  if (!entries.ok()) return sql::InRow("dispatch_incidents", id, entries.status());
  if (entries->size() < count) {
    return DataLossError(StrCat("dispatch_incidents '", id, "': timeline has ", entries->size(),
                                " entries, ", count, " expected"));
  }
  entries->resize(count);
  return std::move(entries).value();
}

// ---- saving ----

Status SaveIncident(storage::Database& db, const Incident& incident) {
  std::string timeline;
  if (incident.timeline_stored == 0) {
    timeline = EncodeList(incident.timeline, EncodeTimelineEntry);
  } else {
    ANDING_ASSIGN_OR_RETURN(std::vector<TimelineEntry> whole,
                            StoredTimeline(db, incident.id, incident.timeline_stored));
    whole.insert(whole.end(), incident.timeline.begin(), incident.timeline.end());
    timeline = EncodeList(whole, EncodeTimelineEntry);
  }
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * s,
      db.Cached(
          StrCat("INSERT INTO dispatch_incidents (", kIncidentColumns,
                 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, "
                 "state = excluded.state, type = excluded.type, grade = excluded.grade, "
                 "region_id = excluded.region_id, address = excluded.address, "
                 "occurred_at_us = excluded.occurred_at_us, persons = excluded.persons, "
                 "representatives = excluded.representatives, "
                 "involved_unit_ids = excluded.involved_unit_ids, "
                 "summary = excluded.summary, details = excluded.details, "
                 "category_id = excluded.category_id, request_id = excluded.request_id, "
                 "reported_at_us = excluded.reported_at_us, "
                 "registered_at_us = excluded.registered_at_us, "
                 "reported_by = excluded.reported_by, "
                 "updated_at_us = excluded.updated_at_us, "
                 "responses = excluded.responses, assignments = excluded.assignments, "
                 "timeline = excluded.timeline")));
  const IncidentReport& report = incident.report;
  s->Bind(1, incident.id)
      .Bind(2, static_cast<int64_t>(incident.sequence))
      .Bind(3, IncidentStateName(incident.state))
      .Bind(4, IncidentTypeName(report.type))
      .Bind(5, GradeName(incident.grade))
      .Bind(6, report.place.region_id)
      .Bind(7, report.place.address)
      .Bind(8, OptionalMicros(report.occurred_at))
      .Bind(9, int64_t{report.persons})
      .Bind(10, int64_t{report.representatives})
      .Bind(11, Serialize(StringsJson(report.involved_unit_ids)))
      .Bind(12, report.summary)
      .Bind(13, report.details)
      .Bind(14, report.category_id)
      .Bind(15, incident.request_id)
      .Bind(16, ToUnixMicros(incident.reported_at))
      .Bind(17, ToUnixMicros(incident.registered_at))
      .Bind(18, incident.reported_by.ToString())
      .Bind(19, ToUnixMicros(incident.updated_at))
      .Bind(20, EncodeList(incident.responses, EncodeResponse))
      .Bind(21, EncodeList(incident.assignments, EncodeAssignment))
      .Bind(22, timeline);
  return Annotate(s->Run(), StrCat("saving incident ", incident.id));
}

Status SaveResourceStatus(storage::Database& db, const ResourceStatus& status) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * s,
      db.Cached("INSERT INTO dispatch_resource_status (kind, id, available, changed_at_us, "
                "changed_by, note) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE "
                "SET available = excluded.available, changed_at_us = excluded.changed_at_us, "
                "changed_by = excluded.changed_by, note = excluded.note"));
  s->Bind(1, ResourceKindName(status.kind))
      .Bind(2, status.id)
      .Bind(3, int64_t{status.available ? 1 : 0})
      .Bind(4, ToUnixMicros(status.changed_at))
      .Bind(5, status.changed_by.ToString())
      .Bind(6, status.note);
  return Annotate(s->Run(), StrCat("saving availability of ", status.id));
}

Status SaveIdCounter(storage::Database& db, const IdCounter& counter) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement * s,
                          db.Cached("INSERT INTO dispatch_id_counters (day, last) VALUES (?, ?) "
                                    "ON CONFLICT (day) DO UPDATE SET last = excluded.last"));
  s->Bind(1, counter.day).Bind(2, int64_t{counter.last});
  return Annotate(s->Run(), StrCat("saving id counter ", counter.day));
}

}  // namespace

Status SaveDispatchChanges(storage::Database& db, const DispatchChangeSet& changes) {
  for (const auto& incident : changes.incidents) ANDING_RETURN_IF_ERROR(SaveIncident(db, incident));
  for (const auto& status : changes.resources) {
    ANDING_RETURN_IF_ERROR(SaveResourceStatus(db, status));
  }
  for (const auto& counter : changes.id_counters) {
    ANDING_RETURN_IF_ERROR(SaveIdCounter(db, counter));
  }
  return OkStatus();
}

namespace {

// Appends the incidents `where` selects (a condition over
// dispatch_incidents, its parameters bound by `bind`), in `order`, but for
// those `leave` (if set) takes.
template <typename Bind>
Status LoadIncidentsWhere(storage::Database& db, std::string_view where, std::string_view order,
                          Bind bind, std::vector<Incident>& out,
                          LoadedTimelines timelines = LoadedTimelines::kWhole,
                          const LeftInStore& leave = {}) {
  const bool released = timelines == LoadedTimelines::kReleased;
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement statement,
      db.Prepare(StrCat("SELECT ", kIncidentColumns, released ? ", " : "",
                        released ? kTimelineLength : "", " FROM dispatch_incidents WHERE ", where,
                        " ORDER BY ", order)));
  bind(statement);
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, statement.Step());
    if (!row) return OkStatus();
    // What `leave` takes is never decoded whole.
    Result<Incident> decoded = ReadIncidentWithoutTimeline(statement);
    if (decoded.ok() && leave && !IsFinal(decoded->state) && leave(*decoded)) continue;
    const Status read =
        decoded.ok() ? ReadTimeline(statement, timelines, *decoded) : decoded.status();
    if (!read.ok()) return sql::InRow("dispatch_incidents", sql::RowId(statement, 1), read);
    out.push_back(std::move(decoded).value());
  }
}

// The resources and id counters (all of them: few rows), into `snapshot`.
Status LoadDispatchRecords(storage::Database& db, DispatchSnapshot& snapshot) {
  ANDING_RETURN_IF_ERROR(sql::LoadRows(db,
                                       "SELECT kind, id, available, changed_at_us, changed_by, "
                                       "note FROM dispatch_resource_status ORDER BY kind, id",
                                       "dispatch_resource_status", 2, ReadResourceStatus,
                                       snapshot.resources));
  // The canonical order is by kind (team, member, vehicle), then id.
  std::stable_sort(
      snapshot.resources.begin(), snapshot.resources.end(),
      [](const ResourceStatus& a, const ResourceStatus& b) { return a.kind < b.kind; });
  return sql::LoadRows(
      db, "SELECT day, last FROM dispatch_id_counters ORDER BY day", "dispatch_id_counters", 1,
      [](const storage::Statement& s) -> Result<IdCounter> {
        return IdCounter{s.Text(0), static_cast<uint32_t>(s.Int64(1))};
      },
      snapshot.id_counters);
}

}  // namespace

Result<DispatchSnapshot> LoadDispatch(storage::Database& db) {
  DispatchSnapshot snapshot;
  ANDING_RETURN_IF_ERROR(sql::LoadRows(
      db, StrCat("SELECT ", kIncidentColumns, " FROM dispatch_incidents ORDER BY sequence"),
      "dispatch_incidents", 1, ReadWholeIncident, snapshot.incidents));
  ANDING_RETURN_IF_ERROR(LoadDispatchRecords(db, snapshot));
  return snapshot;
}

Result<OpenDispatch> LoadOpenDispatch(storage::Database& db, Time since, LoadedTimelines timelines,
                                      const LeftInStore& leave) {
  OpenDispatch open;
  DispatchSnapshot& snapshot = open.snapshot;
  constexpr std::string_view kOpen = "state NOT IN ('closed', 'cancelled')";
  constexpr std::string_view kRecent = "reported_at_us >= ?1 AND state IN ('closed', 'cancelled')";
  auto bind_since = [since](storage::Statement& s) { s.Bind(1, ToUnixMicros(since)); };
  // Sized once: the records are large and the vector is freed after the
  // restore; each doubling would leave a freed copy that the allocator
  // keeps resident for a while after the start. Not when `leave` may take
  // most of them: then the count is no guide.
  if (!leave) {
    ANDING_ASSIGN_OR_RETURN(
        storage::Statement count,
        db.Prepare(StrCat("SELECT (SELECT COUNT(*) FROM dispatch_incidents WHERE ", kOpen,
                          ") + (SELECT COUNT(*) FROM dispatch_incidents WHERE ", kRecent, ")")));
    bind_since(count);
    ANDING_ASSIGN_OR_RETURN(const bool counted, count.Step());
    if (counted) snapshot.incidents.reserve(static_cast<size_t>(count.Int64(0)));
  }
  ANDING_RETURN_IF_ERROR(LoadIncidentsWhere(
      db, kOpen, "sequence", [](storage::Statement&) {}, snapshot.incidents, timelines, leave));
  ANDING_RETURN_IF_ERROR(
      LoadIncidentsWhere(db, kRecent, "reported_at_us", bind_since, snapshot.incidents, timelines));
  std::sort(snapshot.incidents.begin(), snapshot.incidents.end(),
            [](const Incident& a, const Incident& b) { return a.sequence < b.sequence; });
  ANDING_RETURN_IF_ERROR(LoadDispatchRecords(db, snapshot));
  ANDING_ASSIGN_OR_RETURN(storage::Statement last,
                          db.Prepare("SELECT MAX(sequence) FROM dispatch_incidents"));
  ANDING_ASSIGN_OR_RETURN(const bool row, last.Step());
  if (row && !last.IsNull(0)) open.last_sequence = static_cast<uint64_t>(last.Int64(0));
  return open;
}

Result<std::optional<Incident>> FindStoredIncident(storage::Database& db, const std::string& id) {
  std::vector<Incident> found;
  ANDING_RETURN_IF_ERROR(LoadIncidentsWhere(
      db, "id = ?1", "sequence", [&id](storage::Statement& s) { s.Bind(1, id); }, found));
  if (found.empty()) return std::optional<Incident>();
  return std::optional<Incident>(std::move(found.front()));
}

Result<std::optional<Incident>> FindStoredIncidentBySequence(storage::Database& db,
                                                             uint64_t sequence) {
  std::vector<Incident> found;
  ANDING_RETURN_IF_ERROR(LoadIncidentsWhere(
      db, "sequence = ?1", "sequence",
      [sequence](storage::Statement& s) { s.Bind(1, static_cast<int64_t>(sequence)); }, found));
  if (found.empty()) return std::optional<Incident>();
  return std::optional<Incident>(std::move(found.front()));
}

Status CompleteTimeline(storage::Database& db, Incident& incident) {
  if (incident.timeline_stored == 0) return OkStatus();
  ANDING_ASSIGN_OR_RETURN(std::vector<TimelineEntry> whole,
                          StoredTimeline(db, incident.id, incident.timeline_stored));
  whole.insert(whole.end(), std::make_move_iterator(incident.timeline.begin()),
               std::make_move_iterator(incident.timeline.end()));
  incident.timeline = std::move(whole);
  incident.timeline_stored = 0;
  return OkStatus();
}

Result<std::optional<Incident>> FindStoredIncidentByRequest(storage::Database& db,
                                                            const std::string& request_id) {
  std::vector<Incident> found;
  if (request_id.empty()) return std::optional<Incident>();
  ANDING_RETURN_IF_ERROR(LoadIncidentsWhere(
      db, "request_id = ?1 AND request_id <> ''", "request_id",
      [&request_id](storage::Statement& s) { s.Bind(1, request_id); }, found));
  if (found.empty()) return std::optional<Incident>();
  return std::optional<Incident>(std::move(found.front()));
}

Result<std::vector<Incident>> LoadIncidents(storage::Database& db, const IncidentFilter& filter) {
  std::string where = "1";
  std::vector<std::function<void(storage::Statement&, int)>> binds;
  auto param = [&](auto value) {
    binds.push_back([value](storage::Statement& s, int index) { s.Bind(index, value); });
    return StrCat("?", binds.size());
  };
  if (!filter.states.empty()) {
    std::string in;
    for (IncidentState state : filter.states) {
      StrAppend(in, in.empty() ? "" : ", ", param(std::string(IncidentStateName(state))));
    }
    StrAppend(where, " AND state IN (", in, ")");
  }
  if (filter.open_only) StrAppend(where, " AND state NOT IN ('closed', 'cancelled')");
  if (!filter.region_id.empty()) StrAppend(where, " AND region_id = ", param(filter.region_id));
  if (!filter.unit_id.empty()) {
    StrAppend(where,
              " AND EXISTS (SELECT 1 FROM json_each(dispatch_incidents.responses) AS r "
              "WHERE json_extract(r.value, '$.unit_id') = ",
              param(filter.unit_id), ")");
  }
  if (filter.type) {
    StrAppend(where, " AND type = ", param(std::string(IncidentTypeName(*filter.type))));
  }
  if (filter.reported_since) {
    StrAppend(where, " AND reported_at_us >= ", param(ToUnixMicros(*filter.reported_since)));
  }
  if (filter.reported_before) {
    StrAppend(where, " AND reported_at_us < ", param(ToUnixMicros(*filter.reported_before)));
  }
  // Always bounded, so that a page walks the sequence index from its start.
  StrAppend(where, " AND sequence < ",
            param(filter.before_sequence ? static_cast<int64_t>(*filter.before_sequence)
                                         : std::numeric_limits<int64_t>::max()));
  // A whole period (statistics) follows the index of report times and is
  // put in the list's order here.
  const bool period = filter.limit == 0 && (filter.reported_since || filter.reported_before);
  std::string order = period ? "reported_at_us" : "sequence DESC";
  if (filter.limit != 0) {
    StrAppend(order, " LIMIT ", param(static_cast<int64_t>(filter.limit)));
  }
  std::vector<Incident> found;
  ANDING_RETURN_IF_ERROR(LoadIncidentsWhere(
      db, where, order,
      [&binds](storage::Statement& s) {
        for (size_t i = 0; i < binds.size(); ++i) binds[i](s, static_cast<int>(i + 1));
      },
      found));
  if (period) {
    std::sort(found.begin(), found.end(),
              [](const Incident& a, const Incident& b) { return a.sequence > b.sequence; });
  }
  return found;
}

}  // namespace anding::store

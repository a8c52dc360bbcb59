#include "anding/store/dispatch_repository.h"

#include <boost/json.hpp>
#include <exception>
#include <stdexcept>
#include <string>

#include "anding/common/strings.h"

namespace anding::store {

namespace json = boost::json;
using core::Actor;
using core::Person;
using core::RecordRef;
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
  };
}

namespace {

// ---- encoding ----

json::value TimeOrNull(const std::optional<Time>& t) {
  return t ? json::value(ToUnixMicros(*t)) : json::value(nullptr);
}

json::array StringArray(const std::vector<std::string>& values) {
  json::array array;
  for (const auto& v : values) array.emplace_back(v);
  return array;
}

json::object EncodePerson(const Person& person) {
  return {{"name", person.name}, {"phone", person.phone}, {"title", person.title}};
}

json::object EncodeExplanation(const Explanation& e) {
  json::array rejected;
  for (const auto& r : e.rejected) {
    rejected.push_back(
        json::object{{"team_id", r.team_id}, {"unit_id", r.unit_id}, {"reason", r.reason}});
  }
  return {{"reasons", StringArray(e.reasons)},
          {"rejected", std::move(rejected)},
          {"more_rejected", e.more_rejected}};
}

json::object EncodeAssignment(const Assignment& a) {
  json::array members;
  for (const auto& m : a.members) {
    json::object member = EncodePerson(m.person);
    member["member_id"] = m.member_id;
    member["role"] = RoleName(m.role);
    members.push_back(std::move(member));
  }
  json::array leaders;
  for (const auto& p : a.accompanying_leaders) leaders.push_back(EncodePerson(p));
  return {{"number", a.number},
          {"unit_id", a.unit_id},
          {"state", AssignmentStateName(a.state)},
          {"team_id", a.team_id},
          {"team_unit_id", a.team_unit_id},
          {"fallback", a.fallback},
          {"by_operator", a.by_operator},
          {"members", std::move(members)},
          {"accompanying_leaders", std::move(leaders)},
          {"vehicle_ids", StringArray(a.vehicle_ids)},
          {"seats", a.seats},
          {"mobilisation_us", a.mobilisation.count()},
          {"travel_us", a.travel.count()},
          {"distance_m", a.distance_m},
          {"eta_us", ToUnixMicros(a.eta)},
          {"explanation", EncodeExplanation(a.explanation)},
          {"proposed_at_us", ToUnixMicros(a.proposed_at)},
          {"proposed_by", a.proposed_by.ToString()},
          {"confirmed_at_us", TimeOrNull(a.confirmed_at)},
          {"confirmed_by",
           a.confirmed_by ? json::value(a.confirmed_by->ToString()) : json::value(nullptr)},
          {"departed_at_us", TimeOrNull(a.departed_at)},
          {"ended_at_us", TimeOrNull(a.ended_at)},
          {"end_reason", a.end_reason}};
}

json::object EncodeResponse(const Response& r) {
  json::value deadline = nullptr;
  if (r.deadline) {
    deadline = json::object{{"rule_id", r.deadline->rule_id},
                            {"rule_text", r.deadline->rule_text},
                            {"limit_us", r.deadline->limit.count()},
                            {"at_us", ToUnixMicros(r.deadline->at)}};
  }
  json::array warnings;
  for (Duration lead : r.warnings_done) warnings.emplace_back(lead.count());
  return {{"unit_id", r.unit_id},
          {"deadline", std::move(deadline)},
          {"excluded_team_ids", StringArray(r.excluded_team_ids)},
          {"infeasible_since_us", TimeOrNull(r.infeasible_since)},
          {"infeasible", EncodeExplanation(r.infeasible)},
          {"warnings_done_us", std::move(warnings)},
          {"breach_at_us", TimeOrNull(r.breach_at)},
          {"arrived_at_us", TimeOrNull(r.arrived_at)},
          {"arrival_recorded_at_us", TimeOrNull(r.arrival_recorded_at)},
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
  return json::serialize(array);
}

// ---- decoding: a malformed row throws DecodeError, caught in LoadDispatch ----

struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const json::value& Field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) throw DecodeError(StrCat("missing field '", key, "'"));
  return *v;
}

std::string Str(const json::object& o, std::string_view key) {
  const json::value& v = Field(o, key);
  if (!v.is_string()) throw DecodeError(StrCat("field '", key, "' is not a string"));
  return std::string(v.get_string());
}

int64_t Int(const json::object& o, std::string_view key) {
  const json::value& v = Field(o, key);
  if (!v.is_int64()) throw DecodeError(StrCat("field '", key, "' is not an integer"));
  return v.get_int64();
}

bool Bool(const json::object& o, std::string_view key) {
  const json::value& v = Field(o, key);
  if (!v.is_bool()) throw DecodeError(StrCat("field '", key, "' is not a boolean"));
  return v.get_bool();
}

bool IsNull(const json::object& o, std::string_view key) { return Field(o, key).is_null(); }

std::optional<Time> OptTime(const json::object& o, std::string_view key) {
  if (IsNull(o, key)) return std::nullopt;
  return FromUnixMicros(Int(o, key));
}

const json::object& Obj(const json::value& v) {
  if (!v.is_object()) throw DecodeError("expected an object");
  return v.get_object();
}

const json::array& Arr(const json::object& o, std::string_view key) {
  const json::value& v = Field(o, key);
  if (!v.is_array()) throw DecodeError(StrCat("field '", key, "' is not a list"));
  return v.get_array();
}

std::vector<std::string> Strings(const json::object& o, std::string_view key) {
  std::vector<std::string> values;
  for (const auto& v : Arr(o, key)) {
    if (!v.is_string()) throw DecodeError(StrCat("'", key, "' holds a non-string"));
    values.emplace_back(v.get_string());
  }
  return values;
}

template <typename T>
T Named(std::optional<T> parsed, std::string_view what, std::string_view name) {
  if (!parsed) throw DecodeError(StrCat("unknown ", what, " '", name, "'"));
  return *parsed;
}

Actor ParseActor(const std::string& text) {
  auto actor = Actor::Parse(text);
  if (!actor) throw DecodeError(StrCat("malformed actor '", text, "'"));
  return *actor;
}

Person DecodePerson(const json::object& o) {
  return Person{Str(o, "name"), Str(o, "phone"), Str(o, "title")};
}

Explanation DecodeExplanation(const json::object& o) {
  Explanation e;
  e.reasons = Strings(o, "reasons");
  for (const auto& v : Arr(o, "rejected")) {
    const auto& r = Obj(v);
    e.rejected.push_back(Rejection{Str(r, "team_id"), Str(r, "unit_id"), Str(r, "reason")});
  }
  e.more_rejected = Str(o, "more_rejected");
  return e;
}

Assignment DecodeAssignment(const json::object& o) {
  Assignment a;
  a.number = static_cast<uint32_t>(Int(o, "number"));
  a.unit_id = Str(o, "unit_id");
  const std::string state = Str(o, "state");
  a.state = Named(ParseAssignmentState(state), "assignment state", state);
  a.team_id = Str(o, "team_id");
  a.team_unit_id = Str(o, "team_unit_id");
  a.fallback = Bool(o, "fallback");
  a.by_operator = Bool(o, "by_operator");
  for (const auto& v : Arr(o, "members")) {
    const auto& m = Obj(v);
    const std::string role = Str(m, "role");
    a.members.push_back(
        AssignedMember{Str(m, "member_id"), Named(ParseRole(role), "role", role), DecodePerson(m)});
  }
  for (const auto& v : Arr(o, "accompanying_leaders")) {
    a.accompanying_leaders.push_back(DecodePerson(Obj(v)));
  }
  a.vehicle_ids = Strings(o, "vehicle_ids");
  a.seats = static_cast<uint32_t>(Int(o, "seats"));
  a.mobilisation = Duration(Int(o, "mobilisation_us"));
  a.travel = Duration(Int(o, "travel_us"));
  a.distance_m = Int(o, "distance_m");
  a.eta = FromUnixMicros(Int(o, "eta_us"));
  a.explanation = DecodeExplanation(Obj(Field(o, "explanation")));
  a.proposed_at = FromUnixMicros(Int(o, "proposed_at_us"));
  a.proposed_by = ParseActor(Str(o, "proposed_by"));
  a.confirmed_at = OptTime(o, "confirmed_at_us");
  if (!IsNull(o, "confirmed_by")) a.confirmed_by = ParseActor(Str(o, "confirmed_by"));
  a.departed_at = OptTime(o, "departed_at_us");
  a.ended_at = OptTime(o, "ended_at_us");
  a.end_reason = Str(o, "end_reason");
  return a;
}

Response DecodeResponse(const json::object& o) {
  Response r;
  r.unit_id = Str(o, "unit_id");
  if (!IsNull(o, "deadline")) {
    const auto& d = Obj(Field(o, "deadline"));
    r.deadline = Deadline{Str(d, "rule_id"), Str(d, "rule_text"), Duration(Int(d, "limit_us")),
                          FromUnixMicros(Int(d, "at_us"))};
  }
  r.excluded_team_ids = Strings(o, "excluded_team_ids");
  r.infeasible_since = OptTime(o, "infeasible_since_us");
  r.infeasible = DecodeExplanation(Obj(Field(o, "infeasible")));
  for (const auto& v : Arr(o, "warnings_done_us")) {
    if (!v.is_int64()) throw DecodeError("warnings_done_us holds a non-integer");
    r.warnings_done.push_back(Duration(v.get_int64()));
  }
  r.breach_at = OptTime(o, "breach_at_us");
  r.arrived_at = OptTime(o, "arrived_at_us");
  r.arrival_recorded_at = OptTime(o, "arrival_recorded_at_us");
  if (!IsNull(o, "response_time_us")) r.response_time = Duration(Int(o, "response_time_us"));
  if (!IsNull(o, "on_time")) r.on_time = Bool(o, "on_time");
  return r;
}

TimelineEntry DecodeTimelineEntry(const json::object& o) {
  return TimelineEntry{FromUnixMicros(Int(o, "at_us")),
                       FromUnixMicros(Int(o, "recorded_at_us")),
                       ParseActor(Str(o, "actor")),
                       Str(o, "event"),
                       Str(o, "unit_id"),
                       Str(o, "text")};
}

template <typename Decode>
auto DecodeList(const std::string& text, Decode decode)
    -> std::vector<decltype(decode(std::declval<const json::object&>()))> {
  std::vector<decltype(decode(std::declval<const json::object&>()))> items;
  boost::system::error_code error;
  const json::value parsed = json::parse(text, error);
  if (error) throw DecodeError(StrCat("malformed JSON: ", error.message()));
  if (!parsed.is_array()) throw DecodeError("expected a JSON list");
  for (const auto& v : parsed.get_array()) items.push_back(decode(Obj(v)));
  return items;
}

constexpr std::string_view kIncidentColumns =
    "id, sequence, state, type, grade, region_id, address, occurred_at_us, persons, "
    "representatives, involved_unit_ids, summary, details, category_id, request_id, "
    "reported_at_us, registered_at_us, reported_by, updated_at_us, responses, assignments, "
    "timeline";

Incident ReadIncident(const storage::Statement& s) {
  Incident incident;
  incident.id = s.Text(0);
  incident.sequence = static_cast<uint64_t>(s.Int64(1));
  const std::string state = s.Text(2);
  incident.state = Named(ParseIncidentState(state), "incident state", state);
  const std::string type = s.Text(3);
  incident.report.type = Named(ParseIncidentType(type), "incident type", type);
  const std::string grade = s.Text(4);
  incident.grade = Named(ParseGrade(grade), "grade", grade);
  incident.report.place.region_id = s.Text(5);
  incident.report.place.address = s.Text(6);
  if (auto occurred = s.OptionalInt64(7)) incident.report.occurred_at = FromUnixMicros(*occurred);
  incident.report.persons = static_cast<uint32_t>(s.Int64(8));
  incident.report.representatives = static_cast<uint32_t>(s.Int64(9));
  {
    boost::system::error_code error;
    const json::value units = json::parse(s.Text(10), error);
    if (error || !units.is_array()) throw DecodeError("involved_unit_ids is not a JSON list");
    for (const auto& v : units.get_array()) {
      if (!v.is_string()) throw DecodeError("involved_unit_ids holds a non-string");
      incident.report.involved_unit_ids.emplace_back(v.get_string());
    }
  }
  incident.report.summary = s.Text(11);
  incident.report.details = s.Text(12);
  incident.report.category_id = s.Text(13);
  incident.request_id = s.Text(14);
  incident.reported_at = FromUnixMicros(s.Int64(15));
  incident.registered_at = FromUnixMicros(s.Int64(16));
  incident.reported_by = ParseActor(s.Text(17));
  incident.updated_at = FromUnixMicros(s.Int64(18));
  incident.responses = DecodeList(s.Text(19), DecodeResponse);
  incident.assignments = DecodeList(s.Text(20), DecodeAssignment);
  incident.timeline = DecodeList(s.Text(21), DecodeTimelineEntry);
  return incident;
}

}  // namespace

Status SaveDispatchIncident(storage::Database& db, const Incident& incident) {
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
  std::optional<int64_t> occurred;
  if (report.occurred_at) occurred = ToUnixMicros(*report.occurred_at);
  s->Bind(1, incident.id)
      .Bind(2, static_cast<int64_t>(incident.sequence))
      .Bind(3, IncidentStateName(incident.state))
      .Bind(4, IncidentTypeName(report.type))
      .Bind(5, GradeName(incident.grade))
      .Bind(6, report.place.region_id)
      .Bind(7, report.place.address)
      .Bind(8, occurred)
      .Bind(9, int64_t{report.persons})
      .Bind(10, int64_t{report.representatives})
      .Bind(11, json::serialize(StringArray(report.involved_unit_ids)))
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
      .Bind(22, EncodeList(incident.timeline, EncodeTimelineEntry));
  return Annotate(s->Run(), StrCat("saving incident ", incident.id));
}

Status SaveDispatchResourceStatus(storage::Database& db, const ResourceStatus& status) {
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

Status SaveDispatchIdCounter(storage::Database& db, const IdCounter& counter) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement * s,
                          db.Cached("INSERT INTO dispatch_id_counters (day, last) VALUES (?, ?) "
                                    "ON CONFLICT (day) DO UPDATE SET last = excluded.last"));
  s->Bind(1, counter.day).Bind(2, int64_t{counter.last});
  return Annotate(s->Run(), StrCat("saving id counter ", counter.day));
}

Status SaveDispatchChanges(storage::Database& db, const DispatchModule& module,
                           const std::vector<RecordRef>& changed) {
  for (const auto& ref : changed) {
    if (ref.kind == kIncidentRecord) {
      const Incident* incident = module.FindIncident(ref.id);
      if (incident == nullptr) return NotFoundError(StrCat("no incident ", ref.id, " to save"));
      ANDING_RETURN_IF_ERROR(SaveDispatchIncident(db, *incident));
    } else if (ref.kind == kResourceRecord) {
      const auto colon = ref.id.find(':');
      const auto kind = colon == std::string::npos
                            ? std::nullopt
                            : ParseResourceKind(std::string_view(ref.id).substr(0, colon));
      const ResourceStatus* status =
          kind ? module.FindResourceStatus(*kind, std::string_view(ref.id).substr(colon + 1))
               : nullptr;
      if (status == nullptr) return NotFoundError(StrCat("no resource status ", ref.id));
      ANDING_RETURN_IF_ERROR(SaveDispatchResourceStatus(db, *status));
    } else if (ref.kind == kIdCounterRecord) {
      const auto counter = module.FindIdCounter(ref.id);
      if (!counter) return NotFoundError(StrCat("no id counter for ", ref.id));
      ANDING_RETURN_IF_ERROR(SaveDispatchIdCounter(db, *counter));
    }
  }
  return OkStatus();
}

Status SaveDispatchSnapshot(storage::Database& db, const DispatchSnapshot& snapshot) {
  for (const auto& incident : snapshot.incidents) {
    ANDING_RETURN_IF_ERROR(SaveDispatchIncident(db, incident));
  }
  for (const auto& status : snapshot.resources) {
    ANDING_RETURN_IF_ERROR(SaveDispatchResourceStatus(db, status));
  }
  for (const auto& counter : snapshot.id_counters) {
    ANDING_RETURN_IF_ERROR(SaveDispatchIdCounter(db, counter));
  }
  return OkStatus();
}

Result<DispatchSnapshot> LoadDispatch(storage::Database& db) {
  DispatchSnapshot snapshot;
  std::string where = "dispatch_incidents";
  try {
    {
      ANDING_ASSIGN_OR_RETURN(storage::Statement s, db.Prepare(StrCat("SELECT ", kIncidentColumns,
                                                             " FROM dispatch_incidents "
                                                             "ORDER BY sequence")));
      while (true) {
        ANDING_ASSIGN_OR_RETURN(const bool row, s.Step());
        if (!row) break;
        where = StrCat("incident ", s.Text(0));
        snapshot.incidents.push_back(ReadIncident(s));
      }
    }
    where = "dispatch_resource_status";
    {
      ANDING_ASSIGN_OR_RETURN(
          storage::Statement s, db.Prepare("SELECT kind, id, available, changed_at_us, changed_by, note "
                                  "FROM dispatch_resource_status ORDER BY kind, id"));
      while (true) {
        ANDING_ASSIGN_OR_RETURN(const bool row, s.Step());
        if (!row) break;
        const std::string kind = s.Text(0);
        snapshot.resources.push_back(ResourceStatus{
            Named(ParseResourceKind(kind), "resource kind", kind), s.Text(1), s.Int64(2) != 0,
            FromUnixMicros(s.Int64(3)), ParseActor(s.Text(4)), s.Text(5)});
      }
      // The canonical order is by kind (team, member, vehicle), then id.
      std::stable_sort(
          snapshot.resources.begin(), snapshot.resources.end(),
          [](const ResourceStatus& a, const ResourceStatus& b) { return a.kind < b.kind; });
    }
    where = "dispatch_id_counters";
    {
      ANDING_ASSIGN_OR_RETURN(
          storage::Statement s, db.Prepare("SELECT day, last FROM dispatch_id_counters ORDER BY day"));
      while (true) {
        ANDING_ASSIGN_OR_RETURN(const bool row, s.Step());
        if (!row) break;
        snapshot.id_counters.push_back(IdCounter{s.Text(0), static_cast<uint32_t>(s.Int64(1))});
      }
    }
  } catch (const std::exception& e) {
    return Status(StatusCode::kDataLoss, StrCat("cannot decode ", where, ": ", e.what()));
  }
  return snapshot;
}

}  // namespace anding::store

#include "dispatch_module.h"

#include <algorithm>
#include <map>
#include <set>

#include "anding/common/strings.h"
#include "anding/core/dispatch/response_stats.h"
#include "anding/store/dispatch_repository.h"
#include "anding/wire/codec.h"
#include "dispatch_codec.h"
#include "stats_answer.h"
#include "vocabulary_codec.h"

namespace anding::dispatcher {
namespace {

// What the module keeps of an open incident it leaves in the store.
ParkedIncident ParkedRecord(const dispatch::Incident& incident) {
  ParkedIncident kept{incident.sequence, incident.state};
  for (const dispatch::Response& response : incident.responses) {
    if (!response.breach_at) continue;
    ++kept.breaches;
    if (!response.arrived_at) ++kept.breached_waiting;
  }
  return kept;
}

// What SettledIncidents answers of `incident`.
std::optional<core::IncidentSettled> Settlement(const dispatch::Incident& incident) {
  if (incident.state != dispatch::IncidentState::kSettled &&
      incident.state != dispatch::IncidentState::kAftermath) {
    return std::nullopt;
  }
  core::IncidentSettled settled;
  settled.incident_id = incident.id;
  settled.unit_ids = incident.report.involved_unit_ids;
  settled.category_id = incident.report.category_id;
  settled.summary = incident.report.summary;
  settled.persons = incident.report.persons;
  settled.grade = incident.grade;
  settled.settled_at = incident.updated_at;
  for (const auto& entry : incident.timeline) {
    if (entry.event == "settled") settled.settled_at = entry.at;
  }
  return settled;
}

}  // namespace

IncidentsModule::IncidentsModule(ModuleContext& context, dispatch::DispatchConfig config,
                                 core::visits::Rounding rounding)
    : context_(context), config_(std::move(config)), rounding_(rounding) {}

std::vector<storage::Migration> IncidentsModule::Migrations() const {
  return store::DispatchMigrations();
}

Status IncidentsModule::Load(storage::Database& db) {
  db_ = &db;
  // Two local days back: the oldest day the daily summary's timer counts
  // (the day before the latest one due, after downtime), as the ledger.
  const TimeZone& zone = context_.org().time_zone();
  held_since_ = zone.StartOf(zone.DayOf(context_.clock().Now()) - 2);
  // Without the stored timelines (but for settled incidents): views read
  // them by key (FullView). Quiescent open incidents stay in the store, and
  // so do those that only wait (for a team, or on the deadline watch):
  // the core keeps their timers and retries (parked).
  auto parked = std::make_shared<ParkedIncidents>();
  std::vector<dispatch::DispatchModule::ParkedWork> work;
  auto leave = [&](const dispatch::Incident& incident) {
    if (dispatch::Quiescent(incident)) {
      parked->push_back(ParkedRecord(incident));
      return true;
    }
    auto waiting = dispatch::DispatchModule::WorkOf(config_, incident);
    if (!waiting) return false;
    parked->push_back(ParkedRecord(incident));
    work.push_back(std::move(*waiting));
    return true;
  };
  ANDING_ASSIGN_OR_RETURN(
      auto open,
      store::LoadOpenDispatch(db, held_since_, store::LoadedTimelines::kReleased, leave));
  parked->shrink_to_fit();
  left_in_store_ = !parked->empty();
  parked_ = std::move(parked);
  generations_.clear();
  ANDING_ASSIGN_OR_RETURN(incidents_, dispatch::DispatchModule::Restore(config_, context_.org(),
                                                                        std::move(open.snapshot)));
  incidents_->ReserveSequencesUpTo(open.last_sequence);
  incidents_->ReadParkedFrom(
      [&db](uint64_t sequence) { return store::FindStoredIncidentBySequence(db, sequence); });
  incidents_->AddParked(std::move(work));
  next_sweep_ = Time{};
  breaches_since_load_ = 0;
  breaches_at_load_ = 0;
  for (const ParkedIncident& kept : *parked_) breaches_at_load_ += kept.breaches;
  dispatch::IncidentFilter all;
  all.limit = 0;
  for (const dispatch::Incident* incident : incidents_->ListIncidents(all)) {
    for (const dispatch::Response& response : incident->responses) {
      if (response.breach_at) ++breaches_at_load_;
    }
  }
  return OkStatus();
}

Result<v1::IncidentView> IncidentsModule::FullView(const dispatch::Incident& incident) const {
  if (incident.timeline_stored == 0) return IncidentToProto(incident, true);
  dispatch::Incident whole = incident;
  ANDING_RETURN_IF_ERROR(store::CompleteTimeline(*db_, whole));
  return IncidentToProto(whole, true);
}

Status IncidentsModule::Recall(const std::string& id) {
  if (id.empty() || incidents_->FindIncident(id) != nullptr) return OkStatus();
  ANDING_ASSIGN_OR_RETURN(auto stored, store::FindStoredIncident(*db_, id));
  if (!stored) return OkStatus();
  return TakeBack(std::move(*stored));
}

Status IncidentsModule::RecallRequest(const std::string& request_id) {
  if (request_id.empty()) return OkStatus();
  ANDING_ASSIGN_OR_RETURN(auto stored, store::FindStoredIncidentByRequest(*db_, request_id));
  if (!stored || incidents_->FindIncident(stored->id) != nullptr) return OkStatus();
  return TakeBack(std::move(*stored));
}

Status IncidentsModule::TakeBack(dispatch::Incident stored) {
  const uint64_t sequence = stored.sequence;
  ANDING_RETURN_IF_ERROR(incidents_->Recall(std::move(stored)));
  if (IsParked(*parked_, sequence)) UpdateParked({sequence});
  return OkStatus();
}

void IncidentsModule::LetGo(const std::string& id, uint64_t generation) {
  auto latest = generations_.find(id);
  if (latest == generations_.end() || latest->second != generation) return;  // changed since
  generations_.erase(latest);
  Park(id);
}

void IncidentsModule::Park(const std::string& id) {
  const dispatch::Incident* incident = incidents_->FindIncident(id);
  if (incident == nullptr) return;
  const bool open = !dispatch::IsFinal(incident->state);
  const ParkedIncident kept = ParkedRecord(*incident);
  if (!incidents_->Release(id).ok()) return;  // holds a team: held
  left_in_store_ = true;
  if (open) to_park_.push_back(kept);
}

void IncidentsModule::UpdateParked(const std::set<uint64_t>& held) {
  if (to_park_.empty() && held.empty()) return;
  // One new list for the whole batch (a list on the query thread may hold
  // the old one): those parked now replace their earlier entries, those
  // held again leave it.
  std::sort(to_park_.begin(), to_park_.end(), [](const ParkedIncident& a, const ParkedIncident& b) {
    return a.sequence < b.sequence;
  });
  auto parked = std::make_shared<ParkedIncidents>();
  parked->reserve(parked_->size() + to_park_.size());
  auto added = to_park_.begin();
  for (const ParkedIncident& entry : *parked_) {
    while (added != to_park_.end() && added->sequence < entry.sequence) parked->push_back(*added++);
    if (added != to_park_.end() && added->sequence == entry.sequence) continue;  // replaced
    if (!held.contains(entry.sequence)) parked->push_back(entry);
  }
  parked->insert(parked->end(), added, to_park_.end());
  to_park_.clear();
  parked_ = std::move(parked);
}

void IncidentsModule::SweepHeld(Time now) {
  // What a command recalled and left as it was, or a timer read back
  // without changing: held no more once nothing of it is in flight.
  if (now < next_sweep_) return;
  next_sweep_ = now + std::chrono::hours(1);
  dispatch::IncidentFilter open;
  open.open_only = true;
  open.limit = 0;
  std::vector<std::string> idle;
  for (const dispatch::Incident* incident : incidents_->ListIncidents(open)) {
    if (dispatch::HoldsNothing(*incident) && !generations_.contains(incident->id)) {
      idle.push_back(incident->id);
    }
  }
  for (const std::string& id : idle) Park(id);
  UpdateParked({});
}

IncidentsModule::IncidentsJob IncidentsModule::IncidentsReportedIn(
    std::optional<Time> since, std::optional<Time> before) const {
  dispatch::IncidentFilter filter;
  filter.reported_since = since;
  filter.reported_before = before;
  filter.limit = 0;
  std::vector<dispatch::Incident> held;
  for (const dispatch::Incident* incident : incidents_->ListIncidents(filter)) {
    held.push_back(*incident);
  }
  const bool only_held = since && *since >= held_since_ && !left_in_store_;
  if (before && *before <= held_since_) {
    // Only closed incidents are left out: ask the store for those.
    filter.states = {dispatch::IncidentState::kClosed, dispatch::IncidentState::kCancelled};
  }
  return [held = std::move(held), filter,
          only_held](storage::Database& db) -> Result<std::vector<dispatch::Incident>> {
    std::vector<dispatch::Incident> incidents = held;
    if (only_held) return incidents;
    std::set<std::string, std::less<>> ids;
    for (const dispatch::Incident& incident : held) ids.insert(incident.id);
    ANDING_ASSIGN_OR_RETURN(auto stored, store::LoadIncidents(db, filter));
    for (auto& incident : stored) {
      if (!ids.contains(incident.id)) incidents.push_back(std::move(incident));
    }
    return incidents;
  };
}

std::vector<v1::Envelope::PayloadCase> IncidentsModule::Payloads() const {
  return {v1::Envelope::kIncidentReport, v1::Envelope::kIncidentStatus};
}

std::vector<v1::OperatorRequest::RequestCase> IncidentsModule::Requests() const {
  using R = v1::OperatorRequest;
  return {
      R::kReportIncident, R::kUpdateIncidentStatus, R::kConfirmAssignment, R::kOverrideAssignment,
      R::kReassign,       R::kSetAvailability,      R::kListIncidents,     R::kShowIncident,
      R::kListTeams,      R::kCancelIncident,       R::kResponseStats};
}

Status IncidentsModule::Record(const core::Effects& out, Time) {
  for (const core::HqAlert& alert : out.alerts) {
    if (alert.kind == "deadline_breach") ++breaches_since_load_;
  }
  if (out.changed.empty()) return OkStatus();
  ANDING_ASSIGN_OR_RETURN(auto changes, incidents_->Changes(out.changed));
  if (changes.empty()) return OkStatus();
  // What this change leaves holding nothing is let go of (or parked) once
  // it is stored, unless changed again by then. A parked one the core read
  // back to change it is held again.
  std::set<uint64_t> held_again;
  bool letting_go = false;
  for (const dispatch::Incident& incident : changes.incidents) {
    const uint64_t generation = ++last_generation_;
    generations_[incident.id] = generation;
    if (IsParked(*parked_, incident.sequence)) held_again.insert(incident.sequence);
    if (dispatch::IsFinal(incident.state) || dispatch::HoldsNothing(incident)) {
      context_.AfterCommit([this, id = incident.id, generation] { LetGo(id, generation); });
      letting_go = true;
    }
  }
  UpdateParked(held_again);
  if (letting_go) context_.AfterCommit([this] { UpdateParked({}); });
  context_.Write([changes = std::move(changes)](storage::Database& db) {
    return store::SaveDispatchChanges(db, changes);
  });
  return OkStatus();
}

Result<core::ledger::IncidentCounts> IncidentsModule::IncidentsOn(CivilDay day) const {
  core::ledger::IncidentCounts counts;
  // A day's incidents: few, read here.
  ANDING_ASSIGN_OR_RETURN(const auto incidents,
                          IncidentsReportedIn(context_.org().time_zone().StartOf(day),
                                              context_.org().time_zone().StartOf(day + 1))(*db_));
  for (const dispatch::Incident& incident : incidents) {
    for (const auto& response : incident.responses) ++counts[response.unit_id];
  }
  return counts;
}

Status IncidentsModule::RecordArrival(const std::string& incident_id, const std::string& unit_id,
                                      const core::Actor& who, const std::string& reported_by,
                                      Time now, core::Effects& out) {
  ANDING_RETURN_IF_ERROR(Recall(incident_id));
  dispatch::StatusUpdateRequest update;
  update.incident_id = incident_id;
  update.step = dispatch::IncidentStep::kArrived;
  update.unit_id = unit_id;
  update.at = now;
  update.reported_by = reported_by;
  return incidents_->UpdateStatus(update, who, now, out);
}

ReportedIncidentsJob IncidentsModule::IncidentsReported(std::optional<Time> since,
                                                        std::optional<Time> before) const {
  return [read = IncidentsReportedIn(since, before)](
             storage::Database& db) -> Result<std::vector<ReportedIncident>> {
    ANDING_ASSIGN_OR_RETURN(const auto reported, read(db));
    std::vector<ReportedIncident> incidents;
    for (const dispatch::Incident& incident : reported) {
      incidents.push_back({incident.id, incident.report.category_id});
    }
    return incidents;
  };
}

Result<IncidentsModule::ResponseStatsJob> IncidentsModule::ResponseStatsOf(
    const v1::ResponseStatsRequest& request) const {
  const TimeZone& zone = context_.org().time_zone();
  ANDING_ASSIGN_OR_RETURN(const DayRange range,
                          ParseDayRange("response_stats", request.from_day(), request.to_day()));
  ANDING_ASSIGN_OR_RETURN(const auto language,
                          ParseLanguageField("response_stats", request.language()));
  IncidentsJob read = IncidentsReportedIn(
      range.from ? std::optional<Time>(zone.StartOf(*range.from)) : std::nullopt,
      range.to ? std::optional<Time>(zone.StartOf(*range.to + 1)) : std::nullopt);
  return ResponseStatsJob(
      [read = std::move(read), request, range, language, rounding = rounding_,
       &org = context_.org()](storage::Database& db) -> Result<ResponseStatsAnswer> {
        ANDING_ASSIGN_OR_RETURN(const auto read_incidents, read(db));
        // The core's order: newest first.
        std::vector<const dispatch::Incident*> incidents;
        for (const dispatch::Incident& incident : read_incidents) incidents.push_back(&incident);
        std::sort(incidents.begin(), incidents.end(),
                  [](const dispatch::Incident* a, const dispatch::Incident* b) {
                    return a->sequence > b->sequence;
                  });
        const dispatch::ResponseStats stats =
            dispatch::ComputeResponseStats(incidents, request.by_rule(), rounding);
        auto fill = [](const dispatch::ResponseStatsRow& row, v1::ResponseStatsRowView& view) {
          view.set_unit_id(row.unit_id);
          view.set_rule_id(row.rule_id);
          view.set_responses(row.responses);
          view.set_arrivals(row.arrivals);
          view.set_decided(row.decided);
          view.set_met(row.met);
          *view.mutable_met_share() = PercentToProto(row.met_hundredths);
          view.set_median_seconds(row.median ? WholeSeconds(*row.median) : 0);
          view.set_worst_seconds(row.worst ? WholeSeconds(*row.worst) : 0);
        };
        ResponseStatsAnswer answer;
        answer.view.set_from_day(request.from_day());
        answer.view.set_to_day(request.to_day());
        answer.view.set_rounding(std::string(core::visits::RoundingName(rounding)));
        for (const auto& row : stats.rows) fill(row, *answer.view.add_rows());
        fill(stats.total, *answer.view.mutable_total());
        answer.table = dispatch::ResponseStatsTable(
            stats,
            StrCat(range.from ? FormatDay(*range.from) : "…", "..",
                   range.to ? FormatDay(*range.to) : "…"),
            request.by_rule(), rounding, language, [&org](std::string_view unit_id) {
              const core::Unit* unit = org.FindUnit(unit_id);
              return unit == nullptr ? std::string() : unit->name;
            });
        return answer;
      });
}

Result<YearlyReportJob> IncidentsModule::YearlyReportPartFor(const YearlyReportScope& scope) const {
  ANDING_ASSIGN_OR_RETURN(ResponseStatsJob job,
                          ResponseStatsOf(YearlyRequest<v1::ResponseStatsRequest>(scope)));
  return YearlyReportJob([job = std::move(job)](storage::Database& db, v1::YearlyReportView& view,
                                                std::vector<core::visits::StatsTable>& tables) {
    ANDING_ASSIGN_OR_RETURN(ResponseStatsAnswer answer, job(db));
    *view.mutable_responses() = std::move(answer.view);
    tables.push_back(std::move(answer.table));
    return OkStatus();
  });
}

Status IncidentsModule::CheckCloseGate(const dispatch::StatusUpdateRequest& update) const {
  if (update.step != dispatch::IncidentStep::kClosed) return OkStatus();
  const dispatch::Incident* incident = incidents_->FindIncident(update.incident_id);
  // Only an incident in aftermath can close; the core names the illegal step.
  if (incident == nullptr || incident->state != dispatch::IncidentState::kAftermath) {
    return OkStatus();
  }
  const IncidentCloseGate* gate = context_.Find<IncidentCloseGate>();
  return gate == nullptr ? OkStatus() : gate->MayClose(update.incident_id);
}

Result<std::optional<core::IncidentSettled>> IncidentsModule::SettlementOf(
    const std::string& incident_id) const {
  if (const dispatch::Incident* incident = incidents_->FindIncident(incident_id)) {
    return Settlement(*incident);
  }
  // Closed (no settlement to give), unknown, or parked: as stored.
  if (!left_in_store_) return std::optional<core::IncidentSettled>();
  ANDING_ASSIGN_OR_RETURN(auto stored, store::FindStoredIncident(*db_, incident_id));
  if (!stored) return std::optional<core::IncidentSettled>();
  return Settlement(*stored);
}

Result<std::string> IncidentsModule::Apply(const AgentInput& input, core::Effects& out) {
  dispatch::DispatchModule& module = *incidents_;
  const core::Actor who = core::Actor::Agent(input.unit_id);
  const v1::Envelope& envelope = input.envelope;
  const Time now = input.now;
  std::string record_id;
  if (envelope.has_incident_report()) {
    dispatch::ReportIncidentRequest request;
    ANDING_ASSIGN_OR_RETURN(request.report, ReportFromProto(envelope.incident_report()));
    // Deadlines count from when the unit reported it, even if its agent
    // was offline and delivers it later.
    request.reported_at = std::min(wire::FromProto(envelope.sent_at()), now);
    request.request_id = envelope.message_id();
    ANDING_RETURN_IF_ERROR(RecallRequest(request.request_id));
    ANDING_ASSIGN_OR_RETURN(record_id, module.ReportIncident(request, who, now, out));
  } else {
    ANDING_ASSIGN_OR_RETURN(auto request, StatusFromProto(envelope.incident_status(), ""));
    ANDING_RETURN_IF_ERROR(Recall(request.incident_id));
    ANDING_RETURN_IF_ERROR(CheckCloseGate(request));
    ANDING_RETURN_IF_ERROR(module.UpdateStatus(request, who, now, out));
    record_id = request.incident_id;
  }
  return record_id;
}

void IncidentsModule::Collect(MetricsWriter& out) const {
  if (!incidents_) return;
  std::map<dispatch::IncidentState, uint64_t> open_by_state;
  uint64_t held = 0;
  uint64_t breached_waiting = 0;
  dispatch::IncidentFilter all;
  all.limit = 0;
  for (const dispatch::Incident* incident : incidents_->ListIncidents(all)) {
    ++held;
    if (dispatch::IsFinal(incident->state)) continue;
    ++open_by_state[incident->state];
    for (const dispatch::Response& response : incident->responses) {
      if (response.breach_at && !response.arrived_at) ++breached_waiting;
    }
  }
  for (const ParkedIncident& parked : *parked_) {
    ++open_by_state[parked.state];
    breached_waiting += parked.breached_waiting;
  }
  for (const auto& [state, count] : open_by_state) {
    out.Gauge("anding_incidents_open", "Incidents not closed, by state", static_cast<double>(count),
              {{"state", std::string(dispatch::IncidentStateName(state))}});
  }
  if (open_by_state.empty())
    out.Gauge("anding_incidents_open", "Incidents not closed, by state", 0);
  out.Gauge("anding_incidents_held",
            "Incidents the dispatcher holds in memory: those it works on, and those changed or "
            "named and not yet let go of",
            static_cast<double>(held));
  out.Gauge("anding_incidents_parked",
            "Open incidents left in the store until a command names them (settled, in aftermath, "
            "or holding nothing and watched for nothing)",
            static_cast<double>(parked_->size()));
  out.Counter("anding_deadline_breaches_total",
              "Arrival deadlines breached: those of the incidents held or parked at the start, "
              "and every one since",
              static_cast<double>(breaches_at_load_ + breaches_since_load_));
  out.Gauge("anding_deadline_breached_waiting",
            "Responding units of open incidents past their deadline and not yet on the scene",
            static_cast<double>(breached_waiting));
}

}  // namespace anding::dispatcher

// DispatchModule: queries, the snapshot the repository saves, and Restore.
#include <algorithm>
#include <iterator>

#include "anding/common/strings.h"
#include "anding/core/dispatch/dispatch_module.h"
#include "proposer.h"
#include "resource_pool.h"

namespace anding::core::dispatch {
namespace {

Status DataLoss(std::string message) { return Status(StatusCode::kDataLoss, std::move(message)); }

}  // namespace

const Incident* DispatchModule::FindIncident(std::string_view id) const {
  auto it = incidents_.find(id);
  return it == incidents_.end() ? nullptr : &it->second;
}

std::vector<const Incident*> DispatchModule::ListIncidents(const IncidentFilter& filter) const {
  std::vector<const Incident*> found;
  auto consider = [&](const Incident& incident) {
    if (!filter.states.empty() && std::find(filter.states.begin(), filter.states.end(),
                                            incident.state) == filter.states.end()) {
      return;
    }
    if (filter.open_only && IsFinal(incident.state)) return;
    if (!filter.region_id.empty() && incident.report.place.region_id != filter.region_id) return;
    if (!filter.unit_id.empty() && FindResponse(incident, filter.unit_id) == nullptr) return;
    if (filter.type && incident.report.type != *filter.type) return;
    if (filter.reported_since && incident.reported_at < *filter.reported_since) return;
    if (filter.reported_before && incident.reported_at >= *filter.reported_before) return;
    found.push_back(&incident);
  };
  auto wanted = [&](IncidentState state) {
    return std::find(filter.states.begin(), filter.states.end(), state) != filter.states.end();
  };
  const bool closed_wanted =
      !filter.open_only && (filter.states.empty() || wanted(IncidentState::kClosed) ||
                            wanted(IncidentState::kCancelled));
  if (closed_wanted) {
    auto first = filter.before_sequence
                     ? std::make_reverse_iterator(by_sequence_.lower_bound(*filter.before_sequence))
                     : by_sequence_.rbegin();
    for (auto it = first; it != by_sequence_.rend(); ++it) {
      if (filter.limit != 0 && found.size() >= filter.limit) break;
      consider(*it->second);
    }
  } else {
    // Open incidents only: walk the open index, not the whole history.
    auto first = filter.before_sequence
                     ? std::make_reverse_iterator(open_.lower_bound(*filter.before_sequence))
                     : open_.rbegin();
    for (auto it = first; it != open_.rend(); ++it) {
      if (filter.limit != 0 && found.size() >= filter.limit) break;
      consider(*by_sequence_.at(*it));
    }
  }
  return found;
}

namespace {

std::optional<HoldView> ViewOf(const std::map<std::string, Incident, std::less<>>& incidents,
                               const std::optional<Hold>& hold) {
  if (!hold) return std::nullopt;
  HoldView view{hold->incident_id, hold->unit_id, hold->assignment_number,
                AssignmentState::kProposed};
  if (auto it = incidents.find(hold->incident_id); it != incidents.end()) {
    const auto& assignments = it->second.assignments;
    if (hold->assignment_number >= 1 && hold->assignment_number <= assignments.size()) {
      view.state = assignments[hold->assignment_number - 1].state;
    }
  }
  return view;
}

}  // namespace

std::vector<TeamView> DispatchModule::Teams(std::string_view unit_id) const {
  std::vector<TeamView> views;
  for (const auto& team : pool_->teams()) {
    if (!unit_id.empty() && team.config->home_unit_id != unit_id) continue;
    TeamView view;
    view.id = team.config->id;
    view.name = team.config->name;
    view.home_unit_id = team.config->home_unit_id;
    view.on_duty = team.on_duty;
    view.mobilisation = team.mobilisation;
    view.assignment = ViewOf(incidents_, team.hold);
    view.members.reserve(team.members.size());
    for (uint32_t m : team.members) {
      const auto& member = pool_->members()[m];
      view.members.push_back(MemberView{member.config->id, member.config->team_id,
                                        member.config->role, member.config->person, member.on_duty,
                                        ViewOf(incidents_, member.hold)});
    }
    views.push_back(std::move(view));
  }
  return views;
}

std::vector<VehicleView> DispatchModule::Vehicles(std::string_view unit_id) const {
  std::vector<VehicleView> views;
  for (const auto& vehicle : pool_->vehicles()) {
    if (!unit_id.empty() && vehicle.config->home_unit_id != unit_id) continue;
    views.push_back(VehicleView{vehicle.config->id, vehicle.config->name, vehicle.config->plate,
                                vehicle.config->home_unit_id, vehicle.config->seats,
                                vehicle.available, ViewOf(incidents_, vehicle.hold)});
  }
  return views;
}

const ResourceStatus* DispatchModule::FindResourceStatus(ResourceKind kind,
                                                         std::string_view id) const {
  auto it = resource_status_.find(std::make_pair(kind, std::string(id)));
  return it == resource_status_.end() ? nullptr : &it->second;
}

std::optional<IdCounter> DispatchModule::FindIdCounter(std::string_view day) const {
  auto it = day_counters_.find(day);
  if (it == day_counters_.end()) return std::nullopt;
  return IdCounter{it->first, it->second};
}

DispatchSnapshot DispatchModule::Snapshot() const {
  DispatchSnapshot snapshot;
  snapshot.incidents.reserve(incidents_.size());
  for (const auto& [sequence, incident] : by_sequence_) snapshot.incidents.push_back(*incident);
  for (const auto& [key, status] : resource_status_) snapshot.resources.push_back(status);
  for (const auto& [day, last] : day_counters_)
    snapshot.id_counters.push_back(IdCounter{day, last});
  return snapshot;
}

Result<std::unique_ptr<DispatchModule>> DispatchModule::Restore(DispatchConfig config,
                                                                const Organisation& org,
                                                                DispatchSnapshot snapshot) {
  auto module = std::make_unique<DispatchModule>(std::move(config), org);
  for (auto& status : snapshot.resources) {
    const uint32_t index = module->pool_->Index(status.kind, status.id);
    // A resource removed from the configuration keeps its record but does nothing.
    if (index != kNoIndex) module->pool_->SetAvailable(status.kind, index, status.available);
    auto key = std::make_pair(status.kind, status.id);
    module->resource_status_[std::move(key)] = std::move(status);
  }
  for (const auto& counter : snapshot.id_counters) {
    module->day_counters_[counter.day] = counter.last;
  }
  std::sort(snapshot.incidents.begin(), snapshot.incidents.end(),
            [](const Incident& a, const Incident& b) { return a.sequence < b.sequence; });
  for (auto& loaded : snapshot.incidents) {
    if (loaded.sequence == 0 || module->by_sequence_.count(loaded.sequence) != 0) {
      return DataLoss(
          StrCat("incident ", loaded.id, " has a missing or repeated sequence ", loaded.sequence));
    }
    if (module->incidents_.count(loaded.id) != 0) {
      return DataLoss(StrCat("incident id ", loaded.id, " appears twice"));
    }
    Incident& incident = module->HoldIncident(std::move(loaded));
    for (const auto& assignment : incident.assignments) {
      if (assignment.state != AssignmentState::kProposed &&
          assignment.state != AssignmentState::kConfirmed) {
        continue;
      }
      if (!module->TryHoldResources(incident, assignment)) {
        return DataLoss(StrCat(incident.id, " assignment #", assignment.number,
                               " uses a team, member or vehicle held by another incident"));
      }
    }
    module->RefreshIncident(incident);
  }
  return module;
}

void DispatchModule::ReserveSequencesUpTo(uint64_t stored_last) {
  last_sequence_ = std::max(last_sequence_, stored_last);
}

Status DispatchModule::Recall(Incident incident) {
  const bool parked = IsParked(incident.sequence);
  if (!IsFinal(incident.state) && !Quiescent(incident) && !parked) {
    return FailedPreconditionError(
        StrCat("incident ", incident.id, " is open and worked on, but not held"));
  }
  if (incidents_.count(incident.id) != 0 || by_sequence_.count(incident.sequence) != 0) {
    return FailedPreconditionError(StrCat("incident ", incident.id, " is held already"));
  }
  ForgetParked(incident.sequence);
  Incident& held = HoldIncident(std::move(incident));
  // A parked one's watch and pending entries, as the incident says.
  if (parked) RefreshIncident(held);
  return OkStatus();
}

Status DispatchModule::Release(std::string_view id) {
  auto it = incidents_.find(id);
  if (it == incidents_.end()) return NotFoundError(StrCat("incident ", id, " is not held"));
  const Incident& incident = it->second;
  std::optional<ParkedWork> work;
  if (!IsFinal(incident.state) && !Quiescent(incident)) {
    if (source_) work = WorkOf(*config_, incident);
    if (!work) return FailedPreconditionError(StrCat("incident ", id, " is worked on"));
  }
  if (auto request = id_by_request_.find(incident.request_id);
      request != id_by_request_.end() && request->second == incident.id) {
    id_by_request_.erase(request);
  }
  if (work) {
    // Parked: its watch and pending entries stay; the retries' questions
    // are kept beside them.
    KeepRetries(std::move(*work));
  } else {
    // A quiescent incident has no watch or pending entries; the final ones
    // lost theirs when they settled or were cancelled. Made sure of here.
    for (size_t index = 0; index < incident.responses.size(); ++index) {
      const auto key = std::make_pair(incident.sequence, index);
      if (auto due = watch_due_.find(key); due != watch_due_.end()) {
        watch_.erase(WatchKey{due->second, incident.sequence, index});
        watch_due_.erase(due);
      }
      pending_.erase(key);
    }
  }
  open_.erase(incident.sequence);
  by_sequence_.erase(incident.sequence);
  incidents_.erase(it);
  return OkStatus();
}

std::optional<DispatchModule::ParkedWork> DispatchModule::WorkOf(const DispatchConfig& config,
                                                                 const Incident& incident) {
  if (!HoldsNothing(incident)) return std::nullopt;
  ParkedWork work;
  work.sequence = incident.sequence;
  for (size_t index = 0; index < incident.responses.size(); ++index) {
    const Response& response = incident.responses[index];
    ParkedWork::Waiting waiting;
    waiting.response = static_cast<uint32_t>(index);
    waiting.watch_due = WatchDue(config, incident, response);
    waiting.waiting_for_team = WaitingForTeam(incident, response);
    if (!waiting.watch_due && !waiting.waiting_for_team) continue;
    if (waiting.waiting_for_team) {
      waiting.unit_id = response.unit_id;
      waiting.region_id = incident.report.place.region_id;
      waiting.persons = incident.report.persons;
      waiting.deadline = response.deadline->at;
      waiting.excluded_team_ids = response.excluded_team_ids;
    }
    work.responses.push_back(std::move(waiting));
  }
  if (work.responses.empty()) return std::nullopt;  // quiescent: nothing to keep
  return work;
}

void DispatchModule::AddParked(std::vector<ParkedWork> work) {
  for (ParkedWork& incident : work) {
    if (by_sequence_.contains(incident.sequence)) continue;  // held: its own entries
    last_sequence_ = std::max(last_sequence_, incident.sequence);
    for (const ParkedWork::Waiting& waiting : incident.responses) {
      const auto key = std::make_pair(incident.sequence, size_t{waiting.response});
      if (waiting.watch_due) {
        watch_.insert(WatchKey{*waiting.watch_due, incident.sequence, waiting.response});
        watch_due_[key] = *waiting.watch_due;
      }
      if (waiting.waiting_for_team) pending_.insert(key);
    }
    KeepRetries(std::move(incident));
  }
}

void DispatchModule::KeepRetries(ParkedWork work) {
  parked_.insert(work.sequence);
  for (ParkedWork::Waiting& waiting : work.responses) {
    if (!waiting.waiting_for_team) continue;
    ParkedRetry retry;
    retry.unit_id = &texts_.Intern(waiting.unit_id.str()).str();
    retry.region_id = &texts_.Intern(waiting.region_id.str()).str();
    retry.persons = waiting.persons;
    retry.deadline = waiting.deadline;
    if (!waiting.excluded_team_ids.empty()) {
      retry.excluded_team_ids =
          std::make_unique<const std::vector<std::string>>(std::move(waiting.excluded_team_ids));
    }
    parked_retries_.insert_or_assign(PendingKey{work.sequence, waiting.response}, std::move(retry));
  }
}

void DispatchModule::ForgetParked(uint64_t sequence) {
  if (parked_.erase(sequence) == 0) return;
  parked_retries_.erase(parked_retries_.lower_bound(PendingKey{sequence, 0}),
                        parked_retries_.lower_bound(PendingKey{sequence + 1, 0}));
}

}  // namespace anding::core::dispatch

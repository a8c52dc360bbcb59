// DispatchModule: construction and the shared machinery of proposing,
// holding, confirming and releasing. Intake is in dispatch_intake.cc, status
// updates and HQ commands in dispatch_commands.cc, the deadline watch in
// dispatch_watch.cc, queries and restore in dispatch_queries.cc.
#include "anding/core/dispatch/dispatch_module.h"

#include <algorithm>
#include <set>

#include "anding/common/strings.h"
#include "anding/core/dispatch/rules.h"
#include "invariant.h"
#include "proposer.h"
#include "resource_pool.h"
#include "texts.h"

namespace anding::core::dispatch {

DispatchModule::DispatchModule(DispatchConfig config, const Organisation& org)
    : config_(std::make_unique<const DispatchConfig>(std::move(config))),
      org_(org),
      pool_(std::make_unique<ResourcePool>(*config_, org_)),
      proposer_(std::make_unique<Proposer>(*config_, org_, *pool_)) {}

DispatchModule::~DispatchModule() = default;
DispatchModule::DispatchModule(DispatchModule&&) noexcept = default;

std::string DispatchModule::Local(Time t) const { return texts::Local(org_, t); }

Incident& DispatchModule::MutableIncident(std::string_view id) {
  auto it = incidents_.find(id);
  if (it == incidents_.end()) Die(StrCat("incident ", id, " vanished"));
  return it->second;
}

Incident* DispatchModule::IncidentBySequence(uint64_t sequence) {
  auto it = by_sequence_.find(sequence);
  if (it != by_sequence_.end()) return it->second;
  return IsParked(sequence) ? Unpark(sequence) : nullptr;
}

Incident& DispatchModule::HoldIncident(Incident incident) {
  const std::string id = incident.id;
  if (!incident.request_id.empty()) id_by_request_[incident.request_id] = id;
  last_sequence_ = std::max(last_sequence_, incident.sequence);
  Incident& held = incidents_.emplace(id, std::move(incident)).first->second;
  ShareTexts(held);
  by_sequence_[held.sequence] = &held;
  if (!IsFinal(held.state)) open_.insert(held.sequence);
  return held;
}

Incident* DispatchModule::Unpark(uint64_t sequence) {
  if (!source_) return nullptr;
  Result<std::optional<Incident>> stored = source_(sequence);
  if (!stored.ok() || !stored->has_value() || (*stored)->sequence != sequence ||
      incidents_.contains((*stored)->id)) {
    return nullptr;
  }
  ForgetParked(sequence);
  Incident& held = HoldIncident(std::move(**stored));
  RefreshIncident(held);
  return &held;
}

void DispatchModule::Touch(Incident& incident, Time now, Effects& out) {
  incident.updated_at = now;
  const RecordRef ref{std::string(kIncidentRecord), incident.id};
  if (std::find(out.changed.begin(), out.changed.end(), ref) == out.changed.end()) {
    out.changed.push_back(ref);
  }
}

void DispatchModule::AddTimeline(Incident& incident, Time at, Time now, const Actor& who,
                                 std::string_view event, std::string_view unit_id,
                                 std::string text) {
  incident.timeline.push_back(
      TimelineEntry{at, now, who, std::string(event), std::string(unit_id), std::move(text)});
}

void DispatchModule::ShareTexts(Incident& incident) {
  for (auto& response : incident.responses) {
    if (response.deadline)
      response.deadline->rule_text = texts_.Intern(response.deadline->rule_text);
  }
}

std::string DispatchModule::NextIncidentId(Time now, Effects& out) {
  const std::string day = org_.time_zone().FormatLocal(now, "%Y%m%d");
  uint32_t& counter = day_counters_[day];
  std::string id;
  do {
    ++counter;
    id = fmt::format("INC-{}-{:03d}", day, counter);
  } while (incidents_.count(id) != 0);
  out.changed.push_back(RecordRef{std::string(kIdCounterRecord), day});
  return id;
}

// ---- proposing, holding, confirming ----

bool DispatchModule::ProposeFor(Incident& incident, size_t index, Time now, Effects& out,
                                bool own_teams_only) {
  Response& response = incident.responses[index];
  Proposer::Request request;
  request.unit_id = response.unit_id;
  request.region_id = incident.report.place.region_id;
  request.persons = incident.report.persons;
  request.now = now;
  request.deadline = response.deadline->at;
  request.excluded = &response.excluded_team_ids;
  request.own_teams_only = own_teams_only;
  Proposer::Outcome outcome = proposer_->Propose(request);

  if (!outcome.assignment && own_teams_only) return false;
  if (!outcome.assignment) {
    if (response.infeasible_since) return false;  // HQ already knows; nothing new
    response.infeasible_since = now;
    response.infeasible = std::move(outcome.explanation);
    const std::string& why = response.infeasible.reasons.front();
    AddTimeline(incident, now, now, Actor::System(), "no_feasible_assignment", response.unit_id,
                why);
    out.alerts.push_back(HqAlert{HqAlert::Severity::kCritical, "no_feasible_assignment",
                                 incident.id, response.unit_id, StrCat(incident.id, ": ", why)});
    out.notices.push_back(FeedNotice{std::string(kIncidentRecord), incident.id,
                                     "no_feasible_assignment", why, response.unit_id});
    RefreshPending(incident, index);
    return true;
  }

  response.infeasible_since.reset();
  response.infeasible = {};
  Assignment assignment = std::move(*outcome.assignment);
  assignment.number = static_cast<uint32_t>(incident.assignments.size() + 1);
  assignment.state = AssignmentState::kProposed;
  assignment.explanation = std::move(outcome.explanation);
  assignment.proposed_at = now;
  assignment.proposed_by = Actor::System();
  incident.assignments.push_back(std::move(assignment));
  Assignment& stored = incident.assignments.back();
  HoldResources(incident, stored);
  const std::string line =
      StrCat("proposal #", stored.number, ": ", stored.team_id,
             stored.fallback ? StrCat(" of ", stored.team_unit_id, " (fallback)") : "", ", ",
             stored.members.size(), " people, ", stored.vehicle_ids.size(), " vehicle(s), arrival ",
             Local(stored.eta), stored.eta > response.deadline->at ? " (LATE)" : "");
  AddTimeline(incident, now, now, Actor::System(), "proposed", response.unit_id, line);
  out.notices.push_back(FeedNotice{std::string(kIncidentRecord), incident.id, "proposed",
                                   StrCat(incident.id, " ", response.unit_id, ": ", line),
                                   response.unit_id});
  if (config_->auto_confirm) {
    ConfirmAssignment(incident, stored, Actor::System(), now, out, "confirmed");
  } else {
    out.alerts.push_back(HqAlert{
        HqAlert::Severity::kInfo, "proposal", incident.id, response.unit_id,
        StrCat(incident.id, " ", response.unit_id, ": ", line, " — waiting for HQ to confirm")});
  }
  RefreshPending(incident, index);
  return true;
}

void DispatchModule::ConfirmAssignment(Incident& incident, Assignment& assignment, const Actor& who,
                                       Time now, Effects& out, std::string_view event) {
  assignment.state = AssignmentState::kConfirmed;
  assignment.confirmed_at = now;
  assignment.confirmed_by = who;
  if (incident.state == IncidentState::kReported) incident.state = IncidentState::kDispatched;
  AddTimeline(incident, now, now, who, event, assignment.unit_id,
              StrCat("assignment #", assignment.number, " confirmed: ", assignment.team_id,
                     " sent to ", incident.report.place.region_id));
  EmitDispatchEffects(incident, assignment, out);
}

void DispatchModule::EmitDispatchEffects(const Incident& incident, const Assignment& assignment,
                                         Effects& out) {
  const Response* response = FindResponse(incident, assignment.unit_id);
  const bool has_deadline = response != nullptr && response->deadline.has_value();
  const Time arrive_by = has_deadline ? response->deadline->at : assignment.eta;
  const std::string rule =
      has_deadline ? response->deadline->rule_text.str()
                   : StrCat("no rule covers ", assignment.unit_id,
                            ": arrive as soon as possible (estimated ", Local(assignment.eta), ")");

  DispatchDetails details;
  details.incident_id = incident.id;
  details.region_id = incident.report.place.region_id;
  details.address = incident.report.place.address;
  details.arrive_by = arrive_by;
  details.team_id = assignment.team_id;
  for (const auto& member : assignment.members) {
    details.members.push_back(
        AssignedPerson{member.member_id, member.person, std::string(RoleName(member.role))});
  }
  for (const auto& leader : assignment.accompanying_leaders) {
    details.members.push_back(AssignedPerson{"", leader, "leader"});
  }
  details.vehicle_ids = assignment.vehicle_ids;
  details.deadline_rule = rule;
  details.summary = incident.report.summary;
  details.persons = incident.report.persons;

  OrderRequest order;
  order.unit_id = assignment.unit_id;
  order.kind = OrderKind::kDispatch;
  order.title = StrCat("出警指令 ", incident.id);
  order.text = texts::DispatchOrderText(org_, incident, assignment, arrive_by, rule);
  order.reference_id = incident.id;
  if (has_deadline) order.respond_by = arrive_by;
  order.dispatch = details;
  out.orders.push_back(order);
  if (assignment.team_unit_id != assignment.unit_id) {
    order.unit_id = assignment.team_unit_id;  // the unit whose team goes
    out.orders.push_back(std::move(order));
  }

  out.notifications.push_back(
      NotificationRequest{texts::AssignmentRecipients(assignment), "dispatch_order",
                          texts::DispatchSmsText(org_, incident, arrive_by), incident.id});

  const Region* region = org_.FindRegion(incident.report.place.region_id);
  DispatchConfirmed confirmed;
  confirmed.incident_id = incident.id;
  confirmed.unit_id = assignment.unit_id;
  confirmed.destination_region = incident.report.place.region_id;
  confirmed.destination_kind = region != nullptr ? region->kind : RegionKind::kOther;
  confirmed.people =
      static_cast<uint32_t>(assignment.members.size() + assignment.accompanying_leaders.size());
  confirmed.vehicles = static_cast<uint32_t>(assignment.vehicle_ids.size());
  confirmed.distance_km = static_cast<double>(assignment.distance_m) / 1000.0;
  out.events.push_back(confirmed);

  out.notices.push_back(FeedNotice{
      std::string(kIncidentRecord), incident.id, "dispatched",
      StrCat(incident.id, " ", assignment.unit_id, ": ", assignment.team_id, " dispatched, ",
             assignment.members.size(), " people, arrive by ", Local(arrive_by)),
      assignment.unit_id});
}

void DispatchModule::EndAssignment(Incident& incident, Assignment& assignment,
                                   AssignmentState end_state, std::string_view reason,
                                   const Actor& who, Time now, Effects& out) {
  const bool was_confirmed = assignment.state == AssignmentState::kConfirmed;
  ReleaseResources(incident, assignment);
  assignment.state = end_state;
  assignment.ended_at = now;
  assignment.end_reason = std::string(reason);
  AddTimeline(incident, now, now, who, AssignmentStateName(end_state), assignment.unit_id,
              StrCat("assignment #", assignment.number, " (", assignment.team_id, ") ",
                     AssignmentStateName(end_state), ": ", reason));
  // Released teams come home on their own; superseded and withdrawn ones
  // were told to go and must be told to stand down.
  if (!was_confirmed || end_state == AssignmentState::kReleased) return;
  out.events.push_back(DispatchCancelled{incident.id, assignment.unit_id, std::string(reason)});
  // The team was told to go: tell it to stand down.
  OrderRequest order;
  order.unit_id = assignment.unit_id;
  order.kind = OrderKind::kNotice;
  order.title = StrCat("取消出警 ", incident.id);
  order.text = StrCat(incident.id, " 的出警指令（", assignment.team_id, "）已取消：", reason);
  order.reference_id = incident.id;
  out.orders.push_back(order);
  if (assignment.team_unit_id != assignment.unit_id) {
    order.unit_id = assignment.team_unit_id;
    out.orders.push_back(std::move(order));
  }
  out.notifications.push_back(NotificationRequest{
      texts::AssignmentRecipients(assignment), "dispatch_cancelled",
      StrCat("【安定】", incident.id, " 出警指令已取消，请待命。"), incident.id});
}

void DispatchModule::HoldResources(const Incident& incident, const Assignment& assignment) {
  if (!TryHoldResources(incident, assignment)) {
    Die(StrCat("a resource of ", incident.id, " assignment #", assignment.number,
               " is already held"));
  }
}

bool DispatchModule::TryHoldResources(const Incident& incident, const Assignment& assignment) {
  const Hold hold{incident.sequence, incident.id, assignment.unit_id, assignment.number};
  const uint32_t team = pool_->TeamIndex(assignment.team_id);
  std::vector<uint32_t> members, vehicles;
  if (team != kNoIndex && pool_->teams()[team].hold) return false;
  for (const auto& member : assignment.members) {
    const uint32_t m = pool_->MemberIndex(member.member_id);
    if (m == kNoIndex) continue;  // no longer configured
    if (pool_->members()[m].hold) return false;
    members.push_back(m);
  }
  for (const auto& id : assignment.vehicle_ids) {
    const uint32_t v = pool_->VehicleIndex(id);
    if (v == kNoIndex) continue;
    if (pool_->vehicles()[v].hold) return false;
    vehicles.push_back(v);
  }
  if (team != kNoIndex) pool_->teams()[team].hold = hold;
  for (uint32_t m : members) pool_->members()[m].hold = hold;
  for (uint32_t v : vehicles) pool_->vehicles()[v].hold = hold;
  // Proposals only take free leaders; a leader on two incidents can come
  // only from records written before leaders were held, and then the
  // earlier incident keeps them.
  for (const Person& leader : assignment.accompanying_leaders) {
    (void)pool_->HoldLeader(LeaderKey(assignment.unit_id, leader), hold);
  }
  return true;
}

void DispatchModule::ReleaseResources(const Incident& incident, const Assignment& assignment) {
  auto release = [&](std::optional<Hold>& hold) {
    if (hold && hold->sequence == incident.sequence && hold->unit_id == assignment.unit_id &&
        hold->assignment_number == assignment.number) {
      hold.reset();
    }
  };
  if (const uint32_t t = pool_->TeamIndex(assignment.team_id); t != kNoIndex) {
    release(pool_->teams()[t].hold);
  }
  for (const auto& member : assignment.members) {
    if (const uint32_t m = pool_->MemberIndex(member.member_id); m != kNoIndex) {
      release(pool_->members()[m].hold);
    }
  }
  for (const auto& id : assignment.vehicle_ids) {
    if (const uint32_t v = pool_->VehicleIndex(id); v != kNoIndex) {
      release(pool_->vehicles()[v].hold);
    }
  }
  const Hold hold{incident.sequence, incident.id, assignment.unit_id, assignment.number};
  for (const Person& leader : assignment.accompanying_leaders) {
    pool_->ReleaseLeader(LeaderKey(assignment.unit_id, leader), hold);
  }
}

void DispatchModule::RetryPending(Time now, Effects& out) {
  // Copy: ProposeFor edits pending_. A unit that is still without a team
  // keeps its record (and its first explanation) untouched.
  // A parked one is read back only when its dry run finds somebody.
  const std::vector<PendingKey> keys(pending_.begin(), pending_.end());
  for (const auto& [sequence, index] : keys) {
    Proposer::Request dry_run;
    dry_run.now = now;
    dry_run.explain = false;
    if (auto held = by_sequence_.find(sequence); held != by_sequence_.end()) {
      const Incident& incident = *held->second;
      const Response& response = incident.responses[index];
      dry_run.unit_id = response.unit_id;
      dry_run.region_id = incident.report.place.region_id;
      dry_run.persons = incident.report.persons;
      dry_run.deadline = response.deadline->at;
      dry_run.excluded = &response.excluded_team_ids;
    } else if (auto parked = parked_retries_.find(PendingKey{sequence, index});
               parked != parked_retries_.end()) {
      const ParkedRetry& retry = parked->second;
      dry_run.unit_id = *retry.unit_id;
      dry_run.region_id = *retry.region_id;
      dry_run.persons = retry.persons;
      dry_run.deadline = retry.deadline;
      dry_run.excluded = retry.excluded_team_ids.get();
    } else {
      continue;
    }
    if (!proposer_->Propose(dry_run).assignment) continue;  // still nobody
    Incident* incident = IncidentBySequence(sequence);
    if (incident == nullptr) continue;  // parked, not readable now: at the next chance
    if (ProposeFor(*incident, index, now, out)) Touch(*incident, now, out);
  }
}

}  // namespace anding::core::dispatch

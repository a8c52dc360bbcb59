// DispatchModule: the pure core of incident response. It owns
// the incidents, their per-unit arrival deadlines, the team and vehicle
// proposals and assignments, the lifecycle and the deadline watch. No
// sockets, SQL or clock reads: every command takes `now` and appends what
// must happen outside to an Effects.
//
// Commands come from agents' reports, HQ's requests and timers (the
// dispatcher's dispatch module, dispatcher/server/src/modules/dispatch/,
// maps the wire to them); what they change is taken with Changes() and
// stored with the command's input.
//
// Rules it keeps:
//  * Deadline per involved unit = reported_at + the first matching rule's
//    limit; arriving at the deadline instant is on time. No rule: no
//    deadline and an HqAlert "no_rule", never a default.
//  * A team, member, vehicle or accompanying unit leader is on at most one
//    incident at a time: it is held from the moment it is proposed until
//    the incident is settled or cancelled or the proposal is superseded.
//    A fallback team takes the responding unit's leaders who are free; the
//    explanation names those already on another incident.
//  * Proposals are deterministic: the responding unit's own teams first
//    (fastest first, ties by id), else the fastest other team that can make
//    it (the unit's configured leaders still go, if free), else "no feasible
//    assignment" to HQ at once. A deadline that has passed rules nobody
//    out: the fastest team goes, late (also to a unit still without a
//    team when its deadline is breached). A team can make it when it is on duty and
//    free, has the leaders, staff and drivers the sizing asks for, its
//    unit's free vehicles seat everyone, and mobilisation + travel ends by
//    the deadline.
//  * A proposed or confirmed team, chosen member or vehicle that becomes
//    unavailable before the unit arrives triggers a re-proposal; resources
//    becoming free (availability, settlement) retry units still without one.
//
// What it says to the outside (Effects):
//  * changed: RecordRef{"incident", id}, {"dispatch_resource", "team:<id>" |
//    "member:<id>" | "vehicle:<id>"}, {"dispatch_id_counter", "yyyymmdd"}.
//  * alerts (HqAlert::kind): "no_rule" (critical, once per uncovered unit),
//    "no_feasible_assignment" (critical, once until a team is found),
//    "proposal" (info: waiting for HQ), "reproposal" (a held resource
//    became unavailable), "override_needed" (the same, for a unit only an
//    override can serve), "deadline_warning", "deadline_breach".
//  * orders: kDispatch with DispatchDetails to the responding unit (and to
//    the unit whose team goes, if another), kNotice "stand down" when a
//    confirmed assignment is superseded.
//  * notifications (template_id): "dispatch_order", "dispatch_cancelled",
//    "deadline_warning", "deadline_breach"; texts are Chinese.
//  * events: DispatchConfirmed per confirmed assignment, DispatchCancelled
//    when a confirmed assignment is superseded (before the DispatchConfirmed
//    of what replaces it) or withdrawn, IncidentReported, IncidentSettled,
//    IncidentClosed, IncidentCancelled.
//
// Thread-safety: none. One thread (the dispatcher's state strand) owns it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "anding/common/shared_string.h"
#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/dispatch/config.h"
#include "anding/core/dispatch/records.h"
#include "anding/core/dispatch/requests.h"
#include "anding/core/effects.h"
#include "anding/core/org.h"

namespace anding::core::dispatch {

class ResourcePool;
class Proposer;

class DispatchModule {
 public:
  // An empty module. `org` must outlive it; `config` must have been read
  // without errors against `org`.
  DispatchModule(DispatchConfig config, const Organisation& org);
  ~DispatchModule();
  // Movable (a Mission may hold it by value), not copyable.
  DispatchModule(DispatchModule&&) noexcept;
  DispatchModule& operator=(DispatchModule&&) = delete;
  DispatchModule(const DispatchModule&) = delete;
  DispatchModule& operator=(const DispatchModule&) = delete;

  // A module holding `snapshot` (what store::LoadDispatch returned).
  // Holds, the watch queue and the pending list are rebuilt from the
  // records; nothing fires until the first Tick(now). DataLoss if the
  // snapshot is inconsistent (an incident id twice, a resource on two
  // incidents).
  [[nodiscard]] static Result<std::unique_ptr<DispatchModule>> Restore(DispatchConfig config,
                                                                       const Organisation& org,
                                                                       DispatchSnapshot snapshot);
  // For a module restored from only some of the incidents (the open and
  // recent ones): new incidents get sequences after `stored_last`, the
  // highest sequence in the store.
  void ReserveSequencesUpTo(uint64_t stored_last);
  // Takes back an incident read from the store that the module does not
  // hold (a command or a repeated request names it), as stored: it is not
  // written again unless a command changes it. Closed and cancelled ones,
  // open ones that are Quiescent (records.h) — a module may be restored
  // without those, for they change only when a command names them — and
  // parked ones (below). FailedPrecondition if it is held already, or open,
  // not quiescent and not parked (the module works on those: it must hold
  // them).
  [[nodiscard]] Status Recall(Incident incident);
  // Lets go of a held incident that the store has as it is (its last
  // change committed): closed, cancelled or Quiescent ones entirely; one
  // that only waits — holds nothing (HoldsNothing) but has a response on
  // the deadline watch or waiting for a team — is parked, given a source.
  // Recall takes either back. NotFound if it is not held;
  // FailedPrecondition if it holds a team, member or vehicle.
  [[nodiscard]] Status Release(std::string_view id);

  // ---- parked incidents: waiting, left in the store ----
  //
  // Of a parked incident the module keeps its deadline watch and its
  // responses waiting for a team, each with what a retry's dry run asks
  // (ParkedWork); it reads the incident back through the source when a
  // warning or breach falls due, or when a dry run finds a team for it, and
  // then holds it (Changes names it) until it is released again. A read
  // that fails is tried again: the timer a minute later, the retry at the
  // next chance.

  // Where parked incidents are read back from: the store, by sequence.
  using IncidentSource = std::function<Result<std::optional<Incident>>(uint64_t sequence)>;
  void ReadParkedFrom(IncidentSource source) { source_ = std::move(source); }

  // What the module keeps of a parked incident, per response that waits.
  struct ParkedWork {
    struct Waiting {
      uint32_t response = 0;
      std::optional<Time> watch_due;  // the next warning or breach, if watched
      bool waiting_for_team = false;
      // The dry run's questions, when waiting for a team.
      SharedString unit_id;
      SharedString region_id;
      uint32_t persons = 0;
      Time deadline{};
      std::vector<std::string> excluded_team_ids;
    };
    uint64_t sequence = 0;
    std::vector<Waiting> responses;
  };
  // The work of `incident` if it can be parked: it holds nothing and
  // waits; nullopt otherwise.
  [[nodiscard]] static std::optional<ParkedWork> WorkOf(const DispatchConfig& config,
                                                        const Incident& incident);
  // Parks the incidents a start left in the store with this work (WorkOf
  // of each, as stored). Before the first Tick; needs a source.
  void AddParked(std::vector<ParkedWork> work);
  [[nodiscard]] bool IsParked(uint64_t sequence) const { return parked_.contains(sequence); }
  [[nodiscard]] size_t parked_count() const { return parked_.size(); }

  // ---- commands: on failure the state and `out` are untouched ----

  // Registers an incident: id "INC-<local yyyymmdd>-<nnn>", grade,
  // deadline per involved unit (HqAlert "no_rule" for uncovered units), a
  // proposal per covered unit (HqAlert "no_feasible_assignment" when nobody
  // can make it), confirmed at once when auto_confirm. Returns the id.
  // InvalidArgument: unknown region, unit or category, no involved unit,
  // persons 0, representatives > persons, times after `now`.
  // PermissionDenied: an SMS sender, an unnamed actor, or an agent whose
  // unit is not configured.
  // AlreadyExists: request_id reused with a different report.
  [[nodiscard]] Result<std::string> ReportIncident(const ReportIncidentRequest& request,
                                                   const Actor& who, Time now, Effects& out);

  // Records a lifecycle step. Legal steps, by the incident's state:
  //   departed   dispatched/en_route/on_scene, for a unit whose confirmed
  //              team has not departed or arrived   → en_route (at least)
  //   arrived    dispatched/en_route/on_scene, once per unit (with or
  //              without an assignment): stops its deadline watch and
  //              measures the response time          → on_scene
  //   settled    on_scene: releases every team, member and vehicle
  //   aftermath  settled;   closed  aftermath.
  // NotFound: unknown incident.
  // FailedPrecondition: the step is illegal in the current state (the
  // message names both), or already recorded for the unit.
  // InvalidArgument: `at` outside [reported_at, now], unit not involved.
  // PermissionDenied: an agent of a unit that is not involved.
  [[nodiscard]] Status UpdateStatus(const StatusUpdateRequest& request, const Actor& who, Time now,
                                    Effects& out);

  // Confirms proposals: orders, notifications, DispatchConfirmed. Operators
  // and the system only (PermissionDenied otherwise). FailedPrecondition
  // when there is nothing proposed to confirm or the incident is settled.
  [[nodiscard]] Status Confirm(const ConfirmRequest& request, const Actor& who, Time now,
                               Effects& out);

  // HQ's own choice, confirmed at once; a late estimated arrival or a
  // missing leader is allowed but written into the explanation.
  // NotFound: unknown incident, team, member or vehicle.
  // FailedPrecondition: the team, a member or a vehicle is off duty or held
  // by another incident; the seats do not fit; the unit already arrived.
  // InvalidArgument: a member not of that team.
  [[nodiscard]] Status Override(const OverrideRequest& request, const Actor& who, Time now,
                                Effects& out);

  // Supersedes the unit's current proposal or assignment and proposes again
  // without the excluded teams (persisted for this unit).
  // FailedPrecondition: no rule covers the unit (use Override), it already
  // arrived, or the incident is settled.
  [[nodiscard]] Status Reassign(const ReassignRequest& request, const Actor& who, Time now,
                                Effects& out);

  // Cancels an incident reported in error (HQ operators and the system
  // only): every proposed or confirmed assignment is withdrawn — a
  // confirmed one gets its stand-down order and SMS and a DispatchCancelled,
  // as a reassignment does — its resources come free, its deadline watch
  // stops, and the incident stays in the record as cancelled with the
  // reason on its timeline. Raises IncidentCancelled (the funds release its
  // holds). PermissionDenied: not HQ. NotFound: unknown incident.
  // InvalidArgument: empty reason. FailedPrecondition: already settled,
  // closed or cancelled (a settled petition happened; it is not an error).
  [[nodiscard]] Status Cancel(const CancelRequest& request, const Actor& who, Time now,
                              Effects& out);

  // Sets the availability of a team, member or vehicle. Going unavailable
  // re-proposes for the unit it was held for (unless that unit arrived);
  // coming back retries units still waiting for an assignment. Setting the
  // current value again is OK and changes nothing. NotFound: unknown id.
  // PermissionDenied: an agent changing another unit's resources.
  [[nodiscard]] Status SetAvailability(const AvailabilityRequest& request, const Actor& who,
                                       Time now, Effects& out);

  // The deadline watch: for each unit not yet arrived (incident not yet
  // settled), a warning when `now` reaches deadline - lead for each lead
  // time, and exactly one breach when `now` passes the deadline (an
  // arrival reported late before any Tick noticed records the breach
  // itself). After a restart only the most urgent overdue item fires (a
  // breach supersedes its warnings; the 10-minute warning supersedes the
  // 30-minute one).
  void Tick(Time now, Effects& out);

  // When Tick next has work; Time::max() when nothing is watched.
  [[nodiscard]] Time NextWakeup() const;

  // ---- queries (pointers stay valid until the next command or Tick) ----

  [[nodiscard]] const Incident* FindIncident(std::string_view id) const;
  // Matching incidents, newest first, at most filter.limit.
  [[nodiscard]] std::vector<const Incident*> ListIncidents(const IncidentFilter& filter) const;
  // Teams (with their members) and vehicles with their current holds;
  // `unit_id` empty = all units. Configuration order.
  [[nodiscard]] std::vector<TeamView> Teams(std::string_view unit_id = {}) const;
  [[nodiscard]] std::vector<VehicleView> Vehicles(std::string_view unit_id = {}) const;

  // The stored record behind a RecordRef this module wrote to
  // Effects::changed (see records.h), for saving it; nullptr / nullopt if
  // there is none.
  [[nodiscard]] const ResourceStatus* FindResourceStatus(ResourceKind kind,
                                                         std::string_view id) const;
  [[nodiscard]] std::optional<IdCounter> FindIdCounter(std::string_view day) const;

  // Everything the repository persists, in a canonical order.
  [[nodiscard]] DispatchSnapshot Snapshot() const;

  // ---- persistence ----

  // Copies of the records named in `changed` (Effects::changed of one or
  // more commands or Ticks) as they are now, for the repository
  // (store::SaveDispatchChanges): refs of other modules are ignored,
  // duplicates copied once. Take the copy on the owning thread before the
  // next command runs and hand it to the commit thread. Internal if a ref
  // names a record the module does not hold (Effects of another instance: a
  // bug in the caller).
  [[nodiscard]] Result<DispatchChangeSet> Changes(const std::vector<RecordRef>& changed) const;
  // A ref to every record the module holds, in Snapshot's order: with
  // Changes, the whole module as one change set (a fresh store, an export).
  [[nodiscard]] std::vector<RecordRef> AllRecordRefs() const;

  [[nodiscard]] const DispatchConfig& config() const { return *config_; }
  [[nodiscard]] const Organisation& org() const { return org_; }

 private:
  struct WatchKey {
    Time due;
    uint64_t sequence;
    size_t response;
    friend auto operator<=>(const WatchKey&, const WatchKey&) = default;
  };
  // (incident sequence, response index): a response waiting for resources.
  using PendingKey = std::pair<uint64_t, size_t>;

  // What a parked response waiting for a team keeps for a retry: 40 bytes.
  // The unit and region are the interned texts (texts_ never drops one).
  struct ParkedRetry {
    const std::string* unit_id = nullptr;
    const std::string* region_id = nullptr;
    uint32_t persons = 0;
    Time deadline{};
    std::unique_ptr<const std::vector<std::string>> excluded_team_ids;  // null: none
  };

  Incident& MutableIncident(std::string_view id);
  // Holds `incident` (not held before): the maps, its texts, the open set.
  Incident& HoldIncident(Incident incident);
  // Reads a parked incident back and holds it, its watch and pending
  // entries refreshed; nullptr if the source cannot give it now.
  Incident* Unpark(uint64_t sequence);
  // Marks `work`'s incident parked with its retries' questions (its watch
  // and pending entries are the caller's).
  void KeepRetries(ParkedWork work);
  // `sequence` is parked no more (read back and held).
  void ForgetParked(uint64_t sequence);
  // The incident to change, or NotFound.
  Result<Incident*> IncidentForUpdate(const std::string& id);
  // For HQ commands: an HQ actor, the incident, still open for dispatch
  // (else FailedPrecondition "<id> is <state><refusal>").
  Result<Incident*> OpenIncidentForHq(const std::string& id, const Actor& who,
                                      std::string_view refusal);
  // A held incident, or a parked one read back (Unpark); nullptr if
  // neither, or if the parked one cannot be read now.
  Incident* IncidentBySequence(uint64_t sequence);
  std::string NextIncidentId(Time now, Effects& out);

  // Proposing and holding.
  // Proposes for a covered response without an active assignment. True if
  // the incident changed; false when it was already known to be infeasible
  // and still is (the record is left alone).
  // With own_teams_only, proposes only if one of the unit's own teams can
  // make it and otherwise leaves the response alone (returns false).
  bool ProposeFor(Incident& incident, size_t response, Time now, Effects& out,
                  bool own_teams_only = false);
  void ConfirmAssignment(Incident& incident, Assignment& assignment, const Actor& who, Time now,
                         Effects& out, std::string_view event);
  void EndAssignment(Incident& incident, Assignment& assignment, AssignmentState end_state,
                     std::string_view reason, const Actor& who, Time now, Effects& out);
  void EmitDispatchEffects(const Incident& incident, const Assignment& assignment, Effects& out);
  // Holds the assignment's team, members and vehicles (aborts if one is
  // held already: proposals only use free resources).
  void HoldResources(const Incident& incident, const Assignment& assignment);
  [[nodiscard]] bool TryHoldResources(const Incident& incident, const Assignment& assignment);
  // Frees what `assignment` of `incident` holds.
  void ReleaseResources(const Incident& incident, const Assignment& assignment);
  // Re-proposes for every response waiting for resources.
  void RetryPending(Time now, Effects& out);
  // Supersedes the active assignment holding resource `index` of `kind`
  // (unless its unit arrived) and proposes again.
  void ReproposeHolding(ResourceKind kind, uint32_t index, const Actor& who, Time now,
                        Effects& out);
  // Finds the response a status update is about, checking the actor.
  [[nodiscard]] Result<size_t> ResolveUnit(const Incident& incident, std::string_view unit_id,
                                           const Actor& who, bool required) const;
  [[nodiscard]] Result<size_t> InvolvedResponse(const Incident& incident,
                                                std::string_view unit_id) const;
  [[nodiscard]] Status CheckHqActor(const Actor& who) const;
  // Agents, operators and SMS senders must be named.
  [[nodiscard]] static Status CheckActor(const Actor& who);

  // Watch bookkeeping.
  // Records the breach of a response's deadline (once): alert, timeline,
  // and, unless `why` says it arrived late, SMS to the team and leaders.
  void FireBreach(Incident& incident, size_t response, Time now, std::string_view why,
                  Effects& out);
  // When the watch next has work for `response`: its first warning not yet
  // done, or the breach; nullopt when it is not on the watch.
  static std::optional<Time> WatchDue(const DispatchConfig& config, const Incident& incident,
                                      const Response& response);
  void RefreshWatch(const Incident& incident, size_t response);
  void RefreshPending(const Incident& incident, size_t response);
  void RefreshIncident(const Incident& incident);

  void AddTimeline(Incident& incident, Time at, Time now, const Actor& who, std::string_view event,
                   std::string_view unit_id, std::string text);
  // Makes the incident's deadline rule texts the interned copies (texts_),
  // so the responses under one rule hold its text once.
  void ShareTexts(Incident& incident);
  void Touch(Incident& incident, Time now, Effects& out);
  [[nodiscard]] std::string Local(Time t) const;

  // On the heap: the pool and the proposer point into it, and must keep
  // doing so when the module is moved.
  std::unique_ptr<const DispatchConfig> config_;
  const Organisation& org_;
  std::unique_ptr<ResourcePool> pool_;
  std::unique_ptr<Proposer> proposer_;

  std::map<std::string, Incident, std::less<>> incidents_;  // nodes: pointers stay valid
  std::map<uint64_t, Incident*> by_sequence_;
  std::set<uint64_t> open_;  // sequences of incidents not yet closed
  std::map<std::string, std::string, std::less<>> id_by_request_;
  std::map<std::string, uint32_t, std::less<>> day_counters_;
  std::map<std::pair<ResourceKind, std::string>, ResourceStatus> resource_status_;
  uint64_t last_sequence_ = 0;

  // The watch, the pending set and the parked incidents are B-trees, not
  // node-based sets and maps: with every waiting incident parked they are
  // most of what an open incident costs (~30 instead of ~80 bytes an entry).
  absl::btree_set<WatchKey> watch_;
  absl::btree_map<std::pair<uint64_t, size_t>, Time> watch_due_;
  absl::btree_set<PendingKey> pending_;
  // Parked incidents (by sequence), and of their responses those waiting
  // for a team. Their watch and pending entries stay in watch_ and pending_.
  absl::btree_set<uint64_t> parked_;
  absl::btree_map<PendingKey, ParkedRetry> parked_retries_;
  IncidentSource source_;

  // Deadline rule texts, one copy each (they come from the configuration's
  // rules, so there are few).
  StringInterner texts_;
};

}  // namespace anding::core::dispatch

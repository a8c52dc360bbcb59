// Incident response (design §2.6) in the dispatcher: incident reports and
// status updates from agents; HQ's reports, confirmations, overrides,
// reassignments, availability and queries; the deadline clocks (warnings,
// breaches). Answers the daily summary's incident counts (IncidentCounter)
// and the incidents of a range with their categories (IncidentCatalogue).
//
// It holds the incidents not closed or cancelled and those reported since
// two local days before the load (what the daily summary's timer counts),
// without the timeline entries they had at the load (but for settled ones:
// store::LoadedTimelines::kReleased), which views read by key. Open
// incidents that are quiescent at the load (dispatch::Quiescent: settled,
// in aftermath, or holding nothing and watched for nothing) are left in the
// store, only their sequence and counts held (ParkedIncident, 16 bytes);
// so is every incident that a change leaves quiescent, closed or cancelled,
// once that change has committed and unless another has come since. So
// what it holds is what it works on, however long it runs.
// What is not held is read from the store: by key when a command or a
// repeated request names one (recalled into the core, held until a change),
// on the query thread for `incident show` and lists that may include them
// (a page of open incidents merges the held ones with the parked ones
// read), and on this thread for the counts and statistics of days before
// what is held and the settlement of a parked incident.
//
// Thread-safety: io_context thread only (a Module).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "anding/core/dispatch/config.h"
#include "anding/core/dispatch/dispatch_module.h"
#include "anding/core/visits/percent.h"
#include "anding/dispatcher/module.h"
#include "anding/dispatcher/module_queries.h"
#include "anding/v1/dispatch_api.pb.h"

namespace anding::dispatcher {

namespace dispatch = core::dispatch;

// An open incident left in the store (quiescent, or waiting and parked in
// the core): its sequence, and what the metrics count of it.
struct ParkedIncident {
  uint64_t sequence = 0;
  dispatch::IncidentState state = dispatch::IncidentState::kReported;
  uint16_t breaches = 0;          // responses whose deadline was breached
  uint16_t breached_waiting = 0;  // of those, not on the scene
};
// By sequence.
using ParkedIncidents = std::vector<ParkedIncident>;
// Whether `sequence` is in `parked`.
[[nodiscard]] inline bool IsParked(const ParkedIncidents& parked, uint64_t sequence) {
  auto it = std::lower_bound(
      parked.begin(), parked.end(), sequence,
      [](const ParkedIncident& p, uint64_t wanted) { return p.sequence < wanted; });
  return it != parked.end() && it->sequence == sequence;
}

class IncidentsModule final : public Module,
                              public IncidentCounter,
                              public ArrivalRecorder,
                              public SettledIncidents,
                              public IncidentCatalogue,
                              public YearlyReportPart {
 public:
  // `rounding`: how the statistics round (the visits configuration's).
  IncidentsModule(ModuleContext& context, dispatch::DispatchConfig config,
                  core::visits::Rounding rounding);

  [[nodiscard]] std::string_view name() const override { return "dispatch"; }
  [[nodiscard]] std::vector<storage::Migration> Migrations() const override;
  [[nodiscard]] Status Load(storage::Database& db) override;
  [[nodiscard]] std::vector<v1::Envelope::PayloadCase> Payloads() const override;
  [[nodiscard]] Result<std::string> Apply(const AgentInput& input, core::Effects& out) override;
  [[nodiscard]] std::vector<v1::OperatorRequest::RequestCase> Requests() const override;
  void Serve(OperatorCall& call) override;
  [[nodiscard]] Status Record(const core::Effects& out, Time now) override;
  [[nodiscard]] Time NextWakeup() const override {
    return std::min(incidents_->NextWakeup(), next_sweep_);
  }
  void Tick(Time now, core::Effects& out) override {
    SweepHeld(now);
    incidents_->Tick(now, out);
  }
  // Open incidents by state, those held and parked; deadline breaches (since
  // the load, with those of what it read; units of open incidents breached
  // and not yet on the scene).
  void Collect(MetricsWriter& out) const override;

  // IncidentCounter.
  [[nodiscard]] Result<core::ledger::IncidentCounts> IncidentsOn(CivilDay day) const override;
  // ArrivalRecorder.
  [[nodiscard]] Status RecordArrival(const std::string& incident_id, const std::string& unit_id,
                                     const core::Actor& who, const std::string& reported_by,
                                     Time now, core::Effects& out) override;

  // SettledIncidents.
  [[nodiscard]] Result<std::optional<core::IncidentSettled>> SettlementOf(
      const std::string& incident_id) const override;

  // IncidentCatalogue.
  [[nodiscard]] ReportedIncidentsJob IncidentsReported(std::optional<Time> since,
                                                       std::optional<Time> before) const override;

  // YearlyReportPart: response times per unit over the year.
  [[nodiscard]] int yearly_report_order() const override { return 20; }
  [[nodiscard]] Result<YearlyReportJob> YearlyReportPartFor(
      const YearlyReportScope& scope) const override;

 private:
  // Reads the incidents of a range: copies of those held, and those only
  // in the store. Run on the query thread (or on this one with db_, for a
  // day's counts); it touches no module state. Errors are the store's.
  using IncidentsJob = std::function<Result<std::vector<dispatch::Incident>>(storage::Database&)>;
  // The incidents reported in `since`..`before` (either open-ended): from
  // memory if the range lies in what is held, else also from the store.
  [[nodiscard]] IncidentsJob IncidentsReportedIn(std::optional<Time> since,
                                                 std::optional<Time> before) const;
  // Brings incident `id` (closed, cancelled or parked: not held) back from the
  // store into the core, so a command naming it sees it. OK if it is held
  // or not stored; errors are the store's.
  [[nodiscard]] Status Recall(const std::string& id);
  // The same for the incident reported with `request_id`, so a repeated
  // request gives the incident it made.
  [[nodiscard]] Status RecallRequest(const std::string& request_id);
  // Takes `stored` (not held) into the core; a parked one is parked no
  // more. Errors are the core's.
  [[nodiscard]] Status TakeBack(dispatch::Incident stored);
  // After the commit of the change numbered `generation` of incident `id`:
  // lets the core go of it if no change has come since and it is still
  // quiescent, closed or cancelled (an open one is parked).
  void LetGo(const std::string& id, uint64_t generation);
  // Lets the core go of incident `id` if it holds nothing (an open one is
  // parked: its entry waits in to_park_ for UpdateParked).
  void Park(const std::string& id);
  // Replaces parked_ by one with the entries of to_park_ and without those
  // in `held` (read back by the core to be changed).
  void UpdateParked(const std::set<uint64_t>& held);
  // Hourly: parks what is held but holds nothing and has no change in
  // flight (recalled by a command that changed nothing).
  void SweepHeld(Time now);
  // The view of a held incident with its whole timeline: the entries the
  // load left in the store are read from it by key, on this thread.
  // Errors are the store's.
  [[nodiscard]] Result<v1::IncidentView> FullView(const dispatch::Incident& incident) const;

  struct ResponseStatsAnswer {
    v1::ResponseStatsView view;
    core::visits::StatsTable table;
  };
  using ResponseStatsJob = std::function<Result<ResponseStatsAnswer>(storage::Database&)>;
  // The figures and the table of the responses of incidents reported in
  // the request's days, computed by the job on the query thread.
  // InvalidArgument for a malformed or reversed range or an unknown
  // language.
  [[nodiscard]] Result<ResponseStatsJob> ResponseStatsOf(
      const v1::ResponseStatsRequest& request) const;
  // A step to closed passes the close gate (the post-incident review), if
  // a module keeps one.
  [[nodiscard]] Status CheckCloseGate(const dispatch::StatusUpdateRequest& update) const;

  ModuleContext& context_;
  dispatch::DispatchConfig config_;
  core::visits::Rounding rounding_;
  std::unique_ptr<dispatch::DispatchModule> incidents_;
  storage::Database* db_ = nullptr;  // the store, for reads by key (Load's)
  Time held_since_{};                // closed incidents reported before are not held
  // Open incidents the load left in the store. Replaced, never changed, when
  // one is taken back: a list on the query thread may hold the old one.
  std::shared_ptr<const ParkedIncidents> parked_ = std::make_shared<ParkedIncidents>();
  ParkedIncidents to_park_;  // let go of since the last UpdateParked
  Time next_sweep_{};        // SweepHeld's next run
  // Whether any incident the load would hold is in the store only (parked,
  // or closed since the load and let go): then the days held are read from
  // the store too.
  bool left_in_store_ = false;
  // The number of each incident's latest change recorded (Record), until
  // LetGo sees it committed.
  std::map<std::string, uint64_t, std::less<>> generations_;
  uint64_t last_generation_ = 0;
  // anding_deadline_breaches_total: the breaches of what the load held or
  // parked, and those recorded since.
  uint64_t breaches_at_load_ = 0;
  uint64_t breaches_since_load_ = 0;
};

}  // namespace anding::dispatcher

// Incident response (design §2.6) in the dispatcher: incident reports and
// status updates from agents; HQ's reports, confirmations, overrides,
// reassignments, availability and queries; the deadline clocks (warnings,
// breaches). Answers the daily summary's incident counts (IncidentCounter)
// and the incidents of a range with their categories (IncidentCatalogue).
//
// Thread-safety: io_context thread only (a Module).
#pragma once

#include <memory>

#include "anding/core/dispatch/config.h"
#include "anding/core/dispatch/dispatch_module.h"
#include "anding/core/visits/percent.h"
#include "anding/dispatcher/module.h"
#include "anding/dispatcher/module_queries.h"

namespace anding::dispatcher {

namespace dispatch = core::dispatch;

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
  [[nodiscard]] Time NextWakeup() const override { return incidents_->NextWakeup(); }
  void Tick(Time now, core::Effects& out) override { incidents_->Tick(now, out); }
  // Open incidents by state; deadline breaches (in all, and units of open
  // incidents breached and not yet on the scene).
  void Collect(MetricsWriter& out) const override;

  // IncidentCounter.
  [[nodiscard]] core::ledger::IncidentCounts IncidentsOn(CivilDay day) const override;
  // ArrivalRecorder.
  [[nodiscard]] Status RecordArrival(const std::string& incident_id, const std::string& unit_id,
                                     const core::Actor& who, const std::string& reported_by,
                                     Time now, core::Effects& out) override;

  // SettledIncidents.
  [[nodiscard]] std::optional<core::IncidentSettled> SettlementOf(
      const std::string& incident_id) const override;

  // IncidentCatalogue.
  [[nodiscard]] std::vector<ReportedIncident> IncidentsReported(
      std::optional<Time> since, std::optional<Time> before) const override;

  // YearlyReportPart: response times per unit over the year.
  [[nodiscard]] int yearly_report_order() const override { return 20; }
  [[nodiscard]] Result<YearlyReportJob> YearlyReportPartFor(
      const YearlyReportScope& scope) const override;

 private:
  struct ResponseStatsAnswer {
    v1::ResponseStatsView view;
    core::visits::StatsTable table;
  };
  // The figures and the table of the responses of incidents reported in
  // the request's days. InvalidArgument for a malformed or reversed range
  // or an unknown language.
  [[nodiscard]] Result<ResponseStatsAnswer> ResponseStatsOf(
      const v1::ResponseStatsRequest& request) const;
  // `anding stats responses`: the responses of incidents reported in the
  // request's days. InvalidArgument for a malformed or reversed range.
  [[nodiscard]] Result<v1::OperatorResponse> ResponseStatsResponse(
      const v1::ResponseStatsRequest& request) const;
  // A step to closed passes the close gate (the post-incident review), if
  // a module keeps one.
  [[nodiscard]] Status CheckCloseGate(const dispatch::StatusUpdateRequest& update) const;

  ModuleContext& context_;
  dispatch::DispatchConfig config_;
  core::visits::Rounding rounding_;
  std::unique_ptr<dispatch::DispatchModule> incidents_;
};

}  // namespace anding::dispatcher

// The reserve funds (备用金) in the dispatcher: expense reports from
// agents; HQ's transfers, holds, quotas, statements and reconciliation; the
// funds' reaction to dispatch (a confirmed dispatch holds its estimated
// cost, a called-off one releases it); hold expiry; the use of the funds
// per incident category (the incidents and their categories come from
// IncidentCatalogue).
//
// Thread-safety: io_context thread only (a Module).
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "anding/core/funds/config.h"
#include "anding/core/funds/funds.h"
#include "anding/core/visits/percent.h"
#include "anding/dispatcher/module.h"
#include "anding/dispatcher/module_queries.h"

namespace anding::dispatcher {

class FundsModule final : public Module, public IncidentCostSource, public YearlyReportPart {
 public:
  // `rounding`: how the statistics round (the visits configuration's).
  FundsModule(ModuleContext& context, core::funds::FundsConfig config,
              core::visits::Rounding rounding);

  [[nodiscard]] std::string_view name() const override { return "funds"; }
  [[nodiscard]] std::vector<storage::Migration> Migrations() const override;
  [[nodiscard]] Status Load(storage::Database& db) override;
  [[nodiscard]] Status Start(Time now, core::Effects& out) override;
  [[nodiscard]] std::vector<v1::Envelope::PayloadCase> Payloads() const override;
  [[nodiscard]] Result<std::string> Apply(const AgentInput& input, core::Effects& out) override;
  [[nodiscard]] std::vector<v1::OperatorRequest::RequestCase> Requests() const override;
  void Serve(OperatorCall& call) override;
  [[nodiscard]] Status Record(const core::Effects& out, Time now) override;
  void OnEvent(const core::DomainEvent& event, Time now, core::Effects& out) override;
  [[nodiscard]] Time NextWakeup() const override;
  void Tick(Time now, core::Effects& out) override;

  // IncidentCostSource: estimated and actual, as `anding funds incident`.
  // Read from the store (this thread's connection, by the incident's indexes).
  [[nodiscard]] Result<IncidentCostFigures> CostOf(const std::string& incident_id) const override;

  // YearlyReportPart: reserve-fund use per category of the year's incidents.
  [[nodiscard]] int yearly_report_order() const override { return 40; }
  [[nodiscard]] Result<YearlyReportJob> YearlyReportPartFor(
      const YearlyReportScope& scope) const override;

 private:
  // `anding stats funds`: spending per category of the incidents reported
  // in the request's days.
  void Stats(OperatorCall& call) const;
  struct StatsAnswer {
    v1::FundStatsView view;
    core::visits::StatsTable table;
  };
  // The answer, computed from the store on the query thread.
  using StatsJob = std::function<Result<StatsAnswer>(storage::Database&)>;
  // InvalidArgument naming the field for a malformed request.
  [[nodiscard]] Result<StatsJob> StatsOf(const v1::FundStatsRequest& request) const;
  // Reads what the store holds under `id` (a transfer and its reversals, a
  // hold, an expense report) into the book, unless the book holds it.
  [[nodiscard]] Status Recall(std::string_view id);

  ModuleContext& context_;
  core::funds::FundsConfig config_;
  core::visits::Rounding rounding_;
  std::unique_ptr<core::funds::Funds> book_;
  storage::Database* db_ = nullptr;  // read by key on this thread (Load's)
};

}  // namespace anding::dispatcher

// The 台账 (ledger of instability factors) with screening (排查), daily
// reports and their summaries in the dispatcher: the agents' early
// warnings, screening and daily reports and ledger updates; HQ's ledger
// commands, summaries, exports and statistics (with the rebounds the
// aftermath found, through ReboundCounter); the ledger's timers (supervision 督办,
// screening reminders, the daily summary).
//
// Thread-safety: io_context thread only (a Module).
#pragma once

#include <memory>

#include "anding/core/ledger/config.h"
#include "anding/core/ledger/ledger.h"
#include "anding/core/ledger/summaries.h"
#include "anding/core/visits/percent.h"
#include "anding/dispatcher/module.h"
#include "anding/dispatcher/module_queries.h"
#include "anding/store/ledger_repository.h"

namespace anding::dispatcher {

class LedgerModule final : public Module, public FollowUpRegistrar, public YearlyReportPart {
 public:
  // `rounding`: how the statistics round (the visits configuration's, so
  // that every statistic rounds alike).
  LedgerModule(ModuleContext& context, core::ledger::LedgerConfig config,
               core::visits::Rounding rounding);

  [[nodiscard]] std::string_view name() const override { return "ledger"; }
  [[nodiscard]] std::vector<storage::Migration> Migrations() const override;
  [[nodiscard]] Status Load(storage::Database& db) override;
  [[nodiscard]] std::vector<v1::Envelope::PayloadCase> Payloads() const override;
  [[nodiscard]] Result<std::string> Apply(const AgentInput& input, core::Effects& out) override;
  [[nodiscard]] std::vector<v1::OperatorRequest::RequestCase> Requests() const override;
  void Serve(OperatorCall& call) override;
  [[nodiscard]] Status Record(const core::Effects& out, Time now) override;
  [[nodiscard]] Time NextWakeup() const override { return book_->NextWakeup(); }
  void Tick(Time now, core::Effects& out) override { book_->Tick(now, out); }

  // FollowUpRegistrar: an item of source "incident", registered by the
  // system with the ledger's default deadline.
  [[nodiscard]] Result<std::string> RegisterFollowUp(const FollowUpRequest& request, Time now,
                                                     core::Effects& out) override;

  // YearlyReportPart: the 台账 items registered in the year, per unit.
  [[nodiscard]] int yearly_report_order() const override { return 30; }
  [[nodiscard]] Result<YearlyReportJob> YearlyReportPartFor(
      const YearlyReportScope& scope) const override;

 private:
  // What the incidents and the petition matters add to a daily summary.
  [[nodiscard]] core::ledger::SummaryInputSource SummarySource() const;
  // `anding stats ledger`: the items registered in the request's days.
  void Stats(OperatorCall& call) const;
  struct StatsAnswer {
    v1::LedgerStatsView view;
    core::visits::StatsTable table;
  };
  // The figures and the table of `request` as of `now`; InvalidArgument
  // naming the field for a malformed request.
  [[nodiscard]] Result<StatsAnswer> StatsOf(const v1::LedgerStatsRequest& request, Time now) const;

  ModuleContext& context_;
  core::ledger::LedgerConfig config_;
  core::visits::Rounding rounding_;
  std::unique_ptr<core::ledger::Ledger> book_;
};

}  // namespace anding::dispatcher

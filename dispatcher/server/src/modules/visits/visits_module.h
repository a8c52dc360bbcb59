// The visit register (接处访登记), petition matters (信访事项) with their
// statutory time limits, and petition statistics in the dispatcher: visits
// from agents (VisitRecord) and operators, matters and their steps, the
// timers that warn HQ before a limit runs out and alert when it has, and
// the statistics by period and breakdown.
//
// Thread-safety: io_context thread only (a Module).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "anding/core/visits/config.h"
#include "anding/core/visits/stats_report.h"
#include "anding/core/visits/visits.h"
#include "anding/dispatcher/module.h"
#include "anding/dispatcher/module_queries.h"

namespace anding::dispatcher {

class VisitsModule final : public Module, public YearlyReportPart, public MatterDeadlineCounter {
 public:
  VisitsModule(ModuleContext& context, core::visits::VisitsConfig config);

  [[nodiscard]] std::string_view name() const override { return "visits"; }
  [[nodiscard]] std::vector<storage::Migration> Migrations() const override;
  [[nodiscard]] Status Load(storage::Database& db) override;
  [[nodiscard]] std::vector<v1::Envelope::PayloadCase> Payloads() const override;
  [[nodiscard]] Result<std::string> Apply(const AgentInput& input, core::Effects& out) override;
  [[nodiscard]] std::vector<v1::OperatorRequest::RequestCase> Requests() const override;
  void Serve(OperatorCall& call) override;
  [[nodiscard]] Status Record(const core::Effects& out, Time now) override;
  [[nodiscard]] Time NextWakeup() const override;
  void Tick(Time now, core::Effects& out) override;

  // MatterDeadlineCounter.
  [[nodiscard]] core::ledger::MatterDeadlineCounts MatterDeadlinesAt(Time at) const override;

  // The year's visits in total and by unit, category, channel and
  // destination level.
  [[nodiscard]] int yearly_report_order() const override { return 10; }
  [[nodiscard]] Result<YearlyReportJob> YearlyReportPartFor(
      const YearlyReportScope& scope) const override;

 private:
  void ListVisits(OperatorCall& call) const;
  void ListMatters(OperatorCall& call) const;
  void Stats(OperatorCall& call) const;
  // Hands the register the older visits a command needs (core::visits::
  // VisitRegister::Recall), read from the store by key.
  [[nodiscard]] Status RecallFor(const core::visits::VisitRequest& request);
  [[nodiscard]] Status Recall(std::string_view visit_id);
  // Hands the register the matter a command names, read by key, when it
  // holds only the running ones (core::visits::VisitRegister::RecallMatter).
  [[nodiscard]] Status RecallMatter(std::string_view matter_id);
  // Once the change `generation` of `matter_id` has committed: lets go of
  // the matter if no limit runs in it and it has not changed again since.
  void LetGoOfMatter(const std::string& matter_id, uint64_t generation);
  // Lets go of every held matter in which no limit runs and that has no
  // change in flight (those recalled for a command that changed nothing).
  void LetGoOfFinishedMatters();

  ModuleContext& context_;
  core::visits::VisitsConfig config_;
  std::unique_ptr<core::visits::VisitRegister> register_;
  // The store Load read, for point reads of older visits on this thread.
  storage::Database* db_ = nullptr;
  Time next_forget_{};  // Tick lets go of the visits before the repeat window, hourly
  // Per matter with a change not yet committed, the generation of its
  // latest change.
  std::map<std::string, uint64_t, std::less<>> generations_;
  uint64_t last_generation_ = 0;
};

}  // namespace anding::dispatcher

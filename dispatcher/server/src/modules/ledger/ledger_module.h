// The 台账 (ledger of instability factors) with screening (排查), daily
// reports and their summaries in the dispatcher: the agents' early
// warnings, screening and daily reports and ledger updates; HQ's ledger
// commands, summaries, exports and statistics (with the rebounds the
// aftermath found, through ReboundCounter); the ledger's timers (supervision 督办,
// screening reminders, the daily summary).
//
// What it holds (core::ledger::Ledger): the items not closed out, the items
// closed out and the warnings received since two local days before it was
// loaded (what the daily summary's timer can still cover), and everything
// made since. A command naming an item it does not hold (a closed-out item
// reopened, warned about, confirmed by a screening) reads the item by key
// first (Recall); `ledger show` of such an item, lists and exports that may
// include closed-out items, the summaries of earlier days and months and
// the statistics read the store on the query thread and run the same core
// code on a Ledger built for the question.
//
// Thread-safety: io_context thread only (a Module).
#pragma once

#include <functional>
#include <memory>
#include <optional>

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
  [[nodiscard]] Time NextWakeup() const override;
  void Tick(Time now, core::Effects& out) override;

  // FollowUpRegistrar: an item of source "incident", registered by the
  // system with the ledger's default deadline.
  [[nodiscard]] Result<std::string> RegisterFollowUp(const FollowUpRequest& request, Time now,
                                                     core::Effects& out) override;

  // YearlyReportPart: the 台账 items registered in the year, per unit.
  [[nodiscard]] int yearly_report_order() const override { return 30; }
  [[nodiscard]] Result<YearlyReportJob> YearlyReportPartFor(
      const YearlyReportScope& scope) const override;

 private:
  // Takes the stored item `id` into the book if it is not held (a command
  // names it). OK if there is none: the command then answers NotFound.
  [[nodiscard]] Status Recall(std::string_view id);
  // Answers `call` with `answer` over a ledger holding what `scope` reads:
  // the book itself when it holds all of it (`held`), else a Ledger built
  // on the query thread from what `scope` loads from the store.
  using Answer = std::function<v1::OperatorResponse(const core::ledger::Ledger&)>;
  using Scope = std::function<Result<core::ledger::LedgerSnapshot>(storage::Database&)>;
  void AnswerOver(OperatorCall& call, bool held, Scope scope, Answer answer) const;
  // The items a list or an export of `filter` reads from the store.
  [[nodiscard]] static Scope ItemsScope(const core::ledger::ItemFilter& filter);
  // Whether the book holds every item `filter` can match (it names only
  // states that are not closed out).
  [[nodiscard]] static bool HoldsAllOf(const core::ledger::ItemFilter& filter);
  // Whether the book holds what the daily summary of `day` reads; else the
  // scope that loads it (the items open on the day or registered on it,
  // its warnings, with the book's daily reports of the day).
  [[nodiscard]] bool HoldsDay(CivilDay day) const;
  [[nodiscard]] Scope DayScope(CivilDay day) const;
  // The items the monthly summary of `month` reads.
  [[nodiscard]] Scope MonthScope(absl::CivilMonth month) const;
  // The daily summary of `day` over `book`, with what the incidents and
  // matters add asked now (on this thread). Errors as SummaryInputsFor.
  [[nodiscard]] Result<Answer> DailySummaryAnswer(
      CivilDay day, Time now,
      std::function<v1::OperatorResponse(const core::ledger::DailySummary&)> render) const;
  void ServeShow(OperatorCall& call);
  void ServeExport(OperatorCall& call);

  // What the incidents and the petition matters add to a daily summary.
  [[nodiscard]] core::ledger::SummaryInputSource SummarySource() const;
  // What they add to the daily summary of `day` (matters at `cutoff`).
  // Errors are the store's (the incidents of a day the dispatch module
  // does not hold are read from it).
  [[nodiscard]] Result<core::ledger::SummaryInputs> SummaryInputsFor(CivilDay day,
                                                                     Time cutoff) const;
  // `anding stats ledger`: the items registered in the request's days.
  void Stats(OperatorCall& call) const;
  struct StatsAnswer {
    v1::LedgerStatsView view;
    core::visits::StatsTable table;
  };
  // The figures and the table of `request` as of `now`, as a job for the
  // query thread (the items registered in its days are read from the store
  // there); InvalidArgument naming the field for a malformed request.
  using StatsJob = std::function<Result<StatsAnswer>(storage::Database&)>;
  [[nodiscard]] Result<StatsJob> StatsJobFor(const v1::LedgerStatsRequest& request, Time now) const;

  ModuleContext& context_;
  core::ledger::LedgerConfig config_;
  core::visits::Rounding rounding_;
  std::unique_ptr<core::ledger::Ledger> book_;
  storage::Database* db_ = nullptr;  // read by key on this thread (Load's)
  CivilDay held_since_;              // the book holds what closed out since
  // When Tick next lets go of earlier reports (hourly).
  Time next_report_window_{};
  // Lets the book go of the daily reports of days before the last two and
  // of the screening reports and reminders of the periods checked; it
  // reads them from the store (db_) when they are re-filed.
  void LetGoOfEarlierReports(Time now);
  // The first local day of what the book holds as recent at `now`.
  [[nodiscard]] CivilDay RecentSince(Time now) const;
};

}  // namespace anding::dispatcher

// Questions one module answers for another. A module implements the
// interface; another finds it with ModuleContext::Find<Interface>() and
// does without when no module answers (for example in a dispatcher built
// without that capability).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/core/ledger/summaries.h"
#include "anding/core/visits/stats_table.h"
#include "anding/storage/database.h"
#include "anding/v1/stats_api.pb.h"

namespace anding::dispatcher {

// Incidents reported on a local day, per involved unit (the daily summary's
// incident column).
class IncidentCounter {
 public:
  virtual ~IncidentCounter() = default;
  // Errors are the store's (a day before what the module holds is read
  // from it).
  [[nodiscard]] virtual Result<core::ledger::IncidentCounts> IncidentsOn(CivilDay day) const = 0;
};

// Petition matters per unit whose statutory limit is near or past at
// `at` (the daily summary's column 信访事项临期 / 超期).
class MatterDeadlineCounter {
 public:
  virtual ~MatterDeadlineCounter() = default;
  [[nodiscard]] virtual core::ledger::MatterDeadlineCounts MatterDeadlinesAt(Time at) const = 0;
};

// The incidents reported in [since, before) (an open end when nullopt),
// cancelled ones included, with their category ("" = none): what the
// reserve-fund statistics group by.
struct ReportedIncident {
  std::string id;
  std::string category_id;
};
// Reads them; run on the query thread (it touches no module state).
// Errors are the store's (incidents older than what the module holds are
// read from it).
using ReportedIncidentsJob =
    std::function<Result<std::vector<ReportedIncident>>(storage::Database&)>;
class IncidentCatalogue {
 public:
  virtual ~IncidentCatalogue() = default;
  [[nodiscard]] virtual ReportedIncidentsJob IncidentsReported(
      std::optional<Time> since, std::optional<Time> before) const = 0;
};

// The rebounds the aftermath's watch has found so far, per follow-up 台账
// item id: the ledger's statistics count them against their items.
class ReboundCounter {
 public:
  virtual ~ReboundCounter() = default;
  [[nodiscard]] virtual std::map<std::string, int64_t, std::less<>> ReboundsByLedgerItem()
      const = 0;
};

// Records that a responding unit's team arrived at an incident's scene (a
// team member's SMS reply "到达"), exactly as the unit's agent would report
// it, appending to `out`. NotFound for an unknown incident; FailedPrecondition
// when the unit is not responding to it or has already arrived.
class ArrivalRecorder {
 public:
  virtual ~ArrivalRecorder() = default;
  [[nodiscard]] virtual Status RecordArrival(const std::string& incident_id,
                                             const std::string& unit_id, const core::Actor& who,
                                             const std::string& reported_by, Time now,
                                             core::Effects& out) = 0;
};

// Registers the follow-up 台账 item of a settled incident (善后), owned by
// the unit's responsible leader, appending to `out`; returns its id.
// InvalidArgument when the unit lacks what an item needs (a leader).
struct FollowUpRequest {
  std::string incident_id;
  std::string unit_id;
  std::string category_id;  // empty: the "other" category
  std::string description;
  uint32_t persons = 0;
  core::RiskLevel level = core::RiskLevel::kMedium;
  core::Person responsible_leader;
  core::Person responsible_person;
};
class FollowUpRegistrar {
 public:
  virtual ~FollowUpRegistrar() = default;
  [[nodiscard]] virtual Result<std::string> RegisterFollowUp(const FollowUpRequest& request,
                                                             Time now, core::Effects& out) = 0;
};

// An incident's cost from the reserve-fund book, integer fen.
struct IncidentCostFigures {
  int64_t estimated_fen = 0;
  int64_t actual_fen = 0;
};
class IncidentCostSource {
 public:
  virtual ~IncidentCostSource() = default;
  // Errors are the store's (a read that failed).
  [[nodiscard]] virtual Result<IncidentCostFigures> CostOf(
      const std::string& incident_id) const = 0;
};

// Whether an incident may be closed now (its post-incident review is
// complete): OK, or FailedPrecondition saying what is missing.
class IncidentCloseGate {
 public:
  virtual ~IncidentCloseGate() = default;
  [[nodiscard]] virtual Status MayClose(const std::string& incident_id) const = 0;
};

// The settlement of an incident that is settled or in aftermath, as its
// IncidentSettled event said it; nullopt for any other incident. Errors are
// the store's (it may read the incident from it).
class SettledIncidents {
 public:
  virtual ~SettledIncidents() = default;
  [[nodiscard]] virtual Result<std::optional<core::IncidentSettled>> SettlementOf(
      const std::string& incident_id) const = 0;
};

// A module's part of the yearly report (`anding stats yearly`): its figures
// for the local calendar year `year` added to `view`, and its tables, in
// `language`, appended to `tables`. The report puts the parts in the order
// of `yearly_report_order()` (visits 10, responses 20, 台账 30, funds 40).
// A part is asked on the io_context thread and answers with a job that the
// report runs on the query thread with the store's read connection: a part
// kept in memory computes at once and its job only hands the result over;
// a part kept in the store reads it in its job.
struct YearlyReportScope {
  int year = 0;
  core::visits::Language language = core::visits::Language::kZh;
  Time now{};
};
// A statistics request for the scope's year in its language: any request
// with from_day, to_day and language (the statistics' common fields).
template <typename Request>
[[nodiscard]] Request YearlyRequest(const YearlyReportScope& scope) {
  Request request;
  request.set_from_day(std::to_string(scope.year) + "-01-01");
  request.set_to_day(std::to_string(scope.year) + "-12-31");
  request.set_language(std::string(core::visits::LanguageName(scope.language)));
  return request;
}

using YearlyReportJob = std::function<Status(storage::Database& db, v1::YearlyReportView& view,
                                             std::vector<core::visits::StatsTable>& tables)>;
class YearlyReportPart {
 public:
  virtual ~YearlyReportPart() = default;
  [[nodiscard]] virtual int yearly_report_order() const = 0;
  // InvalidArgument when the part cannot be made for `scope`.
  [[nodiscard]] virtual Result<YearlyReportJob> YearlyReportPartFor(
      const YearlyReportScope& scope) const = 0;
};

}  // namespace anding::dispatcher

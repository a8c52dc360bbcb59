#include "visits_module.h"

#include <algorithm>

#include "anding/common/strings.h"
#include "anding/core/visits/stats.h"
#include "anding/core/visits/stats_report.h"
#include "anding/store/visits_repository.h"
#include "ops_server.h"
#include "visits_codec.h"
#include "vocabulary_codec.h"

namespace anding::dispatcher {

namespace visits = core::visits;

namespace {

// The display name of a breakdown's key (a unit's or category's name).
visits::KeyName KeyNames(const core::Organisation& org, visits::Dimension dimension) {
  return [&org, dimension](std::string_view key) {
    if (dimension == visits::Dimension::kUnit) {
      if (const core::Unit* unit = org.FindUnit(key)) return unit->name;
    } else if (dimension == visits::Dimension::kCategory) {
      if (const core::Category* category = org.FindCategory(key)) return category->name_zh;
    }
    return std::string();
  };
}

}  // namespace

VisitsModule::VisitsModule(ModuleContext& context, visits::VisitsConfig config)
    : context_(context), config_(std::move(config)) {}

std::vector<storage::Migration> VisitsModule::Migrations() const {
  return store::VisitsMigrations();
}

Status VisitsModule::Load(storage::Database& db) {
  // The register holds the repeat window's visits and the matters in which
  // a limit runs; the others stay in the store, recalled when a command
  // needs them (RecallFor, RecallMatter) and read on the query thread for
  // lists and statistics.
  db_ = &db;
  const CivilDay today = config_.zone.DayOf(context_.clock().Now());
  ANDING_ASSIGN_OR_RETURN(auto state,
                          store::LoadVisitsState(db, today - config_.repeat_window_days));
  ANDING_ASSIGN_OR_RETURN(
      auto restored, visits::VisitRegister::Restore(config_, context_.org(), std::move(state)));
  register_ = std::make_unique<visits::VisitRegister>(std::move(restored));
  generations_.clear();
  return OkStatus();
}

std::vector<v1::Envelope::PayloadCase> VisitsModule::Payloads() const {
  return {v1::Envelope::kVisitRecord};
}

Status VisitsModule::Recall(std::string_view visit_id) {
  if (visit_id.empty() || register_->Holds(visit_id)) return OkStatus();
  ANDING_ASSIGN_OR_RETURN(auto stored, store::FindVisit(*db_, visit_id));
  if (stored) register_->Recall({std::move(*stored)});
  return OkStatus();
}

Status VisitsModule::RecallMatter(std::string_view matter_id) {
  if (matter_id.empty() || register_->HoldsMatter(matter_id)) return OkStatus();
  ANDING_ASSIGN_OR_RETURN(auto stored, store::FindMatter(*db_, matter_id));
  if (stored) register_->RecallMatter(std::move(*stored));
  return OkStatus();
}

void VisitsModule::LetGoOfMatter(const std::string& matter_id, uint64_t generation) {
  auto latest = generations_.find(matter_id);
  if (latest == generations_.end() || latest->second != generation) return;  // changed since
  generations_.erase(latest);
  (void)register_->ReleaseMatter(matter_id);  // refused while a limit runs in it
}

void VisitsModule::LetGoOfFinishedMatters() {
  std::vector<std::string> finished;
  for (const auto& [id, matter] : register_->state().matters) {
    if (!visits::LimitRuns(matter.state) && !generations_.contains(id)) finished.push_back(id);
  }
  for (const std::string& id : finished) (void)register_->ReleaseMatter(id);
}

Status VisitsModule::RecallFor(const visits::VisitRequest& request) {
  const std::optional<CivilDay> since = register_->state().visits_since;
  const CivilDay from = request.day - config_.repeat_window_days;
  if (since && from < *since) {
    // A visit dated before the days held: its repeat window from the store.
    ANDING_ASSIGN_OR_RETURN(auto window,
                            store::LoadGroupVisits(*db_, request.unit_id, request.category_id, from,
                                                   std::min(request.day, *since - 1)));
    register_->Recall(std::move(window));
  }
  return Recall(request.repeat_of);
}

Result<std::string> VisitsModule::Apply(const AgentInput& input, core::Effects& out) {
  ANDING_ASSIGN_OR_RETURN(visits::VisitRequest request,
                          VisitFromRecord(input.envelope.visit_record(), input.unit_id));
  ANDING_RETURN_IF_ERROR(RecallFor(request));
  ANDING_ASSIGN_OR_RETURN(
      const visits::Visit visit,
      register_->RecordVisit(request, core::Actor::Agent(input.unit_id), input.now, out));
  return visit.id;
}

std::vector<v1::OperatorRequest::RequestCase> VisitsModule::Requests() const {
  using R = v1::OperatorRequest;
  return {R::kRecordVisit,  R::kListVisits,  R::kRegisterMatter,
          R::kUpdateMatter, R::kListMatters, R::kVisitStats};
}

Status VisitsModule::Record(const core::Effects& out, Time) {
  if (out.changed.empty()) return OkStatus();
  ANDING_ASSIGN_OR_RETURN(visits::VisitsChangeSet changes, register_->Changes(out.changed));
  if (changes.empty()) return OkStatus();
  // A matter this change leaves without a running limit is let go of once
  // it is stored, unless changed again by then.
  for (const auto& entry : changes.matters) {
    const uint64_t generation = ++last_generation_;
    generations_[entry.first] = generation;
    context_.AfterCommit([this, id = entry.first, generation] { LetGoOfMatter(id, generation); });
  }
  context_.Write([changes = std::move(changes)](storage::Database& db) {
    return store::SaveVisitsChanges(db, changes);
  });
  return OkStatus();
}

Time VisitsModule::NextWakeup() const {
  return std::min(register_->NextWakeup().value_or(Time::max()), next_forget_);
}

void VisitsModule::Tick(Time now, core::Effects& out) {
  // Hourly, before anything this turn changes a visit: the visits a start
  // would not read (dated before the repeat window) are let go of.
  if (now >= next_forget_) {
    const CivilDay today = config_.zone.DayOf(now);
    (void)register_->Forget(today - config_.repeat_window_days);
    LetGoOfFinishedMatters();
    next_forget_ = now + std::chrono::hours(1);
  }
  register_->Tick(now, out);
}

void VisitsModule::Serve(OperatorCall& call) {
  const v1::OperatorRequest& request = call.request();
  const core::Actor actor = core::Actor::Operator(call.who().id);
  const CivilDay today = config_.zone.DayOf(call.now());
  visits::VisitRegister& book = *register_;
  switch (request.request_case()) {
    case v1::OperatorRequest::kRecordVisit: {
      auto parsed = VisitFromRequest(request.record_visit(), today);
      if (!parsed.ok()) return call.Fail(parsed.status());
      if (Status recalled = RecallFor(*parsed); !recalled.ok()) return call.Fail(recalled);
      auto result = std::make_shared<v1::VisitView>();
      call.Command(
          [&](core::Effects& out, Time at) -> Status {
            ANDING_ASSIGN_OR_RETURN(const visits::Visit visit,
                                    book.RecordVisit(*parsed, actor, at, out));
            *result = VisitToProto(visit);
            return OkStatus();
          },
          [result] {
            v1::OperatorResponse response;
            *response.mutable_visit()->mutable_visit() = *result;
            return response;
          });
      return;
    }
    case v1::OperatorRequest::kRegisterMatter:
    case v1::OperatorRequest::kUpdateMatter: {
      auto result = std::make_shared<v1::MatterView>();
      std::function<Result<visits::Matter>(core::Effects&, Time)> run;
      if (request.has_register_matter()) {
        auto parsed = MatterFromRequest(request.register_matter(), today);
        if (!parsed.ok()) return call.Fail(parsed.status());
        if (Status recalled = Recall(parsed->visit_id); !recalled.ok()) {
          return call.Fail(recalled);
        }
        run = [&, matter = *parsed](core::Effects& out, Time at) {
          return book.RegisterMatter(matter, actor, at, out);
        };
      } else {
        auto parsed = MatterActionFromRequest(request.update_matter(), today);
        if (!parsed.ok()) return call.Fail(parsed.status());
        if (Status recalled = RecallMatter(parsed->matter_id); !recalled.ok()) {
          return call.Fail(recalled);
        }
        run = [&, action = *parsed](core::Effects& out, Time at) {
          return book.Act(action, actor, at, out);
        };
      }
      call.Command(
          [&](core::Effects& out, Time at) -> Status {
            ANDING_ASSIGN_OR_RETURN(const visits::Matter matter, run(out, at));
            *result = MatterToProto(matter, config_);
            return OkStatus();
          },
          [result] {
            v1::OperatorResponse response;
            *response.mutable_matter()->mutable_matter() = *result;
            return response;
          });
      return;
    }
    case v1::OperatorRequest::kListVisits:
      return ListVisits(call);
    case v1::OperatorRequest::kListMatters:
      return ListMatters(call);
    case v1::OperatorRequest::kVisitStats:
      return Stats(call);
    default:
      return call.Fail(InternalError("visits: request not served here"));
  }
}

void VisitsModule::ListVisits(OperatorCall& call) const {
  const auto& r = call.request().list_visits();
  store::VisitQuery query;
  query.unit_id = r.unit_id();
  if (!r.from_day().empty()) query.from = ParseDay(r.from_day()).value_or(CivilDay());
  if (!r.to_day().empty()) query.to = ParseDay(r.to_day()).value_or(CivilDay());
  query.repeats_only = r.repeats_only();
  query.limit = PageLimit(r.limit());
  query.cursor = r.cursor();
  call.Query([query](storage::Database& db) {
    auto page = store::ListVisitPage(db, query);
    if (!page.ok()) return ErrorResponse("", page.status());
    v1::OperatorResponse response;
    auto* list = response.mutable_visits();
    list->set_next_cursor(page->next_cursor);
    for (const visits::Visit& visit : page->visits) *list->add_visits() = VisitToProto(visit);
    return response;
  });
}

void VisitsModule::ListMatters(OperatorCall& call) const {
  const auto& r = call.request().list_matters();
  store::MatterQuery query;
  query.unit_id = r.unit_id();
  query.state = r.state();
  query.open_only = r.open_only();
  query.limit = PageLimit(r.limit());
  query.cursor = r.cursor();
  // From the store on the query thread: the register holds only the
  // running matters.
  call.Query([query, config = config_](storage::Database& db) {
    auto page = store::ListMatterPage(db, query);
    if (!page.ok()) return ErrorResponse("", page.status());
    v1::OperatorResponse response;
    auto* list = response.mutable_matters();
    list->set_next_cursor(page->next_cursor);
    for (const visits::Matter& matter : page->matters) {
      *list->add_matters() = MatterToProto(matter, config);
    }
    return response;
  });
}

void VisitsModule::Stats(OperatorCall& call) const {
  const auto& r = call.request().visit_stats();
  const auto kind = visits::ParsePeriodKind(r.period_kind());
  if (!kind) {
    return call.Fail(InvalidArgumentError(
        StrCat("period_kind: '", r.period_kind(), "' is not month, quarter, year or range")));
  }
  const auto dimension = visits::ParseDimension(r.by().empty() ? "total" : r.by());
  if (!dimension) {
    return call.Fail(InvalidArgumentError(StrCat("by: '", r.by(), "' is not a breakdown")));
  }
  const auto language = ParseLanguageField("visit_stats", r.language());
  if (!language.ok()) return call.Fail(language.status());
  auto period = visits::ParsePeriod(*kind, r.period());
  if (!period.ok()) return call.Fail(period.status());
  // The visits of the three periods compared, read on the query thread.
  const visits::Period previous = visits::PreviousPeriod(*kind, *period);
  const visits::Period year_ago = visits::YearAgo(*kind, *period);
  const CivilDay first = std::min({period->first, previous.first, year_ago.first});
  const CivilDay last = std::max({period->last, previous.last, year_ago.last});
  call.Query([&org = context_.org(), rounding = config_.rounding, kind = *kind, current = *period,
              dimension = *dimension, format = r.format(), language = *language, first,
              last](storage::Database& db) {
    auto visits_of_periods = store::LoadVisitsBetween(db, first, last);
    if (!visits_of_periods.ok()) return ErrorResponse("", visits_of_periods.status());
    const visits::VisitStats stats =
        visits::ComputeVisitStats(*visits_of_periods, kind, current, dimension, rounding);
    v1::OperatorResponse response;
    auto* view = response.mutable_visit_stats();
    *view = VisitStatsToProto(stats, org);
    view->set_format(format);
    if (const auto report_format = visits::ParseReportFormat(format)) {
      view->set_document(visits::RenderVisitStats(stats, *report_format, language,
                                                  KeyNames(org, stats.dimension)));
    }
    return response;
  });
}

core::ledger::MatterDeadlineCounts VisitsModule::MatterDeadlinesAt(Time at) const {
  core::ledger::MatterDeadlineCounts counts;
  for (const auto& [unit, tally] :
       visits::TallyDeadlines(register_->state().matters, config_, at)) {
    counts[unit] = {tally.due_soon, tally.overdue};
  }
  return counts;
}

Result<YearlyReportJob> VisitsModule::YearlyReportPartFor(const YearlyReportScope& scope) const {
  ANDING_ASSIGN_OR_RETURN(const visits::Period year,
                          visits::ParsePeriod(visits::PeriodKind::kYear, StrCat(scope.year)));
  // The year and the one before it, read from the store on the query thread
  // (the register keeps only the repeat window's visits).
  const visits::Period year_ago = visits::YearAgo(visits::PeriodKind::kYear, year);
  return YearlyReportJob([&org = context_.org(), rounding = config_.rounding, year, year_ago,
                          language = scope.language](storage::Database& db,
                                                     v1::YearlyReportView& view,
                                                     std::vector<visits::StatsTable>& tables) {
    ANDING_ASSIGN_OR_RETURN(auto two_years,
                            store::LoadVisitsBetween(db, year_ago.first, year.last));
    for (const visits::Dimension dimension :
         {visits::Dimension::kTotal, visits::Dimension::kUnit, visits::Dimension::kCategory,
          visits::Dimension::kChannel, visits::Dimension::kDestination}) {
      const visits::VisitStats stats = visits::ComputeVisitStats(
          two_years, visits::PeriodKind::kYear, year, dimension, rounding);
      *view.add_visits() = VisitStatsToProto(stats, org);
      tables.push_back(visits::VisitStatsTable(stats, language, KeyNames(org, dimension)));
    }
    return OkStatus();
  });
}

}  // namespace anding::dispatcher

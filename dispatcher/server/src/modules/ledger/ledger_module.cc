#include "ledger_module.h"

#include "anding/common/strings.h"
#include "anding/core/ledger/export.h"
#include "anding/core/ledger/ledger_stats.h"
#include "anding/core/ledger/summaries.h"
#include "anding/dispatcher/module_queries.h"
#include "anding/wire/codec.h"
#include "ledger_codec.h"
#include "ops_server.h"
#include "stats_answer.h"
#include "vocabulary_codec.h"

namespace anding::dispatcher {

LedgerModule::LedgerModule(ModuleContext& context, core::ledger::LedgerConfig config,
                           core::visits::Rounding rounding)
    : context_(context), config_(std::move(config)), rounding_(rounding) {}

std::vector<storage::Migration> LedgerModule::Migrations() const {
  return store::LedgerMigrations();
}

CivilDay LedgerModule::RecentSince(Time now) const {
  // Two local days back: the oldest day the daily summary's timer covers
  // (the day before the latest one due, after downtime).
  return context_.org().time_zone().DayOf(now) - 2;
}

Status LedgerModule::Load(storage::Database& db) {
  db_ = &db;
  const TimeZone& zone = context_.org().time_zone();
  const Time now = context_.clock().Now();
  held_since_ = RecentSince(now);
  ANDING_ASSIGN_OR_RETURN(auto snapshot,
                          store::LoadOpenLedger(db, zone.StartOf(held_since_), held_since_));
  book_ = std::make_unique<ledger::Ledger>(context_.org(), config_, std::move(snapshot));
  book_->SetSummaryInputs(SummarySource());
  LetGoOfEarlierReports(now);
  return OkStatus();
}

void LedgerModule::LetGoOfEarlierReports(Time now) {
  storage::Database* db = db_;
  book_->HoldDailyReportsSince(RecentSince(now), [db](std::string_view unit_id, CivilDay day) {
    return store::FindDailyReport(*db, unit_id, day);
  });
  book_->HoldUncheckedScreenings([db](std::string_view unit_id, const ledger::Period& period) {
    return store::FindScreeningReport(*db, unit_id, period);
  });
  next_report_window_ = now + std::chrono::hours(1);
}

Time LedgerModule::NextWakeup() const { return std::min(book_->NextWakeup(), next_report_window_); }

void LedgerModule::Tick(Time now, core::Effects& out) {
  // Hourly, before anything this turn files a report: the daily reports of
  // days before the last two, and the screening reports and reminders of
  // the periods checked, are let go of, as a start leaves them.
  if (now >= next_report_window_) LetGoOfEarlierReports(now);
  book_->Tick(now, out);
}

Status LedgerModule::Recall(std::string_view id) {
  if (id.empty() || book_->FindItem(id) != nullptr) return OkStatus();
  ANDING_ASSIGN_OR_RETURN(auto stored, store::FindLedgerItem(*db_, std::string(id)));
  if (stored) book_->Recall(std::move(*stored));
  return OkStatus();
}

void LedgerModule::AnswerOver(OperatorCall& call, bool held, Scope scope, Answer answer) const {
  if (held) return call.Reply(answer(*book_));
  call.Query([&org = context_.org(), config = config_, scope = std::move(scope),
              answer = std::move(answer)](storage::Database& db) {
    auto snapshot = scope(db);
    if (!snapshot.ok()) return ErrorResponse("", snapshot.status());
    const ledger::Ledger book(org, config, std::move(*snapshot));
    return answer(book);
  });
}

bool LedgerModule::HoldsAllOf(const ledger::ItemFilter& filter) {
  if (filter.open_only || filter.overdue_only) return true;
  return !filter.states.empty() && std::find(filter.states.begin(), filter.states.end(),
                                             ledger::ItemState::kClosedOut) == filter.states.end();
}

LedgerModule::Scope LedgerModule::ItemsScope(const ledger::ItemFilter& filter) {
  store::LedgerItemQuery query;
  query.unit_id = filter.unit_id;
  query.category_id = filter.category_id;
  return [query](storage::Database& db) -> Result<ledger::LedgerSnapshot> {
    ledger::LedgerSnapshot snapshot;
    ANDING_ASSIGN_OR_RETURN(snapshot.items, store::LoadLedgerItems(db, query));
    return snapshot;
  };
}

bool LedgerModule::HoldsDay(CivilDay day) const {
  const std::optional<CivilDay> reports_since = book_->daily_reports_since();
  return day >= held_since_ && (!reports_since || day >= *reports_since);
}

LedgerModule::Scope LedgerModule::DayScope(CivilDay day) const {
  const TimeZone& zone = context_.org().time_zone();
  const Time start = zone.StartOf(day);
  const Time end = zone.StartOf(day + 1);
  return [day, start, end](storage::Database& db) -> Result<ledger::LedgerSnapshot> {
    ledger::LedgerSnapshot snapshot;
    ANDING_ASSIGN_OR_RETURN(snapshot.daily_reports, store::LoadDailyReportsOn(db, day));
    store::LedgerItemQuery query;
    query.registered_before = end;
    query.open_since = start;
    ANDING_ASSIGN_OR_RETURN(snapshot.items, store::LoadLedgerItems(db, query));
    ANDING_ASSIGN_OR_RETURN(snapshot.warnings, store::LoadLedgerWarnings(db, start, end));
    return snapshot;
  };
}

LedgerModule::Scope LedgerModule::MonthScope(absl::CivilMonth month) const {
  const TimeZone& zone = context_.org().time_zone();
  const Time start = zone.StartOf(CivilDay(month));
  const Time end = zone.StartOf(CivilDay(month + 1));
  return [start, end](storage::Database& db) -> Result<ledger::LedgerSnapshot> {
    ledger::LedgerSnapshot snapshot;
    store::LedgerItemQuery query;
    query.registered_before = end;
    query.open_since = start;
    ANDING_ASSIGN_OR_RETURN(snapshot.items, store::LoadLedgerItems(db, query));
    return snapshot;
  };
}

Result<LedgerModule::Answer> LedgerModule::DailySummaryAnswer(
    CivilDay day, Time now,
    std::function<v1::OperatorResponse(const ledger::DailySummary&)> render) const {
  const Time cutoff = std::min(context_.org().time_zone().StartOf(day + 1), now);
  ANDING_ASSIGN_OR_RETURN(const ledger::SummaryInputs inputs, SummaryInputsFor(day, cutoff));
  return Answer([day, now, inputs, render = std::move(render)](const ledger::Ledger& book) {
    return render(ledger::BuildDailySummary(book, day, now, inputs.incidents, inputs.matters));
  });
}

std::vector<v1::Envelope::PayloadCase> LedgerModule::Payloads() const {
  return {v1::Envelope::kEarlyWarning, v1::Envelope::kScreeningReport,
          v1::Envelope::kDailyReport,  v1::Envelope::kLedgerRegister,
          v1::Envelope::kLedgerUpdate, v1::Envelope::kLedgerCloseOut};
}

std::vector<v1::OperatorRequest::RequestCase> LedgerModule::Requests() const {
  using R = v1::OperatorRequest;
  return {R::kRegisterLedgerItem, R::kUpdateLedgerItem, R::kCloseOutLedgerItem,
          R::kRejectResolution,   R::kReopenLedgerItem, R::kExtendLedgerDeadline,
          R::kListLedgerItems,    R::kShowLedgerItem,   R::kDailySummary,
          R::kMonthlySummary,     R::kScreeningStatus,  R::kExport,
          R::kLedgerStats};
}

Status LedgerModule::Record(const core::Effects& out, Time) {
  if (out.changed.empty()) return OkStatus();
  ANDING_ASSIGN_OR_RETURN(auto changes, book_->TakeChanges(out.changed));
  if (changes.empty()) return OkStatus();
  context_.Write([changes = std::move(changes)](storage::Database& db) {
    return store::SaveLedgerChanges(db, changes);
  });
  return OkStatus();
}

Result<core::ledger::SummaryInputs> LedgerModule::SummaryInputsFor(CivilDay day,
                                                                   Time cutoff) const {
  core::ledger::SummaryInputs inputs;
  if (const auto* counter = context_.Find<IncidentCounter>()) {
    ANDING_ASSIGN_OR_RETURN(inputs.incidents, counter->IncidentsOn(day));
  }
  if (const auto* matters = context_.Find<MatterDeadlineCounter>()) {
    inputs.matters = matters->MatterDeadlinesAt(cutoff);
  }
  return inputs;
}

core::ledger::SummaryInputSource LedgerModule::SummarySource() const {
  // The daily summary's timer covers only days the modules hold (two days
  // before the load on), which the counters answer from memory: no error.
  return [this](CivilDay day, Time cutoff) {
    auto inputs = SummaryInputsFor(day, cutoff);
    return inputs.ok() ? std::move(*inputs) : core::ledger::SummaryInputs();
  };
}

Result<LedgerModule::StatsJob> LedgerModule::StatsJobFor(const v1::LedgerStatsRequest& r,
                                                         Time now) const {
  ANDING_ASSIGN_OR_RETURN(const DayRange range,
                          ParseDayRange("ledger_stats", r.from_day(), r.to_day()));
  const auto by = ledger::ParseStatsBreakdown(r.by().empty() ? "unit" : r.by());
  if (!by) {
    return InvalidArgumentError(
        StrCat("ledger_stats.by: '", r.by(), "' is not unit or category (--by)"));
  }
  ANDING_ASSIGN_OR_RETURN(const auto language, ParseLanguageField("ledger_stats", r.language()));
  if (range.from && range.to && *range.to < *range.from) {
    return InvalidArgumentError(StrCat("ledger_stats.to_day ", FormatDay(*range.to),
                                       " is before from_day ", FormatDay(*range.from)));
  }
  const auto* counter = context_.Find<ReboundCounter>();
  ledger::ReboundCounts rebounds =
      counter == nullptr ? ledger::ReboundCounts{} : counter->ReboundsByLedgerItem();
  const TimeZone& zone = context_.org().time_zone();
  store::LedgerItemQuery query;
  if (range.from) query.registered_from = zone.StartOf(*range.from);
  if (range.to) query.registered_before = zone.StartOf(*range.to + 1);
  const ledger::LedgerStatsRequest request{range.from, range.to, *by, rounding_};
  return StatsJob([&org = context_.org(), config = config_, query, request, language,
                   rebounds = std::move(rebounds), now, from_day = r.from_day(),
                   to_day = r.to_day()](storage::Database& db) -> Result<StatsAnswer> {
    ledger::LedgerSnapshot snapshot;
    ANDING_ASSIGN_OR_RETURN(snapshot.items, store::LoadLedgerItems(db, query));
    const ledger::Ledger book(org, config, std::move(snapshot));
    auto stats = ledger::ComputeLedgerStats(book, request, rebounds, now);
    if (!stats.ok()) {
      return InvalidArgumentError(StrCat("ledger_stats.", stats.status().message()));
    }
    auto name = [&org, by = request.by](std::string_view key) -> std::string {
      if (by == ledger::StatsBreakdown::kUnit) {
        if (const core::Unit* unit = org.FindUnit(key)) return unit->name;
      } else if (const core::Category* category = org.FindCategory(key)) {
        return category->name_zh;
      }
      return std::string();
    };
    StatsAnswer answer{LedgerStatsToProto(*stats, name),
                       ledger::LedgerStatsTable(*stats, language, name)};
    answer.view.set_from_day(from_day);
    answer.view.set_to_day(to_day);
    return answer;
  });
}

void LedgerModule::Stats(OperatorCall& call) const {
  const auto& r = call.request().ledger_stats();
  auto job = StatsJobFor(r, call.now());
  if (!job.ok()) return call.Fail(job.status());
  AnswerStats(call, std::move(*job), r.format(), &v1::OperatorResponse::mutable_ledger_stats);
}

Result<YearlyReportJob> LedgerModule::YearlyReportPartFor(const YearlyReportScope& scope) const {
  ANDING_ASSIGN_OR_RETURN(StatsJob job,
                          StatsJobFor(YearlyRequest<v1::LedgerStatsRequest>(scope), scope.now));
  return YearlyReportJob([job = std::move(job)](storage::Database& db, v1::YearlyReportView& view,
                                                std::vector<core::visits::StatsTable>& tables) {
    ANDING_ASSIGN_OR_RETURN(StatsAnswer answer, job(db));
    *view.mutable_ledger() = std::move(answer.view);
    tables.push_back(std::move(answer.table));
    return OkStatus();
  });
}

Result<std::string> LedgerModule::Apply(const AgentInput& input, core::Effects& out) {
  ledger::Ledger& book = *book_;
  const core::Actor who = core::Actor::Agent(input.unit_id);
  const v1::Envelope& envelope = input.envelope;
  const Time now = input.now;
  std::string record_id;
  switch (envelope.payload_case()) {
    case v1::Envelope::kEarlyWarning: {
      const auto& p = envelope.early_warning();
      ledger::EarlyWarningRequest r;
      r.summary = p.summary();
      r.details = p.details();
      r.category_id = p.category_id();
      r.persons = p.persons();
      r.level = LevelFromProto(p.level());
      r.major = p.major();
      r.destination_region_id = p.destination().region_id();
      r.destination_address = p.destination().address();
      r.observed_at = OptionalTime(p.observed_at());
      r.ledger_item_id = p.ledger_item_id();
      ANDING_RETURN_IF_ERROR(Recall(r.ledger_item_id));
      ANDING_ASSIGN_OR_RETURN(auto outcome, book.ReceiveWarning(r, who, now, out));
      record_id = outcome.ledger_item_id;
      break;
    }
    case v1::Envelope::kScreeningReport: {
      const auto& p = envelope.screening_report();
      ledger::ScreeningReportRequest r;
      ANDING_ASSIGN_OR_RETURN(r.period, PeriodFromProto(p.period()));
      r.zero_report = p.zero_report();
      for (const auto& f : p.findings()) {
        ANDING_RETURN_IF_ERROR(Recall(f.ledger_item_id()));
        r.findings.push_back(ledger::ScreeningFindingRequest{f.ledger_item_id(), f.category_id(),
                                                             f.description(), f.persons(),
                                                             LevelFromProto(f.level())});
      }
      r.screened_by = p.screened_by();
      r.remarks = p.remarks();
      // The intake put the judged filing time in sent_at.
      if (envelope.has_sent_at()) r.filed_at = wire::FromProto(envelope.sent_at());
      ANDING_ASSIGN_OR_RETURN(auto outcome, book.FileScreening(r, who, now, out));
      record_id = outcome.key;
      break;
    }
    case v1::Envelope::kDailyReport: {
      const auto& p = envelope.daily_report();
      ledger::DailyReportRequest r;
      ANDING_ASSIGN_OR_RETURN(r.day, ParseDay(p.day()));
      r.zero_report = p.zero_report();
      r.new_warnings = p.new_warnings();
      r.items_progressed = p.items_progressed();
      r.visit_batches = p.visit_batches();
      r.visit_persons = p.visit_persons();
      r.text = p.text();
      r.reported_by = p.reported_by();
      r.day_from_clock = p.day_from_clock();
      if (envelope.has_sent_at()) r.filed_at = wire::FromProto(envelope.sent_at());
      ANDING_ASSIGN_OR_RETURN(auto outcome, book.FileDailyReport(r, who, now, out));
      record_id = outcome.key;
      break;
    }
    case v1::Envelope::kLedgerRegister: {
      ANDING_ASSIGN_OR_RETURN(
          record_id,
          book.Register(RegisterFromProto("", envelope.ledger_register()), who, now, out));
      break;
    }
    case v1::Envelope::kLedgerUpdate:
      ANDING_RETURN_IF_ERROR(Recall(envelope.ledger_update().ledger_item_id()));
      ANDING_RETURN_IF_ERROR(book.Update(UpdateFromProto(envelope.ledger_update()), who, now, out));
      record_id = envelope.ledger_update().ledger_item_id();
      break;
    case v1::Envelope::kLedgerCloseOut:
      ANDING_RETURN_IF_ERROR(Recall(envelope.ledger_close_out().ledger_item_id()));
      ANDING_RETURN_IF_ERROR(
          book.CloseOut(CloseOutFromProto(envelope.ledger_close_out()), who, now, out));
      record_id = envelope.ledger_close_out().ledger_item_id();
      break;
    default:
      return InternalError("not a ledger payload");
  }
  return record_id;
}

void LedgerModule::Serve(OperatorCall& call) {
  ledger::Ledger& book = *book_;
  const v1::OperatorRequest& request = call.request();
  const core::Actor actor = core::Actor::Operator(call.who().id);
  const Time now = call.now();
  // The item after a command, answered once the change is stored.
  auto item_response = [this](std::string id) {
    return [this, id = std::move(id)] {
      v1::OperatorResponse response;
      const ledger::LedgerItem* item = book_->FindItem(id);
      if (item != nullptr) {
        *response.mutable_ledger_item()->mutable_item() =
            ItemView(*book_, *item, context_.clock().Now(), true);
      }
      return response;
    };
  };

  // A command naming an item the book does not hold (closed out before it
  // was loaded) reads it by key first.
  std::string_view named;
  switch (request.request_case()) {
    case v1::OperatorRequest::kUpdateLedgerItem:
      named = request.update_ledger_item().update().ledger_item_id();
      break;
    case v1::OperatorRequest::kCloseOutLedgerItem:
      named = request.close_out_ledger_item().close_out().ledger_item_id();
      break;
    case v1::OperatorRequest::kRejectResolution:
      named = request.reject_resolution().ledger_item_id();
      break;
    case v1::OperatorRequest::kReopenLedgerItem:
      named = request.reopen_ledger_item().ledger_item_id();
      break;
    case v1::OperatorRequest::kExtendLedgerDeadline:
      named = request.extend_ledger_deadline().ledger_item_id();
      break;
    default:
      break;
  }
  if (Status recalled = Recall(named); !recalled.ok()) return call.Fail(recalled);

  switch (request.request_case()) {
    case v1::OperatorRequest::kRegisterLedgerItem: {
      auto id = std::make_shared<std::string>();
      const auto& r = request.register_ledger_item();
      call.Command(
          [&](core::Effects& out, Time at) -> Status {
            ANDING_ASSIGN_OR_RETURN(
                *id, book.Register(RegisterFromProto(r.unit_id(), r.item()), actor, at, out));
            return OkStatus();
          },
          [item_response, id] { return item_response(*id)(); });
      return;
    }
    case v1::OperatorRequest::kUpdateLedgerItem: {
      const auto& update = request.update_ledger_item().update();
      call.Command([&](core::Effects& out,
                       Time at) { return book.Update(UpdateFromProto(update), actor, at, out); },
                   item_response(update.ledger_item_id()));
      return;
    }
    case v1::OperatorRequest::kCloseOutLedgerItem: {
      const auto& close = request.close_out_ledger_item().close_out();
      call.Command([&](core::Effects& out,
                       Time at) { return book.CloseOut(CloseOutFromProto(close), actor, at, out); },
                   item_response(close.ledger_item_id()));
      return;
    }
    case v1::OperatorRequest::kRejectResolution: {
      const auto& r = request.reject_resolution();
      call.Command(
          [&](core::Effects& out, Time at) {
            return book.RejectResolution({r.ledger_item_id(), r.reason()}, actor, at, out);
          },
          item_response(r.ledger_item_id()));
      return;
    }
    case v1::OperatorRequest::kReopenLedgerItem: {
      const auto& r = request.reopen_ledger_item();
      call.Command(
          [&](core::Effects& out, Time at) {
            return book.Reopen({r.ledger_item_id(), r.reason(), OptionalTime(r.new_deadline())},
                               actor, at, out);
          },
          item_response(r.ledger_item_id()));
      return;
    }
    case v1::OperatorRequest::kExtendLedgerDeadline: {
      const auto& r = request.extend_ledger_deadline();
      call.Command(
          [&](core::Effects& out, Time at) -> Status {
            if (!wire::IsSet(r.new_deadline()))
              return InvalidArgumentError("new_deadline is required");
            return book.ExtendDeadline({r.ledger_item_id(), wire::FromProto(r.new_deadline()),
                                        r.reason(), r.approved_by()},
                                       actor, at, out);
          },
          item_response(r.ledger_item_id()));
      return;
    }
    case v1::OperatorRequest::kListLedgerItems: {
      const ledger::ItemFilter filter = FilterFromProto(request.list_ledger_items());
      AnswerOver(call, HoldsAllOf(filter), ItemsScope(filter),
                 [filter, now](const ledger::Ledger& over) {
                   v1::OperatorResponse response;
                   auto* list = response.mutable_ledger_items();
                   for (const auto* item : over.Items(filter, now)) {
                     *list->add_items() = ItemView(over, *item, now, false);
                   }
                   return response;
                 });
      return;
    }
    case v1::OperatorRequest::kShowLedgerItem:
      ServeShow(call);
      return;
    case v1::OperatorRequest::kDailySummary: {
      auto day = SummaryDay(book, request.daily_summary().day(), now);
      if (!day.ok()) {
        call.Fail((day.status()));
        return;
      }
      auto answer = DailySummaryAnswer(*day, now, [](const ledger::DailySummary& summary) {
        v1::OperatorResponse response;
        auto* view = response.mutable_daily_summary();
        view->set_day(FormatDay(summary.day));
        *view->mutable_generated_at() = wire::ToProto(summary.generated_at);
        for (const auto& row : summary.rows) *view->add_rows() = RowView(row);
        *view->mutable_totals() = RowView(summary.totals);
        for (const auto& unit : summary.units_not_reported) {
          view->add_units_not_reported(unit);
        }
        return response;
      });
      if (!answer.ok()) {
        call.Fail(answer.status());
        return;
      }
      AnswerOver(call, HoldsDay(*day), DayScope(*day), std::move(*answer));
      return;
    }
    case v1::OperatorRequest::kMonthlySummary: {
      auto month = SummaryMonth(book, request.monthly_summary().month(), now);
      if (!month.ok()) {
        call.Fail((month.status()));
        return;
      }
      AnswerOver(call, false, MonthScope(*month),
                 [month = *month, now](const ledger::Ledger& over) {
                   const auto summary = ledger::BuildMonthlySummary(over, month, now);
                   v1::OperatorResponse response;
                   auto* view = response.mutable_monthly_summary();
                   view->set_month(absl::FormatCivilTime(summary.month));
                   *view->mutable_generated_at() = wire::ToProto(summary.generated_at);
                   *view->mutable_totals() = CountView(summary.totals);
                   for (const auto& count : summary.by_unit)
                     *view->add_by_unit() = CountView(count);
                   for (const auto& count : summary.by_category) {
                     *view->add_by_category() = CountView(count);
                   }
                   view->set_average_days_to_close(summary.average_days_to_close.value_or(-1));
                   return response;
                 });
      return;
    }
    case v1::OperatorRequest::kLedgerStats:
      Stats(call);
      return;
    case v1::OperatorRequest::kScreeningStatus: {
      auto period = PeriodFromProto(request.screening_status().period());
      if (!period.ok()) {
        call.Fail((period.status()));
        return;
      }
      // A checked period's reports are no longer held: read by period.
      AnswerOver(
          call, book.HoldsScreeningsOf(*period),
          [period = *period](storage::Database& db) { return store::LoadScreeningsOf(db, period); },
          [period = *period, now](const ledger::Ledger& over) {
            v1::OperatorResponse response;
            auto* status = response.mutable_screening_status();
            status->set_period(ledger::FormatPeriod(period));
            for (const auto& row : over.ScreeningStatus(period, now)) {
              auto* r = status->add_rows();
              r->set_unit_id(row.unit_id);
              r->set_filed(row.filed);
              r->set_zero_report(row.zero_report);
              r->set_overdue(row.overdue);
              r->set_late(row.late);
              SetTime(row.filed_at, [&] { return r->mutable_filed_at(); });
              SetTime(row.reminded_at, [&] { return r->mutable_reminded_at(); });
            }
            return response;
          });
      return;
    }
    case v1::OperatorRequest::kExport:
      ServeExport(call);
      return;
    default:
      call.Fail(InternalError("not a ledger request"));
      return;
  }
}

void LedgerModule::ServeShow(OperatorCall& call) {
  const std::string& id = call.request().show_ledger_item().ledger_item_id();
  const Time now = call.now();
  const ledger::LedgerItem* held = book_->FindItem(id);
  // An item the book does not hold is closed out (or unknown): read by key.
  AnswerOver(
      call, held != nullptr,
      [id](storage::Database& db) -> Result<ledger::LedgerSnapshot> {
        ledger::LedgerSnapshot snapshot;
        ANDING_ASSIGN_OR_RETURN(auto stored, store::FindLedgerItem(db, id));
        if (stored) snapshot.items.push_back(std::move(*stored));
        return snapshot;
      },
      [id, now](const ledger::Ledger& over) {
        const ledger::LedgerItem* item = over.FindItem(id);
        if (item == nullptr) {
          return ErrorResponse("", NotFoundError(StrCat("no ledger item '", id, "'")));
        }
        v1::OperatorResponse response;
        *response.mutable_ledger_item()->mutable_item() = ItemView(over, *item, now, true);
        return response;
      });
}

void LedgerModule::ServeExport(OperatorCall& call) {
  const ledger::Ledger& book = *book_;
  const Time now = call.now();
  const auto& r = call.request().export_();
  ledger::ExportOptions options;
  if (r.language() == "en") {
    options.language = ledger::Language::kEn;
  } else if (!r.language().empty() && r.language() != "zh") {
    return call.Fail(InvalidArgumentError("language must be zh or en"));
  }
  const bool html = r.format() == v1::EXPORT_FORMAT_HTML;
  if (r.format() != v1::EXPORT_FORMAT_CSV && !html) {
    return call.Fail(InvalidArgumentError("format must be CSV or HTML"));
  }
  // The document as a file, once its content is made.
  auto exported = [html](std::string name, std::string content) {
    v1::OperatorResponse response;
    auto* file = response.mutable_export_();
    file->set_content_type(html ? "text/html; charset=utf-8" : "text/csv; charset=utf-8");
    file->set_file_name(StrCat(name, html ? ".html" : ".csv"));
    file->set_content(std::move(content));
    return response;
  };
  const core::Organisation& org = context_.org();
  switch (r.document()) {
    case v1::EXPORT_DOCUMENT_LEDGER: {
      const auto filter = FilterFromProto(r.filter());
      std::string name = StrCat("ledger-", FormatDay(org.time_zone().DayOf(now)));
      return AnswerOver(call, HoldsAllOf(filter), ItemsScope(filter),
                        [filter, now, options, html, exported, name](const ledger::Ledger& over) {
                          return exported(name,
                                          html ? ledger::LedgerHtml(over, filter, now, options)
                                               : ledger::LedgerCsv(over, filter, now, options));
                        });
    }
    case v1::EXPORT_DOCUMENT_DAILY_SUMMARY: {
      auto day = SummaryDay(book, r.day(), now);
      if (!day.ok()) return call.Fail(day.status());
      auto answer = DailySummaryAnswer(
          *day, now,
          [&org, options, html, exported,
           name = StrCat("daily-summary-", FormatDay(*day))](const ledger::DailySummary& summary) {
            return exported(name, html ? ledger::DailySummaryHtml(summary, org, options)
                                       : ledger::DailySummaryCsv(summary, org, options));
          });
      if (!answer.ok()) return call.Fail(answer.status());
      return AnswerOver(call, HoldsDay(*day), DayScope(*day), std::move(*answer));
    }
    case v1::EXPORT_DOCUMENT_MONTHLY_SUMMARY: {
      auto month = SummaryMonth(book, r.month(), now);
      if (!month.ok()) return call.Fail(month.status());
      return AnswerOver(
          call, false, MonthScope(*month),
          [&org, month = *month, now, options, html, exported](const ledger::Ledger& over) {
            const auto summary = ledger::BuildMonthlySummary(over, month, now);
            return exported(StrCat("monthly-summary-", absl::FormatCivilTime(month)),
                            html ? ledger::MonthlySummaryHtml(summary, org, options)
                                 : ledger::MonthlySummaryCsv(summary, org, options));
          });
    }
    default:
      return call.Fail(
          InvalidArgumentError("document must be LEDGER, DAILY_SUMMARY or MONTHLY_SUMMARY"));
  }
}

Result<std::string> LedgerModule::RegisterFollowUp(const FollowUpRequest& request, Time now,
                                                   core::Effects& out) {
  core::ledger::RegisterItemRequest item;
  item.unit_id = request.unit_id;
  item.category_id = request.category_id.empty() ? "other" : request.category_id;
  item.description = request.description;
  item.persons = request.persons;
  item.level = request.level;
  item.responsible_leader = request.responsible_leader;
  item.responsible_person = request.responsible_person;
  item.source = core::ledger::ItemSource::kIncident;
  item.source_ref = request.incident_id;
  return book_->Register(item, core::Actor::System(), now, out);
}

}  // namespace anding::dispatcher

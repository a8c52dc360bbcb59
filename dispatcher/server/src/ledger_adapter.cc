// The ledger module (台账, screening, daily reports) in the dispatcher:
// agent payloads, operator requests and persistence.
#include "anding/common/strings.h"
#include "anding/core/ledger/export.h"
#include "anding/core/ledger/summaries.h"
#include "anding/store/ledger_repository.h"
#include "anding/wire/codec.h"
#include "domain_convert.h"
#include "domain_service.h"

namespace anding::dispatcher {
namespace {

namespace ledger = core::ledger;

std::optional<ledger::RiskLevel> LevelFromProto(v1::RiskLevel level) {
  switch (level) {
    case v1::RISK_LEVEL_LOW: return ledger::RiskLevel::kLow;
    case v1::RISK_LEVEL_MEDIUM: return ledger::RiskLevel::kMedium;
    case v1::RISK_LEVEL_HIGH: return ledger::RiskLevel::kHigh;
    case v1::RISK_LEVEL_CRITICAL: return ledger::RiskLevel::kCritical;
    default: return std::nullopt;
  }
}

v1::RiskLevel LevelToProto(ledger::RiskLevel level) {
  return static_cast<v1::RiskLevel>(static_cast<int>(level));
}

v1::LedgerItemState StateToProto(ledger::ItemState state) {
  switch (state) {
    case ledger::ItemState::kRegistered: return v1::LEDGER_ITEM_STATE_REGISTERED;
    case ledger::ItemState::kInProgress: return v1::LEDGER_ITEM_STATE_IN_PROGRESS;
    case ledger::ItemState::kResolved: return v1::LEDGER_ITEM_STATE_RESOLVED;
    case ledger::ItemState::kClosedOut: return v1::LEDGER_ITEM_STATE_CLOSED_OUT;
    case ledger::ItemState::kReopened: return v1::LEDGER_ITEM_STATE_REOPENED;
  }
  return v1::LEDGER_ITEM_STATE_UNSPECIFIED;
}

std::optional<ledger::ItemState> StateFromProto(v1::LedgerItemState state) {
  switch (state) {
    case v1::LEDGER_ITEM_STATE_REGISTERED: return ledger::ItemState::kRegistered;
    case v1::LEDGER_ITEM_STATE_IN_PROGRESS: return ledger::ItemState::kInProgress;
    case v1::LEDGER_ITEM_STATE_RESOLVED: return ledger::ItemState::kResolved;
    case v1::LEDGER_ITEM_STATE_CLOSED_OUT: return ledger::ItemState::kClosedOut;
    case v1::LEDGER_ITEM_STATE_REOPENED: return ledger::ItemState::kReopened;
    default: return std::nullopt;
  }
}

Result<ledger::Period> PeriodFromProto(const v1::Period& p) {
  ledger::Period period;
  switch (p.kind()) {
    case v1::PERIOD_KIND_TEN_DAY: period.kind = ledger::PeriodKind::kTenDay; break;
    case v1::PERIOD_KIND_MONTH: period.kind = ledger::PeriodKind::kMonth; break;
    case v1::PERIOD_KIND_QUARTER: period.kind = ledger::PeriodKind::kQuarter; break;
    default: return InvalidArgumentError("period.kind must be TEN_DAY, MONTH or QUARTER");
  }
  period.year = static_cast<int>(p.year());
  period.index = static_cast<int>(p.index());
  period.ten_day = static_cast<int>(p.ten_day());
  ANDING_RETURN_IF_ERROR(ledger::ValidatePeriod(period));
  return period;
}

ledger::RegisterItemRequest RegisterFromProto(const std::string& unit_id,
                                              const v1::LedgerItemRegister& p) {
  ledger::RegisterItemRequest r;
  r.unit_id = unit_id;
  r.category_id = p.category_id();
  r.description = p.description();
  r.persons = p.persons();
  r.key_persons.assign(p.key_persons().begin(), p.key_persons().end());
  r.level = LevelFromProto(p.level());
  r.responsible_leader = PersonFromProto(p.responsible_leader());
  r.responsible_person = PersonFromProto(p.responsible_person());
  r.lead_department = p.lead_department();
  r.measures = p.measures();
  r.deadline = OptionalTime(p.deadline());
  return r;
}

ledger::UpdateItemRequest UpdateFromProto(const v1::LedgerItemUpdate& p) {
  ledger::UpdateItemRequest r;
  r.item_id = p.ledger_item_id();
  r.progress = p.progress();
  r.level = LevelFromProto(p.level());
  if (!p.measures().empty()) r.measures = p.measures();
  if (p.persons() != 0) r.persons = p.persons();
  r.resolution = p.resolution();
  r.updated_by = p.updated_by();
  return r;
}

ledger::CloseOutRequest CloseOutFromProto(const v1::LedgerItemCloseOut& p) {
  ledger::CloseOutRequest r;
  r.item_id = p.ledger_item_id();
  r.resolution = p.resolution();
  r.confirmed_by_leader = p.confirmed_by_leader();
  r.confirmed_at = OptionalTime(p.confirmed_at());
  return r;
}

v1::LedgerItemView ItemView(const ledger::Ledger& book, const ledger::LedgerItem& item, Time now,
                            bool with_history) {
  v1::LedgerItemView view;
  view.set_id(item.id);
  view.set_unit_id(item.unit_id);
  view.set_category_id(item.category_id);
  view.set_description(item.description);
  view.set_persons(item.persons);
  for (const auto& name : item.key_persons) view.add_key_persons(name);
  view.set_level(LevelToProto(item.level));
  *view.mutable_responsible_leader() = PersonToProto(item.responsible_leader);
  *view.mutable_responsible_person() = PersonToProto(item.responsible_person);
  view.set_lead_department(item.lead_department);
  view.set_measures(item.measures);
  *view.mutable_deadline() = wire::ToProto(item.deadline);
  view.set_state(StateToProto(item.state));
  view.set_resolution(item.resolution);
  *view.mutable_registered_at() = wire::ToProto(item.registered_at);
  SetTime(item.closed_out_at, [&] { return view.mutable_closed_out_at(); });
  *view.mutable_last_activity_at() = wire::ToProto(item.last_activity_at);
  view.set_source(std::string(ledger::ItemSourceName(item.source)));
  const auto overdue = book.Overdue(item, now);
  if (overdue.deadline_passed) view.add_overdue_reasons("deadline_passed");
  if (overdue.update_missing) view.add_overdue_reasons("update_missing");
  if (with_history) {
    for (const auto& entry : item.history) {
      auto* h = view.add_history();
      *h->mutable_at() = wire::ToProto(entry.at);
      h->set_actor(entry.actor.ToString());
      h->set_action(entry.action);
      for (const auto& change : entry.changes) {
        auto* c = h->add_changes();
        c->set_field(change.field);
        c->set_before(change.before);
        c->set_after(change.after);
      }
      h->set_note(entry.note);
      h->set_person(entry.person);
    }
    for (const auto& update : item.updates) {
      auto* p = view.add_progress();
      *p->mutable_at() = wire::ToProto(update.at);
      p->set_actor(update.actor.ToString());
      p->set_written_by(update.written_by);
      p->set_text(update.text);
    }
  }
  return view;
}

ledger::ItemFilter FilterFromProto(const v1::ListLedgerItemsRequest& p) {
  ledger::ItemFilter filter;
  filter.unit_id = p.unit_id();
  filter.category_id = p.category_id();
  for (int state : p.states()) {
    if (auto parsed = StateFromProto(static_cast<v1::LedgerItemState>(state))) {
      filter.states.push_back(*parsed);
    }
  }
  filter.open_only = p.open_only();
  filter.overdue_only = p.overdue_only();
  return filter;
}

v1::DailySummaryRowView RowView(const ledger::DailySummaryRow& row) {
  v1::DailySummaryRowView view;
  view.set_unit_id(row.unit_id);
  view.set_report(std::string(ledger::DailyReportStatusName(row.report)));
  view.set_new_items(row.new_items);
  view.set_open_items(row.open_items);
  view.set_overdue_items(row.overdue_items);
  view.set_warnings(row.warnings);
  view.set_special_reports(row.special_reports);
  view.set_incidents(row.incidents);
  view.set_visit_batches(row.visit_batches);
  view.set_visit_persons(row.visit_persons);
  return view;
}

v1::MonthlyCountView CountView(const ledger::MonthlyCount& count) {
  v1::MonthlyCountView view;
  view.set_key(count.key);
  view.set_opened(count.opened);
  view.set_closed_out(count.closed_out);
  view.set_reopened(count.reopened);
  view.set_still_open(count.still_open);
  view.set_overdue(count.overdue);
  return view;
}

Result<CivilDay> SummaryDay(const ledger::Ledger& book, const std::string& text, Time now) {
  if (!text.empty()) return ParseDay(text);
  const CivilDay today = book.org().time_zone().DayOf(now);
  return book.config().summary_covers == ledger::SummaryCovers::kPreviousDay ? today - 1 : today;
}

Result<absl::CivilMonth> SummaryMonth(const ledger::Ledger& book, const std::string& text,
                                      Time now) {
  if (text.empty()) return absl::CivilMonth(book.org().time_zone().DayOf(now));
  absl::CivilMonth month;
  if (text.size() != 7 || !absl::ParseCivilTime(text, &month)) {
    return InvalidArgumentError(StrCat("month must be YYYY-MM, not '", text, "'"));
  }
  return month;
}

}  // namespace

Result<Applied> DomainService::ApplyLedger(const std::string& unit_id,
                                           const v1::Envelope& envelope, Time now) {
  ledger::Ledger& book = mission_->ledger();
  const core::Actor who = core::Actor::Agent(unit_id);
  core::Effects out;
  Applied applied;
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
      ANDING_ASSIGN_OR_RETURN(auto outcome, book.ReceiveWarning(r, who, now, out));
      applied.record_id = outcome.ledger_item_id;
      break;
    }
    case v1::Envelope::kScreeningReport: {
      const auto& p = envelope.screening_report();
      ledger::ScreeningReportRequest r;
      ANDING_ASSIGN_OR_RETURN(r.period, PeriodFromProto(p.period()));
      r.zero_report = p.zero_report();
      for (const auto& f : p.findings()) {
        r.findings.push_back(ledger::ScreeningFindingRequest{
            f.ledger_item_id(), f.category_id(), f.description(), f.persons(),
            LevelFromProto(f.level())});
      }
      r.screened_by = p.screened_by();
      r.remarks = p.remarks();
      ANDING_ASSIGN_OR_RETURN(auto outcome, book.FileScreening(r, who, now, out));
      applied.record_id = outcome.key;
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
      ANDING_ASSIGN_OR_RETURN(auto outcome, book.FileDailyReport(r, who, now, out));
      applied.record_id = outcome.key;
      break;
    }
    case v1::Envelope::kLedgerRegister: {
      ANDING_ASSIGN_OR_RETURN(applied.record_id,
                              book.Register(RegisterFromProto("", envelope.ledger_register()), who,
                                            now, out));
      break;
    }
    case v1::Envelope::kLedgerUpdate:
      ANDING_RETURN_IF_ERROR(book.Update(UpdateFromProto(envelope.ledger_update()), who, now, out));
      applied.record_id = envelope.ledger_update().ledger_item_id();
      break;
    case v1::Envelope::kLedgerCloseOut:
      ANDING_RETURN_IF_ERROR(
          book.CloseOut(CloseOutFromProto(envelope.ledger_close_out()), who, now, out));
      applied.record_id = envelope.ledger_close_out().ledger_item_id();
      break;
    default:
      return InternalError("not a ledger payload");
  }
  ANDING_RETURN_IF_ERROR(Execute(out, now));
  return applied;
}

Status DomainService::CollectLedgerWrites(const core::Effects& out) {
  if (out.changed.empty()) return OkStatus();
  ANDING_ASSIGN_OR_RETURN(auto changes, mission_->ledger().TakeChanges(out.changed));
  if (changes.empty()) return OkStatus();
  committer_.Add([changes = std::move(changes)](storage::Database& db) {
    return store::SaveLedgerChanges(db, changes);
  });
  return OkStatus();
}

bool DomainService::HandleLedgerOperator(const Principal& who, const v1::OperatorRequest& request,
                                         OpsServer::Reply& reply) {
  ledger::Ledger& book = mission_->ledger();
  const core::Actor actor = core::Actor::Operator(who.id);
  const Time now = scheduler_.clock().Now();
  // The item after a command, answered once the change is stored.
  auto item_response = [this](std::string id) {
    return [this, id = std::move(id)] {
      v1::OperatorResponse response;
      const ledger::LedgerItem* item = mission_->ledger().FindItem(id);
      if (item != nullptr) {
        *response.mutable_ledger_item()->mutable_item() =
            ItemView(mission_->ledger(), *item, scheduler_.clock().Now(), true);
      }
      return response;
    };
  };

  switch (request.request_case()) {
    case v1::OperatorRequest::kRegisterLedgerItem: {
      auto id = std::make_shared<std::string>();
      const auto& r = request.register_ledger_item();
      RunOperatorCommand(
          who, request, reply,
          [&](core::Effects& out, Time at) -> Status {
            ANDING_ASSIGN_OR_RETURN(*id, book.Register(RegisterFromProto(r.unit_id(), r.item()),
                                                       actor, at, out));
            return OkStatus();
          },
          [item_response, id] { return item_response(*id)(); });
      return true;
    }
    case v1::OperatorRequest::kUpdateLedgerItem: {
      const auto& update = request.update_ledger_item().update();
      RunOperatorCommand(
          who, request, reply,
          [&](core::Effects& out, Time at) {
            return book.Update(UpdateFromProto(update), actor, at, out);
          },
          item_response(update.ledger_item_id()));
      return true;
    }
    case v1::OperatorRequest::kCloseOutLedgerItem: {
      const auto& close = request.close_out_ledger_item().close_out();
      RunOperatorCommand(
          who, request, reply,
          [&](core::Effects& out, Time at) {
            return book.CloseOut(CloseOutFromProto(close), actor, at, out);
          },
          item_response(close.ledger_item_id()));
      return true;
    }
    case v1::OperatorRequest::kRejectResolution: {
      const auto& r = request.reject_resolution();
      RunOperatorCommand(
          who, request, reply,
          [&](core::Effects& out, Time at) {
            return book.RejectResolution({r.ledger_item_id(), r.reason()}, actor, at, out);
          },
          item_response(r.ledger_item_id()));
      return true;
    }
    case v1::OperatorRequest::kReopenLedgerItem: {
      const auto& r = request.reopen_ledger_item();
      RunOperatorCommand(
          who, request, reply,
          [&](core::Effects& out, Time at) {
            return book.Reopen({r.ledger_item_id(), r.reason(), OptionalTime(r.new_deadline())},
                               actor, at, out);
          },
          item_response(r.ledger_item_id()));
      return true;
    }
    case v1::OperatorRequest::kExtendLedgerDeadline: {
      const auto& r = request.extend_ledger_deadline();
      RunOperatorCommand(
          who, request, reply,
          [&](core::Effects& out, Time at) -> Status {
            if (!wire::IsSet(r.new_deadline())) return InvalidArgumentError("new_deadline is required");
            return book.ExtendDeadline({r.ledger_item_id(), wire::FromProto(r.new_deadline()),
                                        r.reason(), r.approved_by()},
                                       actor, at, out);
          },
          item_response(r.ledger_item_id()));
      return true;
    }
    case v1::OperatorRequest::kListLedgerItems: {
      v1::OperatorResponse response;
      auto* list = response.mutable_ledger_items();
      for (const auto* item : book.Items(FilterFromProto(request.list_ledger_items()), now)) {
        *list->add_items() = ItemView(book, *item, now, false);
      }
      reply(std::move(response));
      return true;
    }
    case v1::OperatorRequest::kShowLedgerItem: {
      const ledger::LedgerItem* item = book.FindItem(request.show_ledger_item().ledger_item_id());
      if (item == nullptr) {
        reply(ErrorResponse(request.request_id(),
                            NotFoundError(StrCat("no ledger item '",
                                                 request.show_ledger_item().ledger_item_id(), "'"))));
        return true;
      }
      v1::OperatorResponse response;
      *response.mutable_ledger_item()->mutable_item() = ItemView(book, *item, now, true);
      reply(std::move(response));
      return true;
    }
    case v1::OperatorRequest::kDailySummary: {
      auto day = SummaryDay(book, request.daily_summary().day(), now);
      if (!day.ok()) {
        reply(ErrorResponse(request.request_id(), day.status()));
        return true;
      }
      const auto summary = ledger::BuildDailySummary(book, *day, now, IncidentCounts(*day));
      v1::OperatorResponse response;
      auto* view = response.mutable_daily_summary();
      view->set_day(FormatDay(summary.day));
      *view->mutable_generated_at() = wire::ToProto(summary.generated_at);
      for (const auto& row : summary.rows) *view->add_rows() = RowView(row);
      *view->mutable_totals() = RowView(summary.totals);
      for (const auto& unit : summary.units_not_reported) view->add_units_not_reported(unit);
      reply(std::move(response));
      return true;
    }
    case v1::OperatorRequest::kMonthlySummary: {
      auto month = SummaryMonth(book, request.monthly_summary().month(), now);
      if (!month.ok()) {
        reply(ErrorResponse(request.request_id(), month.status()));
        return true;
      }
      const auto summary = ledger::BuildMonthlySummary(book, *month, now);
      v1::OperatorResponse response;
      auto* view = response.mutable_monthly_summary();
      view->set_month(absl::FormatCivilTime(summary.month));
      *view->mutable_generated_at() = wire::ToProto(summary.generated_at);
      *view->mutable_totals() = CountView(summary.totals);
      for (const auto& count : summary.by_unit) *view->add_by_unit() = CountView(count);
      for (const auto& count : summary.by_category) *view->add_by_category() = CountView(count);
      view->set_average_days_to_close(summary.average_days_to_close.value_or(-1));
      reply(std::move(response));
      return true;
    }
    case v1::OperatorRequest::kScreeningStatus: {
      auto period = PeriodFromProto(request.screening_status().period());
      if (!period.ok()) {
        reply(ErrorResponse(request.request_id(), period.status()));
        return true;
      }
      v1::OperatorResponse response;
      auto* status = response.mutable_screening_status();
      status->set_period(ledger::FormatPeriod(*period));
      for (const auto& row : book.ScreeningStatus(*period, now)) {
        auto* r = status->add_rows();
        r->set_unit_id(row.unit_id);
        r->set_filed(row.filed);
        r->set_zero_report(row.zero_report);
        r->set_overdue(row.overdue);
        r->set_late(row.late);
        SetTime(row.filed_at, [&] { return r->mutable_filed_at(); });
        SetTime(row.reminded_at, [&] { return r->mutable_reminded_at(); });
      }
      reply(std::move(response));
      return true;
    }
    case v1::OperatorRequest::kExport: {
      const auto& r = request.export_();
      ledger::ExportOptions options;
      if (r.language() == "en") {
        options.language = ledger::Language::kEn;
      } else if (!r.language().empty() && r.language() != "zh") {
        reply(ErrorResponse(request.request_id(), InvalidArgumentError("language must be zh or en")));
        return true;
      }
      const bool html = r.format() == v1::EXPORT_FORMAT_HTML;
      if (r.format() != v1::EXPORT_FORMAT_CSV && !html) {
        reply(ErrorResponse(request.request_id(), InvalidArgumentError("format must be CSV or HTML")));
        return true;
      }
      std::string content;
      std::string name;
      switch (r.document()) {
        case v1::EXPORT_DOCUMENT_LEDGER: {
          const auto filter = FilterFromProto(r.filter());
          content = html ? ledger::LedgerHtml(book, filter, now, options)
                         : ledger::LedgerCsv(book, filter, now, options);
          name = StrCat("ledger-", FormatDay(org_.time_zone().DayOf(now)));
          break;
        }
        case v1::EXPORT_DOCUMENT_DAILY_SUMMARY: {
          auto day = SummaryDay(book, r.day(), now);
          if (!day.ok()) {
            reply(ErrorResponse(request.request_id(), day.status()));
            return true;
          }
          const auto summary = ledger::BuildDailySummary(book, *day, now, IncidentCounts(*day));
          content = html ? ledger::DailySummaryHtml(summary, org_, options)
                         : ledger::DailySummaryCsv(summary, org_, options);
          name = StrCat("daily-summary-", FormatDay(*day));
          break;
        }
        case v1::EXPORT_DOCUMENT_MONTHLY_SUMMARY: {
          auto month = SummaryMonth(book, r.month(), now);
          if (!month.ok()) {
            reply(ErrorResponse(request.request_id(), month.status()));
            return true;
          }
          const auto summary = ledger::BuildMonthlySummary(book, *month, now);
          content = html ? ledger::MonthlySummaryHtml(summary, org_, options)
                         : ledger::MonthlySummaryCsv(summary, org_, options);
          name = StrCat("monthly-summary-", absl::FormatCivilTime(*month));
          break;
        }
        default:
          reply(ErrorResponse(request.request_id(),
                              InvalidArgumentError("document must be LEDGER, DAILY_SUMMARY or "
                                                   "MONTHLY_SUMMARY")));
          return true;
      }
      v1::OperatorResponse response;
      auto* exported = response.mutable_export_();
      exported->set_content_type(html ? "text/html; charset=utf-8" : "text/csv; charset=utf-8");
      exported->set_file_name(StrCat(name, html ? ".html" : ".csv"));
      exported->set_content(std::move(content));
      reply(std::move(response));
      return true;
    }
    default:
      return false;
  }
}

}  // namespace anding::dispatcher

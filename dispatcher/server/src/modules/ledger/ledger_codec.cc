#include "ledger_codec.h"

#include "anding/common/strings.h"
#include "anding/wire/codec.h"
#include "vocabulary_codec.h"

namespace anding::dispatcher {

v1::LedgerItemState StateToProto(ledger::ItemState state) {
  switch (state) {
    case ledger::ItemState::kRegistered:
      return v1::LEDGER_ITEM_STATE_REGISTERED;
    case ledger::ItemState::kInProgress:
      return v1::LEDGER_ITEM_STATE_IN_PROGRESS;
    case ledger::ItemState::kResolved:
      return v1::LEDGER_ITEM_STATE_RESOLVED;
    case ledger::ItemState::kClosedOut:
      return v1::LEDGER_ITEM_STATE_CLOSED_OUT;
    case ledger::ItemState::kReopened:
      return v1::LEDGER_ITEM_STATE_REOPENED;
  }
  return v1::LEDGER_ITEM_STATE_UNSPECIFIED;
}

std::optional<ledger::ItemState> StateFromProto(v1::LedgerItemState state) {
  switch (state) {
    case v1::LEDGER_ITEM_STATE_REGISTERED:
      return ledger::ItemState::kRegistered;
    case v1::LEDGER_ITEM_STATE_IN_PROGRESS:
      return ledger::ItemState::kInProgress;
    case v1::LEDGER_ITEM_STATE_RESOLVED:
      return ledger::ItemState::kResolved;
    case v1::LEDGER_ITEM_STATE_CLOSED_OUT:
      return ledger::ItemState::kClosedOut;
    case v1::LEDGER_ITEM_STATE_REOPENED:
      return ledger::ItemState::kReopened;
    default:
      return std::nullopt;
  }
}

Result<ledger::Period> PeriodFromProto(const v1::Period& p) {
  ledger::Period period;
  switch (p.kind()) {
    case v1::PERIOD_KIND_TEN_DAY:
      period.kind = ledger::PeriodKind::kTenDay;
      break;
    case v1::PERIOD_KIND_MONTH:
      period.kind = ledger::PeriodKind::kMonth;
      break;
    case v1::PERIOD_KIND_QUARTER:
      period.kind = ledger::PeriodKind::kQuarter;
      break;
    default:
      return InvalidArgumentError("period.kind must be TEN_DAY, MONTH or QUARTER");
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
  view.set_matters_due_soon(row.matters_due_soon);
  view.set_matters_overdue(row.matters_overdue);
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
  return ParseMonth(text, absl::CivilMonth(book.org().time_zone().DayOf(now)));
}

v1::LedgerStatsView LedgerStatsToProto(const ledger::LedgerStats& stats,
                                       const ledger::StatsKeyName& name) {
  auto row_view = [&](const ledger::LedgerStatsRow& row) {
    v1::LedgerStatsRowView view;
    view.set_key(row.key);
    if (!row.key.empty() && name) view.set_name(name(row.key));
    view.set_registered(row.registered);
    view.set_closed_out(row.closed_out);
    view.set_closed_on_time(row.closed_on_time);
    view.set_decided(row.decided);
    *view.mutable_on_time_share() = PercentToProto(row.on_time_hundredths);
    view.set_average_days_to_close_hundredths(row.average_days_hundredths.value_or(0));
    view.set_average_days_to_close_text(
        row.average_days_hundredths ? core::visits::FormatHundredths(*row.average_days_hundredths)
                                    : "-");
    view.set_open(row.open);
    view.set_open_overdue(row.open_overdue);
    view.set_reopened(row.reopened);
    view.set_rebounds(row.rebounds);
    return view;
  };
  v1::LedgerStatsView view;
  view.set_by(std::string(ledger::StatsBreakdownName(stats.request.by)));
  view.set_rounding(std::string(core::visits::RoundingName(stats.request.rounding)));
  view.set_as_of(FormatUtc(stats.as_of));
  for (const auto& row : stats.rows) *view.add_rows() = row_view(row);
  *view.mutable_total() = row_view(stats.total);
  return view;
}

}  // namespace anding::dispatcher

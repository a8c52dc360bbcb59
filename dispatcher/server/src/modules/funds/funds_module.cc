#include "funds_module.h"

#include "anding/common/limits.h"
#include "anding/common/strings.h"
#include "anding/core/funds/category_use.h"
#include "anding/core/funds/reports.h"
#include "anding/store/funds_repository.h"
#include "anding/wire/codec.h"
#include "funds_codec.h"
#include "ops_server.h"
#include "stats_answer.h"
#include "vocabulary_codec.h"

namespace anding::dispatcher {

namespace {

v1::OperatorResponse StatementResponse(const funds::Statement& statement) {
  v1::OperatorResponse response;
  auto* view = response.mutable_statement();
  view->set_account_id(statement.account_id);
  view->set_first_day(FormatDay(statement.period.first));
  view->set_last_day(FormatDay(statement.period.last));
  view->set_opening_fen(statement.opening_fen);
  view->set_credits_fen(statement.credits_fen);
  view->set_debits_fen(statement.debits_fen);
  view->set_closing_fen(statement.closing_fen);
  for (const auto& line : statement.lines) {
    auto* l = view->add_lines();
    l->set_transfer_id(line.transfer_id);
    *l->mutable_at() = wire::ToProto(line.at);
    l->set_code(line.code);
    l->set_reason(line.reason);
    l->set_incident_id(line.incident_id);
    l->set_counterparty_account_id(line.counterparty_account_id);
    l->set_amount_fen(line.amount_fen);
    l->set_balance_after_fen(line.balance_after_fen);
  }
  return response;
}

v1::OperatorResponse IncidentCostResponse(const funds::IncidentCost& cost) {
  v1::OperatorResponse response;
  auto* view = response.mutable_incident_cost();
  view->set_incident_id(cost.incident_id);
  for (const auto& unit : cost.units) {
    auto* u = view->add_units();
    u->set_unit_id(unit.unit_id);
    u->set_dispatches(unit.dispatches);
    u->set_estimated_fen(unit.estimated_fen);
    u->set_shortfall_fen(unit.shortfall_fen);
    u->set_held_fen(unit.held_fen);
    u->set_pending_fen(unit.pending_fen);
    u->set_released_fen(unit.released_fen);
    u->set_actual_fen(unit.actual_fen);
    for (const auto& [code, fen] : unit.actual_by_code) (*u->mutable_actual_by_code())[code] = fen;
  }
  view->set_estimated_fen(cost.estimated_fen);
  view->set_actual_fen(cost.actual_fen);
  view->set_variance_fen(cost.variance_fen);
  view->set_pending_fen(cost.pending_fen);
  view->set_released_fen(cost.released_fen);
  return response;
}

v1::OperatorResponse ReconciliationResponse(absl::CivilMonth month,
                                            const funds::Reconciliation& result) {
  v1::OperatorResponse response;
  auto* view = response.mutable_reconciliation();
  view->set_month(absl::FormatCivilTime(month));
  for (const auto& a : result.accounts) {
    auto* r = view->add_accounts();
    r->set_account_id(a.account_id);
    r->set_kind(std::string(funds::AccountKindName(a.kind)));
    r->set_opening_fen(a.opening_fen);
    r->set_debits_fen(a.debits_fen);
    r->set_credits_fen(a.credits_fen);
    r->set_closing_fen(a.closing_fen);
  }
  view->set_opening_sum_fen(result.opening_sum_fen);
  view->set_closing_sum_fen(result.closing_sum_fen);
  view->set_total_debits_fen(result.total_debits_fen);
  view->set_total_credits_fen(result.total_credits_fen);
  view->set_running_balances_match(result.running_balances_match);
  view->set_balanced(result.balanced);
  for (const auto& hold : result.overdue_holds) *view->add_overdue_holds() = HoldToProto(hold);
  for (const auto& hold : result.expired_holds) *view->add_expired_holds() = HoldToProto(hold);
  return response;
}

}  // namespace

FundsModule::FundsModule(ModuleContext& context, core::funds::FundsConfig config,
                         core::visits::Rounding rounding)
    : context_(context), config_(std::move(config)), rounding_(rounding) {}

std::vector<storage::Migration> FundsModule::Migrations() const { return store::FundsMigrations(); }

Status FundsModule::Load(storage::Database& db) {
  // Every account and pending hold, and the records of the last two local
  // days (so that a command repeated soon after answers from memory).
  db_ = &db;
  const TimeZone& zone = context_.org().time_zone();
  const Time since = zone.StartOf(zone.DayOf(context_.clock().Now()) - 2);
  ANDING_ASSIGN_OR_RETURN(auto state, store::LoadOpenFunds(db, since));
  ANDING_ASSIGN_OR_RETURN(auto book, funds::Funds::Restore(config_, std::move(state)));
  book_ = std::make_unique<funds::Funds>(std::move(book));
  return OkStatus();
}

Status FundsModule::Recall(std::string_view id) {
  if (id.empty() || book_->FindTransfer(id) != nullptr || book_->FindHold(id) != nullptr ||
      book_->FindExpense(id) != nullptr) {
    return OkStatus();
  }
  ANDING_ASSIGN_OR_RETURN(auto found, store::FindFundsRecords(*db_, id));
  book_->Recall(std::move(found));
  return OkStatus();
}

Status FundsModule::Start(Time now, core::Effects& out) {
  // The opening balances are transfers with configured ids, made once.
  for (const funds::OpeningBalance& opening : config_.opening_balances) {
    ANDING_RETURN_IF_ERROR(Recall(opening.id));
  }
  return Annotate(book_->ApplyConfig(now, out), "applying the funds configuration");
}

std::vector<v1::Envelope::PayloadCase> FundsModule::Payloads() const {
  return {v1::Envelope::kExpenseReport};
}

std::vector<v1::OperatorRequest::RequestCase> FundsModule::Requests() const {
  using R = v1::OperatorRequest;
  return {R::kCreateTransfer, R::kTopUp,     R::kReverseTransfer, R::kSetQuota,  R::kPlaceHold,
          R::kPostHold,       R::kVoidHold,  R::kListAccounts,    R::kListHolds, R::kStatement,
          R::kIncidentCost,   R::kReconcile, R::kFundStats};
}

Status FundsModule::Record(const core::Effects& out, Time) {
  if (out.changed.empty()) return OkStatus();
  ANDING_ASSIGN_OR_RETURN(funds::FundsChangeSet changes, book_->Changes(out.changed));
  if (changes.empty()) return OkStatus();
  context_.Write([changes = std::move(changes)](storage::Database& db) {
    return store::SaveFundsChanges(db, changes);
  });
  return OkStatus();
}

void FundsModule::OnEvent(const core::DomainEvent& event, Time now, core::Effects& out) {
  // A dispatch's estimate is numbered after the incident's earlier ones.
  if (const auto* confirmed = std::get_if<core::DispatchConfirmed>(&event)) {
    auto earlier = store::FindIncidentEstimates(*db_, confirmed->incident_id);
    if (!earlier.ok()) {
      out.alerts.push_back(core::HqAlert{
          core::HqAlert::Severity::kCritical, "funds_event_rejected", confirmed->incident_id,
          confirmed->unit_id,
          StrCat("备用金：无法读取事件 ", confirmed->incident_id,
                 " 此前的出动预估，本次出动未预留费用：", earlier.status().message())});
      return;
    }
    book_->Recall(std::move(*earlier));
  }
  book_->OnEvent(event, now, out);
}

Time FundsModule::NextWakeup() const { return book_->NextWakeup().value_or(Time::max()); }

void FundsModule::Tick(Time now, core::Effects& out) { book_->Tick(now, out); }

Result<std::string> FundsModule::Apply(const AgentInput& input, core::Effects& out) {
  const std::string& unit_id = input.unit_id;
  const v1::Envelope& envelope = input.envelope;
  const auto& p = envelope.expense_report();
  ANDING_RETURN_IF_ERROR(Recall(envelope.message_id()));
  funds::ExpenseRequest request;
  request.id = envelope.message_id();
  request.incident_id = p.incident_id();
  request.unit_id = unit_id;
  request.amount_fen = p.amount_fen();
  request.code = p.code();
  request.reason = p.reason();
  request.voucher = p.voucher();
  ANDING_ASSIGN_OR_RETURN(
      const funds::Expense expense,
      book_->RecordExpense(request, core::Actor::Agent(unit_id), input.now, out));
  return expense.id;
}

void FundsModule::Serve(OperatorCall& call) {
  funds::Funds& book = *book_;
  const v1::OperatorRequest& request = call.request();
  const core::Actor actor = core::Actor::Operator(call.who().id);
  const Time now = call.now();
  // Commands answer with the transfer (or hold) as stored.
  auto transfer_command =
      [&](const std::function<Result<funds::Transfer>(core::Effects&, Time)>& run) {
        auto result = std::make_shared<v1::TransferView>();
        call.Command(
            [&](core::Effects& out, Time at) -> Status {
              ANDING_ASSIGN_OR_RETURN(const funds::Transfer transfer, run(out, at));
              *result = TransferToProto(transfer);
              return OkStatus();
            },
            [result] {
              v1::OperatorResponse response;
              *response.mutable_transfer()->mutable_transfer() = *result;
              return response;
            });
      };
  auto hold_command = [&](const std::function<Result<funds::Hold>(core::Effects&, Time)>& run) {
    auto result = std::make_shared<v1::HoldView>();
    call.Command(
        [&](core::Effects& out, Time at) -> Status {
          ANDING_ASSIGN_OR_RETURN(const funds::Hold hold, run(out, at));
          *result = HoldToProto(hold);
          return OkStatus();
        },
        [result] {
          v1::OperatorResponse response;
          *response.mutable_hold()->mutable_hold() = *result;
          return response;
        });
  };

  switch (request.request_case()) {
    case v1::OperatorRequest::kCreateTransfer: {
      const auto& r = request.create_transfer();
      transfer_command([&](core::Effects& out, Time at) -> Result<funds::Transfer> {
        ANDING_RETURN_IF_ERROR(Recall(r.id()));
        return book.CreateTransfer({r.id(), r.debit_account_id(), r.credit_account_id(),
                                    r.amount_fen(), r.code(), r.reason(), r.incident_id()},
                                   actor, at, out);
      });
      return;
    }
    case v1::OperatorRequest::kTopUp: {
      const auto& r = request.top_up();
      transfer_command([&](core::Effects& out, Time at) -> Result<funds::Transfer> {
        ANDING_RETURN_IF_ERROR(Recall(r.id()));
        return book.TopUp({r.id(), r.unit_id(), r.amount_fen(), r.reason(), r.incident_id()}, actor,
                          at, out);
      });
      return;
    }
    case v1::OperatorRequest::kReverseTransfer: {
      const auto& r = request.reverse_transfer();
      transfer_command([&](core::Effects& out, Time at) -> Result<funds::Transfer> {
        ANDING_RETURN_IF_ERROR(Recall(r.id()));
        ANDING_RETURN_IF_ERROR(Recall(r.original_id()));
        return book.Reverse({r.id(), r.original_id(), r.amount_fen(), r.reason()}, actor, at, out);
      });
      return;
    }
    case v1::OperatorRequest::kPostHold: {
      const auto& r = request.post_hold();
      transfer_command([&](core::Effects& out, Time at) -> Result<funds::Transfer> {
        ANDING_RETURN_IF_ERROR(Recall(r.id()));
        ANDING_RETURN_IF_ERROR(Recall(r.hold_id()));
        return book.PostHold(
            {r.id(), r.hold_id(), r.credit_account_id(), r.amount_fen(), r.code(), r.reason()},
            actor, at, out);
      });
      return;
    }
    case v1::OperatorRequest::kPlaceHold: {
      const auto& r = request.place_hold();
      hold_command([&](core::Effects& out, Time at) -> Result<funds::Hold> {
        // Checked at the edge too; here it keeps the conversion to
        // microseconds below from overflowing.
        if (r.timeout_seconds() < 0 || r.timeout_seconds() > limits::kMaxHoldTimeoutSeconds) {
          return InvalidArgumentError(
              StrCat("timeout_seconds must be from 0 to ", limits::kMaxHoldTimeoutSeconds));
        }
        std::optional<Duration> timeout;
        if (r.timeout_seconds() > 0) timeout = std::chrono::seconds(r.timeout_seconds());
        ANDING_RETURN_IF_ERROR(Recall(r.id()));
        return book.PlaceHold({r.id(), r.account_id(), r.amount_fen(), r.code(), r.reason(),
                               r.incident_id(), timeout},
                              actor, at, out);
      });
      return;
    }
    case v1::OperatorRequest::kVoidHold: {
      const auto& r = request.void_hold();
      hold_command([&](core::Effects& out, Time at) -> Result<funds::Hold> {
        ANDING_RETURN_IF_ERROR(Recall(r.hold_id()));
        return book.VoidHold({r.hold_id(), r.reason()}, actor, at, out);
      });
      return;
    }
    case v1::OperatorRequest::kSetQuota: {
      const auto& r = request.set_quota();
      auto result = std::make_shared<v1::AccountView>();
      call.Command(
          [&](core::Effects& out, Time at) -> Status {
            std::optional<int64_t> quota;
            if (!r.no_quota()) quota = r.quota_fen();
            ANDING_ASSIGN_OR_RETURN(
                const funds::Account account,
                book.SetQuota({r.account_id(), quota, r.reason()}, actor, at, out));
            *result = AccountToProto(account);
            return OkStatus();
          },
          [result] {
            v1::OperatorResponse response;
            *response.mutable_account() = *result;
            return response;
          });
      return;
    }
    case v1::OperatorRequest::kListAccounts: {
      v1::OperatorResponse response;
      auto* list = response.mutable_accounts();
      for (const auto& [id, account] : book.state().accounts) {
        *list->add_accounts() = AccountToProto(account);
      }
      call.Reply(std::move(response));
      return;
    }
    case v1::OperatorRequest::kListHolds: {
      const std::string& incident = request.list_holds().incident_id();
      if (incident.empty()) {
        v1::OperatorResponse response;
        auto* list = response.mutable_holds();
        for (const auto* hold : book.PendingHolds()) *list->add_holds() = HoldToProto(*hold);
        call.Reply(std::move(response));
        return;
      }
      // An incident's holds, closed ones included, from the store.
      call.Query([incident](storage::Database& db) {
        auto state = store::LoadIncidentFunds(db, {incident});
        if (!state.ok()) return ErrorResponse("", state.status());
        v1::OperatorResponse response;
        auto* list = response.mutable_holds();
        for (const auto& hold : state->holds) *list->add_holds() = HoldToProto(hold);
        return response;
      });
      return;
    }
    case v1::OperatorRequest::kStatement: {
      const auto& r = request.statement();
      const TimeZone& zone = context_.org().time_zone();
      auto period = StatementPeriod(r.period(), zone.DayOf(now));
      if (!period.ok()) return call.Fail(period.status());
      call.Query([account_id = r.account_id(), period = *period, &zone](storage::Database& db) {
        auto state = store::LoadAccountTransfers(db, account_id, zone.StartOf(period.first));
        if (!state.ok()) return ErrorResponse("", state.status());
        auto statement = funds::AccountStatement(*state, account_id, period, zone);
        if (!statement.ok()) return ErrorResponse("", statement.status());
        return StatementResponse(*statement);
      });
      return;
    }
    case v1::OperatorRequest::kFundStats:
      Stats(call);
      return;
    case v1::OperatorRequest::kIncidentCost:
      call.Query([incident = request.incident_cost().incident_id()](storage::Database& db) {
        auto state = store::LoadIncidentFunds(db, {incident});
        if (!state.ok()) return ErrorResponse("", state.status());
        return IncidentCostResponse(funds::IncidentCostReport(*state, incident));
      });
      return;
    case v1::OperatorRequest::kReconcile: {
      const TimeZone& zone = context_.org().time_zone();
      auto parsed = ParseMonth(request.reconcile().month(), absl::CivilMonth(zone.DayOf(now)) - 1);
      if (!parsed.ok()) return call.Fail(parsed.status());
      const absl::CivilMonth month = *parsed;
      auto period = funds::MonthPeriod(static_cast<int>(month.year()), month.month());
      if (!period.ok()) return call.Fail(period.status());
      // The month's movements and the holds, and the whole book's totals
      // checked in SQL: every transfer is read, on the query thread.
      call.Query([month, period = *period, &zone, now](storage::Database& db) {
        auto state = store::LoadFundsSince(db, zone.StartOf(period.first));
        if (!state.ok()) return ErrorResponse("", state.status());
        const Status totals = store::CheckFundsTotals(db);
        if (!totals.ok() && totals.code() != StatusCode::kDataLoss) {
          return ErrorResponse("", totals);
        }
        auto result = funds::Reconcile(*state, period, zone, now, totals.ok());
        if (!result.ok()) return ErrorResponse("", result.status());
        return ReconciliationResponse(month, *result);
      });
      return;
    }
    default:
      call.Fail(InternalError("not a funds request"));
      return;
  }
}

Result<FundsModule::StatsJob> FundsModule::StatsOf(const v1::FundStatsRequest& r) const {
  ANDING_ASSIGN_OR_RETURN(const DayRange range,
                          ParseDayRange("fund_stats", r.from_day(), r.to_day()));
  ANDING_ASSIGN_OR_RETURN(const auto language, ParseLanguageField("fund_stats", r.language()));
  const TimeZone& zone = context_.org().time_zone();
  ReportedIncidentsJob reported = [](storage::Database&) {
    return Result<std::vector<ReportedIncident>>(std::vector<ReportedIncident>{});
  };
  if (const auto* catalogue = context_.Find<IncidentCatalogue>()) {
    reported = catalogue->IncidentsReported(
        range.from ? std::optional<Time>(zone.StartOf(*range.from)) : std::nullopt,
        range.to ? std::optional<Time>(zone.StartOf(*range.to + 1)) : std::nullopt);
  }
  std::vector<std::string> categories;
  std::map<std::string, std::string, std::less<>> names;
  for (const core::Category& category : context_.org().categories()) {
    categories.push_back(category.id);
    names[category.id] = category.name_zh;
  }
  const std::string days = StrCat(r.from_day().empty() ? "…" : r.from_day(), "..",
                                  r.to_day().empty() ? "…" : r.to_day());
  // The incidents and their money are read from the store on the query
  // thread.
  return StatsJob([reported = std::move(reported), categories = std::move(categories),
                   names = std::move(names), rounding = rounding_, language, days,
                   from_day = r.from_day(),
                   to_day = r.to_day()](storage::Database& db) -> Result<StatsAnswer> {
    ANDING_ASSIGN_OR_RETURN(auto read, reported(db));
    std::vector<funds::CategorisedIncident> incidents;
    for (auto& incident : read) {
      incidents.push_back({std::move(incident.id), std::move(incident.category_id)});
    }
    std::vector<std::string> ids;
    ids.reserve(incidents.size());
    for (const auto& incident : incidents) ids.push_back(incident.incident_id);
    ANDING_ASSIGN_OR_RETURN(const funds::FundsState state, store::LoadIncidentFunds(db, ids));
    const funds::CategoryUse use =
        funds::ComputeCategoryUse(state, incidents, categories, rounding);
    auto name = [&names](std::string_view id) -> std::string {
      auto it = names.find(id);
      return it == names.end() ? std::string() : it->second;
    };
    StatsAnswer answer;
    v1::FundStatsView* view = &answer.view;
    view->set_from_day(from_day);
    view->set_to_day(to_day);
    view->set_rounding(std::string(core::visits::RoundingName(rounding)));
    auto row_view = [&](const funds::CategoryUseRow& row, v1::FundStatsRowView& out) {
      out.set_category_id(row.category_id);
      out.set_incidents(row.incidents);
      out.set_incidents_with_costs(row.incidents_with_costs);
      out.set_estimated_fen(row.estimated_fen);
      out.set_held_fen(row.held_fen);
      out.set_actual_fen(row.actual_fen);
      *out.mutable_actual_share() = PercentToProto(row.share_hundredths);
    };
    for (const auto& row : use.rows) {
      auto* out = view->add_rows();
      row_view(row, *out);
      out->set_name(row.category_id.empty() ? "未分类 uncategorised" : name(row.category_id));
    }
    row_view(use.total, *view->mutable_total());
    answer.table = funds::CategoryUseTable(use, days, language, name);
    return answer;
  });
}

void FundsModule::Stats(OperatorCall& call) const {
  const auto& r = call.request().fund_stats();
  auto job = StatsOf(r);
  if (!job.ok()) return call.Fail(job.status());
  AnswerStats(call, std::move(*job), r.format(), &v1::OperatorResponse::mutable_fund_stats);
}

Result<YearlyReportJob> FundsModule::YearlyReportPartFor(const YearlyReportScope& scope) const {
  ANDING_ASSIGN_OR_RETURN(StatsJob job, StatsOf(YearlyRequest<v1::FundStatsRequest>(scope)));
  return YearlyReportJob([job = std::move(job)](storage::Database& db, v1::YearlyReportView& view,
                                                std::vector<core::visits::StatsTable>& tables) {
    ANDING_ASSIGN_OR_RETURN(StatsAnswer answer, job(db));
    *view.mutable_funds() = std::move(answer.view);
    tables.push_back(std::move(answer.table));
    return OkStatus();
  });
}

Result<IncidentCostFigures> FundsModule::CostOf(const std::string& incident_id) const {
  ANDING_ASSIGN_OR_RETURN(const funds::FundsState state,
                          store::LoadIncidentFunds(*db_, {incident_id}));
  const funds::IncidentCost cost = funds::IncidentCostReport(state, incident_id);
  return IncidentCostFigures{cost.estimated_fen, cost.actual_fen};
}

}  // namespace anding::dispatcher

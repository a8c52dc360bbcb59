#include "funds_module.h"

#include "anding/common/limits.h"
#include "anding/common/strings.h"
#include "anding/core/funds/category_use.h"
#include "anding/core/funds/reports.h"
#include "anding/store/funds_repository.h"
#include "anding/wire/codec.h"
#include "funds_codec.h"
#include "vocabulary_codec.h"

namespace anding::dispatcher {

FundsModule::FundsModule(ModuleContext& context, core::funds::FundsConfig config,
                         core::visits::Rounding rounding)
    : context_(context), config_(std::move(config)), rounding_(rounding) {}

std::vector<storage::Migration> FundsModule::Migrations() const { return store::FundsMigrations(); }

Status FundsModule::Load(storage::Database& db) {
  ANDING_ASSIGN_OR_RETURN(auto state, store::LoadFundsState(db));
  ANDING_ASSIGN_OR_RETURN(auto book, funds::Funds::Restore(config_, std::move(state)));
  book_ = std::make_unique<funds::Funds>(std::move(book));
  return OkStatus();
}

Status FundsModule::Start(Time now, core::Effects& out) {
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
  book_->OnEvent(event, now, out);
}

Time FundsModule::NextWakeup() const { return book_->NextWakeup().value_or(Time::max()); }

void FundsModule::Tick(Time now, core::Effects& out) { book_->Tick(now, out); }

Result<std::string> FundsModule::Apply(const AgentInput& input, core::Effects& out) {
  const std::string& unit_id = input.unit_id;
  const v1::Envelope& envelope = input.envelope;
  const auto& p = envelope.expense_report();
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
      transfer_command([&](core::Effects& out, Time at) {
        return book.CreateTransfer({r.id(), r.debit_account_id(), r.credit_account_id(),
                                    r.amount_fen(), r.code(), r.reason(), r.incident_id()},
                                   actor, at, out);
      });
      return;
    }
    case v1::OperatorRequest::kTopUp: {
      const auto& r = request.top_up();
      transfer_command([&](core::Effects& out, Time at) {
        return book.TopUp({r.id(), r.unit_id(), r.amount_fen(), r.reason(), r.incident_id()}, actor,
                          at, out);
      });
      return;
    }
    case v1::OperatorRequest::kReverseTransfer: {
      const auto& r = request.reverse_transfer();
      transfer_command([&](core::Effects& out, Time at) {
        return book.Reverse({r.id(), r.original_id(), r.amount_fen(), r.reason()}, actor, at, out);
      });
      return;
    }
    case v1::OperatorRequest::kPostHold: {
      const auto& r = request.post_hold();
      transfer_command([&](core::Effects& out, Time at) {
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
        return book.PlaceHold({r.id(), r.account_id(), r.amount_fen(), r.code(), r.reason(),
                               r.incident_id(), timeout},
                              actor, at, out);
      });
      return;
    }
    case v1::OperatorRequest::kVoidHold: {
      const auto& r = request.void_hold();
      hold_command([&](core::Effects& out, Time at) {
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
      v1::OperatorResponse response;
      auto* list = response.mutable_holds();
      const std::string& incident = request.list_holds().incident_id();
      if (incident.empty()) {
        for (const auto* hold : book.PendingHolds()) *list->add_holds() = HoldToProto(*hold);
      } else {
        for (const auto& hold : book.state().holds) {
          if (hold.incident_id == incident) *list->add_holds() = HoldToProto(hold);
        }
      }
      call.Reply(std::move(response));
      return;
    }
    case v1::OperatorRequest::kStatement: {
      const auto& r = request.statement();
      auto period = StatementPeriod(r.period(), context_.org().time_zone().DayOf(now));
      if (!period.ok()) {
        call.Fail((period.status()));
        return;
      }
      auto statement =
          funds::AccountStatement(book, r.account_id(), *period, context_.org().time_zone());
      if (!statement.ok()) {
        call.Fail((statement.status()));
        return;
      }
      v1::OperatorResponse response;
      auto* view = response.mutable_statement();
      view->set_account_id(statement->account_id);
      view->set_first_day(FormatDay(statement->period.first));
      view->set_last_day(FormatDay(statement->period.last));
      view->set_opening_fen(statement->opening_fen);
      view->set_credits_fen(statement->credits_fen);
      view->set_debits_fen(statement->debits_fen);
      view->set_closing_fen(statement->closing_fen);
      for (const auto& line : statement->lines) {
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
      call.Reply(std::move(response));
      return;
    }
    case v1::OperatorRequest::kFundStats:
      Stats(call);
      return;
    case v1::OperatorRequest::kIncidentCost: {
      const auto cost = funds::IncidentCostReport(book, request.incident_cost().incident_id());
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
        for (const auto& [code, fen] : unit.actual_by_code)
          (*u->mutable_actual_by_code())[code] = fen;
      }
      view->set_estimated_fen(cost.estimated_fen);
      view->set_actual_fen(cost.actual_fen);
      view->set_variance_fen(cost.variance_fen);
      view->set_pending_fen(cost.pending_fen);
      view->set_released_fen(cost.released_fen);
      call.Reply(std::move(response));
      return;
    }
    case v1::OperatorRequest::kReconcile: {
      const CivilDay today = context_.org().time_zone().DayOf(now);
      auto parsed = ParseMonth(request.reconcile().month(), absl::CivilMonth(today) - 1);
      if (!parsed.ok()) {
        call.Fail(parsed.status());
        return;
      }
      const absl::CivilMonth month = *parsed;
      auto period = funds::MonthPeriod(static_cast<int>(month.year()), month.month());
      auto result = period.ok() ? funds::Reconcile(book, *period, context_.org().time_zone(), now)
                                : Result<funds::Reconciliation>(period.status());
      if (!result.ok()) {
        call.Fail((result.status()));
        return;
      }
      v1::OperatorResponse response;
      auto* view = response.mutable_reconciliation();
      view->set_month(absl::FormatCivilTime(month));
      for (const auto& a : result->accounts) {
        auto* r = view->add_accounts();
        r->set_account_id(a.account_id);
        r->set_kind(std::string(funds::AccountKindName(a.kind)));
        r->set_opening_fen(a.opening_fen);
        r->set_debits_fen(a.debits_fen);
        r->set_credits_fen(a.credits_fen);
        r->set_closing_fen(a.closing_fen);
      }
      view->set_opening_sum_fen(result->opening_sum_fen);
      view->set_closing_sum_fen(result->closing_sum_fen);
      view->set_total_debits_fen(result->total_debits_fen);
      view->set_total_credits_fen(result->total_credits_fen);
      view->set_running_balances_match(result->running_balances_match);
      view->set_balanced(result->balanced);
      for (const auto& hold : result->overdue_holds) *view->add_overdue_holds() = HoldToProto(hold);
      for (const auto& hold : result->expired_holds) *view->add_expired_holds() = HoldToProto(hold);
      call.Reply(std::move(response));
      return;
    }
    default:
      call.Fail(InternalError("not a funds request"));
      return;
  }
}

Result<FundsModule::StatsAnswer> FundsModule::StatsOf(const v1::FundStatsRequest& r) const {
  ANDING_ASSIGN_OR_RETURN(const DayRange range,
                          ParseDayRange("fund_stats", r.from_day(), r.to_day()));
  ANDING_ASSIGN_OR_RETURN(const auto language, ParseLanguageField("fund_stats", r.language()));
  const TimeZone& zone = context_.org().time_zone();
  std::vector<funds::CategorisedIncident> incidents;
  if (const auto* catalogue = context_.Find<IncidentCatalogue>()) {
    const std::optional<Time> since =
        range.from ? std::optional<Time>(zone.StartOf(*range.from)) : std::nullopt;
    const std::optional<Time> before =
        range.to ? std::optional<Time>(zone.StartOf(*range.to + 1)) : std::nullopt;
    ANDING_ASSIGN_OR_RETURN(auto reported, catalogue->IncidentsReported(since, before));
    for (auto& incident : reported) {
      incidents.push_back({std::move(incident.id), std::move(incident.category_id)});
    }
  }
  std::vector<std::string> categories;
  for (const core::Category& category : context_.org().categories()) {
    categories.push_back(category.id);
  }
  const funds::CategoryUse use =
      funds::ComputeCategoryUse(*book_, incidents, categories, rounding_);
  const core::Organisation& org = context_.org();
  auto name = [&org](std::string_view id) -> std::string {
    const core::Category* category = org.FindCategory(id);
    return category == nullptr ? std::string() : category->name_zh;
  };
  StatsAnswer answer;
  v1::FundStatsView* view = &answer.view;
  view->set_from_day(r.from_day());
  view->set_to_day(r.to_day());
  view->set_rounding(std::string(core::visits::RoundingName(rounding_)));
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
  const std::string days = StrCat(r.from_day().empty() ? "…" : r.from_day(), "..",
                                  r.to_day().empty() ? "…" : r.to_day());
  answer.table = funds::CategoryUseTable(use, days, language, name);
  return answer;
}

void FundsModule::Stats(OperatorCall& call) const {
  const auto& r = call.request().fund_stats();
  auto answer = StatsOf(r);
  if (!answer.ok()) return call.Fail(answer.status());
  v1::OperatorResponse response;
  auto* view = response.mutable_fund_stats();
  *view = std::move(answer->view);
  view->set_format(r.format());
  if (const auto format = core::visits::ParseReportFormat(r.format())) {
    view->set_document(core::visits::RenderStatsTable(answer->table, *format));
  }
  call.Reply(std::move(response));
}

Result<YearlyReportJob> FundsModule::YearlyReportPartFor(const YearlyReportScope& scope) const {
  ANDING_ASSIGN_OR_RETURN(StatsAnswer answer, StatsOf(YearlyRequest<v1::FundStatsRequest>(scope)));
  return YearlyReportJob(
      [answer = std::move(answer)](storage::Database&, v1::YearlyReportView& view,
                                   std::vector<core::visits::StatsTable>& tables) {
        *view.mutable_funds() = answer.view;
        tables.push_back(answer.table);
        return OkStatus();
      });
}

IncidentCostFigures FundsModule::CostOf(const std::string& incident_id) const {
  const core::funds::IncidentCost cost = core::funds::IncidentCostReport(*book_, incident_id);
  return {cost.estimated_fen, cost.actual_fen};
}

}  // namespace anding::dispatcher

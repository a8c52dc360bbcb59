// The reserve funds (备用金) in the dispatcher: expense reports from agents,
// operator commands and reports, and persistence.
#include "anding/common/strings.h"
#include "anding/core/funds/reports.h"
#include "anding/store/funds_repository.h"
#include "anding/wire/codec.h"
#include "domain_convert.h"
#include "domain_service.h"

namespace anding::dispatcher {
namespace {

namespace funds = core::funds;

v1::AccountView AccountToProto(const funds::Account& a) {
  v1::AccountView view;
  view.set_id(a.id);
  view.set_kind(std::string(funds::AccountKindName(a.kind)));
  view.set_name(a.name);
  view.set_unit_id(a.unit_id);
  view.set_balance_fen(a.balance_fen());
  view.set_available_fen(a.available_fen());
  view.set_pending_fen(a.debits_pending_fen);
  view.set_has_quota(a.quota_fen.has_value());
  view.set_quota_fen(a.quota_fen.value_or(0));
  view.set_low_balance_fen(a.low_balance_fen);
  view.set_low_balance(a.low_balance_alerted);
  return view;
}

v1::TransferView TransferToProto(const funds::Transfer& t) {
  v1::TransferView view;
  view.set_id(t.id);
  view.set_sequence(t.sequence);
  view.set_debit_account_id(t.debit_account_id);
  view.set_credit_account_id(t.credit_account_id);
  view.set_amount_fen(t.amount_fen);
  view.set_code(t.code);
  view.set_reason(t.reason);
  view.set_incident_id(t.incident_id);
  view.set_hold_id(t.hold_id);
  view.set_reverses_id(t.reverses_id);
  view.set_expense_id(t.expense_id);
  view.set_actor(t.actor.ToString());
  *view.mutable_at() = wire::ToProto(t.at);
  return view;
}

v1::HoldView HoldToProto(const funds::Hold& h) {
  v1::HoldView view;
  view.set_id(h.id);
  view.set_account_id(h.account_id);
  view.set_amount_fen(h.amount_fen);
  view.set_posted_fen(h.posted_fen);
  view.set_remaining_fen(h.remaining_fen());
  view.set_state(std::string(funds::HoldStateName(h.state)));
  view.set_code(h.code);
  view.set_reason(h.reason);
  view.set_incident_id(h.incident_id);
  view.set_actor(h.actor.ToString());
  *view.mutable_created_at() = wire::ToProto(h.created_at);
  *view.mutable_expires_at() = wire::ToProto(h.expires_at);
  SetTime(h.closed_at, [&] { return view.mutable_closed_at(); });
  view.set_close_reason(h.close_reason);
  return view;
}

// "YYYY-MM" or "YYYY-MM-DD..YYYY-MM-DD"; empty = the month of `today`.
Result<funds::Period> StatementPeriod(const std::string& text, CivilDay today) {
  if (text.empty()) return funds::MonthPeriod(static_cast<int>(today.year()), today.month());
  if (const auto dots = text.find(".."); dots != std::string::npos) {
    ANDING_ASSIGN_OR_RETURN(const CivilDay first, ParseDay(text.substr(0, dots)));
    ANDING_ASSIGN_OR_RETURN(const CivilDay last, ParseDay(text.substr(dots + 2)));
    if (last < first) return InvalidArgumentError("the period ends before it starts");
    return funds::Period{first, last};
  }
  absl::CivilMonth month;
  if (text.size() != 7 || !absl::ParseCivilTime(text, &month)) {
    return InvalidArgumentError(
        StrCat("period must be YYYY-MM or YYYY-MM-DD..YYYY-MM-DD, not '", text, "'"));
  }
  return funds::MonthPeriod(static_cast<int>(month.year()), month.month());
}

}  // namespace

Result<Applied> DomainService::ApplyFunds(const std::string& unit_id,
                                          const v1::Envelope& envelope, Time now) {
  const auto& p = envelope.expense_report();
  funds::ExpenseRequest request;
  request.id = envelope.message_id();
  request.incident_id = p.incident_id();
  request.unit_id = unit_id;
  request.amount_fen = p.amount_fen();
  request.code = p.code();
  request.reason = p.reason();
  request.voucher = p.voucher();
  core::Effects out;
  ANDING_ASSIGN_OR_RETURN(const funds::Expense expense,
                          mission_->funds().RecordExpense(request, core::Actor::Agent(unit_id),
                                                          now, out));
  ANDING_RETURN_IF_ERROR(Execute(out, now));
  Applied applied;
  applied.record_id = expense.id;
  return applied;
}

Status DomainService::CollectFundsWrites(const core::Effects& out) {
  ANDING_ASSIGN_OR_RETURN(funds::FundsChangeSet changes, mission_->funds().Changes(out.changed));
  if (changes.empty()) return OkStatus();
  committer_.Add([changes = std::move(changes)](storage::Database& db) {
    return store::SaveFundsChanges(db, changes);
  });
  return OkStatus();
}

bool DomainService::HandleFundsOperator(const Principal& who, const v1::OperatorRequest& request,
                                        OpsServer::Reply& reply) {
  funds::Funds& book = mission_->funds();
  const core::Actor actor = core::Actor::Operator(who.id);
  const Time now = scheduler_.clock().Now();
  // Commands answer with the transfer (or hold) as stored.
  auto transfer_command = [&](const std::function<Result<funds::Transfer>(core::Effects&, Time)>& run) {
    auto result = std::make_shared<v1::TransferView>();
    RunOperatorCommand(
        who, request, reply,
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
    RunOperatorCommand(
        who, request, reply,
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
      return true;
    }
    case v1::OperatorRequest::kTopUp: {
      const auto& r = request.top_up();
      transfer_command([&](core::Effects& out, Time at) {
        return book.TopUp({r.id(), r.unit_id(), r.amount_fen(), r.reason(), r.incident_id()},
                          actor, at, out);
      });
      return true;
    }
    case v1::OperatorRequest::kReverseTransfer: {
      const auto& r = request.reverse_transfer();
      transfer_command([&](core::Effects& out, Time at) {
        return book.Reverse({r.id(), r.original_id(), r.amount_fen(), r.reason()}, actor, at, out);
      });
      return true;
    }
    case v1::OperatorRequest::kPostHold: {
      const auto& r = request.post_hold();
      transfer_command([&](core::Effects& out, Time at) {
        return book.PostHold({r.id(), r.hold_id(), r.credit_account_id(), r.amount_fen(), r.code(),
                              r.reason()},
                             actor, at, out);
      });
      return true;
    }
    case v1::OperatorRequest::kPlaceHold: {
      const auto& r = request.place_hold();
      hold_command([&](core::Effects& out, Time at) -> Result<funds::Hold> {
        if (r.timeout_seconds() < 0) return InvalidArgumentError("timeout_seconds must be positive");
        std::optional<Duration> timeout;
        if (r.timeout_seconds() > 0) timeout = std::chrono::seconds(r.timeout_seconds());
        return book.PlaceHold({r.id(), r.account_id(), r.amount_fen(), r.code(), r.reason(),
                               r.incident_id(), timeout},
                              actor, at, out);
      });
      return true;
    }
    case v1::OperatorRequest::kVoidHold: {
      const auto& r = request.void_hold();
      hold_command([&](core::Effects& out, Time at) {
        return book.VoidHold({r.hold_id(), r.reason()}, actor, at, out);
      });
      return true;
    }
    case v1::OperatorRequest::kSetQuota: {
      const auto& r = request.set_quota();
      auto result = std::make_shared<v1::AccountView>();
      RunOperatorCommand(
          who, request, reply,
          [&](core::Effects& out, Time at) -> Status {
            std::optional<int64_t> quota;
            if (!r.no_quota()) quota = r.quota_fen();
            ANDING_ASSIGN_OR_RETURN(const funds::Account account,
                                    book.SetQuota({r.account_id(), quota, r.reason()}, actor, at, out));
            *result = AccountToProto(account);
            return OkStatus();
          },
          [result] {
            v1::OperatorResponse response;
            *response.mutable_account() = *result;
            return response;
          });
      return true;
    }
    case v1::OperatorRequest::kListAccounts: {
      v1::OperatorResponse response;
      auto* list = response.mutable_accounts();
      for (const auto& [id, account] : book.state().accounts) {
        *list->add_accounts() = AccountToProto(account);
      }
      reply(std::move(response));
      return true;
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
      reply(std::move(response));
      return true;
    }
    case v1::OperatorRequest::kStatement: {
      const auto& r = request.statement();
      auto period = StatementPeriod(r.period(), org_.time_zone().DayOf(now));
      if (!period.ok()) {
        reply(ErrorResponse(request.request_id(), period.status()));
        return true;
      }
      auto statement = funds::AccountStatement(book, r.account_id(), *period, org_.time_zone());
      if (!statement.ok()) {
        reply(ErrorResponse(request.request_id(), statement.status()));
        return true;
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
      reply(std::move(response));
      return true;
    }
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
        for (const auto& [code, fen] : unit.actual_by_code) (*u->mutable_actual_by_code())[code] = fen;
      }
      view->set_estimated_fen(cost.estimated_fen);
      view->set_actual_fen(cost.actual_fen);
      view->set_variance_fen(cost.variance_fen);
      view->set_pending_fen(cost.pending_fen);
      view->set_released_fen(cost.released_fen);
      reply(std::move(response));
      return true;
    }
    case v1::OperatorRequest::kReconcile: {
      const CivilDay today = org_.time_zone().DayOf(now);
      absl::CivilMonth month = absl::CivilMonth(today) - 1;
      const std::string& text = request.reconcile().month();
      if (!text.empty() && (text.size() != 7 || !absl::ParseCivilTime(text, &month))) {
        reply(ErrorResponse(request.request_id(),
                            InvalidArgumentError(StrCat("month must be YYYY-MM, not '", text, "'"))));
        return true;
      }
      auto period = funds::MonthPeriod(static_cast<int>(month.year()), month.month());
      auto result = period.ok() ? funds::Reconcile(book, *period, org_.time_zone(), now)
                                : Result<funds::Reconciliation>(period.status());
      if (!result.ok()) {
        reply(ErrorResponse(request.request_id(), result.status()));
        return true;
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
      reply(std::move(response));
      return true;
    }
    default:
      return false;
  }
}

}  // namespace anding::dispatcher

#include "aftermath_module.h"

#include <variant>

#include "aftermath_codec.h"
#include "anding/common/strings.h"
#include "anding/core/aftermath/review_document.h"
#include "anding/runtime/logging.h"
#include "anding/store/aftermath_repository.h"

namespace anding::dispatcher {

namespace aftermath = core::aftermath;

AftermathModule::AftermathModule(ModuleContext& context, aftermath::AftermathConfig config)
    : context_(context), config_(std::move(config)) {}

std::vector<storage::Migration> AftermathModule::Migrations() const {
  return store::AftermathMigrations();
}

Status AftermathModule::Load(storage::Database& db) {
  ANDING_ASSIGN_OR_RETURN(auto reviews, store::LoadReviews(db));
  ANDING_ASSIGN_OR_RETURN(reviews_, aftermath::Aftermath::Restore(config_, std::move(reviews)));
  return OkStatus();
}

std::vector<v1::OperatorRequest::RequestCase> AftermathModule::Requests() const {
  return {v1::OperatorRequest::kUpdateReview, v1::OperatorRequest::kShowReview};
}

Status AftermathModule::Record(const core::Effects& out, Time) {
  if (out.changed.empty()) return OkStatus();
  ANDING_ASSIGN_OR_RETURN(auto changes, reviews_->Changes(out.changed));
  if (changes.empty()) return OkStatus();
  context_.Write([changes = std::move(changes)](storage::Database& db) {
    return store::SaveReviews(db, changes);
  });
  return OkStatus();
}

Status AftermathModule::MayClose(const std::string& incident_id) const {
  return reviews_->CheckClosable(incident_id);
}

Status AftermathModule::OpenFor(const core::IncidentSettled& settled, Time now,
                                core::Effects& out) {
  if (settled.unit_ids.empty()) return InvalidArgumentError("a settled incident without units");
  if (reviews_->Find(settled.incident_id) != nullptr) return OkStatus();
  const std::string& unit_id = settled.unit_ids.front();
  aftermath::OpenReviewRequest open;
  open.incident_id = settled.incident_id;
  open.unit_id = unit_id;
  open.category_id = settled.category_id;
  open.summary = settled.summary;
  open.settled_at = settled.settled_at;
  const core::Unit* unit = context_.org().FindUnit(unit_id);
  if (unit != nullptr && !unit->leaders.empty()) open.responsible_leader = unit->leaders.front();

  FollowUpRegistrar* ledger = context_.Find<FollowUpRegistrar>();
  if (ledger != nullptr) {
    FollowUpRequest item;
    item.incident_id = settled.incident_id;
    item.unit_id = unit_id;
    item.category_id = settled.category_id;
    item.description = StrCat("善后：", settled.incident_id, " ", settled.summary,
                              "。调查处理、告知代表、观察反弹、分析原因、评估损失、总结教训。");
    item.persons = settled.persons;
    item.level = settled.grade;
    item.responsible_leader = open.responsible_leader;
    item.responsible_person = open.responsible_leader;
    if (unit != nullptr && !unit->duty_contacts.empty()) {
      item.responsible_person = unit->duty_contacts.front();
    }
    core::Effects registered;
    auto id = ledger->RegisterFollowUp(item, now, registered);
    if (id.ok()) {
      open.ledger_item_id = *id;
      out.Append(std::move(registered));
    } else {
      out.alerts.push_back(
          core::HqAlert{core::HqAlert::Severity::kWarning, "follow_up_not_registered",
                        settled.incident_id, unit_id,
                        StrCat(settled.incident_id, " 的善后台账未能挂号（", id.status().message(),
                               "）：请为 ", unit_id, " 配置包案领导后手工登记")});
    }
  }
  return reviews_->Open(open, now, out);
}

void AftermathModule::OnEvent(const core::DomainEvent& event, Time now, core::Effects& out) {
  if (const auto* settled = std::get_if<core::IncidentSettled>(&event)) {
    (void)OpenFor(*settled, now, out);  // only an incident without units fails, never here
  } else if (const auto* reported = std::get_if<core::IncidentReported>(&event)) {
    reviews_->Watch({"incident", reported->incident_id, reported->unit_ids, reported->category_id,
                     reported->reported_at, reported->summary},
                    out);
  } else if (const auto* warning = std::get_if<core::WarningReceived>(&event)) {
    reviews_->Watch({"warning",
                     warning->warning_id,
                     {warning->unit_id},
                     warning->category_id,
                     warning->received_at,
                     warning->summary},
                    out);
  }
}

v1::OperatorResponse AftermathModule::ReviewResponse(const std::string& incident_id,
                                                     const std::string& format) const {
  v1::OperatorResponse response;
  const aftermath::Review* review = reviews_->Find(incident_id);
  if (review == nullptr) return response;
  std::optional<IncidentCostFigures> cost;
  if (const auto* funds = context_.Find<IncidentCostSource>()) {
    auto figures = funds->CostOf(incident_id);
    if (figures.ok()) {
      cost = *figures;
    } else {
      // The review is shown without its cost section rather than not at all.
      runtime::GetLogger("aftermath")
          ->warn("review of {}: the reserve-fund cost could not be read: {}", incident_id,
                 figures.status().ToString());
    }
  }
  auto* answer = response.mutable_review();
  *answer->mutable_review() = ReviewToProto(*reviews_, *review, cost);
  if (auto document_format = aftermath::ParseDocumentFormat(format)) {
    std::optional<aftermath::FundCost> fund_cost;
    if (cost) fund_cost = aftermath::FundCost{cost->estimated_fen, cost->actual_fen};
    answer->set_document(aftermath::RenderReview(*reviews_, *review, fund_cost, *document_format));
  }
  return response;
}

void AftermathModule::Serve(OperatorCall& call) {
  const v1::OperatorRequest& request = call.request();
  const core::Actor actor = core::Actor::Operator(call.who().id);
  switch (request.request_case()) {
    case v1::OperatorRequest::kUpdateReview: {
      const auto update = ReviewUpdateFromProto(request.update_review());
      const std::string id = update.incident_id;
      call.Command(
          [this, update, actor](core::Effects& out, Time now) -> Status {
            if (reviews_->Find(update.incident_id) == nullptr) {
              // Settled before reviews were kept: open its review now.
              const auto* incidents = context_.Find<SettledIncidents>();
              std::optional<core::IncidentSettled> settled;
              if (incidents != nullptr) {
                ANDING_ASSIGN_OR_RETURN(settled, incidents->SettlementOf(update.incident_id));
              }
              if (!settled) {
                return NotFoundError(StrCat("no review of '", update.incident_id,
                                            "': a review opens when its incident is settled"));
              }
              ANDING_RETURN_IF_ERROR(OpenFor(*settled, now, out));
            }
            return reviews_->Update(update, actor, now, out).status();
          },
          [this, id] { return ReviewResponse(id, ""); });
      return;
    }
    case v1::OperatorRequest::kShowReview: {
      const auto& r = request.show_review();
      if (reviews_->Find(r.incident_id()) == nullptr) {
        call.Fail(NotFoundError(StrCat("no review of '", r.incident_id(),
                                       "': a review opens when its incident is settled")));
        return;
      }
      call.Reply(ReviewResponse(r.incident_id(), r.format()));
      return;
    }
    default:
      call.Fail(InternalError("not an aftermath request"));
      return;
  }
}

}  // namespace anding::dispatcher

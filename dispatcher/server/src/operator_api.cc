// The operator requests about the link: events, agents, orders, health.
#include <boost/asio/post.hpp>

#include "anding/common/strings.h"
#include "anding/store/alert_repository.h"
#include "anding/store/link_repository.h"
#include "anding/wire/codec.h"
#include "dispatcher_impl.h"

namespace anding::dispatcher {
namespace {

uint32_t ClampLimit(uint32_t limit) { return limit == 0 ? 50 : std::min<uint32_t>(limit, 1000); }

}  // namespace

void DispatcherImpl::HandleOperator(const Principal& who, const v1::OperatorRequest& request,
                                    OpsServer::Reply reply) {
  if (domain_->HandleOperator(who, request, reply)) return;
  switch (request.request_case()) {
    case v1::OperatorRequest::kListAlerts:
      ListAlerts(request.list_alerts(), std::move(reply));
      return;
    case v1::OperatorRequest::kListEvents:
      ListEvents(request.list_events(), std::move(reply));
      return;
    case v1::OperatorRequest::kListAgents:
      reply(ListAgents());
      return;
    case v1::OperatorRequest::kListOrders:
      ListOrders(request.list_orders(), std::move(reply));
      return;
    case v1::OperatorRequest::kStatus:
      reply(StatusResponse());
      return;
    case v1::OperatorRequest::kSendOrder: {
      const auto& send = request.send_order();
      if (send.unit_id().empty()) {
        reply(ErrorResponse(request.request_id(), InvalidArgumentError("unit_id is required")));
        return;
      }
      if (options_.organisation.FindUnit(send.unit_id()) == nullptr &&
          !enrolment_.HasAgent(send.unit_id())) {
        reply(ErrorResponse(request.request_id(),
                            NotFoundError(StrCat("unknown unit '", send.unit_id(), "'"))));
        return;
      }
      if (send.kind() == v1::ORDER_KIND_UNSPECIFIED || send.kind() == v1::ORDER_KIND_DISPATCH ||
          !v1::OrderKind_IsValid(send.kind())) {
        reply(ErrorResponse(request.request_id(),
                            InvalidArgumentError("kind must be NOTICE, REMINDER or SUPERVISION")));
        return;
      }
      if (send.title().empty()) {
        reply(ErrorResponse(request.request_id(), InvalidArgumentError("title is required")));
        return;
      }
      if (committer_->failed()) {
        reply(ErrorResponse(request.request_id(),
                            UnavailableError("the store is recovering from a failure; retry")));
        return;
      }
      domain_->Audit(who, request, OkStatus(), scheduler_.clock().Now());
      v1::Order order;
      order.set_kind(send.kind());
      order.set_title(send.title());
      order.set_text(send.text());
      order.set_reference_id(send.reference_id());
      const std::string order_id = orders_->Enqueue(send.unit_id(), std::move(order));
      log_->info("operator {} issued order {} to {}", who.id, order_id, send.unit_id());
      committer_->OnCommitted([reply = std::move(reply), order_id] {
        v1::OperatorResponse response;
        response.mutable_send_order()->set_order_id(order_id);
        reply(std::move(response));
      });
      return;
    }
    default:
      break;
  }
  reply(ErrorResponse(request.request_id(), InvalidArgumentError("unknown request")));
}

void DispatcherImpl::ListAlerts(const v1::ListAlertsRequest& request, OpsServer::Reply reply) {
  const bool all = request.all();
  const uint32_t limit = ClampLimit(request.limit());
  queries_->Run([this, alive = alive_, all, limit, reply = std::move(reply)](storage::Database& db) {
    v1::OperatorResponse response;
    auto rows = store::ListAlerts(db, all, limit);
    if (!rows.ok()) {
      response = ErrorResponse("", rows.status());
    } else {
      auto* list = response.mutable_list_alerts();
      for (const auto& row : *rows) {
        auto* view = list->add_alerts();
        view->set_id(row.id);
        *view->mutable_raised_at() = wire::ToProto(row.raised_at);
        view->set_severity(std::string(store::SeverityName(row.alert.severity)));
        view->set_kind(row.alert.kind);
        view->set_reference_id(row.alert.reference_id);
        view->set_unit_id(row.alert.unit_id);
        view->set_text(row.alert.text);
        if (row.acknowledged_at) *view->mutable_acknowledged_at() = wire::ToProto(*row.acknowledged_at);
        view->set_acknowledged_by(row.acknowledged_by);
      }
    }
    boost::asio::post(io_, [alive, reply, response = std::move(response)]() mutable {
      if (*alive) reply(std::move(response));
    });
  });
}

void DispatcherImpl::ListEvents(const v1::ListEventsRequest& request, OpsServer::Reply reply) {
  store::EventQuery query;
  query.unit_id = request.unit_id();
  query.payload_kind = request.payload_kind();
  query.limit = ClampLimit(request.limit());
  queries_->Run([this, alive = alive_, query, reply = std::move(reply)](storage::Database& db) {
    v1::OperatorResponse response;
    auto rows = store::ListEvents(db, query);
    auto total = store::CountEvents(db, query);
    if (!rows.ok() || !total.ok()) {
      response = ErrorResponse("", rows.ok() ? total.status() : rows.status());
    } else {
      auto* list = response.mutable_list_events();
      list->set_total(*total);
      for (const auto& row : *rows) {
        auto* event = list->add_events();
        event->set_unit_id(row.unit_id);
        event->set_message_id(row.message_id);
        event->set_sequence(row.sequence);
        *event->mutable_received_at() = wire::ToProto(row.received_at);
        wire::Decode(row.envelope, *event->mutable_envelope()).IgnoreError();
      }
    }
    boost::asio::post(io_, [alive, reply, response = std::move(response)]() mutable {
      if (*alive) reply(std::move(response));
    });
  });
}

void DispatcherImpl::ListOrders(const v1::ListOrdersRequest& request, OpsServer::Reply reply) {
  const std::string unit = request.unit_id();
  const uint32_t limit = ClampLimit(request.limit());
  queries_->Run([this, alive = alive_, unit, limit, reply = std::move(reply)](storage::Database& db) {
    v1::OperatorResponse response;
    auto rows = store::ListOutbound(db, unit, limit);
    if (!rows.ok()) {
      response = ErrorResponse("", rows.status());
    } else {
      auto* list = response.mutable_list_orders();
      for (const auto& row : *rows) {
        auto* issued = list->add_orders();
        issued->set_unit_id(row.unit_id);
        issued->set_sequence(row.sequence);
        v1::Envelope envelope;
        if (wire::Decode(row.envelope, envelope).ok()) *issued->mutable_order() = envelope.order();
        if (row.acked_at) *issued->mutable_delivered_at() = wire::ToProto(*row.acked_at);
      }
    }
    boost::asio::post(io_, [alive, reply, response = std::move(response)]() mutable {
      if (*alive) reply(std::move(response));
    });
  });
}

v1::OperatorResponse DispatcherImpl::ListAgents() const {
  v1::OperatorResponse response;
  auto* list = response.mutable_list_agents();
  std::set<std::string> units;
  for (const auto& [unit, row] : agents_->agents()) units.insert(unit);
  for (const auto& [key, principal] : enrolment_.keys()) {
    if (principal.kind == Principal::Kind::kAgent) units.insert(principal.id);
  }
  for (const auto& unit : units) {
    auto* info = list->add_agents();
    info->set_unit_id(unit);
    info->set_enrolled(enrolment_.HasAgent(unit));
    info->set_orders_pending(orders_->pending(unit));
    auto it = agents_->agents().find(unit);
    if (it != agents_->agents().end()) {
      info->set_online(it->second.online);
      if (it->second.last_seen) *info->mutable_last_seen() = wire::ToProto(*it->second.last_seen);
      info->set_last_sequence(it->second.last_sequence);
      info->set_sequence_gaps(it->second.sequence_gaps);
    }
  }
  return response;
}

v1::OperatorResponse DispatcherImpl::StatusResponse() const {
  v1::OperatorResponse response;
  auto* status = response.mutable_status();
  status->set_version(kVersion);
  *status->mutable_started_at() = wire::ToProto(started_at_);
  status->set_feed_sequence(feed_->sequence());
  const auto& intake = intake_->counters();
  status->set_events_stored(feed_->MakeSnapshot(1).events_stored());
  status->set_duplicates(intake.duplicates);
  const auto& link = link_->counters();
  status->set_malformed_frames(link.malformed);
  status->set_unauthorised_messages(link.unauthorised + zap_->denied());
  status->set_wrong_unit(link.wrong_unit);
  status->set_invalid_envelopes(link.invalid + intake.refused_by_domain);
  const auto stats = commits_->stats();
  status->set_commits(stats.commits);
  status->set_failed_commits(stats.failed_commits);
  status->set_checkpoints(stats.checkpoints);
  status->set_wal_restarts(stats.gated_checkpoints);
  status->set_longest_checkpoint_wait_us(static_cast<uint64_t>(stats.longest_gate.count()));
  status->set_orders_pending(orders_->pending_total());
  uint32_t online = 0;
  for (const auto& [unit, row] : agents_->agents()) online += row.online ? 1 : 0;
  status->set_agents_online(online);
  uint32_t enrolled = 0;
  for (const auto& [key, principal] : enrolment_.keys()) {
    enrolled += principal.kind == Principal::Kind::kAgent ? 1 : 0;
  }
  status->set_agents_enrolled(enrolled);
  return response;
}

}  // namespace anding::dispatcher

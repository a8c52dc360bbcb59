#include "link_module.h"

#include <set>

#include "anding/common/strings.h"
#include "anding/runtime/files.h"
#include "anding/runtime/log_text.h"
#include "anding/runtime/logging.h"
#include "anding/store/link_repository.h"
#include "anding/wire/codec.h"
#include "ops_server.h"
#include "vocabulary_codec.h"

namespace anding::dispatcher {

LinkModule::LinkModule(LinkParts parts) : parts_(parts), log_(runtime::GetLogger("link")) {}

std::vector<storage::Migration> LinkModule::Migrations() const { return store::LinkMigrations(); }

Status LinkModule::Load(storage::Database& db) {
  ANDING_RETURN_IF_ERROR(parts_.intake.Load());
  ANDING_RETURN_IF_ERROR(parts_.agents.Load(db));
  for (const auto& [unit, row] : parts_.agents.agents()) {
    if (row.clock_offset) {
      parts_.clocks.Restore(unit, ClockOffset{*row.clock_offset, row.clock_round_trip, Time{}});
    }
  }
  return parts_.orders.Load(db);
}

std::vector<v1::OperatorRequest::RequestCase> LinkModule::Requests() const {
  using R = v1::OperatorRequest;
  return {R::kListEvents, R::kListAgents, R::kListOrders,  R::kStatus,
          R::kSendOrder,  R::kEnrolAgent, R::kRevokeAgent, R::kListKeys};
}

void LinkModule::Serve(OperatorCall& call) {
  switch (call.request().request_case()) {
    case v1::OperatorRequest::kListEvents:
      ListEvents(call);
      return;
    case v1::OperatorRequest::kListOrders:
      ListOrders(call);
      return;
    case v1::OperatorRequest::kListAgents:
      call.Reply(ListAgents());
      return;
    case v1::OperatorRequest::kStatus:
      call.Reply(StatusResponse());
      return;
    case v1::OperatorRequest::kListKeys:
      call.Reply(ListKeys());
      return;
    case v1::OperatorRequest::kEnrolAgent:
    case v1::OperatorRequest::kRevokeAgent:
      ChangeEnrolment(call);
      return;
    default:
      SendOrder(call);
      return;
  }
}

Status LinkModule::Record(const core::Effects& out, Time) {
  for (const auto& order : out.orders) parts_.orders.Enqueue(order.unit_id, OrderToProto(order));
  return OkStatus();
}

void LinkModule::SendOrder(OperatorCall& call) {
  const auto& send = call.request().send_order();
  if (send.unit_id().empty()) return call.Fail(InvalidArgumentError("unit_id is required"));
  if (parts_.org.FindUnit(send.unit_id()) == nullptr &&
      !parts_.enrolment.HasAgent(send.unit_id())) {
    return call.Fail(NotFoundError(StrCat("unknown unit '", send.unit_id(), "'")));
  }
  if (send.kind() == v1::ORDER_KIND_UNSPECIFIED || send.kind() == v1::ORDER_KIND_DISPATCH ||
      !v1::OrderKind_IsValid(send.kind())) {
    return call.Fail(InvalidArgumentError("kind must be NOTICE, REMINDER or SUPERVISION"));
  }
  if (send.title().empty()) return call.Fail(InvalidArgumentError("title is required"));
  auto order_id = std::make_shared<std::string>();
  const std::string by = call.who().id;
  call.Command(
      [&](core::Effects&, Time) {
        v1::Order order;
        order.set_kind(send.kind());
        order.set_title(send.title());
        order.set_text(send.text());
        order.set_reference_id(send.reference_id());
        *order_id = parts_.orders.Enqueue(send.unit_id(), std::move(order));
        log_->info("operator {} issued order {} to {}", by, *order_id,
                   runtime::Printable(send.unit_id(), 60));
        return OkStatus();
      },
      [order_id] {
        v1::OperatorResponse response;
        response.mutable_send_order()->set_order_id(*order_id);
        return response;
      });
}

void LinkModule::ChangeEnrolment(OperatorCall& call) {
  const v1::OperatorRequest& request = call.request();
  const bool enrol = request.has_enrol_agent();
  const std::string unit =
      enrol ? request.enrol_agent().unit_id() : request.revoke_agent().unit_id();
  if (unit.empty()) return call.Fail(InvalidArgumentError("unit_id is required"));
  if (enrol && parts_.org.FindUnit(unit) == nullptr) {
    return call.Fail(NotFoundError(StrCat("unit '", unit, "' is not in the configuration")));
  }
  const std::string key = enrol ? request.enrol_agent().public_key() : std::string();
  const std::string by = call.who().id;
  call.Command(
      [&](core::Effects&, Time) -> Status {
        ANDING_ASSIGN_OR_RETURN(const std::string text,
                                runtime::ReadFile(parts_.enrolled_keys_file));
        ANDING_ASSIGN_OR_RETURN(
            const std::string changed,
            enrol ? Enrolment::WithAgent(text, unit, key) : Enrolment::WithoutAgent(text, unit));
        ANDING_RETURN_IF_ERROR(runtime::ReplaceFile(parts_.enrolled_keys_file, changed));
        log_->warn("operator {} {} the agent key of {}", by, enrol ? "enrolled" : "revoked",
                   runtime::Printable(unit, 60));
        parts_.reload_enrolment();
        return OkStatus();
      },
      [this] { return ListKeys(); });
}

v1::OperatorResponse LinkModule::ListKeys() const {
  v1::OperatorResponse response;
  auto* list = response.mutable_keys();
  for (const auto& [key, principal] : parts_.enrolment.keys()) {
    auto* entry = list->add_keys();
    entry->set_kind(principal.kind == Principal::Kind::kAgent ? "agent" : "operator");
    entry->set_id(principal.id);
    entry->set_public_key(key);
    if (principal.kind == Principal::Kind::kOperator) {
      entry->set_role(std::string(core::RoleName(principal.role)));
      entry->set_unit_id(principal.unit_id);
    }
  }
  for (const auto& error : parts_.enrolment.errors()) list->add_errors(error);
  return response;
}

void LinkModule::ListEvents(OperatorCall& call) {
  const auto& request = call.request().list_events();
  store::EventQuery query;
  query.unit_id = request.unit_id();
  query.payload_kind = request.payload_kind();
  query.limit = PageLimit(request.limit());
  query.cursor = request.cursor();
  call.Query([query](storage::Database& db) {
    auto page = store::ListEventPage(db, query);
    auto total = store::CountEvents(db, query);
    if (!page.ok() || !total.ok()) {
      return ErrorResponse("", page.ok() ? total.status() : page.status());
    }
    v1::OperatorResponse response;
    auto* list = response.mutable_list_events();
    list->set_total(*total);
    list->set_next_cursor(page->next_cursor);
    for (const auto& row : page->rows) {
      auto* event = list->add_events();
      event->set_unit_id(row.unit_id);
      event->set_message_id(row.message_id);
      event->set_sequence(row.sequence);
      *event->mutable_received_at() = wire::ToProto(row.received_at);
      wire::Decode(row.envelope, *event->mutable_envelope()).IgnoreError();
      if (row.filed_at) *event->mutable_filed_at() = wire::ToProto(*row.filed_at);
      if (row.clock_correction != Duration::zero()) {
        event->set_clock_correction_ms(
            std::chrono::duration_cast<std::chrono::milliseconds>(row.clock_correction).count());
      }
      event->set_filed_at_basis(row.filed_at_basis);
    }
    return response;
  });
}

void LinkModule::ListOrders(OperatorCall& call) {
  const std::string unit = call.request().list_orders().unit_id();
  const uint32_t limit = PageLimit(call.request().list_orders().limit());
  call.Query([unit, limit](storage::Database& db) {
    auto rows = store::ListOutbound(db, unit, limit);
    if (!rows.ok()) return ErrorResponse("", rows.status());
    v1::OperatorResponse response;
    auto* list = response.mutable_list_orders();
    for (const auto& row : *rows) {
      auto* issued = list->add_orders();
      issued->set_unit_id(row.unit_id);
      issued->set_sequence(row.sequence);
      v1::Envelope envelope;
      if (wire::Decode(row.envelope, envelope).ok()) *issued->mutable_order() = envelope.order();
      if (row.acked_at) *issued->mutable_delivered_at() = wire::ToProto(*row.acked_at);
    }
    return response;
  });
}

v1::OperatorResponse LinkModule::ListAgents() const {
  v1::OperatorResponse response;
  auto* list = response.mutable_list_agents();
  std::set<std::string> units;
  for (const auto& [unit, row] : parts_.agents.agents()) units.insert(unit);
  for (const auto& [key, principal] : parts_.enrolment.keys()) {
    if (principal.kind == Principal::Kind::kAgent) units.insert(principal.id);
  }
  for (const auto& unit : units) {
    auto* info = list->add_agents();
    info->set_unit_id(unit);
    info->set_enrolled(parts_.enrolment.HasAgent(unit));
    info->set_orders_pending(parts_.orders.pending(unit));
    const auto& oversized = parts_.link.counters().oversized_by_unit;
    if (auto it = oversized.find(unit); it != oversized.end()) {
      info->set_oversized_frames(it->second);
    }
    auto it = parts_.agents.agents().find(unit);
    if (it != parts_.agents.agents().end()) {
      info->set_online(it->second.online);
      if (it->second.last_seen) *info->mutable_last_seen() = wire::ToProto(*it->second.last_seen);
      info->set_last_sequence(it->second.last_sequence);
      info->set_sequence_gaps(it->second.sequence_gaps);
      info->set_repeated_sequences(it->second.repeated_sequences);
    }
    if (auto clock = parts_.clocks.Estimate(unit)) {
      info->set_clock_offset_ms(
          std::chrono::duration_cast<std::chrono::milliseconds>(clock->offset).count());
      info->set_clock_round_trip_ms(
          std::chrono::duration_cast<std::chrono::milliseconds>(clock->round_trip).count());
      info->set_clock_wrong(parts_.clocks.Wrong(unit));
    }
  }
  return response;
}

v1::OperatorResponse LinkModule::StatusResponse() const {
  v1::OperatorResponse response;
  auto* status = response.mutable_status();
  status->set_version(parts_.version);
  *status->mutable_started_at() = wire::ToProto(parts_.started_at);
  status->set_feed_sequence(parts_.feed.sequence());
  const auto& intake = parts_.intake.counters();
  status->set_events_stored(parts_.feed.MakeSnapshot(1).events_stored());
  status->set_duplicates(intake.duplicates);
  const auto& link = parts_.link.counters();
  status->set_malformed_frames(link.malformed);
  status->set_unauthorised_messages(link.unauthorised + parts_.zap.denied());
  status->set_wrong_unit(link.wrong_unit);
  status->set_oversized_frames(link.oversized);
  status->set_refused_by_store(intake.refused_by_store);
  status->set_invalid_envelopes(link.invalid + intake.refused_by_domain);
  const auto stats = parts_.commits.stats();
  status->set_commits(stats.commits);
  status->set_failed_commits(stats.failed_commits);
  status->set_checkpoints(stats.checkpoints);
  status->set_wal_restarts(stats.gated_checkpoints);
  status->set_longest_checkpoint_wait_us(static_cast<uint64_t>(stats.longest_gate.count()));
  status->set_orders_pending(parts_.orders.pending_total());
  uint32_t online = 0;
  for (const auto& [unit, row] : parts_.agents.agents()) online += row.online ? 1 : 0;
  status->set_agents_online(online);
  uint32_t enrolled = 0;
  for (const auto& [key, principal] : parts_.enrolment.keys()) {
    enrolled += principal.kind == Principal::Kind::kAgent ? 1 : 0;
  }
  status->set_agents_enrolled(enrolled);
  return response;
}

}  // namespace anding::dispatcher

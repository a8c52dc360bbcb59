#include "local_server.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <zmq_addon.hpp>

#include "anding/common/ids.h"
#include "anding/common/strings.h"
#include "anding/runtime/logging.h"
#include "anding/wire/codec.h"

namespace anding::agent {

LocalServer::LocalServer(boost::asio::io_context& io, zmq::context_t& zmq, const Clock& clock,
                         const AgentConfig& config, OutboxStore& outbox, Uplink& uplink)
    : io_(io),
      clock_(clock),
      config_(config),
      outbox_(outbox),
      uplink_(uplink),
      log_(runtime::GetLogger("agent")),
      ids_(clock),
      socket_(zmq, zmq::socket_type::router) {}

LocalServer::~LocalServer() {
  *alive_ = false;
  Stop();
}

Status LocalServer::Start() {
  try {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.set(zmq::sockopt::maxmsgsize, int64_t{16 << 20});
    std::error_code ec;
    std::filesystem::remove(config_.data_dir + "/agent.sock", ec);  // from a killed run
    socket_.bind(config_.LocalEndpoint());
  } catch (const zmq::error_t& e) {
    return UnavailableError(StrCat("cannot bind the local command socket: ", e.what()));
  }
  watcher_ = std::make_unique<runtime::ZmqWatcher>(io_, socket_, [this] { OnReadable(); });
  watcher_->Start();
  return OkStatus();
}

void LocalServer::Stop() {
  if (watcher_) watcher_->Stop();
  waiters_.clear();  // their timers are cancelled as they go
  waiters_by_message_.clear();
}

void LocalServer::OnReadable() {
  std::vector<zmq::message_t> parts;
  if (!zmq::recv_multipart(socket_, std::back_inserter(parts), zmq::recv_flags::dontwait)) return;
  if (parts.size() < 2) return;
  const std::string routing_id = parts[0].to_string();
  v1::LocalRequest request;
  if (Status status = wire::Decode(parts.back().to_string_view(), request, 16 << 20);
      !status.ok()) {
    v1::LocalResponse response;
    response.set_error(status.message());
    Reply(routing_id, response);
    return;
  }
  Handle(routing_id, request);
}

void LocalServer::Reply(const std::string& routing_id, const v1::LocalResponse& response) {
  const std::string bytes = wire::Encode(response);
  std::array<zmq::const_buffer, 3> frames = {zmq::buffer(routing_id), zmq::const_buffer(),
                                             zmq::buffer(bytes)};
  try {
    zmq::send_multipart(socket_, frames, zmq::send_flags::dontwait);
  } catch (const zmq::error_t& e) {
    log_->debug("local reply not delivered: {}", e.what());
  }
  watcher_->Kick();
}

v1::OutboxEntry LocalServer::EntryFor(const std::string& message_id) {
  auto found = outbox_.Find(message_id);
  v1::OutboxEntry entry;
  if (found.ok() && found->has_value()) entry = **found;
  if (auto attempts = uplink_.AttemptsFor(message_id)) {
    entry.set_attempts(static_cast<uint32_t>(*attempts));
  }
  return entry;
}

void LocalServer::Handle(const std::string& routing_id, const v1::LocalRequest& request) {
  v1::LocalResponse response;
  switch (request.request_case()) {
    case v1::LocalRequest::kSubmit:
      Submit(routing_id, request.submit());
      return;
    case v1::LocalRequest::kListOutbox: {
      response.mutable_list_outbox();
      auto entries = outbox_.List(request.list_outbox().all(), request.list_outbox().limit());
      if (!entries.ok()) {
        response.set_error(entries.status().message());
        break;
      }
      for (auto& entry : *entries) {
        if (auto attempts = uplink_.AttemptsAt(entry.sequence())) {
          entry.set_attempts(static_cast<uint32_t>(*attempts));
        }
        *response.mutable_list_outbox()->add_entries() = std::move(entry);
      }
      break;
    }
    case v1::LocalRequest::kListOrders: {
      response.mutable_list_orders();
      auto orders = outbox_.ListOrders(request.list_orders().all());
      if (!orders.ok()) {
        response.set_error(orders.status().message());
        break;
      }
      for (auto& order : *orders) *response.mutable_list_orders()->add_orders() = std::move(order);
      break;
    }
    case v1::LocalRequest::kStatus: {
      auto* status = response.mutable_status();
      status->set_unit_id(config_.unit_id);
      status->set_dispatcher_endpoint(config_.dispatcher_endpoint);
      status->set_connected(uplink_.connected());
      if (uplink_.last_heard() != Time{}) {
        *status->mutable_last_contact() = wire::ToProto(uplink_.last_heard());
      }
      status->set_outbox_depth(uplink_.queued());
      status->set_last_sequence(outbox_.next_sequence() - 1);
      break;
    }
    case v1::LocalRequest::REQUEST_NOT_SET:
      response.set_error("empty request");
      break;
  }
  Reply(routing_id, response);
}

void LocalServer::Submit(const std::string& routing_id, const v1::SubmitRequest& request) {
  v1::LocalResponse response;
  if (request.envelopes_size() == 0 || request.envelopes_size() > 100000) {
    response.set_error("submit 1 to 100000 envelopes");
    Reply(routing_id, response);
    return;
  }
  const Time now = clock_.Now();
  std::vector<v1::Envelope> envelopes;
  // Ids the outbox holds already (a re-run import): answered, not stored
  // again.
  std::vector<std::string> known_ids;
  std::set<std::string> ids_in_request;
  uint64_t sequence = outbox_.next_sequence();
  for (int i = 0; i < request.envelopes_size(); ++i) {
    v1::Envelope envelope = request.envelopes(i);
    const std::string where = request.envelopes_size() > 1 ? StrCat("envelope ", i + 1, ": ") : "";
    if (!wire::IsDurablePayload(envelope) || envelope.has_order()) {
      response.set_error(where + "only reports can be submitted (no payload, or an order)");
      Reply(routing_id, response);
      return;
    }
    if (envelope.message_id().empty()) {
      envelope.set_message_id(ids_.Next());
    } else {
      // A caller that gives ids (import) makes its submission repeatable.
      if (!IsCanonicalUuid(envelope.message_id()) ||
          !ids_in_request.insert(envelope.message_id()).second) {
        response.set_error(where +
                           "message_id must be a canonical lower-case UUID, unique in "
                           "the submission");
        Reply(routing_id, response);
        return;
      }
      auto existing = outbox_.Find(envelope.message_id());
      if (!existing.ok()) {
        response.set_error(StrCat("not accepted: ", existing.status().message()));
        Reply(routing_id, response);
        return;
      }
      if (existing->has_value()) {
        known_ids.push_back(envelope.message_id());
        continue;
      }
    }
    envelope.set_unit_id(config_.unit_id);
    envelope.set_sequence(sequence++);
    *envelope.mutable_sent_at() = wire::ToProto(now);
    envelope.set_schema_version(wire::kSchemaVersion);
    if (Status status = wire::ValidatePayload(envelope); !status.ok()) {
      response.set_error(where + status.message());
      Reply(routing_id, response);
      return;
    }
    if (envelope.has_order_acknowledgement()) {
      auto known = outbox_.HasOrder(envelope.order_acknowledgement().order_id());
      if (!known.ok() || !*known) {
        response.set_error(StrCat(where, "no order '", envelope.order_acknowledgement().order_id(),
                                  "' has been received"));
        Reply(routing_id, response);
        return;
      }
    }
    envelopes.push_back(std::move(envelope));
  }
  if (Status status = outbox_.Append(envelopes, now); !status.ok()) {
    log_->error("could not store submitted reports: {}", status.message());
    response.set_error(StrCat("not accepted: could not store locally: ", status.message()));
    Reply(routing_id, response);
    return;
  }
  Waiter waiter{routing_id, std::move(known_ids), nullptr};
  for (const auto& envelope : envelopes) {
    if (envelope.has_order_acknowledgement()) {
      const auto& ack = envelope.order_acknowledgement();
      const Time at =
          wire::IsSet(ack.acknowledged_at()) ? wire::FromProto(ack.acknowledged_at()) : now;
      outbox_.AcknowledgeOrder(ack.order_id(), ack.acknowledged_by(), at)
          .IgnoreError();  // the upward acknowledgement is what counts
    }
    waiter.message_ids.push_back(envelope.message_id());
  }
  uplink_.Deliver(std::move(envelopes));
  if (request.wait_ms() == 0) {
    for (const auto& id : waiter.message_ids) {
      *response.mutable_submit()->add_entries() = EntryFor(id);
    }
    Reply(routing_id, response);
    return;
  }
  const uint64_t waiter_id = next_waiter_++;
  for (const auto& id : waiter.message_ids) waiters_by_message_[id].push_back(waiter_id);
  waiter.timer = std::make_unique<boost::asio::steady_timer>(
      io_, std::chrono::milliseconds(request.wait_ms()));
  waiter.timer->async_wait([this, waiter_id, alive = alive_](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted || !*alive) return;
    FinishWaiter(waiter_id);
  });
  waiters_.emplace(waiter_id, std::move(waiter));
}

void LocalServer::OnSettled(const std::string& message_id) {
  auto it = waiters_by_message_.find(message_id);
  if (it == waiters_by_message_.end()) return;
  const std::vector<uint64_t> ids = std::move(it->second);
  waiters_by_message_.erase(it);
  for (uint64_t waiter_id : ids) {
    auto waiter = waiters_.find(waiter_id);
    if (waiter == waiters_.end()) continue;
    const bool all_settled =
        std::none_of(waiter->second.message_ids.begin(), waiter->second.message_ids.end(),
                     [this](const std::string& id) { return uplink_.AttemptsFor(id).has_value(); });
    if (all_settled) FinishWaiter(waiter_id);
  }
}

void LocalServer::FinishWaiter(uint64_t waiter_id) {
  auto it = waiters_.find(waiter_id);
  if (it == waiters_.end()) return;
  Waiter waiter = std::move(it->second);
  waiters_.erase(it);
  if (waiter.timer) waiter.timer->cancel();
  v1::LocalResponse response;
  for (const auto& id : waiter.message_ids) {
    *response.mutable_submit()->add_entries() = EntryFor(id);
    auto by_message = waiters_by_message_.find(id);
    if (by_message != waiters_by_message_.end()) {
      auto& list = by_message->second;
      list.erase(std::remove(list.begin(), list.end(), waiter_id), list.end());
      if (list.empty()) waiters_by_message_.erase(by_message);
    }
  }
  Reply(waiter.routing_id, response);
}

}  // namespace anding::agent

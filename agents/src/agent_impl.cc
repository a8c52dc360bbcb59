#include "agent_impl.h"

#include <zmq_addon.hpp>

#include <algorithm>
#include <filesystem>

#include "anding/common/strings.h"
#include "anding/runtime/logging.h"
#include "anding/wire/codec.h"

namespace anding::agent {
namespace {

// Envelopes per uplink frame.
constexpr int kFrameEnvelopes = 500;
// While the link is down, probe this often (a heartbeat) so that delivery
// resumes soon after it comes back.
constexpr Duration kProbeInterval = std::chrono::milliseconds(500);

bool IsPermanent(v1::NackReason reason) { return reason != v1::NACK_REASON_UNAVAILABLE; }

}  // namespace

Result<std::unique_ptr<Agent>> Agent::Create(boost::asio::io_context& io, Options options) {
  if (options.clock == nullptr) return InvalidArgumentError("Agent::Options.clock is required");
  AgentConfig& config = options.config;
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return UnavailableError(
        StrCat("cannot create data_dir '", config.data_dir, "': ", ec.message()));
  }
  std::filesystem::permissions(config.data_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  ANDING_ASSIGN_OR_RETURN(auto keys, runtime::ReadKeyFile(config.secret_key_file, true));
  ANDING_ASSIGN_OR_RETURN(auto outbox, OutboxStore::Open(config.DatabasePath()));
  return std::unique_ptr<Agent>(
      new AgentImpl(io, *options.clock, std::move(config), std::move(keys), std::move(outbox)));
}

AgentImpl::AgentImpl(boost::asio::io_context& io, const Clock& clock, AgentConfig config,
                     runtime::CurveKeyPair keys, std::unique_ptr<OutboxStore> outbox)
    : io_(io),
      config_(std::move(config)),
      keys_(std::move(keys)),
      outbox_(std::move(outbox)),
      log_(runtime::GetLogger("agent")),
      scheduler_(io, clock),
      ids_(scheduler_.clock()),
      zmq_(1),
      uplink_(zmq_, zmq::socket_type::dealer),
      local_(zmq_, zmq::socket_type::router) {}

AgentImpl::~AgentImpl() { Stop(); }

Status AgentImpl::Start() {
  ANDING_ASSIGN_OR_RETURN(auto queued, outbox_->LoadQueued());
  for (auto& envelope : queued) {
    const uint64_t sequence = envelope.sequence();
    sequence_by_id_[envelope.message_id()] = sequence;
    queued_[sequence] = Pending{std::move(envelope), 0, Time{}};
  }

  const auto ivl_ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(config_.heartbeat_interval).count());
  try {
    uplink_.set(zmq::sockopt::linger, 0);
    uplink_.set(zmq::sockopt::immediate, 1);
    uplink_.set(zmq::sockopt::curve_serverkey, config_.dispatcher_public_key);
    uplink_.set(zmq::sockopt::curve_publickey, keys_.public_key);
    uplink_.set(zmq::sockopt::curve_secretkey, keys_.secret_key);
    uplink_.set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(wire::kMaxFrameBytes * 4));
    uplink_.set(zmq::sockopt::sndhwm, 1000);
    uplink_.set(zmq::sockopt::rcvhwm, 10000);
    uplink_.set(zmq::sockopt::reconnect_ivl, 100);
    uplink_.set(zmq::sockopt::reconnect_ivl_max, 5000);
    uplink_.set(zmq::sockopt::heartbeat_ivl, ivl_ms);
    uplink_.set(zmq::sockopt::heartbeat_timeout, ivl_ms * 3);
    uplink_.connect(config_.dispatcher_endpoint);

    local_.set(zmq::sockopt::linger, 0);
    local_.set(zmq::sockopt::maxmsgsize, int64_t{16 << 20});
    std::error_code ec;
    std::filesystem::remove(config_.data_dir + "/agent.sock", ec);  // from a killed run
    local_.bind(config_.LocalEndpoint());
  } catch (const zmq::error_t& e) {
    return UnavailableError(StrCat("cannot set up sockets: ", e.what()));
  }
  uplink_watcher_ = std::make_unique<runtime::ZmqWatcher>(io_, uplink_, [this] { OnUplinkReadable(); });
  local_watcher_ = std::make_unique<runtime::ZmqWatcher>(io_, local_, [this] { OnLocalReadable(); });
  uplink_watcher_->Start();
  local_watcher_->Start();
  log_->info("unit {}: {} messages queued; connecting to {}", config_.unit_id, queued_.size(),
             config_.dispatcher_endpoint);
  Tick();
  return OkStatus();
}

void AgentImpl::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (uplink_watcher_) uplink_watcher_->Stop();
  if (local_watcher_) local_watcher_->Stop();
  scheduler_.Cancel(pump_timer_);
  scheduler_.Cancel(tick_timer_);
  for (auto& [id, waiter] : waiters_) scheduler_.Cancel(waiter.timer);
  waiters_.clear();
}

Duration AgentImpl::Backoff(int attempts) const {
  Duration delay = config_.retry_initial;
  for (int i = 1; i < attempts && delay < config_.retry_max; ++i) delay *= 2;
  return std::min(delay, config_.retry_max);
}

// ---- uplink ----

bool AgentImpl::SendFrame(const v1::Frame& frame) {
  const std::string bytes = wire::Encode(frame);
  try {
    const auto sent = uplink_.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
    uplink_watcher_->Kick();
    return sent.has_value();
  } catch (const zmq::error_t& e) {
    log_->warn("send failed: {}", e.what());
    return false;
  }
}

void AgentImpl::Pump() {
  if (stopped_) return;
  const Time now = scheduler_.clock().Now();
  int64_t in_flight = 0;
  Time next_due = Time::max();
  v1::Frame frame;
  std::vector<uint64_t> in_frame;
  auto flush = [&]() -> bool {
    if (frame.envelopes_size() == 0) return true;
    if (!SendFrame(frame)) return false;
    for (uint64_t sequence : in_frame) {
      Pending& p = queued_.at(sequence);
      ++p.attempts;
      p.next_attempt = now + Backoff(p.attempts);
      next_due = std::min(next_due, p.next_attempt);
    }
    frame.Clear();
    in_frame.clear();
    return true;
  };
  bool blocked = false;
  for (auto& [sequence, pending] : queued_) {
    if (pending.attempts > 0 && pending.next_attempt > now) {
      ++in_flight;
      next_due = std::min(next_due, pending.next_attempt);
      continue;
    }
    if (in_flight >= config_.max_in_flight) break;
    *frame.add_envelopes() = pending.envelope;
    in_frame.push_back(sequence);
    ++in_flight;
    if (frame.envelopes_size() >= kFrameEnvelopes && !flush()) {
      blocked = true;
      break;
    }
  }
  if (!blocked && !flush()) blocked = true;
  if (blocked) {
    // No connection (ZMQ_IMMEDIATE) or a full pipe: try again soon.
    SchedulePump(now + (connected_ ? std::chrono::milliseconds(50) : kProbeInterval));
  } else if (next_due != Time::max()) {
    SchedulePump(next_due);
  }
}

void AgentImpl::SchedulePump(Time at) {
  if (pump_timer_ != 0 && at >= pump_at_) return;  // an earlier pump is already set
  scheduler_.Cancel(pump_timer_);
  pump_at_ = at;
  pump_timer_ = scheduler_.ScheduleAt(at, [this] {
    pump_timer_ = 0;
    pump_at_ = Time::max();
    Pump();
  });
}

void AgentImpl::Tick() {
  if (stopped_) return;
  const Time now = scheduler_.clock().Now();
  if (connected_ && now - last_heard_ > config_.heartbeat_interval * 3) {
    connected_ = false;
    log_->warn("link to the dispatcher is down (silent for {}); {} messages wait in the outbox",
               FormatDuration(now - last_heard_), queued_.size());
  }
  v1::Frame frame;
  auto* envelope = frame.add_envelopes();
  envelope->set_unit_id(config_.unit_id);
  envelope->set_schema_version(wire::kSchemaVersion);
  envelope->mutable_heartbeat()->set_last_sequence(outbox_->next_sequence() - 1);
  envelope->mutable_heartbeat()->set_outbox_depth(queued_.size());
  envelope->mutable_heartbeat()->set_software_version(kAgentVersion);
  SendFrame(frame);
  if (now - last_prune_ > std::chrono::hours(1)) {
    last_prune_ = now;
    if (Status status = outbox_->Prune(now - config_.keep_delivered); !status.ok()) {
      log_->warn("could not prune delivered messages: {}", status.message());
    }
  }
  tick_timer_ = scheduler_.ScheduleAfter(
      connected_ ? config_.heartbeat_interval : std::min(config_.heartbeat_interval, kProbeInterval),
      [this] { Tick(); });
}

void AgentImpl::LinkUp() {
  log_->info("link to the dispatcher is up; delivering {} queued messages", queued_.size());
  for (auto& [sequence, pending] : queued_) pending.next_attempt = Time{};
  Pump();
}

void AgentImpl::OnUplinkReadable() {
  zmq::message_t message;
  try {
    if (!uplink_.recv(message, zmq::recv_flags::dontwait)) return;
  } catch (const zmq::error_t& e) {
    log_->error("receive failed: {}", e.what());
    return;
  }
  auto frame = wire::DecodeFrame(message.to_string_view());
  if (!frame.ok()) {
    log_->warn("dropped a malformed message from the dispatcher: {}", frame.status().message());
    return;
  }
  // Settle acks before (re)starting delivery, or a link that just came up
  // would resend what this very frame acknowledges.
  const bool was_connected = connected_;
  last_heard_ = scheduler_.clock().Now();
  connected_ = true;
  std::vector<OutboxStore::Outcome> outcomes;
  std::vector<std::string> resolved;
  v1::Frame acks;
  const Time now = scheduler_.clock().Now();
  for (const auto& envelope : frame->envelopes()) {
    if (envelope.has_ack() || envelope.has_nack()) {
      const std::string& id =
          envelope.has_ack() ? envelope.ack().message_id() : envelope.nack().message_id();
      auto it = sequence_by_id_.find(id);
      if (it == sequence_by_id_.end()) {
        if (envelope.has_nack() && id.empty()) {
          log_->error("the dispatcher refused this agent: {} ({})",
                      v1::NackReason_Name(envelope.nack().reason()), envelope.nack().detail());
        }
        continue;  // a repeat ack for something already settled
      }
      if (envelope.has_nack() && !IsPermanent(envelope.nack().reason())) {
        Pending& p = queued_.at(it->second);
        p.next_attempt = now + Backoff(p.attempts);
        log_->info("message {} deferred by the dispatcher: {}", id, envelope.nack().detail());
        continue;
      }
      OutboxStore::Outcome outcome{it->second, std::nullopt, std::nullopt};
      if (envelope.has_ack()) {
        outcome.ack = envelope.ack();
      } else {
        outcome.nack = envelope.nack();
        log_->warn("message {} ({}) REJECTED by the dispatcher: {} {}", id,
                   wire::Summarize(queued_.at(it->second).envelope),
                   v1::NackReason_Name(envelope.nack().reason()), envelope.nack().detail());
      }
      outcomes.push_back(std::move(outcome));
      resolved.push_back(id);
    } else if (envelope.has_order()) {
      auto stored = outbox_->StoreOrder(envelope, now);
      if (!stored.ok()) {
        log_->error("could not store order {}: {}", envelope.order().order_id(),
                    stored.status().message());
        continue;  // not acknowledged: the dispatcher sends it again
      }
      if (*stored) {
        log_->info("ORDER {} {}: {}", v1::OrderKind_Name(envelope.order().kind()),
                   envelope.order().order_id(), envelope.order().title());
      }
      auto* ack = acks.add_envelopes();
      ack->set_unit_id(config_.unit_id);
      ack->set_schema_version(wire::kSchemaVersion);
      ack->mutable_ack()->set_message_id(envelope.message_id());
      ack->mutable_ack()->set_sequence(envelope.sequence());
      *ack->mutable_ack()->mutable_stored_at() = wire::ToProto(now);
    }
  }
  Status recorded = outbox_->Record(outcomes, now);
  if (!recorded.ok()) {
    // Not recorded: the messages stay queued and will be resent; the
    // dispatcher answers with duplicate acks.
    log_->error("could not record acknowledgements: {}", recorded.message());
  } else if (!outcomes.empty()) {
    for (const auto& outcome : outcomes) {
      auto it = queued_.find(outcome.sequence);
      if (it == queued_.end()) continue;
      sequence_by_id_.erase(it->second.envelope.message_id());
      queued_.erase(it);
    }
    for (const auto& id : resolved) ResolveWaiters(id);
    Pump();
  }
  if (acks.envelopes_size() > 0) SendFrame(acks);
  if (!was_connected) LinkUp();
}

// ---- local commands ----

void AgentImpl::OnLocalReadable() {
  std::vector<zmq::message_t> parts;
  if (!zmq::recv_multipart(local_, std::back_inserter(parts), zmq::recv_flags::dontwait)) return;
  if (parts.size() < 2) return;
  const std::string routing_id = parts[0].to_string();
  v1::LocalRequest request;
  if (Status status = wire::Decode(parts.back().to_string_view(), request, 16 << 20);
      !status.ok()) {
    v1::LocalResponse response;
    response.set_error(status.message());
    ReplyLocal(routing_id, response);
    return;
  }
  HandleLocal(routing_id, request);
}

void AgentImpl::ReplyLocal(const std::string& routing_id, const v1::LocalResponse& response) {
  const std::string bytes = wire::Encode(response);
  std::array<zmq::const_buffer, 3> frames = {zmq::buffer(routing_id), zmq::const_buffer(),
                                             zmq::buffer(bytes)};
  try {
    zmq::send_multipart(local_, frames, zmq::send_flags::dontwait);
  } catch (const zmq::error_t& e) {
    log_->debug("local reply not delivered: {}", e.what());
  }
  local_watcher_->Kick();
}

v1::OutboxEntry AgentImpl::EntryFor(const std::string& message_id) {
  auto found = outbox_->Find(message_id);
  v1::OutboxEntry entry;
  if (found.ok() && found->has_value()) entry = **found;
  if (auto it = sequence_by_id_.find(message_id); it != sequence_by_id_.end()) {
    if (auto pending = queued_.find(it->second); pending != queued_.end()) {
      entry.set_attempts(static_cast<uint32_t>(pending->second.attempts));
    }
  }
  return entry;
}

void AgentImpl::HandleLocal(const std::string& routing_id, const v1::LocalRequest& request) {
  v1::LocalResponse response;
  switch (request.request_case()) {
    case v1::LocalRequest::kSubmit:
      Submit(routing_id, request.submit());
      return;
    case v1::LocalRequest::kListOutbox: {
      response.mutable_list_outbox();
      auto entries = outbox_->List(request.list_outbox().all(), request.list_outbox().limit());
      if (!entries.ok()) {
        response.set_error(entries.status().message());
        break;
      }
      for (auto& entry : *entries) {
        if (auto it = queued_.find(entry.sequence()); it != queued_.end()) {
          entry.set_attempts(static_cast<uint32_t>(it->second.attempts));
        }
        *response.mutable_list_outbox()->add_entries() = std::move(entry);
      }
      break;
    }
    case v1::LocalRequest::kListOrders: {
      response.mutable_list_orders();
      auto orders = outbox_->ListOrders(request.list_orders().all());
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
      status->set_connected(connected_);
      if (last_heard_ != Time{}) *status->mutable_last_contact() = wire::ToProto(last_heard_);
      status->set_outbox_depth(queued_.size());
      status->set_last_sequence(outbox_->next_sequence() - 1);
      break;
    }
    case v1::LocalRequest::REQUEST_NOT_SET:
      response.set_error("empty request");
      break;
  }
  ReplyLocal(routing_id, response);
}

void AgentImpl::Submit(const std::string& routing_id, const v1::SubmitRequest& request) {
  v1::LocalResponse response;
  if (request.envelopes_size() == 0 || request.envelopes_size() > 100000) {
    response.set_error("submit 1 to 100000 envelopes");
    ReplyLocal(routing_id, response);
    return;
  }
  const Time now = scheduler_.clock().Now();
  std::vector<v1::Envelope> envelopes;
  uint64_t sequence = outbox_->next_sequence();
  for (int i = 0; i < request.envelopes_size(); ++i) {
    v1::Envelope envelope = request.envelopes(i);
    const std::string where = request.envelopes_size() > 1 ? StrCat("envelope ", i + 1, ": ") : "";
    if (!wire::IsDurablePayload(envelope) || envelope.has_order()) {
      response.set_error(where + "only reports can be submitted (no payload, or an order)");
      ReplyLocal(routing_id, response);
      return;
    }
    envelope.set_message_id(ids_.Next());
    envelope.set_unit_id(config_.unit_id);
    envelope.set_sequence(sequence++);
    *envelope.mutable_sent_at() = wire::ToProto(now);
    envelope.set_schema_version(wire::kSchemaVersion);
    if (Status status = wire::ValidatePayload(envelope); !status.ok()) {
      response.set_error(where + status.message());
      ReplyLocal(routing_id, response);
      return;
    }
    if (envelope.has_order_acknowledgement()) {
      auto known = outbox_->HasOrder(envelope.order_acknowledgement().order_id());
      if (!known.ok() || !*known) {
        response.set_error(StrCat(where, "no order '", envelope.order_acknowledgement().order_id(),
                                  "' has been received"));
        ReplyLocal(routing_id, response);
        return;
      }
    }
    envelopes.push_back(std::move(envelope));
  }
  if (Status status = outbox_->Append(envelopes, now); !status.ok()) {
    log_->error("could not store submitted reports: {}", status.message());
    response.set_error(StrCat("not accepted: could not store locally: ", status.message()));
    ReplyLocal(routing_id, response);
    return;
  }
  Waiter waiter{routing_id, {}, 0};
  for (auto& envelope : envelopes) {
    if (envelope.has_order_acknowledgement()) {
      const auto& ack = envelope.order_acknowledgement();
      outbox_
          ->AcknowledgeOrder(ack.order_id(), ack.acknowledged_by(),
                             wire::IsSet(ack.acknowledged_at()) ? wire::FromProto(ack.acknowledged_at())
                                                                : now)
          .IgnoreError();  // the upward acknowledgement is what counts
    }
    const uint64_t queued_sequence = envelope.sequence();
    waiter.message_ids.push_back(envelope.message_id());
    sequence_by_id_[envelope.message_id()] = queued_sequence;
    queued_.emplace(queued_sequence, Pending{std::move(envelope), 0, Time{}});
  }
  Pump();
  if (request.wait_ms() == 0) {
    for (const auto& id : waiter.message_ids) {
      *response.mutable_submit()->add_entries() = EntryFor(id);
    }
    ReplyLocal(routing_id, response);
    return;
  }
  const uint64_t waiter_id = next_waiter_++;
  for (const auto& id : waiter.message_ids) waiters_by_message_[id].push_back(waiter_id);
  waiter.timer = scheduler_.ScheduleAfter(std::chrono::milliseconds(request.wait_ms()),
                                          [this, waiter_id] { FinishWaiter(waiter_id); });
  waiters_.emplace(waiter_id, std::move(waiter));
}

void AgentImpl::ResolveWaiters(const std::string& message_id) {
  auto it = waiters_by_message_.find(message_id);
  if (it == waiters_by_message_.end()) return;
  const std::vector<uint64_t> ids = std::move(it->second);
  waiters_by_message_.erase(it);
  for (uint64_t waiter_id : ids) {
    auto waiter = waiters_.find(waiter_id);
    if (waiter == waiters_.end()) continue;
    const bool all_done = std::all_of(
        waiter->second.message_ids.begin(), waiter->second.message_ids.end(),
        [this](const std::string& id) { return sequence_by_id_.count(id) == 0; });
    if (all_done) FinishWaiter(waiter_id);
  }
}

void AgentImpl::FinishWaiter(uint64_t waiter_id) {
  auto it = waiters_.find(waiter_id);
  if (it == waiters_.end()) return;
  Waiter waiter = std::move(it->second);
  waiters_.erase(it);
  scheduler_.Cancel(waiter.timer);
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
  ReplyLocal(waiter.routing_id, response);
}

}  // namespace anding::agent

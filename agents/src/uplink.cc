#include "uplink.h"

#include <algorithm>

#include "anding/common/strings.h"
#include "anding/runtime/log_text.h"
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

Uplink::Uplink(boost::asio::io_context& io, zmq::context_t& zmq, Scheduler& scheduler,
               const AgentConfig& config, const runtime::CurveKeyPair& keys, OutboxStore& outbox,
               OnSettled on_settled)
    : io_(io),
      scheduler_(scheduler),
      config_(config),
      keys_(keys),
      outbox_(outbox),
      on_settled_(std::move(on_settled)),
      log_(runtime::GetLogger("agent")),
      socket_(zmq, zmq::socket_type::dealer) {}

Uplink::~Uplink() { Stop(); }

Status Uplink::Start() {
  ANDING_ASSIGN_OR_RETURN(auto queued, outbox_.LoadQueued());
  for (auto& envelope : queued) {
    const uint64_t sequence = envelope.sequence();
    sequence_by_id_[envelope.message_id()] = sequence;
    queued_[sequence] = Pending{std::move(envelope), 0, Time{}};
  }
  const auto ivl_ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(config_.heartbeat_interval).count());
  try {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.set(zmq::sockopt::immediate, 1);
    socket_.set(zmq::sockopt::curve_serverkey, config_.dispatcher_public_key);
    socket_.set(zmq::sockopt::curve_publickey, keys_.public_key);
    socket_.set(zmq::sockopt::curve_secretkey, keys_.secret_key);
    socket_.set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(wire::kMaxFrameBytes * 4));
    socket_.set(zmq::sockopt::sndhwm, 1000);
    socket_.set(zmq::sockopt::rcvhwm, 10000);
    socket_.set(zmq::sockopt::reconnect_ivl, 100);
    socket_.set(zmq::sockopt::reconnect_ivl_max, 5000);
    socket_.set(zmq::sockopt::heartbeat_ivl, ivl_ms);
    socket_.set(zmq::sockopt::heartbeat_timeout, ivl_ms * 3);
    socket_.connect(config_.dispatcher_endpoint);
  } catch (const zmq::error_t& e) {
    return UnavailableError(StrCat("cannot set up the uplink socket: ", e.what()));
  }
  watcher_ = std::make_unique<runtime::ZmqWatcher>(io_, socket_, [this] { OnReadable(); });
  watcher_->Start();
  log_->info("unit {}: {} messages queued; connecting to {}", config_.unit_id, queued_.size(),
             config_.dispatcher_endpoint);
  Tick();
  return OkStatus();
}

void Uplink::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (watcher_) watcher_->Stop();
  scheduler_.Cancel(pump_timer_);
  scheduler_.Cancel(tick_timer_);
}

void Uplink::Deliver(std::vector<v1::Envelope> envelopes) {
  for (auto& envelope : envelopes) {
    const uint64_t sequence = envelope.sequence();
    sequence_by_id_[envelope.message_id()] = sequence;
    queued_.emplace(sequence, Pending{std::move(envelope), 0, Time{}});
  }
  Pump();
}

std::optional<int> Uplink::AttemptsFor(const std::string& message_id) const {
  auto it = sequence_by_id_.find(message_id);
  if (it == sequence_by_id_.end()) return std::nullopt;
  return AttemptsAt(it->second);
}

std::optional<int> Uplink::AttemptsAt(uint64_t sequence) const {
  auto it = queued_.find(sequence);
  if (it == queued_.end()) return std::nullopt;
  return it->second.attempts;
}

Duration Uplink::Backoff(int attempts) const {
  Duration delay = config_.retry_initial;
  for (int i = 1; i < attempts && delay < config_.retry_max; ++i) delay *= 2;
  return std::min(delay, config_.retry_max);
}

bool Uplink::SendFrame(const v1::Frame& frame) {
  const std::string bytes = wire::Encode(frame);
  try {
    const auto sent = socket_.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
    watcher_->Kick();
    return sent.has_value();
  } catch (const zmq::error_t& e) {
    log_->warn("send failed: {}", e.what());
    return false;
  }
}

void Uplink::Pump() {
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

void Uplink::SchedulePump(Time at) {
  if (pump_timer_ != 0 && at >= pump_at_) return;  // an earlier pump is already set
  scheduler_.Cancel(pump_timer_);
  pump_at_ = at;
  pump_timer_ = scheduler_.ScheduleAt(at, [this] {
    pump_timer_ = 0;
    pump_at_ = Time::max();
    Pump();
  });
}

void Uplink::Tick() {
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
  envelope->mutable_heartbeat()->set_last_sequence(outbox_.next_sequence() - 1);
  envelope->mutable_heartbeat()->set_outbox_depth(queued_.size());
  envelope->mutable_heartbeat()->set_software_version(kAgentVersion);
  *envelope->mutable_heartbeat()->mutable_sent_at() = wire::ToProto(scheduler_.clock().Now());
  if (last_exchange_) {
    *envelope->mutable_heartbeat()->mutable_exchange() = std::move(*last_exchange_);
    last_exchange_.reset();
  }
  SendFrame(frame);
  if (now - last_prune_ > std::chrono::hours(1)) {
    last_prune_ = now;
    if (Status status = outbox_.Prune(now - config_.keep_delivered); !status.ok()) {
      log_->warn("could not prune delivered messages: {}", status.message());
    }
  }
  tick_timer_ =
      scheduler_.ScheduleAfter(connected_ ? config_.heartbeat_interval
                                          : std::min(config_.heartbeat_interval, kProbeInterval),
                               [this] { Tick(); });
}

void Uplink::LinkUp() {
  log_->info("link to the dispatcher is up; delivering {} queued messages", queued_.size());
  for (auto& [sequence, pending] : queued_) pending.next_attempt = Time{};
  Pump();
}

void Uplink::OnReadable() {
  zmq::message_t message;
  try {
    if (!socket_.recv(message, zmq::recv_flags::dontwait)) return;
  } catch (const zmq::error_t& e) {
    log_->error("receive failed: {}", e.what());
    return;
  }
  auto frame = wire::DecodeFrame(message.to_string_view());
  if (!frame.ok()) {
    log_->warn("dropped a malformed message from the dispatcher: {}",
               runtime::Printable(frame.status().message()));
    return;
  }
  // Settle acks before (re)starting delivery, or a link that just came up
  // would resend what this very frame acknowledges.
  const bool was_connected = connected_;
  last_heard_ = scheduler_.clock().Now();
  connected_ = true;
  std::vector<OutboxStore::Outcome> outcomes;
  std::vector<std::string> settled;
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
                      v1::NackReason_Name(envelope.nack().reason()),
                      runtime::Printable(envelope.nack().detail()));
        }
        continue;  // a repeat ack for something already settled
      }
      if (envelope.has_nack() && !IsPermanent(envelope.nack().reason())) {
        Pending& p = queued_.at(it->second);
        p.next_attempt = now + Backoff(p.attempts);
        log_->info("message {} deferred by the dispatcher: {}", id,
                   runtime::Printable(envelope.nack().detail()));
        continue;
      }
      OutboxStore::Outcome outcome{it->second, std::nullopt, std::nullopt};
      if (envelope.has_ack()) {
        outcome.ack = envelope.ack();
      } else {
        outcome.nack = envelope.nack();
        log_->warn("message {} ({}) REJECTED by the dispatcher: {} {}", id,
                   runtime::Printable(wire::Summarize(queued_.at(it->second).envelope)),
                   v1::NackReason_Name(envelope.nack().reason()),
                   runtime::Printable(envelope.nack().detail()));
      }
      outcomes.push_back(std::move(outcome));
      settled.push_back(id);
    } else if (envelope.has_heartbeat() && envelope.heartbeat().has_exchange()) {
      // The dispatcher's answer to a heartbeat: echoed with T4 in the next
      // one, so that the dispatcher can measure this agent's clock.
      last_exchange_ = envelope.heartbeat().exchange();
      *last_exchange_->mutable_agent_received_at() = wire::ToProto(now);
    } else if (envelope.has_order()) {
      auto stored = outbox_.StoreOrder(envelope, now);
      if (!stored.ok()) {
        log_->error("could not store order {}: {}",
                    runtime::Printable(envelope.order().order_id(), 60),
                    runtime::Printable(stored.status().message()));
        continue;  // not acknowledged: the dispatcher sends it again
      }
      if (*stored) {
        log_->info("ORDER {} {}: {}", v1::OrderKind_Name(envelope.order().kind()),
                   runtime::Printable(envelope.order().order_id(), 60),
                   runtime::Printable(envelope.order().title()));
      }
      auto* ack = acks.add_envelopes();
      ack->set_unit_id(config_.unit_id);
      ack->set_schema_version(wire::kSchemaVersion);
      ack->mutable_ack()->set_message_id(envelope.message_id());
      ack->mutable_ack()->set_sequence(envelope.sequence());
      *ack->mutable_ack()->mutable_stored_at() = wire::ToProto(now);
    }
  }
  Status recorded = outbox_.Record(outcomes, now);
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
    for (const auto& id : settled) on_settled_(id);
    Pump();
  }
  if (acks.envelopes_size() > 0) SendFrame(acks);
  if (!was_connected) LinkUp();
}

}  // namespace anding::agent

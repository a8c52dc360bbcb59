#include "link_server.h"

#include <google/protobuf/arena.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <zmq_addon.hpp>

#include "anding/common/limits.h"
#include "anding/common/strings.h"
#include "anding/runtime/log_text.h"
#include "anding/runtime/logging.h"
#include "anding/wire/codec.h"
#include "feed.h"

namespace anding::dispatcher {

LinkServer::LinkServer(boost::asio::io_context& io, zmq::context_t& context, const Clock& clock,
                       const LinkSettings& settings, const std::string& secret_key, Lookup lookup,
                       Handler handler)
    : io_(io),
      socket_(context, zmq::socket_type::router),
      lookup_(std::move(lookup)),
      handler_(std::move(handler)),
      max_message_bytes_(static_cast<size_t>(settings.max_message_bytes)),
      log_(runtime::GetLogger("link")),
      refusal_log_(clock, kRefusalLogBurst, kRefusalLogInterval) {
  ConfigureCurveServer(socket_, secret_key, "link");
  socket_.set(zmq::sockopt::router_mandatory, 1);
  socket_.set(zmq::sockopt::maxmsgsize,
              std::min<int64_t>(16 * settings.max_message_bytes, int64_t{256} << 20));
  socket_.set(zmq::sockopt::sndhwm, 100000);
  socket_.set(zmq::sockopt::rcvhwm, 100000);
  const auto ivl_ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(settings.heartbeat_interval).count());
  // A dead agent's connection is found by TCP keepalive (kernel timers)
  // rather than by ZeroMQ's own heartbeats: libzmq keeps each connection's
  // heartbeat timers in one sorted map per I/O thread and cancels one by a
  // linear search on every message, so with thousands of agents the I/O
  // thread spent most of its time walking that map. The agents still send
  // ZMTP heartbeats (answered without timers here) and the dispatcher's
  // own liveness comes from their heartbeat envelopes (offline_after).
  const int idle_s = std::max(1, ivl_ms * 3 / 1000);
  socket_.set(zmq::sockopt::tcp_keepalive, 1);
  socket_.set(zmq::sockopt::tcp_keepalive_idle, idle_s);
  socket_.set(zmq::sockopt::tcp_keepalive_intvl, std::max(1, ivl_ms / 1000));
  socket_.set(zmq::sockopt::tcp_keepalive_cnt, 3);
  // Every agent reconnects at once after a restart: with ZeroMQ's default
  // backlog (100) the kernel drops the other connection attempts, and each
  // waits out TCP's SYN retries (1, 3, 7, 15 s). The kernel caps this at
  // net.core.somaxconn (4096 on Debian 12).
  socket_.set(zmq::sockopt::backlog, kAcceptBacklog);
  watcher_ = std::make_unique<runtime::ZmqWatcher>(io, socket_, [this] { OnReadable(); });
}

Status LinkServer::Bind(const std::string& endpoint) {
  try {
    socket_.bind(endpoint);
  } catch (const zmq::error_t& e) {
    return UnavailableError(StrCat("cannot bind the agent link on ", endpoint, ": ", e.what()));
  }
  endpoint_ = BoundEndpoint(socket_);
  watcher_->Start();
  return OkStatus();
}

void LinkServer::Stop() { watcher_->Stop(); }

bool LinkServer::HasRoute(const std::string& unit_id) const { return routes_.count(unit_id) > 0; }

void LinkServer::OnReadable() {
  std::vector<zmq::message_t> parts;
  try {
    if (!zmq::recv_multipart(socket_, std::back_inserter(parts), zmq::recv_flags::dontwait)) {
      return;
    }
  } catch (const zmq::error_t& e) {
    log_->error("receive failed: {}", e.what());
    return;
  }
  ++counters_.frames_received;
  if (parts.size() != 2) {
    ++counters_.malformed;
    if (MayWarn("?")) {
      log_->warn("dropped a message of {} frames (expected 1 after the routing id)",
                 parts.size() - 1);
    }
    WarnSuppressed();
    return;
  }
  const char* key = parts[1].gets("User-Id");
  HandleMessage(parts[0].to_string(), key == nullptr ? "" : key, parts[1].to_string_view());
  WarnSuppressed();
}

void LinkServer::WarnSuppressed() {
  for (const auto& [sender, count] : refusal_log_.TakeSuppressed()) {
    log_->warn("{}: {} more refusal warnings suppressed (at most {} per {})", sender, count,
               kRefusalLogBurst, FormatDuration(kRefusalLogInterval));
  }
}

void LinkServer::HandleMessage(const std::string& routing_id, const std::string& public_key,
                               std::string_view bytes) {
  const auto principal = lookup_(public_key);
  if (!principal || principal->kind != Principal::Kind::kAgent) {
    ++counters_.unauthorised;
    const std::string sender = StrCat("key ", runtime::Printable(public_key, 60));
    if (MayWarn(sender)) log_->warn("dropped a message from {}: not enrolled (revoked?)", sender);
    v1::Frame frame;
    auto* nack = frame.add_envelopes()->mutable_nack();
    nack->set_reason(v1::NACK_REASON_PERMISSION_DENIED);
    nack->set_detail("this key is not enrolled with the dispatcher");
    frame.mutable_envelopes(0)->set_schema_version(wire::kSchemaVersion);
    SendRaw(routing_id, frame);
    return;
  }
  const std::string& unit_id = principal->id;

  if (bytes.size() > max_message_bytes_) {
    ++counters_.oversized;
    const uint64_t count = ++counters_.oversized_by_unit[unit_id];
    if (MayWarn(unit_id)) {
      log_->warn("unit {}: refused a frame of {} bytes (the limit is {}); {} from this unit so far",
                 unit_id, bytes.size(), max_message_bytes_, count);
    }
    v1::Frame frame;
    auto* envelope = frame.add_envelopes();
    envelope->set_schema_version(wire::kSchemaVersion);
    envelope->set_unit_id(unit_id);
    envelope->mutable_nack()->set_reason(v1::NACK_REASON_MALFORMED);
    envelope->mutable_nack()->set_detail(StrCat(
        "a frame of ", bytes.size(), " bytes is over the limit of ", max_message_bytes_, " bytes"));
    SendRaw(routing_id, frame);
    return;
  }

  auto parts = wire::SplitFrame(bytes);
  if (!parts.ok()) {
    ++counters_.malformed;
    if (MayWarn(unit_id)) {
      log_->warn("unit {}: malformed frame ({} bytes): {}", unit_id, bytes.size(),
                 runtime::Printable(parts.status().message()));
    }
    v1::Frame frame;
    auto* envelope = frame.add_envelopes();
    envelope->set_schema_version(wire::kSchemaVersion);
    envelope->set_unit_id(unit_id);
    envelope->mutable_nack()->set_reason(v1::NACK_REASON_MALFORMED);
    envelope->mutable_nack()->set_detail(parts.status().message());
    SendRaw(routing_id, frame);
    return;
  }

  auto route = routes_.find(unit_id);
  const bool reconnected = route == routes_.end() || route->second != routing_id;
  if (reconnected) routes_[unit_id] = routing_id;
  handler_.on_seen(unit_id, reconnected);

  // Envelopes are decoded into an arena: one allocation pattern per frame,
  // freed at once, instead of a heap allocation per string.
  google::protobuf::Arena arena;
  for (const std::string_view part : *parts) {
    ++counters_.envelopes_received;
    auto* envelope = google::protobuf::Arena::CreateMessage<v1::Envelope>(&arena);
    if (Status status = wire::Decode(part, *envelope); !status.ok()) {
      ++counters_.malformed;
      if (MayWarn(unit_id)) {
        log_->warn("unit {}: malformed envelope ({} bytes): {}", unit_id, part.size(),
                   runtime::Printable(status.message()));
      }
      Reject(unit_id, *envelope, v1::NACK_REASON_MALFORMED, status.message());
      continue;
    }
    v1::NackReason reason = v1::NACK_REASON_UNSPECIFIED;
    if (Status status = wire::ValidateEnvelope(*envelope, &reason); !status.ok()) {
      ++counters_.invalid;
      if (MayWarn(unit_id)) {
        log_->warn("unit {}: refused envelope {} ({}): {}", unit_id,
                   runtime::Printable(envelope->message_id(), 60),
                   runtime::Printable(wire::PayloadKind(*envelope)),
                   runtime::Printable(status.message()));
      }
      Reject(unit_id, *envelope, reason, status.message());
      continue;
    }
    if (!envelope->unit_id().empty() && envelope->unit_id() != unit_id) {
      ++counters_.wrong_unit;
      if (MayWarn(unit_id)) {
        log_->warn("unit {}: refused envelope {} claiming unit '{}'", unit_id,
                   runtime::Printable(envelope->message_id(), 60),
                   runtime::Printable(envelope->unit_id(), 60));
      }
      Reject(unit_id, *envelope, v1::NACK_REASON_WRONG_UNIT,
             StrCat("this agent is enrolled for unit '", unit_id, "', not '", envelope->unit_id(),
                    "'"));
      continue;
    }
    if (!wire::IsDurablePayload(*envelope)) {
      handler_.on_control(unit_id, *envelope);
      continue;
    }
    if (envelope->has_order()) {
      ++counters_.invalid;
      Reject(unit_id, *envelope, v1::NACK_REASON_UNKNOWN_PAYLOAD, "agents do not send orders");
      continue;
    }
    if (Status status = wire::ValidatePayload(*envelope); !status.ok()) {
      ++counters_.invalid;
      if (MayWarn(unit_id)) {
        log_->warn("unit {}: refused envelope {}: {}", unit_id,
                   runtime::Printable(envelope->message_id(), 60),
                   runtime::Printable(status.message()));
      }
      Reject(unit_id, *envelope, v1::NACK_REASON_INVALID_ARGUMENT, status.message());
      continue;
    }
    handler_.on_envelope(unit_id, *envelope, part);
  }
}

bool LinkServer::Send(const std::string& unit_id, v1::Envelope envelope) {
  v1::Envelope* slot = Append(unit_id);
  if (slot == nullptr) return false;
  envelope.set_schema_version(wire::kSchemaVersion);
  *slot = std::move(envelope);
  return true;
}

v1::Envelope* LinkServer::Append(const std::string& unit_id) {
  auto route = routes_.find(unit_id);
  if (route == routes_.end()) return nullptr;
  if (!outgoing_arena_) outgoing_arena_ = std::make_unique<google::protobuf::Arena>();
  v1::Frame*& frame = outgoing_[unit_id];
  if (frame == nullptr) {
    frame = google::protobuf::Arena::CreateMessage<v1::Frame>(outgoing_arena_.get());
  } else if (frame->envelopes_size() >= wire::kMaxEnvelopesPerFrame) {
    SendRaw(route->second, *frame);
    frame->Clear();
  }
  ScheduleFlush();
  v1::Envelope* envelope = frame->add_envelopes();
  envelope->set_schema_version(wire::kSchemaVersion);
  envelope->set_unit_id(unit_id);
  return envelope;
}

void LinkServer::Reject(const std::string& unit_id, const v1::Envelope& envelope,
                        v1::NackReason reason, const std::string& detail) {
  Reject(unit_id, envelope.message_id(), envelope.sequence(), reason, detail);
}

void LinkServer::Reject(const std::string& unit_id, const std::string& message_id,
                        uint64_t sequence, v1::NackReason reason, const std::string& detail) {
  v1::Envelope* reply = Append(unit_id);
  if (reply == nullptr) return;  // no live connection: the agent retries
  auto* nack = reply->mutable_nack();
  // A refused envelope's id may be anything (not UTF-8, a megabyte): echoed
  // as it is, it would make the whole reply frame undecodable for the agent,
  // acks of its other envelopes included. Such an id is left out.
  const auto id_chars = wire::Utf8Length(message_id);
  if (id_chars && *id_chars <= limits::kMaxIdChars) nack->set_message_id(message_id);
  nack->set_sequence(sequence);
  nack->set_reason(reason);
  nack->set_detail(detail);
}

void LinkServer::ScheduleFlush() {
  if (flush_posted_) return;
  flush_posted_ = true;
  boost::asio::post(io_, [this] { FlushOutgoing(); });
}

void LinkServer::FlushOutgoing() {
  flush_posted_ = false;
  auto outgoing = std::move(outgoing_);
  outgoing_.clear();
  // The frames live in the arena; it is freed once they are sent.
  auto arena = std::move(outgoing_arena_);
  for (auto& [unit_id, frame] : outgoing) {
    if (frame->envelopes_size() == 0) continue;
    auto route = routes_.find(unit_id);
    if (route != routes_.end()) SendRaw(route->second, *frame);
  }
}

void LinkServer::SendRaw(const std::string& routing_id, const v1::Frame& frame) {
  const std::string bytes = wire::Encode(frame);
  try {
    std::array<zmq::const_buffer, 2> parts = {zmq::buffer(routing_id), zmq::buffer(bytes)};
    if (!zmq::send_multipart(socket_, parts, zmq::send_flags::dontwait)) {
      ++counters_.send_failures;  // high-water mark: the agent will retry
    }
  } catch (const zmq::error_t& e) {
    if (e.num() == EHOSTUNREACH) {
      ++counters_.unroutable;  // the agent disconnected; it will retry
      for (auto it = routes_.begin(); it != routes_.end(); ++it) {
        if (it->second == routing_id) {
          routes_.erase(it);
          break;
        }
      }
    } else {
      ++counters_.send_failures;
      log_->error("send failed: {}", e.what());
    }
  }
  watcher_->Kick();
}

}  // namespace anding::dispatcher

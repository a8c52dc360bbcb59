// The agents' side of the dispatcher: a CURVE ROUTER socket (ZAP domain
// "link") that admits only enrolled agent keys. For every message it
//  * finds the principal by the key the connection authenticated with, in
//    the *current* enrolment (a revoked key is refused even on a connection
//    opened before the revocation);
//  * decodes and structurally validates the Frame and each Envelope;
//  * refuses an envelope whose unit_id is not the unit bound to the key;
//  * hands good envelopes to the Handler.
// Malformed, unauthorised and wrong-unit input is counted, logged with the
// sender and answered with a Nack where there is somebody to answer; it
// never stops the loop or disturbs other agents. Its warnings quote the
// sender's text escaped and truncated, and are rate-limited per sender
// (kRefusalLogBurst lines per kRefusalLogInterval, then one "suppressed"
// line), so one agent can neither forge log lines nor flood the log.
// Thread-safety: io_context thread only.
#pragma once

#include <google/protobuf/arena.h>

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "anding/common/clock.h"
#include "anding/dispatcher/config.h"
#include "anding/dispatcher/enrolment.h"
#include "anding/runtime/log_limiter.h"
#include "anding/runtime/zmq_watcher.h"
#include "anding/v1/envelope.pb.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

// How many refusal warnings one sender may cause per interval before the
// rest are only counted.
inline constexpr uint32_t kRefusalLogBurst = 10;
inline constexpr Duration kRefusalLogInterval = std::chrono::minutes(1);
// Connection attempts the kernel queues on the link's port before accepting
// (the listen backlog): enough for every agent of a province at once.
inline constexpr int kAcceptBacklog = 4096;

struct LinkCounters {
  uint64_t frames_received = 0;
  uint64_t envelopes_received = 0;
  uint64_t malformed = 0;
  uint64_t unauthorised = 0;
  uint64_t wrong_unit = 0;
  uint64_t invalid = 0;
  // Frames over link.max_message_bytes (refused), per unit and in all.
  uint64_t oversized = 0;
  std::map<std::string, uint64_t, std::less<>> oversized_by_unit;
  uint64_t unroutable = 0;
  uint64_t send_failures = 0;
};

class LinkServer {
 public:
  struct Handler {
    // A durable envelope from `unit_id`, structurally valid, with its bytes
    // exactly as received. Both are valid only during the call.
    std::function<void(const std::string& unit_id, const v1::Envelope& envelope,
                       std::string_view bytes)>
        on_envelope;
    // Any message from `unit_id` arrived on `routing_id` (liveness);
    // `reconnected` when the routing id differs from the last one seen.
    std::function<void(const std::string& unit_id, bool reconnected)> on_seen;
    // An Ack / Nack / Heartbeat from the agent.
    std::function<void(const std::string& unit_id, const v1::Envelope& envelope)> on_control;
  };

  using Lookup = std::function<std::optional<Principal>(std::string_view public_key)>;

  // `clock` (for rate-limiting warnings) must outlive the server.
  LinkServer(boost::asio::io_context& io, zmq::context_t& context, const Clock& clock,
             const LinkSettings& settings, const std::string& secret_key, Lookup lookup,
             Handler handler);

  [[nodiscard]] Status Bind(const std::string& endpoint);
  [[nodiscard]] const std::string& endpoint() const { return endpoint_; }
  void Stop();

  // Queues `envelope` for `unit_id`'s agent; everything queued for a unit in
  // one turn leaves as one Frame. False if the unit has no live connection
  // (the caller keeps what must arrive and retries later).
  bool Send(const std::string& unit_id, v1::Envelope envelope);
  // A new envelope (unit and schema set) in the unit's outgoing frame, for
  // the caller to fill in now; nullptr if the unit has no live connection.
  // Valid until the end of the current turn.
  v1::Envelope* Append(const std::string& unit_id);
  // Sends a Nack to `unit_id` for `envelope` (best effort).
  void Reject(const std::string& unit_id, const v1::Envelope& envelope, v1::NackReason reason,
              const std::string& detail);
  void Reject(const std::string& unit_id, const std::string& message_id, uint64_t sequence,
              v1::NackReason reason, const std::string& detail);
  // Whether a connection from `unit_id` has been seen.
  [[nodiscard]] bool HasRoute(const std::string& unit_id) const;

  [[nodiscard]] const LinkCounters& counters() const { return counters_; }

 private:
  void OnReadable();
  void HandleMessage(const std::string& routing_id, const std::string& public_key,
                     std::string_view bytes);
  void SendRaw(const std::string& routing_id, const v1::Frame& frame);
  // Whether a refusal warning about `sender` may be written now.
  [[nodiscard]] bool MayWarn(std::string_view sender) { return refusal_log_.Admit(sender); }
  void WarnSuppressed();
  void ScheduleFlush();
  void FlushOutgoing();

  boost::asio::io_context& io_;
  zmq::socket_t socket_;
  std::unique_ptr<runtime::ZmqWatcher> watcher_;
  Lookup lookup_;
  Handler handler_;
  size_t max_message_bytes_;
  std::shared_ptr<spdlog::logger> log_;
  runtime::LogLimiter refusal_log_;
  std::string endpoint_;
  LinkCounters counters_;

  // unit id -> routing id of its latest connection.
  std::map<std::string, std::string> routes_;
  // Envelopes to send at the end of this turn, per unit, in an arena.
  std::unique_ptr<google::protobuf::Arena> outgoing_arena_;
  std::map<std::string, v1::Frame*> outgoing_;
  bool flush_posted_ = false;
};

}  // namespace anding::dispatcher

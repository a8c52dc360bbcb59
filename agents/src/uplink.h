// The agent's link to the dispatcher: a CURVE DEALER socket.
//
// Delivers the outbox in sequence order, several envelopes per frame, and
// retransmits what is not acknowledged with capped exponential backoff and
// the same message id, for as long as it takes; records acks and permanent
// nacks in the outbox (a message is settled only once that is stored).
// Orders from the dispatcher are stored, then acknowledged. Heartbeats keep
// the link observed: it is down after three intervals without a word from
// the dispatcher, and probed often while down so that delivery resumes soon
// after it comes back. Each heartbeat carries the agent's clock and echoes
// the dispatcher's last answer with the time it arrived, from which the
// dispatcher measures this agent's clock offset (it never corrects this
// agent's clock; it corrects the times it reports). Timers run on the
// agent's clock.
//
// Thread-safety: everything runs on the io_context's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "anding/agent/config.h"
#include "anding/agent/outbox_store.h"
#include "anding/common/clock.h"
#include "anding/runtime/curve_keys.h"
#include "anding/runtime/zmq_watcher.h"
#include "spdlog/logger.h"

namespace anding::agent {

inline constexpr const char* kAgentVersion = "0.1.0";

class Uplink {
 public:
  // Called when a message is settled: its ack (or permanent nack) is stored.
  using OnSettled = std::function<void(const std::string& message_id)>;

  // `config`, `keys`, `outbox` and `scheduler` must outlive the uplink.
  Uplink(boost::asio::io_context& io, zmq::context_t& zmq, Scheduler& scheduler,
         const AgentConfig& config, const runtime::CurveKeyPair& keys, OutboxStore& outbox,
         OnSettled on_settled);
  ~Uplink();
  Uplink(const Uplink&) = delete;
  Uplink& operator=(const Uplink&) = delete;

  // Loads the queued messages and connects (ZeroMQ connects in the
  // background). Unavailable if the outbox or the socket fails.
  [[nodiscard]] Status Start();
  // Stops sending and receiving; the outbox keeps what is queued.
  void Stop();

  // Delivers messages just stored in the outbox (in sequence order).
  void Deliver(std::vector<v1::Envelope> envelopes);

  [[nodiscard]] bool connected() const { return connected_; }
  // When the dispatcher was last heard from; Time{} if never.
  [[nodiscard]] Time last_heard() const { return last_heard_; }
  [[nodiscard]] size_t queued() const { return queued_.size(); }
  // Delivery attempts so far of a queued message; nullopt once it is
  // settled (or if it is unknown).
  [[nodiscard]] std::optional<int> AttemptsFor(const std::string& message_id) const;
  [[nodiscard]] std::optional<int> AttemptsAt(uint64_t sequence) const;

 private:
  struct Pending {
    v1::Envelope envelope;
    int attempts = 0;
    Time next_attempt{};
  };

  void OnReadable();
  void Pump();
  void SchedulePump(Time at);
  bool SendFrame(const v1::Frame& frame);
  void Tick();
  void LinkUp();
  [[nodiscard]] Duration Backoff(int attempts) const;

  boost::asio::io_context& io_;
  Scheduler& scheduler_;
  const AgentConfig& config_;
  const runtime::CurveKeyPair& keys_;
  OutboxStore& outbox_;
  OnSettled on_settled_;
  std::shared_ptr<spdlog::logger> log_;
  zmq::socket_t socket_;
  std::unique_ptr<runtime::ZmqWatcher> watcher_;

  // QUEUED messages by sequence.
  std::map<uint64_t, Pending> queued_;
  std::map<std::string, uint64_t> sequence_by_id_;
  bool connected_ = false;
  Time last_heard_{};
  TimerId pump_timer_ = 0;
  Time pump_at_ = Time::max();
  TimerId tick_timer_ = 0;
  Time last_prune_{};
  // The dispatcher's last answer to a heartbeat, with the time it arrived
  // (T4): echoed in the next heartbeat for the dispatcher's measurement of
  // this agent's clock.
  std::optional<v1::ClockExchange> last_exchange_;
  bool stopped_ = false;
};

}  // namespace anding::agent

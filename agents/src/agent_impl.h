// The agent daemon's internals. See anding/agent/agent.h.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "anding/agent/agent.h"
#include "anding/agent/outbox_store.h"
#include "anding/common/ids.h"
#include "anding/runtime/asio_scheduler.h"
#include "anding/runtime/curve_keys.h"
#include "anding/runtime/zmq_watcher.h"
#include "anding/v1/agent_local.pb.h"
#include "spdlog/logger.h"

namespace anding::agent {

inline constexpr const char* kAgentVersion = "0.1.0";

class AgentImpl final : public Agent {
 public:
  AgentImpl(boost::asio::io_context& io, const Clock& clock, AgentConfig config,
            runtime::CurveKeyPair keys, std::unique_ptr<OutboxStore> outbox);
  ~AgentImpl() override;
  Status Start() override;
  void Stop() override;

 private:
  struct Pending {
    v1::Envelope envelope;
    int attempts = 0;
    Time next_attempt{};
  };
  // A command-line caller waiting for the dispatcher's answers.
  struct Waiter {
    std::string routing_id;
    std::vector<std::string> message_ids;
    TimerId timer = 0;
  };

  // Uplink.
  void OnUplinkReadable();
  void HandleFromDispatcher(const v1::Envelope& envelope);
  void Pump();
  void SchedulePump(Time at);
  bool SendFrame(const v1::Frame& frame);
  void Tick();
  void LinkUp();
  Duration Backoff(int attempts) const;

  // Local commands.
  void OnLocalReadable();
  void HandleLocal(const std::string& routing_id, const v1::LocalRequest& request);
  void Submit(const std::string& routing_id, const v1::SubmitRequest& request);
  void ReplyLocal(const std::string& routing_id, const v1::LocalResponse& response);
  void ResolveWaiters(const std::string& message_id);
  void FinishWaiter(uint64_t waiter_id);
  v1::OutboxEntry EntryFor(const std::string& message_id);

  boost::asio::io_context& io_;
  AgentConfig config_;
  runtime::CurveKeyPair keys_;
  std::unique_ptr<OutboxStore> outbox_;
  std::shared_ptr<spdlog::logger> log_;
  runtime::AsioScheduler scheduler_;
  UuidV7Generator ids_;

  zmq::context_t zmq_;
  zmq::socket_t uplink_;
  zmq::socket_t local_;
  std::unique_ptr<runtime::ZmqWatcher> uplink_watcher_;
  std::unique_ptr<runtime::ZmqWatcher> local_watcher_;

  // QUEUED messages by sequence.
  std::map<uint64_t, Pending> queued_;
  std::map<std::string, uint64_t> sequence_by_id_;
  bool connected_ = false;
  Time last_heard_{};
  TimerId pump_timer_ = 0;
  Time pump_at_ = Time::max();
  TimerId tick_timer_ = 0;
  Time last_prune_{};

  uint64_t next_waiter_ = 1;
  std::map<uint64_t, Waiter> waiters_;
  std::map<std::string, std::vector<uint64_t>> waiters_by_message_;
  bool stopped_ = false;
};

}  // namespace anding::agent

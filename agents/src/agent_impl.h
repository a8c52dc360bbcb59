// The agent daemon's wiring: the outbox, the uplink to the dispatcher
// (uplink.h) and the local command server (local_server.h), on one
// io_context thread and the agent's clock. See anding/agent/agent.h.
#pragma once

#include <memory>
#include <zmq.hpp>

#include "anding/agent/agent.h"
#include "anding/agent/outbox_store.h"
#include "anding/runtime/asio_scheduler.h"
#include "anding/runtime/curve_keys.h"
#include "local_server.h"
#include "uplink.h"

namespace anding::agent {

class AgentImpl final : public Agent {
 public:
  AgentImpl(boost::asio::io_context& io, const Clock& clock, AgentConfig config,
            runtime::CurveKeyPair keys, std::unique_ptr<OutboxStore> outbox);
  ~AgentImpl() override;
  Status Start() override;
  void Stop() override;

 private:
  AgentConfig config_;
  runtime::CurveKeyPair keys_;
  std::unique_ptr<OutboxStore> outbox_;
  runtime::AsioScheduler scheduler_;
  // Declared before the sockets, so that it is destroyed after them.
  zmq::context_t zmq_;
  std::unique_ptr<LocalServer> local_;
  std::unique_ptr<Uplink> uplink_;
  bool stopped_ = false;
};

}  // namespace anding::agent

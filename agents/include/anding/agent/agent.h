// anding-agent's daemon: the mine office's end of the link.
//
// Accepts reports from the local command line (an IPC socket in the data
// directory), stores each in the durable outbox before answering
// "accepted", and delivers the outbox to the dispatcher over a CURVE DEALER
// socket: in sequence order, several envelopes per frame, retransmitting
// unacknowledged ones with capped exponential backoff and the same message
// id, for as long as it takes. Orders from the dispatcher are stored, then
// acknowledged, and shown by `anding-agent orders`.
// Thread-safety: everything runs on the io_context's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>

#include "anding/agent/config.h"
#include "anding/common/clock.h"
#include "anding/common/status.h"

namespace anding::agent {

class Agent {
 public:
  struct Options {
    AgentConfig config;
    // The clock the agent runs against: message stamps, heartbeats,
    // retransmission. Production: a SystemClock; tests of the real daemons:
    // a runtime::SimulatedClock, the same as the dispatcher's (the
    // dispatcher judges lateness by its clock, the agent stamps sent_at by
    // its own). Required; not owned, must outlive the agent.
    const Clock* clock = nullptr;
  };

  // Reads the key file and opens the outbox. Errors name the file;
  // InvalidArgument without a clock.
  [[nodiscard]] static Result<std::unique_ptr<Agent>> Create(boost::asio::io_context& io,
                                                             Options options);
  virtual ~Agent() = default;
  // Binds the local socket and connects to the dispatcher.
  [[nodiscard]] virtual Status Start() = 0;
  // Stops; everything accepted is already in the outbox.
  virtual void Stop() = 0;
};

}  // namespace anding::agent

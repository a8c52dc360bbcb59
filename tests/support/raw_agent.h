// A hand-driven agent connection for tests and benchmarks: a CURVE DEALER
// that sends whatever bytes it is given and returns what the dispatcher
// answers. It bypasses the agent daemon, so tests can send garbage, forge
// units, or use keys the dispatcher does not know.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <zmq.hpp>

#include "anding/common/clock.h"
#include "anding/common/ids.h"
#include "anding/v1/envelope.pb.h"

namespace anding::testing {

class RawAgent {
 public:
  RawAgent(zmq::context_t& context, const std::string& endpoint, const std::string& server_key,
           const std::string& public_key, const std::string& secret_key);

  // Sends raw bytes as one message. False if it could not be queued.
  bool SendBytes(const std::string& bytes);
  // Sends envelopes in one Frame.
  bool Send(const std::vector<v1::Envelope>& envelopes);
  // The next Frame from the dispatcher, or nullopt after `timeout`.
  std::optional<v1::Frame> Receive(std::chrono::milliseconds timeout);

  // A well-formed early warning for `unit` with a fresh id and `sequence`.
  v1::Envelope MakeEarlyWarning(const std::string& unit, uint64_t sequence);

  // Sends `envelope` and waits for its ack or nack (other traffic is
  // skipped). nullopt on timeout.
  std::optional<v1::Envelope> Exchange(const v1::Envelope& envelope,
                                       std::chrono::milliseconds timeout);

  zmq::socket_t& socket() { return socket_; }

 private:
  zmq::socket_t socket_;
  SystemClock clock_;
  UuidV7Generator ids_;
};

}  // namespace anding::testing

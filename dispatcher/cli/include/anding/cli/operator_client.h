// A connection to the dispatcher's operator API: CURVE DEALER, one request
// and one response at a time.
// Thread-safety: one thread.
#pragma once

#include <chrono>
#include <memory>
#include <zmq.hpp>

#include "anding/cli/operator_config.h"
#include "anding/v1/operator.pb.h"

namespace anding::cli {

class OperatorClient {
 public:
  explicit OperatorClient(const OperatorConfig& config);

  // Sends `request` (with a random request id unless it has one) and waits
  // up to `timeout` for its response. Unavailable
  // when the dispatcher does not answer; the response's own error (if any)
  // is returned as a Status with its code.
  [[nodiscard]] Result<v1::OperatorResponse> Call(
      v1::OperatorRequest request, std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  zmq::context_t context_;
  zmq::socket_t socket_;
  std::string endpoint_;
};

}  // namespace anding::cli

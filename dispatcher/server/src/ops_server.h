// The operator API socket: a CURVE ROUTER (ZAP domain "ops") that admits
// enrolled operator keys. Each message is one OperatorRequest; the handler
// answers through `reply`, at once or later (after a query or a commit).
// A malformed request is answered with an INVALID_ARGUMENT error.
// Thread-safety: io_context thread only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <zmq.hpp>

#include "anding/dispatcher/enrolment.h"
#include "anding/runtime/zmq_watcher.h"
#include "anding/v1/operator.pb.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

class OpsServer {
 public:
  using Reply = std::function<void(v1::OperatorResponse)>;
  using Handler =
      std::function<void(const Principal& who, const v1::OperatorRequest& request, Reply reply)>;
  using Lookup = std::function<std::optional<Principal>(std::string_view public_key)>;

  OpsServer(boost::asio::io_context& io, zmq::context_t& context, const std::string& secret_key,
            Lookup lookup, Handler handler);
  ~OpsServer() { *alive_ = false; }
  [[nodiscard]] Status Bind(const std::string& endpoint);
  [[nodiscard]] const std::string& endpoint() const { return endpoint_; }
  void Stop() { watcher_->Stop(); }

 private:
  void OnReadable();
  void Send(const std::string& routing_id, const v1::OperatorResponse& response);

  zmq::socket_t socket_;
  std::unique_ptr<runtime::ZmqWatcher> watcher_;
  Lookup lookup_;
  Handler handler_;
  std::shared_ptr<spdlog::logger> log_;
  std::string endpoint_;
  // Replies may outlive a stopped server: they check this flag.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// An OperatorResponse carrying `status` as its error.
[[nodiscard]] v1::OperatorResponse ErrorResponse(const std::string& request_id,
                                                 const Status& status);

}  // namespace anding::dispatcher

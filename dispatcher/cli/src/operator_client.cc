#include "anding/cli/operator_client.h"

#include <zmq_addon.hpp>

#include "anding/common/ids.h"
#include "anding/common/strings.h"
#include "anding/wire/codec.h"

namespace anding::cli {

OperatorClient::OperatorClient(const OperatorConfig& config)
    : context_(1), socket_(context_, zmq::socket_type::dealer), endpoint_(config.ops_endpoint) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.set(zmq::sockopt::curve_serverkey, config.dispatcher_public_key);
  socket_.set(zmq::sockopt::curve_publickey, config.public_key);
  socket_.set(zmq::sockopt::curve_secretkey, config.secret_key);
  socket_.set(zmq::sockopt::maxmsgsize, int64_t{64 << 20});
  socket_.connect(config.ops_endpoint);
}

Result<v1::OperatorResponse> OperatorClient::Call(v1::OperatorRequest request,
                                                  std::chrono::milliseconds timeout) {
  // Unique across processes and runs: the dispatcher keeps some request ids
  // as idempotency keys (an incident report's), so an id a later command
  // reuses would return that command's result instead.
  if (request.request_id().empty()) request.set_request_id(RandomUuid());
  const std::string id = request.request_id();
  const std::string bytes = wire::Encode(request);
  try {
    socket_.send(zmq::buffer(bytes), zmq::send_flags::none);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
      zmq::poll(&item, 1, left);
      if (!(item.revents & ZMQ_POLLIN)) continue;
      zmq::message_t reply;
      if (!socket_.recv(reply, zmq::recv_flags::dontwait)) continue;
      v1::OperatorResponse response;
      if (reply.size() > 0) {  // an all-default response encodes to no bytes
        ANDING_RETURN_IF_ERROR(wire::Decode(reply.to_string_view(), response, 64 << 20));
      }
      if (response.request_id() != id && !response.request_id().empty()) continue;  // stale
      if (response.has_error()) {
        return Status(CodeFromName(response.error().code()), response.error().message());
      }
      return response;
    }
  } catch (const zmq::error_t& e) {
    return UnavailableError(StrCat("cannot reach the dispatcher: ", e.what()));
  }
  return UnavailableError(StrCat("the dispatcher did not answer within ", FormatDuration(timeout),
                                 " on ", endpoint_,
                                 " (not running, or this operator key is not enrolled)"));
}

}  // namespace anding::cli

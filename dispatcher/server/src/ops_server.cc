#include "ops_server.h"

#include <zmq_addon.hpp>

#include "anding/common/strings.h"
#include "anding/runtime/logging.h"
#include "anding/wire/codec.h"
#include "feed.h"

namespace anding::dispatcher {

v1::OperatorResponse ErrorResponse(const std::string& request_id, const Status& status) {
  v1::OperatorResponse response;
  response.set_request_id(request_id);
  response.mutable_error()->set_code(std::string(CodeName(status.code())));
  response.mutable_error()->set_message(status.message());
  return response;
}

OpsServer::OpsServer(boost::asio::io_context& io, zmq::context_t& context,
                     const std::string& secret_key, Lookup lookup, Handler handler)
    : socket_(context, zmq::socket_type::router),
      lookup_(std::move(lookup)),
      handler_(std::move(handler)),
      log_(runtime::GetLogger("ops")) {
  ConfigureCurveServer(socket_, secret_key, "ops");
  socket_.set(zmq::sockopt::maxmsgsize, int64_t{1 << 20});
  watcher_ = std::make_unique<runtime::ZmqWatcher>(io, socket_, [this] { OnReadable(); });
}

Status OpsServer::Bind(const std::string& endpoint) {
  try {
    socket_.bind(endpoint);
  } catch (const zmq::error_t& e) {
    return UnavailableError(StrCat("cannot bind the operator API on ", endpoint, ": ", e.what()));
  }
  endpoint_ = BoundEndpoint(socket_);
  watcher_->Start();
  return OkStatus();
}

void OpsServer::OnReadable() {
  std::vector<zmq::message_t> parts;
  if (!zmq::recv_multipart(socket_, std::back_inserter(parts), zmq::recv_flags::dontwait)) {
    return;
  }
  if (parts.size() != 2) {
    log_->warn("dropped an operator message of {} frames", parts.size());
    return;
  }
  const std::string routing_id = parts[0].to_string();
  const char* key = parts[1].gets("User-Id");
  const auto principal = lookup_(key == nullptr ? "" : key);
  v1::OperatorRequest request;
  if (!principal || principal->kind != Principal::Kind::kOperator) {
    log_->warn("refused an operator request from key {}: not enrolled", key ? key : "?");
    Send(routing_id,
         ErrorResponse("", PermissionDeniedError("this key is not enrolled as an operator")));
    return;
  }
  if (Status status = wire::Decode(parts[1].to_string_view(), request); !status.ok()) {
    Send(routing_id, ErrorResponse("", Annotate(status, "malformed request")));
    return;
  }
  if (request.request_case() == v1::OperatorRequest::REQUEST_NOT_SET) {
    Send(routing_id, ErrorResponse(request.request_id(), InvalidArgumentError("empty request")));
    return;
  }
  // Out-of-range values are refused here, before a module or the store
  // sees them.
  if (Status status = wire::ValidateOperatorRequest(request); !status.ok()) {
    log_->info("operator {}: refused a request: {}", principal->id, status.message());
    Send(routing_id, ErrorResponse(request.request_id(), status));
    return;
  }
  log_->debug("operator {}: {}", principal->id, request.ShortDebugString());
  // The key names where the request came from in the audit trail.
  Principal who = *principal;
  who.peer = StrCat("curve:", std::string_view(key).substr(0, 8));
  handler_(who, request,
           [this, alive = alive_, routing_id,
            request_id = request.request_id()](v1::OperatorResponse response) {
             if (!*alive) return;
             response.set_request_id(request_id);
             Send(routing_id, response);
           });
}

void OpsServer::Send(const std::string& routing_id, const v1::OperatorResponse& response) {
  const std::string bytes = wire::Encode(response);
  std::array<zmq::const_buffer, 2> frames = {zmq::buffer(routing_id), zmq::buffer(bytes)};
  try {
    zmq::send_multipart(socket_, frames, zmq::send_flags::dontwait);
  } catch (const zmq::error_t& e) {
    log_->debug("reply not delivered: {}", e.what());
  }
  watcher_->Kick();
}

}  // namespace anding::dispatcher

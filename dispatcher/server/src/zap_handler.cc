#include "zap_handler.h"

#include <zmq_addon.hpp>

#include "anding/runtime/logging.h"

namespace anding::dispatcher {

ZapHandler::ZapHandler(boost::asio::io_context& io, zmq::context_t& context, Lookup lookup)
    : socket_(context, zmq::socket_type::rep),
      lookup_(std::move(lookup)),
      log_(runtime::GetLogger("auth")) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.bind("inproc://zeromq.zap.01");
  watcher_ = std::make_unique<runtime::ZmqWatcher>(io, socket_, [this] { OnRequest(); });
}

void ZapHandler::OnRequest() {
  std::vector<zmq::message_t> request;
  if (!zmq::recv_multipart(socket_, std::back_inserter(request), zmq::recv_flags::dontwait)) {
    return;
  }
  std::string status = "400";
  std::string status_text = "not enrolled";
  std::string user_id;
  std::string version = request.size() > 0 ? request[0].to_string() : "1.0";
  std::string request_id = request.size() > 1 ? request[1].to_string() : "";

  if (request.size() >= 7 && version == "1.0" && request[5].to_string_view() == "CURVE" &&
      request[6].size() == 32) {
    const std::string domain = request[2].to_string();
    const std::string address = request[3].to_string();
    char z85[41] = {};
    zmq_z85_encode(z85, static_cast<const uint8_t*>(request[6].data()), 32);
    const auto principal = lookup_(z85);
    const bool allowed =
        principal && ((domain == kZapDomainLink && principal->kind == Principal::Kind::kAgent) ||
                      (domain == kZapDomainOps && principal->kind == Principal::Kind::kOperator));
    if (allowed) {
      status = "200";
      status_text = "OK";
      user_id = z85;
      ++admitted_;
      log_->debug("admitted {} '{}' from {} on {}",
                  principal->kind == Principal::Kind::kAgent ? "agent" : "operator", principal->id,
                  address, domain);
    } else {
      ++denied_;
      log_->warn("refused key {} from {} on domain '{}': {}", z85, address, domain,
                 principal ? "enrolled for another role" : "not enrolled");
    }
  } else {
    ++denied_;
    log_->warn("refused a malformed or non-CURVE ZAP request");
  }

  std::array<zmq::const_buffer, 6> reply = {zmq::buffer(version), zmq::buffer(request_id),
                                            zmq::buffer(status),  zmq::buffer(status_text),
                                            zmq::buffer(user_id), zmq::const_buffer()};
  zmq::send_multipart(socket_, reply, zmq::send_flags::dontwait);
  watcher_->Kick();
}

}  // namespace anding::dispatcher

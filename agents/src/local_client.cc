#include "anding/agent/local_client.h"

#include <filesystem>
#include <zmq.hpp>

#include "anding/cmdline/gettext.h"
#include "anding/common/strings.h"
#include "anding/wire/codec.h"

namespace anding::agent {

Result<v1::LocalResponse> CallAgent(const std::string& endpoint, const v1::LocalRequest& request,
                                    std::chrono::milliseconds timeout) {
  if (endpoint.rfind("ipc://", 0) == 0 && !std::filesystem::exists(endpoint.substr(6))) {
    return UnavailableError(cmdline::Tr(
        N_("the agent daemon is not running (no socket at {}); start it with 'anding-agent run'"),
        endpoint.substr(6)));
  }
  try {
    zmq::context_t context(1);
    zmq::socket_t socket(context, zmq::socket_type::req);
    socket.set(zmq::sockopt::linger, 0);
    socket.set(zmq::sockopt::rcvtimeo, static_cast<int>(timeout.count()));
    socket.set(zmq::sockopt::maxmsgsize, int64_t{64 << 20});
    socket.connect(endpoint);
    const std::string bytes = wire::Encode(request);
    socket.send(zmq::buffer(bytes), zmq::send_flags::none);
    zmq::message_t reply;
    if (!socket.recv(reply)) {
      return DeadlineExceededError(cmdline::Tr(N_("the agent daemon did not answer within {} ({})"),
                                               FormatDuration(timeout), endpoint));
    }
    v1::LocalResponse response;
    // An all-default response encodes to no bytes.
    if (reply.size() > 0) {
      ANDING_RETURN_IF_ERROR(wire::Decode(reply.to_string_view(), response, 64 << 20));
    }
    return response;
  } catch (const zmq::error_t& e) {
    return UnavailableError(cmdline::Tr(N_("cannot reach the agent daemon: {}"), e.what()));
  }
}

}  // namespace anding::agent

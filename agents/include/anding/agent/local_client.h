// Talks to a running agent daemon over its local IPC socket.
#pragma once

#include <chrono>
#include <string>

#include "anding/common/status.h"
#include "anding/v1/agent_local.pb.h"

namespace anding::agent {

// Sends `request` to the daemon at `endpoint` (ipc://.../agent.sock) and
// waits up to `timeout` for the answer. Unavailable when the request could
// not be sent (the daemon is not running: nothing happened);
// DeadlineExceeded when it was sent and no answer came in time (the outcome
// is unknown: the daemon may have acted on it).
[[nodiscard]] Result<v1::LocalResponse> CallAgent(const std::string& endpoint,
                                                  const v1::LocalRequest& request,
                                                  std::chrono::milliseconds timeout);

}  // namespace anding::agent

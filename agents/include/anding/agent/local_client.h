// Talks to a running agent daemon over its local IPC socket.
#pragma once

#include <chrono>
#include <string>

#include "anding/common/status.h"
#include "anding/v1/agent_local.pb.h"

namespace anding::agent {

// Sends `request` to the daemon at `endpoint` (ipc://.../agent.sock) and
// waits up to `timeout` for the answer. Unavailable when the daemon does not
// answer (not running?).
[[nodiscard]] Result<v1::LocalResponse> CallAgent(const std::string& endpoint,
                                                  const v1::LocalRequest& request,
                                                  std::chrono::milliseconds timeout);

}  // namespace anding::agent

// anding-agent's configuration (`--config FILE`). Relative paths are
// resolved against the file's directory. See deploy/demo/agent-*.yaml.
#pragma once

#include <string>

#include "anding/common/config.h"
#include "anding/common/time.h"
#include "anding/runtime/logging.h"

namespace anding::agent {

struct AgentConfig {
  // The unit this agent speaks for. The dispatcher binds the unit to the
  // agent's key; this setting must match the enrolment.
  std::string unit_id;
  // Outbox database, received orders, the local command socket.
  std::string data_dir;
  // The dispatcher's agent endpoint and its CURVE public key.
  std::string dispatcher_endpoint;
  std::string dispatcher_public_key;
  // This agent's CURVE key pair.
  std::string secret_key_file;
  // A heartbeat is sent this often; the link counts as down after three
  // intervals without hearing from the dispatcher.
  Duration heartbeat_interval = std::chrono::seconds(5);
  // Retransmission backoff for unacknowledged messages: first retry after
  // `retry_initial`, doubling up to `retry_max`.
  Duration retry_initial = std::chrono::seconds(2);
  Duration retry_max = std::chrono::seconds(60);
  // Most messages sent and not yet acknowledged at once.
  int64_t max_in_flight = 5000;
  // Acknowledged messages are kept this long for `anding-agent outbox --all`.
  Duration keep_delivered = std::chrono::hours(24 * 7);
  // The zone the command line reads days in (`report daily --day`, a
  // ledger deadline "2027-01-31"): `time_zone:`, an IANA name such as
  // Asia/Shanghai (the default). It must match the dispatcher's.
  TimeZone time_zone = TimeZone::Shanghai();
  runtime::LoggingOptions logging;

  // ipc://<data_dir>/agent.sock
  [[nodiscard]] std::string LocalEndpoint() const;
  // <data_dir>/agent.db
  [[nodiscard]] std::string DatabasePath() const;
};

// Reads the agent's settings, recording errors on `root`.
[[nodiscard]] AgentConfig ReadAgentConfig(ConfigNode& root, const std::string& directory);

// Loads and validates `path` completely. InvalidArgument lists every error
// with file:line:key.
[[nodiscard]] Result<AgentConfig> LoadAgentConfig(const std::string& path);

}  // namespace anding::agent

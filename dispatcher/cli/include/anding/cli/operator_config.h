// Where the operator tools find the dispatcher and their own key
// (`anding --config operator.yaml`, or $ANDING_CONFIG).
//
//   dispatcher:
//     endpoints_file: ../data/endpoints.yaml   # written by the dispatcher, or:
//     ops_endpoint: tcp://hq.example:7101
//     feed_endpoint: tcp://hq.example:7102
//     snapshot_endpoint: tcp://hq.example:7103
//     public_key_file: keys/dispatcher.pub      # or public_key: "..."
//   secret_key_file: keys/operator-zhang.key
//   time_zone: Asia/Shanghai                    # the default; as the dispatcher's
#pragma once

#include <string>

#include "anding/common/status.h"
#include "anding/common/time.h"

namespace anding::cli {

struct OperatorConfig {
  std::string ops_endpoint;
  std::string feed_endpoint;
  std::string snapshot_endpoint;
  // The dispatcher's HTTP listener ("127.0.0.1:7104"), from the endpoints
  // file; empty when it serves no HTTP.
  std::string http_address;
  std::string dispatcher_public_key;
  std::string public_key;
  std::string secret_key;
  // The zone days given on the command line are read in and times are
  // shown in.
  TimeZone time_zone = TimeZone::Shanghai();
};

// Loads and validates `path` (and the endpoints and key files it names).
[[nodiscard]] Result<OperatorConfig> LoadOperatorConfig(const std::string& path);

}  // namespace anding::cli

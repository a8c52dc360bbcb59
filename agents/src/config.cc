#include "anding/agent/config.h"

#include <filesystem>

#include "anding/runtime/curve_keys.h"

namespace anding::agent {
namespace {

std::string Resolve(const std::string& directory, const std::string& path) {
  if (path.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(directory) / path).lexically_normal().string();
}

}  // namespace

std::string AgentConfig::LocalEndpoint() const { return "ipc://" + data_dir + "/agent.sock"; }
std::string AgentConfig::DatabasePath() const { return data_dir + "/agent.db"; }

AgentConfig ReadAgentConfig(ConfigNode& root, const std::string& directory) {
  AgentConfig config;
  config.unit_id = root.Get<std::string>("unit_id");
  if (config.unit_id.size() > 64) root.Error("unit_id", "must be at most 64 bytes");
  config.data_dir = Resolve(directory, root.Get<std::string>("data_dir"));
  config.secret_key_file = Resolve(directory, root.Get<std::string>("secret_key_file"));

  ConfigNode dispatcher = root.Map("dispatcher");
  config.dispatcher_endpoint = dispatcher.Get<std::string>("endpoint");
  if (!config.dispatcher_endpoint.empty() && config.dispatcher_endpoint.rfind("tcp://", 0) != 0 &&
      config.dispatcher_endpoint.rfind("ipc://", 0) != 0) {
    dispatcher.Error("endpoint", "expected a ZeroMQ endpoint such as tcp://hq.example:7100");
  }
  const bool has_key = dispatcher.Has("public_key");
  const bool has_key_file = dispatcher.Has("public_key_file");
  if (has_key == has_key_file) {
    dispatcher.Error("give exactly one of public_key or public_key_file");
  }
  if (has_key) {
    config.dispatcher_public_key = dispatcher.Get<std::string>("public_key");
    if (!runtime::IsZ85Key(config.dispatcher_public_key)) {
      dispatcher.Error("public_key", "not a Z85 CURVE public key (40 characters)");
    }
  } else if (has_key_file) {
    const std::string file = Resolve(directory, dispatcher.Get<std::string>("public_key_file"));
    auto pair = runtime::ReadKeyFile(file, false);
    if (pair.ok()) {
      config.dispatcher_public_key = pair->public_key;
    } else {
      dispatcher.Error("public_key_file", pair.status().message());
    }
  }

  config.heartbeat_interval = root.Get<Duration>("heartbeat_interval", config.heartbeat_interval);
  if (config.heartbeat_interval < std::chrono::milliseconds(100)) {
    root.Error("heartbeat_interval", "must be at least 100ms");
  }
  if (auto retry = root.OptionalMap("retry")) {
    config.retry_initial = retry->Get<Duration>("initial", config.retry_initial);
    config.retry_max = retry->Get<Duration>("max", config.retry_max);
    if (config.retry_initial <= Duration::zero()) retry->Error("initial", "must be positive");
    if (config.retry_max < config.retry_initial) retry->Error("max", "must be at least initial");
  }
  config.max_in_flight = root.Get<int64_t>("max_in_flight", config.max_in_flight);
  if (config.max_in_flight < 1 || config.max_in_flight > 100000) {
    root.Error("max_in_flight", "must be 1–100000");
  }
  config.keep_delivered = root.Get<Duration>("keep_delivered", config.keep_delivered);
  const std::string zone = root.Get<std::string>("time_zone", config.time_zone.name());
  if (auto loaded = TimeZone::Load(zone); loaded.ok()) {
    config.time_zone = *loaded;
  } else {
    root.Error("time_zone", loaded.status().message());
  }
  config.logging = runtime::ReadLoggingOptions(root, directory);
  return config;
}

Result<AgentConfig> LoadAgentConfig(const std::string& path) {
  ANDING_ASSIGN_OR_RETURN(ConfigDocument doc, ConfigDocument::LoadFile(path));
  ConfigNode root = doc.root();
  AgentConfig config = ReadAgentConfig(root, doc.directory());
  ANDING_RETURN_IF_ERROR(doc.Finish());
  return config;
}

}  // namespace anding::agent

#include "anding/cli/operator_config.h"

#include <filesystem>

#include "anding/common/config.h"
#include "anding/common/strings.h"
#include "anding/runtime/curve_keys.h"

namespace anding::cli {
namespace {

std::string Resolve(const std::string& directory, const std::string& path) {
  if (path.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(directory) / path).lexically_normal().string();
}

}  // namespace

Result<OperatorConfig> LoadOperatorConfig(const std::string& path) {
  ANDING_ASSIGN_OR_RETURN(ConfigDocument doc, ConfigDocument::LoadFile(path));
  ConfigNode root = doc.root();
  OperatorConfig config;
  ConfigNode dispatcher = root.Map("dispatcher");
  const std::string endpoints_file =
      Resolve(doc.directory(), dispatcher.Get<std::string>("endpoints_file", ""));
  config.ops_endpoint = dispatcher.Get<std::string>("ops_endpoint", "");
  config.feed_endpoint = dispatcher.Get<std::string>("feed_endpoint", "");
  config.snapshot_endpoint = dispatcher.Get<std::string>("snapshot_endpoint", "");
  config.dispatcher_public_key = dispatcher.Get<std::string>("public_key", "");
  if (dispatcher.Has("public_key_file")) {
    auto pair = runtime::ReadKeyFile(
        Resolve(doc.directory(), dispatcher.Get<std::string>("public_key_file")), false);
    if (pair.ok()) {
      config.dispatcher_public_key = pair->public_key;
    } else {
      dispatcher.Error("public_key_file", pair.status().message());
    }
  }
  const std::string secret_key_file =
      Resolve(doc.directory(), root.Get<std::string>("secret_key_file"));
  const std::string zone = root.Get<std::string>("time_zone", config.time_zone.name());
  if (auto loaded = TimeZone::Load(zone); loaded.ok()) {
    config.time_zone = *loaded;
  } else {
    root.Error("time_zone", loaded.status().message());
  }
  ANDING_RETURN_IF_ERROR(doc.Finish());

  if (!endpoints_file.empty()) {
    auto endpoints_doc = ConfigDocument::LoadFile(endpoints_file);
    if (!endpoints_doc.ok()) {
      return UnavailableError(
          StrCat(endpoints_doc.status().message(), " (is the dispatcher running?)"));
    }
    ConfigNode endpoints = endpoints_doc->root();
    endpoints.Get<std::string>("link", "");
    endpoints.Get<int64_t>("pid", 0);
    config.http_address = endpoints.Get<std::string>("http", "");
    if (config.ops_endpoint.empty()) config.ops_endpoint = endpoints.Get<std::string>("ops");
    if (config.feed_endpoint.empty()) config.feed_endpoint = endpoints.Get<std::string>("feed");
    if (config.snapshot_endpoint.empty()) {
      config.snapshot_endpoint = endpoints.Get<std::string>("snapshot");
    }
    const std::string key = endpoints.Get<std::string>("public_key");
    if (config.dispatcher_public_key.empty()) config.dispatcher_public_key = key;
    ANDING_RETURN_IF_ERROR(endpoints_doc->Finish());
  }
  if (config.ops_endpoint.empty()) {
    return InvalidArgumentError(
        StrCat(path, ": dispatcher.ops_endpoint (or endpoints_file) is required"));
  }
  if (!runtime::IsZ85Key(config.dispatcher_public_key)) {
    return InvalidArgumentError(
        StrCat(path, ": the dispatcher's public key is missing or invalid"));
  }
  ANDING_ASSIGN_OR_RETURN(auto keys, runtime::ReadKeyFile(secret_key_file, true));
  config.public_key = keys.public_key;
  config.secret_key = keys.secret_key;
  return config;
}

}  // namespace anding::cli

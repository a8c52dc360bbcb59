#include "anding/dispatcher/config.h"

#include <filesystem>

namespace anding::dispatcher {
namespace {

void CheckEndpoint(ConfigNode& node, std::string_view key, const std::string& endpoint) {
  if (endpoint.rfind("tcp://", 0) != 0 && endpoint.rfind("ipc://", 0) != 0) {
    node.Error(key, "expected a ZeroMQ endpoint such as tcp://127.0.0.1:7100 or ipc:///path");
  }
}

void CheckPositive(ConfigNode& node, std::string_view key, Duration value) {
  if (value <= Duration::zero()) node.Error(key, "must be longer than zero");
}

// Whether `path` is `directory` or below it, symbolic links resolved as far
// as they exist.
bool IsInside(const std::string& path, const std::string& directory) {
  std::error_code ec;
  auto normal = [&](const std::string& p) {
    auto canonical = std::filesystem::weakly_canonical(p, ec);
    return (ec ? std::filesystem::path(p) : canonical).lexically_normal();
  };
  const auto file = normal(path);
  const auto dir = normal(directory);
  const auto relative = file.lexically_relative(dir);
  return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

std::string ResolvePath(const std::string& directory, const std::string& path) {
  if (path.empty()) return path;
  std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  return (std::filesystem::path(directory) / p).lexically_normal().string();
}

DispatcherConfig ReadDispatcherConfig(ConfigNode& root, const std::string& directory) {
  DispatcherConfig config;
  config.data_dir = ResolvePath(directory, root.Get<std::string>("data_dir"));
  config.database_path = root.Get<std::string>("database", "");
  config.database_path = config.database_path.empty()
                             ? config.data_dir + "/anding.db"
                             : ResolvePath(directory, config.database_path);
  if (auto store = root.OptionalMap("store")) {
    config.min_commit_interval =
        store->Get<Duration>("min_commit_interval", config.min_commit_interval);
    if (config.min_commit_interval < Duration::zero() ||
        config.min_commit_interval > std::chrono::milliseconds(100)) {
      store->Error("min_commit_interval", "must be between 0 and 100ms");
    }
  }
  config.endpoints_file = root.Get<std::string>("endpoints_file", "");
  config.endpoints_file = config.endpoints_file.empty()
                              ? config.data_dir + "/endpoints.yaml"
                              : ResolvePath(directory, config.endpoints_file);

  ConfigNode link = root.Map("link");
  LinkSettings& l = config.link;
  l.endpoint = link.Get<std::string>("endpoint", l.endpoint);
  CheckEndpoint(link, "endpoint", l.endpoint);
  l.secret_key_file = ResolvePath(directory, link.Get<std::string>("secret_key_file"));
  l.enrolled_keys_file = ResolvePath(directory, link.Get<std::string>("enrolled_keys_file"));
  l.heartbeat_interval = link.Get<Duration>("heartbeat_interval", l.heartbeat_interval);
  l.offline_after = link.Get<Duration>("offline_after", l.offline_after);
  l.order_retry = link.Get<Duration>("order_retry", l.order_retry);
  l.orders_held_per_unit = link.Get<int64_t>("orders_held_per_unit", l.orders_held_per_unit);
  l.enrolment_poll = link.Get<Duration>("enrolment_poll", l.enrolment_poll);
  l.max_message_bytes = link.Get<int64_t>("max_message_bytes", l.max_message_bytes);
  l.clock_offset_threshold = link.Get<Duration>("clock_offset_threshold", l.clock_offset_threshold);
  CheckPositive(link, "clock_offset_threshold", l.clock_offset_threshold);
  CheckPositive(link, "heartbeat_interval", l.heartbeat_interval);
  CheckPositive(link, "order_retry", l.order_retry);
  CheckPositive(link, "enrolment_poll", l.enrolment_poll);
  if (l.offline_after <= l.heartbeat_interval) {
    link.Error("offline_after", "must be longer than heartbeat_interval");
  }
  if (l.orders_held_per_unit < 1 || l.orders_held_per_unit > 100000) {
    link.Error("orders_held_per_unit", "must be between 1 and 100000");
  }
  if (l.max_message_bytes < 4096 || l.max_message_bytes > (64 << 20)) {
    link.Error("max_message_bytes", "must be between 4096 and 67108864");
  }

  if (auto ops = root.OptionalMap("ops")) {
    config.ops_endpoint = ops->Get<std::string>("endpoint", config.ops_endpoint);
    CheckEndpoint(*ops, "endpoint", config.ops_endpoint);
  }
  if (auto feed = root.OptionalMap("feed")) {
    config.feed_endpoint = feed->Get<std::string>("publish_endpoint", config.feed_endpoint);
    config.snapshot_endpoint =
        feed->Get<std::string>("snapshot_endpoint", config.snapshot_endpoint);
    CheckEndpoint(*feed, "publish_endpoint", config.feed_endpoint);
    CheckEndpoint(*feed, "snapshot_endpoint", config.snapshot_endpoint);
  }
  if (auto intake = root.OptionalMap("intake")) {
    config.dedupe_window = intake->Get<Duration>("dedupe_window", config.dedupe_window);
    CheckPositive(*intake, "dedupe_window", config.dedupe_window);
  }
  if (auto http = root.OptionalMap("http")) {
    HttpSettings& h = config.http;
    h.listen = http->Get<std::string>("listen", h.listen);
    h.static_dir = ResolvePath(directory, http->Get<std::string>("static_dir", h.static_dir));
    h.max_body_bytes = http->Get<int64_t>("max_body_bytes", h.max_body_bytes);
    h.read_timeout = http->Get<Duration>("read_timeout", h.read_timeout);
    h.idle_timeout = http->Get<Duration>("idle_timeout", h.idle_timeout);
    h.handler_timeout = http->Get<Duration>("handler_timeout", h.handler_timeout);
    h.max_connections = http->Get<int64_t>("max_connections", h.max_connections);
    h.metrics = http->Get<bool>("metrics", h.metrics);
    if (auto ws = http->OptionalMap("websocket")) {
      auto& w = h.websocket;
      if (ws->Has("max_queue_messages") && ws->Has("max_queue_items")) {
        ws->Error("max_queue_messages", "is the older name of max_queue_items: give one of them");
      }
      w.max_queue_items = ws->Get<int64_t>("max_queue_messages", w.max_queue_items);
      w.max_queue_items = ws->Get<int64_t>("max_queue_items", w.max_queue_items);
      w.max_queue_bytes = ws->Get<int64_t>("max_queue_bytes", w.max_queue_bytes);
      w.max_message_bytes = ws->Get<int64_t>("max_message_bytes", w.max_message_bytes);
      w.max_incoming_bytes = ws->Get<int64_t>("max_incoming_bytes", w.max_incoming_bytes);
      w.idle_timeout = ws->Get<Duration>("idle_timeout", w.idle_timeout);
      w.send_buffer_bytes = ws->Get<int64_t>("send_buffer_bytes", w.send_buffer_bytes);
      if (w.max_queue_items < 1 || w.max_queue_items > 1000000) {
        ws->Error(ws->Has("max_queue_items") ? "max_queue_items" : "max_queue_messages",
                  "must be between 1 and 1000000");
      }
      if (w.max_message_bytes < 1024 || w.max_message_bytes > (16 << 20)) {
        ws->Error("max_message_bytes", "must be between 1024 and 16777216");
      }
      if (w.max_queue_bytes < 4096 || w.max_queue_bytes > (1 << 30)) {
        ws->Error("max_queue_bytes", "must be between 4096 and 1073741824");
      }
      if (w.max_incoming_bytes < 16 || w.max_incoming_bytes > (1 << 20)) {
        ws->Error("max_incoming_bytes", "must be between 16 and 1048576");
      }
      if (w.send_buffer_bytes < 0 || w.send_buffer_bytes > (64 << 20)) {
        ws->Error("send_buffer_bytes", "must be between 0 (the system's) and 67108864");
      }
      CheckPositive(*ws, "idle_timeout", w.idle_timeout);
    }
    if (!h.listen.empty() && h.listen.find(':') == std::string::npos) {
      http->Error("listen", "expected host:port, such as 127.0.0.1:7104 (port 0 picks one)");
    }
    if (h.max_body_bytes < 1024 || h.max_body_bytes > (64 << 20)) {
      http->Error("max_body_bytes", "must be between 1024 and 67108864");
    }
    if (h.max_connections < 1 || h.max_connections > 100000) {
      http->Error("max_connections", "must be between 1 and 100000");
    }
    CheckPositive(*http, "read_timeout", h.read_timeout);
    CheckPositive(*http, "idle_timeout", h.idle_timeout);
    CheckPositive(*http, "handler_timeout", h.handler_timeout);
    if (!h.static_dir.empty() && !std::filesystem::is_directory(h.static_dir)) {
      http->Error("static_dir", "is not a directory");
    }
  }
  BackupSettings& b = config.backup;
  b.directory = config.data_dir.empty() ? std::string() : config.data_dir + "/backups";
  if (auto backup = root.OptionalMap("backup")) {
    b.directory = ResolvePath(directory, backup->Get<std::string>("directory", b.directory));
    b.pages_per_step = backup->Get<int64_t>("pages_per_step", b.pages_per_step);
    b.pause_between_steps = backup->Get<Duration>("pause_between_steps", b.pause_between_steps);
    if (b.directory.empty()) backup->Error("directory", "must name a directory");
    // A backup named like the live database must not be able to meet it.
    if (!b.directory.empty() && !config.data_dir.empty() &&
        IsInside(config.data_dir, b.directory)) {
      backup->Error("directory",
                    "must not be data_dir or above it; for example <data_dir>/backups");
    }
    if (b.pages_per_step < 1 || b.pages_per_step > 1000000) {
      backup->Error("pages_per_step", "must be between 1 and 1000000");
    }
    if (b.pause_between_steps < Duration::zero() ||
        b.pause_between_steps > std::chrono::seconds(10)) {
      backup->Error("pause_between_steps", "must be between 0 and 10s");
    }
  }
  config.logging = runtime::ReadLoggingOptions(root, directory);
  // Logs grow with what peers send; the store must never run out of disk
  // because of them, so the log file lives outside data_dir.
  if (!config.logging.json_file.empty() && !config.data_dir.empty() &&
      IsInside(config.logging.json_file, config.data_dir)) {
    root.Map("logging").Error("json_file",
                              "must be outside data_dir (logs must not fill the store's disk); "
                              "for example logs/dispatcher.jsonl beside it");
  }
  return config;
}

}  // namespace anding::dispatcher

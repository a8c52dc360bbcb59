// The dispatcher's configuration (`anding-dispatcher --config FILE`).
// Relative paths are resolved against the configuration file's directory.
// See deploy/demo/dispatcher.yaml for a commented example.
#pragma once

#include <string>

#include "anding/common/config.h"
#include "anding/common/time.h"
#include "anding/runtime/logging.h"

namespace anding::dispatcher {

struct LinkSettings {
  // ROUTER endpoint agents connect to, e.g. "tcp://127.0.0.1:7100"
  // ("tcp://127.0.0.1:*" picks a free port; see endpoints_file).
  std::string endpoint = "tcp://127.0.0.1:7100";
  // The dispatcher's CURVE key pair.
  std::string secret_key_file;
  // The allow-list of agent and operator public keys; re-read when it
  // changes (enrol / revoke without a restart).
  std::string enrolled_keys_file;
  Duration heartbeat_interval = std::chrono::seconds(5);
  // An agent silent this long is marked offline.
  Duration offline_after = std::chrono::seconds(30);
  // Unacknowledged orders are resent this often (doubling up to 8x).
  Duration order_retry = std::chrono::seconds(10);
  // Of a unit's unacknowledged orders, how many the dispatcher holds in
  // memory (the oldest: those it sends); the rest wait in the store and are
  // read in turn as those are acknowledged.
  int64_t orders_held_per_unit = 16;
  // How often the enrolment file is checked for changes.
  Duration enrolment_poll = std::chrono::seconds(2);
  // Largest accepted frame: a larger one is refused with a nack, counted
  // and logged per unit. The transport drops frames over 16 times this
  // (ZMQ_MAXMSGSIZE, at most 256 MiB) with the connection.
  int64_t max_message_bytes = 1 << 20;
  // An agent whose clock is measured further than this from the
  // dispatcher's (either way) raises a clock_offset alert, and the times it
  // reports are corrected by the measured offset; within it, they are
  // taken as they are.
  Duration clock_offset_threshold = std::chrono::seconds(60);
};

// The HTTP listener: the REST API, the live feed over WebSocket, the
// dashboard, /metrics, and the routes modules add (http_server.h).
struct HttpSettings {
  // "host:port" to listen on, e.g. "127.0.0.1:7104"; port 0 picks a free
  // one (see the endpoints file). Empty (no `http` section): no HTTP
  // listener.
  std::string listen;
  // Files served for GETs no route claims ("/" is index.html). Empty: none.
  std::string static_dir;
  int64_t max_body_bytes = 1 << 20;
  Duration read_timeout = std::chrono::seconds(15);
  Duration idle_timeout = std::chrono::seconds(60);
  Duration handler_timeout = std::chrono::seconds(30);
  int64_t max_connections = 1024;
  // GET /metrics (Prometheus text, no authentication: bind the listener
  // where only the monitoring can reach it, or turn it off).
  bool metrics = true;
  // The live feed's WebSocket clients (GET /api/v1/feed).
  struct WebSocket {
    // A client's backlog, the feed items published and not yet written
    // to it; a client that falls further behind is closed (1013) and
    // reconnects for a fresh snapshot. The key's older name,
    // max_queue_messages, is read too.
    int64_t max_queue_items = 1024;
    int64_t max_queue_bytes = 4 << 20;
    // Largest message of feed items written to a client; the items
    // published while its previous write was in flight go out together,
    // in as many messages as this takes.
    int64_t max_message_bytes = 64 << 10;
    // Largest message a client may send (1009 beyond).
    int64_t max_incoming_bytes = 4096;
    // A client silent this long is closed; pinged at half of it.
    Duration idle_timeout = std::chrono::seconds(30);
    // The kernel's send buffer per client (0: the system's), so that what
    // a client does not read waits in the bounded queue.
    int64_t send_buffer_bytes = 0;
  } websocket;
};

// Online backups of the database (`anding backup`, and the copy taken
// before a start upgrades the schema).
struct BackupSettings {
  // Where backups are written, on the dispatcher's host
  // (backup.directory; default <data_dir>/backups).
  std::string directory;
  // Pages copied per step; between steps the disk serves the commits
  // (backup.pages_per_step).
  int64_t pages_per_step = 256;
  // A rest after each step (backup.pause_between_steps; zero: none).
  Duration pause_between_steps = Duration::zero();
};

struct DispatcherConfig {
  std::string config_path;
  // Directory for the database and runtime files.
  std::string data_dir;
  // SQLite database file (default: <data_dir>/anding.db).
  std::string database_path;
  // Transactions start at least this far apart, so that under sustained
  // light load events share fsyncs (store.min_commit_interval; zero:
  // commit as soon as anything is queued). See BENCHMARKS.md.
  Duration min_commit_interval = std::chrono::milliseconds(1);
  LinkSettings link;
  // Operator API (ROUTER, CURVE, operator keys).
  std::string ops_endpoint = "tcp://127.0.0.1:7101";
  // Live feed: PUB for changes, ROUTER for snapshots.
  std::string feed_endpoint = "tcp://127.0.0.1:7102";
  std::string snapshot_endpoint = "tcp://127.0.0.1:7103";
  // Where the dispatcher writes the endpoints it actually bound (YAML), so
  // that tools find ephemeral ports. Default: <data_dir>/endpoints.yaml.
  std::string endpoints_file;
  // Envelopes received within this window are de-duplicated from memory;
  // older ones are checked against the database.
  Duration dedupe_window = std::chrono::hours(24 * 30);
  HttpSettings http;
  BackupSettings backup;
  runtime::LoggingOptions logging;
};

// Reads the shell's settings from `root` (the domain sections are read by
// the core modules from the same document). Errors are recorded on nodes.
[[nodiscard]] DispatcherConfig ReadDispatcherConfig(ConfigNode& root, const std::string& directory);

// "path" if absolute, else "<directory>/path".
[[nodiscard]] std::string ResolvePath(const std::string& directory, const std::string& path);

}  // namespace anding::dispatcher

// The live feed: every committed state change is published on a PUB socket
// as a FeedItem with a gap-free sequence number (persisted with the change,
// so it survives restarts); a ROUTER socket serves snapshots — the committed
// view plus the sequence it is current to — so a subscriber that joins late
// or sees a gap can resynchronise (the "Clone" pattern). Both sockets are
// CURVE servers admitting operator keys (ZAP domain "ops").
// Thread-safety: io_context thread only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <zmq.hpp>

#include "anding/common/time.h"
#include "anding/runtime/zmq_watcher.h"
#include "anding/v1/feed.pb.h"
#include "committer.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

class Feed {
 public:
  Feed(boost::asio::io_context& io, zmq::context_t& context, Committer& committer,
       const std::string& secret_key);

  // Binds both sockets; returns the endpoints actually bound.
  [[nodiscard]] Status Bind(const std::string& publish_endpoint,
                            const std::string& snapshot_endpoint);
  [[nodiscard]] const std::string& publish_endpoint() const { return publish_endpoint_; }
  [[nodiscard]] const std::string& snapshot_endpoint() const { return snapshot_endpoint_; }

  // Restores the counter and the committed view at start-up / recovery.
  void Restore(uint64_t sequence, std::vector<v1::AgentStatusChanged> agents,
               uint64_t events_stored);

  // Publishes `item` (its `change` set; sequence and time are filled in)
  // once the current batch commits. The sequence is stored in that batch.
  void Publish(v1::FeedItem item, Time now);

  [[nodiscard]] uint64_t sequence() const { return published_sequence_; }
  // Also hands every published item and heartbeat to `listener` (the
  // WebSocket clients), in sequence order, on this thread.
  void SetListener(std::function<void(const v1::FeedItem&)> listener) {
    listener_ = std::move(listener);
  }
  // Publishes a heartbeat carrying the last published sequence.
  void Heartbeat(Time now);
  // The committed view as a Snapshot.
  [[nodiscard]] v1::Snapshot MakeSnapshot(uint32_t limit) const;

 private:
  void OnSnapshotRequest();
  // Updates the committed view; keeps `item` among the recent if `recent`.
  void Apply(v1::FeedItem item, bool recent);

  zmq::socket_t publisher_;
  zmq::socket_t snapshots_;
  std::unique_ptr<runtime::ZmqWatcher> snapshot_watcher_;
  Committer& committer_;
  std::shared_ptr<spdlog::logger> log_;
  std::string publish_endpoint_;
  std::string snapshot_endpoint_;
  std::function<void(const v1::FeedItem&)> listener_;

  // Assigned (may be uncommitted) and published (committed) sequences.
  uint64_t assigned_sequence_ = 0;
  uint64_t published_sequence_ = 0;
  // Items of the batch being assembled, published together once it commits.
  std::vector<v1::FeedItem> batch_;
  std::vector<uint64_t> batch_groups_;  // the committer's group of each item

  // The committed view.
  std::map<std::string, v1::AgentStatusChanged> agents_;
  uint64_t events_stored_ = 0;
  std::deque<v1::FeedItem> recent_;
};

// Applies the dispatcher's CURVE server settings to `socket`.
void ConfigureCurveServer(zmq::socket_t& socket, const std::string& secret_key,
                          const char* zap_domain);

// The endpoint `socket` actually bound (resolves "tcp://127.0.0.1:*").
[[nodiscard]] std::string BoundEndpoint(zmq::socket_t& socket);

}  // namespace anding::dispatcher

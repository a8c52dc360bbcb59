#include "feed.h"

#include <zmq_addon.hpp>

#include "anding/runtime/log_text.h"
#include "anding/runtime/logging.h"
#include "anding/store/link_repository.h"
#include "anding/wire/codec.h"

#ifndef ZMQ_ZAP_ENFORCE_DOMAIN
#define ZMQ_ZAP_ENFORCE_DOMAIN 93  // DRAFT in libzmq 4.3; Debian's build has it
#endif

namespace anding::dispatcher {
namespace {
constexpr size_t kRecentItems = 200;
}  // namespace

void ConfigureCurveServer(zmq::socket_t& socket, const std::string& secret_key,
                          const char* zap_domain) {
  socket.set(zmq::sockopt::linger, 0);
  socket.set(zmq::sockopt::curve_server, 1);
  socket.set(zmq::sockopt::curve_secretkey, secret_key);
  socket.set(zmq::sockopt::zap_domain, zap_domain);
  const int enforce = 1;
  zmq_setsockopt(socket.handle(), ZMQ_ZAP_ENFORCE_DOMAIN, &enforce, sizeof enforce);
}

std::string BoundEndpoint(zmq::socket_t& socket) { return socket.get(zmq::sockopt::last_endpoint); }

Feed::Feed(boost::asio::io_context& io, zmq::context_t& context, Committer& committer,
           const std::string& secret_key)
    : publisher_(context, zmq::socket_type::pub),
      snapshots_(context, zmq::socket_type::router),
      committer_(committer),
      log_(runtime::GetLogger("feed")) {
  ConfigureCurveServer(publisher_, secret_key, "ops");
  ConfigureCurveServer(snapshots_, secret_key, "ops");
  publisher_.set(zmq::sockopt::sndhwm, 100000);
  snapshots_.set(zmq::sockopt::maxmsgsize, int64_t{65536});
  snapshot_watcher_ =
      std::make_unique<runtime::ZmqWatcher>(io, snapshots_, [this] { OnSnapshotRequest(); });
}

Status Feed::Bind(const std::string& publish_endpoint, const std::string& snapshot_endpoint) {
  try {
    publisher_.bind(publish_endpoint);
    snapshots_.bind(snapshot_endpoint);
  } catch (const zmq::error_t& e) {
    return UnavailableError(std::string("cannot bind the feed: ") + e.what());
  }
  publish_endpoint_ = BoundEndpoint(publisher_);
  snapshot_endpoint_ = BoundEndpoint(snapshots_);
  snapshot_watcher_->Start();
  return OkStatus();
}

void Feed::Restore(uint64_t sequence, std::vector<v1::AgentStatusChanged> agents,
                   uint64_t events_stored) {
  assigned_sequence_ = published_sequence_ = sequence;
  batch_.clear();
  batch_groups_.clear();
  agents_.clear();
  for (auto& agent : agents) agents_[agent.unit_id()] = std::move(agent);
  events_stored_ = events_stored;
}

void Feed::Publish(v1::FeedItem item, Time now) {
  item.set_sequence(++assigned_sequence_);
  *item.mutable_at() = wire::ToProto(now);
  if (batch_.empty()) {
    // Once per batch: the sequence is stored with the changes, and the
    // items are published, in order, once they are committed.
    committer_.BeforeSubmit([this] {
      const auto value = static_cast<int64_t>(assigned_sequence_);
      committer_.Add([value](storage::Database& db) {
        return store::SaveCounter(db, "feed_sequence", value);
      });
      committer_.OnCommitted(
          [this, items = std::move(batch_), groups = std::move(batch_groups_)]() mutable {
            std::string bytes;
            for (size_t i = 0; i < items.size(); ++i) {
              published_sequence_ = items[i].sequence();
              // What an input left out of the commit changed is not published:
              // subscribers see a gap and resynchronise from a snapshot.
              if (committer_.refused(groups[i])) continue;
              bytes.clear();
              items[i].SerializeToString(&bytes);
              publisher_.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
              if (listener_) listener_(items[i]);
              // Of a large batch only the last items stay among the recent.
              Apply(std::move(items[i]), /*recent=*/items.size() - i <= kRecentItems);
            }
          });
      batch_.clear();
      batch_groups_.clear();
    });
  }
  batch_.push_back(std::move(item));
  batch_groups_.push_back(committer_.current_group());
}

void Feed::Heartbeat(Time now) {
  v1::FeedItem item;
  item.set_sequence(published_sequence_);
  *item.mutable_at() = wire::ToProto(now);
  item.mutable_heartbeat();
  const std::string bytes = wire::Encode(item);
  publisher_.send(zmq::buffer(bytes), zmq::send_flags::dontwait);
  if (listener_) listener_(item);
}

void Feed::Apply(v1::FeedItem item, bool recent) {
  if (item.has_agent_status()) agents_[item.agent_status().unit_id()] = item.agent_status();
  if (item.has_event_stored()) ++events_stored_;
  if (!recent) return;
  recent_.push_back(std::move(item));
  if (recent_.size() > kRecentItems) recent_.pop_front();
}

v1::Snapshot Feed::MakeSnapshot(uint32_t limit) const {
  v1::Snapshot snapshot;
  snapshot.set_sequence(published_sequence_);
  for (const auto& [unit, agent] : agents_) *snapshot.add_agents() = agent;
  snapshot.set_events_stored(events_stored_);
  const size_t count = std::min<size_t>(limit == 0 ? 50 : limit, recent_.size());
  for (size_t i = recent_.size() - count; i < recent_.size(); ++i) {
    *snapshot.add_recent() = recent_[i];
  }
  return snapshot;
}

void Feed::OnSnapshotRequest() {
  std::vector<zmq::message_t> parts;
  if (!zmq::recv_multipart(snapshots_, std::back_inserter(parts), zmq::recv_flags::dontwait)) {
    return;
  }
  if (parts.size() != 2) {
    log_->warn("dropped a snapshot request of {} frames", parts.size());
    return;
  }
  v1::SnapshotRequest request;  // an all-default request encodes to no bytes
  if (Status status = parts[1].size() == 0
                          ? OkStatus()
                          : wire::Decode(parts[1].to_string_view(), request, 65536);
      !status.ok()) {
    log_->warn("dropped a malformed snapshot request: {}", runtime::Printable(status.message()));
    return;
  }
  const std::string reply = wire::Encode(MakeSnapshot(request.limit()));
  std::array<zmq::const_buffer, 2> frames = {zmq::buffer(parts[0].data(), parts[0].size()),
                                             zmq::buffer(reply)};
  zmq::send_multipart(snapshots_, frames, zmq::send_flags::dontwait);
  snapshot_watcher_->Kick();
}

}  // namespace anding::dispatcher

#include "anding/cli/feed_subscriber.h"

#include "anding/common/strings.h"
#include "anding/wire/codec.h"

namespace anding::cli {
namespace {

void ConfigureClient(zmq::socket_t& socket, const OperatorConfig& config) {
  socket.set(zmq::sockopt::linger, 0);
  socket.set(zmq::sockopt::curve_serverkey, config.dispatcher_public_key);
  socket.set(zmq::sockopt::curve_publickey, config.public_key);
  socket.set(zmq::sockopt::curve_secretkey, config.secret_key);
  socket.set(zmq::sockopt::maxmsgsize, int64_t{64 << 20});
}

}  // namespace

FeedSubscriber::FeedSubscriber(const OperatorConfig& config)
    : feed_endpoint_(config.feed_endpoint),
      snapshot_endpoint_(config.snapshot_endpoint),
      context_(1),
      subscriber_(context_, zmq::socket_type::sub),
      snapshots_(context_, zmq::socket_type::dealer) {
  ConfigureClient(subscriber_, config);
  ConfigureClient(snapshots_, config);
  subscriber_.set(zmq::sockopt::subscribe, "");
  subscriber_.set(zmq::sockopt::rcvhwm, 100000);
}

Status FeedSubscriber::Start(std::chrono::milliseconds timeout) {
  if (feed_endpoint_.empty() || snapshot_endpoint_.empty()) {
    return FailedPreconditionError(
        "the operator configuration names no feed: set dispatcher.feed_endpoint and "
        "dispatcher.snapshot_endpoint, or dispatcher.endpoints_file");
  }
  try {
    subscriber_.connect(feed_endpoint_);
  } catch (const zmq::error_t& e) {
    return InvalidArgumentError(StrCat("feed endpoint '", feed_endpoint_, "': ", e.what()));
  }
  try {
    snapshots_.connect(snapshot_endpoint_);
  } catch (const zmq::error_t& e) {
    return InvalidArgumentError(StrCat("snapshot endpoint '", snapshot_endpoint_, "': ", e.what()));
  }
  return Resync(timeout);
}

Status FeedSubscriber::Resync(std::chrono::milliseconds timeout) {
  v1::SnapshotRequest request;
  const std::string bytes = wire::Encode(request);
  try {
    snapshots_.send(zmq::buffer(bytes), zmq::send_flags::none);
    zmq::pollitem_t item{snapshots_.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, timeout);
    zmq::message_t reply;
    if (!(item.revents & ZMQ_POLLIN) || !snapshots_.recv(reply, zmq::recv_flags::dontwait)) {
      return UnavailableError("no snapshot from the dispatcher (not running, or key not enrolled)");
    }
    v1::Snapshot snapshot;
    ANDING_RETURN_IF_ERROR(wire::Decode(reply.to_string_view(), snapshot, 64 << 20));
    view_ = FeedView{};
    view_.sequence = snapshot.sequence();
    for (const auto& agent : snapshot.agents()) view_.agents[agent.unit_id()] = agent;
    view_.events_stored = snapshot.events_stored();
    ++resyncs_;
    if (on_resync_) on_resync_(view_);
    return OkStatus();
  } catch (const zmq::error_t& e) {
    return UnavailableError(StrCat("snapshot request failed: ", e.what()));
  }
}

void FeedSubscriber::Apply(const v1::FeedItem& item) {
  view_.sequence = item.sequence();
  if (item.has_agent_status()) view_.agents[item.agent_status().unit_id()] = item.agent_status();
  if (item.has_event_stored()) ++view_.events_stored;
}

Result<std::optional<v1::FeedItem>> FeedSubscriber::Next(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::optional<v1::FeedItem>();
    zmq::pollitem_t poll{subscriber_.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&poll, 1, left);
    if (!(poll.revents & ZMQ_POLLIN)) continue;
    zmq::message_t message;
    if (!subscriber_.recv(message, zmq::recv_flags::dontwait)) continue;
    v1::FeedItem item;
    if (!wire::Decode(message.to_string_view(), item, 64 << 20).ok()) continue;
    if (keep_ && !keep_(item)) continue;  // simulated loss
    if (item.has_heartbeat()) {
      // The publisher is ahead of us: the latest item(s) were lost.
      if (item.sequence() > view_.sequence) {
        ++gaps_;
        ANDING_RETURN_IF_ERROR(Resync(std::chrono::seconds(10)));
      }
      continue;
    }
    if (item.sequence() <= view_.sequence) continue;  // already in the snapshot
    if (item.sequence() != view_.sequence + 1) {
      ++gaps_;
      ANDING_RETURN_IF_ERROR(Resync(std::chrono::seconds(10)));
      if (item.sequence() <= view_.sequence) continue;
      if (item.sequence() != view_.sequence + 1) continue;  // still ahead: wait for more
    }
    Apply(item);
    return std::optional<v1::FeedItem>(std::move(item));
  }
}

}  // namespace anding::cli

// A live-feed subscriber that is never silently wrong: it starts from a
// snapshot, applies feed items in sequence order, and when it sees a gap
// (or a sequence it cannot place) it fetches a fresh snapshot and carries on
// from there (the "Clone" pattern).
// Thread-safety: one thread.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <zmq.hpp>

#include "anding/cli/operator_config.h"
#include "anding/v1/feed.pb.h"

namespace anding::cli {

// The state a subscriber rebuilds: what a Snapshot carries.
struct FeedView {
  uint64_t sequence = 0;
  std::map<std::string, v1::AgentStatusChanged> agents;
  uint64_t events_stored = 0;
};

class FeedSubscriber {
 public:
  // Keeps the endpoints and keys of `config`; connects nothing yet.
  explicit FeedSubscriber(const OperatorConfig& config);

  // Connects, subscribes and loads the first snapshot. FailedPrecondition
  // if `config` names no feed or snapshot endpoint, InvalidArgument if one
  // is not a valid endpoint, Unavailable if no snapshot arrives within
  // `timeout`.
  [[nodiscard]] Status Start(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // Waits up to `timeout` for the next feed item, applies it (resyncing on
  // a gap) and returns it; nullopt on timeout.
  [[nodiscard]] Result<std::optional<v1::FeedItem>> Next(std::chrono::milliseconds timeout);

  [[nodiscard]] const FeedView& view() const { return view_; }
  [[nodiscard]] uint64_t resyncs() const { return resyncs_; }
  [[nodiscard]] uint64_t gaps() const { return gaps_; }

  // Test hook: items for which this returns false are treated as lost in
  // transit (to exercise gap detection).
  void set_loss_filter(std::function<bool(const v1::FeedItem&)> keep) { keep_ = std::move(keep); }

  // Called after every resynchronisation (with the new view).
  void set_on_resync(std::function<void(const FeedView&)> fn) { on_resync_ = std::move(fn); }

 private:
  [[nodiscard]] Status Resync(std::chrono::milliseconds timeout);
  void Apply(const v1::FeedItem& item);

  std::string feed_endpoint_;
  std::string snapshot_endpoint_;
  zmq::context_t context_;
  zmq::socket_t subscriber_;
  zmq::socket_t snapshots_;
  FeedView view_;
  uint64_t resyncs_ = 0;
  uint64_t gaps_ = 0;
  std::function<bool(const v1::FeedItem&)> keep_;
  std::function<void(const FeedView&)> on_resync_;
};

}  // namespace anding::cli

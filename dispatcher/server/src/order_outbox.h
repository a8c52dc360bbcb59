// Orders down the link. Every order for a unit is stored (with a per-unit
// sequence number) before it is sent, and kept until the unit's agent
// acknowledges that it has stored it. Pending orders are sent in sequence
// order when they are created, whenever the agent (re)connects, and again
// after `retry` (doubling up to 8x) while unacknowledged — so an agent that
// was offline receives everything, in order, when it comes back; the agent
// de-duplicates by message id, so it shows each order exactly once.
// Thread-safety: io_context thread only.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>

#include "anding/common/clock.h"
#include "anding/common/ids.h"
#include "anding/store/link_repository.h"
#include "anding/v1/envelope.pb.h"
#include "committer.h"
#include "feed.h"
#include "link_server.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

class OrderOutbox {
 public:
  OrderOutbox(const Clock& clock, Committer& committer, Feed& feed, LinkServer& link,
              Duration retry);

  [[nodiscard]] Status Load(storage::Database& db);

  // Stores `order` for `unit_id` (message id, sequence and time are
  // assigned here) and sends it once stored. Returns the order id.
  std::string Enqueue(const std::string& unit_id, v1::Order order);

  // The agent acknowledged the envelope `message_id`.
  void OnAck(const std::string& unit_id, const std::string& message_id);
  // The agent (re)connected: send everything pending now.
  void OnConnected(const std::string& unit_id);
  // Resends what is due. Returns when it should run next.
  Time Retry();

  [[nodiscard]] size_t pending(const std::string& unit_id) const;
  [[nodiscard]] size_t pending_total() const;

 private:
  struct Pending {
    store::OutboundRow row;
    Time next_attempt{};
    int attempts = 0;
  };
  void SendPending(const std::string& unit_id, bool force);

  const Clock& clock_;
  Committer& committer_;
  Feed& feed_;
  LinkServer& link_;
  Duration retry_;
  UuidV7Generator ids_;
  std::shared_ptr<spdlog::logger> log_;
  std::map<std::string, std::deque<Pending>> pending_;
  std::map<std::string, uint64_t> next_sequence_;
};

}  // namespace anding::dispatcher

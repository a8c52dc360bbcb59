// Orders down the link. Every order for a unit is stored (with a per-unit
// sequence number) before it is sent, and kept until the unit's agent
// acknowledges that it has stored it. Pending orders are sent in sequence
// order when they are created, whenever the agent (re)connects, and again
// after `retry` (doubling up to 8x) while unacknowledged — so an agent that
// was offline receives everything, in order, when it comes back; the agent
// de-duplicates by message id, so it shows each order exactly once.
//
// Memory does not grow with what waits for an agent that stays away: of
// each unit's pending orders, only the oldest `held_per_unit` are held
// (those are the ones sent); the rest stay in the store, counted, and are
// read by sequence as the held ones are acknowledged (with `db`, the
// store's connection on this thread).
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
              storage::Database& db, Duration retry, uint32_t held_per_unit);

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
  // One unit's pending orders: sequences up to `held_through` that are not
  // acknowledged are in `held`; `in_store` more (sequences after it, up to
  // `committed_through`, the last whose commit this outbox has seen) are
  // only in the store.
  struct Queue {
    std::deque<Pending> held;
    uint64_t held_through = 0;
    uint64_t committed_through = 0;
    uint64_t in_store = 0;
  };
  void SendPending(const std::string& unit_id, bool force);
  // Reads the next of `unit_id`'s stored orders into `held` once it is
  // half empty. A failed read is retried by Retry.
  void TopUp(const std::string& unit_id, Queue& queue);

  const Clock& clock_;
  Committer& committer_;
  Feed& feed_;
  LinkServer& link_;
  storage::Database& db_;
  Duration retry_;
  uint32_t held_per_unit_;
  UuidV7Generator ids_;
  std::shared_ptr<spdlog::logger> log_;
  std::map<std::string, Queue> queues_;
  std::map<std::string, uint64_t> next_sequence_;
};

}  // namespace anding::dispatcher

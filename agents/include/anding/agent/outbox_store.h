// The agent's durable state in <data_dir>/agent.db (SQLite, WAL,
// synchronous=FULL): the outbox of messages for the dispatcher, the orders
// received from it, and the next sequence number. A message is stored here
// before its submitter hears "accepted", and stays QUEUED until the
// dispatcher acknowledges that it has committed it.
// Thread-safety: one thread (the agent's io_context).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "anding/common/time.h"
#include "anding/storage/database.h"
#include "anding/v1/agent_local.pb.h"
#include "anding/v1/envelope.pb.h"

namespace anding::agent {

class OutboxStore {
 public:
  [[nodiscard]] static Result<std::unique_ptr<OutboxStore>> Open(const std::string& path);

  // The sequence the next message gets (starts at 1, never reused).
  [[nodiscard]] uint64_t next_sequence() const { return next_sequence_; }

  // Stores new messages (their sequence must be next_sequence(), +1, ...)
  // in one transaction. Nothing is stored if any fails.
  [[nodiscard]] Status Append(const std::vector<v1::Envelope>& envelopes, Time now);

  // Every QUEUED message, by sequence.
  [[nodiscard]] Result<std::vector<v1::Envelope>> LoadQueued();

  // Marks messages delivered (acked) or refused (nacked), in one transaction.
  struct Outcome {
    uint64_t sequence;
    std::optional<v1::Ack> ack;
    std::optional<v1::Nack> nack;
  };
  [[nodiscard]] Status Record(const std::vector<Outcome>& outcomes, Time now);

  // One entry by message id (any state).
  [[nodiscard]] Result<std::optional<v1::OutboxEntry>> Find(std::string_view message_id);
  // Entries, newest first: QUEUED only, or all.
  [[nodiscard]] Result<std::vector<v1::OutboxEntry>> List(bool all, uint32_t limit);
  [[nodiscard]] Result<uint64_t> CountQueued();

  // Deletes delivered entries older than `before` (the newest entry is kept
  // so sequence numbers are never reused).
  [[nodiscard]] Status Prune(Time before);

  // Stores a received order; false if it was already stored (a resend).
  [[nodiscard]] Result<bool> StoreOrder(const v1::Envelope& envelope, Time now);
  // Records a person's acknowledgement of an order.
  [[nodiscard]] Status AcknowledgeOrder(std::string_view order_id, std::string_view by, Time at);
  // Received orders by sequence (oldest first): unacknowledged only, or all.
  [[nodiscard]] Result<std::vector<v1::ReceivedOrder>> ListOrders(bool all);
  [[nodiscard]] Result<bool> HasOrder(std::string_view order_id);

 private:
  explicit OutboxStore(std::unique_ptr<storage::Database> db) : db_(std::move(db)) {}
  std::unique_ptr<storage::Database> db_;
  uint64_t next_sequence_ = 1;
};

}  // namespace anding::agent

#include "order_outbox.h"

#include <algorithm>

#include "anding/common/strings.h"
#include "anding/runtime/logging.h"
#include "anding/wire/codec.h"

namespace anding::dispatcher {

OrderOutbox::OrderOutbox(const Clock& clock, Committer& committer, Feed& feed, LinkServer& link,
                         storage::Database& db, Duration retry, uint32_t held_per_unit)
    : clock_(clock),
      committer_(committer),
      feed_(feed),
      link_(link),
      db_(db),
      retry_(retry),
      held_per_unit_(std::max<uint32_t>(held_per_unit, 1)),
      ids_(clock),
      log_(runtime::GetLogger("orders")) {}

Status OrderOutbox::Load(storage::Database& db) {
  queues_.clear();
  next_sequence_.clear();
  ANDING_ASSIGN_OR_RETURN(auto sequences, store::LoadOutboundSequences(db));
  for (const auto& [unit, sequence] : sequences) next_sequence_[unit] = sequence + 1;
  ANDING_ASSIGN_OR_RETURN(auto counts, store::CountPendingOutbound(db));
  for (const auto& [unit, count] : counts) {
    Queue& queue = queues_[unit];
    queue.committed_through = next_sequence_[unit] - 1;
    ANDING_ASSIGN_OR_RETURN(auto rows, store::LoadPendingOutbound(
                                           db, unit, 0, queue.committed_through, held_per_unit_));
    queue.in_store = count - std::min<uint64_t>(count, rows.size());
    for (auto& row : rows) {
      queue.held_through = row.sequence;
      queue.held.push_back(Pending{std::move(row), Time{}, 0});
    }
  }
  return OkStatus();
}

std::string OrderOutbox::Enqueue(const std::string& unit_id, v1::Order order) {
  const Time now = clock_.Now();
  uint64_t& next = next_sequence_[unit_id];
  if (next == 0) next = 1;
  if (order.order_id().empty()) order.set_order_id(ids_.Next());
  if (!wire::IsSet(order.issued_at())) *order.mutable_issued_at() = wire::ToProto(now);

  v1::Envelope envelope;
  envelope.set_message_id(ids_.Next());
  envelope.set_unit_id(unit_id);
  envelope.set_sequence(next++);
  *envelope.mutable_sent_at() = wire::ToProto(now);
  envelope.set_schema_version(wire::kSchemaVersion);
  *envelope.mutable_order() = order;

  store::OutboundRow row;
  row.unit_id = unit_id;
  row.sequence = envelope.sequence();
  row.message_id = envelope.message_id();
  row.order_id = order.order_id();
  row.created_at = now;
  row.envelope = wire::Encode(envelope);

  v1::FeedItem item;
  auto* changed = item.mutable_record_changed();
  changed->set_kind("order");
  changed->set_id(order.order_id());
  changed->set_state("issued");
  changed->set_summary(StrCat(v1::OrderKind_Name(order.kind()), ": ", order.title()));
  changed->set_unit_id(unit_id);

  committer_.Add([row](storage::Database& db) { return store::InsertOutbound(db, row); });
  feed_.Publish(std::move(item), now);
  committer_.OnCommitted([this, row = std::move(row)]() mutable {
    const std::string unit = row.unit_id;
    Queue& queue = queues_[unit];
    queue.committed_through = std::max(queue.committed_through, row.sequence);
    if (queue.in_store > 0 || queue.held.size() >= held_per_unit_) {
      ++queue.in_store;  // after those already waiting: read in its turn
      return;
    }
    queue.held_through = row.sequence;
    queue.held.push_back(Pending{std::move(row), Time{}, 0});
    SendPending(unit, false);
  });
  return order.order_id();
}

void OrderOutbox::OnAck(const std::string& unit_id, const std::string& message_id) {
  auto it = queues_.find(unit_id);
  if (it == queues_.end()) return;
  auto& held = it->second.held;
  auto entry = std::find_if(held.begin(), held.end(),
                            [&](const Pending& p) { return p.row.message_id == message_id; });
  if (entry == held.end() || entry->attempts < 0) return;  // unknown, or ack in flight
  entry->attempts = -1;                                    // acknowledged, being stored
  const Time now = clock_.Now();
  const std::string order_id = entry->row.order_id;
  committer_.Add([unit_id, message_id, now](storage::Database& db) {
    return store::MarkOutboundAcked(db, unit_id, message_id, now);
  });
  v1::FeedItem item;
  auto* changed = item.mutable_record_changed();
  changed->set_kind("order");
  changed->set_id(order_id);
  changed->set_state("delivered");
  changed->set_summary(StrCat("order ", order_id, " stored by the agent of ", unit_id));
  changed->set_unit_id(unit_id);
  feed_.Publish(std::move(item), now);
  committer_.OnCommitted([this, unit_id, message_id] {
    auto found = queues_.find(unit_id);
    if (found == queues_.end()) return;
    Queue& queue = found->second;
    std::erase_if(queue.held, [&](const Pending& p) { return p.row.message_id == message_id; });
    TopUp(unit_id, queue);
    if (queue.held.empty() && queue.in_store == 0) queues_.erase(found);
  });
}

void OrderOutbox::OnConnected(const std::string& unit_id) { SendPending(unit_id, true); }

void OrderOutbox::TopUp(const std::string& unit_id, Queue& queue) {
  if (queue.in_store == 0 || queue.held.size() * 2 > held_per_unit_) return;
  const auto wanted = static_cast<uint32_t>(held_per_unit_ - queue.held.size());
  auto rows =
      store::LoadPendingOutbound(db_, unit_id, queue.held_through, queue.committed_through, wanted);
  if (!rows.ok()) {
    log_->warn("reading the stored orders for {}: {}; retried", unit_id, rows.status().ToString());
    return;
  }
  // Fewer than asked: the store has no more of them (whatever the count).
  queue.in_store =
      rows->size() < wanted ? 0 : queue.in_store - std::min<uint64_t>(queue.in_store, rows->size());
  for (auto& row : *rows) {
    queue.held_through = row.sequence;
    queue.held.push_back(Pending{std::move(row), Time{}, 0});
  }
  SendPending(unit_id, false);
}

void OrderOutbox::SendPending(const std::string& unit_id, bool force) {
  auto it = queues_.find(unit_id);
  if (it == queues_.end()) return;
  const Time now = clock_.Now();
  for (auto& entry : it->second.held) {
    if (entry.attempts < 0) continue;
    if (!force && entry.next_attempt > now) continue;
    v1::Envelope envelope;
    if (!wire::Decode(entry.row.envelope, envelope).ok()) {
      log_->error("order {} for {} is unreadable in the store", entry.row.order_id, unit_id);
      continue;
    }
    if (!link_.Send(unit_id, std::move(envelope))) return;  // not connected yet
    ++entry.attempts;
    const int factor = 1 << std::min(entry.attempts - 1, 3);
    entry.next_attempt = now + retry_ * factor;
  }
}

Time OrderOutbox::Retry() {
  for (auto& [unit, queue] : queues_) {
    TopUp(unit, queue);
    SendPending(unit, false);
  }
  const Time now = clock_.Now();
  Time next = now + retry_;
  for (const auto& [unit, queue] : queues_) {
    for (const auto& entry : queue.held) {
      if (entry.attempts >= 0 && entry.next_attempt > now)
        next = std::min(next, entry.next_attempt);
    }
  }
  return next;
}

size_t OrderOutbox::pending(const std::string& unit_id) const {
  auto it = queues_.find(unit_id);
  return it == queues_.end() ? 0 : it->second.held.size() + it->second.in_store;
}

size_t OrderOutbox::pending_total() const {
  size_t total = 0;
  for (const auto& [unit, queue] : queues_) total += queue.held.size() + queue.in_store;
  return total;
}

}  // namespace anding::dispatcher

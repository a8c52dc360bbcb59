#include "intake.h"

#include "anding/common/ids.h"
#include "anding/common/strings.h"
#include "anding/runtime/logging.h"
#include "anding/store/link_repository.h"
#include "anding/wire/codec.h"

namespace anding::dispatcher {

Intake::Intake(const Clock& clock, Committer& committer, Feed& feed, LinkServer& link,
               store::Database& db, Duration dedupe_window)
    : clock_(clock),
      committer_(committer),
      feed_(feed),
      link_(link),
      db_(db),
      window_(dedupe_window),
      log_(runtime::GetLogger("intake")) {}

std::string Intake::Key(const std::string& unit_id, const std::string& message_id) {
  std::string key;
  key.reserve(unit_id.size() + 1 + message_id.size());
  key.append(unit_id).push_back('\x1f');
  key.append(message_id);
  return key;
}

Status Intake::Load() {
  seen_.clear();
  record_ids_.clear();
  const Time since = clock_.Now() - window_;
  return store::ForEachEventSince(db_, since, [this](store::EventKey key) {
    const std::string k = Key(key.unit_id, key.message_id);
    seen_[k] = Seen{ToUnixMicros(key.received_at)};
    if (!key.record_id.empty()) record_ids_[k] = std::move(key.record_id);
  });
}

void Intake::AckDuplicate(const std::string& unit_id, const v1::Envelope& envelope,
                          Time stored_at, const std::string& record_id) {
  ++counters_.duplicates;
  v1::Envelope reply;
  reply.set_unit_id(unit_id);
  auto* ack = reply.mutable_ack();
  ack->set_message_id(envelope.message_id());
  ack->set_sequence(envelope.sequence());
  *ack->mutable_stored_at() = wire::ToProto(stored_at);
  ack->set_duplicate(true);
  ack->set_record_id(record_id);
  link_.Send(unit_id, std::move(reply));
}

void Intake::OnEnvelope(const std::string& unit_id, v1::Envelope envelope) {
  if (committer_.failed()) {
    ++counters_.refused_unavailable;
    link_.Reject(unit_id, envelope, v1::NACK_REASON_UNAVAILABLE,
                 "the dispatcher is recovering from a storage error; retry");
    return;
  }
  const std::string key = Key(unit_id, envelope.message_id());
  if (auto it = seen_.find(key); it != seen_.end()) {
    if (it->second.stored_at_us == 0) return;  // commit pending: its ack follows
    // A repeat of a committed envelope: compare content with what is stored.
    auto stored = store::FindEvent(db_, unit_id, envelope.message_id());
    if (stored.ok() && stored->has_value()) {
      v1::Envelope original;
      if (wire::Decode((*stored)->envelope, original).ok() &&
          !wire::SameContent(original, envelope)) {
        ++counters_.conflicts;
        link_.Reject(unit_id, envelope, v1::NACK_REASON_CONFLICT,
                     "message_id was already used for different content");
        return;
      }
    }
    auto record = record_ids_.find(key);
    AckDuplicate(unit_id, envelope, FromUnixMicros(it->second.stored_at_us),
                 record == record_ids_.end() ? std::string() : record->second);
    return;
  }

  const Time now = clock_.Now();
  // An id older than the in-memory window may still be stored: ask the DB.
  const int64_t id_ms = UuidV7Millis(envelope.message_id());
  if (id_ms >= 0 && FromUnixMicros(id_ms * 1000) < now - window_) {
    auto stored = store::FindEvent(db_, unit_id, envelope.message_id());
    if (!stored.ok()) {
      ++counters_.refused_unavailable;
      link_.Reject(unit_id, envelope, v1::NACK_REASON_UNAVAILABLE, stored.status().message());
      return;
    }
    if (stored->has_value()) {
      v1::Envelope original;
      if (wire::Decode((*stored)->envelope, original).ok() &&
          !wire::SameContent(original, envelope)) {
        ++counters_.conflicts;
        link_.Reject(unit_id, envelope, v1::NACK_REASON_CONFLICT,
                     "message_id was already used for different content");
        return;
      }
      AckDuplicate(unit_id, envelope, (*stored)->received_at, (*stored)->record_id);
      return;
    }
  }

  Applied applied;
  if (applier_) {
    auto result = applier_(unit_id, envelope, now);
    if (!result.ok()) {
      ++counters_.refused_by_domain;
      log_->info("unit {}: {} refused: {}", unit_id, wire::PayloadKind(envelope),
                 result.status().message());
      link_.Reject(unit_id, envelope, wire::NackReasonFor(result.status()),
                   result.status().message());
      return;
    }
    applied = std::move(*result);
  }

  store::EventRow row;
  row.unit_id = unit_id;
  row.message_id = envelope.message_id();
  row.sequence = envelope.sequence();
  row.payload_kind = wire::PayloadKind(envelope);
  row.sent_at = wire::FromProto(envelope.sent_at());
  row.received_at = now;
  row.record_id = applied.record_id;
  row.summary = wire::Summarize(envelope);
  row.envelope = wire::Encode(envelope);

  v1::FeedItem item;
  auto* stored_item = item.mutable_event_stored();
  stored_item->set_unit_id(unit_id);
  stored_item->set_message_id(row.message_id);
  stored_item->set_sequence(row.sequence);
  stored_item->set_payload_kind(row.payload_kind);
  stored_item->set_summary(row.summary);
  *stored_item->mutable_stored_at() = wire::ToProto(now);

  seen_[key] = Seen{0};
  if (!applied.record_id.empty()) record_ids_[key] = applied.record_id;
  committer_.Add([row = std::move(row)](store::Database& db) { return store::InsertEvent(db, row); });
  for (auto& write : applied.writes) committer_.Add(std::move(write));
  feed_.Publish(std::move(item), now);
  committer_.OnCommitted([this, key, unit_id, now, message_id = envelope.message_id(),
                          sequence = envelope.sequence(), record_id = applied.record_id,
                          after = std::move(applied.on_committed)] {
    seen_[key] = Seen{ToUnixMicros(now)};
    ++counters_.stored;
    v1::Envelope reply;
    reply.set_unit_id(unit_id);
    auto* ack = reply.mutable_ack();
    ack->set_message_id(message_id);
    ack->set_sequence(sequence);
    *ack->mutable_stored_at() = wire::ToProto(now);
    ack->set_record_id(record_id);
    link_.Send(unit_id, std::move(reply));
    if (after) after();
  });
}

}  // namespace anding::dispatcher

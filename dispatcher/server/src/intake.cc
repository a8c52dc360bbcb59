#include "intake.h"

#include "anding/common/ids.h"
#include "anding/common/strings.h"
#include "anding/runtime/log_text.h"
#include "anding/runtime/logging.h"
#include "anding/store/link_repository.h"
#include "anding/wire/codec.h"

namespace anding::dispatcher {

Intake::Intake(const Clock& clock, Committer& committer, Feed& feed, LinkServer& link,
               storage::Database& db, Duration dedupe_window)
    : clock_(clock),
      committer_(committer),
      feed_(feed),
      link_(link),
      db_(db),
      log_(runtime::GetLogger("intake")),
      refusal_log_(clock, kRefusalLogBurst, kRefusalLogInterval),
      recent_(dedupe_window) {}

Status Intake::Load() {
  batch_ = Batch{};  // after a failed commit: its batch was never stored
  recent_.Clear();
  const Time since = clock_.Now() - recent_.window();
  return store::ForEachEventSince(db_, since, [this](store::EventKey event) {
    // An id that is not a canonical UUID (none is accepted) cannot repeat.
    if (auto key = recent_.KeyOf(event.unit_id, event.message_id)) {
      recent_.Stored(*key, event.received_at, std::move(event.record_id));
    }
  });
}

void Intake::RefusePendingConflict(const std::string& unit_id, const v1::Envelope& envelope) {
  ++counters_.conflicts;
  link_.Reject(unit_id, envelope, v1::NACK_REASON_CONFLICT,
               "message_id was already used for different content");
}

bool Intake::RefuseConflict(const std::string& unit_id, const v1::Envelope& envelope,
                            const store::EventRow& stored) {
  v1::Envelope original;
  if (!wire::Decode(stored.envelope, original).ok() || wire::SameContent(original, envelope)) {
    return false;
  }
  RefusePendingConflict(unit_id, envelope);
  return true;
}

void Intake::AckDuplicate(const std::string& unit_id, const v1::Envelope& envelope, Time stored_at,
                          const std::string& record_id) {
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

bool Intake::OnEnvelope(const std::string& unit_id, const v1::Envelope& envelope,
                        std::string_view bytes) {
  if (committer_.failed()) {
    ++counters_.refused_unavailable;
    link_.Reject(unit_id, envelope, v1::NACK_REASON_UNAVAILABLE,
                 "the dispatcher is recovering from a storage error; retry");
    return false;
  }
  const auto key = recent_.KeyOf(unit_id, envelope.message_id());
  if (!key) {  // the link checks this; the intake does not rely on it
    link_.Reject(unit_id, envelope, v1::NACK_REASON_INVALID_ARGUMENT,
                 "message_id must be a canonical lower-case UUID");
    return false;
  }
  // One look into the (large) map: remembered already, or pending from now.
  const uint64_t content = std::hash<std::string_view>{}(bytes);
  const auto [seen, fresh] = recent_.FindOrAddPending(*key, content);
  if (!fresh) {
    if (seen->pending()) {
      // The same envelope again before its commit: its ack follows the
      // commit. Other bytes under the same id are refused, as they are
      // once the first is stored.
      if (seen->pending_content != content) RefusePendingConflict(unit_id, envelope);
      return false;
    }
    // A repeat of a committed envelope: compare content with what is stored.
    auto stored = store::FindEvent(db_, unit_id, envelope.message_id());
    if (stored.ok() && stored->has_value() && RefuseConflict(unit_id, envelope, **stored))
      return false;
    AckDuplicate(unit_id, envelope, FromUnixMicros(seen->stored_at_us), seen->record_id);
    return false;
  }
  // From here on, an envelope that is not stored is forgotten again.

  const Time now = clock_.Now();
  // An id older than the in-memory window may still be stored: ask the DB.
  // So may an id that is not a UUIDv7 (an import's ids are derived from the
  // file, version 8): its bits say nothing about its age, and the memory
  // forgets it after the window, so only the DB can tell a repeat.
  const int64_t id_ms = UuidV7Millis(key->message);
  if (id_ms < 0 || FromUnixMicros(id_ms * 1000) < now - recent_.window()) {
    auto stored = store::FindEvent(db_, unit_id, envelope.message_id());
    if (!stored.ok()) {
      recent_.Drop(*key);
      ++counters_.refused_unavailable;
      link_.Reject(unit_id, envelope, v1::NACK_REASON_UNAVAILABLE, stored.status().message());
      return false;
    }
    if (stored->has_value()) {
      recent_.Drop(*key);
      if (RefuseConflict(unit_id, envelope, **stored)) return false;
      AckDuplicate(unit_id, envelope, (*stored)->received_at, (*stored)->record_id);
      return false;
    }
  }

  // Everything this envelope causes is one group: if a write of it is
  // refused for its content, only this envelope is refused.
  const Committer::GroupScope group = committer_.Group();
  Applied applied;
  if (applier_) {
    auto result = applier_(unit_id, envelope, now);
    if (!result.ok()) {
      recent_.Drop(*key);
      ++counters_.refused_by_domain;
      if (refusal_log_.Admit(unit_id)) {
        log_->info("unit {}: {} refused: {}", unit_id,
                   runtime::Printable(wire::PayloadKind(envelope)),
                   runtime::Printable(result.status().message()));
      }
      for (const auto& [unit, count] : refusal_log_.TakeSuppressed()) {
        log_->info("unit {}: {} more refusals not logged (at most {} per {})", unit, count,
                   kRefusalLogBurst, FormatDuration(kRefusalLogInterval));
      }
      link_.Reject(unit_id, envelope, wire::NackReasonFor(result.status()),
                   result.status().message());
      return false;
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
  row.envelope = std::string(bytes);

  v1::FeedItem item;
  auto* stored_item = item.mutable_event_stored();
  stored_item->set_unit_id(unit_id);
  stored_item->set_message_id(row.message_id);
  stored_item->set_sequence(row.sequence);
  stored_item->set_payload_kind(row.payload_kind);
  stored_item->set_summary(row.summary);
  *stored_item->mutable_stored_at() = wire::ToProto(now);

  recent_.Forget(now);
  for (auto& write : applied.writes) committer_.Add(std::move(write));
  feed_.Publish(std::move(item), now);
  if (!batch_.events) {
    // Once per batch: one callback for every ack (not one closure per
    // event).
    batch_.events = std::make_shared<EventBatch>();
    committer_.BeforeSubmit([this] {
      auto acks = std::make_shared<std::vector<PendingAck>>(std::move(batch_.acks));
      committer_.OnCommitted([this, acks] { AckStored(*acks); });
      committer_.OnRefused(
          [this, acks](uint64_t refused, const Status& why) { RefuseStored(*acks, refused, why); });
      batch_ = Batch{};
    });
  }
  // The batch's rows are inserted by one statement (the first of these
  // writes does it for all); only when the store isolates inputs after a
  // content error does each write insert its own row, in its group.
  const size_t index = batch_.events->rows.size();
  committer_.Add([events = batch_.events, index](storage::Database& db) -> Status {
    if (storage::CommitQueue::Isolating()) {
      return store::InsertEvents(db, {&events->rows[index], 1});
    }
    if (events->inserted_in == storage::CommitQueue::Attempt()) return OkStatus();
    events->inserted_in = storage::CommitQueue::Attempt();
    return store::InsertEvents(db, events->rows);
  });
  batch_.acks.push_back(PendingAck{*key, unit_id, row.message_id, row.sequence, applied.record_id,
                                   now, std::move(applied.on_committed),
                                   committer_.current_group()});
  batch_.events->rows.push_back(std::move(row));
  return true;
}

void Intake::RefuseStored(const std::vector<PendingAck>& acks, uint64_t group, const Status& why) {
  for (const auto& pending : acks) {
    if (pending.group != group) continue;
    recent_.Drop(pending.key);
    if (why.code() != StatusCode::kUnavailable) {
      ++counters_.refused_by_store;
      log_->error("unit {}: message {} refused by the store: {}", pending.unit_id,
                  runtime::Printable(pending.message_id, 60), runtime::Printable(why.ToString()));
    }
    if (why.code() == StatusCode::kUnavailable) {
      ++counters_.refused_unavailable;
      link_.Reject(pending.unit_id, pending.message_id, pending.sequence,
                   v1::NACK_REASON_UNAVAILABLE, why.message());
      continue;
    }
    link_.Reject(pending.unit_id, pending.message_id, pending.sequence,
                 v1::NACK_REASON_INVALID_ARGUMENT, StrCat("refused by the store: ", why.message()));
  }
}

void Intake::AckStored(std::vector<PendingAck>& acks) {
  for (auto& pending : acks) {
    if (committer_.refused(pending.group)) continue;  // answered by its OnRefused
    recent_.Stored(pending.key, pending.stored_at, pending.record_id);
    ++counters_.stored;
    if (v1::Envelope* reply = link_.Append(pending.unit_id)) {
      auto* ack = reply->mutable_ack();
      ack->set_message_id(std::move(pending.message_id));
      ack->set_sequence(pending.sequence);
      *ack->mutable_stored_at() = wire::ToProto(pending.stored_at);
      ack->set_record_id(std::move(pending.record_id));
    }  // else: the agent has gone; it resends and gets a duplicate ack
    if (pending.after) pending.after();
  }
}

}  // namespace anding::dispatcher

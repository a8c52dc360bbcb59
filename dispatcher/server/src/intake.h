// Intake: stores each agent envelope exactly once and acknowledges it only
// after its commit.
//
// De-duplication is by (unit, message_id): envelopes received within the
// configured window are remembered in memory (RecentMessages, which also
// forgets them); an older message_id (its UUIDv7 time predates the window)
// is looked up in the database. A repeat
// of a committed envelope gets the original ack again (duplicate = true)
// and changes nothing; a repeat of one still being committed is ignored (its
// ack follows the commit); the same message_id with different content is
// refused with CONFLICT.
//
// Before storing, the envelope is offered to the domain (Applier): the core
// may refuse it (Nack with the core's reason, nothing stored) or accept it,
// adding its own writes to the same transaction and naming the record it
// created or changed (returned in the Ack).
// Thread-safety: io_context thread only.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "anding/common/clock.h"
#include "anding/common/clock_offset.h"
#include "anding/runtime/log_limiter.h"
#include "anding/storage/database.h"
#include "anding/store/link_repository.h"
#include "anding/v1/envelope.pb.h"
#include "committer.h"
#include "feed.h"
#include "link_server.h"
#include "recent_messages.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

// What the domain did with an envelope.
struct Applied {
  // Record created or changed (for example the incident id), for the Ack.
  std::string record_id;
  // Writes to store in the same transaction as the event.
  std::vector<Committer::Write> writes;
  // Runs after the commit (publish, send orders, ...).
  std::function<void()> on_committed;
};

using Applier =
    std::function<Result<Applied>(const std::string& unit_id, const v1::Envelope&, Time now)>;

// When a new envelope is judged to have been filed at the unit (the
// agent's clock corrected, bounded by what the link witnessed).
using FilingJudge =
    std::function<FilingTime(const std::string& unit_id, const v1::Envelope&, Time now)>;

struct IntakeCounters {
  uint64_t stored = 0;
  uint64_t duplicates = 0;
  uint64_t conflicts = 0;
  uint64_t refused_by_domain = 0;
  uint64_t refused_unavailable = 0;
  // Accepted, then left out of a commit for their content.
  uint64_t refused_by_store = 0;
};

class Intake {
 public:
  Intake(const Clock& clock, Committer& committer, Feed& feed, LinkServer& link,
         storage::Database& db, Duration dedupe_window);

  // Rebuilds the de-duplication index from the store.
  [[nodiscard]] Status Load();
  void SetApplier(Applier applier) { applier_ = std::move(applier); }
  // Without a judge, an envelope is filed at its sent_at (at most now).
  // With one, the applier sees the envelope with sent_at replaced by the
  // judged filing time and its payload's times corrected
  // (CorrectedEnvelope), and the event row records both.
  void SetFilingJudge(FilingJudge judge) { filing_judge_ = std::move(judge); }

  // A structurally valid, durable envelope from `unit_id`'s agent, and its
  // bytes as received (stored as they are). True if it is new (its message
  // id not seen before) and accepted for storing.
  bool OnEnvelope(const std::string& unit_id, const v1::Envelope& envelope, std::string_view bytes);

  [[nodiscard]] const IntakeCounters& counters() const { return counters_; }
  [[nodiscard]] size_t remembered() const { return recent_.size(); }

 private:
  // An envelope stored in the batch being committed, to acknowledge after.
  struct PendingAck {
    RecentMessages::Key key;
    std::string unit_id;
    std::string message_id;
    uint64_t sequence = 0;
    std::string record_id;
    Time stored_at{};
    std::function<void()> after;
    uint64_t group = 0;
  };
  // The event rows of one batch, shared by its writes.
  struct EventBatch {
    std::vector<store::EventRow> rows;
    uint64_t inserted_in = 0;  // the commit attempt that inserted them all
  };
  struct Batch {
    std::shared_ptr<EventBatch> events;
    std::vector<PendingAck> acks;
  };

  void AckStored(std::vector<PendingAck>& acks);
  // Nacks the envelope of `group`, left out of its commit for `why`.
  void RefuseStored(const std::vector<PendingAck>& acks, uint64_t group, const Status& why);
  // Tells the agent that its message id is taken by other content.
  void RefusePendingConflict(const std::string& unit_id, const v1::Envelope& envelope);
  // True (and the agent told) if `stored` holds different content under
  // the same message id.
  bool RefuseConflict(const std::string& unit_id, const v1::Envelope& envelope,
                      const store::EventRow& stored);
  void AckDuplicate(const std::string& unit_id, const v1::Envelope& envelope, Time stored_at,
                    const std::string& record_id);

  const Clock& clock_;
  Committer& committer_;
  Feed& feed_;
  LinkServer& link_;
  storage::Database& db_;
  Applier applier_;
  FilingJudge filing_judge_;
  std::shared_ptr<spdlog::logger> log_;
  // Refusals for content are logged at most kRefusalLogBurst per unit and
  // interval, like the link's.
  runtime::LogLimiter refusal_log_;
  RecentMessages recent_;
  IntakeCounters counters_;
  // Envelopes accepted in the batch being assembled.
  Batch batch_;
};

}  // namespace anding::dispatcher

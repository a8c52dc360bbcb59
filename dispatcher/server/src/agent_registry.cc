#include "agent_registry.h"

#include <algorithm>

#include "anding/runtime/logging.h"
#include "anding/wire/codec.h"

namespace anding::dispatcher {
namespace {
// A live agent's last-seen time is written at most this often.
constexpr Duration kPersistSeenEvery = std::chrono::seconds(60);
}  // namespace

AgentRegistry::AgentRegistry(const Clock& clock, Committer& committer, Feed& feed,
                             Duration offline_after)
    : clock_(clock),
      committer_(committer),
      feed_(feed),
      offline_after_(offline_after),
      log_(runtime::GetLogger("agents")) {}

Status AgentRegistry::Load(storage::Database& db) {
  ANDING_ASSIGN_OR_RETURN(auto rows, store::LoadAgents(db));
  agents_.clear();
  persisted_seen_.clear();
  dirty_.clear();
  flush_registered_ = false;
  seen_.clear();
  for (auto& row : rows) {
    if (row.last_seen) persisted_seen_[row.unit_id] = *row.last_seen;
    // Numbers used before the restart are known only up to the last one.
    seen_[row.unit_id].contiguous = row.last_sequence;
    agents_[row.unit_id] = std::move(row);
  }
  return OkStatus();
}

std::vector<v1::AgentStatusChanged> AgentRegistry::StatusView() const {
  std::vector<v1::AgentStatusChanged> view;
  for (const auto& [unit, row] : agents_) {
    v1::AgentStatusChanged status;
    status.set_unit_id(unit);
    status.set_online(row.online);
    if (row.last_seen) *status.mutable_last_seen() = wire::ToProto(*row.last_seen);
    view.push_back(std::move(status));
  }
  return view;
}

void AgentRegistry::MarkDirty(const std::string& unit_id) {
  // Called for every envelope: most often the unit marked last.
  if ((dirty_.empty() || dirty_.back() != unit_id) &&
      std::find(dirty_.begin(), dirty_.end(), unit_id) == dirty_.end()) {
    dirty_.push_back(unit_id);
  }
  if (flush_registered_) return;
  flush_registered_ = true;
  committer_.BeforeSubmit([this] {
    flush_registered_ = false;
    for (const auto& unit : dirty_) {
      store::AgentRow row = agents_[unit];
      if (row.last_seen) persisted_seen_[unit] = *row.last_seen;
      committer_.Add([row](storage::Database& db) { return store::SaveAgent(db, row); });
    }
    dirty_.clear();
  });
}

void AgentRegistry::Transition(store::AgentRow& row, bool online) {
  row.online = online;
  MarkDirty(row.unit_id);
  v1::FeedItem item;
  auto* status = item.mutable_agent_status();
  status->set_unit_id(row.unit_id);
  status->set_online(online);
  if (row.last_seen) *status->mutable_last_seen() = wire::ToProto(*row.last_seen);
  feed_.Publish(std::move(item), clock_.Now());
  if (online) {
    log_->info("agent {} is online", row.unit_id);
  } else {
    log_->warn("agent {} is offline (silent for {})", row.unit_id,
               FormatDuration(clock_.Now() - row.last_seen.value_or(clock_.Now())));
  }
  if (on_change_) on_change_(row.unit_id, online);
}

void AgentRegistry::OnSeen(const std::string& unit_id) {
  const Time now = clock_.Now();
  auto& row = agents_[unit_id];
  row.unit_id = unit_id;
  row.last_seen = now;
  if (!row.online) {
    Transition(row, true);
    return;
  }
  auto persisted = persisted_seen_.find(unit_id);
  if (persisted == persisted_seen_.end() || now - persisted->second >= kPersistSeenEvery) {
    MarkDirty(unit_id);
  }
}

void AgentRegistry::OnSequence(const std::string& unit_id, uint64_t sequence) {
  auto& row = agents_[unit_id];
  if (row.unit_id.empty()) row.unit_id = unit_id;
  if (sequence > row.last_sequence + 1 && row.last_sequence > 0) {
    row.sequence_gaps += sequence - row.last_sequence - 1;
    log_->info("agent {}: sequence jumped from {} to {} (earlier messages still to come)", unit_id,
               row.last_sequence, sequence);
  } else if (sequence + 1000 < row.last_sequence) {
    log_->warn("agent {}: sequence went back from {} to {}: was its outbox reset?", unit_id,
               row.last_sequence, sequence);
    row.last_sequence = sequence;
    MarkDirty(unit_id);
    return;
  }
  if (sequence > row.last_sequence) {
    row.last_sequence = sequence;
    MarkDirty(unit_id);
  }
}

void AgentRegistry::OnFreshSequence(const std::string& unit_id, uint64_t sequence) {
  SeenSequences& seen = seen_[unit_id];
  if (sequence + 1000 < seen.contiguous) {
    // The agent's outbox was reset (OnSequence logs it): start over.
    seen = SeenSequences{sequence - 1, {}};
  }
  if (sequence <= seen.contiguous || !seen.ahead.insert(sequence).second) {
    auto& row = agents_[unit_id];
    ++row.repeated_sequences;
    MarkDirty(unit_id);
    log_->warn("agent {}: a new message reuses sequence number {} ({} so far)", unit_id, sequence,
               row.repeated_sequences);
    return;
  }
  if (seen.ahead.size() > kMaxAhead) seen.contiguous = *seen.ahead.begin() - 1;
  while (!seen.ahead.empty() && *seen.ahead.begin() <= seen.contiguous + 1) {
    seen.contiguous = std::max(seen.contiguous, *seen.ahead.begin());
    seen.ahead.erase(seen.ahead.begin());
  }
}

void AgentRegistry::OnClockEstimate(const std::string& unit_id, Duration offset,
                                    Duration round_trip) {
  auto& row = agents_[unit_id];
  if (row.unit_id.empty()) row.unit_id = unit_id;
  if (row.clock_offset) {
    const Duration moved =
        offset > *row.clock_offset ? offset - *row.clock_offset : *row.clock_offset - offset;
    if (moved < std::chrono::seconds(1)) return;
  }
  row.clock_offset = offset;
  row.clock_round_trip = round_trip;
  MarkDirty(unit_id);
}

Time AgentRegistry::CheckLiveness() {
  const Time now = clock_.Now();
  Time next = now + offline_after_;
  for (auto& [unit, row] : agents_) {
    if (!row.online || !row.last_seen) continue;
    const Time deadline = *row.last_seen + offline_after_;
    if (deadline <= now) {
      Transition(row, false);
    } else {
      next = std::min(next, deadline);
    }
  }
  return next;
}

}  // namespace anding::dispatcher

// Which agents are alive: last-seen times, online/offline transitions and
// per-agent sequence bookkeeping. An agent silent for `offline_after` is
// marked offline; its next message marks it online again. Each transition
// is stored and published on the feed; `on_change` lets other parts react
// (alerts, resending orders).
// Thread-safety: io_context thread only.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "anding/common/clock.h"
#include "anding/store/link_repository.h"
#include "committer.h"
#include "feed.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

class AgentRegistry {
 public:
  AgentRegistry(const Clock& clock, Committer& committer, Feed& feed, Duration offline_after);

  [[nodiscard]] Status Load(storage::Database& db);
  // Rows for the feed's committed view.
  [[nodiscard]] std::vector<v1::AgentStatusChanged> StatusView() const;

  // Any message from the unit's agent.
  void OnSeen(const std::string& unit_id);
  // A durable envelope with `sequence`: notes gaps and restarts.
  void OnSequence(const std::string& unit_id, uint64_t sequence);
  // A durable envelope under a message id not seen before, with `sequence`:
  // counts (and logs) a sequence number the agent had already used.
  void OnFreshSequence(const std::string& unit_id, uint64_t sequence);
  // The unit's latest clock estimate: kept in its row (written when it
  // moved by a second or more, not at every heartbeat).
  void OnClockEstimate(const std::string& unit_id, Duration offset, Duration round_trip);
  // Marks silent agents offline. Returns when it should run next.
  Time CheckLiveness();

  void SetOnChange(std::function<void(const std::string& unit_id, bool online)> fn) {
    on_change_ = std::move(fn);
  }

  [[nodiscard]] const std::map<std::string, store::AgentRow>& agents() const { return agents_; }

 private:
  void MarkDirty(const std::string& unit_id);
  void Transition(store::AgentRow& row, bool online);

  const Clock& clock_;
  Committer& committer_;
  Feed& feed_;
  Duration offline_after_;
  std::shared_ptr<spdlog::logger> log_;
  std::map<std::string, store::AgentRow> agents_;
  // Last-seen time last written per unit (liveness is persisted coarsely).
  std::map<std::string, Time> persisted_seen_;
  std::vector<std::string> dirty_;
  // The sequence numbers of fresh envelopes seen per unit: all up to
  // `contiguous`, and those above it in `ahead` (bounded: a gap that never
  // fills is given up after kMaxAhead later numbers).
  struct SeenSequences {
    uint64_t contiguous = 0;
    std::set<uint64_t> ahead;
  };
  static constexpr size_t kMaxAhead = 4096;
  std::map<std::string, SeenSequences, std::less<>> seen_;
  bool flush_registered_ = false;
  std::function<void(const std::string&, bool)> on_change_;
};

}  // namespace anding::dispatcher

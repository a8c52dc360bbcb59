// Each agent's clock as the dispatcher measures it, and when each message
// it sends is judged to have been filed.
//
// The measurement (see anding/common/clock_offset.h for the arithmetic):
//   1. the agent's heartbeat carries T1, its clock when sending;
//   2. the dispatcher answers with T1 copied and T2 (received) and T3
//      (answered) from its own clock, and remembers the exchange;
//   3. the agent's next heartbeat echoes T1, T2, T3 with T4 (its clock when
//      the answer arrived). An echo whose T1–T3 are not an exchange the
//      dispatcher remembers is ignored, so an agent cannot invent the
//      dispatcher's side; the estimate keeps the shortest round trip of
//      the last eight exchanges, so queueing delays and a single outlier
//      do not move it (ClockOffsetEstimator).
// Agents of earlier versions send no T1: their offset stays unknown, their
// times are taken as they are (within the bounds of JudgeFilingTime).
//
// Beyond `threshold` (either way) a `clock_offset` alert is raised once;
// when the estimate comes back within it, an info alert of the same kind
// says so and closes the episode.
//
// Filing times: Judge() applies JudgeFilingTime with, as `not_before`, the
// later of (a) the receipt of the latest heartbeat that showed a highest
// sequence below the message's, less a second (or the best round trip, if
// longer) for that heartbeat's transit, and (b) the judged filing time of
// the agent's last message with a lower sequence.
//
// The estimates are kept with the agents' rows (OnEstimate, Restore), so a
// restarted dispatcher corrects an agent's backlog before new exchanges;
// the rest (exchanges in flight, heartbeats' sequences) is in memory.
// Thread-safety: io_context thread only.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "anding/common/clock_offset.h"
#include "anding/core/effects.h"
#include "anding/v1/envelope.pb.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

class AgentClocks {
 public:
  using RaiseAlert = std::function<void(core::HqAlert alert)>;
  // Told each new estimate (to keep it across restarts).
  using OnEstimate = std::function<void(const std::string& unit_id, const ClockOffset&)>;

  AgentClocks(Duration threshold, RaiseAlert raise_alert, OnEstimate on_estimate);

  // The estimate kept from before a restart, for a unit with none yet; one
  // beyond the threshold continues its episode (no second alert).
  void Restore(const std::string& unit_id, const ClockOffset& earlier);

  // A heartbeat from `unit_id`'s agent received at `received_at` (T2).
  // Takes the echoed exchange, if any, into the estimate, notes the
  // heartbeat's highest sequence, and fills `reply` (the answer's
  // heartbeat) with T1–T3 when the agent sent T1; `replied_at` is T3.
  void OnHeartbeat(const std::string& unit_id, const v1::Heartbeat& heartbeat, Time received_at,
                   Time replied_at, v1::Heartbeat& reply);

  // When the message (`sequence`, the agent's `sent_at`) received at
  // `received_at` is judged filed; remembers it for the next message.
  [[nodiscard]] FilingTime Judge(const std::string& unit_id, uint64_t sequence, Time sent_at,
                                 Time received_at);

  // The current estimate for the unit; nullopt while unknown.
  [[nodiscard]] std::optional<ClockOffset> Estimate(const std::string& unit_id) const;
  // Whether the unit's clock is beyond the threshold (its times corrected).
  [[nodiscard]] bool Wrong(const std::string& unit_id) const;

  [[nodiscard]] Duration threshold() const { return threshold_; }

 private:
  struct Exchange {
    Time agent_sent{};
    Time received{};
    Time replied{};
  };
  struct Witness {
    Time at{};  // receipt of the heartbeat, less its possible transit
    uint64_t last_sequence = 0;
  };
  struct UnitClock {
    ClockOffsetEstimator estimator;
    // Exchanges answered and not yet echoed (the last few).
    std::deque<Exchange> answered;
    // Recent heartbeats' highest sequences, oldest first.
    std::deque<Witness> witnesses;
    // The last message judged: its sequence and filing time.
    uint64_t last_sequence = 0;
    Time last_filed{};
    bool alerting = false;
  };

  void TakeEcho(const std::string& unit_id, UnitClock& clock, const v1::ClockExchange& echo);
  void CheckThreshold(const std::string& unit_id, UnitClock& clock);

  Duration threshold_;
  RaiseAlert raise_alert_;
  OnEstimate on_estimate_;
  std::shared_ptr<spdlog::logger> log_;
  std::map<std::string, UnitClock> units_;
};

// `envelope` as the domain should see it: sent_at replaced by the judged
// filing time, and the agent's own times in the payload (when observed,
// occurred, reached a step, confirmed, acknowledged) shifted by the clock
// correction. The stored envelope stays as received.
[[nodiscard]] v1::Envelope CorrectedEnvelope(const v1::Envelope& envelope,
                                             const FilingTime& filing);

}  // namespace anding::dispatcher

// How far an agent's clock is from the dispatcher's, measured from
// heartbeats NTP-style, and how far the times an agent reports can be
// trusted.
//
// The measurement. Each heartbeat exchange gives four times: T1 (agent
// sends, agent's clock), T2 (dispatcher receives) and T3 (dispatcher
// answers, dispatcher's clock), T4 (agent receives the answer, agent's
// clock). With d the dispatcher's clock minus the agent's,
//   offset     = ((T2 − T1) + (T3 − T4)) / 2
//   round trip = (T4 − T1) − (T3 − T2)
// and whatever the split of the round trip between the two directions, the
// true d lies within offset ± round trip / 2. So link latency, however
// asymmetric, cannot make the estimate wrong by more than half the round
// trip of the exchange it comes from, and the estimator keeps the exchange
// with the SHORTEST round trip among the last `window` ones: a sample
// delayed in a queue (an outlier) has a long round trip and is not chosen.
//
// A clock that is stepped (an officer sets it, NTP catches up) makes new
// samples disagree with the old ones: their intervals (offset ± round trip
// / 2, widened by `tolerance` for drift) do not overlap the estimate's. One
// such sample is held aside, not used; when the next one agrees with it
// (and still disagrees with the estimate) the clock has stepped, the old
// samples are dropped and the new ones rule. A single wild sample therefore
// never swings the estimate, and a real step is followed after two
// heartbeats.
//
// Thread-safety: none (a value owned by one thread).
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>

#include "anding/common/status.h"
#include "anding/common/time.h"

namespace anding {

// One heartbeat exchange (see above).
struct ClockExchangeTimes {
  Time agent_sent{};           // T1, agent's clock
  Time dispatcher_received{};  // T2, dispatcher's clock
  Time dispatcher_replied{};   // T3, dispatcher's clock
  Time agent_received{};       // T4, agent's clock
};

// A measured offset: the dispatcher's clock minus the agent's (positive:
// the agent's clock is slow); right to within round_trip / 2.
struct ClockOffset {
  Duration offset{};
  Duration round_trip{};
  Time measured_at{};  // dispatcher's clock, when its exchange ended
};

// The offset and round trip of one exchange; InvalidArgument naming the
// impossibility when the times cannot come from a real exchange (the
// dispatcher answered before it received, or the round trip is negative).
[[nodiscard]] Result<ClockOffset> OffsetOf(const ClockExchangeTimes& times);

class ClockOffsetEstimator {
 public:
  // `window`: how many recent exchanges the shortest round trip is chosen
  // from (at least 1). `tolerance`: how far two samples' intervals may be
  // apart and still count as the same clock (drift between heartbeats).
  explicit ClockOffsetEstimator(size_t window = 8,
                                Duration tolerance = std::chrono::milliseconds(500));

  // Adds one exchange. InvalidArgument (nothing changes) if the times are
  // impossible (OffsetOf). OK otherwise, whether or not the sample is used.
  [[nodiscard]] Status Add(const ClockExchangeTimes& times);

  // Starts from an estimate kept from before (a restart): it counts as one
  // sample. Ignored once the estimator has samples of its own.
  void Seed(const ClockOffset& earlier);

  // The estimate: the sample with the shortest round trip among those kept;
  // nullopt before the first sample.
  [[nodiscard]] std::optional<ClockOffset> estimate() const;

  // Samples held aside as possible outliers (0 or 1).
  [[nodiscard]] size_t held_aside() const { return suspect_ ? 1 : 0; }

 private:
  [[nodiscard]] bool Agree(const ClockOffset& a, const ClockOffset& b) const;

  size_t window_;
  Duration tolerance_;
  std::deque<ClockOffset> samples_;
  std::optional<ClockOffset> suspect_;
};

// The time at which an agent's message is judged to have been filed, and
// why, when it is not simply the agent's own time.
struct FilingTime {
  Time at{};
  // Added to the agent's times (zero: none, the clock is within threshold
  // or unknown).
  Duration correction{};
  // Empty when `at` is the agent's time; otherwise which rule set it.
  std::string basis;
};

// The rule for when a message was filed at the mine:
//   1. the agent's time (sent_at), plus the measured offset when that is
//      beyond `threshold` (a clock within it is trusted as it is);
//   2. never later than `received_at` (the dispatcher had it by then);
//   3. never earlier than `not_before`: the latest instant at which the
//      link showed the message did not exist yet (a heartbeat received
//      whose highest sequence was below the message's, minus that
//      heartbeat's possible transit) or the filing time of a message the
//      agent created before it (lower sequence). A clock set back cannot
//      date a message before what the dispatcher witnessed.
// `offset` is nullopt when unknown (an agent of an earlier version).
[[nodiscard]] FilingTime JudgeFilingTime(Time sent_at, Time received_at,
                                         std::optional<Duration> offset, Duration threshold,
                                         std::optional<Time> not_before);

// "+7200s", "-0.25s": a signed offset (or correction) for people.
[[nodiscard]] std::string FormatOffset(Duration offset);

}  // namespace anding

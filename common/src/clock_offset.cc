#include "anding/common/clock_offset.h"

#include <algorithm>

#include "anding/common/strings.h"

namespace anding {

Result<ClockOffset> OffsetOf(const ClockExchangeTimes& t) {
  if (t.dispatcher_replied < t.dispatcher_received) {
    return InvalidArgumentError("clock exchange: answered (T3) before received (T2)");
  }
  const Duration round_trip =
      (t.agent_received - t.agent_sent) - (t.dispatcher_replied - t.dispatcher_received);
  if (round_trip < Duration::zero()) {
    return InvalidArgumentError("clock exchange: negative round trip");
  }
  ClockOffset sample;
  // Halved separately: the sum of two large differences could overflow.
  sample.offset =
      (t.dispatcher_received - t.agent_sent) / 2 + (t.dispatcher_replied - t.agent_received) / 2;
  sample.round_trip = round_trip;
  sample.measured_at = t.dispatcher_replied + round_trip / 2;
  return sample;
}

ClockOffsetEstimator::ClockOffsetEstimator(size_t window, Duration tolerance)
    : window_(std::max<size_t>(window, 1)), tolerance_(tolerance) {}

bool ClockOffsetEstimator::Agree(const ClockOffset& a, const ClockOffset& b) const {
  // Each true offset lies within its sample's offset ± round trip / 2.
  const Duration apart = a.offset > b.offset ? a.offset - b.offset : b.offset - a.offset;
  return apart <= a.round_trip / 2 + b.round_trip / 2 + tolerance_;
}

Status ClockOffsetEstimator::Add(const ClockExchangeTimes& times) {
  ANDING_ASSIGN_OR_RETURN(const ClockOffset sample, OffsetOf(times));
  const std::optional<ClockOffset> current = estimate();
  if (!current || Agree(sample, *current)) {
    suspect_.reset();
  } else if (!suspect_ || !Agree(sample, *suspect_)) {
    // Disagrees with the estimate and with any earlier suspect: hold it
    // aside until another sample says whether the clock stepped.
    suspect_ = sample;
    return OkStatus();
  } else {
    // Two samples in a row agree with each other and not with the
    // estimate: the agent's clock stepped; the old samples describe a
    // clock that no longer exists.
    samples_.clear();
    samples_.push_back(*suspect_);
    suspect_.reset();
  }
  samples_.push_back(sample);
  while (samples_.size() > window_) samples_.pop_front();
  return OkStatus();
}

void ClockOffsetEstimator::Seed(const ClockOffset& earlier) {
  if (samples_.empty()) samples_.push_back(earlier);
}

std::optional<ClockOffset> ClockOffsetEstimator::estimate() const {
  if (samples_.empty()) return std::nullopt;
  // The shortest round trip; among equals the most recent.
  const ClockOffset* best = &samples_.front();
  for (const ClockOffset& sample : samples_) {
    if (sample.round_trip <= best->round_trip) best = &sample;
  }
  return *best;
}

std::string FormatOffset(Duration offset) {
  const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(offset).count();
  const int64_t abs_ms = ms < 0 ? -ms : ms;
  std::string text = StrCat(ms < 0 ? "-" : "+", abs_ms / 1000);
  if (abs_ms % 1000 != 0) {
    std::string fraction = StrCat(1000 + abs_ms % 1000).substr(1);
    while (fraction.back() == '0') fraction.pop_back();
    StrAppend(text, ".", fraction);
  }
  return StrCat(text, "s");
}

FilingTime JudgeFilingTime(Time sent_at, Time received_at, std::optional<Duration> offset,
                           Duration threshold, std::optional<Time> not_before) {
  FilingTime filing;
  filing.at = sent_at;
  if (offset && (*offset > threshold || *offset < -threshold)) {
    filing.correction = *offset;
    filing.at = sent_at + *offset;
    filing.basis = StrCat("agent clock corrected by ", FormatOffset(*offset));
  }
  if (filing.at > received_at) {
    filing.at = received_at;
    filing.basis = filing.basis.empty() ? "not after its receipt"
                                        : StrCat(filing.basis, ", then not after its receipt");
  } else if (not_before && filing.at < *not_before) {
    // *not_before <= received_at always: both are the dispatcher's
    // observations, made before this message arrived.
    filing.at = std::min(*not_before, received_at);
    filing.basis =
        StrCat(filing.basis.empty() ? "" : StrCat(filing.basis, ", then "),
               "not before the link showed it did not exist yet (an earlier heartbeat or message)");
  }
  return filing;
}

}  // namespace anding

#include "agent_clocks.h"

#include <algorithm>

#include "anding/common/limits.h"
#include "anding/common/strings.h"
#include "anding/runtime/logging.h"
#include "anding/wire/codec.h"

namespace anding::dispatcher {
namespace {

// Exchanges remembered per unit until echoed: the agent echoes the last
// answer it received, so a few cover answers still in flight.
constexpr size_t kAnsweredKept = 4;
// Heartbeats' highest sequences remembered per unit. A backlog delivered
// after an outage is judged against the last heartbeat before it, which
// must still be here: heartbeats resume with the backlog, a few per
// second at most.
constexpr size_t kWitnessesKept = 64;
// A heartbeat's transit is assumed to be at most this (or the best round
// trip, if longer) when its receipt bounds a filing time from below.
constexpr Duration kMinTransitAllowance = std::chrono::seconds(1);

// An instant from the agent, if it is one the edge would accept.
std::optional<Time> SaneTime(const google::protobuf::Timestamp& t) {
  if (t.seconds() < limits::kEarliestUnixSeconds || t.seconds() >= limits::kLatestUnixSeconds ||
      t.nanos() < 0 || t.nanos() >= 1'000'000'000) {
    return std::nullopt;
  }
  return wire::FromProto(t);
}

// "7200s": an offset's size, its sign said in words.
std::string Seconds(Duration d) { return FormatOffset(d < Duration::zero() ? -d : d).substr(1); }

}  // namespace

AgentClocks::AgentClocks(Duration threshold, RaiseAlert raise_alert, OnEstimate on_estimate)
    : threshold_(threshold),
      raise_alert_(std::move(raise_alert)),
      on_estimate_(std::move(on_estimate)),
      log_(runtime::GetLogger("agents")) {}

void AgentClocks::Restore(const std::string& unit_id, const ClockOffset& earlier) {
  UnitClock& clock = units_[unit_id];
  if (clock.estimator.estimate()) return;  // measured since: fresher
  clock.estimator.Seed(earlier);
  clock.alerting = earlier.offset > threshold_ || earlier.offset < -threshold_;
}

void AgentClocks::OnHeartbeat(const std::string& unit_id, const v1::Heartbeat& heartbeat,
                              Time received_at, Time replied_at, v1::Heartbeat& reply) {
  UnitClock& clock = units_[unit_id];
  if (heartbeat.has_exchange()) TakeEcho(unit_id, clock, heartbeat.exchange());

  Duration transit = kMinTransitAllowance;
  if (auto estimate = clock.estimator.estimate()) transit = std::max(transit, estimate->round_trip);
  clock.witnesses.push_back(Witness{received_at - transit, heartbeat.last_sequence()});
  while (clock.witnesses.size() > kWitnessesKept) clock.witnesses.pop_front();

  if (!heartbeat.has_sent_at()) return;  // an agent that does not measure
  const std::optional<Time> agent_sent = SaneTime(heartbeat.sent_at());
  if (!agent_sent) return;
  clock.answered.push_back(Exchange{*agent_sent, received_at, replied_at});
  while (clock.answered.size() > kAnsweredKept) clock.answered.pop_front();
  v1::ClockExchange* exchange = reply.mutable_exchange();
  *exchange->mutable_agent_sent_at() = heartbeat.sent_at();
  *exchange->mutable_dispatcher_received_at() = wire::ToProto(received_at);
  *exchange->mutable_dispatcher_replied_at() = wire::ToProto(replied_at);
}

void AgentClocks::TakeEcho(const std::string& unit_id, UnitClock& clock,
                           const v1::ClockExchange& echo) {
  const auto t1 = SaneTime(echo.agent_sent_at());
  const auto t2 = SaneTime(echo.dispatcher_received_at());
  const auto t3 = SaneTime(echo.dispatcher_replied_at());
  const auto t4 = SaneTime(echo.agent_received_at());
  if (!t1 || !t2 || !t3 || !t4) return;
  // Only an exchange this dispatcher answered counts, and only once.
  auto it = std::find_if(clock.answered.begin(), clock.answered.end(), [&](const Exchange& e) {
    return e.agent_sent == *t1 && e.received == *t2 && e.replied == *t3;
  });
  if (it == clock.answered.end()) return;
  clock.answered.erase(it);
  if (Status status = clock.estimator.Add(ClockExchangeTimes{*t1, *t2, *t3, *t4}); !status.ok()) {
    log_->debug("agent {}: clock exchange ignored: {}", unit_id, status.message());
    return;
  }
  CheckThreshold(unit_id, clock);
  if (on_estimate_) on_estimate_(unit_id, *clock.estimator.estimate());
}

void AgentClocks::CheckThreshold(const std::string& unit_id, UnitClock& clock) {
  const std::optional<ClockOffset> estimate = clock.estimator.estimate();
  if (!estimate) return;
  const bool wrong = estimate->offset > threshold_ || estimate->offset < -threshold_;
  if (wrong == clock.alerting) return;
  clock.alerting = wrong;
  const std::string offset = FormatOffset(estimate->offset);
  const std::string direction = estimate->offset > Duration::zero() ? "slow" : "fast";
  if (wrong) {
    log_->warn("agent {}: clock is {} {} (measured to within {}); its times are corrected", unit_id,
               Seconds(estimate->offset), direction, FormatDuration(estimate->round_trip / 2));
    raise_alert_(core::HqAlert{
        core::HqAlert::Severity::kWarning, "clock_offset", unit_id, unit_id,
        StrCat("单位 ", unit_id, " 的时钟偏差 ", offset, "（", direction, "，超过阈值 ",
               FormatDuration(threshold_), "）：其上报时间已按测得偏差校正 / clock of ", unit_id,
               " is ", Seconds(estimate->offset), " ", direction,
               "; the times it reports are corrected")});
  } else {
    log_->info("agent {}: clock back within {} (offset {})", unit_id, FormatDuration(threshold_),
               offset);
    raise_alert_(core::HqAlert{
        core::HqAlert::Severity::kInfo, "clock_offset", unit_id, unit_id,
        StrCat("单位 ", unit_id, " 的时钟已恢复正常（偏差 ", offset, "） / clock of ", unit_id,
               " is back within ", FormatDuration(threshold_), " (offset ", offset, ")")});
  }
}

FilingTime AgentClocks::Judge(const std::string& unit_id, uint64_t sequence, Time sent_at,
                              Time received_at) {
  UnitClock& clock = units_[unit_id];
  std::optional<Time> not_before;
  for (auto it = clock.witnesses.rbegin(); it != clock.witnesses.rend(); ++it) {
    if (it->last_sequence < sequence) {
      not_before = it->at;
      break;
    }
  }
  if (clock.last_sequence != 0 && clock.last_sequence < sequence) {
    not_before = not_before ? std::max(*not_before, clock.last_filed) : clock.last_filed;
  }
  std::optional<Duration> offset;
  if (auto estimate = clock.estimator.estimate()) offset = estimate->offset;
  FilingTime filing = JudgeFilingTime(sent_at, received_at, offset, threshold_, not_before);
  if (sequence > clock.last_sequence) {
    clock.last_sequence = sequence;
    clock.last_filed = filing.at;
  }
  return filing;
}

v1::Envelope CorrectedEnvelope(const v1::Envelope& envelope, const FilingTime& filing) {
  v1::Envelope corrected = envelope;
  *corrected.mutable_sent_at() = wire::ToProto(filing.at);
  if (filing.correction == Duration::zero()) return corrected;
  auto shift = [&](bool present, google::protobuf::Timestamp* t) {
    if (!present) return;
    const Time shifted = wire::FromProto(*t) + filing.correction;
    // A shift cannot leave the window the edge accepts; clamp if it would.
    const Time earliest = FromUnixMicros(limits::kEarliestUnixSeconds * 1'000'000);
    const Time latest = FromUnixMicros(limits::kLatestUnixSeconds * 1'000'000 - 1);
    *t = wire::ToProto(std::clamp(shifted, earliest, latest));
  };
  switch (corrected.payload_case()) {
    case v1::Envelope::kEarlyWarning: {
      auto* p = corrected.mutable_early_warning();
      shift(p->has_observed_at(), p->mutable_observed_at());
      break;
    }
    case v1::Envelope::kIncidentReport: {
      auto* p = corrected.mutable_incident_report();
      shift(p->has_occurred_at(), p->mutable_occurred_at());
      break;
    }
    case v1::Envelope::kIncidentStatus: {
      auto* p = corrected.mutable_incident_status();
      shift(p->has_at(), p->mutable_at());
      break;
    }
    case v1::Envelope::kLedgerCloseOut: {
      auto* p = corrected.mutable_ledger_close_out();
      shift(p->has_confirmed_at(), p->mutable_confirmed_at());
      break;
    }
    case v1::Envelope::kOrderAcknowledgement: {
      auto* p = corrected.mutable_order_acknowledgement();
      shift(p->has_acknowledged_at(), p->mutable_acknowledged_at());
      break;
    }
    case v1::Envelope::kNotificationAcknowledgement: {
      auto* p = corrected.mutable_notification_acknowledgement();
      shift(p->has_acknowledged_at(), p->mutable_acknowledged_at());
      break;
    }
    default:
      break;
  }
  return corrected;
}

std::optional<ClockOffset> AgentClocks::Estimate(const std::string& unit_id) const {
  auto it = units_.find(unit_id);
  if (it == units_.end()) return std::nullopt;
  return it->second.estimator.estimate();
}

bool AgentClocks::Wrong(const std::string& unit_id) const {
  auto it = units_.find(unit_id);
  return it != units_.end() && it->second.alerting;
}

}  // namespace anding::dispatcher

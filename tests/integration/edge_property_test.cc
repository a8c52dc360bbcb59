// The edge's promise as a property: no single envelope, however wrong, can
// hurt another one. Many candidates — real envelopes of every kind, first
// with one known limit broken each, then with random mutations
// (out-of-range numbers, huge and tiny times, invalid UTF-8, unknown enum
// values, empty required fields, unknown ids, broken bytes) — are each sent
// in one frame together with 999 good envelopes, against the real
// dispatcher over loopback. Every good envelope must be stored and
// acknowledged, the candidate must be answered (ack or nack), and no commit
// may fail.
//
// Seeded and deterministic in what it sends; the run time is bounded by
// the number of candidates.
#include <gmock/gmock.h>
#include <google/protobuf/stubs/logging.h>
#include <gtest/gtest.h>

#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "anding/cli/operator_client.h"
#include "anding/cli/operator_config.h"
#include "anding/common/limits.h"
#include "anding/common/strings.h"
#include "anding/wire/encoding.h"
#include "anding/wire/summaries.h"
#include "anding/wire/validation.h"
#include "support/cluster.h"
#include "support/message_mutator.h"
#include "support/raw_agent.h"
#include "support/sample_messages.h"

namespace anding::testing {
namespace {

using std::chrono::seconds;

constexpr uint64_t kSeed = 20261127;
constexpr int kCandidates = 60;
constexpr int kGoodPerFrame = wire::kMaxEnvelopesPerFrame - 1;

// A candidate: `envelope` changed in one to three ways (or left alone now
// and then) by the shared MessageMutator, or losing its payload, and its
// encoding, cut short or with a byte flipped now and then.
std::string MakeCandidate(v1::Envelope& envelope, MessageMutator& mutator) {
  const int changes = mutator.Pick(8) == 0 ? 0 : 1 + mutator.Pick(3);
  bool break_bytes = false;
  for (int i = 0; i < changes; ++i) {
    switch (mutator.Pick(12)) {
      case 0:
        envelope.clear_payload();
        break;
      case 1:
        break_bytes = true;
        break;
      default:
        mutator.Mutate(envelope);
        break;
    }
  }
  std::string bytes = wire::Encode(envelope);
  if (break_bytes && !bytes.empty()) {
    const auto at = static_cast<size_t>(mutator.Pick(static_cast<int>(bytes.size())));
    if (mutator.Pick(2) == 0) {
      bytes.resize(at);
    } else {
      bytes[at] = static_cast<char>(bytes[at] ^ (1 + mutator.Pick(255)));
    }
  }
  return bytes;
}

// Whether an encoded envelope is a control message the link takes without
// an ack or a nack (a heartbeat is answered with one, ack and nack with
// nothing).
enum class Control { kNone, kHeartbeat, kSilent };

Control ControlKind(const std::string& bytes) {
  v1::Envelope envelope;
  v1::NackReason reason = v1::NACK_REASON_UNSPECIFIED;
  if (!wire::Decode(bytes, envelope).ok() || !wire::ValidateEnvelope(envelope, &reason).ok() ||
      wire::IsDurablePayload(envelope)) {
    return Control::kNone;
  }
  if (envelope.unit_id() != "" && envelope.unit_id() != "mine-3") return Control::kNone;
  return envelope.has_heartbeat() ? Control::kHeartbeat : Control::kSilent;
}

// The first candidates break one known limit each, so that every kind of
// mistake is sent whatever the random ones turn out to be: each takes the
// sample envelope of its payload kind and changes it.
struct Directed {
  v1::Envelope::PayloadCase kind;
  std::function<void(v1::Envelope&)> change;
};

google::protobuf::Timestamp Seconds(int64_t unix_seconds, int32_t nanos = 0) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(unix_seconds);
  ts.set_nanos(nanos);
  return ts;
}

std::vector<Directed> DirectedCandidates() {
  using E = v1::Envelope;
  constexpr int64_t kYear1 = -62'135'596'800;
  constexpr int64_t kYear9999 = 253'402'300'799;
  constexpr uint32_t kU32Max = std::numeric_limits<uint32_t>::max();
  return {
      {E::kVisitRecord, [](E& e) { e.set_sequence(uint64_t{1} << 63); }},
      {E::kEarlyWarning, [](E& e) { e.set_sequence(std::numeric_limits<uint64_t>::max()); }},
      {E::kDailyReport, [](E& e) { *e.mutable_sent_at() = Seconds(kYear1); }},
      {E::kVisitRecord, [](E& e) { *e.mutable_sent_at() = Seconds(kYear9999); }},
      {E::kVisitRecord, [](E& e) { *e.mutable_sent_at() = Seconds(1'795'000'000, -1); }},
      {E::kEarlyWarning, [](E& e) { e.mutable_early_warning()->set_persons(kU32Max); }},
      {E::kEarlyWarning,
       [](E& e) { *e.mutable_early_warning()->mutable_observed_at() = Seconds(kYear1); }},
      {E::kEarlyWarning, [](E& e) { e.mutable_early_warning()->set_summary("bad \xC0\xAF"); }},
      {E::kEarlyWarning,
       [](E& e) { e.mutable_early_warning()->set_level(static_cast<v1::RiskLevel>(99)); }},
      {E::kEarlyWarning, [](E& e) { e.mutable_early_warning()->set_category_id("no-such"); }},
      {E::kIncidentReport, [](E& e) { e.mutable_incident_report()->set_persons(kU32Max); }},
      {E::kIncidentReport,
       [](E& e) { *e.mutable_incident_report()->mutable_occurred_at() = Seconds(kYear9999); }},
      {E::kIncidentStatus, [](E& e) { e.mutable_incident_status()->set_incident_id(""); }},
      {E::kLedgerRegister,
       [](E& e) { *e.mutable_ledger_register()->mutable_deadline() = Seconds(kYear1); }},
      {E::kLedgerUpdate,
       [](E& e) { e.mutable_ledger_update()->set_ledger_item_id("TZ-1999-9999"); }},
      {E::kExpenseReport,
       [](E& e) {
         e.mutable_expense_report()->set_amount_fen(std::numeric_limits<int64_t>::max());
       }},
      {E::kExpenseReport,
       [](E& e) {
         e.mutable_expense_report()->set_amount_fen(std::numeric_limits<int64_t>::min());
       }},
      {E::kExpenseReport, [](E& e) { e.mutable_expense_report()->set_incident_id("INC-nope"); }},
      {E::kDailyReport, [](E& e) { e.mutable_daily_report()->set_day("9999-12-31"); }},
      {E::kVisitRecord, [](E& e) { e.mutable_visit_record()->set_persons(kU32Max); }},
      {E::kScreeningReport,
       [](E& e) { e.mutable_screening_report()->mutable_period()->set_year(65535); }},
  };
}

// A good envelope that every dispatcher stores: a visit record, or now and
// then an early warning (which the ledger applies).
v1::Envelope Good(IdGenerator& ids, uint64_t sequence, Time now) {
  v1::Envelope e;
  e.set_message_id(ids.Next());
  e.set_unit_id("mine-3");
  e.set_sequence(sequence);
  *e.mutable_sent_at() = wire::ToProto(now);
  e.set_schema_version(wire::kSchemaVersion);
  if (sequence % 100 == 0) {
    auto* w = e.mutable_early_warning();
    w->set_summary("职工反映补偿金问题");
    w->set_category_id("labour-contract-compensation");
    w->set_persons(5);
    return e;
  }
  auto* v = e.mutable_visit_record();
  v->set_day(FormatDay(TimeZone::Shanghai().DayOf(now)));
  v->set_batches(1);
  v->set_persons(2);
  v->set_channel("walk-in");
  return e;
}

TEST(EdgePropertyTest, NoSingleEnvelopeHurtsTheOthersInItsFrame) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  Cluster cluster("edge-property", options);
  cluster.StartDispatcher();
  zmq::context_t context(1);
  RawAgent agent(context, cluster.LinkEndpoint(), cluster.DispatcherPublicKey(),
                 cluster.AgentPublicKey("mine-3"), cluster.AgentSecretKey("mine-3"));

  // Protobuf logs every string that is not valid UTF-8 as it encodes it.
  google::protobuf::LogSilencer quiet;
  const Clock& clock = cluster.clock();
  UuidV7Generator ids(clock);
  MessageMutator mutator(kSeed);
  std::mt19937_64 random(kSeed);
  uint64_t sequence = 1;
  int64_t stored_candidates = 0;
  std::map<std::string, int> verdicts;  // how the candidates were answered
  const std::vector<Directed> directed = DirectedCandidates();
  for (int round = 0; round < kCandidates; ++round) {
    const Time now = clock.Now();
    const auto samples = SampleEnvelopes("mine-3", now, ids);
    v1::Envelope candidate = samples[static_cast<size_t>(round) % samples.size()];
    std::string candidate_bytes;
    if (static_cast<size_t>(round) < directed.size()) {
      const Directed& change = directed[static_cast<size_t>(round)];
      for (const auto& sample : samples) {
        if (sample.payload_case() == change.kind) candidate = sample;
      }
      candidate.set_sequence(sequence++);
      change.change(candidate);
      candidate_bytes = wire::Encode(candidate);
    } else {
      candidate.set_sequence(sequence++);  // unless the mutator changes it
      candidate_bytes = MakeCandidate(candidate, mutator);
    }
    const size_t at = std::uniform_int_distribution<size_t>(0, kGoodPerFrame)(random);

    std::set<std::string> good;
    std::string frame;
    for (int i = 0; i <= kGoodPerFrame; ++i) {
      if (static_cast<size_t>(i) == at) {
        wire::AppendEnvelope(frame, candidate_bytes);
        continue;
      }
      v1::Envelope envelope = Good(ids, sequence++, now);
      good.insert(envelope.message_id());
      wire::AppendEnvelope(frame, wire::Encode(envelope));
    }
    ASSERT_TRUE(agent.SendBytes(frame));

    // What the candidate must get: an ack or a nack — unless it decodes as
    // a control message, which is never acknowledged (a heartbeat is
    // answered with one).
    const Control control = ControlKind(candidate_bytes);
    std::set<std::string> acked;
    std::vector<v1::Envelope> others;  // answers that are not for a good envelope
    int heartbeats = 0;
    auto answered = [&] {
      if (acked.size() < good.size()) return false;
      switch (control) {
        case Control::kNone:
          return !others.empty();
        case Control::kHeartbeat:
          return heartbeats > 0;
        case Control::kSilent:
          return true;
      }
      return true;
    };
    const auto deadline = std::chrono::steady_clock::now() + seconds(30);
    while (!answered() && std::chrono::steady_clock::now() < deadline) {
      auto answer = agent.Receive(std::chrono::milliseconds(200));
      if (!answer) continue;
      for (const auto& envelope : answer->envelopes()) {
        if (envelope.has_heartbeat()) ++heartbeats;
        if (!envelope.has_ack() && !envelope.has_nack()) continue;
        const std::string& id =
            envelope.has_ack() ? envelope.ack().message_id() : envelope.nack().message_id();
        if (good.count(id) == 0) {
          others.push_back(envelope);
          continue;
        }
        ASSERT_TRUE(envelope.has_ack())
            << "round " << round << ": a good envelope was refused because of "
            << candidate.ShortDebugString() << ": " << envelope.ShortDebugString();
        acked.insert(id);
      }
    }
    ASSERT_EQ(acked.size(), good.size())
        << "round " << round << ": good envelopes not acknowledged with the candidate "
        << candidate.ShortDebugString();
    if (control != Control::kNone) {
      EXPECT_TRUE(others.empty()) << "round " << round << ": a control message was answered";
      EXPECT_EQ(heartbeats > 0, control == Control::kHeartbeat) << "round " << round;
      ++verdicts[control == Control::kHeartbeat ? "heartbeat" : "control, unanswered"];
      continue;
    }
    ASSERT_EQ(others.size(), 1u) << "round " << round << ": the candidate "
                                 << candidate.ShortDebugString() << " must be answered once";
    if (others[0].has_ack()) ++stored_candidates;
    ++verdicts[others[0].has_ack() ? "ACK" : v1::NackReason_Name(others[0].nack().reason())];
  }
  std::string tally;
  for (const auto& [verdict, count] : verdicts) StrAppend(tally, " ", verdict, "=", count);
  std::cout << "candidates answered:" << tally << "\n";

  // Every good envelope and every acknowledged candidate is stored; no
  // commit failed, so no storage alert was raised.
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM events"),
            int64_t{kCandidates} * kGoodPerFrame + stored_candidates);
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM alerts WHERE kind = 'storage_failure'"),
            0);
  EXPECT_THAT(cluster.dispatcher()->Stderr(), ::testing::Not(::testing::HasSubstr("STORAGE")));
  EXPECT_TRUE(cluster.DispatcherRunning());
}

}  // namespace
}  // namespace anding::testing

namespace anding::testing {
namespace {

// Operator requests are held to the same ranges at the operator API: an
// out-of-range value is refused before any module sees it, naming the field.
TEST(EdgeOperatorTest, OutOfRangeValuesAreRefusedAtTheOperatorApiNamingTheField) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  Cluster cluster("edge-operator", options);
  cluster.StartDispatcher();
  auto config = cli::LoadOperatorConfig(cluster.OperatorConfig());
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  cli::OperatorClient client(*config);

  v1::OperatorRequest transfer;
  auto* t = transfer.mutable_create_transfer();
  t->set_id("t-1");
  t->set_debit_account_id("pool");
  t->set_credit_account_id("reserve/mine-3");
  t->set_amount_fen(limits::kMaxAmountFen + 1);
  t->set_code("top_up");
  t->set_reason("too much");
  auto answer = client.Call(transfer);
  EXPECT_EQ(answer.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(answer.status().message(),
              ::testing::HasSubstr("create_transfer.amount_fen: must be at most"));

  v1::OperatorRequest incident;
  for (const auto& sample : SampleOperatorRequests(cluster.clock().Now())) {
    if (sample.has_report_incident()) incident = sample;
  }
  incident.set_request_id("");  // a fresh one from the client
  incident.mutable_report_incident()->mutable_reported_at()->set_seconds(253'402'300'799);
  answer = client.Call(incident);
  EXPECT_EQ(answer.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(answer.status().message(),
              ::testing::HasSubstr("report_incident.reported_at: must be from 2000-01-01"));

  // Refused at the edge: no module ran the command, so nothing was audited.
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM audit_log"), 0);
  // The same request within range is served.
  incident.mutable_report_incident()->clear_reported_at();
  answer = client.Call(incident);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_TRUE(answer->has_incident());
}

}  // namespace
}  // namespace anding::testing

#include "anding/wire/codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "anding/common/ids.h"
#include "anding/common/limits.h"

namespace anding::wire {
namespace {

using ::testing::HasSubstr;

v1::Envelope ValidWarning() {
  v1::Envelope e;
  e.set_message_id("01a21c4d-c016-7000-ac3d-3e322ec50891");
  e.set_unit_id("mine-3");
  e.set_sequence(7);
  *e.mutable_sent_at() = ToProto(FromUnixMicros(1'795'000'000'000'000));
  e.set_schema_version(kSchemaVersion);
  auto* w = e.mutable_early_warning();
  w->set_summary("退休职工酝酿集体上访");
  w->set_category_id("retiree-management");
  w->set_persons(12);
  w->set_level(v1::RISK_LEVEL_HIGH);
  w->set_major(true);
  w->mutable_destination()->set_region_id("beijing");
  return e;
}

v1::NackReason Reason(const v1::Envelope& e) {
  v1::NackReason reason = v1::NACK_REASON_UNSPECIFIED;
  (void)ValidateEnvelope(e, &reason);
  return reason;
}

TEST(CodecTest, EnvelopeRoundTripsThroughAFrame) {
  v1::Frame frame;
  *frame.add_envelopes() = ValidWarning();
  *frame.add_envelopes() = ValidWarning();
  frame.mutable_envelopes(1)->set_sequence(8);
  const std::string bytes = Encode(frame);
  auto decoded = DecodeFrame(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_EQ(decoded->envelopes_size(), 2);
  EXPECT_TRUE(SameContent(decoded->envelopes(0), frame.envelopes(0)));
  EXPECT_EQ(decoded->envelopes(0).early_warning().summary(), "退休职工酝酿集体上访");
  EXPECT_EQ(FromProto(decoded->envelopes(0).sent_at()), FromUnixMicros(1'795'000'000'000'000));
  EXPECT_EQ(Encode(*decoded), bytes) << "encoding must be deterministic";
}

TEST(CodecTest, RejectsEmptyTruncatedOversizedAndUnknownFields) {
  EXPECT_FALSE(DecodeFrame("").ok());
  v1::Frame frame;
  *frame.add_envelopes() = ValidWarning();
  const std::string bytes = Encode(frame);
  EXPECT_FALSE(DecodeFrame(bytes.substr(0, bytes.size() - 3)).ok());
  EXPECT_THAT(DecodeFrame(std::string(kMaxFrameBytes + 1, '\0')).status().message(),
              HasSubstr("exceeds the limit"));
  EXPECT_THAT(DecodeFrame(Encode(v1::Frame())).status().message(), HasSubstr("empty message"));
  // Field 99 of the envelope is unknown to this build: a varint with value 1.
  std::string unknown = Encode(ValidWarning());
  unknown += std::string("\x98\x06\x01", 3);
  v1::Envelope envelope;
  EXPECT_THAT(Decode(unknown, envelope).message(),
              HasSubstr("unknown fields in anding.v1.Envelope"));
}

// Field 99 (varint 1) added to the unknown fields of `message`.
void AddUnknownField(google::protobuf::Message& message) {
  message.GetReflection()->MutableUnknownFields(&message)->AddVarint(99, 1);
}

TEST(CodecTest, UnknownFieldsAreFoundAtAnyDepth) {
  v1::Envelope envelope;
  auto in_payload = ValidWarning();  // a member of the payload oneof
  AddUnknownField(*in_payload.mutable_early_warning());
  EXPECT_THAT(Decode(Encode(in_payload), envelope).message(),
              HasSubstr("unknown fields in anding.v1.EarlyWarning"));
  auto in_place = ValidWarning();  // a message field of the payload
  AddUnknownField(*in_place.mutable_early_warning()->mutable_destination());
  EXPECT_THAT(Decode(Encode(in_place), envelope).message(),
              HasSubstr("unknown fields in anding.v1.Place"));
  auto in_time = ValidWarning();  // a message field outside any oneof
  AddUnknownField(*in_time.mutable_sent_at());
  EXPECT_THAT(Decode(Encode(in_time), envelope).message(),
              HasSubstr("unknown fields in google.protobuf.Timestamp"));
  v1::Frame frame;  // the second element of a repeated field
  *frame.add_envelopes() = ValidWarning();
  *frame.add_envelopes() = in_payload;
  EXPECT_THAT(DecodeFrame(Encode(frame)).status().message(),
              HasSubstr("unknown fields in anding.v1.EarlyWarning"));
  v1::Frame clean;
  *clean.add_envelopes() = ValidWarning();
  v1::Frame decoded;
  EXPECT_TRUE(Decode(Encode(clean), decoded).ok());
}

TEST(CodecTest, AppendEnvelopeBuildsTheFrameThatSplitFrameTakesApart) {
  v1::Frame frame;
  *frame.add_envelopes() = ValidWarning();
  *frame.add_envelopes() = ValidWarning();
  frame.mutable_envelopes(1)->set_sequence(8);
  // An envelope over 127 bytes, so that its length takes two varint bytes.
  frame.mutable_envelopes(1)->mutable_early_warning()->set_details(std::string(300, 'x'));
  std::string bytes;
  for (const auto& envelope : frame.envelopes()) AppendEnvelope(bytes, Encode(envelope));
  EXPECT_EQ(bytes, Encode(frame));
  auto parts = SplitFrame(bytes);
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[1], Encode(frame.envelopes(1)));
}

TEST(CodecTest, TooManyEnvelopesInOneFrame) {
  v1::Frame frame;
  for (int i = 0; i <= kMaxEnvelopesPerFrame; ++i) *frame.add_envelopes() = ValidWarning();
  EXPECT_THAT(DecodeFrame(Encode(frame)).status().message(), HasSubstr("the limit of 1000"));
}

TEST(CodecTest, SplitFrameGivesEachEnvelopeExactlyAsEncoded) {
  v1::Frame frame;
  *frame.add_envelopes() = ValidWarning();
  *frame.add_envelopes() = ValidWarning();
  frame.mutable_envelopes(1)->set_sequence(8);
  const std::string bytes = Encode(frame);
  auto parts = SplitFrame(bytes);  // views into `bytes`
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 2u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ((*parts)[static_cast<size_t>(i)], Encode(frame.envelopes(i)));
  }
  EXPECT_THAT(SplitFrame(bytes.substr(0, bytes.size() - 3)).status().message(),
              HasSubstr("truncated"));
  EXPECT_THAT(SplitFrame("").status().message(), HasSubstr("empty message"));
  // Field 2 of Frame does not exist.
  EXPECT_THAT(SplitFrame(bytes + std::string("\x10\x01", 2)).status().message(),
              HasSubstr("unknown fields in anding.v1.Frame"));
  // Field 1 with the wrong wire type (varint instead of bytes).
  EXPECT_FALSE(SplitFrame(std::string("\x08\x01", 2)).ok());
  // A frame whose second envelope is garbage splits; decoding that part fails.
  const std::string good = Encode(frame.envelopes(0));
  std::string framed;
  AppendEnvelope(framed, good);
  framed += std::string("\x0a\x02\xff\xff", 4);
  auto split = SplitFrame(framed);
  ASSERT_TRUE(split.ok()) << split.status();
  ASSERT_EQ(split->size(), 2u);
  v1::Envelope first, second;
  EXPECT_TRUE(Decode((*split)[0], first).ok());
  EXPECT_FALSE(Decode((*split)[1], second).ok());
  EXPECT_FALSE(DecodeFrame(framed).ok()) << "DecodeFrame refuses the frame as a whole";
}

TEST(CodecTest, EnvelopeValidationNamesTheProblemAndTheNackReason) {
  v1::NackReason ignored;
  EXPECT_TRUE(ValidateEnvelope(ValidWarning(), &ignored).ok());
  auto e = ValidWarning();
  e.set_schema_version(2);
  EXPECT_EQ(Reason(e), v1::NACK_REASON_UNSUPPORTED_SCHEMA);
  e = ValidWarning();
  e.set_schema_version(0);
  EXPECT_EQ(Reason(e), v1::NACK_REASON_UNSUPPORTED_SCHEMA);
  e = ValidWarning();
  e.clear_payload();
  EXPECT_EQ(Reason(e), v1::NACK_REASON_UNKNOWN_PAYLOAD);
  e = ValidWarning();
  e.set_message_id("not-a-uuid");
  EXPECT_EQ(Reason(e), v1::NACK_REASON_INVALID_ARGUMENT);
  e = ValidWarning();
  e.set_sequence(0);
  EXPECT_EQ(Reason(e), v1::NACK_REASON_INVALID_ARGUMENT);
  e = ValidWarning();
  e.clear_sent_at();
  EXPECT_EQ(Reason(e), v1::NACK_REASON_INVALID_ARGUMENT);
  // Control messages need no id or sequence.
  v1::Envelope heartbeat;
  heartbeat.set_schema_version(kSchemaVersion);
  heartbeat.mutable_heartbeat();
  v1::NackReason reason;
  EXPECT_TRUE(ValidateEnvelope(heartbeat, &reason).ok());
}

TEST(CodecTest, PayloadValidation) {
  EXPECT_TRUE(ValidatePayload(ValidWarning()).ok());
  auto e = ValidWarning();
  e.mutable_early_warning()->set_summary(std::string(201, 'x'));
  EXPECT_THAT(ValidatePayload(e).message(), HasSubstr("early_warning.summary: is longer than 200"));
  e = ValidWarning();
  // 200 Chinese characters are 600 bytes but within the limit.
  std::string chinese;
  for (int i = 0; i < 200; ++i) chinese += "稳";
  e.mutable_early_warning()->set_summary(chinese);
  EXPECT_TRUE(ValidatePayload(e).ok());

  v1::Envelope incident;
  auto* r = incident.mutable_incident_report();
  r->set_type(v1::INCIDENT_TYPE_GROUP_PETITION);
  r->mutable_place()->set_region_id("zhengzhou");
  r->set_persons(30);
  r->set_representatives(31);
  r->set_summary("集体上访");
  EXPECT_THAT(ValidatePayload(incident).message(), HasSubstr("representatives: exceeds persons"));
  r->set_representatives(5);
  EXPECT_TRUE(ValidatePayload(incident).ok());

  v1::Envelope screening;
  auto* s = screening.mutable_screening_report();
  s->mutable_period()->set_kind(v1::PERIOD_KIND_TEN_DAY);
  s->mutable_period()->set_year(2026);
  s->mutable_period()->set_index(11);
  s->mutable_period()->set_ten_day(3);
  EXPECT_THAT(ValidatePayload(screening).message(), HasSubstr("file a zero report"));
  s->set_zero_report(true);
  EXPECT_TRUE(ValidatePayload(screening).ok());
  s->mutable_period()->set_ten_day(4);
  EXPECT_THAT(ValidatePayload(screening).message(), HasSubstr("period.ten_day"));

  v1::Envelope expense;
  expense.mutable_expense_report()->set_incident_id("INC-20261127-001");
  expense.mutable_expense_report()->set_code("transport");
  expense.mutable_expense_report()->set_amount_fen(0);
  EXPECT_THAT(ValidatePayload(expense).message(), HasSubstr("amount_fen: must be positive"));
  expense.mutable_expense_report()->set_amount_fen(12345);
  EXPECT_TRUE(ValidatePayload(expense).ok());

  v1::Envelope visits;
  visits.mutable_visit_record()->set_day("2026-02-30");
  visits.mutable_visit_record()->set_batches(2);
  visits.mutable_visit_record()->set_persons(5);
  EXPECT_THAT(ValidatePayload(visits).message(), HasSubstr("visit_record.day"));
  visits.mutable_visit_record()->set_day("2026-02-28");
  visits.mutable_visit_record()->set_persons(1);
  EXPECT_THAT(ValidatePayload(visits).message(), HasSubstr("at least the number of batches"));

  v1::Envelope ledger;
  auto* l = ledger.mutable_ledger_register();
  l->set_category_id("other");
  l->set_description("三供一业费用争议");
  l->mutable_responsible_leader()->set_name("李矿长");
  l->mutable_responsible_leader()->set_phone("13800000000");
  l->mutable_responsible_person()->set_name("赵");
  *l->mutable_deadline() = ToProto(FromUnixMicros(1'800'000'000'000'000));
  EXPECT_THAT(ValidatePayload(ledger).message(), HasSubstr("must be E.164"));
  l->mutable_responsible_leader()->set_phone("+8613800000000");
  EXPECT_TRUE(ValidatePayload(ledger).ok());
}

// The wire holds agents to the limits the core holds every command to
// (anding/common/limits.h), counted in characters.
TEST(CodecTest, TextLimitsAreTheSharedOnes) {
  auto chinese = [](size_t n) {
    std::string text;
    for (size_t i = 0; i < n; ++i) text += "稳";
    return text;
  };
  v1::Envelope ledger;
  auto* l = ledger.mutable_ledger_register();
  l->set_category_id("other");
  l->set_description(chinese(limits::kMaxTextChars));
  l->mutable_responsible_leader()->set_name(chinese(limits::kMaxNameChars));
  l->mutable_responsible_person()->set_name("赵");
  *l->mutable_deadline() = ToProto(FromUnixMicros(1'800'000'000'000'000));
  EXPECT_TRUE(ValidatePayload(ledger).ok());
  l->set_description(chinese(limits::kMaxTextChars + 1));
  EXPECT_THAT(ValidatePayload(ledger).message(),
              HasSubstr("ledger_register.description: is longer than 4000"));
  l->set_description("三供一业费用争议");
  l->mutable_responsible_leader()->set_name(chinese(limits::kMaxNameChars + 1));
  EXPECT_THAT(ValidatePayload(ledger).message(),
              HasSubstr("ledger_register.responsible_leader.name: is longer than 100"));
}

TEST(CodecTest, KindsSummariesAndReasons) {
  EXPECT_EQ(PayloadKind(ValidWarning()), "early_warning");
  EXPECT_EQ(PayloadKind(v1::Envelope()), "");
  EXPECT_EQ(Summarize(ValidWarning()),
            "MAJOR early warning [retiree-management] 12 persons: 退休职工酝酿集体上访");
  EXPECT_EQ(NackReasonFor(FailedPreconditionError("x")), v1::NACK_REASON_FAILED_PRECONDITION);
  EXPECT_EQ(NackReasonFor(NotFoundError("x")), v1::NACK_REASON_NOT_FOUND);
  EXPECT_EQ(NackReasonFor(AlreadyExistsError("x")), v1::NACK_REASON_CONFLICT);
  EXPECT_EQ(NackReasonFor(UnavailableError("x")), v1::NACK_REASON_UNAVAILABLE);
  EXPECT_EQ(Utf8Length("鹤壁abc"), 5u);
}

TEST(CodecTest, SameContentDistinguishesRealChanges) {
  auto a = ValidWarning();
  auto b = ValidWarning();
  EXPECT_TRUE(SameContent(a, b));
  b.mutable_early_warning()->set_persons(13);
  EXPECT_FALSE(SameContent(a, b));
}

}  // namespace
}  // namespace anding::wire

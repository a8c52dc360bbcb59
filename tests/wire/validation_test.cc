// The range checks at the edge (anding/wire/validation.h): for every limit,
// a value just inside is accepted and a value just outside is refused with
// a message that names the field.
#include "anding/wire/validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "anding/common/limits.h"
#include "anding/common/strings.h"
#include "anding/wire/encoding.h"

namespace anding::wire {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr int64_t kEarliest = limits::kEarliestUnixSeconds;
constexpr int64_t kLatest = limits::kLatestUnixSeconds;

google::protobuf::Timestamp At(int64_t seconds, int32_t nanos = 0) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(seconds);
  ts.set_nanos(nanos);
  return ts;
}

v1::Envelope Base() {
  v1::Envelope e;
  e.set_message_id("01a21c4d-c016-7000-ac3d-3e322ec50891");
  e.set_unit_id("mine-3");
  e.set_sequence(7);
  *e.mutable_sent_at() = At(1'795'000'000);
  e.set_schema_version(kSchemaVersion);
  return e;
}

v1::Envelope Warning() {
  v1::Envelope e = Base();
  auto* w = e.mutable_early_warning();
  w->set_summary("退休职工酝酿集体上访");
  w->set_category_id("retiree-management");
  w->set_persons(12);
  return e;
}

v1::Envelope Incident() {
  v1::Envelope e = Base();
  auto* r = e.mutable_incident_report();
  r->set_type(v1::INCIDENT_TYPE_GROUP_PETITION);
  r->mutable_place()->set_region_id("zhengzhou");
  r->set_persons(30);
  r->set_summary("集体上访");
  return e;
}

v1::Envelope StatusUpdate() {
  v1::Envelope e = Base();
  e.mutable_incident_status()->set_incident_id("INC-20261127-001");
  e.mutable_incident_status()->set_step(v1::INCIDENT_STEP_ARRIVED);
  return e;
}

v1::Envelope Screening() {
  v1::Envelope e = Base();
  auto* period = e.mutable_screening_report()->mutable_period();
  period->set_kind(v1::PERIOD_KIND_MONTH);
  period->set_year(2026);
  period->set_index(11);
  auto* finding = e.mutable_screening_report()->add_findings();
  finding->set_category_id("retiree-management");
  finding->set_description("退休职工待遇");
  return e;
}

v1::Envelope Daily() {
  v1::Envelope e = Base();
  e.mutable_daily_report()->set_day("2026-11-27");
  e.mutable_daily_report()->set_text("平稳");
  return e;
}

v1::Envelope Register() {
  v1::Envelope e = Base();
  auto* l = e.mutable_ledger_register();
  l->set_category_id("other");
  l->set_description("三供一业费用争议");
  l->mutable_responsible_leader()->set_name("李矿长");
  l->mutable_responsible_person()->set_name("赵");
  *l->mutable_deadline() = At(1'800'000'000);
  return e;
}

v1::Envelope Update() {
  v1::Envelope e = Base();
  e.mutable_ledger_update()->set_ledger_item_id("TZ-20261127-001");
  e.mutable_ledger_update()->set_progress("已走访");
  return e;
}

v1::Envelope CloseOut() {
  v1::Envelope e = Base();
  auto* c = e.mutable_ledger_close_out();
  c->set_ledger_item_id("TZ-20261127-001");
  c->set_resolution("已补发");
  c->set_confirmed_by_leader("李矿长");
  return e;
}

v1::Envelope Visit() {
  v1::Envelope e = Base();
  e.mutable_visit_record()->set_day("2026-11-27");
  e.mutable_visit_record()->set_batches(1);
  e.mutable_visit_record()->set_persons(3);
  return e;
}

v1::Envelope Expense() {
  v1::Envelope e = Base();
  e.mutable_expense_report()->set_incident_id("INC-20261127-001");
  e.mutable_expense_report()->set_code("transport");
  e.mutable_expense_report()->set_amount_fen(12345);
  return e;
}

v1::Envelope OrderAck() {
  v1::Envelope e = Base();
  e.mutable_order_acknowledgement()->set_order_id("ORD-1");
  e.mutable_order_acknowledgement()->set_acknowledged_by("赵信访员");
  return e;
}

v1::Envelope NotificationAck() {
  v1::Envelope e = Base();
  e.mutable_notification_acknowledgement()->set_notification_id("N-1");
  return e;
}

// Both checks of one envelope, as the link runs them.
Status Validate(const v1::Envelope& e) {
  v1::NackReason reason = v1::NACK_REASON_UNSPECIFIED;
  ANDING_RETURN_IF_ERROR(ValidateEnvelope(e, &reason));
  EXPECT_EQ(reason, v1::NACK_REASON_INVALID_ARGUMENT);
  return ValidatePayload(e);
}

template <typename T>
using Setter = std::function<void(v1::Envelope&, T)>;

// `base` with `set(inside)` passes; with `set(outside)` it is refused with
// a message starting `refusal`.
template <typename T>
void ExpectLimit(const v1::Envelope& base, const Setter<T>& set, T inside, T outside,
                 std::string_view refusal) {
  v1::Envelope ok = base;
  set(ok, inside);
  EXPECT_TRUE(Validate(ok).ok()) << refusal << " with " << inside << ": "
                                 << Validate(ok).ToString();
  v1::Envelope bad = base;
  set(bad, outside);
  const Status status = Validate(bad);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << refusal << " with " << outside;
  EXPECT_THAT(status.message(), StartsWith(refusal)) << "with " << outside;
}

// A timestamp field: the first and last second of the window pass, the
// seconds either side of it do not.
void ExpectWindow(const v1::Envelope& base,
                  const std::function<google::protobuf::Timestamp*(v1::Envelope&)>& field,
                  std::string_view name) {
  const std::string refusal = StrCat(name, ": must be from 2000-01-01");
  const Setter<int64_t> set = [&](v1::Envelope& e, int64_t s) { *field(e) = At(s); };
  ExpectLimit(base, set, kEarliest, kEarliest - 1, refusal);
  ExpectLimit(base, set, kLatest - 1, kLatest, refusal);
  v1::Envelope bad = base;
  *field(bad) = At(1'795'000'000, -1);
  EXPECT_THAT(Validate(bad).message(), StartsWith(StrCat(name, ": is not a valid time")));
  bad = base;
  *field(bad) = At(-62'135'596'800);  // 0001-01-01
  EXPECT_THAT(Validate(bad).message(), StartsWith(refusal));
  bad = base;
  *field(bad) = At(253'402'300'799);  // 9999-12-31T23:59:59Z
  EXPECT_THAT(Validate(bad).message(), StartsWith(refusal));
}

TEST(ValidationTest, SequenceIsStoredAsASignedIntegerSoItStopsAtInt64Max) {
  const Setter<uint64_t> set = [](v1::Envelope& e, uint64_t v) { e.set_sequence(v); };
  ExpectLimit(Warning(), set, uint64_t{1}, uint64_t{0}, "sequence: must be 1 or more");
  ExpectLimit(Warning(), set, limits::kMaxSequence, limits::kMaxSequence + 1,
              "sequence: must be at most 9223372036854775807");
  ExpectLimit(Warning(), set, limits::kMaxSequence, ~uint64_t{0}, "sequence: must be at most");
}

TEST(ValidationTest, SentAtIsRequiredAndWithinTheWindow) {
  ExpectWindow(
      Warning(), [](v1::Envelope& e) { return e.mutable_sent_at(); }, "sent_at");
  v1::Envelope e = Warning();
  e.clear_sent_at();
  EXPECT_THAT(Validate(e).message(), StartsWith("sent_at: is required"));
  // Within the window, nanoseconds up to the last one of the second.
  e = Warning();
  *e.mutable_sent_at() = At(kLatest - 1, 999'999'999);
  EXPECT_TRUE(Validate(e).ok());
}

TEST(ValidationTest, UnitIdIsAnIdOfAtMost64Characters) {
  const Setter<size_t> set = [](v1::Envelope& e, size_t n) { e.set_unit_id(std::string(n, 'u')); };
  ExpectLimit(Warning(), set, limits::kMaxIdChars, limits::kMaxIdChars + 1,
              "unit_id: is longer than 64 characters");
  ExpectLimit(Warning(), set, size_t{1}, size_t{0}, "unit_id: is required");
}

TEST(ValidationTest, EveryInstantOfAPayloadIsWithinTheWindow) {
  ExpectWindow(
      Warning(), [](v1::Envelope& e) { return e.mutable_early_warning()->mutable_observed_at(); },
      "early_warning.observed_at");
  ExpectWindow(
      Incident(),
      [](v1::Envelope& e) { return e.mutable_incident_report()->mutable_occurred_at(); },
      "incident_report.occurred_at");
  ExpectWindow(
      StatusUpdate(), [](v1::Envelope& e) { return e.mutable_incident_status()->mutable_at(); },
      "incident_status.at");
  ExpectWindow(
      Register(), [](v1::Envelope& e) { return e.mutable_ledger_register()->mutable_deadline(); },
      "ledger_register.deadline");
  ExpectWindow(
      CloseOut(),
      [](v1::Envelope& e) { return e.mutable_ledger_close_out()->mutable_confirmed_at(); },
      "ledger_close_out.confirmed_at");
  ExpectWindow(
      OrderAck(),
      [](v1::Envelope& e) { return e.mutable_order_acknowledgement()->mutable_acknowledged_at(); },
      "order_acknowledgement.acknowledged_at");
  ExpectWindow(
      NotificationAck(),
      [](v1::Envelope& e) {
        return e.mutable_notification_acknowledgement()->mutable_acknowledged_at();
      },
      "notification_acknowledgement.acknowledged_at");
  // An unset optional instant is fine; an unset deadline is not.
  EXPECT_TRUE(Validate(Warning()).ok());
  v1::Envelope e = Register();
  e.mutable_ledger_register()->clear_deadline();
  EXPECT_THAT(Validate(e).message(), StartsWith("ledger_register.deadline: is required"));
}

TEST(ValidationTest, PersonsAreCappedWhereverTheyAreCounted) {
  constexpr uint32_t kMax = limits::kMaxPersons;
  ExpectLimit<uint32_t>(
      Warning(), [](v1::Envelope& e, uint32_t n) { e.mutable_early_warning()->set_persons(n); },
      kMax, kMax + 1, "early_warning.persons: must be at most 100000");
  ExpectLimit<uint32_t>(
      Incident(), [](v1::Envelope& e, uint32_t n) { e.mutable_incident_report()->set_persons(n); },
      kMax, kMax + 1, "incident_report.persons: must be at most 100000");
  ExpectLimit<uint32_t>(
      Incident(), [](v1::Envelope& e, uint32_t n) { e.mutable_incident_report()->set_persons(n); },
      1, 0, "incident_report.persons: must be 1 or more");
  ExpectLimit<uint32_t>(
      Incident(),
      [](v1::Envelope& e, uint32_t n) { e.mutable_incident_report()->set_representatives(n); }, 30,
      31, "incident_report.representatives: exceeds persons");
  ExpectLimit<uint32_t>(
      Screening(),
      [](v1::Envelope& e, uint32_t n) {
        e.mutable_screening_report()->mutable_findings(0)->set_persons(n);
      },
      kMax, kMax + 1, "screening_report.findings[0].persons: must be at most 100000");
  ExpectLimit<uint32_t>(
      Register(), [](v1::Envelope& e, uint32_t n) { e.mutable_ledger_register()->set_persons(n); },
      kMax, kMax + 1, "ledger_register.persons: must be at most 100000");
  ExpectLimit<uint32_t>(
      Update(), [](v1::Envelope& e, uint32_t n) { e.mutable_ledger_update()->set_persons(n); },
      kMax, kMax + 1, "ledger_update.persons: must be at most 100000");
  ExpectLimit<uint32_t>(
      Visit(), [](v1::Envelope& e, uint32_t n) { e.mutable_visit_record()->set_persons(n); }, kMax,
      kMax + 1, "visit_record.persons: must be at most 100000");
  ExpectLimit<uint32_t>(
      Daily(), [](v1::Envelope& e, uint32_t n) { e.mutable_daily_report()->set_visit_persons(n); },
      kMax, kMax + 1, "daily_report.visit_persons: must be at most 100000");
}

TEST(ValidationTest, DailyCountsAndBatchesAreCapped) {
  constexpr uint32_t kMax = limits::kMaxDailyCount;
  ExpectLimit<uint32_t>(
      Daily(), [](v1::Envelope& e, uint32_t n) { e.mutable_daily_report()->set_new_warnings(n); },
      kMax, kMax + 1, "daily_report.new_warnings: must be at most 10000");
  ExpectLimit<uint32_t>(
      Daily(),
      [](v1::Envelope& e, uint32_t n) { e.mutable_daily_report()->set_items_progressed(n); }, kMax,
      kMax + 1, "daily_report.items_progressed: must be at most 10000");
  ExpectLimit<uint32_t>(
      Daily(),
      [](v1::Envelope& e, uint32_t n) {
        e.mutable_daily_report()->set_visit_batches(n);
        e.mutable_daily_report()->set_visit_persons(n);
      },
      kMax, kMax + 1, "daily_report.visit_batches: must be at most 10000");
  ExpectLimit<uint32_t>(
      Daily(),
      [](v1::Envelope& e, uint32_t n) {
        e.mutable_daily_report()->set_visit_batches(3);
        e.mutable_daily_report()->set_visit_persons(n);
      },
      3, 2, "daily_report.visit_persons: must be at least visit_batches");
  ExpectLimit<uint32_t>(
      Daily(),
      [](v1::Envelope& e, uint32_t n) {
        e.mutable_daily_report()->set_zero_report(true);
        e.mutable_daily_report()->set_new_warnings(n);
      },
      0, 1, "daily_report.zero_report: must carry zero counts");
  ExpectLimit<uint32_t>(
      Visit(),
      [](v1::Envelope& e, uint32_t n) {
        e.mutable_visit_record()->set_batches(n);
        e.mutable_visit_record()->set_persons(n);
      },
      kMax, kMax + 1, "visit_record.batches: must be at most 10000");
  ExpectLimit<uint32_t>(
      Visit(), [](v1::Envelope& e, uint32_t n) { e.mutable_visit_record()->set_batches(n); }, 1, 0,
      "visit_record.batches: must be 1 or more");
}

TEST(ValidationTest, ListsAreCapped) {
  ExpectLimit<int>(
      Incident(),
      [](v1::Envelope& e, int n) {
        for (int i = 0; i < n; ++i)
          e.mutable_incident_report()->add_involved_unit_ids(StrCat("u", i));
      },
      100, 101, "incident_report.involved_unit_ids: lists more than 100 entries");
  ExpectLimit<int>(
      Register(),
      [](v1::Envelope& e, int n) {
        for (int i = 0; i < n; ++i) e.mutable_ledger_register()->add_key_persons("张三");
      },
      200, 201, "ledger_register.key_persons: lists more than 200 entries");
  ExpectLimit<int>(
      Screening(),
      [](v1::Envelope& e, int n) {
        for (int i = 1; i < n; ++i) {
          *e.mutable_screening_report()->add_findings() = e.screening_report().findings(0);
        }
      },
      200, 201, "screening_report.findings: lists more than 200 entries");
  v1::Envelope e = Incident();
  e.mutable_incident_report()->add_involved_unit_ids("mine-6");
  e.mutable_incident_report()->add_involved_unit_ids("");
  EXPECT_THAT(Validate(e).message(),
              StartsWith("incident_report.involved_unit_ids[1]: is required"));
}

TEST(ValidationTest, MoneyIsPositiveAndAtMostTheCoresMaximum) {
  const Setter<int64_t> set = [](v1::Envelope& e, int64_t fen) {
    e.mutable_expense_report()->set_amount_fen(fen);
  };
  ExpectLimit(Expense(), set, limits::kMaxAmountFen, limits::kMaxAmountFen + 1,
              "expense_report.amount_fen: must be at most 100000000000 fen");
  ExpectLimit(Expense(), set, int64_t{1}, int64_t{0},
              "expense_report.amount_fen: must be positive");
  ExpectLimit(Expense(), set, int64_t{1}, std::numeric_limits<int64_t>::min(),
              "expense_report.amount_fen: must be positive");
  ExpectLimit(Expense(), set, int64_t{1}, std::numeric_limits<int64_t>::max(),
              "expense_report.amount_fen: must be at most");
}

TEST(ValidationTest, DaysExistAndAreWithinTheWindow) {
  const Setter<std::string> daily = [](v1::Envelope& e, std::string day) {
    e.mutable_daily_report()->set_day(day);
  };
  ExpectLimit<std::string>(Daily(), daily, "2000-01-01", "1999-12-31",
                           "daily_report.day: must be a day from 2000-01-01 to 2099-12-31");
  ExpectLimit<std::string>(Daily(), daily, "2099-12-31", "2100-01-01",
                           "daily_report.day: must be a day from");
  ExpectLimit<std::string>(Daily(), daily, "2028-02-29", "2026-02-29",
                           "daily_report.day: must be a day written YYYY-MM-DD");
  ExpectLimit<std::string>(
      Visit(), [](v1::Envelope& e, std::string day) { e.mutable_visit_record()->set_day(day); },
      "2099-12-31", "9999-12-31", "visit_record.day: must be a day from");
}

TEST(ValidationTest, PeriodsExistAndAreWithinTheWindow) {
  ExpectLimit<uint32_t>(
      Screening(),
      [](v1::Envelope& e, uint32_t year) {
        e.mutable_screening_report()->mutable_period()->set_year(year);
      },
      2000, 1999, "screening_report.period.year: must be from 2000 to 2099");
  ExpectLimit<uint32_t>(
      Screening(),
      [](v1::Envelope& e, uint32_t year) {
        e.mutable_screening_report()->mutable_period()->set_year(year);
      },
      2099, 2100, "screening_report.period.year");
  ExpectLimit<uint32_t>(
      Screening(),
      [](v1::Envelope& e, uint32_t index) {
        e.mutable_screening_report()->mutable_period()->set_index(index);
      },
      12, 13, "screening_report.period.index: must be a month 1–12");
  ExpectLimit<uint32_t>(
      Screening(),
      [](v1::Envelope& e, uint32_t index) {
        e.mutable_screening_report()->mutable_period()->set_kind(v1::PERIOD_KIND_QUARTER);
        e.mutable_screening_report()->mutable_period()->set_index(index);
      },
      4, 5, "screening_report.period.index: must be a quarter 1–4");
  ExpectLimit<int>(
      Screening(),
      [](v1::Envelope& e, int kind) {
        e.mutable_screening_report()->mutable_period()->set_kind(static_cast<v1::PeriodKind>(kind));
      },
      2, 4, "screening_report.period.kind: must be TEN_DAY, MONTH or QUARTER");
}

TEST(ValidationTest, EnumValuesMustExist) {
  ExpectLimit<int>(
      Warning(),
      [](v1::Envelope& e, int level) {
        e.mutable_early_warning()->set_level(static_cast<v1::RiskLevel>(level));
      },
      4, 5, "early_warning.level: must be LOW, MEDIUM, HIGH or CRITICAL");
  ExpectLimit<int>(
      Incident(),
      [](v1::Envelope& e, int type) {
        e.mutable_incident_report()->set_type(static_cast<v1::IncidentType>(type));
      },
      3, 4, "incident_report.type: must be GROUP_PETITION");
  ExpectLimit<int>(
      Incident(),
      [](v1::Envelope& e, int type) {
        e.mutable_incident_report()->set_type(static_cast<v1::IncidentType>(type));
      },
      1, 0, "incident_report.type: must be GROUP_PETITION");
  ExpectLimit<int>(
      StatusUpdate(),
      [](v1::Envelope& e, int step) {
        e.mutable_incident_status()->set_step(static_cast<v1::IncidentStep>(step));
      },
      5, -1, "incident_status.step: must be DEPARTED");
  ExpectLimit<int>(
      Update(),
      [](v1::Envelope& e, int level) {
        e.mutable_ledger_update()->set_level(static_cast<v1::RiskLevel>(level));
      },
      1, 99, "ledger_update.level: must be LOW");
  ExpectLimit<int>(
      Screening(),
      [](v1::Envelope& e, int level) {
        e.mutable_screening_report()->mutable_findings(0)->set_level(
            static_cast<v1::RiskLevel>(level));
      },
      0, 5, "screening_report.findings[0].level: must be LOW");
}

TEST(ValidationTest, TextIsValidUtf8WithinItsLengthInCharacters) {
  const Setter<std::string> summary = [](v1::Envelope& e, std::string text) {
    e.mutable_early_warning()->set_summary(text);
  };
  std::string chinese;
  for (size_t i = 0; i < limits::kMaxLineChars; ++i) chinese += "稳";
  ExpectLimit<std::string>(Warning(), summary, chinese, chinese + "x",
                           "early_warning.summary: is longer than 200 characters");
  ExpectLimit<std::string>(Warning(), summary, "x", " \t\n", "early_warning.summary: is required");
  // Truncated, overlong, a surrogate, beyond U+10FFFF, a stray continuation.
  for (const char* bad : {"稳\xE7\xA8", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x80"}) {
    ExpectLimit<std::string>(Warning(), summary, "稳", bad,
                             "early_warning.summary: is not valid UTF-8");
  }
  ExpectLimit<std::string>(
      Register(),
      [](v1::Envelope& e, std::string name) {
        e.mutable_ledger_register()->mutable_responsible_person()->set_title(name);
      },
      "信访员", "\xFF", "ledger_register.responsible_person.title: is not valid UTF-8");
  ExpectLimit<std::string>(
      Expense(),
      [](v1::Envelope& e, std::string voucher) {
        e.mutable_expense_report()->set_voucher(voucher);
      },
      std::string(limits::kMaxNameChars, '7'), std::string(limits::kMaxNameChars + 1, '7'),
      "expense_report.voucher: is longer than 100 characters");
  // The channel, destination level and collective are words the visits
  // module knows, the representative and contact names.
  ExpectLimit<std::string>(
      Visit(),
      [](v1::Envelope& e, std::string channel) { e.mutable_visit_record()->set_channel(channel); },
      "online", "fax", "visit_record.channel: must be one of walk-in, visit, letter, phone");
  ExpectLimit<std::string>(
      Visit(),
      [](v1::Envelope& e, std::string level) {
        e.mutable_visit_record()->set_destination_level(level);
      },
      "beijing", "shanghai", "visit_record.destination_level: must be one of unit, company");
  ExpectLimit<std::string>(
      Visit(),
      [](v1::Envelope& e, std::string yes) { e.mutable_visit_record()->set_collective(yes); },
      "yes", "true", "visit_record.collective: must be one of yes, no");
  ExpectLimit<std::string>(
      Visit(),
      [](v1::Envelope& e, std::string name) { e.mutable_visit_record()->set_representative(name); },
      std::string(limits::kMaxNameChars, 'r'), std::string(limits::kMaxNameChars + 1, 'r'),
      "visit_record.representative: is longer than 100 characters");
  ExpectLimit<std::string>(
      Visit(),
      [](v1::Envelope& e, std::string contact) { e.mutable_visit_record()->set_contact(contact); },
      std::string(limits::kMaxNameChars, '1'), std::string(limits::kMaxNameChars + 1, '1'),
      "visit_record.contact: is longer than 100 characters");
  ExpectLimit<std::string>(
      StatusUpdate(),
      [](v1::Envelope& e, std::string by) { e.mutable_incident_status()->set_reported_by(by); },
      std::string(limits::kMaxNameChars, 'r'), std::string(limits::kMaxNameChars + 1, 'r'),
      "incident_status.reported_by: is longer than 100 characters");
}

TEST(ValidationTest, Utf8LengthCountsCharactersOfValidTextOnly) {
  EXPECT_EQ(Utf8Length("鹤壁abc"), 5u);
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("\xF0\x9F\x98\x80"), 1u);  // U+1F600, four bytes
  EXPECT_EQ(Utf8Length("\xE9\xB9"), std::nullopt);
  EXPECT_EQ(Utf8Length("\xC1\xBF"), std::nullopt);  // overlong '\x7f'
}

}  // namespace
}  // namespace anding::wire

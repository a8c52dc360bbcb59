#include "anding/wire/codec.h"

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "anding/common/ids.h"
#include "anding/common/limits.h"
#include "anding/common/strings.h"

namespace anding::wire {
namespace {

// Frame has one field: `repeated Envelope envelopes = 1` (wire type 2).
constexpr uint32_t kEnvelopesTag = (1 << 3) | 2;

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using limits::kMaxIdChars;
using limits::kMaxLineChars;
using limits::kMaxNameChars;
using limits::kMaxTextChars;

// Where a message type can hold messages: its message-typed fields outside
// oneofs, and the oneofs with a message-typed member. Built once per type,
// so that checking a message costs a look at each of these, not a listing
// of every field set (reflection's ListFields sorts and checks every
// has-bit: it was most of the decoding time).
struct Nesting {
  std::vector<const FieldDescriptor*> fields;
  std::vector<const google::protobuf::OneofDescriptor*> oneofs;
};

// Nesting by message type. Descriptors of generated types live as long as
// the process; each thread fills its own cache (a few entries), so no lock
// is needed.
using NestingCache =
    absl::flat_hash_map<const google::protobuf::Descriptor*, std::unique_ptr<Nesting>>;

const Nesting& NestingOf(NestingCache& cache, const google::protobuf::Descriptor* type) {
  auto& slot = cache[type];
  if (slot) return *slot;
  slot = std::make_unique<Nesting>();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        field->real_containing_oneof() == nullptr) {
      slot->fields.push_back(field);
    }
  }
  for (int i = 0; i < type->oneof_decl_count(); ++i) {
    const auto* oneof = type->oneof_decl(i);
    if (oneof->is_synthetic()) continue;  // proto3 `optional`: a field above
    for (int j = 0; j < oneof->field_count(); ++j) {
      if (oneof->field(j)->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        slot->oneofs.push_back(oneof);
        break;
      }
    }
  }
  return *slot;
}

// Depth-first search for fields this build does not know.
bool FindUnknownFields(NestingCache& cache, const Message& message, std::string* where) {
  const auto* reflection = message.GetReflection();
  if (!reflection->GetUnknownFields(message).empty()) {
    *where = message.GetDescriptor()->full_name();
    return true;
  }
  auto nested = [&](const FieldDescriptor* field) {
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        if (FindUnknownFields(cache, reflection->GetRepeatedMessage(message, field, i), where)) {
          return true;
        }
      }
      return false;
    }
    return reflection->HasField(message, field) &&
           FindUnknownFields(cache, reflection->GetMessage(message, field), where);
  };
  const Nesting& nesting = NestingOf(cache, message.GetDescriptor());
  for (const auto* field : nesting.fields) {
    if (nested(field)) return true;
  }
  for (const auto* oneof : nesting.oneofs) {
    const FieldDescriptor* field = reflection->GetOneofFieldDescriptor(message, oneof);
    if (field != nullptr && field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        nested(field)) {
      return true;
    }
  }
  return false;
}

bool FindUnknownFields(const Message& message, std::string* where) {
  thread_local NestingCache cache;
  return FindUnknownFields(cache, message, where);
}

// Units one incident report may name.
constexpr int kMaxInvolvedUnits = 100;

Status Invalid(std::string_view field, std::string_view problem) {
  return InvalidArgumentError(StrCat(field, ": ", problem));
}

Status RequireText(std::string_view field, const std::string& value, size_t max_chars) {
  if (value.empty()) return Invalid(field, "is required");
  if (Utf8Length(value) > max_chars) {
    return Invalid(field, StrCat("is longer than ", max_chars, " characters"));
  }
  return OkStatus();
}

Status LimitText(std::string_view field, const std::string& value, size_t max_chars) {
  if (Utf8Length(value) > max_chars) {
    return Invalid(field, StrCat("is longer than ", max_chars, " characters"));
  }
  return OkStatus();
}

Status CheckLevel(std::string_view field, v1::RiskLevel level) {
  if (!v1::RiskLevel_IsValid(level)) return Invalid(field, "unknown risk level");
  return OkStatus();
}

Status CheckPersons(std::string_view field, uint32_t persons) {
  if (persons > 1'000'000) return Invalid(field, "is implausibly large (over 1,000,000)");
  return OkStatus();
}

Status CheckDay(std::string_view field, const std::string& day) {
  if (!ParseDay(day).ok()) return Invalid(field, "must be a day written YYYY-MM-DD");
  return OkStatus();
}

Status CheckTimestamp(std::string_view field, const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return OkStatus();  // unset
  if (!IsSet(ts)) return Invalid(field, "is not a valid time");
  return OkStatus();
}

Status CheckPlace(std::string_view field, const v1::Place& place) {
  ANDING_RETURN_IF_ERROR(RequireText(StrCat(field, ".region_id"), place.region_id(), kMaxIdChars));
  return LimitText(StrCat(field, ".address"), place.address(), kMaxLineChars);
}

Status ValidatePeriod(const v1::Period& period) {
  switch (period.kind()) {
    case v1::PERIOD_KIND_TEN_DAY:
      if (period.ten_day() < 1 || period.ten_day() > 3) {
        return Invalid("period.ten_day", "must be 1, 2 or 3 for a ten-day period");
      }
      [[fallthrough]];
    case v1::PERIOD_KIND_MONTH:
      if (period.index() < 1 || period.index() > 12) {
        return Invalid("period.index", "must be a month 1–12");
      }
      break;
    case v1::PERIOD_KIND_QUARTER:
      if (period.index() < 1 || period.index() > 4) {
        return Invalid("period.index", "must be a quarter 1–4");
      }
      break;
    default:
      return Invalid("period.kind", "must be TEN_DAY, MONTH or QUARTER");
  }
  if (period.kind() != v1::PERIOD_KIND_TEN_DAY && period.ten_day() != 0) {
    return Invalid("period.ten_day", "is only for ten-day periods");
  }
  if (period.year() < 2000 || period.year() > 2100) {
    return Invalid("period.year", "must be between 2000 and 2100");
  }
  return OkStatus();
}

Status ValidateContact(std::string_view field, const v1::Contact& contact) {
  ANDING_RETURN_IF_ERROR(RequireText(StrCat(field, ".name"), contact.name(), kMaxNameChars));
  if (!contact.phone().empty()) {
    const auto& phone = contact.phone();
    bool ok = phone.size() >= 6 && phone.size() <= 16 && phone[0] == '+';
    for (size_t i = 1; ok && i < phone.size(); ++i) ok = phone[i] >= '0' && phone[i] <= '9';
    if (!ok) return Invalid(StrCat(field, ".phone"), "must be E.164, e.g. +8613800000000");
  }
  return LimitText(StrCat(field, ".title"), contact.title(), kMaxNameChars);
}

}  // namespace

google::protobuf::Timestamp ToProto(Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(ToUnixMicros(t));
}

Time FromProto(const google::protobuf::Timestamp& ts) {
  return FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(ts));
}

bool IsSet(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return false;
  return ts.seconds() >= google::protobuf::util::TimeUtil::kTimestampMinSeconds &&
         ts.seconds() <= google::protobuf::util::TimeUtil::kTimestampMaxSeconds &&
         ts.nanos() >= 0 && ts.nanos() < 1'000'000'000;
}

Status Decode(std::string_view bytes, Message& message, size_t max_bytes) {
  if (bytes.empty()) return InvalidArgumentError("empty message");
  if (bytes.size() > max_bytes) {
    return InvalidArgumentError(
        StrCat("message of ", bytes.size(), " bytes exceeds the limit of ", max_bytes));
  }
  google::protobuf::io::ArrayInputStream input(bytes.data(), static_cast<int>(bytes.size()));
  google::protobuf::io::CodedInputStream coded(&input);
  coded.SetRecursionLimit(32);
  if (!message.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) {
    return InvalidArgumentError(
        StrCat("not a valid ", message.GetDescriptor()->name(), " encoding"));
  }
  std::string where;
  if (FindUnknownFields(message, &where)) {
    return InvalidArgumentError(StrCat("unknown fields in ", where));
  }
  return OkStatus();
}

Result<v1::Frame> DecodeFrame(std::string_view bytes) {
  ANDING_ASSIGN_OR_RETURN(const auto parts, SplitFrame(bytes));
  v1::Frame frame;
  for (const std::string_view part : parts) {
    ANDING_RETURN_IF_ERROR(Decode(part, *frame.add_envelopes()));
  }
  return frame;
}

void AppendEnvelope(std::string& frame, std::string_view envelope) {
  using google::protobuf::io::CodedOutputStream;
  // The tag, then the length as a varint (protobuf's own writers).
  uint8_t header[10];  // two varint32s of at most 5 bytes each
  uint8_t* end = CodedOutputStream::WriteTagToArray(kEnvelopesTag, header);
  end = CodedOutputStream::WriteVarint32ToArray(static_cast<uint32_t>(envelope.size()), end);
  frame.append(reinterpret_cast<const char*>(header), static_cast<size_t>(end - header));
  frame.append(envelope);
}

Result<std::vector<std::string_view>> SplitFrame(std::string_view bytes) {
  if (bytes.empty()) return InvalidArgumentError("empty message");
  if (bytes.size() > kMaxFrameBytes) {
    return InvalidArgumentError(
        StrCat("message of ", bytes.size(), " bytes exceeds the limit of ", kMaxFrameBytes));
  }
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                               static_cast<int>(bytes.size()));
  std::vector<std::string_view> parts;
  while (true) {
    const uint32_t tag = input.ReadTag();
    if (tag == 0) {
      if (input.CurrentPosition() != static_cast<int>(bytes.size())) {
        return InvalidArgumentError("not a valid Frame encoding");
      }
      break;
    }
    if (tag != kEnvelopesTag) {
      return InvalidArgumentError(StrCat("unknown fields in anding.v1.Frame (tag ", tag, ")"));
    }
    uint32_t length = 0;
    if (!input.ReadVarint32(&length) ||
        static_cast<size_t>(input.CurrentPosition()) + length > bytes.size()) {
      return InvalidArgumentError("not a valid Frame encoding (truncated)");
    }
    parts.push_back(bytes.substr(static_cast<size_t>(input.CurrentPosition()), length));
    if (parts.size() > static_cast<size_t>(kMaxEnvelopesPerFrame)) {
      return InvalidArgumentError(
          StrCat("frame has more envelopes than the limit of ", kMaxEnvelopesPerFrame));
    }
    if (!input.Skip(static_cast<int>(length))) {
      return InvalidArgumentError("not a valid Frame encoding (truncated)");
    }
  }
  if (parts.empty()) return InvalidArgumentError("frame has no envelopes");
  return parts;
}

Status ValidateEnvelope(const v1::Envelope& envelope, v1::NackReason* reason) {
  *reason = v1::NACK_REASON_MALFORMED;
  if (envelope.schema_version() == 0 || envelope.schema_version() > kSchemaVersion) {
    *reason = v1::NACK_REASON_UNSUPPORTED_SCHEMA;
    return InvalidArgumentError(StrCat("schema_version ", envelope.schema_version(),
                                       " is not supported (this build speaks ", kSchemaVersion,
                                       ")"));
  }
  if (envelope.payload_case() == v1::Envelope::PAYLOAD_NOT_SET) {
    *reason = v1::NACK_REASON_UNKNOWN_PAYLOAD;
    return InvalidArgumentError("envelope has no payload");
  }
  if (!IsDurablePayload(envelope)) return OkStatus();  // ack / nack / heartbeat
  *reason = v1::NACK_REASON_INVALID_ARGUMENT;
  if (!IsCanonicalUuid(envelope.message_id())) {
    return Invalid("message_id", "must be a canonical lower-case UUID");
  }
  if (envelope.unit_id().empty() || envelope.unit_id().size() > kMaxIdChars) {
    return Invalid("unit_id", StrCat("is required (at most ", kMaxIdChars, " bytes)"));
  }
  if (envelope.sequence() == 0) return Invalid("sequence", "must be 1 or more");
  if (!IsSet(envelope.sent_at())) return Invalid("sent_at", "is required");
  return OkStatus();
}

Status ValidatePayload(const v1::Envelope& envelope) {
  switch (envelope.payload_case()) {
    case v1::Envelope::kEarlyWarning: {
      const auto& p = envelope.early_warning();
      ANDING_RETURN_IF_ERROR(RequireText("early_warning.summary", p.summary(), kMaxLineChars));
      ANDING_RETURN_IF_ERROR(LimitText("early_warning.details", p.details(), kMaxTextChars));
      ANDING_RETURN_IF_ERROR(
          RequireText("early_warning.category_id", p.category_id(), kMaxIdChars));
      ANDING_RETURN_IF_ERROR(CheckPersons("early_warning.persons", p.persons()));
      ANDING_RETURN_IF_ERROR(CheckLevel("early_warning.level", p.level()));
      ANDING_RETURN_IF_ERROR(CheckTimestamp("early_warning.observed_at", p.observed_at()));
      if (p.has_destination())
        ANDING_RETURN_IF_ERROR(CheckPlace("early_warning.destination", p.destination()));
      return OkStatus();
    }
    case v1::Envelope::kIncidentReport: {
      const auto& p = envelope.incident_report();
      if (p.type() == v1::INCIDENT_TYPE_UNSPECIFIED || !v1::IncidentType_IsValid(p.type())) {
        return Invalid("incident_report.type",
                       "must be GROUP_PETITION, INDIVIDUAL_EXTREME or OTHER");
      }
      ANDING_RETURN_IF_ERROR(CheckPlace("incident_report.place", p.place()));
      ANDING_RETURN_IF_ERROR(CheckTimestamp("incident_report.occurred_at", p.occurred_at()));
      if (p.persons() == 0) return Invalid("incident_report.persons", "must be 1 or more");
      ANDING_RETURN_IF_ERROR(CheckPersons("incident_report.persons", p.persons()));
      if (p.representatives() > p.persons()) {
        return Invalid("incident_report.representatives", "exceeds persons");
      }
      if (p.involved_unit_ids_size() > kMaxInvolvedUnits) {
        return Invalid("incident_report.involved_unit_ids", "too many units");
      }
      ANDING_RETURN_IF_ERROR(RequireText("incident_report.summary", p.summary(), kMaxLineChars));
      return LimitText("incident_report.details", p.details(), kMaxTextChars);
    }
    case v1::Envelope::kIncidentStatus: {
      const auto& p = envelope.incident_status();
      ANDING_RETURN_IF_ERROR(
          RequireText("incident_status.incident_id", p.incident_id(), kMaxIdChars));
      if (p.step() == v1::INCIDENT_STEP_UNSPECIFIED || !v1::IncidentStep_IsValid(p.step())) {
        return Invalid("incident_status.step",
                       "must be DEPARTED, ARRIVED, SETTLED, AFTERMATH or CLOSED");
      }
      ANDING_RETURN_IF_ERROR(CheckTimestamp("incident_status.at", p.at()));
      return LimitText("incident_status.note", p.note(), kMaxTextChars);
    }
    case v1::Envelope::kScreeningReport: {
      const auto& p = envelope.screening_report();
      ANDING_RETURN_IF_ERROR(ValidatePeriod(p.period()));
      if (p.zero_report() && p.findings_size() > 0) {
        return Invalid("screening_report.findings", "must be empty in a zero report");
      }
      if (!p.zero_report() && p.findings_size() == 0) {
        return Invalid("screening_report.findings",
                       "are required; file a zero report (零报告) when nothing was found");
      }
      for (int i = 0; i < p.findings_size(); ++i) {
        const auto& f = p.findings(i);
        const std::string field = StrCat("screening_report.findings[", i, "]");
        if (f.ledger_item_id().empty()) {
          ANDING_RETURN_IF_ERROR(RequireText(field + ".category_id", f.category_id(), kMaxIdChars));
          ANDING_RETURN_IF_ERROR(
              RequireText(field + ".description", f.description(), kMaxTextChars));
        }
        ANDING_RETURN_IF_ERROR(CheckPersons(field + ".persons", f.persons()));
        ANDING_RETURN_IF_ERROR(CheckLevel(field + ".level", f.level()));
      }
      return LimitText("screening_report.remarks", p.remarks(), kMaxTextChars);
    }
    case v1::Envelope::kDailyReport: {
      const auto& p = envelope.daily_report();
      ANDING_RETURN_IF_ERROR(CheckDay("daily_report.day", p.day()));
      if (!p.zero_report() && p.text().empty()) {
        return Invalid("daily_report.text", "is required unless zero_report is set");
      }
      return LimitText("daily_report.text", p.text(), kMaxTextChars);
    }
    case v1::Envelope::kLedgerRegister: {
      const auto& p = envelope.ledger_register();
      ANDING_RETURN_IF_ERROR(
          RequireText("ledger_register.category_id", p.category_id(), kMaxIdChars));
      ANDING_RETURN_IF_ERROR(
          RequireText("ledger_register.description", p.description(), kMaxTextChars));
      ANDING_RETURN_IF_ERROR(CheckPersons("ledger_register.persons", p.persons()));
      ANDING_RETURN_IF_ERROR(CheckLevel("ledger_register.level", p.level()));
      ANDING_RETURN_IF_ERROR(
          ValidateContact("ledger_register.responsible_leader", p.responsible_leader()));
      ANDING_RETURN_IF_ERROR(
          ValidateContact("ledger_register.responsible_person", p.responsible_person()));
      if (!IsSet(p.deadline())) return Invalid("ledger_register.deadline", "is required");
      return LimitText("ledger_register.measures", p.measures(), kMaxTextChars);
    }
    case v1::Envelope::kLedgerUpdate: {
      const auto& p = envelope.ledger_update();
      ANDING_RETURN_IF_ERROR(
          RequireText("ledger_update.ledger_item_id", p.ledger_item_id(), kMaxIdChars));
      ANDING_RETURN_IF_ERROR(CheckLevel("ledger_update.level", p.level()));
      if (p.progress().empty() && p.level() == v1::RISK_LEVEL_UNSPECIFIED && p.measures().empty() &&
          p.persons() == 0 && p.resolution().empty()) {
        return Invalid("ledger_update",
                       "changes nothing: give progress, level, measures, persons or resolution");
      }
      ANDING_RETURN_IF_ERROR(LimitText("ledger_update.progress", p.progress(), kMaxTextChars));
      return LimitText("ledger_update.resolution", p.resolution(), kMaxTextChars);
    }
    case v1::Envelope::kLedgerCloseOut: {
      const auto& p = envelope.ledger_close_out();
      ANDING_RETURN_IF_ERROR(
          RequireText("ledger_close_out.ledger_item_id", p.ledger_item_id(), kMaxIdChars));
      ANDING_RETURN_IF_ERROR(
          RequireText("ledger_close_out.resolution", p.resolution(), kMaxTextChars));
      return RequireText("ledger_close_out.confirmed_by_leader", p.confirmed_by_leader(),
                         kMaxNameChars);
    }
    case v1::Envelope::kVisitRecord: {
      const auto& p = envelope.visit_record();
      ANDING_RETURN_IF_ERROR(CheckDay("visit_record.day", p.day()));
      if (p.batches() == 0) return Invalid("visit_record.batches", "must be 1 or more");
      if (p.persons() < p.batches()) {
        return Invalid("visit_record.persons", "must be at least the number of batches");
      }
      ANDING_RETURN_IF_ERROR(CheckPersons("visit_record.persons", p.persons()));
      return LimitText("visit_record.note", p.note(), kMaxTextChars);
    }
    case v1::Envelope::kExpenseReport: {
      const auto& p = envelope.expense_report();
      ANDING_RETURN_IF_ERROR(
          RequireText("expense_report.incident_id", p.incident_id(), kMaxIdChars));
      if (p.amount_fen() <= 0) return Invalid("expense_report.amount_fen", "must be positive");
      if (p.amount_fen() > 100'000'000'000) {
        return Invalid("expense_report.amount_fen", "exceeds 1,000,000,000 yuan");
      }
      ANDING_RETURN_IF_ERROR(RequireText("expense_report.code", p.code(), kMaxIdChars));
      return LimitText("expense_report.reason", p.reason(), kMaxTextChars);
    }
    case v1::Envelope::kOrderAcknowledgement: {
      const auto& p = envelope.order_acknowledgement();
      ANDING_RETURN_IF_ERROR(
          RequireText("order_acknowledgement.order_id", p.order_id(), kMaxIdChars));
      return RequireText("order_acknowledgement.acknowledged_by", p.acknowledged_by(),
                         kMaxNameChars);
    }
    case v1::Envelope::kNotificationAcknowledgement:
      return RequireText("notification_acknowledgement.notification_id",
                         envelope.notification_acknowledgement().notification_id(), kMaxIdChars);
    case v1::Envelope::kOrder: {
      const auto& p = envelope.order();
      ANDING_RETURN_IF_ERROR(RequireText("order.order_id", p.order_id(), kMaxIdChars));
      if (p.kind() == v1::ORDER_KIND_UNSPECIFIED || !v1::OrderKind_IsValid(p.kind())) {
        return Invalid("order.kind", "must be set");
      }
      return RequireText("order.title", p.title(), kMaxLineChars);
    }
    case v1::Envelope::kAck:
      return RequireText("ack.message_id", envelope.ack().message_id(), kMaxIdChars);
    case v1::Envelope::kNack:
      if (!v1::NackReason_IsValid(envelope.nack().reason()))
        return Invalid("nack.reason", "unknown");
      return OkStatus();
    case v1::Envelope::kHeartbeat:
      return OkStatus();
    case v1::Envelope::PAYLOAD_NOT_SET:
      break;
  }
  return InvalidArgumentError("envelope has no payload");
}

std::string PayloadKind(const v1::Envelope& envelope) {
  // The payload fields' names by field number, looked up once.
  static const auto* const names = [] {
    auto* table = new absl::flat_hash_map<int, std::string>;
    const auto* oneof = v1::Envelope::descriptor()->FindOneofByName("payload");
    for (int i = 0; i < oneof->field_count(); ++i) {
      (*table)[oneof->field(i)->number()] = oneof->field(i)->name();
    }
    return table;
  }();
  auto it = names->find(static_cast<int>(envelope.payload_case()));
  return it == names->end() ? std::string() : it->second;
}

bool IsDurablePayload(const v1::Envelope& envelope) {
  switch (envelope.payload_case()) {
    case v1::Envelope::kAck:
    case v1::Envelope::kNack:
    case v1::Envelope::kHeartbeat:
    case v1::Envelope::PAYLOAD_NOT_SET:
      return false;
    default:
      return true;
  }
}

std::string Summarize(const v1::Envelope& e) {
  switch (e.payload_case()) {
    case v1::Envelope::kEarlyWarning:
      return StrCat(e.early_warning().major() ? "MAJOR early warning" : "early warning", " [",
                    e.early_warning().category_id(), "] ", e.early_warning().persons(),
                    " persons: ", e.early_warning().summary());
    case v1::Envelope::kIncidentReport:
      return StrCat("incident ", v1::IncidentType_Name(e.incident_report().type()), " at ",
                    e.incident_report().place().region_id(), ", ", e.incident_report().persons(),
                    " persons: ", e.incident_report().summary());
    case v1::Envelope::kIncidentStatus:
      return StrCat("incident ", e.incident_status().incident_id(), " ",
                    v1::IncidentStep_Name(e.incident_status().step()));
    case v1::Envelope::kScreeningReport: {
      const auto& p = e.screening_report().period();
      const char* kind = p.kind() == v1::PERIOD_KIND_TEN_DAY ? "ten-day period"
                         : p.kind() == v1::PERIOD_KIND_MONTH ? "month"
                                                             : "quarter";
      return StrCat("screening ", kind, " ", p.year(),
                    p.kind() == v1::PERIOD_KIND_QUARTER ? "-Q" : (p.index() < 10 ? "-0" : "-"),
                    p.index(), p.ten_day() ? StrCat("/", p.ten_day()) : "",
                    e.screening_report().zero_report()
                        ? ": zero report"
                        : StrCat(": ", e.screening_report().findings_size(), " findings"));
    }
    case v1::Envelope::kDailyReport:
      return StrCat("daily report ", e.daily_report().day(),
                    e.daily_report().zero_report() ? " (zero report)" : "");
    case v1::Envelope::kLedgerRegister:
      return StrCat("ledger register [", e.ledger_register().category_id(),
                    "]: ", e.ledger_register().description());
    case v1::Envelope::kLedgerUpdate:
      return StrCat("ledger update ", e.ledger_update().ledger_item_id());
    case v1::Envelope::kLedgerCloseOut:
      return StrCat("ledger close-out ", e.ledger_close_out().ledger_item_id());
    case v1::Envelope::kVisitRecord:
      return StrCat("visits ", e.visit_record().day(), ": ", e.visit_record().batches(),
                    " batches, ", e.visit_record().persons(), " persons");
    case v1::Envelope::kExpenseReport:
      return StrCat("expense ", e.expense_report().amount_fen(), " fen for incident ",
                    e.expense_report().incident_id(), " (", e.expense_report().code(), ")");
    case v1::Envelope::kOrderAcknowledgement:
      return StrCat("order ", e.order_acknowledgement().order_id(), " acknowledged by ",
                    e.order_acknowledgement().acknowledged_by());
    case v1::Envelope::kNotificationAcknowledgement:
      return StrCat("notification ", e.notification_acknowledgement().notification_id(),
                    " acknowledged");
    case v1::Envelope::kOrder:
      return StrCat(v1::OrderKind_Name(e.order().kind()), " ", e.order().order_id(), ": ",
                    e.order().title());
    case v1::Envelope::kAck:
      return StrCat("ack ", e.ack().message_id());
    case v1::Envelope::kNack:
      return StrCat("nack ", e.nack().message_id(), " ", v1::NackReason_Name(e.nack().reason()),
                    ": ", e.nack().detail());
    case v1::Envelope::kHeartbeat:
      return "heartbeat";
    case v1::Envelope::PAYLOAD_NOT_SET:
      break;
  }
  return "(empty)";
}

v1::NackReason NackReasonFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange:
      return v1::NACK_REASON_INVALID_ARGUMENT;
    case StatusCode::kFailedPrecondition:
      return v1::NACK_REASON_FAILED_PRECONDITION;
    case StatusCode::kNotFound:
      return v1::NACK_REASON_NOT_FOUND;
    case StatusCode::kAlreadyExists:
      return v1::NACK_REASON_CONFLICT;
    case StatusCode::kPermissionDenied:
    case StatusCode::kUnauthenticated:
      return v1::NACK_REASON_PERMISSION_DENIED;
    default:
      return v1::NACK_REASON_UNAVAILABLE;
  }
}

std::string Encode(const Message& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

bool SameContent(const v1::Envelope& a, const v1::Envelope& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

size_t Utf8Length(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace anding::wire

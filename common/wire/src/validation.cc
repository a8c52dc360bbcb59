#include "anding/wire/validation.h"

#include "anding/common/ids.h"
#include "anding/common/limits.h"
#include "anding/common/strings.h"
#include "anding/wire/encoding.h"
#include "anding/wire/summaries.h"
#include "field_checks.h"
#include "payload_checks.h"

namespace anding::wire {

using checks::Field;
using checks::Invalid;
using checks::Presence;
using checks::Required;

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
    return Invalid(Field("message_id"), "must be a canonical lower-case UUID");
  }
  ANDING_RETURN_IF_ERROR(
      checks::Text(Field("unit_id"), envelope.unit_id(), limits::kMaxIdChars, Presence::kRequired));
  ANDING_RETURN_IF_ERROR(checks::Count(Field("sequence"), envelope.sequence(), limits::kMaxSequence,
                                       Presence::kRequired));
  return checks::Instant(Field("sent_at"), envelope.sent_at(), Presence::kRequired);
}

Status ValidatePayload(const v1::Envelope& envelope) {
  switch (envelope.payload_case()) {
    case v1::Envelope::kEarlyWarning:
      return checks::EarlyWarning(Field("early_warning"), envelope.early_warning());
    case v1::Envelope::kIncidentReport:
      return checks::IncidentReport(Field("incident_report"), envelope.incident_report(),
                                    Required::kChecked);
    case v1::Envelope::kIncidentStatus:
      return checks::IncidentStatus(Field("incident_status"), envelope.incident_status(),
                                    Required::kChecked);
    case v1::Envelope::kScreeningReport:
      return checks::ScreeningReport(Field("screening_report"), envelope.screening_report());
    case v1::Envelope::kDailyReport:
      return checks::DailyReport(Field("daily_report"), envelope.daily_report());
    case v1::Envelope::kLedgerRegister:
      return checks::LedgerRegister(Field("ledger_register"), envelope.ledger_register(),
                                    Required::kChecked);
    case v1::Envelope::kLedgerUpdate:
      return checks::LedgerUpdate(Field("ledger_update"), envelope.ledger_update(),
                                  Required::kChecked);
    case v1::Envelope::kLedgerCloseOut:
      return checks::LedgerCloseOut(Field("ledger_close_out"), envelope.ledger_close_out(),
                                    Required::kChecked);
    case v1::Envelope::kVisitRecord:
      return checks::VisitRecord(Field("visit_record"), envelope.visit_record());
    case v1::Envelope::kExpenseReport:
      return checks::ExpenseReport(Field("expense_report"), envelope.expense_report());
    case v1::Envelope::kOrderAcknowledgement:
      return checks::OrderAcknowledgement(Field("order_acknowledgement"),
                                          envelope.order_acknowledgement());
    case v1::Envelope::kNotificationAcknowledgement:
      return checks::NotificationAcknowledgement(Field("notification_acknowledgement"),
                                                 envelope.notification_acknowledgement());
    case v1::Envelope::kOrder:
      return checks::Order(Field("order"), envelope.order());
    case v1::Envelope::kAck:
      return checks::Text(Field("ack.message_id"), envelope.ack().message_id(), limits::kMaxIdChars,
                          Presence::kRequired);
    case v1::Envelope::kNack:
      return checks::KnownEnum(Field("nack.reason"), envelope.nack().reason(),
                               v1::NackReason_IsValid, Presence::kOptional, "a known reason");
    case v1::Envelope::kHeartbeat:
      return OkStatus();
    case v1::Envelope::PAYLOAD_NOT_SET:
      break;
  }
  return InvalidArgumentError("envelope has no payload");
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

}  // namespace anding::wire

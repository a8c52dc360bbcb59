#include "anding/wire/summaries.h"

#include "absl/container/flat_hash_map.h"
#include "anding/common/strings.h"

namespace anding::wire {

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
}  // namespace anding::wire

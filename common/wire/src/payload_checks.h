// The checks of each agent payload message, field by field. Those that an
// operator request carries too (an incident report, a ledger item's
// register, update and close-out) serve both: an agent must give the
// required fields, an operator's request is checked for its values only and
// its module answers for a missing field. Private to anding_wire.
// Thread-safety: pure functions.
#pragma once

#include "anding/v1/envelope.pb.h"
#include "field_checks.h"

namespace anding::wire::checks {

// Whether a message's required fields are checked here.
enum class Required {
  kChecked,      // an agent's payload: refused without them
  kLeftToModule  // an operator's request: only the values given are checked
};

[[nodiscard]] Status EarlyWarning(const Field& field, const v1::EarlyWarning& p);
[[nodiscard]] Status IncidentReport(const Field& field, const v1::IncidentReport& p,
                                    Required required);
[[nodiscard]] Status IncidentStatus(const Field& field, const v1::IncidentStatusUpdate& p,
                                    Required required);
[[nodiscard]] Status ScreeningReport(const Field& field, const v1::ScreeningReport& p);
[[nodiscard]] Status DailyReport(const Field& field, const v1::DailyRiskReport& p);
[[nodiscard]] Status LedgerRegister(const Field& field, const v1::LedgerItemRegister& p,
                                    Required required);
[[nodiscard]] Status LedgerUpdate(const Field& field, const v1::LedgerItemUpdate& p,
                                  Required required);
[[nodiscard]] Status LedgerCloseOut(const Field& field, const v1::LedgerItemCloseOut& p,
                                    Required required);
[[nodiscard]] Status VisitRecord(const Field& field, const v1::VisitRecord& p);
[[nodiscard]] Status ExpenseReport(const Field& field, const v1::ExpenseReport& p);
[[nodiscard]] Status OrderAcknowledgement(const Field& field, const v1::OrderAcknowledgement& p);
[[nodiscard]] Status NotificationAcknowledgement(const Field& field,
                                                 const v1::NotificationAcknowledgement& p);
// Downward: what an agent checks of the orders the dispatcher sends.
[[nodiscard]] Status Order(const Field& field, const v1::Order& p);

}  // namespace anding::wire::checks

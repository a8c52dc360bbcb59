#include "payload_checks.h"

#include "anding/common/limits.h"
#include "anding/common/strings.h"

namespace anding::wire::checks {
namespace {

using limits::kMaxDailyCount;
using limits::kMaxIdChars;
using limits::kMaxLineChars;
using limits::kMaxListItems;
using limits::kMaxNameChars;
using limits::kMaxPersons;
using limits::kMaxTextChars;
constexpr Presence kOptional = Presence::kOptional;
constexpr Presence kRequired = Presence::kRequired;

Presence PresenceFor(Required required) {
  return required == Required::kChecked ? kRequired : kOptional;
}

// A list of ids or names: at most `max_items`, each non-blank and at most
// `max_chars` characters.
Status TextList(const Field& field, std::string_view name,
                const google::protobuf::RepeatedPtrField<std::string>& values, size_t max_items,
                size_t max_chars) {
  if (static_cast<size_t>(values.size()) > max_items) {
    return Invalid(Field(field, name), StrCat("lists more than ", max_items, " entries"));
  }
  for (int i = 0; i < values.size(); ++i) {
    ANDING_RETURN_IF_ERROR(Text(Field(field, name, i), values.Get(i), max_chars, kRequired));
  }
  return OkStatus();
}

}  // namespace

Status EarlyWarning(const Field& field, const v1::EarlyWarning& p) {
  ANDING_RETURN_IF_ERROR(Text(Field(field, "summary"), p.summary(), kMaxLineChars, kRequired));
  ANDING_RETURN_IF_ERROR(Text(Field(field, "details"), p.details(), kMaxTextChars, kOptional));
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "category_id"), p.category_id(), kMaxIdChars, kRequired));
  ANDING_RETURN_IF_ERROR(Count(Field(field, "persons"), p.persons(), kMaxPersons));
  ANDING_RETURN_IF_ERROR(Level(Field(field, "level"), p.level()));
  ANDING_RETURN_IF_ERROR(Instant(Field(field, "observed_at"), p.observed_at(), kOptional));
  if (p.has_destination()) {
    ANDING_RETURN_IF_ERROR(Place(Field(field, "destination"), p.destination(), kRequired));
  }
  return Text(Field(field, "ledger_item_id"), p.ledger_item_id(), kMaxIdChars, kOptional);
}

Status IncidentReport(const Field& field, const v1::IncidentReport& p, Required required) {
  const Presence presence = PresenceFor(required);
  ANDING_RETURN_IF_ERROR(KnownEnum(Field(field, "type"), p.type(), v1::IncidentType_IsValid,
                                   presence, "GROUP_PETITION, INDIVIDUAL_EXTREME or OTHER"));
  ANDING_RETURN_IF_ERROR(Place(Field(field, "place"), p.place(), presence));
  ANDING_RETURN_IF_ERROR(Instant(Field(field, "occurred_at"), p.occurred_at(), kOptional));
  ANDING_RETURN_IF_ERROR(Count(Field(field, "persons"), p.persons(), kMaxPersons, presence));
  if (p.representatives() > p.persons()) {
    return Invalid(Field(field, "representatives"), "exceeds persons");
  }
  ANDING_RETURN_IF_ERROR(TextList(field, "involved_unit_ids", p.involved_unit_ids(),
                                  limits::kMaxInvolvedUnits, kMaxIdChars));
  // Optional for everyone (the dispatcher writes a default one).
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "summary"), p.summary(), limits::kMaxIncidentSummaryChars, kOptional));
  ANDING_RETURN_IF_ERROR(Text(Field(field, "details"), p.details(), kMaxTextChars, kOptional));
  return Text(Field(field, "category_id"), p.category_id(), kMaxIdChars, kOptional);
}

Status IncidentStatus(const Field& field, const v1::IncidentStatusUpdate& p, Required required) {
  const Presence presence = PresenceFor(required);
  ANDING_RETURN_IF_ERROR(Text(Field(field, "incident_id"), p.incident_id(), kMaxIdChars, presence));
  ANDING_RETURN_IF_ERROR(KnownEnum(Field(field, "step"), p.step(), v1::IncidentStep_IsValid,
                                   presence, "DEPARTED, ARRIVED, SETTLED, AFTERMATH or CLOSED"));
  ANDING_RETURN_IF_ERROR(Instant(Field(field, "at"), p.at(), kOptional));
  ANDING_RETURN_IF_ERROR(Text(Field(field, "note"), p.note(), kMaxTextChars, kOptional));
  return Text(Field(field, "reported_by"), p.reported_by(), kMaxNameChars, kOptional);
}

Status ScreeningReport(const Field& field, const v1::ScreeningReport& p) {
  ANDING_RETURN_IF_ERROR(Period(Field(field, "period"), p.period()));
  const Field findings(field, "findings");
  if (p.zero_report() && p.findings_size() > 0) {
    return Invalid(findings, "must be empty in a zero report");
  }
  if (!p.zero_report() && p.findings_size() == 0) {
    return Invalid(findings, "are required; file a zero report (零报告) when nothing was found");
  }
  if (static_cast<size_t>(p.findings_size()) > kMaxListItems) {
    return Invalid(findings, StrCat("lists more than ", kMaxListItems, " entries"));
  }
  for (int i = 0; i < p.findings_size(); ++i) {
    const auto& f = p.findings(i);
    const Field finding(field, "findings", i);
    // A new factor needs its category and description; a finding on an
    // existing ledger item has them already.
    const Presence for_new = f.ledger_item_id().empty() ? kRequired : kOptional;
    ANDING_RETURN_IF_ERROR(
        Text(Field(finding, "ledger_item_id"), f.ledger_item_id(), kMaxIdChars, kOptional));
    ANDING_RETURN_IF_ERROR(
        Text(Field(finding, "category_id"), f.category_id(), kMaxIdChars, for_new));
    ANDING_RETURN_IF_ERROR(
        Text(Field(finding, "description"), f.description(), kMaxTextChars, for_new));
    ANDING_RETURN_IF_ERROR(Count(Field(finding, "persons"), f.persons(), kMaxPersons));
    ANDING_RETURN_IF_ERROR(Level(Field(finding, "level"), f.level()));
  }
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "screened_by"), p.screened_by(), kMaxNameChars, kOptional));
  return Text(Field(field, "remarks"), p.remarks(), kMaxTextChars, kOptional);
}

Status DailyReport(const Field& field, const v1::DailyRiskReport& p) {
  ANDING_RETURN_IF_ERROR(Day(Field(field, "day"), p.day(), kRequired));
  ANDING_RETURN_IF_ERROR(Count(Field(field, "new_warnings"), p.new_warnings(), kMaxDailyCount));
  ANDING_RETURN_IF_ERROR(
      Count(Field(field, "items_progressed"), p.items_progressed(), kMaxDailyCount));
  ANDING_RETURN_IF_ERROR(Count(Field(field, "visit_batches"), p.visit_batches(), kMaxDailyCount));
  ANDING_RETURN_IF_ERROR(Count(Field(field, "visit_persons"), p.visit_persons(), kMaxPersons));
  if (p.visit_persons() < p.visit_batches()) {
    return Invalid(Field(field, "visit_persons"), "must be at least visit_batches");
  }
  if (p.zero_report() && (p.new_warnings() != 0 || p.items_progressed() != 0 ||
                          p.visit_batches() != 0 || p.visit_persons() != 0)) {
    return Invalid(Field(field, "zero_report"), "must carry zero counts");
  }
  const Field text(field, "text");
  if (!p.zero_report() && p.text().empty()) {
    return Invalid(text, "is required unless zero_report is set");
  }
  ANDING_RETURN_IF_ERROR(Text(text, p.text(), kMaxTextChars, kOptional));
  return Text(Field(field, "reported_by"), p.reported_by(), kMaxNameChars, kOptional);
}

Status LedgerRegister(const Field& field, const v1::LedgerItemRegister& p, Required required) {
  const Presence presence = PresenceFor(required);
  ANDING_RETURN_IF_ERROR(Text(Field(field, "category_id"), p.category_id(), kMaxIdChars, presence));
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "description"), p.description(), kMaxTextChars, presence));
  ANDING_RETURN_IF_ERROR(Count(Field(field, "persons"), p.persons(), kMaxPersons));
  ANDING_RETURN_IF_ERROR(
      TextList(field, "key_persons", p.key_persons(), kMaxListItems, kMaxNameChars));
  ANDING_RETURN_IF_ERROR(Level(Field(field, "level"), p.level()));
  ANDING_RETURN_IF_ERROR(
      Contact(Field(field, "responsible_leader"), p.responsible_leader(), presence));
  ANDING_RETURN_IF_ERROR(
      Contact(Field(field, "responsible_person"), p.responsible_person(), presence));
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "lead_department"), p.lead_department(), kMaxNameChars, kOptional));
  ANDING_RETURN_IF_ERROR(Instant(Field(field, "deadline"), p.deadline(), presence));
  return Text(Field(field, "measures"), p.measures(), kMaxTextChars, kOptional);
}

Status LedgerUpdate(const Field& field, const v1::LedgerItemUpdate& p, Required required) {
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "ledger_item_id"), p.ledger_item_id(), kMaxIdChars, PresenceFor(required)));
  ANDING_RETURN_IF_ERROR(Level(Field(field, "level"), p.level()));
  if (required == Required::kChecked && p.progress().empty() &&
      p.level() == v1::RISK_LEVEL_UNSPECIFIED && p.measures().empty() && p.persons() == 0 &&
      p.resolution().empty()) {
    return Invalid(field, "changes nothing: give progress, level, measures, persons or resolution");
  }
  ANDING_RETURN_IF_ERROR(Text(Field(field, "progress"), p.progress(), kMaxTextChars, kOptional));
  ANDING_RETURN_IF_ERROR(Text(Field(field, "measures"), p.measures(), kMaxTextChars, kOptional));
  ANDING_RETURN_IF_ERROR(Count(Field(field, "persons"), p.persons(), kMaxPersons));
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "resolution"), p.resolution(), kMaxTextChars, kOptional));
  return Text(Field(field, "updated_by"), p.updated_by(), kMaxNameChars, kOptional);
}

Status LedgerCloseOut(const Field& field, const v1::LedgerItemCloseOut& p, Required required) {
  const Presence presence = PresenceFor(required);
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "ledger_item_id"), p.ledger_item_id(), kMaxIdChars, presence));
  ANDING_RETURN_IF_ERROR(Text(Field(field, "resolution"), p.resolution(), kMaxTextChars, presence));
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "confirmed_by_leader"), p.confirmed_by_leader(), kMaxNameChars, presence));
  return Instant(Field(field, "confirmed_at"), p.confirmed_at(), kOptional);
}

Status VisitRecord(const Field& field, const v1::VisitRecord& p) {
  ANDING_RETURN_IF_ERROR(Day(Field(field, "day"), p.day(), kRequired));
  ANDING_RETURN_IF_ERROR(Count(Field(field, "batches"), p.batches(), kMaxDailyCount, kRequired));
  if (p.persons() < p.batches()) {
    return Invalid(Field(field, "persons"), "must be at least the number of batches");
  }
  ANDING_RETURN_IF_ERROR(Count(Field(field, "persons"), p.persons(), kMaxPersons));
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "category_id"), p.category_id(), kMaxIdChars, kOptional));
  ANDING_RETURN_IF_ERROR(OneOf(Field(field, "channel"), p.channel(),
                               {"", "walk-in", "visit", "letter", "phone", "online"}));
  ANDING_RETURN_IF_ERROR(Text(Field(field, "note"), p.note(), kMaxTextChars, kOptional));
  ANDING_RETURN_IF_ERROR(OneOf(Field(field, "destination_level"), p.destination_level(),
                               {"", "unit", "company", "city", "province", "beijing"}));
  ANDING_RETURN_IF_ERROR(OneOf(Field(field, "collective"), p.collective(), {"", "yes", "no"}));
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "representative"), p.representative(), kMaxNameChars, kOptional));
  return Text(Field(field, "contact"), p.contact(), kMaxNameChars, kOptional);
}

Status ExpenseReport(const Field& field, const v1::ExpenseReport& p) {
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "incident_id"), p.incident_id(), kMaxIdChars, kRequired));
  ANDING_RETURN_IF_ERROR(Money(Field(field, "amount_fen"), p.amount_fen()));
  ANDING_RETURN_IF_ERROR(Text(Field(field, "code"), p.code(), kMaxIdChars, kRequired));
  ANDING_RETURN_IF_ERROR(Text(Field(field, "reason"), p.reason(), kMaxTextChars, kOptional));
  return Text(Field(field, "voucher"), p.voucher(), kMaxNameChars, kOptional);
}

Status OrderAcknowledgement(const Field& field, const v1::OrderAcknowledgement& p) {
  ANDING_RETURN_IF_ERROR(Text(Field(field, "order_id"), p.order_id(), kMaxIdChars, kRequired));
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "acknowledged_by"), p.acknowledged_by(), kMaxNameChars, kRequired));
  ANDING_RETURN_IF_ERROR(Instant(Field(field, "acknowledged_at"), p.acknowledged_at(), kOptional));
  return Text(Field(field, "note"), p.note(), kMaxTextChars, kOptional);
}

Status NotificationAcknowledgement(const Field& field, const v1::NotificationAcknowledgement& p) {
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "notification_id"), p.notification_id(), kMaxIdChars, kRequired));
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "acknowledged_by"), p.acknowledged_by(), kMaxNameChars, kOptional));
  return Instant(Field(field, "acknowledged_at"), p.acknowledged_at(), kOptional);
}

Status Order(const Field& field, const v1::Order& p) {
  ANDING_RETURN_IF_ERROR(Text(Field(field, "order_id"), p.order_id(), kMaxIdChars, kRequired));
  ANDING_RETURN_IF_ERROR(KnownEnum(Field(field, "kind"), p.kind(), v1::OrderKind_IsValid, kRequired,
                                   "DISPATCH, REMINDER, SUPERVISION or NOTICE"));
  ANDING_RETURN_IF_ERROR(Text(Field(field, "title"), p.title(), kMaxLineChars, kRequired));
  ANDING_RETURN_IF_ERROR(Instant(Field(field, "issued_at"), p.issued_at(), kOptional));
  return Instant(Field(field, "respond_by"), p.respond_by(), kOptional);
}

}  // namespace anding::wire::checks

// ValidateOperatorRequest: the values of operator requests, by request.
// Only what a request carries is checked; whether it may be missing is
// the serving module's to say.
#include "anding/common/limits.h"
#include "anding/common/strings.h"
#include "anding/wire/validation.h"
#include "field_checks.h"
#include "payload_checks.h"

namespace anding::wire {
namespace {

using checks::Field;
using checks::Instant;
using checks::Invalid;
using checks::Money;
using checks::Presence;
using checks::Required;
using checks::Text;
using limits::kMaxIdChars;
using limits::kMaxListItems;
using limits::kMaxNameChars;
using limits::kMaxTextChars;
constexpr Presence kOptional = Presence::kOptional;

Status Id(const Field& field, std::string_view value) {
  return Text(field, value, kMaxIdChars, kOptional);
}

Status Ids(const Field& field, const google::protobuf::RepeatedPtrField<std::string>& ids) {
  if (static_cast<size_t>(ids.size()) > kMaxListItems) {
    return Invalid(field, StrCat("lists more than ", kMaxListItems, " entries"));
  }
  for (const std::string& id : ids) ANDING_RETURN_IF_ERROR(Id(field, id));
  return OkStatus();
}

Status Reason(const Field& field, const std::string& reason) {
  return Text(field, reason, kMaxTextChars, kOptional);
}

// A statement's period: "YYYY-MM" or "YYYY-MM-DD..YYYY-MM-DD".
Status StatementPeriod(const Field& field, std::string_view period) {
  if (const auto dots = period.find(".."); dots != std::string_view::npos) {
    ANDING_RETURN_IF_ERROR(checks::Day(field, period.substr(0, dots), Presence::kRequired));
    return checks::Day(field, period.substr(dots + 2), Presence::kRequired);
  }
  return checks::Month(field, period, kOptional);
}

Status LedgerRequest(const v1::OperatorRequest& request) {
  switch (request.request_case()) {
    case v1::OperatorRequest::kRegisterLedgerItem: {
      const Field field("register_ledger_item");
      const auto& r = request.register_ledger_item();
      ANDING_RETURN_IF_ERROR(Id(Field(field, "unit_id"), r.unit_id()));
      return checks::LedgerRegister(Field(field, "item"), r.item(), Required::kLeftToModule);
    }
    case v1::OperatorRequest::kUpdateLedgerItem:
      return checks::LedgerUpdate(Field("update_ledger_item.update"),
                                  request.update_ledger_item().update(), Required::kLeftToModule);
    case v1::OperatorRequest::kCloseOutLedgerItem:
      return checks::LedgerCloseOut(Field("close_out_ledger_item.close_out"),
                                    request.close_out_ledger_item().close_out(),
                                    Required::kLeftToModule);
    case v1::OperatorRequest::kRejectResolution: {
      const Field field("reject_resolution");
      const auto& r = request.reject_resolution();
      ANDING_RETURN_IF_ERROR(Id(Field(field, "ledger_item_id"), r.ledger_item_id()));
      return Reason(Field(field, "reason"), r.reason());
    }
    case v1::OperatorRequest::kReopenLedgerItem: {
      const Field field("reopen_ledger_item");
      const auto& r = request.reopen_ledger_item();
      ANDING_RETURN_IF_ERROR(Id(Field(field, "ledger_item_id"), r.ledger_item_id()));
      ANDING_RETURN_IF_ERROR(Reason(Field(field, "reason"), r.reason()));
      return Instant(Field(field, "new_deadline"), r.new_deadline(), kOptional);
    }
    case v1::OperatorRequest::kExtendLedgerDeadline: {
      const Field field("extend_ledger_deadline");
      const auto& r = request.extend_ledger_deadline();
      ANDING_RETURN_IF_ERROR(Id(Field(field, "ledger_item_id"), r.ledger_item_id()));
      ANDING_RETURN_IF_ERROR(Instant(Field(field, "new_deadline"), r.new_deadline(), kOptional));
      ANDING_RETURN_IF_ERROR(Reason(Field(field, "reason"), r.reason()));
      return Text(Field(field, "approved_by"), r.approved_by(), kMaxNameChars, kOptional);
    }
    case v1::OperatorRequest::kDailySummary:
      return checks::Day(Field("daily_summary.day"), request.daily_summary().day(), kOptional);
    case v1::OperatorRequest::kMonthlySummary:
      return checks::Month(Field("monthly_summary.month"), request.monthly_summary().month(),
                           kOptional);
    case v1::OperatorRequest::kScreeningStatus:
      if (!request.screening_status().has_period()) return OkStatus();
      return checks::Period(Field("screening_status.period"), request.screening_status().period());
    case v1::OperatorRequest::kExport: {
      const Field field("export");
      ANDING_RETURN_IF_ERROR(checks::Day(Field(field, "day"), request.export_().day(), kOptional));
      return checks::Month(Field(field, "month"), request.export_().month(), kOptional);
    }
    default:
      return OkStatus();
  }
}

Status FundsRequest(const v1::OperatorRequest& request) {
  switch (request.request_case()) {
    case v1::OperatorRequest::kCreateTransfer: {
      const Field field("create_transfer");
      ANDING_RETURN_IF_ERROR(
          Money(Field(field, "amount_fen"), request.create_transfer().amount_fen()));
      return Reason(Field(field, "reason"), request.create_transfer().reason());
    }
    case v1::OperatorRequest::kTopUp: {
      const Field field("top_up");
      ANDING_RETURN_IF_ERROR(Money(Field(field, "amount_fen"), request.top_up().amount_fen()));
      return Reason(Field(field, "reason"), request.top_up().reason());
    }
    case v1::OperatorRequest::kReverseTransfer: {
      const Field field("reverse_transfer");
      ANDING_RETURN_IF_ERROR(
          Money(Field(field, "amount_fen"), request.reverse_transfer().amount_fen()));
      return Reason(Field(field, "reason"), request.reverse_transfer().reason());
    }
    case v1::OperatorRequest::kSetQuota: {
      const Field field("set_quota");
      const auto& r = request.set_quota();
      if (!r.no_quota() && (r.quota_fen() < 0 || r.quota_fen() > limits::kMaxAmountFen)) {
        return Invalid(Field(field, "quota_fen"),
                       StrCat("must be from 0 to ", limits::kMaxAmountFen, " fen"));
      }
      return Reason(Field(field, "reason"), r.reason());
    }
    case v1::OperatorRequest::kPlaceHold: {
      const Field field("place_hold");
      const auto& r = request.place_hold();
      ANDING_RETURN_IF_ERROR(Money(Field(field, "amount_fen"), r.amount_fen()));
      if (r.timeout_seconds() < 0 || r.timeout_seconds() > limits::kMaxHoldTimeoutSeconds) {
        return Invalid(
            Field(field, "timeout_seconds"),
            StrCat("must be from 0 (the configured timeout) to ", limits::kMaxHoldTimeoutSeconds));
      }
      return Reason(Field(field, "reason"), r.reason());
    }
    case v1::OperatorRequest::kPostHold: {
      const Field field("post_hold");
      ANDING_RETURN_IF_ERROR(Money(Field(field, "amount_fen"), request.post_hold().amount_fen()));
      return Reason(Field(field, "reason"), request.post_hold().reason());
    }
    case v1::OperatorRequest::kVoidHold:
      return Reason(Field("void_hold.reason"), request.void_hold().reason());
    case v1::OperatorRequest::kStatement:
      return StatementPeriod(Field("statement.period"), request.statement().period());
    case v1::OperatorRequest::kReconcile:
      return checks::Month(Field("reconcile.month"), request.reconcile().month(), kOptional);
    default:
      return OkStatus();
  }
}

Status ListIncidents(const v1::ListIncidentsRequest& r) {
  const Field field("list_incidents");
  if (static_cast<size_t>(r.states_size()) > kMaxListItems) {
    return Invalid(Field(field, "states"), StrCat("lists more than ", kMaxListItems, " entries"));
  }
  for (int state : r.states()) {
    ANDING_RETURN_IF_ERROR(checks::KnownEnum(Field(field, "states"), state,
                                             v1::IncidentState_IsValid, Presence::kRequired,
                                             "an incident state (INCIDENT_STATE_REPORTED, ...)"));
  }
  ANDING_RETURN_IF_ERROR(Id(Field(field, "region_id"), r.region_id()));
  ANDING_RETURN_IF_ERROR(Id(Field(field, "unit_id"), r.unit_id()));
  if (r.limit() > 10000) return Invalid(Field(field, "limit"), "must be at most 10000");
  ANDING_RETURN_IF_ERROR(checks::KnownEnum(Field(field, "view"), r.view(),
                                           v1::IncidentListView_IsValid, kOptional,
                                           "INCIDENT_LIST_VIEW_FULL or INCIDENT_LIST_VIEW_BOARD"));
  const std::string& token = r.page_token();
  if (token.size() > 20 || token.find_first_not_of("0123456789") != std::string::npos ||
      (!token.empty() && token.front() == '0')) {
    return Invalid(Field(field, "page_token"),
                   "must be a previous answer's next_page_token, unchanged");
  }
  return OkStatus();
}

Status DispatchRequest(const v1::OperatorRequest& request) {
  switch (request.request_case()) {
    case v1::OperatorRequest::kReportIncident: {
      const Field field("report_incident");
      const auto& r = request.report_incident();
      ANDING_RETURN_IF_ERROR(
          checks::IncidentReport(Field(field, "report"), r.report(), Required::kLeftToModule));
      return Instant(Field(field, "reported_at"), r.reported_at(), kOptional);
    }
    case v1::OperatorRequest::kUpdateIncidentStatus: {
      const Field field("update_incident_status");
      const auto& r = request.update_incident_status();
      ANDING_RETURN_IF_ERROR(
          checks::IncidentStatus(Field(field, "update"), r.update(), Required::kLeftToModule));
      return Id(Field(field, "unit_id"), r.unit_id());
    }
    case v1::OperatorRequest::kOverrideAssignment: {
      const Field field("override_assignment");
      const auto& r = request.override_assignment();
      ANDING_RETURN_IF_ERROR(Ids(Field(field, "member_ids"), r.member_ids()));
      ANDING_RETURN_IF_ERROR(Ids(Field(field, "vehicle_ids"), r.vehicle_ids()));
      return Reason(Field(field, "note"), r.note());
    }
    case v1::OperatorRequest::kReassign: {
      const Field field("reassign");
      ANDING_RETURN_IF_ERROR(
          Ids(Field(field, "exclude_team_ids"), request.reassign().exclude_team_ids()));
      return Reason(Field(field, "note"), request.reassign().note());
    }
    case v1::OperatorRequest::kSetAvailability:
      return Reason(Field("set_availability.note"), request.set_availability().note());
    case v1::OperatorRequest::kListIncidents:
      return ListIncidents(request.list_incidents());
    default:
      return OkStatus();
  }
}

Status LinkRequest(const v1::OperatorRequest& request) {
  switch (request.request_case()) {
    case v1::OperatorRequest::kSendOrder: {
      const Field field("send_order");
      const auto& r = request.send_order();
      ANDING_RETURN_IF_ERROR(Id(Field(field, "unit_id"), r.unit_id()));
      ANDING_RETURN_IF_ERROR(checks::KnownEnum(Field(field, "kind"), r.kind(),
                                               v1::OrderKind_IsValid, kOptional,
                                               "NOTICE, REMINDER or SUPERVISION"));
      ANDING_RETURN_IF_ERROR(
          Text(Field(field, "title"), r.title(), limits::kMaxLineChars, kOptional));
      ANDING_RETURN_IF_ERROR(Text(Field(field, "text"), r.text(), kMaxTextChars, kOptional));
      return Id(Field(field, "reference_id"), r.reference_id());
    }
    case v1::OperatorRequest::kAcknowledgeAlert:
      if (request.acknowledge_alert().alert_id() < 1) {
        return Invalid(Field("acknowledge_alert.alert_id"), "must be 1 or more");
      }
      return OkStatus();
    default:
      return OkStatus();
  }
}

// Users and the audit trail. A password is at most 1024 bytes (argon2id
// takes any length; a longer one is a mistake or an attack on the hasher).
constexpr size_t kMaxPasswordBytes = 1024;

Status UsersRequest(const v1::OperatorRequest& request) {
  auto password = [](const Field& field, const std::string& value) {
    return value.size() > kMaxPasswordBytes
               ? Invalid(field, StrCat("is longer than ", kMaxPasswordBytes, " bytes"))
               : OkStatus();
  };
  switch (request.request_case()) {
    case v1::OperatorRequest::kAddUser: {
      const Field field("add_user");
      const auto& r = request.add_user();
      ANDING_RETURN_IF_ERROR(Id(Field(field, "user"), r.user()));
      ANDING_RETURN_IF_ERROR(Id(Field(field, "role"), r.role()));
      ANDING_RETURN_IF_ERROR(Id(Field(field, "unit_id"), r.unit_id()));
      return password(Field(field, "password"), r.password());
    }
    case v1::OperatorRequest::kSetPassword: {
      const Field field("set_password");
      ANDING_RETURN_IF_ERROR(Id(Field(field, "user"), request.set_password().user()));
      return password(Field(field, "password"), request.set_password().password());
    }
    case v1::OperatorRequest::kDisableUser:
      return Id(Field(Field("disable_user"), "user"), request.disable_user().user());
    case v1::OperatorRequest::kListAudit: {
      const Field field("list_audit");
      const auto& r = request.list_audit();
      ANDING_RETURN_IF_ERROR(Id(Field(field, "user"), r.user()));
      ANDING_RETURN_IF_ERROR(Id(Field(field, "kind"), r.kind()));
      ANDING_RETURN_IF_ERROR(Instant(Field(field, "from"), r.from(), kOptional));
      ANDING_RETURN_IF_ERROR(Instant(Field(field, "to"), r.to(), kOptional));
      if (r.limit() > 1000) return Invalid(Field(field, "limit"), "must be at most 1000");
      return OkStatus();
    }
    default:
      return OkStatus();
  }
}

Status NotifyRequest(const v1::OperatorRequest& request) {
  auto positive = [](const Field& field, int64_t id) {
    return id < 1 ? Invalid(field, "must be 1 or more") : OkStatus();
  };
  switch (request.request_case()) {
    case v1::OperatorRequest::kNotifyShow:
      return positive(Field("notify_show.id"), request.notify_show().id());
    case v1::OperatorRequest::kNotifyAck:
      return positive(Field("notify_ack.id"), request.notify_ack().id());
    case v1::OperatorRequest::kNotifyPreview: {
      const Field field("notify_preview");
      const auto& r = request.notify_preview();
      ANDING_RETURN_IF_ERROR(Id(Field(field, "kind"), r.kind()));
      ANDING_RETURN_IF_ERROR(Id(Field(field, "unit_id"), r.unit_id()));
      return Text(Field(field, "text"), r.text(), kMaxTextChars, kOptional);
    }
    case v1::OperatorRequest::kNotifyTestSend: {
      const Field field("notify_test_send");
      const auto& r = request.notify_test_send();
      ANDING_RETURN_IF_ERROR(Id(Field(field, "phone"), r.phone()));
      return Text(Field(field, "text"), r.text(), kMaxTextChars, kOptional);
    }
    default:
      return OkStatus();
  }
}

// The visit register, petition matters and statistics (visits_api.proto).
Status VisitsRequest(const v1::OperatorRequest& request) {
  switch (request.request_case()) {
    case v1::OperatorRequest::kRecordVisit: {
      const Field field("record_visit");
      const auto& r = request.record_visit();
      ANDING_RETURN_IF_ERROR(checks::Day(Field(field, "day"), r.day(), kOptional));
      ANDING_RETURN_IF_ERROR(Id(Field(field, "unit_id"), r.unit_id()));
      ANDING_RETURN_IF_ERROR(Id(Field(field, "category_id"), r.category_id()));
      ANDING_RETURN_IF_ERROR(checks::OneOf(Field(field, "channel"), r.channel(),
                                           {"", "visit", "walk-in", "letter", "phone", "online"}));
      ANDING_RETURN_IF_ERROR(checks::OneOf(Field(field, "destination_level"), r.destination_level(),
                                           {"", "unit", "company", "city", "province", "beijing"}));
      ANDING_RETURN_IF_ERROR(
          checks::Count(Field(field, "batches"), r.batches(), limits::kMaxDailyCount, kOptional));
      ANDING_RETURN_IF_ERROR(
          checks::Count(Field(field, "persons"), r.persons(), limits::kMaxPersons, kOptional));
      ANDING_RETURN_IF_ERROR(
          checks::OneOf(Field(field, "collective"), r.collective(), {"", "yes", "no"}));
      ANDING_RETURN_IF_ERROR(
          Text(Field(field, "representative"), r.representative(), kMaxNameChars, kOptional));
      ANDING_RETURN_IF_ERROR(Text(Field(field, "contact"), r.contact(), kMaxNameChars, kOptional));
      ANDING_RETURN_IF_ERROR(Reason(Field(field, "note"), r.note()));
      return Id(Field(field, "repeat_of"), r.repeat_of());
    }
    case v1::OperatorRequest::kListVisits: {
      const Field field("list_visits");
      const auto& r = request.list_visits();
      ANDING_RETURN_IF_ERROR(Id(Field(field, "unit_id"), r.unit_id()));
      ANDING_RETURN_IF_ERROR(checks::Day(Field(field, "from_day"), r.from_day(), kOptional));
      ANDING_RETURN_IF_ERROR(checks::Day(Field(field, "to_day"), r.to_day(), kOptional));
      ANDING_RETURN_IF_ERROR(Text(Field(field, "cursor"), r.cursor(), kMaxIdChars, kOptional));
      return checks::Count(Field(field, "limit"), r.limit(), 1000, kOptional);
    }
    case v1::OperatorRequest::kRegisterMatter: {
      const Field field("register_matter");
      const auto& r = request.register_matter();
      ANDING_RETURN_IF_ERROR(Id(Field(field, "unit_id"), r.unit_id()));
      ANDING_RETURN_IF_ERROR(Id(Field(field, "category_id"), r.category_id()));
      ANDING_RETURN_IF_ERROR(Reason(Field(field, "summary"), r.summary()));
      ANDING_RETURN_IF_ERROR(Id(Field(field, "visit_id"), r.visit_id()));
      return checks::Day(Field(field, "received_day"), r.received_day(), kOptional);
    }
    case v1::OperatorRequest::kUpdateMatter: {
      const Field field("update_matter");
      const auto& r = request.update_matter();
      ANDING_RETURN_IF_ERROR(Id(Field(field, "matter_id"), r.matter_id()));
      ANDING_RETURN_IF_ERROR(
          checks::OneOf(Field(field, "action"), r.action(),
                        {"accept", "decline", "extend", "conclude", "request_review",
                         "conclude_review", "request_reexamination", "conclude_reexamination"}));
      ANDING_RETURN_IF_ERROR(checks::Day(Field(field, "day"), r.day(), kOptional));
      if (r.extension_days() < 0 || r.extension_days() > 3660) {
        return Invalid(Field(field, "extension_days"), "must be from 0 to 3660");
      }
      return Reason(Field(field, "text"), r.text());
    }
    case v1::OperatorRequest::kListMatters: {
      const Field field("list_matters");
      const auto& r = request.list_matters();
      ANDING_RETURN_IF_ERROR(Id(Field(field, "unit_id"), r.unit_id()));
      ANDING_RETURN_IF_ERROR(Text(Field(field, "cursor"), r.cursor(), kMaxIdChars, kOptional));
      ANDING_RETURN_IF_ERROR(checks::Count(Field(field, "limit"), r.limit(), 1000, kOptional));
      return checks::OneOf(
          Field(field, "state"), r.state(),
          {"", "received", "not_accepted", "accepted", "concluded", "review_requested", "reviewed",
           "reexamination_requested", "reexamined"});
    }
    case v1::OperatorRequest::kVisitStats: {
      const Field field("visit_stats");
      const auto& r = request.visit_stats();
      ANDING_RETURN_IF_ERROR(checks::OneOf(Field(field, "period_kind"), r.period_kind(),
                                           {"month", "quarter", "year", "range"}));
      ANDING_RETURN_IF_ERROR(Text(Field(field, "period"), r.period(), kMaxIdChars, kOptional));
      ANDING_RETURN_IF_ERROR(checks::OneOf(
          Field(field, "by"), r.by(), {"", "total", "unit", "category", "channel", "destination"}));
      return checks::OneOf(Field(field, "format"), r.format(), {"", "json", "text", "csv", "html"});
    }
    default:
      return OkStatus();
  }
}

Status AftermathRequest(const v1::OperatorRequest& request) {
  switch (request.request_case()) {
    case v1::OperatorRequest::kCancelIncident: {
      const Field field("cancel_incident");
      const auto& r = request.cancel_incident();
      ANDING_RETURN_IF_ERROR(Id(Field(field, "incident_id"), r.incident_id()));
      return Reason(Field(field, "reason"), r.reason());
    }
    case v1::OperatorRequest::kUpdateReview: {
      const Field field("update_review");
      const auto& r = request.update_review();
      ANDING_RETURN_IF_ERROR(Id(Field(field, "incident_id"), r.incident_id()));
      for (const auto& [name, text] :
           {std::pair<std::string_view, const std::string*>{"investigation", &r.investigation()},
            {"solution", &r.solution()},
            {"root_cause_text", &r.root_cause_text()},
            {"background", &r.background()},
            {"other_losses_text", &r.other_losses_text()},
            {"responsibility", &r.responsibility()},
            {"lessons", &r.lessons()},
            {"improvements", &r.improvements()}}) {
        ANDING_RETURN_IF_ERROR(Text(Field(field, name), *text, kMaxTextChars, kOptional));
      }
      ANDING_RETURN_IF_ERROR(
          Text(Field(field, "department"), r.department(), kMaxNameChars, kOptional));
      ANDING_RETURN_IF_ERROR(Text(Field(field, "representatives_told_by"),
                                  r.representatives_told_by(), kMaxNameChars, kOptional));
      ANDING_RETURN_IF_ERROR(
          Instant(Field(field, "representatives_told_at"), r.representatives_told_at(), kOptional));
      ANDING_RETURN_IF_ERROR(Id(Field(field, "root_cause"), r.root_cause()));
      if (r.has_watch_days() && (r.watch_days() < 1 || r.watch_days() > 365)) {
        return Invalid(Field(field, "watch_days"), "must be from 1 to 365");
      }
      if (r.other_losses_fen() < 0 || r.other_losses_fen() > limits::kMaxAmountFen) {
        return Invalid(Field(field, "other_losses_fen"),
                       StrCat("must be from 0 to ", limits::kMaxAmountFen, " fen"));
      }
      return OkStatus();
    }
    case v1::OperatorRequest::kShowReview: {
      const Field field("show_review");
      const auto& r = request.show_review();
      ANDING_RETURN_IF_ERROR(Id(Field(field, "incident_id"), r.incident_id()));
      return checks::OneOf(Field(field, "format"), r.format(), {"", "text", "html"});
    }
    case v1::OperatorRequest::kResponseStats: {
      const Field field("response_stats");
      const auto& r = request.response_stats();
      ANDING_RETURN_IF_ERROR(checks::Day(Field(field, "from_day"), r.from_day(), kOptional));
      return checks::Day(Field(field, "to_day"), r.to_day(), kOptional);
    }
    case v1::OperatorRequest::kLedgerStats: {
      const Field field("ledger_stats");
      const auto& r = request.ledger_stats();
      ANDING_RETURN_IF_ERROR(checks::Day(Field(field, "from_day"), r.from_day(), kOptional));
      ANDING_RETURN_IF_ERROR(checks::Day(Field(field, "to_day"), r.to_day(), kOptional));
      ANDING_RETURN_IF_ERROR(checks::OneOf(Field(field, "by"), r.by(), {"", "unit", "category"}));
      return checks::OneOf(Field(field, "format"), r.format(), {"", "text", "csv", "json", "html"});
    }
    case v1::OperatorRequest::kFundStats: {
      const Field field("fund_stats");
      const auto& r = request.fund_stats();
      ANDING_RETURN_IF_ERROR(checks::Day(Field(field, "from_day"), r.from_day(), kOptional));
      ANDING_RETURN_IF_ERROR(checks::Day(Field(field, "to_day"), r.to_day(), kOptional));
      return checks::OneOf(Field(field, "format"), r.format(), {"", "text", "csv", "json", "html"});
    }
    case v1::OperatorRequest::kBackup:
      // The name's characters are the backup module's to judge (the same
      // rule as for files it names itself); here only its length.
      return Text(Field(Field("backup"), "name"), request.backup().name(), 128, kOptional);
    default:
      return OkStatus();
  }
}

}  // namespace

Status ValidateOperatorRequest(const v1::OperatorRequest& request) {
  ANDING_RETURN_IF_ERROR(Id(Field("request_id"), request.request_id()));
  ANDING_RETURN_IF_ERROR(LinkRequest(request));
  ANDING_RETURN_IF_ERROR(LedgerRequest(request));
  ANDING_RETURN_IF_ERROR(FundsRequest(request));
  ANDING_RETURN_IF_ERROR(UsersRequest(request));
  ANDING_RETURN_IF_ERROR(NotifyRequest(request));
  ANDING_RETURN_IF_ERROR(VisitsRequest(request));
  ANDING_RETURN_IF_ERROR(AftermathRequest(request));
  return DispatchRequest(request);
}

}  // namespace anding::wire

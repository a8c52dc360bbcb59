#include "access_policy.h"

#include <algorithm>
#include <array>
#include <functional>

#include "anding/common/strings.h"

namespace anding::dispatcher {
namespace {

using core::Role;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using R = v1::OperatorRequest;

constexpr Role C = Role::kCommander;
constexpr Role P = Role::kPetitionOffice;
constexpr Role U = Role::kUnitOfficer;
constexpr Role A = Role::kAuditor;

// Commanders may do everything; the petition office keeps the ledger, the
// reports and the notices to units; unit officers see and act for their
// own unit; auditors read (what they read cannot be masked — exports are
// files of names — is not theirs).
constexpr CaseRule kRules[] = {
    // The link: events, agents, orders, keys, health, alerts.
    {R::kListEvents, {C, P, U, A}, UnitScope::kRequestUnit},
    {R::kListAgents, {C, P, U, A}, UnitScope::kAny},  // the list keeps the unit's agent
    {R::kSendOrder, {C, P}, UnitScope::kDenied},
    {R::kListOrders, {C, P, U, A}, UnitScope::kRequestUnit},
    {R::kStatus, {C, P, U, A}, UnitScope::kAny},
    {R::kListAlerts, {C, P, U, A}, UnitScope::kAny},  // the list keeps the unit's alerts
    {R::kAcknowledgeAlert, {C, P}, UnitScope::kDenied},
    {R::kEnrolAgent, {C}, UnitScope::kDenied},
    {R::kRevokeAgent, {C}, UnitScope::kDenied},
    {R::kListKeys, {C, A}, UnitScope::kDenied},
    // The 台账, screening, reports. Changes to an existing item name it by
    // id, not by unit: a unit updates its items through its agent.
    {R::kRegisterLedgerItem, {C, P, U}, UnitScope::kRequestUnit},
    {R::kUpdateLedgerItem, {C, P}, UnitScope::kDenied},
    {R::kCloseOutLedgerItem, {C, P}, UnitScope::kDenied},
    {R::kRejectResolution, {C, P}, UnitScope::kDenied},
    {R::kReopenLedgerItem, {C, P}, UnitScope::kDenied},
    {R::kExtendLedgerDeadline, {C, P}, UnitScope::kDenied},
    {R::kListLedgerItems, {C, P, U, A}, UnitScope::kRequestUnit},
    {R::kShowLedgerItem, {C, P, U, A}, UnitScope::kResponseUnit},
    {R::kDailySummary, {C, P, U, A}, UnitScope::kAny},    // rows of the unit only
    {R::kMonthlySummary, {C, P, A}, UnitScope::kDenied},  // rows keyed by unit or category
    {R::kScreeningStatus, {C, P, U, A}, UnitScope::kAny},
    {R::kExport, {C, P}, UnitScope::kDenied},
    // The reserve funds: commanders move money; auditors read the books.
    {R::kCreateTransfer, {C}, UnitScope::kDenied},
    {R::kTopUp, {C}, UnitScope::kDenied},
    {R::kReverseTransfer, {C}, UnitScope::kDenied},
    {R::kSetQuota, {C}, UnitScope::kDenied},
    {R::kPlaceHold, {C}, UnitScope::kDenied},
    {R::kPostHold, {C}, UnitScope::kDenied},
    {R::kVoidHold, {C}, UnitScope::kDenied},
    {R::kListAccounts, {C, U, A}, UnitScope::kAny},  // the unit's reserve only
    {R::kListHolds, {C, A}, UnitScope::kDenied},
    {R::kStatement, {C, A}, UnitScope::kDenied},
    {R::kIncidentCost, {C, A}, UnitScope::kDenied},
    {R::kReconcile, {C, A}, UnitScope::kDenied},
    // Incidents: HQ commands; a unit reports its own steps.
    {R::kReportIncident, {C, P}, UnitScope::kDenied},
    {R::kUpdateIncidentStatus, {C, U}, UnitScope::kRequestUnit},
    {R::kConfirmAssignment, {C}, UnitScope::kDenied},
    {R::kOverrideAssignment, {C}, UnitScope::kDenied},
    {R::kReassign, {C}, UnitScope::kDenied},
    {R::kSetAvailability, {C}, UnitScope::kDenied},
    {R::kListIncidents, {C, P, U, A}, UnitScope::kRequestUnit},
    {R::kShowIncident, {C, P, U, A}, UnitScope::kResponseUnit},
    {R::kListTeams, {C, P, U, A}, UnitScope::kRequestUnit},
    // Users and the audit trail. Anybody may change their own password
    // (the users module refuses other people's to non-commanders).
    {R::kAddUser, {C}, UnitScope::kDenied},
    // Backups copy every record, names and phones included.
    {R::kBackup, {C}, UnitScope::kDenied},
    {R::kSetPassword, {C, P, U, A}, UnitScope::kAny},
    {R::kDisableUser, {C}, UnitScope::kDenied},
    {R::kListUsers, {C, A}, UnitScope::kDenied},
    {R::kListAudit, {C, A}, UnitScope::kDenied},
    {R::kVerifyAudit, {C, A}, UnitScope::kDenied},
    // Notifications: HQ's queue; anybody sees its size in `status`.
    {R::kNotifyList, {C, P, A}, UnitScope::kDenied},
    {R::kNotifyShow, {C, P, A}, UnitScope::kDenied},
    {R::kNotifyAck, {C, P}, UnitScope::kDenied},
    {R::kNotifyPreview, {C, P}, UnitScope::kDenied},
    {R::kNotifyTestSend, {C}, UnitScope::kDenied},
    {R::kNotifyStatus, {C, P, U, A}, UnitScope::kAny},
    // The visit register and petition matters: a unit records its own;
    // the petition office decides on matters; statistics compare units.
    {R::kRecordVisit, {C, P, U}, UnitScope::kRequestUnit},
    {R::kListVisits, {C, P, U, A}, UnitScope::kRequestUnit},
    {R::kRegisterMatter, {C, P, U}, UnitScope::kRequestUnit},
    {R::kUpdateMatter, {C, P}, UnitScope::kDenied},
    {R::kListMatters, {C, P, U, A}, UnitScope::kRequestUnit},
    {R::kVisitStats, {C, P, A}, UnitScope::kDenied},
    // Aftermath: the command center cancels a report made in error; the
    // petition office keeps the post-incident reviews; a unit reads its own.
    {R::kCancelIncident, {C}, UnitScope::kDenied},
    {R::kUpdateReview, {C, P}, UnitScope::kDenied},
    {R::kShowReview, {C, P, U, A}, UnitScope::kResponseUnit},
    {R::kResponseStats, {C, P, A}, UnitScope::kDenied},  // rows of every unit
    // Statistics are aggregates across units, like the two above.
    {R::kLedgerStats, {C, P, A}, UnitScope::kDenied},
    {R::kFundStats, {C, P, A}, UnitScope::kDenied},
    {R::kYearlyReport, {C, P, A}, UnitScope::kDenied},
};

// Fields that hold a person's name (every field of Contact is personal
// too). Free text (descriptions, notes) is not masked: it is the unit's
// account of a matter, and the ledger's rules keep names out of it.
constexpr std::string_view kPersonalFields[] = {
    "anding.v1.LedgerItemRegister.key_persons",
    "anding.v1.LedgerItemView.key_persons",
    "anding.v1.LedgerItemUpdate.updated_by",
    "anding.v1.LedgerItemCloseOut.confirmed_by_leader",
    "anding.v1.LedgerHistoryView.person",
    "anding.v1.ProgressNoteView.written_by",
    "anding.v1.IncidentView.reported_by",
    "anding.v1.IncidentStatusUpdate.reported_by",
    "anding.v1.DailyRiskReport.reported_by",
    "anding.v1.ScreeningReport.screened_by",
    "anding.v1.OrderAcknowledgement.acknowledged_by",
    "anding.v1.NotificationAcknowledgement.acknowledged_by",
    "anding.v1.ExtendLedgerDeadlineRequest.approved_by",
    "anding.v1.VisitView.representative",
    "anding.v1.VisitView.contact",
    "anding.v1.NotificationView.recipient_name",
    "anding.v1.NotificationView.address",
};
constexpr std::string_view kContact = "anding.v1.Contact";
constexpr std::string_view kMask = "***";

const Message* ChosenMessage(const Message& message, std::string_view oneof) {
  const auto* descriptor = message.GetDescriptor()->FindOneofByName(std::string(oneof));
  if (descriptor == nullptr) return nullptr;
  const FieldDescriptor* field =
      message.GetReflection()->GetOneofFieldDescriptor(message, descriptor);
  if (field == nullptr || field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return nullptr;
  return &message.GetReflection()->GetMessage(message, field);
}

Message* MutableChosenMessage(Message& message, std::string_view oneof) {
  const auto* descriptor = message.GetDescriptor()->FindOneofByName(std::string(oneof));
  if (descriptor == nullptr) return nullptr;
  const FieldDescriptor* field =
      message.GetReflection()->GetOneofFieldDescriptor(message, descriptor);
  if (field == nullptr || field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return nullptr;
  return message.GetReflection()->MutableMessage(&message, field);
}

std::string_view CaseName(const v1::OperatorRequest& request) {
  const auto* oneof = v1::OperatorRequest::descriptor()->FindOneofByName("request");
  const FieldDescriptor* field = request.GetReflection()->GetOneofFieldDescriptor(request, oneof);
  return field == nullptr ? std::string_view("(empty)") : std::string_view(field->name());
}

const FieldDescriptor* UnitField(const google::protobuf::Descriptor* descriptor) {
  const FieldDescriptor* field = descriptor->FindFieldByName("unit_id");
  if (field == nullptr || field->is_repeated() ||
      field->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return nullptr;
  }
  return field;
}

// Whether any unit_id inside `message` is `unit`.
bool MentionsUnit(const Message& message, std::string_view unit) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          if (MentionsUnit(reflection->GetRepeatedMessage(message, field, i), unit)) return true;
        }
      } else if (MentionsUnit(reflection->GetMessage(message, field), unit)) {
        return true;
      }
    } else if (field->name() == "unit_id" && !field->is_repeated() &&
               field->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
               reflection->GetString(message, field) == unit) {
      return true;
    }
  }
  return false;
}

// Keeps, in every list of `result`, the entries of `unit` only: messages
// with a unit_id, and unit ids in lists named units_*.
void KeepUnitEntries(Message& result, std::string_view unit) {
  const Reflection* reflection = result.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(result, &fields);
  for (const FieldDescriptor* field : fields) {
    if (!field->is_repeated()) continue;
    std::function<bool(int)> keep;
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      const FieldDescriptor* unit_field = UnitField(field->message_type());
      if (unit_field == nullptr) continue;
      keep = [&, unit_field](int i) {
        return reflection->GetRepeatedMessage(result, field, i)
                   .GetReflection()
                   ->GetString(reflection->GetRepeatedMessage(result, field, i), unit_field) ==
               unit;
      };
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
               field->name().starts_with("units")) {
      keep = [&](int i) { return reflection->GetRepeatedString(result, field, i) == unit; };
    } else {
      continue;
    }
    const int size = reflection->FieldSize(result, field);
    int kept = 0;
    for (int i = 0; i < size; ++i) {
      if (!keep(i)) continue;
      if (i != kept) reflection->SwapElements(&result, field, i, kept);
      ++kept;
    }
    for (int i = kept; i < size; ++i) reflection->RemoveLast(&result, field);
  }
}

bool IsPersonalField(const FieldDescriptor& field) {
  if (field.containing_type()->full_name() == kContact) return true;
  const std::string& name = field.full_name();
  return std::find(std::begin(kPersonalFields), std::end(kPersonalFields), name) !=
         std::end(kPersonalFields);
}

}  // namespace

std::span<const CaseRule> AccessRules() { return kRules; }

const CaseRule* FindAccessRule(v1::OperatorRequest::RequestCase request_case) {
  for (const CaseRule& rule : kRules) {
    if (rule.request_case == request_case) return &rule;
  }
  return nullptr;
}

bool SeesPersonalDetails(core::Role role) {
  return role == Role::kCommander || role == Role::kPetitionOffice;
}

std::span<const std::string_view> PersonalFields() { return kPersonalFields; }

Status Authorize(const Principal& who, v1::OperatorRequest& request) {
  if (who.kind != Principal::Kind::kOperator) {
    return PermissionDeniedError("only operators make operator requests");
  }
  const CaseRule* rule = FindAccessRule(request.request_case());
  const bool allowed =
      rule == nullptr ? who.role == Role::kCommander : rule->roles.contains(who.role);
  if (!allowed) {
    return PermissionDeniedError(
        StrCat("a ", core::RoleName(who.role), " may not ", CaseName(request), " (", who.id, ")"));
  }
  if (who.role != Role::kUnitOfficer || rule == nullptr) return OkStatus();
  if (rule->unit_scope == UnitScope::kDenied) {
    return PermissionDeniedError(StrCat("a unit officer may not ", CaseName(request)));
  }
  if (rule->unit_scope != UnitScope::kRequestUnit) return OkStatus();
  Message* chosen = MutableChosenMessage(request, "request");
  const FieldDescriptor* unit_field =
      chosen == nullptr ? nullptr : UnitField(chosen->GetDescriptor());
  if (unit_field == nullptr) {
    return InternalError(StrCat("access policy: ", CaseName(request), " has no unit_id"));
  }
  const Reflection* reflection = chosen->GetReflection();
  const std::string named = reflection->GetString(*chosen, unit_field);
  if (named.empty()) {
    reflection->SetString(chosen, unit_field, who.unit_id);
  } else if (named != who.unit_id) {
    return PermissionDeniedError(
        StrCat("unit_id: a unit officer of '", who.unit_id, "' may not act for '", named, "'"));
  }
  return OkStatus();
}

void ShapeResponse(const Principal& who, const v1::OperatorRequest& request,
                   v1::OperatorResponse& response) {
  if (response.has_error()) return;
  if (who.role == Role::kUnitOfficer) {
    const CaseRule* rule = FindAccessRule(request.request_case());
    if (rule != nullptr && rule->unit_scope == UnitScope::kResponseUnit) {
      const Message* result = ChosenMessage(response, "result");
      if (result != nullptr && !MentionsUnit(*result, who.unit_id)) {
        const std::string id = response.request_id();
        response.Clear();
        response.set_request_id(id);
        response.mutable_error()->set_code(std::string(CodeName(StatusCode::kPermissionDenied)));
        response.mutable_error()->set_message(
            StrCat("this record is not of unit '", who.unit_id, "'"));
        return;
      }
    }
    if (Message* result = MutableChosenMessage(response, "result")) {
      KeepUnitEntries(*result, who.unit_id);
    }
  }
  if (!SeesPersonalDetails(who.role)) MaskPersonalDetails(response);
}

size_t MaskPersonalDetails(Message& message) {
  size_t masked = 0;
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          masked += MaskPersonalDetails(*reflection->MutableRepeatedMessage(&message, field, i));
        }
      } else {
        masked += MaskPersonalDetails(*reflection->MutableMessage(&message, field));
      }
      continue;
    }
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_STRING || !IsPersonalField(*field)) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        if (reflection->GetRepeatedString(message, field, i).empty()) continue;
        reflection->SetRepeatedString(&message, field, i, std::string(kMask));
        ++masked;
      }
    } else if (!reflection->GetString(message, field).empty()) {
      reflection->SetString(&message, field, std::string(kMask));
      ++masked;
    }
  }
  return masked;
}

}  // namespace anding::dispatcher

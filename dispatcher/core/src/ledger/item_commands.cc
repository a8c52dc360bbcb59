// Ledger item commands: register, update (progress, field edits,
// resolution), reject a resolution, close out, reopen, extend a deadline.
#include <algorithm>

#include "anding/common/strings.h"
#include "anding/core/ledger/labels.h"
#include "anding/core/ledger/ledger.h"
#include "internal.h"

namespace anding::core::ledger {

using internal::Abbreviate;
using internal::CheckNames;
using internal::CheckPerson;
using internal::CheckText;
using internal::DescribePerson;
using internal::RecordChange;
using internal::Trim;
using internal::TrimPerson;
using limits::kMaxNameChars;
using limits::kMaxTextChars;

namespace {

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) {
    if (!joined.empty()) joined += "、";
    joined += name;
  }
  return joined;
}

std::vector<std::string> TrimNames(const std::vector<std::string>& names) {
  std::vector<std::string> trimmed;
  for (const std::string& name : names) trimmed.push_back(Trim(name));
  return trimmed;
}

Status NotClosed(const LedgerItem& item, std::string_view what) {
  if (item.state != ItemState::kClosedOut) return OkStatus();
  return FailedPreconditionError(
      StrCat("ledger item ", item.id, " is closed out; ", what, " needs it reopened (反弹) first"));
}

}  // namespace

Result<std::string> Ledger::Register(const RegisterItemRequest& request, const Actor& who, Time now,
                                     Effects& out) {
  ANDING_ASSIGN_OR_RETURN(std::string unit, FilingUnit(who, request.unit_id));
  ANDING_ASSIGN_OR_RETURN(const Category* category, CategoryFor(request.category_id));
  ANDING_RETURN_IF_ERROR(CheckText("description", request.description, kMaxTextChars, true));
  if (!request.level) {
    return InvalidArgumentError("level is required (low, medium, high or critical)");
  }
  ANDING_RETURN_IF_ERROR(CheckPerson("responsible_leader", request.responsible_leader, true));
  ANDING_RETURN_IF_ERROR(CheckPerson("responsible_person", request.responsible_person, true));
  ANDING_RETURN_IF_ERROR(
      CheckText("lead_department", request.lead_department, kMaxNameChars, false));
  ANDING_RETURN_IF_ERROR(CheckText("measures", request.measures, kMaxTextChars, false));
  ANDING_RETURN_IF_ERROR(CheckNames("key_persons", request.key_persons));
  const Time deadline = request.deadline.value_or(now + config_.default_deadline);
  if (deadline <= now) {
    return InvalidArgumentError(StrCat("deadline ", FormatUtc(deadline), " is not in the future"));
  }

  LedgerItem item;
  item.id = AssignId("TZ", now);
  item.unit_id = std::move(unit);
  item.category_id = category->id;
  item.description = Trim(request.description);
  item.persons = request.persons;
  item.key_persons = TrimNames(request.key_persons);
  item.level = *request.level;
  item.responsible_leader = TrimPerson(request.responsible_leader);
  item.responsible_person = TrimPerson(request.responsible_person);
  item.lead_department = Trim(request.lead_department);
  if (item.lead_department.empty()) item.lead_department = category->lead_department;
  item.measures = Trim(request.measures);
  item.deadline = deadline;
  item.state = ItemState::kRegistered;
  item.source = request.source;
  item.source_ref = request.source_ref;
  item.registered_at = now;
  item.registered_by = who;
  item.updated_at = now;
  item.last_activity_at = now;
  HistoryEntry entry;
  entry.at = now;
  entry.actor = who;
  entry.action = std::string(kActionRegistered);
  entry.changes.push_back({"state", "", std::string(ItemStateName(ItemState::kRegistered))});
  item.history.push_back(std::move(entry));

  std::string id = item.id;
  std::string summary = StrCat("台账 ", id, " 挂号：", UnitLabel(*org_, item.unit_id), "·",
                               category->name_zh, " — ", Abbreviate(item.description, 60));
  Commit(std::move(item), ItemStateName(ItemState::kRegistered), std::move(summary), out);
  MetaChanged(out);
  return id;
}

Status Ledger::Update(const UpdateItemRequest& request, const Actor& who, Time now, Effects& out) {
  ANDING_ASSIGN_OR_RETURN(const LedgerItem* current, ItemFor(request.item_id, who));
  ANDING_RETURN_IF_ERROR(NotClosed(*current, "an update"));
  ANDING_RETURN_IF_ERROR(CheckText("progress", request.progress, kMaxTextChars, false));
  ANDING_RETURN_IF_ERROR(CheckText("resolution", request.resolution, kMaxTextChars, false));
  ANDING_RETURN_IF_ERROR(CheckText("updated_by", request.updated_by, kMaxNameChars, false));
  if (request.measures)
    ANDING_RETURN_IF_ERROR(CheckText("measures", *request.measures, kMaxTextChars, false));
  if (request.description) {
    ANDING_RETURN_IF_ERROR(CheckText("description", *request.description, kMaxTextChars, true));
  }
  if (request.key_persons) ANDING_RETURN_IF_ERROR(CheckNames("key_persons", *request.key_persons));
  if (request.responsible_leader) {
    ANDING_RETURN_IF_ERROR(CheckPerson("responsible_leader", *request.responsible_leader, true));
  }
  if (request.responsible_person) {
    ANDING_RETURN_IF_ERROR(CheckPerson("responsible_person", *request.responsible_person, true));
  }
  if (request.lead_department) {
    ANDING_RETURN_IF_ERROR(
        CheckText("lead_department", *request.lead_department, kMaxNameChars, true));
  }
  const std::string progress = Trim(request.progress);
  const std::string resolution = Trim(request.resolution);
  const bool has_fields = request.level || request.measures || request.persons ||
                          request.description || request.key_persons ||
                          request.responsible_leader || request.responsible_person ||
                          request.lead_department;
  if (progress.empty() && resolution.empty() && !has_fields) {
    return InvalidArgumentError("empty update: give progress, a resolution or a field to change");
  }
  if (!resolution.empty() && current->state == ItemState::kResolved) {
    return FailedPreconditionError(
        StrCat("ledger item ", current->id,
               " is already resolved; close it out or reject the resolution first"));
  }

  LedgerItem next = FieldsOf(*current);
  HistoryEntry entry;
  entry.at = now;
  entry.actor = who;
  entry.person = Trim(request.updated_by);
  auto& changes = entry.changes;
  if (request.level) {
    RecordChange(changes, "level", RiskLevelName(next.level), RiskLevelName(*request.level));
    next.level = *request.level;
  }
  if (request.measures) {
    RecordChange(changes, "measures", next.measures, Trim(*request.measures));
    next.measures = Trim(*request.measures);
  }
  if (request.persons) {
    RecordChange(changes, "persons", StrCat(next.persons), StrCat(*request.persons));
    next.persons = *request.persons;
  }
  if (request.description) {
    RecordChange(changes, "description", next.description, Trim(*request.description));
    next.description = Trim(*request.description);
  }
  if (request.key_persons) {
    std::vector<std::string> names = TrimNames(*request.key_persons);
    RecordChange(changes, "key_persons", JoinNames(next.key_persons), JoinNames(names));
    next.key_persons = std::move(names);
  }
  if (request.responsible_leader) {
    const Person leader = TrimPerson(*request.responsible_leader);
    RecordChange(changes, "responsible_leader", DescribePerson(next.responsible_leader),
                 DescribePerson(leader));
    next.responsible_leader = leader;
  }
  if (request.responsible_person) {
    const Person person = TrimPerson(*request.responsible_person);
    RecordChange(changes, "responsible_person", DescribePerson(next.responsible_person),
                 DescribePerson(person));
    next.responsible_person = person;
  }
  if (request.lead_department) {
    RecordChange(changes, "lead_department", next.lead_department, Trim(*request.lead_department));
    next.lead_department = Trim(*request.lead_department);
  }

  const bool work = !progress.empty() || !resolution.empty();
  if (work) {
    if (next.state == ItemState::kRegistered || next.state == ItemState::kReopened) {
      RecordChange(changes, "state", ItemStateName(next.state),
                   ItemStateName(ItemState::kInProgress));
      next.state = ItemState::kInProgress;
    }
    if (!progress.empty()) {
      next.updates.push_back(ProgressUpdate{now, who, entry.person, progress});
    }
    next.last_activity_at = now;
  }
  if (!resolution.empty()) {
    RecordChange(changes, "resolution", next.resolution, resolution);
    RecordChange(changes, "state", ItemStateName(next.state), ItemStateName(ItemState::kResolved));
    next.resolution = resolution;
    next.state = ItemState::kResolved;
    next.resolved_at = now;
  }
  if (!work && changes.empty()) return OkStatus();  // the fields already had these values

  entry.action = std::string(!resolution.empty() ? kActionResolved
                             : work              ? kActionProgress
                                                 : kActionUpdated);
  entry.note = progress;
  next.updated_at = now;
  next.history.push_back(std::move(entry));

  std::string summary;
  if (!resolution.empty()) {
    summary = StrCat("台账 ", next.id, " 已化解，待包案领导确认销号：", Abbreviate(resolution, 60));
  } else if (!progress.empty()) {
    summary = StrCat("台账 ", next.id, " 进展：", Abbreviate(progress, 60));
  } else {
    summary = StrCat("台账 ", next.id, " 信息已更新");
  }
  const std::string_view state = ItemStateName(next.state);
  Commit(std::move(next), state, std::move(summary), out);
  return OkStatus();
}

Status Ledger::RejectResolution(const RejectResolutionRequest& request, const Actor& who, Time now,
                                Effects& out) {
  ANDING_ASSIGN_OR_RETURN(const LedgerItem* current, ItemFor(request.item_id, who));
  if (current->state != ItemState::kResolved) {
    return FailedPreconditionError(StrCat("ledger item ", current->id, " is ",
                                          ItemStateName(current->state),
                                          "; only a resolved item's resolution can be rejected"));
  }
  ANDING_RETURN_IF_ERROR(CheckText("reason", request.reason, kMaxTextChars, true));
  LedgerItem next = FieldsOf(*current);
  HistoryEntry entry;
  entry.at = now;
  entry.actor = who;
  entry.action = std::string(kActionResolutionRejected);
  entry.note = Trim(request.reason);
  RecordChange(entry.changes, "state", ItemStateName(next.state),
               ItemStateName(ItemState::kInProgress));
  RecordChange(entry.changes, "resolution", next.resolution, "");
  next.state = ItemState::kInProgress;
  next.resolution.clear();
  next.resolved_at.reset();
  next.last_activity_at = now;
  next.updated_at = now;
  next.history.push_back(std::move(entry));
  std::string summary = StrCat("台账 ", next.id, " 化解结果未获认可，继续处置：",
                               Abbreviate(Trim(request.reason), 60));
  Commit(std::move(next), ItemStateName(ItemState::kInProgress), std::move(summary), out);
  return OkStatus();
}

Status Ledger::CloseOut(const CloseOutRequest& request, const Actor& who, Time now, Effects& out) {
  ANDING_ASSIGN_OR_RETURN(const LedgerItem* current, ItemFor(request.item_id, who));
  if (current->state == ItemState::kClosedOut) {
    return FailedPreconditionError(StrCat("ledger item ", current->id, " is already closed out"));
  }
  if (current->state != ItemState::kResolved) {
    return FailedPreconditionError(
        StrCat("ledger item ", current->id, " is ", ItemStateName(current->state),
               "; only a resolved item can be closed out (销号): record its resolution first"));
  }
  ANDING_RETURN_IF_ERROR(CheckText("resolution", request.resolution, kMaxTextChars, false));
  ANDING_RETURN_IF_ERROR(
      CheckText("confirmed_by_leader", request.confirmed_by_leader, kMaxNameChars, false));
  std::string resolution = Trim(request.resolution);
  if (resolution.empty()) resolution = current->resolution;
  if (resolution.empty()) {
    return FailedPreconditionError(StrCat("ledger item ", current->id,
                                          " cannot be closed out without a resolution (案结事了)"));
  }
  const std::string leader = Trim(request.confirmed_by_leader);
  if (leader.empty()) {
    return FailedPreconditionError(
        StrCat("ledger item ", current->id,
               " cannot be closed out without the responsible leader's confirmation "
               "(包案领导确认)"));
  }
  if (current->responsible_leader.name.empty()) {
    return FailedPreconditionError(StrCat("ledger item ", current->id,
                                          " has no responsible leader (包案领导); assign one "
                                          "before closing it out"));
  }
  if (leader != current->responsible_leader.name) {
    return FailedPreconditionError(StrCat("ledger item ", current->id,
                                          " must be confirmed by its responsible leader ",
                                          current->responsible_leader.name, ", not ", leader));
  }
  const Time confirmed_at = request.confirmed_at.value_or(now);
  if (confirmed_at > now + internal::kClockSkew) {
    return InvalidArgumentError(
        StrCat("confirmed_at ", FormatUtc(confirmed_at), " is in the future"));
  }

  LedgerItem next = FieldsOf(*current);
  HistoryEntry entry;
  entry.at = now;
  entry.actor = who;
  entry.action = std::string(kActionClosedOut);
  entry.person = leader;
  RecordChange(entry.changes, "resolution", next.resolution, resolution);
  RecordChange(entry.changes, "confirmed_by_leader", next.confirmed_by_leader, leader);
  RecordChange(entry.changes, "state", ItemStateName(next.state),
               ItemStateName(ItemState::kClosedOut));
  next.resolution = resolution;
  next.confirmed_by_leader = leader;
  next.confirmed_at = confirmed_at;
  next.state = ItemState::kClosedOut;
  next.closed_out_at = now;
  next.updated_at = now;
  next.history.push_back(std::move(entry));
  std::string summary =
      StrCat("台账 ", next.id, " 销号（", leader, " 确认）：", Abbreviate(resolution, 60));
  Commit(std::move(next), ItemStateName(ItemState::kClosedOut), std::move(summary), out);
  return OkStatus();
}

Status Ledger::Reopen(const ReopenRequest& request, const Actor& who, Time now, Effects& out) {
  ANDING_ASSIGN_OR_RETURN(const LedgerItem* current, ItemFor(request.item_id, who));
  if (current->state != ItemState::kClosedOut) {
    return FailedPreconditionError(StrCat("ledger item ", current->id, " is ",
                                          ItemStateName(current->state),
                                          "; only a closed-out item can be reopened"));
  }
  ANDING_RETURN_IF_ERROR(CheckText("reason", request.reason, kMaxTextChars, true));
  if (request.new_deadline && *request.new_deadline <= now) {
    return InvalidArgumentError(
        StrCat("new deadline ", FormatUtc(*request.new_deadline), " is not in the future"));
  }
  LedgerItem next = FieldsOf(*current);
  const std::string reason = Trim(request.reason);
  internal::ApplyReopen(next, reason, request.new_deadline, who, now);
  std::string summary = StrCat("台账 ", next.id, " 反弹，重新打开：", Abbreviate(reason, 60));
  Commit(std::move(next), ItemStateName(ItemState::kReopened), std::move(summary), out);
  return OkStatus();
}

Status Ledger::ExtendDeadline(const ExtendDeadlineRequest& request, const Actor& who, Time now,
                              Effects& out) {
  ANDING_ASSIGN_OR_RETURN(const LedgerItem* current, ItemFor(request.item_id, who));
  ANDING_RETURN_IF_ERROR(NotClosed(*current, "a deadline extension"));
  ANDING_RETURN_IF_ERROR(CheckText("reason", request.reason, kMaxTextChars, true));
  ANDING_RETURN_IF_ERROR(CheckText("approved_by", request.approved_by, kMaxNameChars, true));
  if (request.new_deadline <= current->deadline) {
    return InvalidArgumentError(StrCat("the new deadline ", FormatUtc(request.new_deadline),
                                       " is not later than the current deadline ",
                                       FormatUtc(current->deadline)));
  }
  if (request.new_deadline <= now) {
    return InvalidArgumentError(
        StrCat("the new deadline ", FormatUtc(request.new_deadline), " is already past"));
  }
  LedgerItem next = FieldsOf(*current);
  HistoryEntry entry;
  entry.at = now;
  entry.actor = who;
  entry.action = std::string(kActionDeadlineExtended);
  entry.note = Trim(request.reason);
  entry.person = Trim(request.approved_by);
  RecordChange(entry.changes, "deadline", FormatUtc(next.deadline),
               FormatUtc(request.new_deadline));
  next.deadline = request.new_deadline;
  next.updated_at = now;
  next.history.push_back(std::move(entry));
  std::string summary =
      StrCat("台账 ", next.id, " 办结时限延至 ",
             org_->time_zone().FormatLocal(request.new_deadline, "%Y-%m-%d %H:%M"), "（",
             Trim(request.approved_by), " 批准）");
  Commit(std::move(next), kActionDeadlineExtended, std::move(summary), out);
  return OkStatus();
}

}  // namespace anding::core::ledger

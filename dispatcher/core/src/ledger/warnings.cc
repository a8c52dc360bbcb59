// Early warnings (苗头动向): record, grade, attach to or create a ledger
// item, and special-report (专报) the major ones at once.
#include "anding/common/strings.h"
#include "anding/core/ledger/grading.h"
#include "anding/core/ledger/labels.h"
#include "anding/core/ledger/ledger.h"
#include "internal.h"

namespace anding::core::ledger {

using internal::Abbreviate;
using internal::CheckText;
using internal::RecordChange;
using internal::Trim;
using limits::kMaxLineChars;
using limits::kMaxTextChars;

namespace {

std::string DescribeReasons(const std::vector<std::string>& reasons) {
  std::string text;
  for (const std::string& reason : reasons) {
    if (!text.empty()) text += ", ";
    text += reason;
  }
  return text;
}

}  // namespace

Result<WarningOutcome> Ledger::ReceiveWarning(const EarlyWarningRequest& request, const Actor& who,
                                              Time now, Effects& out) {
  ANDING_ASSIGN_OR_RETURN(std::string unit, FilingUnit(who, request.unit_id));
  ANDING_RETURN_IF_ERROR(CheckText("summary", request.summary, kMaxLineChars, true));
  ANDING_RETURN_IF_ERROR(CheckText("details", request.details, kMaxTextChars, false));
  ANDING_RETURN_IF_ERROR(
      CheckText("destination.address", request.destination_address, kMaxLineChars, false));
  const Region* destination = nullptr;
  if (!request.destination_region_id.empty()) {
    destination = org_->FindRegion(request.destination_region_id);
    if (destination == nullptr) {
      return InvalidArgumentError(
          StrCat("unknown destination region '", request.destination_region_id, "'"));
    }
  }
  if (request.observed_at && *request.observed_at > now + internal::kClockSkew) {
    return InvalidArgumentError(
        StrCat("observed_at ", FormatUtc(*request.observed_at), " is in the future"));
  }

  // Which item the warning joins.
  const LedgerItem* target = nullptr;
  const Category* category = nullptr;
  if (!request.ledger_item_id.empty()) {
    ANDING_ASSIGN_OR_RETURN(target, ItemFor(request.ledger_item_id, who));
    if (target->unit_id != unit) {
      return InvalidArgumentError(StrCat("ledger item ", target->id, " belongs to unit '",
                                         target->unit_id, "', not '", unit, "'"));
    }
    if (!request.category_id.empty() && request.category_id != target->category_id) {
      return InvalidArgumentError(StrCat("warning category '", request.category_id,
                                         "' does not match ledger item ", target->id, " category '",
                                         target->category_id, "'"));
    }
    category = org_->FindCategory(target->category_id);
  } else {
    ANDING_ASSIGN_OR_RETURN(category, CategoryFor(request.category_id));
    // The newest open item of the unit and category (by id on a tie).
    const auto group = items_by_unit_category_.find({unit, category->id});
    if (group != items_by_unit_category_.end()) {
      for (const std::string& id : group->second) {
        const LedgerItem& item = items_.find(id)->second;
        if (!IsOpen(item.state)) continue;
        if (target == nullptr || item.registered_at >= target->registered_at) target = &item;
      }
    }
  }

  const WarningGrade grade = GradeWarning(
      WarningFacts{request.major, request.persons, destination, request.level}, config_.major);
  const RiskLevel level =
      request.level.value_or(grade.major ? RiskLevel::kHigh : RiskLevel::kMedium);

  WarningRecord warning;
  warning.id = AssignId("YJ", now);
  warning.unit_id = unit;
  warning.summary = Trim(request.summary);
  warning.details = Trim(request.details);
  warning.persons = request.persons;
  warning.level = level;
  warning.reported_major = request.major;
  warning.graded_major = grade.major;
  warning.major_reasons = grade.reasons;
  warning.destination_region_id = request.destination_region_id;
  warning.destination_address = Trim(request.destination_address);
  warning.observed_at = request.observed_at;
  warning.received_at = now;
  warning.received_from = who;

  LedgerItem item;
  if (target != nullptr) {
    item = FieldsOf(*target);
    if (item.state == ItemState::kClosedOut) {
      internal::ApplyReopen(item, StrCat("苗头预警 ", warning.id, "：", warning.summary),
                            std::nullopt, who, now);
      warning.reopened_item = true;
    }
    HistoryEntry entry;
    entry.at = now;
    entry.actor = who;
    entry.action = std::string(kActionWarningAttached);
    entry.note = StrCat(warning.id, "：", warning.summary);
    if (request.persons > item.persons) {
      RecordChange(entry.changes, "persons", StrCat(item.persons), StrCat(request.persons));
      item.persons = request.persons;
    }
    if (level > item.level) {
      RecordChange(entry.changes, "level", RiskLevelName(item.level), RiskLevelName(level));
      item.level = level;
    }
    item.updated_at = now;
    item.history.push_back(std::move(entry));
  } else {
    std::string description = warning.summary;
    if (!warning.details.empty()) description += "\n" + warning.details;
    item = DerivedItem(unit, *category, std::move(description), request.persons, level,
                       ItemSource::kEarlyWarning, warning.id, who, now);
    warning.created_item = true;
  }
  item.warning_ids.push_back(warning.id);
  warning.category_id = item.category_id;
  warning.ledger_item_id = item.id;

  WarningOutcome outcome;
  outcome.warning_id = warning.id;
  outcome.ledger_item_id = item.id;
  outcome.created_item = warning.created_item;
  outcome.reopened_item = warning.reopened_item;
  outcome.special_report = grade.major;
  outcome.major_reasons = grade.reasons;

  const std::string unit_name = UnitLabel(*org_, unit);
  const std::string item_summary = warning.created_item
                                       ? StrCat("台账 ", item.id, " 由苗头预警 ", warning.id,
                                                " 挂号：", unit_name, "·", category->name_zh)
                                       : StrCat("苗头预警 ", warning.id, " 并入台账 ", item.id,
                                                warning.reopened_item ? "（反弹，重新打开）" : "");
  const std::string_view item_state =
      warning.created_item ? ItemStateName(item.state) : kActionWarningAttached;
  Commit(std::move(item), item_state, item_summary, out);

  out.changed.push_back(RecordRef{std::string(kWarningRecord), warning.id});
  out.notices.push_back(FeedNotice{
      std::string(kWarningRecord), warning.id, grade.major ? "special_report" : "received",
      StrCat(unit_name, " 苗头预警：", Abbreviate(warning.summary, 60)), unit});
  if (grade.major) {
    std::string text = StrCat("【专报】", unit_name, " 报告重大群体性事件苗头：", warning.summary,
                              "。涉及约 ", warning.persons, " 人");
    if (destination != nullptr) StrAppend(text, "，动向：赴", destination->name);
    StrAppend(text, "。风险等级：", LevelLabel(level, Language::kZh), "；台账 ",
              outcome.ledger_item_id, "；研判依据：", DescribeReasons(grade.reasons), "。");
    out.alerts.push_back(
        HqAlert{HqAlert::Severity::kCritical, "special_report", warning.id, unit, text});
    out.notices.push_back(FeedNotice{"alert", warning.id, "special_report", text, unit});
  }
  out.events.push_back(WarningReceived{warning.id, warning.ledger_item_id, unit,
                                       warning.category_id, warning.summary, now});
  warnings_.insert_or_assign(warning.id, std::move(warning));
  MetaChanged(out);
  return outcome;
}

}  // namespace anding::core::ledger

// Screening reports (排查): one per unit and period, findings or an
// explicit zero report (零报告).
#include "anding/common/strings.h"
#include "anding/core/ledger/labels.h"
#include "anding/core/ledger/ledger.h"
#include "internal.h"

namespace anding::core::ledger {

using internal::CheckText;
using internal::RecordChange;
using internal::Trim;
using limits::kMaxListItems;
using limits::kMaxNameChars;
using limits::kMaxTextChars;

namespace {

// The request's content in stored form; new findings have no item id yet.
ScreeningContent ContentOf(const ScreeningReportRequest& request) {
  ScreeningContent content;
  content.zero_report = request.zero_report;
  content.screened_by = Trim(request.screened_by);
  content.remarks = Trim(request.remarks);
  for (const ScreeningFindingRequest& finding : request.findings) {
    ScreeningFinding stored;
    stored.ledger_item_id = finding.ledger_item_id;
    stored.created_item = finding.ledger_item_id.empty();
    stored.category_id = finding.category_id;
    stored.description = Trim(finding.description);
    stored.persons = finding.persons;
    stored.level = finding.level;
    content.findings.push_back(std::move(stored));
  }
  return content;
}

// True when `requested` (ContentOf) says the same as `stored`: new findings
// match the items they created by their content.
bool SameContent(const ScreeningContent& requested, const ScreeningContent& stored) {
  if (requested.zero_report != stored.zero_report || requested.screened_by != stored.screened_by ||
      requested.remarks != stored.remarks || requested.findings.size() != stored.findings.size()) {
    return false;
  }
  for (size_t i = 0; i < requested.findings.size(); ++i) {
    ScreeningFinding a = requested.findings[i];
    const ScreeningFinding& b = stored.findings[i];
    if (a.created_item) a.ledger_item_id = b.ledger_item_id;
    if (!(a == b)) return false;
  }
  return true;
}

}  // namespace

void Ledger::HoldUncheckedScreenings(ScreeningSource source) {
  screening_source_ = std::move(source);
  for (PeriodKind kind : kAllPeriodKinds) {
    const std::optional<Period> unchecked = ledger::FirstUncheckedPeriod(meta_, kind);
    if (!unchecked) continue;
    Period& from = screenings_from_.try_emplace(kind, *unchecked).first->second;
    from = std::max(from, *unchecked);
  }
  const auto let_go = [&](const auto& entry) { return !HoldsScreeningsOf(entry.second.period); };
  std::erase_if(screenings_, let_go);
  std::erase_if(reminders_, let_go);
}

bool Ledger::HoldsScreeningsOf(const Period& period) const {
  auto it = screenings_from_.find(period.kind);
  return it == screenings_from_.end() || period >= it->second;
}

Result<ScreeningOutcome> Ledger::FileScreening(const ScreeningReportRequest& request,
                                               const Actor& who, Time now, Effects& out) {
  ANDING_ASSIGN_OR_RETURN(std::string unit, FilingUnit(who, request.unit_id));
  ANDING_RETURN_IF_ERROR(ValidatePeriod(request.period));
  const TimeZone& zone = org_->time_zone();
  if (now < PeriodStart(request.period, zone)) {
    return InvalidArgumentError(StrCat("period ", FormatPeriod(request.period),
                                       " has not begun; a screening report covers a period "
                                       "that has started"));
  }
  if (request.zero_report && !request.findings.empty()) {
    return InvalidArgumentError("a zero report (零报告) must not list findings");
  }
  if (!request.zero_report && request.findings.empty()) {
    return InvalidArgumentError(
        "a screening report without findings must be marked as a zero report (零报告)");
  }
  if (request.findings.size() > kMaxListItems) {
    return InvalidArgumentError(StrCat("more than ", kMaxListItems, " findings"));
  }
  ANDING_RETURN_IF_ERROR(CheckText("screened_by", request.screened_by, kMaxNameChars, false));
  ANDING_RETURN_IF_ERROR(CheckText("remarks", request.remarks, kMaxTextChars, false));
  std::vector<const Category*> categories(request.findings.size(), nullptr);
  for (size_t i = 0; i < request.findings.size(); ++i) {
    const ScreeningFindingRequest& finding = request.findings[i];
    const std::string field = StrCat("findings[", i, "]");
    ANDING_RETURN_IF_ERROR(CheckText(StrCat(field, ".description"), finding.description,
                                     kMaxTextChars, finding.ledger_item_id.empty()));
    if (!finding.ledger_item_id.empty()) {
      ANDING_ASSIGN_OR_RETURN(const LedgerItem* item, ItemFor(finding.ledger_item_id, who));
      if (item->unit_id != unit) {
        return InvalidArgumentError(
            StrCat(field, ": ledger item ", item->id, " belongs to unit '", item->unit_id, "'"));
      }
      if (!finding.category_id.empty() && finding.category_id != item->category_id) {
        return InvalidArgumentError(StrCat(field, ": category '", finding.category_id,
                                           "' does not match ledger item ", item->id));
      }
    } else {
      auto category = CategoryFor(finding.category_id);
      if (!category.ok()) return Annotate(category.status(), field);
      categories[i] = *category;
    }
  }

  const UnitPeriod key{unit, FormatPeriod(request.period)};
  const std::string record_key = ScreeningKey(unit, request.period);
  ScreeningContent content = ContentOf(request);
  auto existing = screenings_.find(key);
  if (existing == screenings_.end() && !HoldsScreeningsOf(request.period)) {
    // An earlier period's: its stored report, if any, is the one re-filed.
    if (!screening_source_) {
      return UnavailableError(StrCat("the screening reports of ", FormatPeriod(request.period),
                                     " are not held and there is no store to read them from"));
    }
    ANDING_ASSIGN_OR_RETURN(std::optional<ScreeningRecord> stored,
                            screening_source_(unit, request.period));
    if (stored) existing = screenings_.emplace(key, std::move(*stored)).first;
  }
  if (existing != screenings_.end() && SameContent(content, existing->second.content)) {
    ScreeningOutcome outcome;
    outcome.key = record_key;
    outcome.revision = existing->second.revision;
    outcome.unchanged = true;
    outcome.late = existing->second.late;
    for (const ScreeningFinding& finding : existing->second.content.findings) {
      outcome.ledger_item_ids.push_back(finding.ledger_item_id);
    }
    return outcome;
  }

  // Apply: new findings become items, linked ones are confirmed.
  ScreeningOutcome outcome;
  outcome.key = record_key;
  bool meta_changed = false;
  for (size_t i = 0; i < content.findings.size(); ++i) {
    ScreeningFinding& finding = content.findings[i];
    if (finding.created_item) {
      LedgerItem item = DerivedItem(unit, *categories[i], finding.description, finding.persons,
                                    finding.level.value_or(RiskLevel::kMedium),
                                    ItemSource::kScreening, record_key, who, now);
      finding.ledger_item_id = item.id;
      finding.category_id = item.category_id;
      std::string summary =
          StrCat("台账 ", item.id, " 由排查 ", PeriodLabel(request.period, Language::kZh),
                 " 挂号：", UnitLabel(*org_, unit), "·", categories[i]->name_zh);
      Commit(std::move(item), ItemStateName(ItemState::kRegistered), std::move(summary), out);
      meta_changed = true;
    } else {
      LedgerItem item = FieldsOf(items_.at(finding.ledger_item_id));
      HistoryEntry entry;
      entry.at = now;
      entry.actor = who;
      entry.action = std::string(kActionScreeningConfirmed);
      entry.note = record_key;
      if (!finding.description.empty()) StrAppend(entry.note, "：", finding.description);
      if (finding.persons != 0) {
        RecordChange(entry.changes, "persons", StrCat(item.persons), StrCat(finding.persons));
        item.persons = finding.persons;
      }
      if (finding.level) {
        RecordChange(entry.changes, "level", RiskLevelName(item.level),
                     RiskLevelName(*finding.level));
        item.level = *finding.level;
      }
      item.updated_at = now;
      item.history.push_back(std::move(entry));
      std::string summary =
          StrCat("台账 ", item.id, " 经排查 ", PeriodLabel(request.period, Language::kZh), " 确认");
      Commit(std::move(item), kActionScreeningConfirmed, std::move(summary), out);
    }
    outcome.ledger_item_ids.push_back(finding.ledger_item_id);
  }

  const Time due = PeriodEnd(request.period, zone) + config_.grace(request.period.kind);
  Time filed_at = std::min(request.filed_at.value_or(now), now);
  if (filed_at < PeriodStart(request.period, zone)) filed_at = now;
  ScreeningRecord record;
  if (existing != screenings_.end()) {
    record = existing->second;
    record.earlier.push_back(
        ScreeningFiling{record.revision, record.filed_at, record.filed_by, record.content});
    record.revision += 1;
  } else {
    record.unit_id = unit;
    record.period = request.period;
    record.first_filed_at = filed_at;
    record.late = filed_at >= due;
  }
  record.content = std::move(content);
  record.filed_at = filed_at;
  record.filed_by = who;
  outcome.revision = record.revision;
  outcome.late = record.late;

  const std::string label = PeriodLabel(request.period, Language::kZh);
  std::string summary = record.content.zero_report
                            ? StrCat(UnitLabel(*org_, unit), " ", label, " 排查零报告")
                            : StrCat(UnitLabel(*org_, unit), " ", label, " 排查报告：发现 ",
                                     record.content.findings.size(), " 项不稳定因素");
  if (record.revision > 1) StrAppend(summary, "（第 ", record.revision, " 次报送，替换前次）");
  out.changed.push_back(RecordRef{std::string(kScreeningRecord), record_key});
  out.notices.push_back(FeedNotice{std::string(kScreeningRecord), record_key,
                                   record.content.zero_report ? "zero_report" : "filed",
                                   std::move(summary), unit});
  screenings_.insert_or_assign(key, std::move(record));
  if (meta_changed) MetaChanged(out);
  return outcome;
}

}  // namespace anding::core::ledger

// The Ledger's state: building it from a snapshot and taking one, the
// queries, and the helpers every command uses to change it (ids, derived
// items, Commit). The commands live in item_commands.cc, warnings.cc,
// screening.cc and daily_reports.cc; the timers in tick.cc; the change sets
// for the store in changes.cc.
#include <algorithm>

#include "anding/common/strings.h"
#include "anding/core/ledger/ledger.h"
#include "internal.h"

namespace anding::core::ledger {

Ledger::Ledger(const Organisation& org, LedgerConfig config)
    : org_(&org), config_(std::move(config)) {}

Ledger::Ledger(const Organisation& org, LedgerConfig config, LedgerSnapshot snapshot)
    : Ledger(org, std::move(config)) {
  for (LedgerItem& item : snapshot.items) {
    std::string id = item.id;
    IndexItem(items_.emplace(std::move(id), std::move(item)).first->second);
  }
  for (WarningRecord& warning : snapshot.warnings) {
    std::string id = warning.id;
    warnings_.emplace(std::move(id), std::move(warning));
  }
  for (ScreeningRecord& record : snapshot.screenings) {
    UnitPeriod key{record.unit_id, FormatPeriod(record.period)};
    screenings_.emplace(std::move(key), std::move(record));
  }
  for (ScreeningReminder& reminder : snapshot.screening_reminders) {
    UnitPeriod key{reminder.unit_id, FormatPeriod(reminder.period)};
    reminders_.emplace(std::move(key), std::move(reminder));
  }
  for (DailyReportRecord& report : snapshot.daily_reports) {
    UnitDay key{report.unit_id, report.day};
    daily_reports_.emplace(std::move(key), std::move(report));
  }
  meta_ = std::move(snapshot.meta);
  handed_over_.Reset(items_);
}

Result<std::string> Ledger::FilingUnit(const Actor& who, std::string_view requested) const {
  std::string unit;
  switch (who.kind) {
    case Actor::Kind::kAgent:
      if (!requested.empty() && requested != who.id) {
        return PermissionDeniedError(
            StrCat("the agent of unit '", who.id, "' may not report for unit '", requested, "'"));
      }
      unit = who.id;
      break;
    case Actor::Kind::kSms:
      return PermissionDeniedError("SMS replies cannot change the ledger");
    case Actor::Kind::kOperator:
    case Actor::Kind::kSystem:
      if (requested.empty()) return InvalidArgumentError("unit_id is required");
      unit = std::string(requested);
      break;
  }
  if (org_->FindUnit(unit) == nullptr) {
    return InvalidArgumentError(StrCat("unknown unit '", unit, "'"));
  }
  return unit;
}

Result<const LedgerItem*> Ledger::ItemFor(std::string_view id, const Actor& who) const {
  if (id.empty()) return InvalidArgumentError("ledger_item_id is required");
  auto it = items_.find(id);
  if (it == items_.end()) return NotFoundError(StrCat("no ledger item '", id, "'"));
  const LedgerItem& item = it->second;
  if (who.kind == Actor::Kind::kSms) {
    return PermissionDeniedError("SMS replies cannot change the ledger");
  }
  if (who.kind == Actor::Kind::kAgent && item.unit_id != who.id) {
    return PermissionDeniedError(StrCat("ledger item ", item.id, " belongs to unit '", item.unit_id,
                                        "'; the agent of unit '", who.id,
                                        "' may act only on its own unit's items"));
  }
  return &item;
}

Result<const Category*> Ledger::CategoryFor(std::string_view id) const {
  if (id.empty()) return InvalidArgumentError("category_id is required");
  const Category* category = org_->FindCategory(id);
  if (category == nullptr) {
    return InvalidArgumentError(StrCat("unknown category '", id, "'"));
  }
  return category;
}

std::string Ledger::AssignId(std::string_view prefix, Time now) {
  const auto year = org_->time_zone().DayOf(now).year();
  const std::string key = StrCat(prefix, "-", year);
  const uint32_t number = ++meta_.counters[key];
  return fmt::format("{}-{:04d}", key, number);
}

LedgerItem Ledger::DerivedItem(const std::string& unit_id, const Category& category,
                               std::string description, uint32_t persons, RiskLevel level,
                               ItemSource source, std::string source_ref, const Actor& who,
                               Time now) {
  LedgerItem item;
  item.id = AssignId("TZ", now);
  item.unit_id = unit_id;
  item.category_id = category.id;
  item.description = std::move(description);
  item.persons = persons;
  item.level = level;
  // Until the unit names them, the unit's first leader and duty contact
  // carry the responsibility (they can be changed by an update).
  if (const Unit* unit = org_->FindUnit(unit_id)) {
    if (!unit->leaders.empty()) item.responsible_leader = unit->leaders.front();
    if (!unit->duty_contacts.empty()) item.responsible_person = unit->duty_contacts.front();
  }
  item.lead_department = category.lead_department;
  item.deadline = now + config_.default_deadline;
  item.state = ItemState::kRegistered;
  item.source = source;
  item.source_ref = std::move(source_ref);
  item.registered_at = now;
  item.registered_by = who;
  item.updated_at = now;
  item.last_activity_at = now;
  HistoryEntry entry;
  entry.at = now;
  entry.actor = who;
  entry.action = std::string(kActionRegistered);
  entry.changes.push_back({"state", "", std::string(ItemStateName(ItemState::kRegistered))});
  entry.note = StrCat("from ", ItemSourceName(source), " ", item.source_ref);
  item.history.push_back(std::move(entry));
  return item;
}

namespace {

template <typename T>
void Append(std::vector<T>& log, std::vector<T>& added) {
  log.insert(log.end(), std::make_move_iterator(added.begin()),
             std::make_move_iterator(added.end()));
}

}  // namespace

void Ledger::Commit(LedgerItem item, std::string_view state, std::string summary, Effects& out) {
  const std::string id = item.id;
  out.changed.push_back(RecordRef{std::string(kItemRecord), id});
  out.notices.push_back(FeedNotice{std::string(kItemRecord), id, std::string(state),
                                   std::move(summary), item.unit_id});
  const auto [slot, is_new] = items_.try_emplace(id);
  if (is_new) IndexItem(item);
  LedgerItem& stored = slot->second;
  Append(stored.warning_ids, item.warning_ids);
  Append(stored.updates, item.updates);
  Append(stored.history, item.history);
  item.warning_ids = std::move(stored.warning_ids);
  item.updates = std::move(stored.updates);
  item.history = std::move(stored.history);
  stored = std::move(item);
}

void Ledger::MetaChanged(Effects& out) const {
  const RecordRef ref{std::string(kMetaRecord), std::string(kMetaId)};
  if (std::find(out.changed.begin(), out.changed.end(), ref) == out.changed.end()) {
    out.changed.push_back(ref);
  }
}

void Ledger::Recall(LedgerItem item) {
  if (items_.contains(item.id)) return;
  handed_over_.Advance(item);
  std::string id = item.id;
  IndexItem(items_.emplace(std::move(id), std::move(item)).first->second);
}

void Ledger::IndexItem(const LedgerItem& item) {
  items_by_unit_category_[{item.unit_id, item.category_id}].insert(item.id);
}

const LedgerItem* Ledger::FindItem(std::string_view id) const {
  auto it = items_.find(id);
  return it == items_.end() ? nullptr : &it->second;
}

std::vector<const LedgerItem*> Ledger::Items(const ItemFilter& filter, Time now) const {
  std::vector<const LedgerItem*> result;
  for (const auto& [id, item] : items_) {
    if (!filter.unit_id.empty() && item.unit_id != filter.unit_id) continue;
    if (!filter.category_id.empty() && item.category_id != filter.category_id) continue;
    if (!filter.states.empty() &&
        std::find(filter.states.begin(), filter.states.end(), item.state) == filter.states.end()) {
      continue;
    }
    if (filter.open_only && !IsOpen(item.state)) continue;
    if (filter.overdue_only && !Overdue(item, now).any()) continue;
    result.push_back(&item);
  }
  std::stable_sort(result.begin(), result.end(), [](const LedgerItem* a, const LedgerItem* b) {
    return a->registered_at < b->registered_at;
  });
  return result;
}

OverdueReasons Ledger::Overdue(const LedgerItem& item, Time now) const {
  OverdueReasons reasons;
  if (!IsSupervised(item.state)) return reasons;
  reasons.deadline_passed = now >= item.deadline;
  reasons.update_missing = now >= item.last_activity_at + config_.update_cadence;
  return reasons;
}

const WarningRecord* Ledger::FindWarning(std::string_view id) const {
  auto it = warnings_.find(id);
  return it == warnings_.end() ? nullptr : &it->second;
}

const ScreeningRecord* Ledger::FindScreening(std::string_view unit_id, const Period& period) const {
  auto it = screenings_.find(UnitPeriod{std::string(unit_id), FormatPeriod(period)});
  return it == screenings_.end() ? nullptr : &it->second;
}

const ScreeningReminder* Ledger::FindScreeningReminder(std::string_view unit_id,
                                                       const Period& period) const {
  auto it = reminders_.find(UnitPeriod{std::string(unit_id), FormatPeriod(period)});
  return it == reminders_.end() ? nullptr : &it->second;
}

std::vector<ScreeningStatusRow> Ledger::ScreeningStatus(const Period& period, Time now) const {
  std::vector<ScreeningStatusRow> rows;
  const Time due = PeriodEnd(period, org_->time_zone()) + config_.grace(period.kind);
  for (const std::string& unit : config_.screening_units) {
    ScreeningStatusRow row;
    row.unit_id = unit;
    if (const ScreeningRecord* record = FindScreening(unit, period)) {
      row.filed = true;
      row.zero_report = record->content.zero_report;
      row.late = record->late;
      row.filed_at = record->filed_at;
    } else {
      row.overdue = now >= due;
    }
    if (const ScreeningReminder* reminder = FindScreeningReminder(unit, period)) {
      row.reminded_at = reminder->sent_at;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

const DailyReportRecord* Ledger::FindDailyReport(std::string_view unit_id, CivilDay day) const {
  auto it = daily_reports_.find(UnitDay{std::string(unit_id), day});
  return it == daily_reports_.end() ? nullptr : &it->second;
}

LedgerSnapshot Ledger::Snapshot() const {
  LedgerSnapshot snapshot;
  for (const auto& [id, item] : items_) snapshot.items.push_back(item);
  for (const auto& [id, warning] : warnings_) snapshot.warnings.push_back(warning);
  for (const auto& [key, record] : screenings_) snapshot.screenings.push_back(record);
  for (const auto& [key, reminder] : reminders_) snapshot.screening_reminders.push_back(reminder);
  for (const auto& [key, report] : daily_reports_) snapshot.daily_reports.push_back(report);
  snapshot.meta = meta_;
  return snapshot;
}

}  // namespace anding::core::ledger

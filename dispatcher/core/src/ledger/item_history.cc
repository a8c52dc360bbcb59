// A ledger item read through its history: the item as it was at a past
// instant (AsOf, OverdueAt) and its fields without the logs (FieldsOf).
#include <algorithm>

#include "anding/core/ledger/ledger_item.h"

namespace anding::core::ledger {
namespace {

// Actions that count as work on the item for the daily-update rule.
bool IsActivity(std::string_view action) {
  return action == kActionRegistered || action == kActionProgress || action == kActionResolved ||
         action == kActionResolutionRejected || action == kActionReopened;
}

}  // namespace

LedgerItem FieldsOf(const LedgerItem& item) {
#if defined(__GLIBCXX__) && __SIZEOF_POINTER__ == 8
  // A field added to LedgerItem changes its size: copy it below too (or,
  // if it is a log, leave it out here and append it where the others are).
  static_assert(sizeof(LedgerItem) == 776, "LedgerItem changed: update FieldsOf");
#endif
  LedgerItem fields;
  fields.id = item.id;
  fields.unit_id = item.unit_id;
  fields.category_id = item.category_id;
  fields.description = item.description;
  fields.persons = item.persons;
  fields.key_persons = item.key_persons;
  fields.level = item.level;
  fields.responsible_leader = item.responsible_leader;
  fields.responsible_person = item.responsible_person;
  fields.lead_department = item.lead_department;
  fields.measures = item.measures;
  fields.deadline = item.deadline;
  fields.state = item.state;
  fields.resolution = item.resolution;
  fields.confirmed_by_leader = item.confirmed_by_leader;
  fields.confirmed_at = item.confirmed_at;
  fields.source = item.source;
  fields.source_ref = item.source_ref;
  fields.registered_at = item.registered_at;
  fields.registered_by = item.registered_by;
  fields.updated_at = item.updated_at;
  fields.last_activity_at = item.last_activity_at;
  fields.resolved_at = item.resolved_at;
  fields.closed_out_at = item.closed_out_at;
  fields.reopened_at = item.reopened_at;
  fields.reopen_count = item.reopen_count;
  fields.overdue_notified_day = item.overdue_notified_day;
  return fields;
}

ItemAsOf AsOf(const LedgerItem& item, Time t) {
  ItemAsOf as_of;
  if (t < item.registered_at) return as_of;
  as_of.existed = true;
  as_of.state = ItemState::kRegistered;
  as_of.deadline = item.deadline;
  as_of.last_activity = item.registered_at;
  bool deadline_found = false;
  for (const HistoryEntry& entry : item.history) {
    if (entry.at <= t) {
      for (const FieldChange& change : entry.changes) {
        if (change.field == "state") {
          if (auto state = ParseItemState(change.after)) as_of.state = *state;
        }
      }
      if (IsActivity(entry.action)) as_of.last_activity = std::max(as_of.last_activity, entry.at);
      continue;
    }
    // The first later change of the deadline tells what it was at t.
    if (deadline_found) continue;
    for (const FieldChange& change : entry.changes) {
      if (change.field != "deadline") continue;
      if (auto before = ParseRfc3339(change.before); before.ok()) {
        as_of.deadline = *before;
        deadline_found = true;
      }
      break;
    }
  }
  return as_of;
}

OverdueReasons OverdueAt(const LedgerItem& item, Time t, Duration update_cadence) {
  OverdueReasons reasons;
  const ItemAsOf as_of = AsOf(item, t);
  if (!as_of.existed || !IsSupervised(as_of.state)) return reasons;
  reasons.deadline_passed = t >= as_of.deadline;
  reasons.update_missing = t >= as_of.last_activity + update_cadence;
  return reasons;
}

Time NextOverdueInstant(const LedgerItem& item, Duration update_cadence) {
  return std::min(item.deadline, item.last_activity_at + update_cadence);
}

}  // namespace anding::core::ledger

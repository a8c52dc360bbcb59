// A ledger item (台账条目): one instability factor with its responsibility
// chain, deadline, progress updates and full audit history.
//
// History: every successful command on an item appends a HistoryEntry
// (who, when, what, each changed field's before and after; a warning that
// reopens an item appends two: reopened, warning_attached), so
// the item's state at any past instant can be reconstructed (ItemAsOf) and
// the monthly statistics are computed from events, not from current fields.
// Times inside FieldChange values are RFC 3339 UTC (FormatUtc).
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/core/ledger/vocabulary.h"
#include "anding/core/org.h"

namespace anding::core::ledger {

struct FieldChange {
  std::string field;  // "state", "deadline", "level", "measures", ...
  std::string before;
  std::string after;
  friend bool operator==(const FieldChange&, const FieldChange&) = default;
};

// Action names used in HistoryEntry::action.
inline constexpr std::string_view kActionRegistered = "registered";
inline constexpr std::string_view kActionProgress = "progress";
inline constexpr std::string_view kActionUpdated = "updated";
inline constexpr std::string_view kActionResolved = "resolved";
inline constexpr std::string_view kActionResolutionRejected = "resolution_rejected";
inline constexpr std::string_view kActionClosedOut = "closed_out";
inline constexpr std::string_view kActionReopened = "reopened";
inline constexpr std::string_view kActionDeadlineExtended = "deadline_extended";
inline constexpr std::string_view kActionWarningAttached = "warning_attached";
inline constexpr std::string_view kActionScreeningConfirmed = "screening_confirmed";
inline constexpr std::string_view kActionSupervised = "supervised";

struct HistoryEntry {
  Time at{};
  Actor actor;
  std::string action;  // one of the kAction* names
  std::vector<FieldChange> changes;
  std::string note;  // reason, progress text, warning id, ...
  // The person named by the command: the writer of an update, the approver
  // of a deadline extension, the leader confirming a close-out.
  std::string person;
  friend bool operator==(const HistoryEntry&, const HistoryEntry&) = default;
};

// A progress note (each supervised item expects one per update cadence).
struct ProgressUpdate {
  Time at{};
  Actor actor;
  std::string written_by;  // the person, as given (may be empty)
  std::string text;
  friend bool operator==(const ProgressUpdate&, const ProgressUpdate&) = default;
};

struct LedgerItem {
  std::string id;  // "TZ-2026-0001"
  std::string unit_id;
  std::string category_id;
  std::string description;
  uint32_t persons = 0;
  std::vector<std::string> key_persons;  // names only where needed
  RiskLevel level = RiskLevel::kLow;
  Person responsible_leader;  // 包案领导
  Person responsible_person;  // 责任人
  std::string lead_department;
  std::string measures;  // 化解措施
  Time deadline{};
  ItemState state = ItemState::kRegistered;

  std::string resolution;           // set when resolved, cleared on rejection / reopening
  std::string confirmed_by_leader;  // set at close-out
  std::optional<Time> confirmed_at;

  ItemSource source = ItemSource::kDirect;
  std::string source_ref;  // warning id or screening report key, when not direct

  Time registered_at{};
  Actor registered_by;
  Time updated_at{};        // last change of any kind
  Time last_activity_at{};  // registration, progress, resolution, rejection, reopening
  std::optional<Time> resolved_at;
  std::optional<Time> closed_out_at;
  std::optional<Time> reopened_at;
  uint32_t reopen_count = 0;

  std::vector<std::string> warning_ids;  // early warnings attached
  std::vector<ProgressUpdate> updates;
  std::vector<HistoryEntry> history;

  // Local day on which the last overdue (督办) event fired: at most one per
  // item per day, across restarts.
  std::optional<CivilDay> overdue_notified_day;

  friend bool operator==(const LedgerItem&, const LedgerItem&) = default;
};

// Why a supervised item is overdue; both false = not overdue.
struct OverdueReasons {
  bool deadline_passed = false;
  bool update_missing = false;
  [[nodiscard]] bool any() const { return deadline_passed || update_missing; }
  friend bool operator==(const OverdueReasons&, const OverdueReasons&) = default;
};

// Every field of `item` except its logs (warning_ids, updates, history),
// which are left empty. The logs only grow, so a change to an item is its
// fields plus the log entries it adds: the ledger's commands change such a
// copy and Ledger appends the new entries, and the store writes them as rows
// of their own; neither pays for the item's past.
[[nodiscard]] LedgerItem FieldsOf(const LedgerItem& item);

// What an item looked like at instant `t`, rebuilt from its history.
struct ItemAsOf {
  bool existed = false;  // registered at or before t
  ItemState state = ItemState::kRegistered;
  Time deadline{};
  Time last_activity{};
};

[[nodiscard]] ItemAsOf AsOf(const LedgerItem& item, Time t);

// Overdue as of `t` with the given update cadence: the item existed and was
// supervised at t, and its deadline had passed (t >= deadline) or no
// activity happened within `update_cadence` (t >= last activity + cadence).
[[nodiscard]] OverdueReasons OverdueAt(const LedgerItem& item, Time t, Duration update_cadence);

// The earliest instant after which OverdueAt(item, ·) reports a reason with
// the current fields: min(deadline, last_activity_at + cadence). Only
// meaningful for supervised items.
[[nodiscard]] Time NextOverdueInstant(const LedgerItem& item, Duration update_cadence);

}  // namespace anding::core::ledger

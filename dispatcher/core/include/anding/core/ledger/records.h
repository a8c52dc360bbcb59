// The ledger module's other records: early warnings, screening reports and
// reminders, daily risk reports, the module's counters and timer memory,
// and LedgerSnapshot (everything the repository saves and loads).
//
// Record kinds in Effects::changed (RecordRef::kind) and their ids:
//   "ledger_item"        item id              ("TZ-2026-0001")
//   "early_warning"      warning id           ("YJ-2026-0001")
//   "screening_report"   ScreeningKey(...)    ("mine-1/2026-03-T1")
//   "screening_reminder" ScreeningKey(...)
//   "daily_report"       DailyReportKey(...)  ("mine-1/2026-03-05")
//   "ledger_meta"        "ledger"
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/core/ledger/ledger_item.h"
#include "anding/core/ledger/period.h"
#include "anding/core/ledger/vocabulary.h"

namespace anding::core::ledger {

inline constexpr std::string_view kItemRecord = "ledger_item";
inline constexpr std::string_view kWarningRecord = "early_warning";
inline constexpr std::string_view kScreeningRecord = "screening_report";
inline constexpr std::string_view kReminderRecord = "screening_reminder";
inline constexpr std::string_view kDailyReportRecord = "daily_report";
inline constexpr std::string_view kMetaRecord = "ledger_meta";
inline constexpr std::string_view kMetaId = "ledger";

// "mine-1/2026-03-T1" and "mine-1/2026-03-05".
[[nodiscard]] std::string ScreeningKey(std::string_view unit_id, const Period& period);
[[nodiscard]] std::string DailyReportKey(std::string_view unit_id, CivilDay day);

// An early warning (苗头动向) as received, with its grading and the ledger
// item it created or joined.
struct WarningRecord {
  std::string id;  // "YJ-2026-0001"
  std::string unit_id;
  std::string summary;
  std::string details;
  std::string category_id;
  uint32_t persons = 0;
  RiskLevel level = RiskLevel::kLow;
  bool reported_major = false;  // the reporter marked it major
  bool graded_major = false;    // major by the reporter or by the rules: special report sent
  std::vector<std::string> major_reasons;
  std::string destination_region_id;
  std::string destination_address;
  std::optional<Time> observed_at;
  Time received_at{};
  Actor received_from;
  std::string ledger_item_id;
  bool created_item = false;
  bool reopened_item = false;  // the explicit link was a closed-out item: rebound
  friend bool operator==(const WarningRecord&, const WarningRecord&) = default;
};

// One finding as stored: the ledger item it created or confirmed.
struct ScreeningFinding {
  std::string ledger_item_id;
  bool created_item = false;  // false = the finding named an existing item
  std::string category_id;
  std::string description;
  uint32_t persons = 0;
  std::optional<RiskLevel> level;
  friend bool operator==(const ScreeningFinding&, const ScreeningFinding&) = default;
};

struct ScreeningContent {
  bool zero_report = false;
  std::vector<ScreeningFinding> findings;
  std::string screened_by;
  std::string remarks;
  friend bool operator==(const ScreeningContent&, const ScreeningContent&) = default;
};

// A filing that a later filing for the same unit and period replaced.
struct ScreeningFiling {
  uint32_t revision = 0;
  Time filed_at{};
  Actor filed_by;
  ScreeningContent content;
  friend bool operator==(const ScreeningFiling&, const ScreeningFiling&) = default;
};

// A unit's screening report for one period. A second, different filing for
// the same period replaces the content and keeps the earlier one in
// `earlier` (revision counts up); an identical re-filing changes nothing.
struct ScreeningRecord {
  std::string unit_id;
  Period period;
  ScreeningContent content;
  uint32_t revision = 1;
  Time filed_at{};  // of the current revision
  Actor filed_by;
  Time first_filed_at{};
  bool late = false;  // first filed after the period closed plus grace
  std::vector<ScreeningFiling> earlier;
  friend bool operator==(const ScreeningRecord&, const ScreeningRecord&) = default;
};

// A reminder sent for a unit that had not filed a closed period.
struct ScreeningReminder {
  std::string unit_id;
  Period period;
  Time sent_at{};
  friend bool operator==(const ScreeningReminder&, const ScreeningReminder&) = default;
};

struct DailyReportContent {
  bool zero_report = false;
  uint32_t new_warnings = 0;
  uint32_t items_progressed = 0;
  uint32_t visit_batches = 0;
  uint32_t visit_persons = 0;
  std::string text;
  std::string reported_by;
  friend bool operator==(const DailyReportContent&, const DailyReportContent&) = default;
};

struct DailyReportFiling {
  uint32_t revision = 0;
  Time filed_at{};
  Actor filed_by;
  DailyReportContent content;
  friend bool operator==(const DailyReportFiling&, const DailyReportFiling&) = default;
};

// A unit's daily risk report (风险预控日报告) for one local day; refiling
// works as for screening reports.
struct DailyReportRecord {
  std::string unit_id;
  CivilDay day;
  DailyReportContent content;
  uint32_t revision = 1;
  Time filed_at{};
  Actor filed_by;
  std::vector<DailyReportFiling> earlier;
  friend bool operator==(const DailyReportRecord&, const DailyReportRecord&) = default;
};

// Counters and timer memory, persisted so ids stay unique and timers fire
// once across restarts.
struct LedgerMeta {
  // "TZ-2026" → last number assigned (ids are per prefix and local year).
  std::map<std::string, uint32_t> counters;
  // Screening is tracked for periods ending on or after this local day
  // (config track_from, else the day of the first Tick).
  std::optional<CivilDay> tracking_since;
  // Per kind, the last period whose overdue check is complete.
  std::map<PeriodKind, Period> screening_checked_through;
  // The local day the daily summary last ran on (or the baseline set at the
  // first Tick).
  std::optional<CivilDay> last_daily_summary_run;
  friend bool operator==(const LedgerMeta&, const LedgerMeta&) = default;
};

// The first period of `kind` whose check for missing screening reports is
// not complete; nullopt before tracking starts (no period is checked).
[[nodiscard]] std::optional<Period> FirstUncheckedPeriod(const LedgerMeta& meta, PeriodKind kind);

// Everything the module persists. Vectors are ordered by key: items and
// warnings by id, screening records and reminders by (unit id, period
// text), daily reports by (unit id, day). Byte order of the key strings.
struct LedgerSnapshot {
  std::vector<LedgerItem> items;
  std::vector<WarningRecord> warnings;
  std::vector<ScreeningRecord> screenings;
  std::vector<ScreeningReminder> screening_reminders;
  std::vector<DailyReportRecord> daily_reports;
  LedgerMeta meta;
  friend bool operator==(const LedgerSnapshot&, const LedgerSnapshot&) = default;
};

}  // namespace anding::core::ledger

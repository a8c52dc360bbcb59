// The ledger module (台账): instability-factor items with register /
// close-out, daily progress and supervision (督办), early warnings and
// special reports (专报), the screening cadence (排查) and daily risk
// reports (日报告). Design §2.2–2.5.
//
// Commands follow dispatcher/core/README.md: `now` is an argument; on
// failure the state and `out` are untouched and the code says what to do
// (InvalidArgument: fix the input; NotFound: no such item;
// FailedPrecondition: the item's state forbids it; PermissionDenied: an
// agent acting on another unit's item, or an SMS actor). On success every
// record written is in out.changed and a FeedNotice describes it.
//
// Who may act: Actor::Agent(unit) only on its own unit (the unit always
// comes from the actor, never from the request); operators and the system
// on any unit; SMS actors on nothing.
//
// Timers: NextWakeup() says when Tick(now) has work; Tick fires
//   * supervision: a supervised item whose deadline passed or whose update
//     is missing → HqAlert "ledger_overdue" + FeedNotice + OrderRequest
//     kSupervision to the unit, at most once per item per local day;
//   * screening: a unit without a filing for a period closed plus grace →
//     HqAlert "report_overdue" + FeedNotice + OrderRequest kReminder, once
//     per unit and period;
//   * the company daily summary at the configured local time → HqAlert
//     "daily_summary" (warning when units have not reported) + FeedNotice
//     kind "daily_summary" (id = the covered day) + OrderRequest kReminder
//     to each unit missing its daily report (if configured). The shell
//     builds the full DailySummary (with incident counts) on that notice.
// What fired is kept in the records (persisted), so reload + Tick(now)
// never repeats it.
//
// Persistence: after each successful command or Tick the shell takes the
// change set of Effects::changed (TakeChanges) and saves it
// (store::SaveLedgerChanges) with the input that caused it; it rebuilds the
// Ledger from the store (LedgerSnapshot) at start and after a failed commit.
//
// What it holds: whatever the snapshot gave it and everything its commands
// make from then on. The dispatcher builds it from a partial snapshot (the
// items not closed out, those closed out and the warnings received in the
// last days: store::LoadLedger), so that building costs what is open, not
// what has ever been; before a command names an item it does not hold (a
// closed-out item to reopen), the shell reads the item by key and hands it
// over with Recall. Items(), the summaries and the statistics see only what
// is held: over history they run on a Ledger built for the query from the
// records it needs.
//
// Thread-safety: not thread-safe; owned by the dispatcher's state thread.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/core/ledger/changes.h"
#include "anding/core/ledger/config.h"
#include "anding/core/ledger/ledger_item.h"
#include "anding/core/ledger/records.h"
#include "anding/core/ledger/requests.h"
#include "anding/core/ledger/summary_inputs.h"
#include "anding/core/org.h"

namespace anding::core::ledger {

// One unit's screening status for a period (dashboard).
struct ScreeningStatusRow {
  std::string unit_id;
  bool filed = false;
  bool zero_report = false;
  bool overdue = false;  // not filed and the period closed plus grace
  bool late = false;
  std::optional<Time> filed_at;
  std::optional<Time> reminded_at;
};

class Ledger {
 public:
  // An empty ledger. `org` must outlive the Ledger.
  Ledger(const Organisation& org, LedgerConfig config);
  // A ledger rebuilt from what the repository loaded; everything in it
  // counts as stored (TakeChanges hands over only what comes after).
  Ledger(const Organisation& org, LedgerConfig config, LedgerSnapshot snapshot);

  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;
  Ledger(Ledger&&) = default;

  // ---- ledger items ----

  // Registers an item (挂号) in state registered; returns its id
  // ("TZ-<local year>-<NNNN>"). InvalidArgument for an unknown unit or
  // category, a missing description, level, responsible leader or person,
  // or a deadline not after `now`.
  [[nodiscard]] Result<std::string> Register(const RegisterItemRequest& request, const Actor& who,
                                             Time now, Effects& out);

  // Progress, field changes and/or a resolution. Progress (or a resolution)
  // on a registered or reopened item moves it to in_progress; a resolution
  // then moves it to resolved. Progress notes on a resolved item are kept
  // without a state change. FailedPrecondition on a closed-out item or a
  // second resolution; InvalidArgument when nothing is given.
  [[nodiscard]] Status Update(const UpdateItemRequest& request, const Actor& who, Time now,
                              Effects& out);

  // resolved → in_progress with a reason (the resolution was not accepted).
  [[nodiscard]] Status RejectResolution(const RejectResolutionRequest& request, const Actor& who,
                                        Time now, Effects& out);

  // resolved → closed_out (销号). FailedPrecondition unless the item is
  // resolved, a resolution is recorded or given, and the confirmation names
  // the item's responsible leader.
  [[nodiscard]] Status CloseOut(const CloseOutRequest& request, const Actor& who, Time now,
                                Effects& out);

  // closed_out → reopened (反弹) with a reason, optionally a new deadline.
  [[nodiscard]] Status Reopen(const ReopenRequest& request, const Actor& who, Time now,
                              Effects& out);

  // Moves the deadline later; reason and approver required. Not on
  // closed-out items.
  [[nodiscard]] Status ExtendDeadline(const ExtendDeadlineRequest& request, const Actor& who,
                                      Time now, Effects& out);

  // ---- reports from units ----

  // Records an early warning ("YJ-<year>-<NNNN>") and attaches it to a
  // ledger item: the explicit ledger_item_id (a closed-out item is
  // reopened: a rebound), else the newest open item of the same unit and
  // category, else a new item. A major warning (GradeWarning) yields an
  // HqAlert "special_report" (critical) and a FeedNotice at once.
  [[nodiscard]] Result<WarningOutcome> ReceiveWarning(const EarlyWarningRequest& request,
                                                      const Actor& who, Time now, Effects& out);

  // Files a unit's screening report for a period that has begun. Zero
  // report ⇔ no findings (InvalidArgument otherwise). New findings become
  // ledger items; linked ones must be the unit's items. A different
  // re-filing replaces the content (revision + 1, the earlier kept); an
  // identical one is a no-op (unchanged = true, `out` untouched).
  [[nodiscard]] Result<ScreeningOutcome> FileScreening(const ScreeningReportRequest& request,
                                                       const Actor& who, Time now, Effects& out);

  // Files a unit's daily risk report for a local day not in the future.
  // A zero report must carry zero counts. Re-filing works as for screening.
  [[nodiscard]] Result<DailyReportOutcome> FileDailyReport(const DailyReportRequest& request,
                                                           const Actor& who, Time now,
                                                           Effects& out);

  // ---- timers ----

  // When Tick has work next. Before the first Tick this is the epoch ("tick
  // now"), because the baselines (tracking_since, the daily summary) are
  // set from the first `now`.
  [[nodiscard]] Time NextWakeup() const;
  // Fires everything due at `now` (see the file comment).
  void Tick(Time now, Effects& out);
  // What other modules add to the daily summary Tick publishes (incidents,
  // petition matters near or past their limits); none until set.
  void SetSummaryInputs(SummaryInputSource source) { summary_inputs_ = std::move(source); }

  // ---- what is held ----

  // Takes `item`, as read from the store, into the ledger so that commands
  // can name it; it counts as stored (its logs are not handed over again).
  // No-op if an item of that id is held (what is held is never older than
  // the store).
  void Recall(LedgerItem item);

  // Where the daily reports of days before those held are, by unit and day
  // (the store): nullopt for none.
  using DailyReportSource = std::function<Result<std::optional<DailyReportRecord>>(
      std::string_view unit_id, CivilDay day)>;
  // From now on holds the daily reports of `since` and later only (those
  // older are let go of; `since` never moves back): a long run holds what
  // a start would. Re-filing an earlier day's report reads it from `source`
  // first; an error there refuses the filing.
  void HoldDailyReportsSince(CivilDay since, DailyReportSource source);
  // The first day whose daily reports are all held; unset: every one.
  [[nodiscard]] std::optional<CivilDay> daily_reports_since() const { return daily_reports_since_; }

  // Where the screening reports of periods before those held are, by unit
  // and period (the store): nullopt for none.
  using ScreeningSource = std::function<Result<std::optional<ScreeningRecord>>(
      std::string_view unit_id, const Period& period)>;
  // From now on holds the screening reports and reminders of the periods
  // not yet checked for missing reports only (of each kind, from the first
  // period unchecked at this call; those before are let go of, and the
  // bound never moves back): a long run holds what a start would. The
  // timers need no more. Re-filing an earlier period's report reads it
  // from `source` first; an error there refuses the filing.
  void HoldUncheckedScreenings(ScreeningSource source);
  // Whether every screening report and reminder of `period` is held.
  [[nodiscard]] bool HoldsScreeningsOf(const Period& period) const;

  // ---- queries ----

  [[nodiscard]] const LedgerItem* FindItem(std::string_view id) const;
  // Matching items, oldest registration first.
  [[nodiscard]] std::vector<const LedgerItem*> Items(const ItemFilter& filter, Time now) const;
  // Overdue reasons of `item` at `now` under this configuration.
  [[nodiscard]] OverdueReasons Overdue(const LedgerItem& item, Time now) const;

  [[nodiscard]] const WarningRecord* FindWarning(std::string_view id) const;
  [[nodiscard]] const ScreeningRecord* FindScreening(std::string_view unit_id,
                                                     const Period& period) const;
  [[nodiscard]] const ScreeningReminder* FindScreeningReminder(std::string_view unit_id,
                                                               const Period& period) const;
  // Every configured screening unit's status for `period` at `now`.
  [[nodiscard]] std::vector<ScreeningStatusRow> ScreeningStatus(const Period& period,
                                                                Time now) const;
  [[nodiscard]] const DailyReportRecord* FindDailyReport(std::string_view unit_id,
                                                         CivilDay day) const;

  [[nodiscard]] const std::map<std::string, LedgerItem, std::less<>>& items() const {
    return items_;
  }
  [[nodiscard]] const std::map<std::string, WarningRecord, std::less<>>& warnings() const {
    return warnings_;
  }
  [[nodiscard]] const LedgerMeta& meta() const { return meta_; }
  [[nodiscard]] const Organisation& org() const { return *org_; }
  [[nodiscard]] const LedgerConfig& config() const { return config_; }

  // Everything to persist, ordered as LedgerSnapshot documents.
  [[nodiscard]] LedgerSnapshot Snapshot() const;

  // ---- persistence ----

  // Copies of the records named in `changed` (Effects::changed of one or
  // more commands or Ticks) as they are now, for the repository
  // (store::SaveLedgerChanges): refs of other modules are ignored,
  // duplicates copied once, and of an item's logs only the entries not
  // handed over by an earlier call. Not const: it marks what it hands over,
  // so call it once for each Effects, on the owning thread before the next
  // command runs, and save every set it returns, in order; if a save fails,
  // rebuild the Ledger from the store. Internal if a ref names a record the
  // ledger does not hold or an item's log is shorter than what was handed
  // over (bugs); the marks are then unchanged.
  [[nodiscard]] Result<LedgerChangeSet> TakeChanges(const std::vector<RecordRef>& changed);

 private:
  using UnitPeriod = std::pair<std::string, std::string>;  // (unit id, FormatPeriod)
  using UnitDay = std::pair<std::string, CivilDay>;

  // The unit a filing is for (see requests.h), or why not.
  [[nodiscard]] Result<std::string> FilingUnit(const Actor& who, std::string_view requested) const;
  // The item `id` if `who` may change it.
  [[nodiscard]] Result<const LedgerItem*> ItemFor(std::string_view id, const Actor& who) const;
  // Validates a category id and returns the category.
  [[nodiscard]] Result<const Category*> CategoryFor(std::string_view id) const;
  // Next "<prefix>-<year>-<NNNN>" (mutates the counters).
  [[nodiscard]] std::string AssignId(std::string_view prefix, Time now);
  // A new item (state registered) created from a warning or a finding.
  [[nodiscard]] LedgerItem DerivedItem(const std::string& unit_id, const Category& category,
                                       std::string description, uint32_t persons, RiskLevel level,
                                       ItemSource source, std::string source_ref, const Actor& who,
                                       Time now);
  // Stores `item` and reports it changed with a FeedNotice. Its logs hold
  // only the entries the command adds (it is a new item, or a FieldsOf copy
  // of the stored one): they are appended to the stored item's logs.
  void Commit(LedgerItem item, std::string_view state, std::string summary, Effects& out);
  void MetaChanged(Effects& out) const;
  // Adds `item` (just inserted into items_) to items_by_unit_category_.
  void IndexItem(const LedgerItem& item);

  void InitialiseTimers(Time now, Effects& out);
  void SuperviseItems(Time now, Effects& out);
  void CheckScreening(Time now, Effects& out);
  void RunDailySummary(Time now, Effects& out);
  [[nodiscard]] Time NextScreeningCheck(PeriodKind kind) const;
  [[nodiscard]] Period FirstUncheckedPeriod(PeriodKind kind) const;

  const Organisation* org_;
  SummaryInputSource summary_inputs_;
  LedgerConfig config_;
  std::map<std::string, LedgerItem, std::less<>> items_;
  // The ids of the items held, per unit and category (neither changes
  // once an item is registered): a warning naming no item joins its unit's
  // open item of the category without walking every item held.
  std::map<std::pair<std::string, std::string>, std::set<std::string>> items_by_unit_category_;
  std::map<std::string, WarningRecord, std::less<>> warnings_;
  std::map<UnitPeriod, ScreeningRecord> screenings_;
  std::map<UnitPeriod, ScreeningReminder> reminders_;
  std::map<UnitDay, DailyReportRecord> daily_reports_;
  std::optional<CivilDay> daily_reports_since_;
  DailyReportSource daily_report_source_;
  // Per kind, the first period whose screening reports and reminders are
  // held (HoldUncheckedScreenings); a kind not named: every one.
  std::map<PeriodKind, Period> screenings_from_;
  ScreeningSource screening_source_;
  LedgerMeta meta_;
  // What of each item's logs TakeChanges has handed over.
  LedgerLogMarks handed_over_;
};

}  // namespace anding::core::ledger

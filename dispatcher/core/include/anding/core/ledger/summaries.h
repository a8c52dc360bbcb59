// The company daily summary (风险预控日报汇总) and the monthly ledger
// summary (台账月度汇总): pure functions over the ledger's records.
//
// "As of" a day or month means at its end, or at `now` if that is earlier
// (a summary of today is a summary so far). Open / overdue counts use each
// item's state at that instant, rebuilt from its history, so a summary of a
// past month does not change when items are closed later.
//
// Thread-safety: pure functions; the Ledger must not change meanwhile.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "anding/common/time.h"
#include "anding/core/ledger/ledger.h"
#include "anding/core/ledger/summary_inputs.h"

namespace anding::core::ledger {

enum class DailyReportStatus {
  kFiled,        // a report with content
  kZeroReport,   // an explicit zero report (counts as filed)
  kMissing,      // required and not filed
  kNotRequired,  // the unit is not on the daily-report list and did not file
};

// "filed", "zero_report", "missing", "not_required".
[[nodiscard]] std::string_view DailyReportStatusName(DailyReportStatus status);

struct DailySummaryRow {
  std::string unit_id;
  DailyReportStatus report = DailyReportStatus::kMissing;
  uint32_t new_items = 0;        // registered that day
  uint32_t open_items = 0;       // not closed out, as of the cutoff
  uint32_t overdue_items = 0;    // overdue as of the cutoff
  uint32_t warnings = 0;         // early warnings received that day
  uint32_t special_reports = 0;  // of which graded major
  uint32_t incidents = 0;        // from the incident module (input)
  uint32_t visit_batches = 0;    // as the unit's daily report says
  uint32_t visit_persons = 0;
  // Petition matters (信访事项) of the unit whose running statutory limit
  // is within its warning lead at the cutoff (临期), or has run out (超期).
  uint32_t matters_due_soon = 0;
  uint32_t matters_overdue = 0;
  friend bool operator==(const DailySummaryRow&, const DailySummaryRow&) = default;
};

struct DailySummary {
  CivilDay day;
  Time generated_at{};
  Time cutoff{};  // min(end of day, generated_at)
  // Required units in configuration order, then any other unit with data
  // that day in organisation order.
  std::vector<DailySummaryRow> rows;
  DailySummaryRow totals;  // unit_id empty
  std::vector<std::string> units_not_reported;
};

[[nodiscard]] DailySummary BuildDailySummary(const Ledger& ledger, CivilDay day, Time now,
                                             const IncidentCounts& incidents = {},
                                             const MatterDeadlineCounts& matters = {});
// As above, with the inputs `source` gives for the day (none when empty).
[[nodiscard]] DailySummary BuildDailySummary(const Ledger& ledger, CivilDay day, Time now,
                                             const SummaryInputSource& source);

struct MonthlyCount {
  std::string key;          // unit id or category id; empty for totals
  uint32_t opened = 0;      // registered in the month
  uint32_t closed_out = 0;  // items closed out in the month
  uint32_t reopened = 0;    // items reopened in the month
  uint32_t still_open = 0;  // not closed out at the cutoff
  uint32_t overdue = 0;     // overdue at the cutoff
  friend bool operator==(const MonthlyCount&, const MonthlyCount&) = default;
};

struct MonthlySummary {
  absl::CivilMonth month;
  Time generated_at{};
  Time cutoff{};  // min(end of month, generated_at)
  MonthlyCount totals;
  std::vector<MonthlyCount> by_unit;      // units with any count, organisation order
  std::vector<MonthlyCount> by_category;  // categories with any count, configured order
  // Mean days from registration (or the latest reopening) to close-out,
  // over items closed out in the month; nullopt when none were.
  std::optional<double> average_days_to_close;
};

[[nodiscard]] MonthlySummary BuildMonthlySummary(const Ledger& ledger, absl::CivilMonth month,
                                                 Time now);

}  // namespace anding::core::ledger

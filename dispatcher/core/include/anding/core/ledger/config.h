// Configuration of the ledger module: the `ledger:` section of the
// dispatcher's YAML (see deploy/demo/ledger-example.yaml). Every key is
// optional; an absent section means the defaults below.
//
//   ledger:
//     items:
//       update_cadence: 1d        # each supervised item expects progress this often
//       default_deadline: 30d     # items created without a deadline
//     screening:
//       units: [mine-1, ...]      # default: every unit of kind mine or factory
//       track_from: "2026-01-01"  # default: the day of the first Tick
//       grace: {ten_day: 2d, month: 3d, quarter: 5d}
//     daily_report:
//       units: [mine-1, ...]      # default: every unit of kind mine or factory
//       summary_time: "08:30"     # local time of the company daily summary
//       summary_covers: previous_day   # or same_day
//     major_warning:
//       persons_threshold: 30     # persons ≥ this grade a warning major; 0 = off
//       destination_kinds: [provincial_capital, national_capital]
//       critical_level_is_major: true
//     reminders:
//       report_respond_within: 1d     # screening / daily report reminders
//       supervision_respond_within: 1d
//       daily_report_missing: true   # remind units missing from the summary
//
// Thread-safety: plain values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "anding/common/config.h"
#include "anding/common/time.h"
#include "anding/core/ledger/period.h"
#include "anding/core/org.h"

namespace anding::core::ledger {

// Rules that grade an early warning major (重大, special report at once).
struct MajorWarningRules {
  uint32_t persons_threshold = 30;  // 0 disables the persons rule
  std::vector<RegionKind> destination_kinds = {RegionKind::kProvincialCapital,
                                               RegionKind::kNationalCapital};
  bool critical_level_is_major = true;
};

enum class SummaryCovers { kPreviousDay, kSameDay };

struct LedgerConfig {
  Duration update_cadence = std::chrono::hours(24);
  Duration default_deadline = std::chrono::hours(24 * 30);

  std::vector<std::string> screening_units;
  std::optional<CivilDay> track_from;
  // Indexed by PeriodKind.
  std::array<Duration, 3> screening_grace = {std::chrono::hours(48), std::chrono::hours(72),
                                             std::chrono::hours(120)};

  std::vector<std::string> daily_report_units;
  int summary_hour = 8;
  int summary_minute = 30;
  SummaryCovers summary_covers = SummaryCovers::kPreviousDay;

  MajorWarningRules major;

  Duration report_respond_within = std::chrono::hours(24);
  Duration supervision_respond_within = std::chrono::hours(24);
  bool remind_missing_daily_reports = true;

  [[nodiscard]] Duration grace(PeriodKind kind) const {
    return screening_grace[static_cast<size_t>(kind)];
  }
};

// The defaults above, with both unit lists set to every mine and factory of
// `org` in configuration order.
[[nodiscard]] LedgerConfig DefaultLedgerConfig(const Organisation& org);

// Reads the optional `ledger:` section of `root`. Mistakes (unknown units or
// region kinds, a zero cadence, "25:00", an unknown summary_covers) are
// recorded on the nodes with file:line:key and reported by
// ConfigDocument::Finish; the returned value then holds defaults for the
// broken keys.
[[nodiscard]] LedgerConfig ReadLedgerConfig(ConfigNode& root, const Organisation& org);

}  // namespace anding::core::ledger

#include "anding/core/ledger/records.h"

#include "anding/common/strings.h"

namespace anding::core::ledger {

std::string ScreeningKey(std::string_view unit_id, const Period& period) {
  return StrCat(unit_id, "/", FormatPeriod(period));
}

std::string DailyReportKey(std::string_view unit_id, CivilDay day) {
  return StrCat(unit_id, "/", FormatDay(day));
}

std::optional<Period> FirstUncheckedPeriod(const LedgerMeta& meta, PeriodKind kind) {
  auto it = meta.screening_checked_through.find(kind);
  if (it != meta.screening_checked_through.end()) return NextPeriod(it->second);
  if (!meta.tracking_since) return std::nullopt;
  return PeriodContaining(kind, *meta.tracking_since);
}

}  // namespace anding::core::ledger

#include "anding/core/ledger/records.h"

#include "anding/common/strings.h"

namespace anding::core::ledger {

std::string ScreeningKey(std::string_view unit_id, const Period& period) {
  return StrCat(unit_id, "/", FormatPeriod(period));
}

std::string DailyReportKey(std::string_view unit_id, CivilDay day) {
  return StrCat(unit_id, "/", FormatDay(day));
}

}  // namespace anding::core::ledger

// What other modules add to the ledger's daily summary (风险预控日报汇总):
// the incidents reported on the day, and the petition matters (信访事项)
// whose statutory limit is near or past at the summary's cutoff.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "anding/common/time.h"

namespace anding::core::ledger {

// Incidents per unit id for the day (from the incident module).
using IncidentCounts = std::map<std::string, uint32_t, std::less<>>;

// Petition matters per unit id whose limit is near or past (from the
// visits module).
struct MatterDeadlineCount {
  uint32_t due_soon = 0;
  uint32_t overdue = 0;
  friend bool operator==(const MatterDeadlineCount&, const MatterDeadlineCount&) = default;
};
using MatterDeadlineCounts = std::map<std::string, MatterDeadlineCount, std::less<>>;

// What other modules add to a day's summary, counted at its cutoff.
struct SummaryInputs {
  IncidentCounts incidents;
  MatterDeadlineCounts matters;
};
// The inputs for `day`, counted at `cutoff` (the summary's).
using SummaryInputSource = std::function<SummaryInputs(CivilDay day, Time cutoff)>;

}  // namespace anding::core::ledger

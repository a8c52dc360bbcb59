// Questions one module answers for another. A module implements the
// interface; another finds it with ModuleContext::Find<Interface>() and
// does without when no module answers (for example in a dispatcher built
// without that capability).
#pragma once

#include <string>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/core/ledger/summaries.h"

namespace anding::dispatcher {

// Incidents reported on a local day, per involved unit (the daily summary's
// incident column).
class IncidentCounter {
 public:
  virtual ~IncidentCounter() = default;
  [[nodiscard]] virtual core::ledger::IncidentCounts IncidentsOn(CivilDay day) const = 0;
};

// Records that a responding unit's team arrived at an incident's scene (a
// team member's SMS reply "到达"), exactly as the unit's agent would report
// it, appending to `out`. NotFound for an unknown incident; FailedPrecondition
// when the unit is not responding to it or has already arrived.
class ArrivalRecorder {
 public:
  virtual ~ArrivalRecorder() = default;
  [[nodiscard]] virtual Status RecordArrival(const std::string& incident_id,
                                             const std::string& unit_id, const core::Actor& who,
                                             const std::string& reported_by, Time now,
                                             core::Effects& out) = 0;
};

}  // namespace anding::dispatcher

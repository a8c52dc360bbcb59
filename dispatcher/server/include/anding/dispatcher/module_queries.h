// Questions one module answers for another. A module implements the
// interface; another finds it with ModuleContext::Find<Interface>() and
// does without when no module answers (for example in a dispatcher built
// without that capability).
#pragma once

#include "anding/common/time.h"
#include "anding/core/ledger/summaries.h"

namespace anding::dispatcher {

// Incidents reported on a local day, per involved unit (the daily summary's
// incident column).
class IncidentCounter {
 public:
  virtual ~IncidentCounter() = default;
  [[nodiscard]] virtual core::ledger::IncidentCounts IncidentsOn(CivilDay day) const = 0;
};

}  // namespace anding::dispatcher

// Copies of the dispatch records a command changed, taken on the
// dispatcher's state thread and saved on the commit thread, so the two
// threads never share the live module.
#pragma once

#include <vector>

#include "anding/common/status.h"
#include "anding/core/dispatch/dispatch_module.h"
#include "anding/core/effects.h"
#include "anding/storage/database.h"

namespace anding::store {

struct DispatchChangeSet {
  std::vector<core::dispatch::Incident> incidents;
  std::vector<core::dispatch::ResourceStatus> resources;
  std::vector<core::dispatch::IdCounter> id_counters;

  [[nodiscard]] bool empty() const {
    return incidents.empty() && resources.empty() && id_counters.empty();
  }
};

// Copies every dispatch record named in `changed` (other kinds ignored,
// duplicates once). Internal if a ref names a record the module lacks.
[[nodiscard]] Result<DispatchChangeSet> CollectDispatchChanges(
    const core::dispatch::DispatchModule& module, const std::vector<core::RecordRef>& changed);

[[nodiscard]] Status SaveDispatchChangeSet(storage::Database& db, const DispatchChangeSet& changes);

}  // namespace anding::store

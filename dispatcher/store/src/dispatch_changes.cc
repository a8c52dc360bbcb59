#include "anding/store/dispatch_changes.h"

#include <set>

#include "anding/common/strings.h"
#include "anding/store/dispatch_repository.h"

namespace anding::store {

namespace dispatch = core::dispatch;

Result<DispatchChangeSet> CollectDispatchChanges(const dispatch::DispatchModule& module,
                                                 const std::vector<core::RecordRef>& changed) {
  DispatchChangeSet set;
  std::set<std::pair<std::string, std::string>> done;
  for (const core::RecordRef& ref : changed) {
    if (!done.emplace(ref.kind, ref.id).second) continue;
    if (ref.kind == dispatch::kIncidentRecord) {
      const dispatch::Incident* incident = module.FindIncident(ref.id);
      if (incident == nullptr) return InternalError(StrCat("no incident ", ref.id, " to save"));
      set.incidents.push_back(*incident);
    } else if (ref.kind == dispatch::kResourceRecord) {
      const auto colon = ref.id.find(':');
      const auto kind = dispatch::ParseResourceKind(ref.id.substr(0, colon));
      const dispatch::ResourceStatus* status =
          kind && colon != std::string::npos
              ? module.FindResourceStatus(*kind, std::string_view(ref.id).substr(colon + 1))
              : nullptr;
      if (status == nullptr) return InternalError(StrCat("no resource status ", ref.id, " to save"));
      set.resources.push_back(*status);
    } else if (ref.kind == dispatch::kIdCounterRecord) {
      auto counter = module.FindIdCounter(ref.id);
      if (!counter) return InternalError(StrCat("no incident id counter ", ref.id, " to save"));
      set.id_counters.push_back(*counter);
    }
  }
  return set;
}

Status SaveDispatchChangeSet(storage::Database& db, const DispatchChangeSet& changes) {
  for (const auto& incident : changes.incidents) {
    ANDING_RETURN_IF_ERROR(SaveDispatchIncident(db, incident));
  }
  for (const auto& status : changes.resources) {
    ANDING_RETURN_IF_ERROR(SaveDispatchResourceStatus(db, status));
  }
  for (const auto& counter : changes.id_counters) {
    ANDING_RETURN_IF_ERROR(SaveDispatchIdCounter(db, counter));
  }
  return OkStatus();
}

}  // namespace anding::store

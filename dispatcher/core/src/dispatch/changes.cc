// DispatchModule: the change sets the repository saves.
#include <set>
#include <utility>

#include "anding/common/strings.h"
#include "anding/core/dispatch/dispatch_module.h"

namespace anding::core::dispatch {

Result<DispatchChangeSet> DispatchModule::Changes(const std::vector<RecordRef>& changed) const {
  DispatchChangeSet set;
  std::set<std::pair<std::string_view, std::string_view>> done;
  for (const RecordRef& ref : changed) {
    if (!done.emplace(ref.kind, ref.id).second) continue;
    if (ref.kind == kIncidentRecord) {
      const Incident* incident = FindIncident(ref.id);
      if (incident == nullptr) return InternalError(StrCat("no incident ", ref.id, " to save"));
      set.incidents.push_back(*incident);
    } else if (ref.kind == kResourceRecord) {
      // "team:<id>", "member:<id>", "vehicle:<id>" (ResourceRecordId).
      const std::string_view id = ref.id;
      const size_t colon = id.find(':');
      const auto kind =
          colon == std::string_view::npos ? std::nullopt : ParseResourceKind(id.substr(0, colon));
      const ResourceStatus* status =
          kind ? FindResourceStatus(*kind, id.substr(colon + 1)) : nullptr;
      if (status == nullptr)
        return InternalError(StrCat("no resource status ", ref.id, " to save"));
      set.resources.push_back(*status);
    } else if (ref.kind == kIdCounterRecord) {
      auto counter = FindIdCounter(ref.id);
      if (!counter) return InternalError(StrCat("no incident id counter ", ref.id, " to save"));
      set.id_counters.push_back(*counter);
    }
  }
  return set;
}

std::vector<RecordRef> DispatchModule::AllRecordRefs() const {
  std::vector<RecordRef> refs;
  refs.reserve(incidents_.size() + resource_status_.size() + day_counters_.size());
  for (const auto& [sequence, incident] : by_sequence_) {
    refs.push_back(RecordRef{std::string(kIncidentRecord), incident->id});
  }
  for (const auto& [key, status] : resource_status_) {
    refs.push_back(
        RecordRef{std::string(kResourceRecord), ResourceRecordId(status.kind, status.id)});
  }
  for (const auto& [day, last] : day_counters_) {
    refs.push_back(RecordRef{std::string(kIdCounterRecord), day});
  }
  return refs;
}

}  // namespace anding::core::dispatch

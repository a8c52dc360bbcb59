// Protobuf to the visits core and back: visit and matter views, agent
// VisitRecords and operator requests as core requests, statistics views.
//
// Thread-safety: pure functions.
#pragma once

#include "anding/common/status.h"
#include "anding/core/org.h"
#include "anding/core/visits/stats.h"
#include "anding/core/visits/visits.h"
#include "anding/v1/operator.pb.h"
#include "anding/v1/reports.pb.h"

namespace anding::dispatcher {

[[nodiscard]] v1::VisitView VisitToProto(const core::visits::Visit& visit);
[[nodiscard]] v1::MatterView MatterToProto(const core::visits::Matter& matter,
                                           const core::visits::VisitsConfig& config);
// The table of `stats`, with unit and category names from `org`.
[[nodiscard]] v1::VisitStatsView VisitStatsToProto(const core::visits::VisitStats& stats,
                                                   const core::Organisation& org);

// An agent's VisitRecord for `unit_id`. InvalidArgument naming the field
// for a word the core does not know (the edge checked the rest).
[[nodiscard]] Result<core::visits::VisitRequest> VisitFromRecord(const v1::VisitRecord& record,
                                                                 const std::string& unit_id);
// An operator's request; days default to `today`, counts to 1.
[[nodiscard]] Result<core::visits::VisitRequest> VisitFromRequest(const v1::RecordVisitRequest& r,
                                                                  CivilDay today);
[[nodiscard]] Result<core::visits::MatterRequest> MatterFromRequest(
    const v1::RegisterMatterRequest& r, CivilDay today);
[[nodiscard]] Result<core::visits::MatterActionRequest> MatterActionFromRequest(
    const v1::UpdateMatterRequest& r, CivilDay today);

}  // namespace anding::dispatcher

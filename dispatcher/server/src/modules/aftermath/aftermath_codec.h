// anding.v1 ↔ the aftermath core: the review update and the review view.
// Thread-safety: pure functions.
#pragma once

#include <optional>

#include "anding/core/aftermath/aftermath.h"
#include "anding/dispatcher/module_queries.h"
#include "anding/v1/aftermath_api.pb.h"

namespace anding::dispatcher {

[[nodiscard]] core::aftermath::ReviewUpdate ReviewUpdateFromProto(
    const v1::UpdateReviewRequest& request);

// The review with what is missing and, when a fund book answers, its cost.
[[nodiscard]] v1::ReviewView ReviewToProto(const core::aftermath::Aftermath& aftermath,
                                           const core::aftermath::Review& review,
                                           const std::optional<IncidentCostFigures>& cost);

}  // namespace anding::dispatcher

// The post-incident review as a printable document: text for the terminal
// or HTML for a browser's print, with Chinese headings; the loss assessment
// puts the fund book's estimated and actual cost next to the other losses.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "anding/core/aftermath/aftermath.h"

namespace anding::core::aftermath {

// The incident's cost from the reserve-fund book (funds::IncidentCost).
struct FundCost {
  int64_t estimated_fen = 0;
  int64_t actual_fen = 0;
};

enum class DocumentFormat { kText, kHtml };
// "text", "html".
[[nodiscard]] std::optional<DocumentFormat> ParseDocumentFormat(std::string_view name);

// The review of `review` as `format`; `cost` nullopt when no fund book
// answers. Times in `aftermath.config().zone`.
[[nodiscard]] std::string RenderReview(const Aftermath& aftermath, const Review& review,
                                       const std::optional<FundCost>& cost, DocumentFormat format);

}  // namespace anding::core::aftermath

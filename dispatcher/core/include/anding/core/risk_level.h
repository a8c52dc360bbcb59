// The one scale of risk every module grades on: a 台账 item's level, an
// early warning's, an incident's grade. Mirrors anding.v1.RiskLevel
// (without UNSPECIFIED, which the shell maps to "not given"); the names are
// what the store keeps and what configuration and people write.
#pragma once

#include <optional>
#include <string_view>

namespace anding::core {

// 一般 low: watch · 较大 medium: handle within the unit · 重大 high: company
// supervision · 特别重大 critical: special report, command HQ.
enum class RiskLevel { kLow = 1, kMedium = 2, kHigh = 3, kCritical = 4 };

// "low", "medium", "high", "critical".
[[nodiscard]] std::string_view RiskLevelName(RiskLevel level);
[[nodiscard]] std::optional<RiskLevel> ParseRiskLevel(std::string_view name);

}  // namespace anding::core

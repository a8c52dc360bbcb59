#include "anding/core/risk_level.h"

#include <utility>

namespace anding::core {
namespace {
constexpr std::pair<RiskLevel, std::string_view> kLevels[] = {{RiskLevel::kLow, "low"},
                                                              {RiskLevel::kMedium, "medium"},
                                                              {RiskLevel::kHigh, "high"},
                                                              {RiskLevel::kCritical, "critical"}};
}  // namespace

std::string_view RiskLevelName(RiskLevel level) {
  for (const auto& [value, name] : kLevels) {
    if (value == level) return name;
  }
  return "?";
}

std::optional<RiskLevel> ParseRiskLevel(std::string_view name) {
  for (const auto& [value, text] : kLevels) {
    if (text == name) return value;
  }
  return std::nullopt;
}

}  // namespace anding::core

#include "anding/core/visits/config.h"

#include <algorithm>

#include "anding/common/strings.h"

namespace anding::core::visits {
namespace {

// Longest limit or window believed: ten years of days.
constexpr int64_t kMaxDays = 3660;

int64_t ReadDays(ConfigNode& node, std::string_view key, int64_t fallback, int64_t min_days) {
  const int64_t value = node.Get<int64_t>(key, fallback);
  if (value < min_days || value > kMaxDays) {
    node.Error(key, StrCat("must be a number of days from ", min_days, " to ", kMaxDays));
    return fallback;
  }
  return value;
}

void ReadLimits(ConfigNode& section, TimeLimits& limits) {
  std::optional<ConfigNode> node = section.OptionalMap("time_limits");
  if (!node) return;
  limits.accept_decision_days =
      ReadDays(*node, "accept_decision_days", limits.accept_decision_days, 1);
  limits.conclude_days = ReadDays(*node, "conclude_days", limits.conclude_days, 1);
  limits.max_extension_days = ReadDays(*node, "max_extension_days", limits.max_extension_days, 0);
  limits.review_request_days =
      ReadDays(*node, "review_request_days", limits.review_request_days, 1);
  limits.review_days = ReadDays(*node, "review_days", limits.review_days, 1);
  limits.reexamination_request_days =
      ReadDays(*node, "reexamination_request_days", limits.reexamination_request_days, 1);
  limits.reexamination_days = ReadDays(*node, "reexamination_days", limits.reexamination_days, 1);
  limits.warn_before_days = ReadDays(*node, "warn_before_days", limits.warn_before_days, 0);
  const int64_t shortest = std::min({limits.accept_decision_days, limits.conclude_days,
                                     limits.review_days, limits.reexamination_days});
  if (limits.warn_before_days >= shortest) {
    node->Error("warn_before_days",
                StrCat("must be shorter than the shortest time limit (", shortest, " days)"));
    limits.warn_before_days = 0;
  }
}

}  // namespace

VisitsConfig ReadVisitsConfig(ConfigNode& root, const Organisation& org) {
  VisitsConfig config;
  config.zone = org.time_zone();
  std::optional<ConfigNode> section = root.OptionalMap("visits");
  if (!section) return config;
  config.repeat_window_days =
      ReadDays(*section, "repeat_window_days", config.repeat_window_days, 0);
  const int64_t collective = section->Get<int64_t>("collective_min_persons", 5);
  if (collective < 2 || collective > 100'000) {
    section->Error("collective_min_persons", "must be from 2 to 100000");
  } else {
    config.collective_min_persons = static_cast<uint32_t>(collective);
  }
  const std::string rounding = section->Get<std::string>("rounding", "truncate");
  if (auto parsed = ParseRounding(rounding)) {
    config.rounding = *parsed;
  } else {
    section->Error("rounding", "must be 'truncate' or 'half_up'");
  }
  ReadLimits(*section, config.limits);
  return config;
}

}  // namespace anding::core::visits

// Configuration of the post-incident review (善后): the optional
// `aftermath:` section of the dispatcher's YAML (example in
// deploy/demo/aftermath-example.yaml).
//
// Thread-safety: AftermathConfig is a value; ReadAftermathConfig is pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/config.h"
#include "anding/common/time.h"
#include "anding/core/org.h"

namespace anding::core::aftermath {

// One entry of the root-cause taxonomy.
struct RootCause {
  std::string id;    // "policy"
  std::string name;  // "政策落实不到位"
  friend bool operator==(const RootCause&, const RootCause&) = default;
};

// The taxonomy used without configuration.
[[nodiscard]] std::vector<RootCause> DefaultRootCauses();

// The review's fields an operator fills in, by the names `mandatory` uses:
// "investigation", "solution", "department", "representatives_told" (when
// and by whom), "root_cause", "root_cause_text", "background", "losses"
// (the other losses' text, "无" for none), "responsibility", "lessons",
// "improvements".
[[nodiscard]] const std::vector<std::string_view>& ReviewFieldNames();

struct AftermathConfig {
  // After the settlement's local day, this many days are watched for a
  // rebound (反弹) of the same unit and category.
  int64_t watch_days = 30;
  std::vector<RootCause> root_causes = DefaultRootCauses();
  // The fields a review needs before its incident may close.
  std::vector<std::string> mandatory = {"investigation", "solution", "representatives_told",
                                        "root_cause",    "losses",   "responsibility",
                                        "lessons"};
  TimeZone zone = TimeZone::Shanghai();
};

// Reads the optional `aftermath:` section (defaults without it) and takes
// the zone from `org`. Mistakes (watch_days outside 1–365, a root cause
// without id or name or twice, an unknown mandatory field) are recorded on
// their node for ConfigDocument::Finish to report.
[[nodiscard]] AftermathConfig ReadAftermathConfig(ConfigNode& root, const Organisation& org);

}  // namespace anding::core::aftermath

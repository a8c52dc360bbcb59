// Grading of early warnings: is this a sign of a major group incident that
// must be special-reported (专报) to the company petition office at once?
//
// A warning is major when any of these holds (each adds a reason):
//   * the reporter marked it major;
//   * persons >= rules.persons_threshold (threshold 0 disables the rule);
//   * its destination region's kind is one of rules.destination_kinds
//     (default: the provincial capital and Beijing);
//   * rules.critical_level_is_major and its level is critical.
//
// Thread-safety: pure function.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "anding/core/ledger/config.h"
#include "anding/core/ledger/vocabulary.h"
#include "anding/core/org.h"

namespace anding::core::ledger {

struct WarningFacts {
  bool reported_major = false;
  uint32_t persons = 0;
  const Region* destination = nullptr;  // nullptr = unknown
  std::optional<RiskLevel> level;
};

struct WarningGrade {
  bool major = false;
  // Machine-readable: "reported_major", "persons>=30", "destination:beijing",
  // "level:critical".
  std::vector<std::string> reasons;
  friend bool operator==(const WarningGrade&, const WarningGrade&) = default;
};

[[nodiscard]] WarningGrade GradeWarning(const WarningFacts& facts, const MajorWarningRules& rules);

}  // namespace anding::core::ledger

#include "anding/core/ledger/grading.h"

#include <algorithm>

#include "anding/common/strings.h"

namespace anding::core::ledger {

WarningGrade GradeWarning(const WarningFacts& facts, const MajorWarningRules& rules) {
  WarningGrade grade;
  if (facts.reported_major) grade.reasons.push_back("reported_major");
  if (rules.persons_threshold > 0 && facts.persons >= rules.persons_threshold) {
    grade.reasons.push_back(StrCat("persons>=", rules.persons_threshold));
  }
  if (facts.destination != nullptr &&
      std::find(rules.destination_kinds.begin(), rules.destination_kinds.end(),
                facts.destination->kind) != rules.destination_kinds.end()) {
    grade.reasons.push_back(StrCat("destination:", facts.destination->id));
  }
  if (rules.critical_level_is_major && facts.level == RiskLevel::kCritical) {
    grade.reasons.push_back("level:critical");
  }
  grade.major = !grade.reasons.empty();
  return grade;
}

}  // namespace anding::core::ledger

// Configuration of the visit register (接处访登记), petition matters
// (信访事项) and petition statistics: the `visits:` section of the
// dispatcher's YAML (example in deploy/demo/visits-example.yaml).
//
// The statutory time limits of the 信访工作条例 (2022) are configuration,
// with the regulation's values as defaults: decide within 15 days whether
// a matter is accepted; conclude within 60 days of acceptance, extendable
// once by up to 30 days with a recorded reason; a review (复查) may be
// requested within 30 days of the written answer and is answered within
// 30 days; a re-examination (复核) likewise.
//
// Thread-safety: VisitsConfig is a value; ReadVisitsConfig is pure.
#pragma once

#include <cstdint>
#include <string>

#include "anding/common/config.h"
#include "anding/common/time.h"
#include "anding/core/org.h"
#include "anding/core/visits/percent.h"

namespace anding::core::visits {

// Limits in calendar days of the configured zone. A limit of N days from
// day D ends at the end of day D + N (the day of receipt is not counted).
struct TimeLimits {
  int64_t accept_decision_days = 15;
  int64_t conclude_days = 60;
  int64_t max_extension_days = 30;
  int64_t review_request_days = 30;
  int64_t review_days = 30;
  int64_t reexamination_request_days = 30;
  int64_t reexamination_days = 30;
  // Every timer warns this many days before its limit ends.
  int64_t warn_before_days = 3;
  friend bool operator==(const TimeLimits&, const TimeLimits&) = default;
};

struct VisitsConfig {
  // A visit by the same group (unit + category + representative) within
  // this many days of an earlier one is flagged as a repeat (重复访).
  int64_t repeat_window_days = 90;
  // A visit of at least this many persons is collective (集体访) unless
  // recorded otherwise explicitly.
  uint32_t collective_min_persons = 5;
  // How statistics round their percentages.
  Rounding rounding = Rounding::kTruncate;
  TimeLimits limits;
  TimeZone zone = TimeZone::Shanghai();
};

// Reads the optional `visits:` section (defaults without it) and takes the
// zone from `org`. Every mistake is recorded on its node (a negative or
// zero limit, a warning lead not shorter than the shortest limit, an
// unknown rounding mode) for ConfigDocument::Finish to report.
[[nodiscard]] VisitsConfig ReadVisitsConfig(ConfigNode& root, const Organisation& org);

}  // namespace anding::core::visits

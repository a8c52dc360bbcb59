// The arithmetic of petition statistics: the change between two counts as
// a percentage with two decimals, computed exactly in integers (never in
// binary floating point), rounded the way the company's reports round.
//
// The company's own reports truncate (2017 → 2018: 403 → 303 batches is
// −24.81 %, 901 → 469 person-times is −47.94 %); half-up is the other
// configurable mode (−47.95 %). A change from zero has no base and is
// reported as such, never as a division by zero or an infinity.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace anding::core::visits {

enum class Rounding {
  kTruncate,  // toward zero: −47.9467 % → −47.94 %
  kHalfUp,    // half away from zero: −47.945 % → −47.95 %, 12.344 % → 12.34 %
};

// "truncate", "half_up".
[[nodiscard]] std::string_view RoundingName(Rounding rounding);
[[nodiscard]] std::optional<Rounding> ParseRounding(std::string_view name);

// `numerator / denominator` in hundredths of a percent (−2481 for
// −24.81 %), rounded by `rounding`. nullopt when `denominator` is zero
// ("no base"). Exact for every int64 input (the product is taken in 128
// bits); saturates at the int64 range.
[[nodiscard]] std::optional<int64_t> PercentHundredths(int64_t numerator, int64_t denominator,
                                                       Rounding rounding);

// `numerator / denominator` itself in hundredths (350 for 3.50: a mean
// of days), rounded by `rounding`; nullopt when `denominator` is zero.
// Exact and saturating as PercentHundredths.
[[nodiscard]] std::optional<int64_t> QuotientHundredths(int64_t numerator, int64_t denominator,
                                                        Rounding rounding);

// The change from `before` to `after`, (after − before) / before, in
// hundredths of a percent; nullopt when `before` is zero (no base).
[[nodiscard]] std::optional<int64_t> ChangeHundredths(int64_t before, int64_t after,
                                                      Rounding rounding);

// "-24.81", "0.00", "5.07": hundredths as a decimal with two places.
[[nodiscard]] std::string FormatHundredths(int64_t hundredths);

// "-24.81%" or "no base".
[[nodiscard]] std::string FormatChange(const std::optional<int64_t>& hundredths);

}  // namespace anding::core::visits

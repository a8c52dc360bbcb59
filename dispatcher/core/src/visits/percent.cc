#include "anding/core/visits/percent.h"

#include <limits>

#include "anding/common/strings.h"

namespace anding::core::visits {
namespace {

__extension__ typedef __int128 Wide;

int64_t Saturate(Wide value) {
  if (value > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (value < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(value);
}

Wide Magnitude(Wide value) { return value < 0 ? -value : value; }

// `numerator / denominator` times `scale`, rounded.
std::optional<int64_t> Scaled(int64_t numerator, int64_t denominator, int64_t scale,
                              Rounding rounding) {
  if (denominator == 0) return std::nullopt;
  // Work on magnitudes so that both modes are symmetric around zero, as a
  // report's −x % and +x % must be.
  const Wide scaled = Magnitude(Wide{numerator}) * scale;
  const Wide divisor = Magnitude(Wide{denominator});
  Wide quotient = scaled / divisor;
  const Wide remainder = scaled % divisor;
  if (rounding == Rounding::kHalfUp && remainder * 2 >= divisor) ++quotient;
  const bool negative = (numerator < 0) != (denominator < 0);
  return Saturate(negative ? -quotient : quotient);
}

}  // namespace

std::string_view RoundingName(Rounding rounding) {
  return rounding == Rounding::kHalfUp ? "half_up" : "truncate";
}

std::optional<Rounding> ParseRounding(std::string_view name) {
  if (name == "truncate") return Rounding::kTruncate;
  if (name == "half_up") return Rounding::kHalfUp;
  return std::nullopt;
}

std::optional<int64_t> PercentHundredths(int64_t numerator, int64_t denominator,
                                         Rounding rounding) {
  return Scaled(numerator, denominator, 10'000, rounding);
}

std::optional<int64_t> QuotientHundredths(int64_t numerator, int64_t denominator,
                                          Rounding rounding) {
  return Scaled(numerator, denominator, 100, rounding);
}

std::optional<int64_t> ChangeHundredths(int64_t before, int64_t after, Rounding rounding) {
  if (before == 0) return std::nullopt;
  const Wide difference = Wide{after} - Wide{before};
  // The difference of two int64 can exceed int64; divide in 128 bits.
  const Wide scaled = Magnitude(difference) * 10'000;
  const Wide divisor = Magnitude(Wide{before});
  Wide quotient = scaled / divisor;
  if (rounding == Rounding::kHalfUp && (scaled % divisor) * 2 >= divisor) ++quotient;
  const bool negative = (difference < 0) != (before < 0);
  return Saturate(negative ? -quotient : quotient);
}

std::string FormatHundredths(int64_t hundredths) {
  const Wide magnitude = Magnitude(Wide{hundredths});
  const auto whole = static_cast<uint64_t>(magnitude / 100);
  const auto fraction = static_cast<unsigned>(magnitude % 100);
  return StrCat(hundredths < 0 ? "-" : "", whole, ".", fraction < 10 ? "0" : "", fraction);
}

std::string FormatChange(const std::optional<int64_t>& hundredths) {
  if (!hundredths) return "no base";
  return StrCat(FormatHundredths(*hundredths), "%");
}

}  // namespace anding::core::visits

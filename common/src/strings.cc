#include "anding/common/strings.h"

#include <cstdint>

namespace anding {

namespace {

// Unicode East Asian Width W and F ranges (UAX #11), merged where adjacent;
// enough for the text Anding shows (CJK ideographs, kana, hangul, fullwidth
// forms and CJK punctuation).
struct Range {
  char32_t first, last;
};
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD},
    {0x30000, 0x3FFFD},
};

bool IsWide(char32_t c) {
  for (const Range& r : kWide) {
    if (c < r.first) return false;  // the table is sorted
    if (c <= r.last) return true;
  }
  return false;
}

bool IsCombining(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0xFE00 && c <= 0xFE0F);
}

// The character that starts at utf8[i]: how many bytes it takes and how
// many columns. A byte that does not start a valid character is taken
// alone, one column wide.
struct Glyph {
  size_t bytes;
  size_t columns;
};

Glyph NextGlyph(std::string_view utf8, size_t i) {
  const auto lead = static_cast<uint8_t>(utf8[i]);
  size_t length = 1;
  char32_t c = lead;
  if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    c = lead & 0x07;
  } else if (lead >= 0xE0) {
    length = 3;
    c = lead & 0x0F;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    c = lead & 0x1F;
  } else if (lead >= 0x80) {
    return {1, 1};  // not a lead byte: one column, like a replacement character
  }
  bool valid = i + length <= utf8.size();
  for (size_t k = 1; valid && k < length; ++k) {
    const auto next = static_cast<uint8_t>(utf8[i + k]);
    valid = (next & 0xC0) == 0x80;
    c = (c << 6) | (next & 0x3F);
  }
  if (!valid) return {1, 1};
  return {length, IsCombining(c) ? 0u : IsWide(c) ? 2u : 1u};
}

}  // namespace

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t at = text.find(separator, start);
    parts.emplace_back(text.substr(start, at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

size_t DisplayWidth(std::string_view utf8) {
  size_t width = 0;
  for (size_t i = 0; i < utf8.size();) {
    const Glyph glyph = NextGlyph(utf8, i);
    width += glyph.columns;
    i += glyph.bytes;
  }
  return width;
}

std::string TruncateToWidth(std::string_view utf8, size_t width) {
  if (DisplayWidth(utf8) <= width) return std::string(utf8);
  if (width == 0) return {};
  // Room for the ellipsis (one column) is kept; a wide character that
  // would end past it is left out whole, never split.
  size_t used = 0;
  size_t end = 0;
  while (end < utf8.size()) {
    const Glyph glyph = NextGlyph(utf8, end);
    if (used + glyph.columns > width - 1) break;
    used += glyph.columns;
    end += glyph.bytes;
  }
  return std::string(utf8.substr(0, end)) + "…";
}

std::string PadRight(std::string_view text, size_t width) {
  std::string out(text);
  const size_t used = DisplayWidth(text);
  if (used < width) out.append(width - used, ' ');
  return out;
}

}  // namespace anding

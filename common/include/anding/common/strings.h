// Small string helpers used across Anding.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace anding {

// Concatenates the text form of every argument: StrCat("unit ", id, ": ", 3).
template <typename... Args>
[[nodiscard]] std::string StrCat(const Args&... args) {
  std::string out;
  (fmt::format_to(std::back_inserter(out), "{}", args), ...);
  return out;
}

// Appends the text form of every argument to `out`.
template <typename... Args>
void StrAppend(std::string& out, const Args&... args) {
  (fmt::format_to(std::back_inserter(out), "{}", args), ...);
}

// Terminal columns `utf8` takes: 2 for each wide or fullwidth character
// (Chinese, Japanese and Korean text, fullwidth punctuation), 1 for any
// other character, 0 for combining marks; a byte that is not valid UTF-8
// counts 1. For aligning tables that mix Chinese and Latin text.
[[nodiscard]] size_t DisplayWidth(std::string_view utf8);

// `text` followed by spaces up to `width` terminal columns; text that is
// already as wide or wider is returned whole.
[[nodiscard]] std::string PadRight(std::string_view text, size_t width);

}  // namespace anding

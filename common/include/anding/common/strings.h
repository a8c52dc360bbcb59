// Small string helpers used across Anding.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace anding {

namespace strings_internal {
// Text is appended as it is and integers through fmt::format_int, without
// going through a format string (StrCat builds every summary and key).
template <typename T>
void AppendOne(std::string& out, const T& value) {
  if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    out.append(std::string_view(value));
  } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                       !std::is_same_v<T, char>) {
    const fmt::format_int text(value);
    out.append(text.data(), text.size());
  } else {
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}
}  // namespace strings_internal

// Appends the text form of every argument to `out`.
template <typename... Args>
void StrAppend(std::string& out, const Args&... args) {
  (strings_internal::AppendOne(out, args), ...);
}

// Concatenates the text form of every argument: StrCat("unit ", id, ": ", 3).
template <typename... Args>
[[nodiscard]] std::string StrCat(const Args&... args) {
  std::string out;
  StrAppend(out, args...);
  return out;
}

// The pieces of `text` between the `separator`s, empty ones included:
// Split("a|b||c", '|') is {"a", "b", "", "c"}; Split("", '|') is {""}.
[[nodiscard]] std::vector<std::string> Split(std::string_view text, char separator);

// Terminal columns `utf8` takes: 2 for each wide or fullwidth character
// (Chinese, Japanese and Korean text, fullwidth punctuation), 1 for any
// other character, 0 for combining marks; a byte that is not valid UTF-8
// counts 1. For aligning tables that mix Chinese and Latin text.
[[nodiscard]] size_t DisplayWidth(std::string_view utf8);

// `utf8` cut to at most `width` terminal columns: whole when it fits,
// otherwise its first characters and "…" (the ellipsis takes one column).
// Never splits a character, wide or multi-byte.
[[nodiscard]] std::string TruncateToWidth(std::string_view utf8, size_t width);

// `text` followed by spaces up to `width` terminal columns; text that is
// already as wide or wider is returned whole.
[[nodiscard]] std::string PadRight(std::string_view text, size_t width);

}  // namespace anding

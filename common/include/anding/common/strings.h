// Small string helpers used across Anding.
#pragma once

#include <fmt/format.h>

#include <string>

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

}  // namespace anding

// Checks for option values, shared by the command lines so that one rule
// reads the same everywhere. Messages are in the current language (choose
// it before defining options). Each refuses with a message CLI11 reports as
// "--option: message", exit status 2.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/status.h"

namespace anding::cmdline {

// A whole number from `min` to `max`.
[[nodiscard]] CLI::Validator InRange(int64_t min, int64_t max);

// One of `values` (shown as "a|b|c" in help, offered by the completion).
void OneOf(CLI::Option* option, std::vector<std::string> values);

// A day (YYYY-MM-DD) or an RFC 3339 time (2026-11-27T16:30:00+08:00): the
// times every command accepts; the command reads days in the configured
// zone.
[[nodiscard]] CLI::Validator DayOrTime();
// A day, YYYY-MM-DD.
[[nodiscard]] CLI::Validator Day();
// A duration: 5s, 10m, 1h30m.
[[nodiscard]] CLI::Validator DurationText();
// Yuan with at most two decimals (12.34); see ParseYuan.
[[nodiscard]] CLI::Validator Yuan();
// Any rule written as a function: OK, or InvalidArgument with the message.
[[nodiscard]] CLI::Validator Checked(std::function<Status(const std::string&)> check);

// "12.34" yuan → 1234 fen, exactly (integers only, no floating point).
// InvalidArgument for anything but digits with at most two decimals:
// "0.001", "-1", "1,000", ".5", "".
[[nodiscard]] Result<int64_t> ParseYuan(std::string_view text);

}  // namespace anding::cmdline

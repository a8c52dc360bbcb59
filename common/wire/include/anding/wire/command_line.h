// What the command lines (`anding-agent`, `anding`) refuse before they parse
// or send anything. Each program calls it once on all of its words, so the
// rule holds for every command and option, whatever parses the options.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "anding/common/status.h"

namespace anding::wire {

// OK when every word is valid UTF-8 (text options become protobuf strings,
// which must be). Otherwise InvalidArgument naming where the first bad word
// is: "--summary is not valid UTF-8" for `--summary VALUE` or
// `--summary=VALUE`, "argument 3 is not valid UTF-8" for a positional word
// (counted from 1, without the program's name). The bad bytes are not
// echoed.
[[nodiscard]] Status CheckCommandLineText(const std::vector<std::string>& words);

}  // namespace anding::wire

// The `anding` operator command line (headquarters).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "anding/common/clock.h"

namespace anding::cli {

// Runs one command (argv without the program name); `clock` says what
// "now" and "today" are (new ids, confirmation times). Returns the exit
// status: 0 success, 1 failure, 2 usage error.
int RunOperatorCli(const std::vector<std::string>& args, const Clock& clock, std::ostream& out,
                   std::ostream& err);

}  // namespace anding::cli

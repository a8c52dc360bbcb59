// The `anding` operator command line (headquarters).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "anding/common/clock.h"

namespace anding::cli {

// Runs one command (argv without the program name); `clock` says what
// "now" and "today" are (new ids, confirmation times). Returns the exit
// status (anding/cmdline/exit_codes.h): 0 done, 1 refused by the
// dispatcher, 2 bad usage (nothing sent), 3 the dispatcher unavailable or
// the outcome unknown. The commands are defined with CLI11 (cli.cc and the
// domains' Define…Commands); --help at every level needs no configuration.
int RunOperatorCli(const std::vector<std::string>& args, const Clock& clock, std::ostream& out,
                   std::ostream& err);

}  // namespace anding::cli

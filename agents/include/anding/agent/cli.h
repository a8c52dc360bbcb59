// The `anding-agent` command line: `run` starts the daemon; every other
// command talks to the running daemon over its local socket.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "anding/common/clock.h"

namespace anding::agent {

// Runs one command (argv without the program name) against `clock` (the
// daemon's clock for `run`; for reports, what "today" and "now" are).
// Returns the exit status: 0 success, 1 failure (refused, unreachable),
// 2 usage error.
int RunCli(const std::vector<std::string>& args, const Clock& clock, std::ostream& out,
           std::ostream& err);

}  // namespace anding::agent

// The `anding-agent` command line: `run` starts the daemon; every other
// command talks to the running daemon over its local socket.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "anding/common/clock.h"

namespace anding::agent {

// Where a command may ask for what its command line left out: only a
// person at a terminal is asked (a script fails at once, exit 2).
struct Terminal {
  std::istream* in = nullptr;
  bool interactive = false;
};

// Runs one command (argv without the program name) against `clock` (the
// daemon's clock for `run`; for reports, what "today" and "now" are), in
// the language of --lang or the environment. Returns the exit status
// (anding/cmdline/exit_codes.h): 0 done, 1 refused, 2 bad usage or
// configuration, 3 the daemon is unavailable or the outcome is unknown.
int RunCli(const std::vector<std::string>& args, const Clock& clock, std::ostream& out,
           std::ostream& err, const Terminal& terminal = {});

}  // namespace anding::agent

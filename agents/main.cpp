// anding-agent: the mine office's daemon (`anding-agent run`) and its
// command line (every other command). See `anding-agent --help`.
//
// It runs against the system clock; tests of the real daemons give it a
// simulated one (--simulated-clock, anding/runtime/clock_options.h).
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "anding/agent/cli.h"
#include "anding/runtime/clock_options.h"
#include "anding/runtime/last_resort.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // `run` is the daemon: its last words go to its log; every other command
  // answers on stderr.
  const bool daemon = std::find(args.begin(), args.end(), "run") != args.end();
  const auto kind =
      daemon ? anding::runtime::ProgramKind::kDaemon : anding::runtime::ProgramKind::kCommand;
  return anding::runtime::RunGuarded("anding-agent", kind, [&] {
    auto clock = anding::runtime::TakeClockOptions(args);
    if (!clock.ok()) {
      std::cerr << "anding-agent: " << clock.status().message() << "\n";
      return 2;
    }
    const anding::agent::Terminal terminal{&std::cin, ::isatty(STDIN_FILENO) == 1};
    return anding::agent::RunCli(args, **clock, std::cout, std::cerr, terminal);
  });
}

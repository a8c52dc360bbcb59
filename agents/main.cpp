// anding-agent: the mine office's daemon (`anding-agent run`) and its
// command line (every other command). See `anding-agent help`.
//
// It runs against the system clock; tests of the real daemons give it a
// simulated one (--simulated-clock, anding/runtime/clock_options.h).
#include <iostream>
#include <string>
#include <vector>

#include "anding/agent/cli.h"
#include "anding/runtime/clock_options.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto clock = anding::runtime::TakeClockOptions(args);
  if (!clock.ok()) {
    std::cerr << "anding-agent: " << clock.status().message() << "\n";
    return 2;
  }
  return anding::agent::RunCli(args, **clock, std::cout, std::cerr);
}

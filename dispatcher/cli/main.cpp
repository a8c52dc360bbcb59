// anding: the operator command line (headquarters). See `anding help`.
//
// It runs against the system clock; tests of the real processes give it a
// simulated one (--simulated-clock, anding/runtime/clock_options.h).
#include <iostream>
#include <string>
#include <vector>

#include "anding/cli/cli.h"
#include "anding/runtime/clock_options.h"
#include "anding/runtime/last_resort.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return anding::runtime::RunGuarded("anding", anding::runtime::ProgramKind::kCommand, [&] {
    auto clock = anding::runtime::TakeClockOptions(args);
    if (!clock.ok()) {
      std::cerr << "anding: " << clock.status().message() << "\n";
      return 2;
    }
    return anding::cli::RunOperatorCli(args, **clock, std::cout, std::cerr);
  });
}

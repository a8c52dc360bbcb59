// anding-agent: the mine office's daemon (`anding-agent run`) and its
// command line (every other command). See `anding-agent help`.
#include <iostream>
#include <string>
#include <vector>

#include "anding/agent/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return anding::agent::RunCli(args, std::cout, std::cerr);
}

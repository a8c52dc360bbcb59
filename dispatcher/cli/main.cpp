// anding: the operator command line (headquarters). See `anding help`.
#include <iostream>
#include <string>
#include <vector>

#include "anding/cli/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return anding::cli::RunOperatorCli(args, std::cout, std::cerr);
}

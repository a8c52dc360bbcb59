// The `anding` operator command line (headquarters).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace anding::cli {

// Runs one command (argv without the program name). Returns the exit
// status: 0 success, 1 failure, 2 usage error.
int RunOperatorCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace anding::cli

// What the build makes from a program's command-line definition: the list
// of its commands (for the tests), its bash completion and its manual page.
// The programs print them with hidden options (command_line.h, Parse).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace anding::cmdline {

// One command a line: "anding-agent", "anding-agent report", ...
[[nodiscard]] std::string CommandList(const CLI::App& program);

// A bash completion script defining `_<program>` (dashes as underscores)
// and registering it with `complete`: command names, option names, and the
// values of enumerated options (OneOf), at every level.
[[nodiscard]] std::string BashCompletion(const CLI::App& program);

// The manual page (man(7) roff, section 1): name, synopsis, the program's
// options, then every command with its usage, options and examples, and
// the exit status.
[[nodiscard]] std::string ManPage(const CLI::App& program);

}  // namespace anding::cmdline

// The last line of defence of every main(): an exception that nothing
// below caught (a library's, thrown where no one expected it) must end the
// program with a clear message and a non-zero exit status, never with
// std::terminate's abort and a core dump that says nothing to an operator.
// Errors are values everywhere else; reaching this is a bug to report.
// Thread-safety: call once, from main(), before other threads start.
#pragma once

#include <functional>
#include <string>

namespace anding::runtime {

// The exit status of a program ended by an unexpected exception
// (EX_SOFTWARE of <sysexits.h>).
inline constexpr int kInternalErrorExit = 70;

enum class ProgramKind {
  // A command: prints "<program>: internal error: <what>; nothing was
  // changed by this command" on stderr.
  kCommand,
  // A daemon: writes "internal error: <what>; stopping" as a critical line
  // to its "main" logger (and so to its configured sinks), flushed.
  kDaemon,
};

// Runs `body` and returns its exit status. An exception escaping `body`,
// or (through std::set_terminate) escaping any other thread, is reported as
// `kind` says and ends the program with kInternalErrorExit.
[[nodiscard]] int RunGuarded(const std::string& program, ProgramKind kind,
                             const std::function<int()>& body);

}  // namespace anding::runtime

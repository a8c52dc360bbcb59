// The exit status of every Anding command line, documented in the README:
//   0  done
//   1  refused (by the dispatcher, the agent daemon, or the state of things)
//   2  bad usage: an unknown command or option, a malformed value, a
//      missing or invalid configuration; nothing was sent
//   3  unavailable, or the outcome is unknown: the daemon did not answer in
//      time; the command says what to do (usually: run it again)
// Daemons keep their own (anding-dispatcher: 70 after an internal error).
#pragma once

#include "anding/common/status.h"

namespace anding::cmdline {

inline constexpr int kExitDone = 0;
inline constexpr int kExitRefused = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnavailable = 3;

// The exit status for a command that ends with `status`: 0 for OK, 2 for
// InvalidArgument, 3 for Unavailable and DeadlineExceeded, 1 for any other.
[[nodiscard]] int ExitCodeFor(const Status& status);

}  // namespace anding::cmdline

// The dispatch module's last word on a broken invariant: a bug, not bad
// input (bad input is refused with a Status). Prints what broke and aborts,
// so that a supervisor restarts the dispatcher from the store.
// Thread-safety: a pure function.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace anding::core::dispatch {

[[noreturn]] inline void Die(const std::string& message) {
  std::fprintf(stderr, "fatal: dispatch invariant broken: %s\n", message.c_str());
  std::abort();
}

}  // namespace anding::core::dispatch

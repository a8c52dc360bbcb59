#include "anding/cmdline/exit_codes.h"

namespace anding::cmdline {

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return kExitDone;
    case StatusCode::kInvalidArgument:
      return kExitUsage;
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
      return kExitUnavailable;
    default:
      return kExitRefused;
  }
}

}  // namespace anding::cmdline

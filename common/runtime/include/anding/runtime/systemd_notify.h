// Telling systemd how a daemon is doing (sd_notify(3)'s protocol, which is
// one datagram to the socket named by $NOTIFY_SOCKET): the units are
// Type=notify, so `systemctl start` returns when the daemon really serves
// — its sockets bound, its state loaded — not when the process exists.
// Outside systemd ($NOTIFY_SOCKET unset) every call does nothing.
//
//   NotifySystemd("READY=1\nSTATUS=serving 12 agents");
#pragma once

#include <string_view>

#include "anding/common/status.h"

namespace anding::runtime {

// Sends `state` (newline-separated assignments: READY=1, RELOADING=1,
// STOPPING=1, STATUS=…) to the service manager. OK when there is none.
Status NotifySystemd(std::string_view state);

}  // namespace anding::runtime

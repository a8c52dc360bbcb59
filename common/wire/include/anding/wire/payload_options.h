// Builds envelope payloads from command-line options, for `anding-agent`
// (a unit's reports) and `anding` (headquarters acting for a unit): both
// accept the same options for the same payload.
#pragma once

#include <string>

#include "anding/common/args.h"
#include "anding/common/clock.h"
#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/v1/envelope.pb.h"

namespace anding::wire {

// `command` is "report", "ledger" or "orders"; the kind is args.Positional(1)
// (for "orders": "ack" with the order id at Positional(2)). The envelope
// carries only the payload; the daemon fills in id, unit, sequence, time.
// `clock` gives "now" for options left out (a daily report's day is today,
// a close-out is confirmed now); days (YYYY-MM-DD) are read in `zone`.
[[nodiscard]] Result<v1::Envelope> BuildPayload(const std::string& command, Args& args,
                                                const Clock& clock, const TimeZone& zone);
// The same with the kind given explicitly ("incident", "register", ...).
[[nodiscard]] Result<v1::Envelope> BuildPayloadOf(const std::string& command,
                                                  const std::string& kind, Args& args,
                                                  const Clock& clock, const TimeZone& zone);

// The options of one report kind, for --help.
[[nodiscard]] std::string PayloadHelp(const std::string& command, const std::string& kind);

// "12.34" yuan or "1234fen"... : parses a yuan amount with at most two
// decimals into fen exactly. InvalidArgument otherwise.
[[nodiscard]] Result<int64_t> ParseYuan(const std::string& text);

}  // namespace anding::wire

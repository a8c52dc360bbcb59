// The operator command line's per-domain commands. Each domain file turns
// its commands into an OperatorRequest and prints its responses; cli.cc
// dispatches between them.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "anding/common/args.h"
#include "anding/common/clock.h"
#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/v1/operator.pb.h"

namespace anding::cli {

// What a command reads besides its options: "now" (new ids, confirmation
// times, today) and the configured zone days are read in.
struct CommandContext {
  const Clock& clock;
  const TimeZone& zone;
};

// The request for `command sub ...`, or nullopt if this domain has no such
// command. Errors in the options are recorded on `args` or returned.
using RequestBuilder = std::optional<Result<v1::OperatorRequest>> (*)(
    const std::string& command, const std::string& sub, Args& args, const CommandContext& context);
// Prints `response` if it is one of this domain's, with times in `zone`;
// returns whether it did.
using ResponsePrinter = bool (*)(const v1::OperatorResponse& response, const TimeZone& zone,
                                 std::ostream& out);

std::optional<Result<v1::OperatorRequest>> LedgerRequest(const std::string& command,
                                                         const std::string& sub, Args& args,
                                                         const CommandContext& context);
bool PrintLedger(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out);

std::optional<Result<v1::OperatorRequest>> FundsRequest(const std::string& command,
                                                        const std::string& sub, Args& args,
                                                        const CommandContext& context);
bool PrintFunds(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out);

std::optional<Result<v1::OperatorRequest>> DispatchRequest(const std::string& command,
                                                           const std::string& sub, Args& args,
                                                           const CommandContext& context);
bool PrintDispatch(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out);

std::optional<Result<v1::OperatorRequest>> UsersRequest(const std::string& command,
                                                        const std::string& sub, Args& args,
                                                        const CommandContext& context);
bool PrintUsers(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out);
std::optional<Result<v1::OperatorRequest>> NotifyRequest(const std::string& command,
                                                         const std::string& sub, Args& args,
                                                         const CommandContext& context);
bool PrintNotify(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out);
// The notification queue's line of `anding status`.
void PrintNotifyQueue(const v1::NotifyQueueResponse& queue, std::ostream& out);
std::optional<Result<v1::OperatorRequest>> VisitsRequest(const std::string& command,
                                                         const std::string& sub, Args& args,
                                                         const CommandContext& context);
bool PrintVisits(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out);

// `stats ledger …` and `stats funds …`.
std::optional<Result<v1::OperatorRequest>> StatsRequest(const std::string& command,
                                                        const std::string& sub, Args& args,
                                                        const CommandContext& context);
bool PrintStats(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out);

// `incident review …` (must be asked before DispatchRequest, which refuses
// incident subcommands it does not know).
std::optional<Result<v1::OperatorRequest>> AftermathRequest(const std::string& command,
                                                            const std::string& sub, Args& args,
                                                            const CommandContext& context);
bool PrintAftermath(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out);

// Local wall-clock text of a timestamp in `zone` ("-" when unset).
[[nodiscard]] std::string When(const google::protobuf::Timestamp& ts, const TimeZone& zone);

}  // namespace anding::cli

// The operator command line's per-domain commands. Each domain file defines
// its commands (Define…Commands, with CLI11: options, checks, examples,
// help), turns the selected one into an OperatorRequest and prints its
// responses; cli.cc dispatches between them.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <optional>
#include <string>

#include "anding/common/clock.h"
#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/v1/operator.pb.h"
#include "anding/wire/payload_options.h"
#include "command_values.h"

namespace anding::cli {

// What a command reads besides its options: "now" (new ids, confirmation
// times, today) and the configured zone days are read in.
// `payloads` builds what `ledger register|update|close-out` and `incident
// report` share with anding-agent.
struct CommandContext {
  const Clock& clock;
  const TimeZone& zone;
  const wire::PayloadCommands& payloads;
};

// The top-level command `name` of `program`, made (with `description` and
// `examples`) if no domain has made it yet: `incident` and `stats` are
// shared by several domains.
CLI::App* TopCommand(CLI::App& program, const std::string& name, const std::string& description,
                     const std::vector<std::string>& examples);

// The request for `command sub ...`, or nullopt if this domain has no such
// command. InvalidArgument for what the definitions could not check.
using RequestBuilder = std::optional<Result<v1::OperatorRequest>> (*)(
    const std::string& command, const std::string& sub, const CommandValues& args,
    const CommandContext& context);
// Prints `response` if it is one of this domain's, with times in `zone`;
// returns whether it did.
using ResponsePrinter = bool (*)(const v1::OperatorResponse& response, const TimeZone& zone,
                                 std::ostream& out);

// `ledger …`, `report daily|monthly`, `screening status`, `alerts …`.
void DefineLedgerCommands(CLI::App& program, wire::PayloadCommands& payloads);
std::optional<Result<v1::OperatorRequest>> LedgerRequest(const std::string& command,
                                                         const std::string& sub,
                                                         const CommandValues& args,
                                                         const CommandContext& context);
bool PrintLedger(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out);

void DefineFundsCommands(CLI::App& program);
std::optional<Result<v1::OperatorRequest>> FundsRequest(const std::string& command,
                                                        const std::string& sub,
                                                        const CommandValues& args,
                                                        const CommandContext& context);
bool PrintFunds(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out);

// `incident …` (but review), `teams`, `availability`.
void DefineDispatchCommands(CLI::App& program, wire::PayloadCommands& payloads);
std::optional<Result<v1::OperatorRequest>> DispatchRequest(const std::string& command,
                                                           const std::string& sub,
                                                           const CommandValues& args,
                                                           const CommandContext& context);
bool PrintDispatch(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out);

// `user …`, `audit …`.
void DefineUsersCommands(CLI::App& program);
std::optional<Result<v1::OperatorRequest>> UsersRequest(const std::string& command,
                                                        const std::string& sub,
                                                        const CommandValues& args,
                                                        const CommandContext& context);
bool PrintUsers(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out);
void DefineNotifyCommands(CLI::App& program);
std::optional<Result<v1::OperatorRequest>> NotifyRequest(const std::string& command,
                                                         const std::string& sub,
                                                         const CommandValues& args,
                                                         const CommandContext& context);
bool PrintNotify(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out);
// The notification queue's line of `anding status`.
void PrintNotifyQueue(const v1::NotifyQueueResponse& queue, std::ostream& out);
// `visits …`, `matters …`.
void DefineVisitsCommands(CLI::App& program);
std::optional<Result<v1::OperatorRequest>> VisitsRequest(const std::string& command,
                                                         const std::string& sub,
                                                         const CommandValues& args,
                                                         const CommandContext& context);
bool PrintVisits(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out);

// `stats ledger …` and `stats funds …`.
void DefineStatsCommands(CLI::App& program);
std::optional<Result<v1::OperatorRequest>> StatsRequest(const std::string& command,
                                                        const std::string& sub,
                                                        const CommandValues& args,
                                                        const CommandContext& context);
bool PrintStats(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out);

// `incident review …` (must be asked before DispatchRequest, which refuses
// incident subcommands it does not know).
// `incident review …` (after DefineDispatchCommands).
void DefineAftermathCommands(CLI::App& program);
std::optional<Result<v1::OperatorRequest>> AftermathRequest(const std::string& command,
                                                            const std::string& sub,
                                                            const CommandValues& args,
                                                            const CommandContext& context);
bool PrintAftermath(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out);
// `incident review` without its incident (optional in the definition:
// `incident review show ID` hangs off the same command), checked from the
// words alone, before the configuration is read; nullopt when complete.
[[nodiscard]] std::optional<Status> MissingReviewIncident(const std::string& command,
                                                          const std::string& sub,
                                                          const CommandValues& args);

// Local wall-clock text of a timestamp in `zone` ("-" when unset).
[[nodiscard]] std::string When(const google::protobuf::Timestamp& ts, const TimeZone& zone);

}  // namespace anding::cli

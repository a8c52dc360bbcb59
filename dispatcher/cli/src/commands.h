// The operator command line's per-domain commands. Each domain file turns
// its commands into an OperatorRequest and prints its responses; cli.cc
// dispatches between them.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "anding/common/args.h"
#include "anding/common/status.h"
#include "anding/v1/operator.pb.h"

namespace anding::cli {

// The request for `command sub ...`, or nullopt if this domain has no such
// command. Errors in the options are recorded on `args` or returned.
using RequestBuilder =
    std::optional<Result<v1::OperatorRequest>> (*)(const std::string& command,
                                                   const std::string& sub, Args& args);
// Prints `response` if it is one of this domain's; returns whether it did.
using ResponsePrinter = bool (*)(const v1::OperatorResponse& response, std::ostream& out);

std::optional<Result<v1::OperatorRequest>> LedgerRequest(const std::string& command,
                                                         const std::string& sub, Args& args);
bool PrintLedger(const v1::OperatorResponse& response, std::ostream& out);

std::optional<Result<v1::OperatorRequest>> FundsRequest(const std::string& command,
                                                        const std::string& sub, Args& args);
bool PrintFunds(const v1::OperatorResponse& response, std::ostream& out);

std::optional<Result<v1::OperatorRequest>> DispatchRequest(const std::string& command,
                                                           const std::string& sub, Args& args);
bool PrintDispatch(const v1::OperatorResponse& response, std::ostream& out);

// Local wall-clock text of a timestamp in Asia/Shanghai ("-" when unset).
[[nodiscard]] std::string When(const google::protobuf::Timestamp& ts);

}  // namespace anding::cli

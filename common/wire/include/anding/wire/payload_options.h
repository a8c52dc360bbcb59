// Builds envelope payloads from command-line options, for `anding-agent`
// (a unit's reports) and `anding` (headquarters acting for a unit): both
// accept the same options for the same payload, defined once here (the
// table in payload_options.cc) with their help, their checks and whether
// they are required.
//
//   PayloadCommands payloads;
//   payloads.Define(*report, "report");      // report early-warning, ...
//   ... Parse ...
//   if (auto envelope = payloads.Build(clock, zone)) ...
//
// Help texts are in the current language (anding/cmdline/i18n.h).
// Thread-safety: none; one command line's parse.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "anding/common/clock.h"
#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/v1/envelope.pb.h"

namespace anding::wire {

// The options given for one payload: name (without "--") → values; a
// flag given has one empty value.
class PayloadValues {
 public:
  void Add(const std::string& name, std::string value) {
    values_[name].push_back(std::move(value));
  }
  [[nodiscard]] bool Has(const std::string& name) const { return values_.contains(name); }
  // The value, or nullopt when the option was not given.
  [[nodiscard]] std::optional<std::string> Get(const std::string& name) const;
  // The value, or "" when the option was not given.
  [[nodiscard]] std::string Text(const std::string& name) const { return Get(name).value_or(""); }
  // Every value of a repeatable option, in order.
  [[nodiscard]] std::vector<std::string> All(const std::string& name) const;

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

// The payload commands of `anding-agent` (and the same options under
// `anding`), defined with CLI11.
class PayloadCommands {
 public:
  PayloadCommands();
  ~PayloadCommands();

  // Adds the subcommands of `command` to `parent`: for "report":
  // early-warning, incident, status, screening, daily, visit, expense; for
  // "ledger": register, update, close-out; for "orders": ack. Each with its
  // options, checks and examples (`program` names the program in them).
  void Define(CLI::App& parent, const std::string& program, const std::string& command);
  // Adds the options of one kind to `app` (HQ's `anding incident report`
  // takes those of "report incident").
  void DefineOptions(CLI::App& app, const std::string& command, const std::string& kind);

  // After parsing: the payload of the command that was selected, or nullopt
  // when none of these was. `clock` gives "now" for options left out (a
  // daily report's day is today, a close-out is confirmed now); days
  // (YYYY-MM-DD) are read in `zone`.
  [[nodiscard]] std::optional<Result<v1::Envelope>> Build(const Clock& clock,
                                                          const TimeZone& zone) const;
  // The app of the selected payload command, or nullptr.
  [[nodiscard]] const CLI::App* SelectedApp() const;

 private:
  struct Bound;
  std::vector<std::unique_ptr<Bound>> bound_;
};

// The payload of `command kind` from `values`, checked as the command
// lines check them. InvalidArgument naming the option.
[[nodiscard]] Result<v1::Envelope> BuildPayloadFrom(const std::string& command,
                                                    const std::string& kind,
                                                    const PayloadValues& values, const Clock& clock,
                                                    const TimeZone& zone);

// "12.34" yuan → fen (anding/cmdline/validators.h).
[[nodiscard]] Result<int64_t> ParseYuan(const std::string& text);

}  // namespace anding::wire

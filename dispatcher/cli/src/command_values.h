// What `anding`'s commands are given, defined and read by name.
//
// Each domain file defines its commands with CLI11 (Define…Commands, with
// the helpers below: an option is `--name`, an argument is a positional
// named once) and builds its request from the selected command's
// CommandValues after parsing. CLI11 has checked what it can (required
// options, ranges, enumerations, times, yuan) before a builder reads, so a
// builder reads values and checks only what spans several options.
//
//   CLI::App* list = Command(program, "list", _("..."), {"anding ledger list --open"});
//   Repeated(*list, "state", "STATE", _("..."));
//   ... Parse ...
//   CommandValues values(Selected(program));
//   for (const auto& state : values.All("state")) ...
//
// Thread-safety: none; one command line's parse.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "anding/common/time.h"

namespace anding::cli {

// The values given to one selected command; options of the commands above
// it (--json, --lang, --config) are read through it too.
class CommandValues {
 public:
  explicit CommandValues(const CLI::App& command) : command_(command) {}

  // `--name value`, or nullopt when it was not given.
  [[nodiscard]] std::optional<std::string> Option(const std::string& name) const;
  // An option the definition requires: its value ("" only when it is not
  // defined as required and was left out).
  [[nodiscard]] std::string Required(const std::string& name) const {
    return Option(name).value_or("");
  }
  // Every value of a repeatable option, in order.
  [[nodiscard]] std::vector<std::string> All(const std::string& name) const;
  // Whether `--name` was given.
  [[nodiscard]] bool Flag(const std::string& name) const;
  // A number (checked in its definition), or nullopt when not given.
  [[nodiscard]] std::optional<int64_t> Int(const std::string& name) const;
  // A duration (checked in its definition: 5s, 10m, 1h30m), or nullopt.
  [[nodiscard]] std::optional<Duration> DurationOption(const std::string& name) const;
  // The argument `name` (a positional word), or "" when left out.
  [[nodiscard]] std::string Argument(const std::string& name) const;

  // Reads `--name` as `value` from now on (`--format pdf` is printed here
  // from the HTML the dispatcher renders).
  void Replace(const std::string& name, std::string value) { replaced_[name] = std::move(value); }

 private:
  [[nodiscard]] const CLI::Option* Find(const std::string& name) const;

  const CLI::App& command_;
  std::map<std::string, std::string> replaced_;
};

// The definition helpers. Every description goes through _() at the call.

// A command under `parent`, with its examples (at least one).
CLI::App* Command(CLI::App& parent, const std::string& name, const std::string& description,
                  const std::vector<std::string>& examples);
// `--name VALUE`, at most once.
CLI::Option* Text(CLI::App& command, const std::string& name, const std::string& placeholder,
                  const std::string& description);
// `--name VALUE`, as often as needed.
CLI::Option* Repeated(CLI::App& command, const std::string& name, const std::string& placeholder,
                      const std::string& description);
// `--name` alone.
CLI::Option* Flag(CLI::App& command, const std::string& name, const std::string& description);
// `--name N`, a whole number from `min` to `max`.
CLI::Option* Number(CLI::App& command, const std::string& name, int64_t min, int64_t max,
                    const std::string& description);
// `--name VALUE`, one of `values`.
CLI::Option* Choice(CLI::App& command, const std::string& name, std::vector<std::string> values,
                    const std::string& description);
// A positional word, named `name` for CommandValues::Argument.
CLI::Option* Argument(CLI::App& command, const std::string& name, const std::string& placeholder,
                      const std::string& description);
// `--format` (one of `formats`; "pdf" needs --out FILE) and `--out FILE`.
void FormatOptions(CLI::App& command, std::vector<std::string> formats);

// An RFC 3339 time (2026-11-27T16:30:00+08:00).
[[nodiscard]] CLI::Validator Rfc3339Time();

}  // namespace anding::cli

// Command-line parsing for Anding's tools: positional words, then
// `--name value` options and `--flag` switches, checked against what the
// command accepts so that a typo is an error, not a silent default.
//
//   Args args(argc, argv, 1);
//   auto summary = args.Option("summary");       // std::optional<std::string>
//   bool major = args.Flag("major");
//   if (Status s = args.Finish(); !s.ok()) ...   // unknown options, missing values
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"

namespace anding {

class Args {
 public:
  // Parses argv[first..argc).
  Args(int argc, char** argv, int first);
  explicit Args(std::vector<std::string> words);

  // Positional words (everything not starting with "--" and not an
  // option's value), in order.
  [[nodiscard]] const std::vector<std::string>& positional() const { return positional_; }
  [[nodiscard]] std::string Positional(size_t index) const {
    return index < positional_.size() ? positional_[index] : std::string();
  }

  // `--name value` (or `--name=value`). Every option read is "known".
  // Given more than once, it is an error (and nullopt); see All().
  [[nodiscard]] std::optional<std::string> Option(const std::string& name);
  // Like Option, but records an error when it is missing.
  [[nodiscard]] std::string Required(const std::string& name);
  // All values of a repeatable option (`--finding a --finding b`).
  [[nodiscard]] std::vector<std::string> All(const std::string& name);
  // `--name` alone.
  [[nodiscard]] bool Flag(const std::string& name);
  // Typed readers: record an error for a malformed value.
  [[nodiscard]] std::optional<int64_t> Int(const std::string& name);
  [[nodiscard]] std::optional<Duration> DurationOption(const std::string& name);

  // Rewrites `--name from` to `--name to` and says whether it was given
  // so, for a command that handles one form itself and asks its parts for
  // another (`--format pdf` is printed here from the dispatcher's HTML).
  // Reads nothing: `--name` stays unknown until a command asks for it.
  bool Rewrite(const std::string& name, const std::string& from, const std::string& to);

  // Records an error (for checks the caller makes).
  void Error(std::string message) { errors_.push_back(std::move(message)); }

  // OK, or InvalidArgument listing unknown options, options given without
  // a value, flags given a value, and recorded errors.
  [[nodiscard]] Status Finish() const;

 private:
  void Parse(const std::vector<std::string>& words);

  std::vector<std::string> positional_;
  std::multimap<std::string, std::optional<std::string>> options_;
  std::set<std::string> known_;
  std::set<std::string> flags_;
  std::vector<std::string> errors_;
};

}  // namespace anding

// Operator logs. Set up once in main(); every component asks for its own
// named logger ("link", "store", "intake", ...). Console lines are text;
// an optional file receives one JSON object per line for log shippers.
// Logs are for operators: business records (incidents, ledger, funds) are
// stored deliberately and never recovered from log lines.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

#include "anding/common/config.h"
#include "anding/common/status.h"

namespace anding::runtime {

struct LoggingOptions {
  // trace, debug, info, warn, error, critical, off.
  std::string level = "info";
  // When set, JSON lines are appended to this file as well. It is rotated:
  // at max_file_bytes it is renamed (name.1.jsonl, name.2.jsonl, ...) and at
  // most max_files old files are kept.
  std::string json_file;
  size_t max_file_bytes = 50 << 20;
  size_t max_files = 5;
  // Log to stderr (text).
  bool console = true;
};

// Reads the optional `logging:` section (level, json_file, console,
// max_file_bytes >= 4096, max_files 1..100); a relative json_file is
// resolved against `directory`.
[[nodiscard]] LoggingOptions ReadLoggingOptions(ConfigNode& root, const std::string& directory);

// Installs the sinks. InvalidArgument on an unknown level; Unavailable if
// the JSON file cannot be opened.
[[nodiscard]] Status SetUpLogging(const LoggingOptions& options);

// The logger for `component`, created on first use with the configured
// sinks (or a plain stderr sink if SetUpLogging was never called).
[[nodiscard]] std::shared_ptr<spdlog::logger> GetLogger(const std::string& component);

}  // namespace anding::runtime

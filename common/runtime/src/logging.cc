#include "anding/runtime/logging.h"

#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <vector>

#include "absl/time/time.h"
#include "anding/common/strings.h"

namespace anding::runtime {
namespace {

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));  // UTF-8 passes through
        }
    }
  }
  return out;
}

// One JSON object per line: {"ts":..., "level":..., "logger":..., "msg":...}.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(msg.time.time_since_epoch()).count();
    const std::string ts =
        absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::FromUnixMicros(micros), absl::UTCTimeZone());
    const auto level = spdlog::level::to_string_view(msg.level);
    const std::string line =
        StrCat("{\"ts\":\"", ts, "\",\"level\":\"", std::string_view(level.data(), level.size()),
               "\",\"logger\":\"",
               JsonEscape(std::string_view(msg.logger_name.data(), msg.logger_name.size())),
               "\",\"msg\":\"",
               JsonEscape(std::string_view(msg.payload.data(), msg.payload.size())), "\"}\n");
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

// Text lines on stderr, UTC timestamps: "2026-11-27T08:42:17.123Z info  [link] ...".
spdlog::sink_ptr MakeConsoleSink() {
  auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  console->set_formatter(std::make_unique<spdlog::pattern_formatter>(
      "%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ [%n] %v", spdlog::pattern_time_type::utc));
  return console;
}

std::mutex g_mutex;
std::vector<spdlog::sink_ptr> g_sinks;
spdlog::level::level_enum g_level = spdlog::level::info;

}  // namespace

LoggingOptions ReadLoggingOptions(ConfigNode& root, const std::string& directory) {
  LoggingOptions options;
  if (auto section = root.OptionalMap("logging")) {
    options.level = section->Get<std::string>("level", options.level);
    options.json_file = section->Get<std::string>("json_file", "");
    if (!options.json_file.empty() && options.json_file[0] != '/') {
      options.json_file = directory + "/" + options.json_file;
    }
    options.console = section->Get<bool>("console", true);
    const int64_t max_file_bytes =
        section->Get<int64_t>("max_file_bytes", static_cast<int64_t>(options.max_file_bytes));
    const int64_t max_files =
        section->Get<int64_t>("max_files", static_cast<int64_t>(options.max_files));
    if (max_file_bytes < 4096) {
      section->Error("max_file_bytes", "must be at least 4096");
    } else {
      options.max_file_bytes = static_cast<size_t>(max_file_bytes);
    }
    if (max_files < 1 || max_files > 100) {
      section->Error("max_files", "must be between 1 and 100");
    } else {
      options.max_files = static_cast<size_t>(max_files);
    }
    if (spdlog::level::from_str(options.level) == spdlog::level::off && options.level != "off") {
      section->Error("level", "expected trace, debug, info, warn, error, critical or off");
    }
  }
  return options;
}

Status SetUpLogging(const LoggingOptions& options) {
  const auto level = spdlog::level::from_str(options.level);
  if (level == spdlog::level::off && options.level != "off") {
    return InvalidArgumentError(StrCat("unknown log level '", options.level, "'"));
  }
  std::vector<spdlog::sink_ptr> sinks;
  if (options.console) {
    sinks.push_back(MakeConsoleSink());
  }
  if (!options.json_file.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(options.json_file).parent_path(), ec);
    // The file is capped: when it would pass max_file_bytes it becomes
    // name.1.ext (older ones shift up, the oldest beyond max_files goes), so
    // the logs never use more than about max_file_bytes * (max_files + 1).
    try {
      auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
          options.json_file, options.max_file_bytes, options.max_files);
      file->set_formatter(std::make_unique<JsonFormatter>());
      sinks.push_back(std::move(file));
    } catch (const spdlog::spdlog_ex& e) {
      return UnavailableError(StrCat("cannot open log file '", options.json_file, "': ", e.what()));
    }
  }
  std::lock_guard lock(g_mutex);
  g_sinks = std::move(sinks);
  g_level = level;
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& logger) {
    logger->sinks() = g_sinks;
    logger->set_level(g_level);
  });
  spdlog::flush_every(std::chrono::seconds(1));
  spdlog::flush_on(spdlog::level::warn);
  return OkStatus();
}

std::shared_ptr<spdlog::logger> GetLogger(const std::string& component) {
  std::lock_guard lock(g_mutex);
  if (auto existing = spdlog::get(component)) return existing;
  if (g_sinks.empty()) {
    g_sinks.push_back(MakeConsoleSink());
  }
  auto logger = std::make_shared<spdlog::logger>(component, g_sinks.begin(), g_sinks.end());
  logger->set_level(g_level);
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace anding::runtime

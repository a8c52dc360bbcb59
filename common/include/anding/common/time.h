// Time in Anding: instants are UTC microseconds since the Unix epoch;
// calendar questions (which day, which ten-day period) are answered in the
// configured time zone (Asia/Shanghai by default) through TimeZone.
// Thread-safety: all functions are pure; TimeZone is immutable after Load.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "anding/common/status.h"

namespace anding {

using Duration = std::chrono::microseconds;
using Time = std::chrono::sys_time<Duration>;

// Microseconds since the Unix epoch and back.
[[nodiscard]] constexpr int64_t ToUnixMicros(Time t) { return t.time_since_epoch().count(); }
[[nodiscard]] constexpr Time FromUnixMicros(int64_t us) { return Time(Duration(us)); }

// RFC 3339 in UTC with millisecond precision: "2026-11-27T08:42:17.123Z".
[[nodiscard]] std::string FormatUtc(Time t);

// Parses RFC 3339 ("2026-11-27T16:42:17+08:00", "...Z", fractional seconds
// allowed). InvalidArgument on anything else.
[[nodiscard]] Result<Time> ParseRfc3339(std::string_view text);

// Parses a duration written as "90s", "30m", "2h", "1h30m", "1d", "250ms".
// InvalidArgument on an empty, negative or malformed text.
[[nodiscard]] Result<Duration> ParseDuration(std::string_view text);

// "1h30m", "45s", "250ms", "0s": the inverse of ParseDuration.
[[nodiscard]] std::string FormatDuration(Duration d);

using CivilDay = absl::CivilDay;

// A named IANA time zone loaded from the system's tz database.
class TimeZone {
 public:
  // Loads "Asia/Shanghai" etc. NotFound when the zone is unknown.
  [[nodiscard]] static Result<TimeZone> Load(std::string_view name);
  // Asia/Shanghai, the default for a Chinese deployment. Aborts if the tz
  // database lacks it (tzdata is a hard dependency).
  [[nodiscard]] static TimeZone Shanghai();

  const std::string& name() const { return name_; }

  // The calendar day `t` falls on in this zone.
  [[nodiscard]] CivilDay DayOf(Time t) const;
  // The first instant of `day` in this zone.
  [[nodiscard]] Time StartOf(CivilDay day) const;
  // Local wall-clock text, "2026-11-27 16:42:17" (or with format `fmt`,
  // absl::FormatTime syntax).
  [[nodiscard]] std::string FormatLocal(Time t, const char* fmt = "%Y-%m-%d %H:%M:%S") const;
  // The absolute instant of local `day` at `hh:mm`.
  [[nodiscard]] Time At(CivilDay day, int hour, int minute) const;

 private:
  TimeZone(std::string name, absl::TimeZone zone) : name_(std::move(name)), zone_(zone) {}
  std::string name_;
  absl::TimeZone zone_;
};

// "YYYY-MM-DD" parsing and formatting for calendar days.
[[nodiscard]] Result<CivilDay> ParseDay(std::string_view text);
[[nodiscard]] std::string FormatDay(CivilDay day);

}  // namespace anding

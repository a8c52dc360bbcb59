#include "anding/common/time.h"

#include <fmt/format.h>

#include <cstdlib>

#include "anding/common/strings.h"

namespace anding {
namespace {

absl::Time ToAbsl(Time t) { return absl::FromUnixMicros(ToUnixMicros(t)); }
Time FromAbsl(absl::Time t) { return FromUnixMicros(absl::ToUnixMicros(t)); }

}  // namespace

std::string FormatUtc(Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", ToAbsl(t), absl::UTCTimeZone());
}

Result<Time> ParseRfc3339(std::string_view text) {
  absl::Time parsed;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(text), &parsed, &error)) {
    return InvalidArgumentError(StrCat("not an RFC 3339 time: '", text, "' (", error, ")"));
  }
  return FromAbsl(parsed);
}

Result<Duration> ParseDuration(std::string_view text) {
  if (text.empty()) return InvalidArgumentError("empty duration");
  int64_t total_us = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (start == i) {
      return InvalidArgumentError(
          StrCat("not a duration: '", text, "' (expected e.g. 90s, 30m, 1h30m, 1d)"));
    }
    const int64_t value =
        std::strtoll(std::string(text.substr(start, i - start)).c_str(), nullptr, 10);
    size_t unit_start = i;
    while (i < text.size() && ((text[i] >= 'a' && text[i] <= 'z'))) ++i;
    const std::string_view unit = text.substr(unit_start, i - unit_start);
    int64_t scale = 0;
    if (unit == "ms")
      scale = 1'000;
    else if (unit == "s")
      scale = 1'000'000;
    else if (unit == "m")
      scale = 60'000'000;
    else if (unit == "h")
      scale = 3'600'000'000;
    else if (unit == "d")
      scale = 86'400'000'000;
    else {
      return InvalidArgumentError(
          StrCat("not a duration: '", text, "' (unit must be ms, s, m, h or d)"));
    }
    if (value > INT64_MAX / scale || total_us > INT64_MAX - value * scale) {
      return InvalidArgumentError(StrCat("duration too large: '", text, "'"));
    }
    total_us += value * scale;
  }
  return Duration(total_us);
}

std::string FormatDuration(Duration d) {
  int64_t us = d.count();
  std::string out;
  if (us < 0) {
    out = "-";
    us = -us;
  }
  if (us == 0) return "0s";
  const int64_t hours = us / 3'600'000'000;
  us %= 3'600'000'000;
  const int64_t minutes = us / 60'000'000;
  us %= 60'000'000;
  const int64_t seconds = us / 1'000'000;
  us %= 1'000'000;
  if (hours) StrAppend(out, hours, "h");
  if (minutes) StrAppend(out, minutes, "m");
  if (seconds) StrAppend(out, seconds, "s");
  if (us) StrAppend(out, us / 1000, "ms");
  return out;
}

Result<TimeZone> TimeZone::Load(std::string_view name) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(std::string(name), &zone)) {
    return NotFoundError(
        StrCat("unknown time zone '", name, "' (is the tzdata package installed?)"));
  }
  return TimeZone(std::string(name), zone);
}

TimeZone TimeZone::Shanghai() {
  auto zone = Load("Asia/Shanghai");
  if (!zone.ok()) {
    std::fprintf(stderr, "fatal: %s\n", zone.status().ToString().c_str());
    std::abort();
  }
  return *zone;
}

CivilDay TimeZone::DayOf(Time t) const { return absl::ToCivilDay(ToAbsl(t), zone_); }

Time TimeZone::StartOf(CivilDay day) const { return FromAbsl(absl::FromCivil(day, zone_)); }

std::string TimeZone::FormatLocal(Time t, const char* fmt) const {
  return absl::FormatTime(fmt, ToAbsl(t), zone_);
}

Time TimeZone::At(CivilDay day, int hour, int minute) const {
  return FromAbsl(
      absl::FromCivil(absl::CivilMinute(day.year(), day.month(), day.day(), hour, minute), zone_));
}

Result<CivilDay> ParseDay(std::string_view text) {
  auto digits = [&](size_t at, size_t n, int* value) {
    *value = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      *value = *value * 10 + (text[i] - '0');
    }
    return true;
  };
  int year = 0, month = 0, day = 0;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && digits(0, 4, &year) &&
      digits(5, 2, &month) && digits(8, 2, &day) && month >= 1 && month <= 12 && day >= 1) {
    const CivilDay parsed(year, month, day);
    // CivilDay normalises 2026-02-30 to March: accept only real dates.
    if (parsed.year() == year && parsed.month() == month && parsed.day() == day) return parsed;
  }
  return InvalidArgumentError(StrCat("not a day (YYYY-MM-DD): '", text, "'"));
}

std::string FormatDay(CivilDay day) { return absl::FormatCivilTime(day); }

}  // namespace anding

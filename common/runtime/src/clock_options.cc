#include "anding/runtime/clock_options.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>

#include "absl/time/time.h"
#include "anding/common/strings.h"

namespace anding::runtime {
namespace {

constexpr std::string_view kStart = "simulated-clock";
constexpr std::string_view kRate = "clock-rate";
constexpr std::string_view kAnchor = "clock-anchor";

// "--name" or "--name=value" for one of the clock options: its name and,
// for the second form, its value.
std::optional<std::pair<std::string, std::optional<std::string>>> ClockOption(
    const std::string& word) {
  if (word.rfind("--", 0) != 0) return std::nullopt;
  const std::string body = word.substr(2);
  const size_t equals = body.find('=');
  const std::string name = body.substr(0, equals);
  if (name != kStart && name != kRate && name != kAnchor) return std::nullopt;
  if (equals == std::string::npos) return std::make_pair(name, std::nullopt);
  return std::make_pair(name, std::optional<std::string>(body.substr(equals + 1)));
}

Result<double> ParseRate(const std::string& text) {
  char* end = nullptr;
  const double rate = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(rate) || !(rate > 0)) {
    return InvalidArgumentError(
        StrCat("--", kRate, ": expected a positive number such as 60, not '", text, "'"));
  }
  return rate;
}

Result<SimulatedClock::Steady::time_point> ParseAnchor(const std::string& text) {
  int64_t ns = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), ns);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || ns < 0) {
    return InvalidArgumentError(StrCat(
        "--", kAnchor, ": expected a steady-clock reading in nanoseconds, not '", text, "'"));
  }
  return SimulatedClock::Steady::time_point(
      std::chrono::duration_cast<SimulatedClock::Steady::duration>(std::chrono::nanoseconds(ns)));
}

}  // namespace

Result<std::unique_ptr<Clock>> TakeClockOptions(std::vector<std::string>& words) {
  std::map<std::string, std::string> values;
  std::vector<std::string> rest;
  for (size_t i = 0; i < words.size(); ++i) {
    auto option = ClockOption(words[i]);
    if (!option) {
      rest.push_back(std::move(words[i]));
      continue;
    }
    auto& [name, value] = *option;
    if (!value) {
      if (i + 1 >= words.size()) return InvalidArgumentError(StrCat("--", name, " needs a value"));
      value = std::move(words[++i]);
    }
    if (!values.emplace(name, *value).second) {
      return InvalidArgumentError(StrCat("--", name, " is given more than once"));
    }
  }
  words = std::move(rest);

  auto start_text = values.find(std::string(kStart));
  if (start_text == values.end()) {
    if (!values.empty()) {
      return InvalidArgumentError(StrCat("--", values.begin()->first, " needs --", kStart));
    }
    return std::unique_ptr<Clock>(std::make_unique<SystemClock>());
  }
  auto start = ParseRfc3339(start_text->second);
  if (!start.ok()) {
    return InvalidArgumentError(StrCat("--", kStart,
                                       ": expected an RFC 3339 time such as "
                                       "2026-12-31T23:59:50+08:00, not '",
                                       start_text->second, "'"));
  }
  double rate = 1.0;
  if (auto it = values.find(std::string(kRate)); it != values.end()) {
    ANDING_ASSIGN_OR_RETURN(rate, ParseRate(it->second));
  }
  auto anchor = SimulatedClock::Steady::now();
  if (auto it = values.find(std::string(kAnchor)); it != values.end()) {
    ANDING_ASSIGN_OR_RETURN(anchor, ParseAnchor(it->second));
  }
  return std::unique_ptr<Clock>(std::make_unique<SimulatedClock>(*start, rate, anchor));
}

std::string SimulatedClockWarning(const Clock& clock) {
  const auto* simulated = dynamic_cast<const SimulatedClock*>(&clock);
  if (simulated == nullptr) return "";
  return StrCat("running on a SIMULATED clock (for tests only): it read ",
                FormatUtc(simulated->start()), " at its anchor and runs ", simulated->rate(),
                " times as fast as real time; it now reads ", FormatUtc(simulated->Now()));
}

std::vector<std::string> ClockOptionsFor(const SimulatedClock& clock) {
  const auto anchor_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(clock.anchor().time_since_epoch());
  // To the microsecond, so that every process starts from the same instant.
  const std::string start =
      absl::FormatTime("%Y-%m-%d%ET%H:%M:%E6S%Ez",
                       absl::FromUnixMicros(ToUnixMicros(clock.start())), absl::UTCTimeZone());
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.17g", clock.rate());
  return {StrCat("--", kStart),     start, StrCat("--", kRate), rate, StrCat("--", kAnchor),
          StrCat(anchor_ns.count())};
}

}  // namespace anding::runtime

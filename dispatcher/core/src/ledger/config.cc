#include "anding/core/ledger/config.h"

#include <charconv>
#include <set>

#include "anding/common/strings.h"

namespace anding::core::ledger {
namespace {

std::vector<std::string> MinesAndFactories(const Organisation& org) {
  std::vector<std::string> ids;
  for (const Unit& unit : org.units()) {
    if (unit.kind == UnitKind::kMine || unit.kind == UnitKind::kFactory) ids.push_back(unit.id);
  }
  return ids;
}

// A list of unit ids at `key`, each checked against the organisation; the
// default when the key is absent.
std::vector<std::string> ReadUnits(ConfigNode& section, std::string_view key,
                                   const Organisation& org, std::vector<std::string> fallback) {
  if (!section.Has(key)) {
    static_cast<void>(section.List(key));  // marks an explicit `key: null` as read
    return fallback;
  }
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (ConfigNode& node : section.List(key)) {
    std::string id = node.As<std::string>();
    if (id.empty()) continue;
    if (org.FindUnit(id) == nullptr) {
      node.Error(StrCat("unknown unit '", id, "'"));
      continue;
    }
    if (!seen.insert(id).second) {
      node.Error(StrCat("unit '", id, "' is listed twice"));
      continue;
    }
    ids.push_back(std::move(id));
  }
  return ids;
}

// A duration that must be positive (or non-negative if `allow_zero`).
Duration ReadDuration(ConfigNode& section, std::string_view key, Duration fallback,
                      bool allow_zero) {
  const Duration value = section.Get<Duration>(key, fallback);
  if (value < Duration::zero() || (!allow_zero && value == Duration::zero())) {
    section.Error(key, allow_zero ? "must not be negative" : "must be longer than zero");
    return fallback;
  }
  return value;
}

// "HH:MM", 24-hour.
bool ParseClock(std::string_view text, int& hour, int& minute) {
  if (text.size() != 5 || text[2] != ':') return false;
  auto parse = [](std::string_view digits, int& out) {
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return error == std::errc() && end == digits.data() + digits.size();
  };
  int h = 0;
  int m = 0;
  if (!parse(text.substr(0, 2), h) || !parse(text.substr(3, 2), m)) return false;
  if (h < 0 || h > 23 || m < 0 || m > 59) return false;
  hour = h;
  minute = m;
  return true;
}

void ReadItems(ConfigNode& ledger, LedgerConfig& config) {
  auto items = ledger.OptionalMap("items");
  if (!items) return;
  config.update_cadence = ReadDuration(*items, "update_cadence", config.update_cadence, false);
  config.default_deadline =
      ReadDuration(*items, "default_deadline", config.default_deadline, false);
}

void ReadScreening(ConfigNode& ledger, const Organisation& org, LedgerConfig& config) {
  auto screening = ledger.OptionalMap("screening");
  if (!screening) return;
  config.screening_units = ReadUnits(*screening, "units", org, config.screening_units);
  if (screening->Has("track_from")) {
    const std::string text = screening->Get<std::string>("track_from");
    if (auto day = ParseDay(text); day.ok()) {
      config.track_from = *day;
    } else {
      screening->Error("track_from", "expected a day such as \"2026-01-01\"");
    }
  } else {
    screening->Get<std::string>("track_from", "");
  }
  if (auto grace = screening->OptionalMap("grace")) {
    for (PeriodKind kind : kAllPeriodKinds) {
      Duration& slot = config.screening_grace[static_cast<size_t>(kind)];
      slot = ReadDuration(*grace, PeriodKindName(kind), slot, true);
    }
  }
}

void ReadDailyReport(ConfigNode& ledger, const Organisation& org, LedgerConfig& config) {
  auto daily = ledger.OptionalMap("daily_report");
  if (!daily) return;
  config.daily_report_units = ReadUnits(*daily, "units", org, config.daily_report_units);
  const std::string time = daily->Get<std::string>("summary_time", "08:30");
  if (!ParseClock(time, config.summary_hour, config.summary_minute)) {
    daily->Error("summary_time", "expected a local time HH:MM such as \"08:30\"");
  }
  const std::string covers = daily->Get<std::string>("summary_covers", "previous_day");
  if (covers == "previous_day") {
    config.summary_covers = SummaryCovers::kPreviousDay;
  } else if (covers == "same_day") {
    config.summary_covers = SummaryCovers::kSameDay;
  } else {
    daily->Error("summary_covers", "expected previous_day or same_day");
  }
}

void ReadMajorWarning(ConfigNode& ledger, LedgerConfig& config) {
  auto major = ledger.OptionalMap("major_warning");
  if (!major) return;
  const int64_t threshold =
      major->Get<int64_t>("persons_threshold", config.major.persons_threshold);
  if (threshold < 0 || threshold > 1'000'000) {
    major->Error("persons_threshold", "must be 0 (off) to 1000000");
  } else {
    config.major.persons_threshold = static_cast<uint32_t>(threshold);
  }
  if (major->Has("destination_kinds")) {
    config.major.destination_kinds.clear();
    for (ConfigNode& node : major->List("destination_kinds")) {
      const std::string name = node.As<std::string>();
      if (auto kind = ParseRegionKind(name)) {
        config.major.destination_kinds.push_back(*kind);
      } else {
        node.Error(StrCat("unknown region kind '", name,
                          "' (expected home_city, provincial_capital, national_capital or "
                          "other)"));
      }
    }
  } else {
    static_cast<void>(major->List("destination_kinds"));
  }
  config.major.critical_level_is_major =
      major->Get<bool>("critical_level_is_major", config.major.critical_level_is_major);
}

void ReadReminders(ConfigNode& ledger, LedgerConfig& config) {
  auto reminders = ledger.OptionalMap("reminders");
  if (!reminders) return;
  config.report_respond_within =
      ReadDuration(*reminders, "report_respond_within", config.report_respond_within, false);
  config.supervision_respond_within = ReadDuration(*reminders, "supervision_respond_within",
                                                   config.supervision_respond_within, false);
  config.remind_missing_daily_reports =
      reminders->Get<bool>("daily_report_missing", config.remind_missing_daily_reports);
}

}  // namespace

LedgerConfig DefaultLedgerConfig(const Organisation& org) {
  LedgerConfig config;
  config.screening_units = MinesAndFactories(org);
  config.daily_report_units = config.screening_units;
  return config;
}

LedgerConfig ReadLedgerConfig(ConfigNode& root, const Organisation& org) {
  LedgerConfig config = DefaultLedgerConfig(org);
  auto ledger = root.OptionalMap("ledger");
  if (!ledger) return config;
  ReadItems(*ledger, config);
  ReadScreening(*ledger, org, config);
  ReadDailyReport(*ledger, org, config);
  ReadMajorWarning(*ledger, config);
  ReadReminders(*ledger, config);
  return config;
}

}  // namespace anding::core::ledger

#include "anding/core/dispatch/response_stats.h"

#include <algorithm>
#include <map>
#include <utility>

namespace anding::core::dispatch {
namespace {

struct Tally {
  int64_t responses = 0;
  int64_t decided = 0;
  int64_t met = 0;
  std::vector<Duration> times;

  void Add(const Response& response) {
    const bool arrived = response.arrived_at.has_value() && response.response_time.has_value();
    const bool decided_now =
        response.deadline.has_value() && (arrived || response.breach_at.has_value());
    if (!arrived && !decided_now) return;
    ++responses;
    if (arrived) times.push_back(*response.response_time);
    if (decided_now) {
      ++decided;
      if (arrived && response.on_time.value_or(false)) ++met;
    }
  }

  ResponseStatsRow Row(std::string unit_id, std::string rule_id, visits::Rounding rounding) {
    ResponseStatsRow row;
    row.unit_id = std::move(unit_id);
    row.rule_id = std::move(rule_id);
    row.responses = responses;
    row.arrivals = static_cast<int64_t>(times.size());
    row.decided = decided;
    row.met = met;
    row.met_hundredths = visits::PercentHundredths(met, decided, rounding);
    if (!times.empty()) {
      std::sort(times.begin(), times.end());
      const size_t n = times.size();
      row.median =
          n % 2 == 1 ? times[n / 2] : times[n / 2 - 1] + (times[n / 2] - times[n / 2 - 1]) / 2;
      row.worst = times.back();
    }
    return row;
  }
};

}  // namespace

ResponseStats ComputeResponseStats(const std::vector<const Incident*>& incidents, bool by_rule,
                                   visits::Rounding rounding) {
  std::map<std::pair<std::string, std::string>, Tally> tallies;
  Tally total;
  for (const Incident* incident : incidents) {
    if (incident->state == IncidentState::kCancelled) continue;
    for (const Response& response : incident->responses) {
      const std::string rule = by_rule && response.deadline ? response.deadline->rule_id : "";
      tallies[{response.unit_id, rule}].Add(response);
      total.Add(response);
    }
  }
  ResponseStats stats;
  for (auto& [key, tally] : tallies) {
    if (tally.responses == 0) continue;
    stats.rows.push_back(tally.Row(key.first, key.second, rounding));
  }
  stats.total = total.Row("", "", rounding);
  return stats;
}

}  // namespace anding::core::dispatch

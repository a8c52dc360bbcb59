#include "anding/core/dispatch/response_stats.h"

#include <algorithm>
#include <map>
#include <utility>

#include "anding/common/strings.h"

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

visits::StatsTable ResponseStatsTable(const ResponseStats& stats, std::string_view range,
                                      bool by_rule, visits::Rounding rounding,
                                      visits::Language language, const UnitName& name) {
  using visits::Language;
  using visits::Say;
  const std::string rounding_note = visits::RoundingNote(rounding, language);
  visits::StatsTable table;
  table.language = language;
  if (language == Language::kZh) {
    table.title = StrCat("响应时间统计 ", range);
    table.heading = StrCat("响应时间统计（按响应单位） ", range);
    table.text_heading =
        StrCat(table.heading, "（按时 = 在时限内到达；未取消的事件；", rounding_note, "）");
  } else {
    table.title = StrCat("Response times ", range);
    table.heading = StrCat("Response times by responding unit ", range);
    table.text_heading = StrCat(
        "response times by responding unit, incidents reported ", range,
        " (met = arrived within the deadline; cancelled incidents left out; ", rounding_note, ")");
  }
  std::vector<std::string> header = {std::string(Say(language, "单位", "unit"))};
  if (by_rule) header.emplace_back(Say(language, "时限规则", "rule"));
  for (std::string_view word :
       {Say(language, "响应", "responses"), Say(language, "到达", "arrivals"),
        Say(language, "已定", "decided"), Say(language, "按时", "met"),
        Say(language, "按时率", "share met"), Say(language, "中位响应时间", "median"),
        Say(language, "最长响应时间", "worst")}) {
    header.emplace_back(word);
  }
  table.rows.push_back(std::move(header));
  auto cells = [&](const ResponseStatsRow& row, std::string label) {
    std::vector<std::string> out = {std::move(label)};
    if (by_rule) out.push_back(row.rule_id.empty() ? "-" : row.rule_id);
    out.push_back(StrCat(row.responses));
    out.push_back(StrCat(row.arrivals));
    out.push_back(StrCat(row.decided));
    out.push_back(StrCat(row.met));
    out.push_back(visits::PercentCell(row.met_hundredths, language));
    out.push_back(row.median ? FormatDuration(*row.median) : "-");
    out.push_back(row.worst ? FormatDuration(*row.worst) : "-");
    return out;
  };
  for (const ResponseStatsRow& row : stats.rows) {
    std::string label = row.unit_id;
    if (name) {
      if (const std::string display = name(row.unit_id); !display.empty()) {
        label = StrCat(display, " (", row.unit_id, ")");
      }
    }
    table.rows.push_back(cells(row, std::move(label)));
  }
  table.rows.push_back(cells(stats.total, std::string(Say(language, "合计", "total"))));
  if (language == Language::kZh) {
    table.notes = {"响应：已到达，或有时限且已超时的响应；仍在时限内未到达的不计",
                   "响应时间：自事件报告至到达现场", rounding_note};
  } else {
    table.notes = {
        "responses: arrived, or with a deadline that passed; one still running is not "
        "counted yet",
        "response time: from the incident's report to the arrival on scene", rounding_note};
  }
  return table;
}

}  // namespace anding::core::dispatch

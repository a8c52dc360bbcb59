// The company daily summary (风险预控日报汇总).
#include <algorithm>
#include <set>

#include "anding/core/ledger/summaries.h"

namespace anding::core::ledger {
namespace {

bool HasData(const DailySummaryRow& row) {
  return row.report == DailyReportStatus::kFiled || row.report == DailyReportStatus::kZeroReport ||
         row.new_items != 0 || row.open_items != 0 || row.overdue_items != 0 || row.warnings != 0 ||
         row.incidents != 0 || row.matters_due_soon != 0 || row.matters_overdue != 0;
}

void AddInto(DailySummaryRow& total, const DailySummaryRow& row) {
  total.new_items += row.new_items;
  total.open_items += row.open_items;
  total.overdue_items += row.overdue_items;
  total.warnings += row.warnings;
  total.special_reports += row.special_reports;
  total.incidents += row.incidents;
  total.visit_batches += row.visit_batches;
  total.visit_persons += row.visit_persons;
  total.matters_due_soon += row.matters_due_soon;
  total.matters_overdue += row.matters_overdue;
}

}  // namespace

std::string_view DailyReportStatusName(DailyReportStatus status) {
  switch (status) {
    case DailyReportStatus::kFiled:
      return "filed";
    case DailyReportStatus::kZeroReport:
      return "zero_report";
    case DailyReportStatus::kMissing:
      return "missing";
    case DailyReportStatus::kNotRequired:
      return "not_required";
  }
  return "?";
}

DailySummary BuildDailySummary(const Ledger& ledger, CivilDay day, Time now,
                               const SummaryInputSource& source) {
  if (!source) return BuildDailySummary(ledger, day, now);
  const Time cutoff = std::min(ledger.org().time_zone().StartOf(day + 1), now);
  const SummaryInputs inputs = source(day, cutoff);
  return BuildDailySummary(ledger, day, now, inputs.incidents, inputs.matters);
}

DailySummary BuildDailySummary(const Ledger& ledger, CivilDay day, Time now,
                               const IncidentCounts& incidents,
                               const MatterDeadlineCounts& matters) {
  const TimeZone& zone = ledger.org().time_zone();
  const Duration cadence = ledger.config().update_cadence;
  DailySummary summary;
  summary.day = day;
  summary.generated_at = now;
  const Time start = zone.StartOf(day);
  const Time end = zone.StartOf(day + 1);
  summary.cutoff = std::min(end, now);
  const Time cutoff = summary.cutoff;

  std::map<std::string, DailySummaryRow, std::less<>> rows;
  auto row_for = [&](const std::string& unit) -> DailySummaryRow& {
    auto [it, inserted] = rows.try_emplace(unit);
    if (inserted) {
      it->second.unit_id = unit;
      it->second.report = DailyReportStatus::kNotRequired;
    }
    return it->second;
  };
  const std::vector<std::string>& required = ledger.config().daily_report_units;
  for (const std::string& unit : required) row_for(unit).report = DailyReportStatus::kMissing;

  for (const auto& [id, item] : ledger.items()) {
    const ItemAsOf as_of = AsOf(item, cutoff);
    if (!as_of.existed) continue;
    const bool is_new = item.registered_at >= start;
    const bool open = IsOpen(as_of.state);
    const bool overdue = OverdueAt(item, cutoff, cadence).any();
    if (!is_new && !open) continue;
    DailySummaryRow& row = row_for(item.unit_id);
    row.new_items += is_new ? 1 : 0;
    row.open_items += open ? 1 : 0;
    row.overdue_items += overdue ? 1 : 0;
  }
  for (const auto& [id, warning] : ledger.warnings()) {
    if (warning.received_at < start || warning.received_at >= end || warning.received_at > cutoff) {
      continue;
    }
    DailySummaryRow& row = row_for(warning.unit_id);
    row.warnings += 1;
    row.special_reports += warning.graded_major ? 1 : 0;
  }
  for (const auto& [unit, count] : incidents) {
    if (count != 0) row_for(unit).incidents += count;
  }
  for (const auto& [unit, count] : matters) {
    if (count == MatterDeadlineCount{}) continue;
    DailySummaryRow& row = row_for(unit);
    row.matters_due_soon += count.due_soon;
    row.matters_overdue += count.overdue;
  }
  std::set<std::string, std::less<>> units(required.begin(), required.end());
  for (const Unit& unit : ledger.org().units()) units.insert(unit.id);
  for (const auto& [unit, row] : rows) units.insert(unit);
  for (const std::string& unit : units) {
    const DailyReportRecord* report = ledger.FindDailyReport(unit, day);
    if (report == nullptr) continue;
    DailySummaryRow& row = row_for(unit);
    row.report =
        report->content.zero_report ? DailyReportStatus::kZeroReport : DailyReportStatus::kFiled;
    row.visit_batches = report->content.visit_batches;
    row.visit_persons = report->content.visit_persons;
  }

  // Order: required units as configured, then the organisation's order,
  // then ids unknown to the organisation.
  std::set<std::string, std::less<>> placed;
  auto place = [&](const std::string& unit) {
    auto it = rows.find(unit);
    if (it == rows.end() || placed.count(unit) != 0) return;
    if (it->second.report == DailyReportStatus::kNotRequired && !HasData(it->second)) return;
    placed.insert(unit);
    summary.rows.push_back(it->second);
  };
  for (const std::string& unit : required) place(unit);
  for (const Unit& unit : ledger.org().units()) place(unit.id);
  for (const auto& [unit, row] : rows) place(unit);

  for (const DailySummaryRow& row : summary.rows) {
    AddInto(summary.totals, row);
    if (row.report == DailyReportStatus::kMissing)
      summary.units_not_reported.push_back(row.unit_id);
  }
  return summary;
}

}  // namespace anding::core::ledger

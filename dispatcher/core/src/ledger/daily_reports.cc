// Daily risk reports (风险预控日报告): one per unit and local day.
#include "anding/common/strings.h"
#include "anding/core/ledger/labels.h"
#include "anding/core/ledger/ledger.h"
#include "internal.h"

namespace anding::core::ledger {

using internal::CheckText;
using internal::Trim;
using limits::kMaxNameChars;
using limits::kMaxTextChars;

void Ledger::HoldDailyReportsSince(CivilDay since, DailyReportSource source) {
  if (!daily_reports_since_ || *daily_reports_since_ < since) daily_reports_since_ = since;
  daily_report_source_ = std::move(source);
  std::erase_if(daily_reports_,
                [&](const auto& entry) { return entry.first.second < *daily_reports_since_; });
}

Result<DailyReportOutcome> Ledger::FileDailyReport(const DailyReportRequest& request,
                                                   const Actor& who, Time now, Effects& out) {
  ANDING_ASSIGN_OR_RETURN(std::string unit, FilingUnit(who, request.unit_id));
  const TimeZone& zone = org_->time_zone();
  const CivilDay today = zone.DayOf(now);
  Time filed_at = std::min(request.filed_at.value_or(now), now);
  CivilDay day = request.day;
  if (request.day_from_clock) day = zone.DayOf(filed_at);
  if (filed_at < zone.StartOf(day)) filed_at = now;  // before its day: not true
  if (day > today) {
    return InvalidArgumentError(StrCat("day ", FormatDay(day), " is in the future (today is ",
                                       FormatDay(today), " in ", org_->time_zone().name(), ")"));
  }
  if (request.zero_report && (request.new_warnings != 0 || request.items_progressed != 0 ||
                              request.visit_batches != 0 || request.visit_persons != 0)) {
    return InvalidArgumentError("a zero report (零报告) must carry zero counts");
  }
  if (request.visit_persons < request.visit_batches) {
    return InvalidArgumentError(StrCat("visit_persons (", request.visit_persons,
                                       ") is fewer than visit_batches (", request.visit_batches,
                                       ")"));
  }
  ANDING_RETURN_IF_ERROR(CheckText("text", request.text, kMaxTextChars, false));
  ANDING_RETURN_IF_ERROR(CheckText("reported_by", request.reported_by, kMaxNameChars, false));

  DailyReportContent content;
  content.zero_report = request.zero_report;
  content.new_warnings = request.new_warnings;
  content.items_progressed = request.items_progressed;
  content.visit_batches = request.visit_batches;
  content.visit_persons = request.visit_persons;
  content.text = Trim(request.text);
  content.reported_by = Trim(request.reported_by);

  const UnitDay key{unit, day};
  const std::string record_key = DailyReportKey(unit, day);
  DailyReportOutcome outcome;
  outcome.key = record_key;
  auto existing = daily_reports_.find(key);
  if (existing == daily_reports_.end() && daily_reports_since_ && day < *daily_reports_since_) {
    // An earlier day's: its stored report, if any, is the one re-filed.
    if (!daily_report_source_) {
      return UnavailableError(StrCat("the daily reports of ", FormatDay(day),
                                     " are not held and there is no store to read them from"));
    }
    ANDING_ASSIGN_OR_RETURN(std::optional<DailyReportRecord> stored,
                            daily_report_source_(unit, day));
    if (stored) existing = daily_reports_.emplace(key, std::move(*stored)).first;
  }
  if (existing != daily_reports_.end() && existing->second.content == content) {
    outcome.revision = existing->second.revision;
    outcome.unchanged = true;
    return outcome;
  }
  DailyReportRecord record;
  if (existing != daily_reports_.end()) {
    record = existing->second;
    record.earlier.push_back(
        DailyReportFiling{record.revision, record.filed_at, record.filed_by, record.content});
    record.revision += 1;
  } else {
    record.unit_id = unit;
    record.day = day;
  }
  record.content = std::move(content);
  record.filed_at = filed_at;
  record.filed_by = who;
  outcome.revision = record.revision;
  // Due when the company daily summary that covers the day is made.
  const CivilDay summary_day =
      config_.summary_covers == SummaryCovers::kPreviousDay ? day + 1 : day;
  outcome.late = filed_at >= zone.At(summary_day, config_.summary_hour, config_.summary_minute);

  std::string summary =
      StrCat(UnitLabel(*org_, unit), " ", FormatDay(day),
             record.content.zero_report ? " 风险预控日报告：零报告" : " 风险预控日报告已报送");
  if (record.revision > 1) StrAppend(summary, "（第 ", record.revision, " 次报送，替换前次）");
  if (outcome.late)
    StrAppend(summary, "（逾期：", zone.FormatLocal(filed_at, "%m-%d %H:%M"), " 报送）");
  out.changed.push_back(RecordRef{std::string(kDailyReportRecord), record_key});
  out.notices.push_back(FeedNotice{std::string(kDailyReportRecord), record_key,
                                   record.content.zero_report ? "zero_report" : "filed",
                                   std::move(summary), unit});
  daily_reports_.insert_or_assign(key, std::move(record));
  return outcome;
}

}  // namespace anding::core::ledger

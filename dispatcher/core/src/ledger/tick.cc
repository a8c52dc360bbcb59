// The ledger's timers: supervision of overdue items (督办), reminders for
// screening reports not filed (催报), and the company daily summary.
#include <algorithm>

#include "anding/common/strings.h"
#include "anding/core/ledger/labels.h"
#include "anding/core/ledger/ledger.h"
#include "anding/core/ledger/summaries.h"
#include "internal.h"

namespace anding::core::ledger {
namespace {

constexpr const char* kLocalMinute = "%Y-%m-%d %H:%M";

std::string JoinWith(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (const std::string& part : parts) {
    if (!joined.empty()) joined += separator;
    joined += part;
  }
  return joined;
}

}  // namespace

Time Ledger::NextWakeup() const {
  if (!meta_.tracking_since || !meta_.last_daily_summary_run) return Time{};
  const TimeZone& zone = org_->time_zone();
  Time next =
      zone.At(*meta_.last_daily_summary_run + 1, config_.summary_hour, config_.summary_minute);
  if (!config_.screening_units.empty()) {
    for (PeriodKind kind : kAllPeriodKinds) next = std::min(next, NextScreeningCheck(kind));
  }
  for (const auto& [id, item] : items_) {
    if (!IsSupervised(item.state)) continue;
    Time due = NextOverdueInstant(item, config_.update_cadence);
    if (item.overdue_notified_day)
      due = std::max(due, zone.StartOf(*item.overdue_notified_day + 1));
    next = std::min(next, due);
  }
  return next;
}

void Ledger::Tick(Time now, Effects& out) {
  InitialiseTimers(now, out);
  SuperviseItems(now, out);
  CheckScreening(now, out);
  RunDailySummary(now, out);
}

void Ledger::InitialiseTimers(Time now, Effects& out) {
  if (meta_.tracking_since) return;
  meta_.tracking_since = config_.track_from.value_or(org_->time_zone().DayOf(now));
  MetaChanged(out);
}

void Ledger::SuperviseItems(Time now, Effects& out) {
  const TimeZone& zone = org_->time_zone();
  const CivilDay today = zone.DayOf(now);
  for (auto& [id, item] : items_) {
    const OverdueReasons reasons = Overdue(item, now);
    if (!reasons.any() || item.overdue_notified_day == today) continue;
    std::vector<std::string> why;
    if (reasons.deadline_passed) {
      why.push_back(
          StrCat("已超过办结时限（", zone.FormatLocal(item.deadline, kLocalMinute), "）"));
    }
    if (reasons.update_missing) {
      why.push_back(StrCat("自 ", zone.FormatLocal(item.last_activity_at, kLocalMinute),
                           " 起未报送处置进展"));
    }
    const std::string reason_text = JoinWith(why, "；");
    const std::string unit_name = UnitLabel(*org_, item.unit_id);
    const std::string what = StrCat("台账 ", item.id, "（", unit_name, "·",
                                    CategoryLabel(*org_, item.category_id, Language::kZh), "）");
    const Time respond_by = now + config_.supervision_respond_within;

    item.overdue_notified_day = today;
    HistoryEntry entry;
    entry.at = now;
    entry.actor = Actor::System();
    entry.action = std::string(kActionSupervised);
    entry.note = reason_text;
    item.history.push_back(std::move(entry));

    out.changed.push_back(RecordRef{std::string(kItemRecord), item.id});
    out.notices.push_back(FeedNotice{std::string(kItemRecord), item.id, "overdue",
                                     StrCat(what, " 逾期：", reason_text), item.unit_id});
    out.alerts.push_back(HqAlert{HqAlert::Severity::kWarning, "ledger_overdue", item.id,
                                 item.unit_id, StrCat("督办：", what, reason_text, "。")});
    OrderRequest order;
    order.unit_id = item.unit_id;
    order.kind = OrderKind::kSupervision;
    order.title = StrCat("督办通知：台账 ", item.id);
    order.text = StrCat(what, reason_text, "。请于 ", zone.FormatLocal(respond_by, kLocalMinute),
                        " 前报送处置进展。");
    order.reference_id = item.id;
    order.respond_by = respond_by;
    out.orders.push_back(std::move(order));
  }
}

Period Ledger::FirstUncheckedPeriod(PeriodKind kind) const {
  return *ledger::FirstUncheckedPeriod(meta_, kind);  // tracking has started
}

Time Ledger::NextScreeningCheck(PeriodKind kind) const {
  return PeriodEnd(FirstUncheckedPeriod(kind), org_->time_zone()) + config_.grace(kind);
}

void Ledger::CheckScreening(Time now, Effects& out) {
  const TimeZone& zone = org_->time_zone();
  for (PeriodKind kind : kAllPeriodKinds) {
    Period period = FirstUncheckedPeriod(kind);
    while (PeriodEnd(period, zone) + config_.grace(kind) <= now) {
      const std::string period_text = FormatPeriod(period);
      const std::string label = PeriodLabel(period, Language::kZh);
      const Time due = PeriodEnd(period, zone) + config_.grace(kind);
      for (const std::string& unit : config_.screening_units) {
        const UnitPeriod key{unit, period_text};
        if (screenings_.count(key) != 0 || reminders_.count(key) != 0) continue;
        const std::string record_key = ScreeningKey(unit, period);
        const std::string unit_name = UnitLabel(*org_, unit);
        const std::string text = StrCat(unit_name, " 未按时报送 ", label, " 排查报告（含零报告），",
                                        "报送期限 ", zone.FormatLocal(due, kLocalMinute), "。");
        const Time respond_by = now + config_.report_respond_within;
        reminders_.emplace(key, ScreeningReminder{unit, period, now});
        out.changed.push_back(RecordRef{std::string(kReminderRecord), record_key});
        out.notices.push_back(
            FeedNotice{std::string(kScreeningRecord), record_key, "overdue", text, unit});
        out.alerts.push_back(
            HqAlert{HqAlert::Severity::kWarning, "report_overdue", record_key, unit, text});
        OrderRequest order;
        order.unit_id = unit;
        order.kind = OrderKind::kReminder;
        order.title = StrCat("排查报告催报：", label);
        order.text =
            StrCat("贵单位尚未报送 ", label, " 不稳定因素排查报告；无排查发现的也须零报告。请于 ",
                   zone.FormatLocal(respond_by, kLocalMinute), " 前补报。");
        order.reference_id = record_key;
        order.respond_by = respond_by;
        out.orders.push_back(std::move(order));
      }
      meta_.screening_checked_through[kind] = period;
      MetaChanged(out);
      period = NextPeriod(period);
    }
  }
}

void Ledger::RunDailySummary(Time now, Effects& out) {
  const TimeZone& zone = org_->time_zone();
  const CivilDay today = zone.DayOf(now);
  const bool due_today = now >= zone.At(today, config_.summary_hour, config_.summary_minute);
  const CivilDay latest_due = due_today ? today : today - 1;
  if (meta_.last_daily_summary_run && *meta_.last_daily_summary_run >= latest_due) return;
  if (!meta_.last_daily_summary_run && !due_today) {
    // First start before today's summary time: today's run is the first.
    meta_.last_daily_summary_run = today - 1;
    MetaChanged(out);
    return;
  }
  // After downtime only the latest due summary runs; missed days are not
  // replayed (they can be produced on demand).
  meta_.last_daily_summary_run = latest_due;
  MetaChanged(out);

  const CivilDay covered =
      config_.summary_covers == SummaryCovers::kPreviousDay ? latest_due - 1 : latest_due;
  // Days before the ledger started tracking (a new installation) have no
  // reports to expect: no summary and no reminders for them.
  if (meta_.tracking_since && covered < *meta_.tracking_since) return;
  const DailySummary summary = BuildDailySummary(*this, covered, now, summary_inputs_);
  std::vector<std::string> missing_names;
  for (const std::string& unit : summary.units_not_reported) {
    missing_names.push_back(UnitLabel(*org_, unit));
  }
  uint32_t filed = 0;
  uint32_t zero = 0;
  for (const DailySummaryRow& row : summary.rows) {
    if (row.report == DailyReportStatus::kFiled) ++filed;
    if (row.report == DailyReportStatus::kZeroReport) ++zero;
  }
  const std::string day_text = FormatDay(covered);
  const std::string text =
      StrCat(day_text, " 风险预控日报汇总：应报 ", config_.daily_report_units.size(),
             " 个单位，已报 ", filed + zero, " 个（其中零报告 ", zero, " 个）；未报：",
             missing_names.empty() ? std::string("无") : JoinWith(missing_names, "、"),
             "。新增台账 ", summary.totals.new_items, " 件，在办 ", summary.totals.open_items,
             " 件，逾期 ", summary.totals.overdue_items, " 件；苗头预警 ", summary.totals.warnings,
             " 条（专报 ", summary.totals.special_reports, " 条）；突发事件 ",
             summary.totals.incidents, " 起；信访事项临期 ", summary.totals.matters_due_soon,
             " 件，超期 ", summary.totals.matters_overdue, " 件。");
  out.alerts.push_back(
      HqAlert{missing_names.empty() ? HqAlert::Severity::kInfo : HqAlert::Severity::kWarning,
              "daily_summary", day_text, "", text});
  out.notices.push_back(FeedNotice{"daily_summary", day_text, "published", text, ""});
  if (!config_.remind_missing_daily_reports) return;
  const Time respond_by = now + config_.report_respond_within;
  for (const std::string& unit : summary.units_not_reported) {
    OrderRequest order;
    order.unit_id = unit;
    order.kind = OrderKind::kReminder;
    order.title = StrCat("日报告催报：", day_text);
    order.text = StrCat("贵单位尚未报送 ", day_text, " 风险预控日报告；无风险的也须零报告。请于 ",
                        zone.FormatLocal(respond_by, kLocalMinute), " 前补报。");
    order.reference_id = DailyReportKey(unit, covered);
    order.respond_by = respond_by;
    out.orders.push_back(std::move(order));
  }
}

}  // namespace anding::core::ledger

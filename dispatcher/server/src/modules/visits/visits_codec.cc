#include "visits_codec.h"

#include "anding/common/strings.h"
#include "vocabulary_codec.h"

namespace anding::dispatcher {
namespace {

namespace visits = core::visits;

std::string OptionalDay(const std::optional<CivilDay>& day) {
  return day ? FormatDay(*day) : std::string();
}

Result<CivilDay> DayOr(std::string_view field, const std::string& text, CivilDay today) {
  if (text.empty()) return today;
  auto day = ParseDay(text);
  if (!day.ok()) return InvalidArgumentError(StrCat(field, ": '", text, "' is not YYYY-MM-DD"));
  return *day;
}

Result<std::optional<bool>> Collective(const std::string& text) {
  if (text.empty()) return std::optional<bool>();
  if (text == "yes") return std::optional<bool>(true);
  if (text == "no") return std::optional<bool>(false);
  return InvalidArgumentError("collective: must be yes or no");
}

Status Vocabulary(visits::VisitRequest& request, const std::string& channel,
                  const std::string& level, const std::string& collective) {
  const auto parsed_channel = visits::ParseChannel(channel);
  if (!parsed_channel) {
    return InvalidArgumentError(
        StrCat("channel: '", channel, "' is not visit, letter, phone or online"));
  }
  const auto parsed_level = visits::ParseDestinationLevel(level);
  if (!parsed_level) {
    return InvalidArgumentError(
        StrCat("destination_level: '", level, "' is not unit, company, city, province or beijing"));
  }
  ANDING_ASSIGN_OR_RETURN(request.collective, Collective(collective));
  request.channel = *parsed_channel;
  request.destination = *parsed_level;
  return OkStatus();
}

v1::VisitCounts CountsToProto(const visits::Counts& counts) {
  v1::VisitCounts out;
  out.set_batches(counts.batches);
  out.set_persons(counts.persons);
  out.set_visits(counts.visits);
  out.set_repeats(counts.repeats);
  out.set_collective(counts.collective);
  return out;
}

v1::VisitStatsRow RowToProto(const visits::StatsRow& row, visits::Dimension dimension,
                             const core::Organisation& org) {
  v1::VisitStatsRow out;
  out.set_key(row.key);
  if (dimension == visits::Dimension::kUnit) {
    if (const core::Unit* unit = org.FindUnit(row.key)) out.set_name(unit->name);
  } else if (dimension == visits::Dimension::kCategory) {
    if (const core::Category* category = org.FindCategory(row.key)) {
      out.set_name(category->name_zh);
    }
  }
  *out.mutable_current() = CountsToProto(row.current);
  *out.mutable_previous() = CountsToProto(row.previous);
  *out.mutable_year_ago() = CountsToProto(row.year_ago);
  *out.mutable_batches_year_on_year() = PercentToProto(row.batches_year_on_year);
  *out.mutable_persons_year_on_year() = PercentToProto(row.persons_year_on_year);
  *out.mutable_batches_period_on_period() = PercentToProto(row.batches_period_on_period);
  *out.mutable_persons_period_on_period() = PercentToProto(row.persons_period_on_period);
  return out;
}

}  // namespace

v1::VisitView VisitToProto(const visits::Visit& v) {
  v1::VisitView out;
  out.set_id(v.id);
  out.set_day(FormatDay(v.day));
  out.set_unit_id(v.unit_id);
  out.set_category_id(v.category_id);
  out.set_channel(std::string(visits::ChannelName(v.channel)));
  out.set_destination_level(std::string(visits::DestinationLevelName(v.destination)));
  out.set_batches(v.batches);
  out.set_persons(v.persons);
  out.set_collective(v.collective);
  out.set_representative(v.representative);
  out.set_contact(v.contact);
  out.set_note(v.note);
  out.set_repeat_of(v.repeat_of);
  out.set_repeat_basis(v.repeat_basis);
  *out.mutable_recorded_at() = ToTimestamp(v.recorded_at);
  out.set_recorded_by(v.recorded_by);
  return out;
}

v1::MatterView MatterToProto(const visits::Matter& m, const visits::VisitsConfig& config) {
  v1::MatterView out;
  out.set_id(m.id);
  out.set_unit_id(m.unit_id);
  out.set_category_id(m.category_id);
  out.set_summary(m.summary);
  out.set_visit_id(m.visit_id);
  out.set_state(std::string(visits::MatterStateName(m.state)));
  out.set_received_day(FormatDay(m.received_day));
  out.set_decided_day(OptionalDay(m.decided_day));
  out.set_concluded_day(OptionalDay(m.concluded_day));
  out.set_review_requested_day(OptionalDay(m.review_requested_day));
  out.set_reviewed_day(OptionalDay(m.reviewed_day));
  out.set_reexamination_requested_day(OptionalDay(m.reexamination_requested_day));
  out.set_reexamined_day(OptionalDay(m.reexamined_day));
  out.set_extension_days(m.extension_days);
  out.set_extension_reason(m.extension_reason);
  out.set_outcome(m.outcome);
  if (const auto deadline = visits::DeadlineOf(m, config)) {
    const std::string key = StrCat(deadline->stage, "@", FormatDay(deadline->last_day));
    out.set_deadline_stage(deadline->stage);
    out.set_deadline_day(FormatDay(deadline->last_day));
    out.set_deadline_warned(m.warned == key);
    out.set_deadline_breached(m.breached == key);
  }
  *out.mutable_updated_at() = ToTimestamp(m.updated_at);
  out.set_updated_by(m.updated_by);
  return out;
}

v1::VisitStatsView VisitStatsToProto(const visits::VisitStats& stats,
                                     const core::Organisation& org) {
  v1::VisitStatsView out;
  out.set_period_kind(std::string(visits::PeriodKindName(stats.kind)));
  out.set_period(visits::FormatPeriod(stats.kind, stats.current));
  out.set_previous_period(visits::FormatPeriod(stats.kind, stats.previous));
  out.set_year_ago_period(visits::FormatPeriod(stats.kind, stats.year_ago));
  out.set_by(std::string(visits::DimensionName(stats.dimension)));
  out.set_rounding(std::string(visits::RoundingName(stats.rounding)));
  for (const visits::StatsRow& row : stats.rows) {
    *out.add_rows() = RowToProto(row, stats.dimension, org);
  }
  *out.mutable_total() = RowToProto(stats.total, visits::Dimension::kTotal, org);
  return out;
}

Result<visits::VisitRequest> VisitFromRecord(const v1::VisitRecord& record,
                                             const std::string& unit_id) {
  visits::VisitRequest request;
  auto day = ParseDay(record.day());
  if (!day.ok()) return InvalidArgumentError("day: not YYYY-MM-DD");
  request.day = *day;
  request.unit_id = unit_id;
  request.category_id = record.category_id();
  request.batches = record.batches();
  request.persons = record.persons();
  request.representative = record.representative();
  request.contact = record.contact();
  request.note = record.note();
  ANDING_RETURN_IF_ERROR(
      Vocabulary(request, record.channel(), record.destination_level(), record.collective()));
  return request;
}

Result<visits::VisitRequest> VisitFromRequest(const v1::RecordVisitRequest& r, CivilDay today) {
  visits::VisitRequest request;
  ANDING_ASSIGN_OR_RETURN(request.day, DayOr("day", r.day(), today));
  request.unit_id = r.unit_id();
  request.category_id = r.category_id();
  request.batches = r.batches() == 0 ? 1 : r.batches();
  request.persons = r.persons() == 0 ? request.batches : r.persons();
  request.representative = r.representative();
  request.contact = r.contact();
  request.note = r.note();
  request.repeat_of = r.repeat_of();
  ANDING_RETURN_IF_ERROR(Vocabulary(request, r.channel(), r.destination_level(), r.collective()));
  return request;
}

Result<visits::MatterRequest> MatterFromRequest(const v1::RegisterMatterRequest& r,
                                                CivilDay today) {
  visits::MatterRequest request;
  request.unit_id = r.unit_id();
  request.category_id = r.category_id();
  request.summary = r.summary();
  request.visit_id = r.visit_id();
  ANDING_ASSIGN_OR_RETURN(request.received_day, DayOr("received_day", r.received_day(), today));
  return request;
}

Result<visits::MatterActionRequest> MatterActionFromRequest(const v1::UpdateMatterRequest& r,
                                                            CivilDay today) {
  visits::MatterActionRequest request;
  request.matter_id = r.matter_id();
  const auto action = visits::ParseMatterAction(r.action());
  if (!action) return InvalidArgumentError(StrCat("action: unknown action '", r.action(), "'"));
  request.action = *action;
  ANDING_ASSIGN_OR_RETURN(request.day, DayOr("day", r.day(), today));
  request.extension_days = r.extension_days();
  request.text = r.text();
  return request;
}

}  // namespace anding::dispatcher

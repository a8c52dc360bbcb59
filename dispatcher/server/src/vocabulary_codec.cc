#include "vocabulary_codec.h"

#include <tuple>

#include "anding/common/strings.h"
#include "anding/core/visits/percent.h"
#include "anding/wire/codec.h"

namespace anding::dispatcher {

std::optional<Time> OptionalTime(const google::protobuf::Timestamp& ts) {
  if (!wire::IsSet(ts)) return std::nullopt;
  return wire::FromProto(ts);
}

google::protobuf::Timestamp ToTimestamp(Time t) { return wire::ToProto(t); }

int64_t WholeSeconds(Duration d) {
  return std::chrono::duration_cast<std::chrono::seconds>(d).count();
}

core::Person PersonFromProto(const v1::Contact& contact) {
  return core::Person{contact.name(), contact.phone(), contact.title()};
}

v1::Contact PersonToProto(const core::Person& person) {
  v1::Contact contact;
  contact.set_name(person.name);
  contact.set_phone(person.phone);
  contact.set_title(person.title);
  return contact;
}

std::optional<core::RiskLevel> LevelFromProto(v1::RiskLevel level) {
  using core::RiskLevel;
  switch (level) {
    case v1::RISK_LEVEL_LOW:
      return RiskLevel::kLow;
    case v1::RISK_LEVEL_MEDIUM:
      return RiskLevel::kMedium;
    case v1::RISK_LEVEL_HIGH:
      return RiskLevel::kHigh;
    case v1::RISK_LEVEL_CRITICAL:
      return RiskLevel::kCritical;
    default:
      return std::nullopt;
  }
}

v1::RiskLevel LevelToProto(core::RiskLevel level) {
  using core::RiskLevel;
  switch (level) {
    case RiskLevel::kLow:
      return v1::RISK_LEVEL_LOW;
    case RiskLevel::kMedium:
      return v1::RISK_LEVEL_MEDIUM;
    case RiskLevel::kHigh:
      return v1::RISK_LEVEL_HIGH;
    case RiskLevel::kCritical:
      return v1::RISK_LEVEL_CRITICAL;
  }
  return v1::RISK_LEVEL_UNSPECIFIED;
}

Result<absl::CivilMonth> ParseMonth(const std::string& text, absl::CivilMonth fallback) {
  if (text.empty()) return fallback;
  absl::CivilMonth month;
  if (text.size() != 7 || !absl::ParseCivilTime(text, &month)) {
    return InvalidArgumentError(StrCat("month must be YYYY-MM, not '", text, "'"));
  }
  return month;
}

v1::PercentChange PercentToProto(const std::optional<int64_t>& hundredths) {
  v1::PercentChange out;
  out.set_no_base(!hundredths.has_value());
  out.set_hundredths(hundredths.value_or(0));
  out.set_text(core::visits::FormatChange(hundredths));
  return out;
}

Result<core::visits::Language> ParseLanguageField(std::string_view request,
                                                  std::string_view language) {
  const auto parsed = core::visits::ParseLanguage(language);
  if (!parsed) {
    return InvalidArgumentError(
        StrCat(request, ".language: '", language, "' is not zh or en (--lang)"));
  }
  return *parsed;
}

Result<DayRange> ParseDayRange(std::string_view request, const std::string& from_day,
                               const std::string& to_day) {
  DayRange range;
  for (auto [name, text, day] :
       {std::tuple{"from_day", &from_day, &range.from}, std::tuple{"to_day", &to_day, &range.to}}) {
    if (text->empty()) continue;
    auto parsed = ParseDay(*text);
    if (!parsed.ok()) {
      return InvalidArgumentError(
          StrCat(request, ".", name, ": must be a day written YYYY-MM-DD, not '", *text, "'"));
    }
    *day = *parsed;
  }
  if (range.from && range.to && *range.to < *range.from) {
    return InvalidArgumentError(StrCat(request, ".to_day: ", to_day, " is before from_day ",
                                       from_day, " (--to before --from)"));
  }
  return range;
}

v1::Order OrderToProto(const core::OrderRequest& request) {
  v1::Order order;
  switch (request.kind) {
    case core::OrderKind::kDispatch:
      order.set_kind(v1::ORDER_KIND_DISPATCH);
      break;
    case core::OrderKind::kReminder:
      order.set_kind(v1::ORDER_KIND_REMINDER);
      break;
    case core::OrderKind::kSupervision:
      order.set_kind(v1::ORDER_KIND_SUPERVISION);
      break;
    case core::OrderKind::kNotice:
      order.set_kind(v1::ORDER_KIND_NOTICE);
      break;
  }
  order.set_title(request.title);
  order.set_text(request.text);
  order.set_reference_id(request.reference_id);
  if (request.respond_by) *order.mutable_respond_by() = wire::ToProto(*request.respond_by);
  if (request.dispatch) {
    const core::DispatchDetails& d = *request.dispatch;
    auto* dispatch = order.mutable_dispatch();
    dispatch->set_incident_id(d.incident_id);
    dispatch->mutable_place()->set_region_id(d.region_id);
    dispatch->mutable_place()->set_address(d.address);
    *dispatch->mutable_arrive_by() = wire::ToProto(d.arrive_by);
    dispatch->set_team_id(d.team_id);
    for (const auto& member : d.members) {
      auto* m = dispatch->add_members();
      m->set_member_id(member.member_id);
      *m->mutable_contact() = PersonToProto(member.person);
      m->set_role(member.role);
    }
    for (const auto& vehicle : d.vehicle_ids) dispatch->add_vehicle_ids(vehicle);
    dispatch->set_deadline_rule(d.deadline_rule);
    dispatch->set_summary(d.summary);
    dispatch->set_persons(d.persons);
  }
  return order;
}

}  // namespace anding::dispatcher

#include "texts.h"

#include <algorithm>

#include "anding/common/strings.h"

namespace anding::core::dispatch::texts {

std::string_view TypeZh(IncidentType type) {
  switch (type) {
    case IncidentType::kGroupPetition:
      return "群体上访";
    case IncidentType::kIndividualExtreme:
      return "个人极端上访";
    case IncidentType::kOther:
      break;
  }
  return "其他事件";
}

std::string RegionName(const Organisation& org, std::string_view region_id) {
  const Region* region = org.FindRegion(region_id);
  return region == nullptr || region->name.empty() ? std::string(region_id) : region->name;
}

std::string UnitName(const Organisation& org, std::string_view unit_id) {
  const Unit* unit = org.FindUnit(unit_id);
  return unit == nullptr || unit->name.empty() ? std::string(unit_id) : unit->name;
}

std::string Local(const Organisation& org, Time t) {
  return org.time_zone().FormatLocal(t, "%m-%d %H:%M");
}

std::string DefaultSummary(const Organisation& org, const IncidentReport& report) {
  return StrCat(TypeZh(report.type), " ", report.persons, "人 @ ",
                RegionName(org, report.place.region_id));
}

void AddPeople(std::vector<Person>& people, const std::vector<Person>& more) {
  for (const auto& person : more) {
    const bool known = std::any_of(people.begin(), people.end(), [&](const Person& p) {
      return p.name == person.name && p.phone == person.phone;
    });
    if (!known) people.push_back(person);
  }
}

std::vector<Person> AssignmentRecipients(const Assignment& assignment) {
  std::vector<Person> people;
  for (const auto& member : assignment.members) AddPeople(people, {member.person});
  AddPeople(people, assignment.accompanying_leaders);
  return people;
}

std::string DispatchOrderText(const Organisation& org, const Incident& incident,
                              const Assignment& assignment, Time arrive_by, std::string_view rule) {
  std::string vehicles;
  for (const auto& id : assignment.vehicle_ids)
    StrAppend(vehicles, vehicles.empty() ? "" : "、", id);
  std::string text = StrCat(
      "请于", Local(org, arrive_by), "前到达", RegionName(org, incident.report.place.region_id),
      incident.report.place.address.empty() ? "" : " ", incident.report.place.address, "。事件：",
      incident.report.summary, "（", incident.report.persons, "人）。出动：", assignment.team_id,
      "，", assignment.members.size(), "人，车辆", vehicles, "。");
  if (assignment.fallback) {
    StrAppend(text, "由", UnitName(org, assignment.team_unit_id), "处置队支援，",
              UnitName(org, assignment.unit_id), "领导仍须赶赴现场。");
  }
  StrAppend(text, "时限依据：", rule);
  return text;
}

std::string DispatchSmsText(const Organisation& org, const Incident& incident, Time arrive_by) {
  return StrCat("【安定】", incident.id, " 出警：请于", Local(org, arrive_by), "前到达",
                RegionName(org, incident.report.place.region_id), " ",
                incident.report.place.address, "。", incident.report.summary);
}

}  // namespace anding::core::dispatch::texts

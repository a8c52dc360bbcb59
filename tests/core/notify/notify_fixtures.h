// A small organisation for the notification tests: HQ (with the duty
// officer and the petition office head), mine-3 with a leader and a duty
// contact, and a team of mine-3 with two members.
#pragma once

#include <string>

#include "anding/common/config.h"
#include "anding/core/dispatch/config.h"
#include "anding/core/notify/config.h"
#include "anding/core/org.h"

namespace anding::core::notify::testing {

inline constexpr char kLeaderPhone[] = "+8613800000001";
inline constexpr char kOfficerPhone[] = "+8613800000002";
inline constexpr char kHeadPhone[] = "+8613800000010";
inline constexpr char kDutyPhone[] = "+8613800000011";
inline constexpr char kMemberPhone[] = "+8613800000021";

inline Organisation TestOrg() {
  Unit hq;
  hq.id = "hq";
  hq.name = "集团公司";
  hq.kind = UnitKind::kCompany;
  hq.region_id = "hebi";
  hq.leaders = {Person{"王主任", kHeadPhone, "信访办主任"}};
  hq.duty_contacts = {Person{"李值班", kDutyPhone, "总值班"}};
  Unit mine;
  mine.id = "mine-3";
  mine.name = "三矿";
  mine.region_id = "hebi";
  mine.leaders = {Person{"张矿长", kLeaderPhone, "矿长"}};
  mine.duty_contacts = {Person{"赵信访员", kOfficerPhone, "信访员"}};
  Region hebi{"hebi", "鹤壁", RegionKind::kHomeCity, "henan", std::nullopt};
  return Organisation({hebi}, {hq, mine}, DefaultCategories(), TimeZone::Shanghai());
}

inline dispatch::DispatchConfig TestDispatch() {
  dispatch::DispatchConfig config;
  dispatch::TeamConfig team;
  team.id = "team-mine3";
  team.home_unit_id = "mine-3";
  dispatch::MemberConfig leader;
  leader.id = "m1";
  leader.role = dispatch::Role::kLeader;
  leader.person = Person{"张矿长", kLeaderPhone, "矿长"};
  dispatch::MemberConfig member;
  member.id = "m2";
  member.person = Person{"陈队员", kMemberPhone, ""};
  team.members = {leader, member};
  config.teams = {team};
  return config;
}

// Reads `yaml` (a dispatcher configuration holding a notifications:
// section) against TestOrg(); the Status of the document's Finish.
inline Status ReadConfig(const std::string& yaml, NotifyConfig& out) {
  auto document = ConfigDocument::LoadString(yaml, "dispatcher.yaml");
  if (!document.ok()) return document.status();
  ConfigNode root = document->root();
  out = ReadNotifyConfig(root, TestOrg(), TestDispatch());
  return document->Finish();
}

inline constexpr char kRolesYaml[] = R"(
notifications:
  roles:
    hq_duty: {phones: ["+8613800000011"]}
    petition_office_head: {phones: ["+8613800000010"]}
)";

}  // namespace anding::core::notify::testing

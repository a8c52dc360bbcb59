#include <gtest/gtest.h>

#include "anding/core/notify/templates.h"
#include "notify_fixtures.h"

namespace anding::core::notify {
namespace {

using testing::ReadConfig;

TEST(NotifyConfig, RegistryIsBuiltFromUnitsAndTeamsWithoutDuplicates) {
  NotifyConfig config;
  ASSERT_TRUE(ReadConfig(testing::kRolesYaml, config).ok());
  const Recipient* leader = config.registry.Find(testing::kLeaderPhone);
  ASSERT_NE(leader, nullptr);
  // Listed as the unit's leader and as a team member: one person, two roles.
  EXPECT_EQ(leader->roles, (std::set<std::string>{"unit_leader", "team_member"}));
  EXPECT_EQ(leader->unit_id, "mine-3");
  EXPECT_EQ(config.registry.Find(testing::kHeadPhone)->roles,
            (std::set<std::string>{"unit_leader", "petition_office_head"}));
  EXPECT_EQ(config.registry.all().size(), 5u);
}

TEST(NotifyConfig, GroupsResolveFromTheEvent) {
  NotifyConfig config;
  ASSERT_TRUE(ReadConfig(testing::kRolesYaml, config).ok());
  auto leaders = config.registry.Resolve("unit_leaders", "mine-3", {});
  ASSERT_EQ(leaders.size(), 1u);
  EXPECT_EQ(leaders[0].phone, testing::kLeaderPhone);
  auto officers = config.registry.Resolve("petition_officers", "mine-3", {});
  ASSERT_EQ(officers.size(), 1u);
  EXPECT_EQ(officers[0].phone, testing::kOfficerPhone);
  auto duty = config.registry.Resolve("hq_duty", "mine-3", {});
  ASSERT_EQ(duty.size(), 1u);
  EXPECT_EQ(duty[0].phone, testing::kDutyPhone);
  auto assigned = config.registry.Resolve(
      "assigned", "", {Person{"x", "+8613900000000", ""}, Person{"no phone", "", ""}});
  ASSERT_EQ(assigned.size(), 1u);
}

TEST(NotifyConfig, MistakesNameTheKey) {
  NotifyConfig config;
  Status status = ReadConfig(R"(
notifications:
  gateway: {kind: kannel, username: u, password: p, callback_token: short}
  roles:
    hq_duty: {phones: ["+8619999999999"]}
  routing:
    - {kind: special_report, groups: [leaders_of_everyone], channels: [pager]}
  quiet_hours: {start: "25:00", end: "07:00"}
  templates:
    special_report: {zh: "{txt}"}
)",
                             config);
  ASSERT_FALSE(status.ok());
  const std::string message(status.message());
  EXPECT_NE(message.find("notifications.gateway: missing required key 'sendsms_url'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("callback_token"), std::string::npos);
  EXPECT_NE(message.find("nobody has the phone +8619999999999"), std::string::npos);
  EXPECT_NE(message.find("unknown group 'leaders_of_everyone'"), std::string::npos);
  EXPECT_NE(message.find("unknown channel 'pager'"), std::string::npos);
  EXPECT_NE(message.find("quiet_hours.start"), std::string::npos);
  EXPECT_NE(message.find("unknown placeholder {txt}"), std::string::npos);
}

TEST(NotifyConfig, AbsentSectionMeansDefaultsAndTheLogChannel) {
  NotifyConfig config;
  ASSERT_TRUE(ReadConfig("{}", config).ok());
  EXPECT_FALSE(config.kannel.has_value());
  EXPECT_FALSE(config.rules.empty());
}

TEST(Templates, RenderFillsPlaceholdersAndRefusesUnknownOnes) {
  auto text = RenderTemplate("{unit}：{text} {{x}} #{id}",
                             {{"unit", "三矿"}, {"text", "群访"}, {"id", "7"}});
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "三矿：群访 {x} #7");
  EXPECT_FALSE(RenderTemplate("{nope}", {}).ok());
  EXPECT_FALSE(RenderTemplate("{text", {}).ok());
  EXPECT_NE(DefaultTemplate("special_report", "zh").find("专报"), std::string::npos);
  EXPECT_NE(DefaultTemplate("special_report", "en").find("special report"), std::string::npos);
}

}  // namespace
}  // namespace anding::core::notify

namespace anding::core::notify {
namespace {

TEST(NotifyConfig, TheDocumentedExampleReadsWithoutErrors) {
  auto document = ConfigDocument::LoadFile(ANDING_SOURCE_DIR "/deploy/demo/notify-example.yaml");
  ASSERT_TRUE(document.ok()) << document.status().ToString();
  ConfigNode root = document->root();
  const Organisation org = Organisation::Read(root);
  const NotifyConfig config = ReadNotifyConfig(root, org, dispatch::DispatchConfig{});
  const Status finished = document->Finish();
  ASSERT_TRUE(finished.ok()) << finished.ToString();
  ASSERT_TRUE(config.kannel.has_value());
  EXPECT_EQ(config.kannel->sender, "12110");
  EXPECT_EQ(config.webhooks.size(), 1u);
  EXPECT_EQ(config.rules.size(), 7u);
  EXPECT_TRUE(config.quiet_hours.enabled);
  EXPECT_EQ(config.registry.Resolve("hq_duty", "", {}).size(), 1u);
}

}  // namespace
}  // namespace anding::core::notify

#include "anding/agent/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anding::agent {
namespace {

using ::testing::HasSubstr;

constexpr const char* kMinimal =
    "unit_id: mine-3\n"
    "data_dir: data\n"
    "secret_key_file: keys/mine-3.key\n"
    "dispatcher:\n"
    "  endpoint: tcp://127.0.0.1:7100\n"
    "  public_key: \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n";

Result<AgentConfig> Read(const std::string& text) {
  ANDING_ASSIGN_OR_RETURN(ConfigDocument doc, ConfigDocument::LoadString(text, "agent.yaml"));
  ConfigNode root = doc.root();
  AgentConfig config = ReadAgentConfig(root, "/etc/anding");
  ANDING_RETURN_IF_ERROR(doc.Finish());
  return config;
}

TEST(AgentConfigTest, TimeZoneDefaultsToShanghai) {
  auto config = Read(kMinimal);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->time_zone.name(), "Asia/Shanghai");
}

TEST(AgentConfigTest, TimeZoneIsConfigured) {
  auto config = Read(std::string(kMinimal) + "time_zone: Asia/Urumqi\n");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->time_zone.name(), "Asia/Urumqi");
  auto unknown = Read(std::string(kMinimal) + "time_zone: Mars/Olympus\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("agent.yaml:7:12: time_zone"));
  EXPECT_THAT(unknown.status().message(), HasSubstr("Mars/Olympus"));
}

}  // namespace
}  // namespace anding::agent

#include "anding/core/users/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anding::core::users {
namespace {

using ::testing::HasSubstr;

Result<UsersConfig> Read(const std::string& yaml) {
  auto document = ConfigDocument::LoadString(yaml, "d.yaml");
  if (!document.ok()) return document.status();
  ConfigNode root = document->root();
  UsersConfig config = ReadUsersConfig(root);
  ANDING_RETURN_IF_ERROR(document->Finish());
  return config;
}

TEST(UsersConfigTest, DefaultsAreInteractiveHashesAndHalfHourIdleSessions) {
  auto config = Read("{}\n");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->password_hashing, HashStrength::kInteractive);
  EXPECT_EQ(config->session_idle, std::chrono::minutes(30));
  EXPECT_EQ(config->session_max, std::chrono::hours(12));
  EXPECT_EQ(config->lockout_after_failures, 5);
  EXPECT_FALSE(config->secure_cookies);
}

TEST(UsersConfigTest, ReadsEveryKeyAndNamesBadOnes) {
  auto config = Read(
      "users:\n  password_hashing: minimum\n  session_idle_minutes: 5\n  session_max_hours: 2\n"
      "  lockout_after_failures: 3\n  lockout_first_seconds: 10\n  lockout_max_seconds: 600\n"
      "http:\n  secure_cookies: true\n");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->password_hashing, HashStrength::kMinimum);
  EXPECT_EQ(config->session_idle, std::chrono::minutes(5));
  EXPECT_EQ(config->lockout_max, std::chrono::seconds(600));
  EXPECT_TRUE(config->secure_cookies);
  EXPECT_THAT(Read("users:\n  password_hashing: weak\n").status().message(),
              HasSubstr("password_hashing"));
  EXPECT_THAT(Read("users:\n  session_idle_minutes: 0\n").status().message(),
              HasSubstr("session_idle_minutes"));
  EXPECT_THAT(
      Read("users:\n  lockout_first_seconds: 100\n  lockout_max_seconds: 50\n").status().message(),
      HasSubstr("lockout_max_seconds"));
}

}  // namespace
}  // namespace anding::core::users

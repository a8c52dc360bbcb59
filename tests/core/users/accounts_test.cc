#include "anding/core/users/accounts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anding::core::users {
namespace {

using ::testing::HasSubstr;

Organisation OneUnit() {
  Unit unit;
  unit.id = "mine-3";
  return Organisation({}, {unit}, DefaultCategories(), TimeZone::Shanghai());
}

const Time kNow = FromUnixMicros(1'780'000'000'000'000);

TEST(UserNameTest, AcceptsLoginNamesAndNamesTheFieldOtherwise) {
  EXPECT_TRUE(ValidateUserName("zhang.wei-2").ok());
  EXPECT_TRUE(ValidateUserName("3kuang_officer").ok());
  for (const char* bad : {"", "Zhang", "zhang wei", "-zhang", ".x", "张伟", "a;b"}) {
    const Status status = ValidateUserName(bad);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(status.message(), HasSubstr("user:")) << bad;
  }
  EXPECT_FALSE(ValidateUserName(std::string(65, 'a')).ok());
  EXPECT_TRUE(ValidateUserName(std::string(64, 'a')).ok());
}

TEST(AccountsTest, AUnitOfficerIsBoundToAConfiguredUnitAndNobodyElseIs) {
  const Organisation org = OneUnit();
  Accounts accounts;
  auto officer = accounts.Add("li", Role::kUnitOfficer, "mine-3", "hash", org, kNow);
  ASSERT_TRUE(officer.ok()) << officer.status();
  EXPECT_EQ(officer->unit_id, "mine-3");
  EXPECT_THAT(accounts.Add("wu", Role::kUnitOfficer, "", "hash", org, kNow).status().message(),
              HasSubstr("unit_id: a unit officer needs a unit"));
  EXPECT_THAT(
      accounts.Add("wu", Role::kUnitOfficer, "mine-9", "hash", org, kNow).status().message(),
      HasSubstr("'mine-9' is not a configured unit"));
  EXPECT_THAT(accounts.Add("wu", Role::kAuditor, "mine-3", "hash", org, kNow).status().message(),
              HasSubstr("only a unit officer is bound to a unit"));
  EXPECT_EQ(accounts.Find("wu"), nullptr) << "a refused account is not added";
  EXPECT_THAT(accounts.Add("zhao", Role::kCommander, "", "", org, kNow).status().message(),
              HasSubstr("password"));
}

TEST(AccountsTest, NamesAreNeverReusedAndDisabledAccountsStayDisabled) {
  const Organisation org = OneUnit();
  Accounts accounts;
  ASSERT_TRUE(accounts.Add("zhang", Role::kCommander, "", "h1", org, kNow).ok());
  EXPECT_EQ(accounts.Add("zhang", Role::kAuditor, "", "h2", org, kNow).status().code(),
            StatusCode::kAlreadyExists);
  const Time later = kNow + std::chrono::hours(1);
  auto changed = accounts.SetPassword("zhang", "h3", later);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->password_hash, "h3");
  EXPECT_EQ(changed->changed_at, later);
  EXPECT_EQ(changed->created_at, kNow);
  ASSERT_TRUE(accounts.Disable("zhang", later).ok());
  EXPECT_TRUE(accounts.Find("zhang")->disabled);
  EXPECT_EQ(accounts.Disable("zhang", later).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(accounts.SetPassword("zhang", "h4", later).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(accounts.Add("zhang", Role::kCommander, "", "h5", org, kNow).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(accounts.Disable("nobody", later).status().code(), StatusCode::kNotFound);
}

TEST(RoleTest, NamesRoundTrip) {
  for (const Role role : kAllRoles) EXPECT_EQ(ParseRole(RoleName(role)), role);
  EXPECT_FALSE(ParseRole("admin").has_value());
  EXPECT_TRUE(RoleNeedsUnit(Role::kUnitOfficer));
  EXPECT_FALSE(RoleNeedsUnit(Role::kCommander));
}

}  // namespace
}  // namespace anding::core::users

#include "modules/users/password_hasher.h"

#include <gtest/gtest.h>

namespace anding::dispatcher {
namespace {

using core::users::HashStrength;

TEST(PasswordHasherTest, HashesAreArgon2idSaltedAndVerify) {
  const PasswordHasher hasher(HashStrength::kMinimum);
  auto first = hasher.Hash("correct horse battery");
  auto second = hasher.Hash("correct horse battery");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->rfind("$argon2id$", 0), 0u) << *first;
  EXPECT_NE(*first, *second) << "each hash has its own salt";
  EXPECT_TRUE(hasher.Verify(*first, "correct horse battery"));
  EXPECT_FALSE(hasher.Verify(*first, "correct horse batterY"));
  EXPECT_FALSE(hasher.Verify("not a hash", "correct horse battery"));
  EXPECT_FALSE(hasher.Verify(std::string(500, '$'), "x"));
}

TEST(PasswordHasherTest, AHashOfOtherLimitsNeedsRehashing) {
  const PasswordHasher minimum(HashStrength::kMinimum);
  const PasswordHasher interactive(HashStrength::kInteractive);
  auto hash = minimum.Hash("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(minimum.NeedsRehash(*hash));
  EXPECT_TRUE(interactive.NeedsRehash(*hash));
  EXPECT_TRUE(interactive.Verify(*hash, "correct horse battery"))
      << "an old hash still verifies under new limits";
}

TEST(PasswordHasherTest, TokensAreRandomHex) {
  const std::string a = RandomHex(32);
  const std::string b = RandomHex(32);
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace anding::dispatcher

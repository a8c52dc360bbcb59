// Key files: a secret key is its owner's alone, and root making one in the
// service user's key directory (as the packages' maintainer scripts and
// `anding-agent enrol` run by root do) makes it that user's.
#include "anding/runtime/curve_keys.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace anding::runtime {
namespace {

namespace fs = std::filesystem;

class CurveKeysTest : public ::testing::Test {
 protected:
  CurveKeysTest()
      : dir_(fs::temp_directory_path() / ("anding-keys-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
  }
  ~CurveKeysTest() override { fs::remove_all(dir_); }

  fs::path dir_;
};

TEST_F(CurveKeysTest, ASecretKeyIsReadableByItsOwnerOnly) {
  auto pair = GenerateCurveKeyPair();
  ASSERT_TRUE(pair.ok());
  const std::string path = (dir_ / "office.key").string();
  ASSERT_TRUE(WriteKeyFile(path, *pair, "test", false).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto read = ReadKeyFile(path, true);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->secret_key, pair->secret_key);
  // Not replaced unless asked to.
  EXPECT_EQ(WriteKeyFile(path, *pair, "test", false).code(), StatusCode::kAlreadyExists);
}

TEST_F(CurveKeysTest, RootMakesAKeyInAServiceUsersDirectoryForThatUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root, as the packages' scripts run";
  const fs::path keys = dir_ / "keys";
  fs::create_directories(keys);
  constexpr uid_t kServiceUser = 4711;
  constexpr gid_t kServiceGroup = 4712;
  ASSERT_EQ(::chown(keys.c_str(), kServiceUser, kServiceGroup), 0);
  auto pair = GenerateCurveKeyPair();
  ASSERT_TRUE(pair.ok());
  const std::string path = (keys / "agent.key").string();
  ASSERT_TRUE(WriteKeyFile(path, *pair, "test", false).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, kServiceUser);
  EXPECT_EQ(st.st_gid, kServiceGroup);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // In root's own directory it stays root's.
  const std::string own = (dir_ / "operator.key").string();
  ASSERT_TRUE(WriteKeyFile(own, *pair, "test", false).ok());
  ASSERT_EQ(::stat(own.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 0u);
}

}  // namespace
}  // namespace anding::runtime

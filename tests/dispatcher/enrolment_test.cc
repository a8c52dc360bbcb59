#include "anding/dispatcher/enrolment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "anding/common/config.h"
#include "anding/dispatcher/config.h"

namespace anding::dispatcher {
namespace {

using ::testing::HasSubstr;

constexpr const char* kKeyA = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7";
constexpr const char* kKeyB = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
constexpr const char* kKeyHash = "0Sz6Zcz>]VjLHX.}(?@^-ffm5+yA&zlQ2ftzz#/1";

TEST(EnrolmentTest, ParsesAgentsOperatorsAndComments) {
  const std::string text = std::string("# enrolled keys\n\nagent mine-3 ") + kKeyA +
                           "  # 三矿\noperator zhang " + kKeyB + "\nagent zz-office " + kKeyHash + "\n";
  auto enrolment = Enrolment::Parse(text, "enrolled.txt");
  ASSERT_TRUE(enrolment.ok()) << enrolment.status();
  EXPECT_EQ(enrolment->size(), 3u);
  EXPECT_EQ(enrolment->Find(kKeyA), (Principal{Principal::Kind::kAgent, "mine-3"}));
  EXPECT_EQ(enrolment->Find(kKeyB), (Principal{Principal::Kind::kOperator, "zhang"}));
  EXPECT_EQ(enrolment->Find(kKeyHash), (Principal{Principal::Kind::kAgent, "zz-office"}))
      << "'#' inside a key is not a comment";
  EXPECT_FALSE(enrolment->Find("nobody").has_value());
  EXPECT_TRUE(enrolment->HasAgent("mine-3"));
  EXPECT_FALSE(enrolment->HasAgent("zhang"));
}

TEST(EnrolmentTest, MistakesNameFileAndLine) {
  EXPECT_THAT(Enrolment::Parse("agent mine-3\n", "e.txt").status().message(),
              HasSubstr("e.txt:1: expected"));
  EXPECT_THAT(Enrolment::Parse(std::string("robot x ") + kKeyA, "e.txt").status().message(),
              HasSubstr("unknown kind 'robot'"));
  EXPECT_THAT(Enrolment::Parse("agent mine-3 short", "e.txt").status().message(),
              HasSubstr("not a Z85 CURVE public key"));
  EXPECT_THAT(Enrolment::Parse(std::string("agent a ") + kKeyA + "\nagent b " + kKeyA, "e.txt")
                  .status()
                  .message(),
              HasSubstr("e.txt:2: this key is already enrolled"));
  EXPECT_THAT(Enrolment::Parse(std::string("agent a ") + kKeyA + "\nagent a " + kKeyB, "e.txt")
                  .status()
                  .message(),
              HasSubstr("unit 'a' is enrolled twice"));
}

TEST(DispatcherConfigTest, DefaultsAndValidation) {
  auto doc = ConfigDocument::LoadString(
      "data_dir: data\nlink:\n  secret_key_file: keys/d.key\n  enrolled_keys_file: keys/e.txt\n"
      "  heartbeat_interval: 10s\n  offline_after: 5s\n  endpoint: 127.0.0.1:7100\n",
      "d.yaml");
  ASSERT_TRUE(doc.ok());
  ConfigNode root = doc->root();
  const DispatcherConfig config = ReadDispatcherConfig(root, "/etc/anding");
  EXPECT_EQ(config.data_dir, "/etc/anding/data");
  EXPECT_EQ(config.database_path, "/etc/anding/data/anding.db");
  EXPECT_EQ(config.link.secret_key_file, "/etc/anding/keys/d.key");
  const Status status = doc->Finish();
  EXPECT_THAT(status.message(), HasSubstr("d.yaml:6:18: link.offline_after: must be longer than "
                                          "heartbeat_interval"));
  EXPECT_THAT(status.message(), HasSubstr("link.endpoint: expected a ZeroMQ endpoint"));
  EXPECT_EQ(config.min_commit_interval, std::chrono::milliseconds(1));
}

TEST(DispatcherConfigTest, CommitInterval) {
  const std::string base =
      "data_dir: data\nlink:\n  secret_key_file: k\n  enrolled_keys_file: e\n";
  auto zero = ConfigDocument::LoadString(base + "store: {min_commit_interval: 0s}\n", "d.yaml");
  ASSERT_TRUE(zero.ok());
  ConfigNode root = zero->root();
  EXPECT_EQ(ReadDispatcherConfig(root, "/").min_commit_interval, Duration::zero());
  EXPECT_TRUE(zero->Finish().ok());

  auto long_one = ConfigDocument::LoadString(base + "store: {min_commit_interval: 2s}\n", "d.yaml");
  ASSERT_TRUE(long_one.ok());
  root = long_one->root();
  (void)ReadDispatcherConfig(root, "/");
  EXPECT_THAT(long_one->Finish().message(),
              HasSubstr("store.min_commit_interval: must be between 0 and 100ms"));
}

}  // namespace
}  // namespace anding::dispatcher

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
                           "  # 三矿\noperator zhang " + kKeyB + " commander\nagent zz-office " +
                           kKeyHash + "\n";
  const Enrolment enrolment = Enrolment::Parse(text, "enrolled.txt");
  EXPECT_TRUE(enrolment.errors().empty());
  EXPECT_EQ(enrolment.size(), 3u);
  EXPECT_EQ(enrolment.Find(kKeyA), (Principal{Principal::Kind::kAgent, "mine-3"}));
  EXPECT_EQ(enrolment.Find(kKeyB), (Principal{Principal::Kind::kOperator, "zhang"}));
  EXPECT_EQ(enrolment.Find(kKeyHash), (Principal{Principal::Kind::kAgent, "zz-office"}))
      << "'#' inside a key is not a comment";
  EXPECT_FALSE(enrolment.Find("nobody").has_value());
  EXPECT_TRUE(enrolment.HasAgent("mine-3"));
  EXPECT_FALSE(enrolment.HasAgent("zhang"));
}

// The first error of `text`, which must enrol nobody.
std::string OnlyError(const std::string& text) {
  const Enrolment enrolment = Enrolment::Parse(text, "e.txt");
  EXPECT_EQ(enrolment.size(), 0u) << text;
  return enrolment.errors().empty() ? "" : enrolment.errors().front();
}

TEST(EnrolmentTest, OperatorKeysCarryARoleAndAUnitOfficerAUnit) {
  const std::string text = std::string("operator li ") + kKeyA + " unit_officer mine-3\n" +
                           "operator wang " + kKeyB + " auditor\n";
  const Enrolment enrolment = Enrolment::Parse(text, "e.txt");
  EXPECT_TRUE(enrolment.errors().empty());
  Principal li{Principal::Kind::kOperator, "li"};
  li.role = core::Role::kUnitOfficer;
  li.unit_id = "mine-3";
  EXPECT_EQ(enrolment.Find(kKeyA), li);
  EXPECT_EQ(enrolment.Find(kKeyB)->role, core::Role::kAuditor);
}

TEST(EnrolmentTest, AnOperatorKeyWithoutAValidRoleEnrolsNobody) {
  EXPECT_THAT(OnlyError(std::string("operator zhang ") + kKeyA),
              HasSubstr("e.txt:1: an operator key needs a role"));
  EXPECT_THAT(OnlyError(std::string("operator zhang ") + kKeyA + " boss"),
              HasSubstr("unknown role 'boss'"));
  EXPECT_THAT(OnlyError(std::string("operator zhang ") + kKeyA + " unit_officer"),
              HasSubstr("needs the unit"));
  EXPECT_THAT(OnlyError(std::string("operator zhang ") + kKeyA + " auditor mine-3"),
              HasSubstr("unexpected 'mine-3'"));
  EXPECT_THAT(OnlyError(std::string("agent mine-3 ") + kKeyA + " commander"),
              HasSubstr("expected 'agent <unit> <public key>'"));
}

TEST(EnrolmentTest, MistakesNameFileAndLineAndEnrolNobody) {
  EXPECT_THAT(OnlyError("agent mine-3\n"), HasSubstr("e.txt:1: expected"));
  EXPECT_THAT(OnlyError(std::string("robot x ") + kKeyA), HasSubstr("unknown kind 'robot'"));
  EXPECT_THAT(OnlyError("agent mine-3 short"), HasSubstr("not a Z85 CURVE public key"));
  // Ambiguous lines: neither counts.
  EXPECT_THAT(OnlyError(std::string("agent a ") + kKeyA + "\nagent b " + kKeyA),
              HasSubstr("e.txt:1: this key is enrolled on more than one line"));
  EXPECT_THAT(OnlyError(std::string("agent a ") + kKeyA + "\nagent a " + kKeyB),
              HasSubstr("unit 'a' is enrolled on more than one line"));
}

TEST(EnrolmentTest, AMistakeOnOneLineLeavesTheOthersInEffect) {
  const std::string text = std::string("agent mine-3 ") + kKeyA + "\nagent mine-7 NOT-A-KEY\n" +
                           "operator zhang " + kKeyB + " auditor\n";
  const Enrolment enrolment = Enrolment::Parse(text, "e.txt");
  EXPECT_EQ(enrolment.size(), 2u);
  EXPECT_TRUE(enrolment.HasAgent("mine-3"));
  EXPECT_FALSE(enrolment.HasAgent("mine-7"));
  ASSERT_EQ(enrolment.errors().size(), 1u);
  EXPECT_THAT(enrolment.errors()[0], HasSubstr("e.txt:2: not a Z85"));
}

TEST(EnrolmentTest, EnrolAndRevokeRewriteOnlyTheUnitsLines) {
  const std::string text = std::string("# keys\nagent mine-3 ") + kKeyA +
                           "\nagent mine-7 NOT-A-KEY\noperator zhang " + kKeyB + " commander\n";
  auto enrolled = Enrolment::WithAgent(text, "mine-7", kKeyHash);
  ASSERT_TRUE(enrolled.ok()) << enrolled.status();
  EXPECT_EQ(*enrolled, std::string("# keys\nagent mine-3 ") + kKeyA + "\noperator zhang " + kKeyB +
                           " commander\nagent mine-7 " + kKeyHash + "\n");
  EXPECT_TRUE(Enrolment::Parse(*enrolled, "e.txt").HasAgent("mine-7"));
  EXPECT_EQ(Enrolment::WithAgent(text, "mine-9", kKeyB).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(Enrolment::WithAgent(text, "mine-9", "short").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Enrolment::WithAgent(text, "mine 9", kKeyHash).status().code(),
            StatusCode::kInvalidArgument);

  auto revoked = Enrolment::WithoutAgent(*enrolled, "mine-3");
  ASSERT_TRUE(revoked.ok());
  EXPECT_FALSE(Enrolment::Parse(*revoked, "e.txt").HasAgent("mine-3"));
  EXPECT_TRUE(Enrolment::Parse(*revoked, "e.txt").HasAgent("mine-7"));
  EXPECT_EQ(Enrolment::WithoutAgent(*revoked, "mine-3").status().code(), StatusCode::kNotFound);
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
  const std::string base = "data_dir: data\nlink:\n  secret_key_file: k\n  enrolled_keys_file: e\n";
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

TEST(DispatcherConfigTest, TheJsonLogMustLieOutsideDataDirAndIsCapped) {
  const std::string base = "data_dir: data\nlink:\n  secret_key_file: k\n  enrolled_keys_file: e\n";
  for (const std::string inside : {"data/d.jsonl", "data/logs/d.jsonl", "/srv/data/x.jsonl"}) {
    auto doc =
        ConfigDocument::LoadString(base + "logging: {json_file: " + inside + "}\n", "d.yaml");
    ASSERT_TRUE(doc.ok());
    ConfigNode root = doc->root();
    (void)ReadDispatcherConfig(root, "/srv");
    EXPECT_THAT(doc->Finish().message(), HasSubstr("logging.json_file: must be outside data_dir"))
        << inside;
  }
  auto outside = ConfigDocument::LoadString(
      base + "logging: {json_file: logs/d.jsonl, max_file_bytes: 1048576, max_files: 3}\n",
      "d.yaml");
  ASSERT_TRUE(outside.ok());
  ConfigNode root = outside->root();
  const DispatcherConfig config = ReadDispatcherConfig(root, "/srv");
  EXPECT_TRUE(outside->Finish().ok());
  EXPECT_EQ(config.logging.json_file, "/srv/logs/d.jsonl");
  EXPECT_EQ(config.logging.max_file_bytes, 1048576u);
  EXPECT_EQ(config.logging.max_files, 3u);

  auto defaults = ConfigDocument::LoadString(base, "d.yaml");
  ASSERT_TRUE(defaults.ok());
  root = defaults->root();
  const DispatcherConfig plain = ReadDispatcherConfig(root, "/srv");
  EXPECT_EQ(plain.logging.max_file_bytes, 50u << 20);
  EXPECT_EQ(plain.logging.max_files, 5u);

  auto tiny = ConfigDocument::LoadString(
      base + "logging: {json_file: logs/d.jsonl, max_file_bytes: 10, max_files: 0}\n", "d.yaml");
  ASSERT_TRUE(tiny.ok());
  root = tiny->root();
  (void)ReadDispatcherConfig(root, "/srv");
  const std::string message(tiny->Finish().message());
  EXPECT_THAT(message, HasSubstr("logging.max_file_bytes: must be at least 4096"));
  EXPECT_THAT(message, HasSubstr("logging.max_files: must be between 1 and 100"));
}

}  // namespace
}  // namespace anding::dispatcher

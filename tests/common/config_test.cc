#include "anding/common/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace anding {
namespace {

using ::testing::HasSubstr;

struct Sample {
  std::string name;
  int64_t port = 0;
  bool enabled = false;
  Duration timeout{};
  std::vector<std::string> units;
};

Sample ReadSample(ConfigNode root) {
  Sample s;
  auto server = root.Map("server");
  s.name = server.Get<std::string>("name");
  s.port = server.Get<int64_t>("port");
  if (s.port < 1 || s.port > 65535) server.Error("port", "must be 1–65535");
  s.enabled = server.Get<bool>("enabled", true);
  s.timeout = server.Get<Duration>("timeout", std::chrono::seconds(5));
  for (auto& unit : root.List("units")) s.units.push_back(unit.Get<std::string>("id"));
  return s;
}

Status Check(std::string_view yaml) {
  auto doc = ConfigDocument::LoadString(yaml, "test.yaml");
  if (!doc.ok()) return doc.status();
  ReadSample(doc->root());
  return doc->Finish();
}

TEST(ConfigTest, ReadsValidDocument) {
  auto doc = ConfigDocument::LoadString(
      "server:\n  name: hq\n  port: 7100\n  timeout: 2m\nunits:\n  - id: mine-1\n  - id: mine-2\n",
      "test.yaml");
  ASSERT_TRUE(doc.ok());
  const Sample s = ReadSample(doc->root());
  ASSERT_TRUE(doc->Finish().ok()) << doc->Finish();
  EXPECT_EQ(s.name, "hq");
  EXPECT_EQ(s.port, 7100);
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(s.timeout, std::chrono::minutes(2));
  EXPECT_EQ(s.units, (std::vector<std::string>{"mine-1", "mine-2"}));
}

TEST(ConfigTest, UnknownKeyNamesFileLineAndPath) {
  const Status status = Check("server:\n  name: hq\n  port: 7100\n  prot: 1\n");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("test.yaml:4:3: server.prot: unknown key"));
}

TEST(ConfigTest, WrongTypeNamesFileLineAndPath) {
  const Status status = Check("server:\n  name: hq\n  port: seventy\n");
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("test.yaml:3:9: server.port: expected an integer"));
}

TEST(ConfigTest, MissingRequiredKeyNamesTheMapping) {
  const Status status = Check("server:\n  port: 7100\n");
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("test.yaml:2:3: server: missing required key 'name'"));
}

TEST(ConfigTest, ValidationErrorsPointAtTheValue) {
  const Status status = Check("server:\n  name: hq\n  port: 70000\n");
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("test.yaml:3:9: server.port: must be 1–65535"));
}

TEST(ConfigTest, ErrorsInListItemsCarryTheirIndex) {
  const Status status = Check("server: {name: hq, port: 1}\nunits:\n  - id: a\n  - idd: b\n");
  EXPECT_THAT(std::string(status.message()), HasSubstr("units[1]: missing required key 'id'"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("test.yaml:4:5: units[1].idd: unknown key"));
}

TEST(ConfigTest, ReportsEveryErrorAtOnce) {
  const Status status = Check("server:\n  name: [1]\n  port: x\n  timeout: soon\nextra: 1\n");
  const std::string message(status.message());
  EXPECT_THAT(message, HasSubstr("server.name: expected a string"));
  EXPECT_THAT(message, HasSubstr("server.port: expected an integer"));
  EXPECT_THAT(message, HasSubstr("server.timeout: not a duration"));
  EXPECT_THAT(message, HasSubstr("extra: unknown key"));
}

TEST(ConfigTest, SyntaxErrorNamesLineAndColumn) {
  auto doc = ConfigDocument::LoadString("server:\n  name: [unclosed\n", "bad.yaml");
  ASSERT_FALSE(doc.ok());
  EXPECT_THAT(std::string(doc.status().message()), HasSubstr("bad.yaml:"));
  EXPECT_THAT(std::string(doc.status().message()), HasSubstr("YAML syntax error"));
}

TEST(ConfigTest, EmptyOrScalarDocumentIsAnError) {
  EXPECT_THAT(std::string(Check("").message()), HasSubstr("expected a mapping"));
  EXPECT_THAT(std::string(Check("just text").message()), HasSubstr("expected a mapping"));
}

TEST(ConfigTest, MissingFileIsNotFound) {
  EXPECT_EQ(ConfigDocument::LoadFile("/nonexistent/anding.yaml").status().code(),
            StatusCode::kNotFound);
}

TEST(ConfigTest, LoadsFromFileAndKnowsItsDirectory) {
  const auto dir = std::filesystem::temp_directory_path() / "anding_config_test";
  std::filesystem::create_directories(dir);
  const auto path = dir / "x.yaml";
  std::ofstream(path) << "server:\n  name: hq\n  port: 1\n";
  auto doc = ConfigDocument::LoadFile(path.string());
  ASSERT_TRUE(doc.ok());
  ReadSample(doc->root());
  EXPECT_TRUE(doc->Finish().ok());
  EXPECT_EQ(doc->directory(), dir.string());
  std::filesystem::remove_all(dir);
}

TEST(ConfigTest, EntriesReadDataKeyedMappings) {
  auto doc = ConfigDocument::LoadString("travel:\n  hebi: 1h\n  zhengzhou: 2h\n", "t.yaml");
  ASSERT_TRUE(doc.ok());
  auto root = doc->root();
  std::vector<std::pair<std::string, Duration>> got;
  for (auto& [key, value] : root.Entries("travel")) got.emplace_back(key, value.As<Duration>());
  ASSERT_TRUE(doc->Finish().ok());
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].first, "hebi");
  EXPECT_EQ(got[1].second, std::chrono::hours(2));
}

}  // namespace
}  // namespace anding

// `anding-agent report early-warning` typed alone by an officer at a
// terminal asks for what it needs, one option at a time; a script is never
// asked.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "anding/agent/cli.h"
#include "anding/common/clock.h"
#include "anding/common/time.h"

namespace anding::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class CliPromptTest : public ::testing::Test {
 protected:
  void SetUp() override { unsetenv("ANDING_AGENT_CONFIG"); }

  int Run(const std::vector<std::string>& words, const std::string& typed, bool interactive) {
    std::istringstream in(typed);
    out_.str("");
    err_.str("");
    return RunCli(words, clock_, out_, err_, Terminal{&in, interactive});
  }

  ManualClock clock_{*ParseRfc3339("2026-12-03T09:00:00+08:00")};
  std::ostringstream out_, err_;
};

TEST_F(CliPromptTest, AnOfficerAtATerminalIsAskedInChineseForEachMissingOption) {
  const int status = Run({"--lang", "zh", "report", "early-warning", "--persons", "12"},
                         "退休职工酝酿赴京上访\n\nretiree-management\n", /*interactive=*/true);
  // Both answers were taken (the empty line asked again); the command then
  // went on and stopped at the missing configuration.
  EXPECT_THAT(out_.str(), HasSubstr("还缺少以下内容"));
  EXPECT_THAT(out_.str(), HasSubstr("一句话概述所见情况 (--summary): "));
  EXPECT_THAT(out_.str(), HasSubstr("不稳定因素类别 (--category): "));
  EXPECT_EQ(status, 2);
  EXPECT_THAT(err_.str(), HasSubstr("没有配置"));
}

TEST_F(CliPromptTest, TheEndOfInputStopsAsking) {
  EXPECT_EQ(Run({"report", "early-warning"}, "", /*interactive=*/true), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--summary, --category are required"));
}

TEST_F(CliPromptTest, AScriptIsNeverAsked) {
  EXPECT_EQ(Run({"report", "early-warning"}, "a\nb\n", /*interactive=*/false), 2);
  EXPECT_EQ(out_.str(), "");
  EXPECT_THAT(err_.str(), HasSubstr("--summary, --category are required"));
}

TEST_F(CliPromptTest, OnlyEarlyWarningsAskAndATypoIsReportedNotAsked) {
  EXPECT_EQ(Run({"ledger", "close-out"}, "x\ny\nz\n", /*interactive=*/true), 2);
  EXPECT_THAT(out_.str(), Not(HasSubstr("--item")));
  EXPECT_EQ(Run({"report", "early-warning", "--sumary", "x"}, "y\n", /*interactive=*/true), 2);
  EXPECT_THAT(err_.str(), HasSubstr("did you mean --summary?"));
  EXPECT_EQ(out_.str(), "");
}

}  // namespace
}  // namespace anding::agent

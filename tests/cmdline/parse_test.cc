#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "anding/cmdline/command_line.h"
#include "anding/cmdline/exit_codes.h"
#include "anding/cmdline/generators.h"
#include "anding/cmdline/i18n.h"
#include "anding/cmdline/validators.h"

namespace anding::cmdline {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ParseTest : public ::testing::Test {
 protected:
  void SetUp() override { Define(Language::kEnglish); }

  void Define(Language language) {
    UseLanguage(language, "anding-agent");
    program_ = NewProgram("test-cli", "a program for tests");
    program_->add_option("--config", config_, "the configuration")->type_name("FILE");
    report_ = AddCommand(*program_, "report", "report something");
    SetExamples(*report_, {"test-cli report early-warning --summary 'x' --category other"});
    warning_ = AddCommand(*report_, "early-warning", "report a sign of instability");
    SetExamples(*warning_, {"test-cli report early-warning --summary 'x' --category other"});
    warning_->add_option("--summary", summary_, "what was seen")->required();
    warning_->add_option("--category", category_, "the category")->required();
    OneOf(warning_->add_option("--level", level_, "risk level"), {"low", "medium", "high"});
    warning_->add_flag("--major", major_, "a sign of a major group incident");
  }

  int Run(const std::vector<std::string>& words) {
    out_.str("");
    err_.str("");
    return Parse(*program_, words, out_, err_).value_or(-1);
  }

  std::unique_ptr<CLI::App> program_;
  CLI::App* report_ = nullptr;
  CLI::App* warning_ = nullptr;
  std::string config_, summary_, category_, level_;
  bool major_ = false;
  std::ostringstream out_, err_;
};

TEST_F(ParseTest, AWrongOptionNamesTheNearestOne) {
  EXPECT_EQ(Run({"report", "early-warning", "--sumary", "x", "--category", "c"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("unknown option --sumary"));
  EXPECT_THAT(err_.str(), HasSubstr("did you mean --summary?"));
  EXPECT_THAT(err_.str(), HasSubstr("test-cli report early-warning --help"));

  EXPECT_EQ(Run({"report", "early-warning", "--summary", "x", "--catgory", "c"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("did you mean --category?"));
  // A program option is accepted after the command and suggested there.
  EXPECT_EQ(Run({"report", "early-warning", "--summary", "x", "--category", "c", "--confg", "f"}),
            kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("did you mean --config?"));
}

TEST_F(ParseTest, NothingCloseIsNotSuggested) {
  EXPECT_EQ(Run({"report", "early-warning", "--xyzzy-plugh", "1"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("unknown option --xyzzy-plugh"));
  EXPECT_THAT(err_.str(), Not(HasSubstr("did you mean")));
  EXPECT_EQ(NearestOption(*warning_, "--lvel"), "--level");
  EXPECT_EQ(NearestOption(*warning_, "--zz"), "");
  EXPECT_EQ(NearestOption(*warning_, "--majo"), "--major");
  EXPECT_EQ(NearestOption(*warning_, "--categ"), "--category") << "a prefix";
}

TEST_F(ParseTest, AMistypedCommandNamesTheNearestOne) {
  EXPECT_EQ(Run({"reprot", "early-warning"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("unexpected argument: reprot"));
  EXPECT_THAT(err_.str(), HasSubstr("did you mean report?"));
  EXPECT_EQ(Run({"report", "early-warnin"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("did you mean early-warning?"));
  report_->require_subcommand(1);
  EXPECT_EQ(Run({"report", "eraly-warning"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("unknown command: eraly-warning; did you mean early-warning?"));
  EXPECT_EQ(Run({"quux"}), kExitUsage);
  EXPECT_THAT(err_.str(), Not(HasSubstr("did you mean")));
}

TEST_F(ParseTest, AMissingRequiredOptionIsNamed) {
  EXPECT_EQ(Run({"report", "early-warning", "--summary", "x"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("--category is required"));
}

TEST_F(ParseTest, HelpAtEveryLevelExitsZeroWithUsageAndExamples) {
  EXPECT_EQ(Run({"report", "early-warning", "--help"}), kExitDone);
  EXPECT_THAT(out_.str(), HasSubstr("Usage: test-cli report early-warning"));
  EXPECT_THAT(out_.str(), HasSubstr("--summary"));
  EXPECT_THAT(out_.str(), HasSubstr("Examples:\n  test-cli report early-warning"));
  EXPECT_EQ(Run({"report", "--help"}), kExitDone);
  EXPECT_THAT(out_.str(), HasSubstr("early-warning"));
  EXPECT_EQ(Run({"--help"}), kExitDone);
  EXPECT_THAT(out_.str(), HasSubstr("--lang"));
  EXPECT_EQ(Run({"--version"}), kExitDone);
  EXPECT_THAT(out_.str(), HasSubstr("test-cli (Anding) "));
}

TEST_F(ParseTest, HelpAndErrorsInChinese) {
  Define(Language::kChinese);
  EXPECT_EQ(Run({"report", "early-warning", "--help"}), kExitDone);
  EXPECT_THAT(out_.str(), HasSubstr("用法: test-cli report early-warning"));
  EXPECT_THAT(out_.str(), HasSubstr("示例："));
  EXPECT_EQ(Run({"report", "early-warning", "--sumary", "x"}), kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("未知选项 --sumary"));
  EXPECT_THAT(err_.str(), HasSubstr("您是否要用 --summary？"));
  EXPECT_EQ(Run({"report", "early-warning", "--summary", "x", "--category", "c", "--level", "x"}),
            kExitUsage);
  EXPECT_THAT(err_.str(), HasSubstr("必须是 low|medium|high 之一"));
}

TEST_F(ParseTest, TheSelectedCommandAndItsValues) {
  EXPECT_EQ(Run({"report", "early-warning", "--summary", "职工", "--category", "wages", "--major",
                 "--config", "a.yaml"}),
            -1);
  EXPECT_EQ(&Selected(*program_), warning_);
  EXPECT_EQ(CommandPath(*warning_), "test-cli report early-warning");
  EXPECT_EQ(summary_, "职工");
  EXPECT_TRUE(major_);
  EXPECT_EQ(config_, "a.yaml");
}

TEST_F(ParseTest, GeneratorsNameEveryCommand) {
  EXPECT_EQ(CommandList(*program_), "test-cli\ntest-cli report\ntest-cli report early-warning\n");
  const std::string man = ManPage(*program_);
  EXPECT_THAT(man, HasSubstr(".TH TEST\\-CLI 1"));
  EXPECT_THAT(man, HasSubstr(".SS \"test\\-cli report early\\-warning\""));
  EXPECT_THAT(man, HasSubstr("\\-\\-summary"));
  const std::string completion = BashCompletion(*program_);
  EXPECT_THAT(completion, HasSubstr("complete -F _test_cli test-cli"));
  EXPECT_THAT(completion, HasSubstr("\"report early-warning|--level\") words=\"low medium high\""));
}

}  // namespace
}  // namespace anding::cmdline

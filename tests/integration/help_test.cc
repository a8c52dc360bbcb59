// Every command of the three programs, walked from their own definitions (`--list-commands`),
// answers --help without a configuration, in English and in Chinese; the manual pages and
// completion scripts the build generated from the same definitions name every command.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "support/process.h"

namespace anding::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Program {
  std::string name;
  std::string binary;
};

const std::vector<Program>& Programs() {
  static const std::vector<Program> programs = {
      {"anding", ANDING_CLI_BIN},
      {"anding-agent", ANDING_AGENT_BIN},
      {"anding-dispatcher", ANDING_DISPATCHER_BIN},
  };
  return programs;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, separator);) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

// "anding-agent report daily", ... from the program's definition.
std::vector<std::string> Commands(const Program& program) {
  const CommandResult listed = RunCommand(program.binary, {"--list-commands"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  return Split(listed.out, '\n');
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class HelpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // No configuration anywhere: help must not need one.
    unsetenv("ANDING_AGENT_CONFIG");
    unsetenv("ANDING_CONFIG");
  }
};

TEST_F(HelpTest, EveryCommandAnswersHelpWithoutAConfigurationInBothLanguages) {
  for (const Program& program : Programs()) {
    const auto commands = Commands(program);
    ASSERT_GT(commands.size(), 2u) << program.name;
    for (const std::string& command : commands) {
      auto words = Split(command, ' ');
      words.erase(words.begin());  // the program's name
      for (const std::string language : {"en", "zh"}) {
        auto args = words;
        args.insert(args.end(), {"--lang", language, "--help"});
        const CommandResult help = RunCommand(program.binary, args);
        SCOPED_TRACE(command + " --lang " + language);
        EXPECT_EQ(help.exit_code, 0) << help.err;
        EXPECT_EQ(help.err, "");
        EXPECT_THAT(help.out, HasSubstr((language == "en" ? "Usage: " : "用法: ") + command));
        EXPECT_THAT(help.out, HasSubstr((language == "en" ? "Examples:\n  " : "示例：\n  ") +
                                        program.name + " "));
      }
    }
  }
}

TEST_F(HelpTest, TheEnvironmentChoosesChineseAndLangOverridesIt) {
  setenv("LANG", "zh_CN.UTF-8", 1);
  const CommandResult chinese = RunCommand(ANDING_AGENT_BIN, {"report", "daily", "--help"});
  const CommandResult english =
      RunCommand(ANDING_AGENT_BIN, {"report", "daily", "--help", "--lang", "en"});
  const CommandResult hq_chinese = RunCommand(ANDING_CLI_BIN, {"funds", "transfer", "--help"});
  const CommandResult hq_english =
      RunCommand(ANDING_CLI_BIN, {"--lang", "en", "funds", "transfer", "--help"});
  unsetenv("LANG");
  EXPECT_THAT(hq_chinese.out, HasSubstr("用法: anding funds transfer"));
  EXPECT_THAT(hq_chinese.out, HasSubstr("从一个账户向另一个账户划拨资金"));
  EXPECT_THAT(hq_english.out, HasSubstr("move money from one account to another"));
  EXPECT_THAT(hq_english.out, Not(HasSubstr("划拨")));
  EXPECT_THAT(chinese.out, HasSubstr("报送风险预控日报告"));
  EXPECT_THAT(chinese.out, HasSubstr("零报告"));
  EXPECT_THAT(english.out, HasSubstr("file the daily risk report"));
  EXPECT_THAT(english.out, Not(HasSubstr("零报告")));
}

TEST_F(HelpTest, UsageErrorsExitTwoAndNameTheNearestOption) {
  const CommandResult typo = RunCommand(
      ANDING_AGENT_BIN, {"report", "early-warning", "--sumary", "x", "--category", "wages"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_THAT(typo.err, HasSubstr("unknown option --sumary; did you mean --summary?"));
  const CommandResult zh =
      RunCommand(ANDING_AGENT_BIN, {"--lang", "zh", "report", "expense", "--incident", "I",
                                    "--amount-yuan", "0.001", "--code", "transport"});
  EXPECT_EQ(zh.exit_code, 2);
  EXPECT_THAT(zh.err, HasSubstr("不是以元为单位、最多两位小数的金额：'0.001'"));
  const CommandResult range =
      RunCommand(ANDING_AGENT_BIN, {"report", "daily", "--zero", "--visit-persons", "2000000"});
  EXPECT_EQ(range.exit_code, 2);
  EXPECT_THAT(range.err, HasSubstr("--visit-persons"));
  const CommandResult time = RunCommand(ANDING_AGENT_BIN, {"report", "status", "--incident", "I",
                                                           "--step", "arrived", "--at", "now"});
  EXPECT_EQ(time.exit_code, 2);
  EXPECT_THAT(time.err, HasSubstr("--at"));
  const CommandResult language = RunCommand(ANDING_AGENT_BIN, {"--lang", "fr", "status"});
  EXPECT_EQ(language.exit_code, 2);
  // A script (stdin is not a terminal) is never asked: it fails at once.
  const CommandResult missing = RunCommand(ANDING_AGENT_BIN, {"report", "early-warning"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--summary, --category are required"));
  EXPECT_EQ(missing.out, "");
}

TEST_F(HelpTest, TheManualPagesNameEveryCommand) {
  for (const Program& program : Programs()) {
    for (const std::string dir : {"/man/man1/", "/man/zh_CN/man1/"}) {
      const std::string page = ReadFile(ANDING_DOCS_DIR + dir + program.name + ".1");
      ASSERT_FALSE(page.empty()) << program.name << dir;
      EXPECT_THAT(page, HasSubstr(".TH "));
      for (const std::string& command : Commands(program)) {
        if (command == program.name) continue;
        std::string roff;
        for (char c : command) roff += c == '-' ? std::string("\\-") : std::string(1, c);
        EXPECT_THAT(page, HasSubstr(".SS \"" + roff + "\"")) << dir;
      }
    }
  }
}

// The operator's command line checks what it is given before it needs a
// configuration or a dispatcher: nothing is sent, exit status 2.
TEST_F(HelpTest, TheOperatorsUsageErrorsExitTwoAndNameWhatIsWrong) {
  const CommandResult yuan =
      RunCommand(ANDING_CLI_BIN, {"funds", "transfer", "--from", "reserve/pool", "--to",
                                  "reserve/mine-3", "--amount", "0.001", "--reason", "r"});
  EXPECT_EQ(yuan.exit_code, 2);
  EXPECT_THAT(yuan.err, HasSubstr("--amount: not an amount in yuan with at most two decimals"));
  const CommandResult zh =
      RunCommand(ANDING_CLI_BIN, {"--lang", "zh", "funds", "top-up", "--unit", "mine-3", "--amount",
                                  "0.001", "--reason", "r"});
  EXPECT_EQ(zh.exit_code, 2);
  EXPECT_THAT(zh.err, HasSubstr("不是以元为单位、最多两位小数的金额：'0.001'"));
  const CommandResult both =
      RunCommand(ANDING_CLI_BIN, {"funds", "hold", "--account", "reserve/mine-3", "--amount", "1",
                                  "--amount-fen", "100", "--reason", "r"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_THAT(both.err, HasSubstr("--amount excludes --amount-fen"));
  const CommandResult time = RunCommand(
      ANDING_CLI_BIN, {"incident", "status", "INC-1", "--step", "arrived", "--at", "10:15"});
  EXPECT_EQ(time.exit_code, 2);
  EXPECT_THAT(time.err, HasSubstr("--at: not an RFC 3339 time: '10:15'"));
  const CommandResult day = RunCommand(ANDING_CLI_BIN, {"report", "daily", "--day", "2026-13-01"});
  EXPECT_EQ(day.exit_code, 2);
  EXPECT_THAT(day.err, HasSubstr("--day"));
  for (const std::string limit : {"0", "100001", "ten"}) {
    const CommandResult range = RunCommand(ANDING_CLI_BIN, {"events", "list", "--limit", limit});
    EXPECT_EQ(range.exit_code, 2) << limit;
    EXPECT_THAT(range.err, HasSubstr("--limit: must be a whole number from 1 to 100000")) << limit;
  }
  const CommandResult step =
      RunCommand(ANDING_CLI_BIN, {"incident", "status", "INC-1", "--step", "arived"});
  EXPECT_EQ(step.exit_code, 2);
  EXPECT_THAT(step.err, HasSubstr("--step: must be one of departed|arrived|settled"));
  const CommandResult typo = RunCommand(ANDING_CLI_BIN, {"ledger", "list", "--overdeu"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_THAT(typo.err, HasSubstr("unknown option --overdeu; did you mean --overdue?"));
  const CommandResult command = RunCommand(ANDING_CLI_BIN, {"funds", "trasnfer"});
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_THAT(command.err, HasSubstr("did you mean transfer?"));
  const CommandResult missing = RunCommand(ANDING_CLI_BIN, {"ledger", "show"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("ITEM_ID is required"));
  // `incident review` needs its incident; said before any configuration is read.
  const CommandResult review = RunCommand(ANDING_CLI_BIN, {"incident", "review"});
  EXPECT_EQ(review.exit_code, 2);
  EXPECT_THAT(review.err, HasSubstr("give the incident"));
  EXPECT_THAT(review.err, Not(HasSubstr("configuration")));
  // pdf is printed to a file: refused at once without one.
  const CommandResult pdf =
      RunCommand(ANDING_CLI_BIN, {"stats", "yearly", "--year", "2026", "--format", "pdf"});
  EXPECT_EQ(pdf.exit_code, 2);
  EXPECT_THAT(pdf.err, HasSubstr("--out"));
  // Well-formed, but there is no configuration to send it with.
  const CommandResult unconfigured = RunCommand(ANDING_CLI_BIN, {"status"});
  EXPECT_EQ(unconfigured.exit_code, 2);
  EXPECT_THAT(unconfigured.err, HasSubstr("no configuration"));
}

// What bash offers after `words` (the last one partial).
std::string Complete(const std::string& program, const std::vector<std::string>& words) {
  std::string function = "_" + program;
  for (char& c : function) {
    if (c == '-') c = '_';
  }
  std::string array;
  for (const auto& word : words) array += " '" + word + "'";
  const std::string script = "source '" + std::string(ANDING_DOCS_DIR) + "/bash-completion/" +
                             program + "'; COMP_WORDS=(" + program + array +
                             "); COMP_CWORD=" + std::to_string(words.size()) + "; " + function +
                             "; echo \"${COMPREPLY[@]}\"";
  const CommandResult result = RunCommand("/bin/bash", {"-c", script});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

TEST_F(HelpTest, BashCompletesCommandsOptionsAndValues) {
  EXPECT_EQ(Complete("anding-agent", {"rep"}), "report\n");
  EXPECT_EQ(Complete("anding-agent", {"report", "ear"}), "early-warning\n");
  EXPECT_EQ(Complete("anding-agent", {"report", "early-warning", "--lev"}), "--level\n");
  EXPECT_EQ(Complete("anding-agent", {"report", "early-warning", "--level", ""}),
            "low medium high critical\n");
  EXPECT_EQ(Complete("anding-agent", {"--config", "a.yaml", "report", "status", "--step", "ar"}),
            "arrived\n");
  EXPECT_THAT(Complete("anding-agent", {"led"}), HasSubstr("ledger"));
  EXPECT_THAT(Complete("anding-dispatcher", {"ver"}), HasSubstr("verify-backup"));
  EXPECT_EQ(Complete("anding", {"fu"}), "funds\n");
  EXPECT_EQ(Complete("anding", {"funds", "tr"}), "transfer\n");
  EXPECT_EQ(Complete("anding", {"funds", "transfer", "--amount-"}), "--amount-fen\n");
  EXPECT_EQ(Complete("anding", {"incident", "status", "INC-1", "--step", "se"}), "settled\n");
  EXPECT_EQ(Complete("anding", {"--config", "a.yaml", "stats", "ledger", "--by", ""}),
            "unit category\n");
}

}  // namespace
}  // namespace anding::testing

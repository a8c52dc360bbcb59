#include "anding/cmdline/validators.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "anding/cmdline/command_line.h"
#include "anding/cmdline/exit_codes.h"
#include "anding/cmdline/i18n.h"

namespace anding::cmdline {
namespace {

using ::testing::HasSubstr;

// A command with one of each validated option, parsed from `words`.
struct Parsed {
  int exit_code = -1;  // -1: parsed, the command would run
  std::string err;
};

Parsed Try(const std::vector<std::string>& words) {
  UseLanguage(Language::kEnglish, "anding-agent");
  auto program = NewProgram("test-cli", "a program for tests");
  CLI::App* report = AddCommand(*program, "report", "report something");
  SetExamples(*report, {"test-cli report --persons 3"});
  std::string persons, level, at, amount, wait;
  report->add_option("--persons", persons)->check(InRange(0, 1'000'000));
  OneOf(report->add_option("--level", level), {"low", "medium", "high", "critical"});
  report->add_option("--observed-at", at)->check(DayOrTime());
  report->add_option("--amount-yuan", amount)->check(Yuan());
  report->add_option("--wait", wait)->check(DurationText());
  std::ostringstream out, err;
  Parsed parsed;
  parsed.exit_code = Parse(*program, words, out, err).value_or(-1);
  parsed.err = err.str();
  return parsed;
}

TEST(ValidatorsTest, GoodValuesPass) {
  EXPECT_EQ(Try({"report", "--persons", "12", "--level", "high", "--observed-at", "2026-12-03",
                 "--amount-yuan", "3150.5", "--wait", "5s"})
                .exit_code,
            -1);
  EXPECT_EQ(Try({"report", "--observed-at", "2026-11-27T16:30:00+08:00"}).exit_code, -1);
}

TEST(ValidatorsTest, OutOfRangeIsBadUsage) {
  auto parsed = Try({"report", "--persons", "1000001"});
  EXPECT_EQ(parsed.exit_code, kExitUsage);
  EXPECT_THAT(parsed.err, HasSubstr("--persons"));
  EXPECT_THAT(parsed.err, HasSubstr("from 0 to 1000000"));
  EXPECT_EQ(Try({"report", "--persons", "-1"}).exit_code, kExitUsage);
  EXPECT_EQ(Try({"report", "--persons", "12abc"}).exit_code, kExitUsage);
}

TEST(ValidatorsTest, AnEnumerationNamesItsValues) {
  auto parsed = Try({"report", "--level", "severe"});
  EXPECT_EQ(parsed.exit_code, kExitUsage);
  EXPECT_THAT(parsed.err, HasSubstr("low|medium|high|critical"));
}

TEST(ValidatorsTest, AMalformedTimeIsBadUsage) {
  for (const char* bad : {"2026-13-01", "yesterday", "2026-11-27 16:30", "27.11.2026"}) {
    auto parsed = Try({"report", "--observed-at", bad});
    EXPECT_EQ(parsed.exit_code, kExitUsage) << bad;
    EXPECT_THAT(parsed.err, HasSubstr("--observed-at")) << bad;
  }
  EXPECT_EQ(Try({"report", "--wait", "soon"}).exit_code, kExitUsage);
}

TEST(ValidatorsTest, YuanHasAtMostTwoDecimals) {
  auto parsed = Try({"report", "--amount-yuan", "0.001"});
  EXPECT_EQ(parsed.exit_code, kExitUsage);
  EXPECT_THAT(parsed.err, HasSubstr("at most two decimals"));
  EXPECT_EQ(*ParseYuan("12.34"), 1234);
  EXPECT_EQ(*ParseYuan("12.3"), 1230);
  EXPECT_EQ(*ParseYuan("0.01"), 1);
  for (const char* bad : {"0.001", "12.345", "-1", "1,000", ".5", "", "1e3"}) {
    EXPECT_FALSE(ParseYuan(bad).ok()) << bad;
  }
}

TEST(ExitCodesTest, ByWhatTheCallerDoesNext) {
  EXPECT_EQ(ExitCodeFor(OkStatus()), kExitDone);
  EXPECT_EQ(ExitCodeFor(InvalidArgumentError("x")), kExitUsage);
  EXPECT_EQ(ExitCodeFor(UnavailableError("x")), kExitUnavailable);
  EXPECT_EQ(ExitCodeFor(DeadlineExceededError("x")), kExitUnavailable);
  EXPECT_EQ(ExitCodeFor(FailedPreconditionError("x")), kExitRefused);
  EXPECT_EQ(ExitCodeFor(NotFoundError("x")), kExitRefused);
}

}  // namespace
}  // namespace anding::cmdline

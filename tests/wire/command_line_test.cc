// What both command lines refuse before they parse or send anything.
#include "anding/wire/command_line.h"

#include <gtest/gtest.h>

namespace anding::wire {
namespace {

const std::string kBad = "\xe4\xb8";  // a Chinese character cut in half

TEST(CommandLineTest, ValidTextPasses) {
  EXPECT_TRUE(CheckCommandLineText({}).ok());
  EXPECT_TRUE(
      CheckCommandLineText({"report", "incident", "--summary", "三矿职工到省信访局", "--major"})
          .ok());
}

TEST(CommandLineTest, InvalidUtf8IsRefusedNamingTheOption) {
  Status status = CheckCommandLineText({"incident", "report", "--summary", kBad});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "--summary is not valid UTF-8");
  status = CheckCommandLineText({"incident", "report", "--address=省" + kBad});
  EXPECT_EQ(status.message(), "--address is not valid UTF-8");
  status = CheckCommandLineText({"ledger", "show", kBad});
  EXPECT_EQ(status.message(), "argument 3 is not valid UTF-8");
  status = CheckCommandLineText({"report", "--" + kBad, "x"});
  EXPECT_EQ(status.message(), "option 2 is not valid UTF-8");
  // Overlong forms and surrogates are not UTF-8 either.
  EXPECT_FALSE(CheckCommandLineText({"--text", "\xc0\xaf"}).ok());
  EXPECT_FALSE(CheckCommandLineText({"--text", "\xed\xa0\x80"}).ok());
}

}  // namespace
}  // namespace anding::wire

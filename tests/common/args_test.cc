#include "anding/common/args.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anding {
namespace {

using ::testing::HasSubstr;

TEST(ArgsTest, PositionalOptionsAndFlags) {
  Args args({"report", "early-warning", "--summary", "退休职工", "--persons=12", "--major",
             "--level", "high"});
  EXPECT_EQ(args.Positional(0), "report");
  EXPECT_EQ(args.Positional(1), "early-warning");
  EXPECT_EQ(args.Option("summary"), "退休职工");
  EXPECT_EQ(args.Int("persons"), 12);
  EXPECT_TRUE(args.Flag("major"));
  EXPECT_EQ(args.Required("level"), "high");
  EXPECT_FALSE(args.Flag("zero"));
  EXPECT_TRUE(args.Finish().ok());
}

TEST(ArgsTest, FlagFollowedByAWordLeavesTheWordPositional) {
  Args args({"orders", "--all", "extra"});
  EXPECT_TRUE(args.Flag("all"));
  EXPECT_EQ(args.Positional(1), "extra");
  EXPECT_TRUE(args.Finish().ok());
}

TEST(ArgsTest, RepeatedOptions) {
  Args args({"--finding", "a|b|1", "--finding", "c|d|2"});
  EXPECT_EQ(args.All("finding"), (std::vector<std::string>{"a|b|1", "c|d|2"}));
  EXPECT_TRUE(args.Finish().ok());
}

TEST(ArgsTest, ASingleValuedOptionGivenTwiceIsAnError) {
  // `--unit mine-3 … --unit mine-6`: which unit was meant?
  Args args({"orders", "send", "--unit", "mine-3", "--kib=4", "--unit", "mine-6", "--kib", "24"});
  EXPECT_EQ(args.Option("unit"), std::nullopt);
  EXPECT_EQ(args.Int("kib"), std::nullopt);
  const Status status = args.Finish();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("--unit is given more than once"));
  EXPECT_THAT(status.message(), HasSubstr("--kib is given more than once"));
}

// `--format pdf` becomes `--format html` for the parts that render, and an
// option nobody reads stays unknown: rewriting is not reading.
TEST(ArgsTest, RewritingAValueReadsNothing) {
  Args args({"stats", "visits", "--format", "pdf"});
  EXPECT_FALSE(args.Rewrite("format", "csv", "html"));
  EXPECT_TRUE(args.Rewrite("format", "pdf", "html"));
  EXPECT_THAT(args.Finish().message(), HasSubstr("unknown option --format"));
  EXPECT_EQ(args.Option("format"), "html");
  EXPECT_TRUE(args.Finish().ok());
  Args none({"agents", "list"});
  EXPECT_FALSE(none.Rewrite("format", "pdf", "html"));
  EXPECT_TRUE(none.Finish().ok());
}

TEST(ArgsTest, ErrorsAreCollected) {
  Args args({"--persons", "twelve", "--sumary", "x", "--wait", "soon", "--title"});
  (void)args.Int("persons");
  (void)args.DurationOption("wait");
  (void)args.Required("summary");
  (void)args.Option("title");
  const Status status = args.Finish();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("--persons must be a whole number"));
  EXPECT_THAT(status.message(), HasSubstr("unknown option --sumary"));
  EXPECT_THAT(status.message(), HasSubstr("--summary is required"));
  EXPECT_THAT(status.message(), HasSubstr("--wait: not a duration"));
  EXPECT_THAT(status.message(), HasSubstr("--title needs a value"));
}

}  // namespace
}  // namespace anding

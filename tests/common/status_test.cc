#include "anding/common/status.h"

#include <gtest/gtest.h>

namespace anding {
namespace {

Result<int> ParsePositive(int value) {
  if (value <= 0) return InvalidArgumentError("not positive");
  return value;
}

Result<int> Doubled(int value) {
  ANDING_ASSIGN_OR_RETURN(int parsed, ParsePositive(value));
  return parsed * 2;
}

Status CheckBoth(int a, int b) {
  ANDING_RETURN_IF_ERROR(ParsePositive(a).status());
  ANDING_RETURN_IF_ERROR(ParsePositive(b).status());
  return OkStatus();
}

TEST(StatusTest, AnnotateKeepsCodeAndPrefixesMessage) {
  const Status status = Annotate(NotFoundError("no such unit"), "loading config");
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "loading config: no such unit");
  EXPECT_TRUE(Annotate(OkStatus(), "anything").ok());
}

TEST(StatusTest, CodeNamesAreCanonical) {
  EXPECT_EQ(CodeName(StatusCode::kInvalidArgument), "INVALID_ARGUMENT");
  EXPECT_EQ(CodeName(StatusCode::kFailedPrecondition), "FAILED_PRECONDITION");
}

TEST(StatusTest, OnlyTransientCodesAreRetryable) {
  EXPECT_TRUE(IsRetryable(UnavailableError("disk busy")));
  EXPECT_TRUE(IsRetryable(DeadlineExceededError("slow")));
  EXPECT_EQ(CodeFromName("NOT_FOUND"), StatusCode::kNotFound);
  EXPECT_EQ(CodeFromName("nonsense"), StatusCode::kUnknown);
  EXPECT_FALSE(IsRetryable(InvalidArgumentError("bad")));
  EXPECT_FALSE(IsRetryable(FailedPreconditionError("closed")));
  EXPECT_FALSE(IsRetryable(OkStatus()));
}

TEST(StatusTest, MacrosPropagateErrorsAndValues) {
  EXPECT_EQ(*Doubled(21), 42);
  EXPECT_EQ(Doubled(-1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckBoth(1, 2).ok());
  EXPECT_EQ(CheckBoth(1, 0).message(), "not positive");
}

}  // namespace
}  // namespace anding

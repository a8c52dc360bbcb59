#include "anding/core/users/sessions.h"

#include <gtest/gtest.h>

#include "anding/common/clock.h"

namespace anding::core::users {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

const Time kStart = FromUnixMicros(1'780'000'000'000'000);

Session NewSession(std::string hash, std::string user, Time at) {
  return Session{std::move(hash), std::move(user), "csrf", at, at};
}

TEST(SessionBookTest, AnIdleSessionExpiresAndUseKeepsItAlive) {
  ManualClock clock(kStart);
  SessionBook book(minutes(30), hours(12));
  ASSERT_TRUE(book.Open(NewSession("h1", "zhang", clock.Now())).ok());
  clock.Advance(minutes(29));
  ASSERT_TRUE(book.Use("h1", clock.Now()).ok());
  clock.Advance(minutes(29));
  ASSERT_TRUE(book.Use("h1", clock.Now()).ok()) << "used 29 minutes ago";
  clock.Advance(minutes(30));
  const auto expired = book.Use("h1", clock.Now());
  EXPECT_EQ(expired.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(book.Use("h1", clock.Now()).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(book.size(), 0u);
}

TEST(SessionBookTest, ASessionEndsAtItsMaximumAgeHoweverBusy) {
  ManualClock clock(kStart);
  SessionBook book(minutes(30), hours(12));
  ASSERT_TRUE(book.Open(NewSession("h1", "zhang", clock.Now())).ok());
  for (int i = 0; i < 12 * 4 - 1; ++i) {
    clock.Advance(minutes(15));
    ASSERT_TRUE(book.Use("h1", clock.Now()).ok()) << i;
  }
  clock.Advance(minutes(15));
  EXPECT_EQ(book.Use("h1", clock.Now()).status().code(), StatusCode::kUnauthenticated);
}

TEST(SessionBookTest, LogoutDisableAndPurgeEndSessions) {
  ManualClock clock(kStart);
  SessionBook book(minutes(30), hours(12));
  ASSERT_TRUE(book.Open(NewSession("a1", "zhang", clock.Now())).ok());
  ASSERT_TRUE(book.Open(NewSession("a2", "zhang", clock.Now())).ok());
  ASSERT_TRUE(book.Open(NewSession("b1", "li", clock.Now())).ok());
  EXPECT_EQ(book.Open(NewSession("b1", "li", clock.Now())).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(book.CloseAllOf("zhang"), (std::vector<std::string>{"a1", "a2"}));
  EXPECT_FALSE(book.Use("a1", clock.Now()).ok());
  EXPECT_TRUE(book.Use("b1", clock.Now()).ok());
  EXPECT_TRUE(book.Close("b1").ok());
  EXPECT_EQ(book.Close("b1").code(), StatusCode::kNotFound);

  ASSERT_TRUE(book.Open(NewSession("c1", "wang", clock.Now())).ok());
  clock.Advance(minutes(20));
  ASSERT_TRUE(book.Open(NewSession("c2", "wang", clock.Now())).ok());
  clock.Advance(minutes(15));
  EXPECT_EQ(book.PurgeExpired(clock.Now()), (std::vector<std::string>{"c1"}));
  EXPECT_EQ(book.size(), 1u);
}

TEST(SessionBookTest, ExpiryIsTheEarlierOfIdleAndMaximum) {
  SessionBook book(minutes(30), hours(1));
  Session session = NewSession("h", "u", kStart);
  EXPECT_EQ(book.ExpiresAt(session), kStart + minutes(30));
  session.last_seen = kStart + minutes(50);
  EXPECT_EQ(book.ExpiresAt(session), kStart + hours(1));
}

}  // namespace
}  // namespace anding::core::users

#include "anding/common/shared_string.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "anding/common/strings.h"

namespace anding {
namespace {

TEST(SharedStringTest, ReadsAndComparesAsItsText) {
  const SharedString text(std::string("home-city-local: 1h"));
  EXPECT_EQ(text.str(), "home-city-local: 1h");
  EXPECT_EQ(text, "home-city-local: 1h");
  EXPECT_EQ(text, std::string("home-city-local: 1h"));
  EXPECT_EQ(text, std::string_view("home-city-local: 1h"));
  EXPECT_EQ(text, SharedString("home-city-local: 1h")) << "equal text, separate storage";
  EXPECT_FALSE(text.SharesWith(SharedString("home-city-local: 1h")));
  EXPECT_NE(text, SharedString("home-city-local: 2h"));
  EXPECT_LT(SharedString("a"), SharedString("b"));
  EXPECT_EQ(StrCat("(", text, ")"), "(home-city-local: 1h)");
  const std::string& as_string = text;
  EXPECT_EQ(as_string.size(), text.size());
}

TEST(SharedStringTest, EmptyHoldsNothing) {
  const SharedString none;
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(none, "");
  EXPECT_EQ(none, SharedString(std::string()));
  EXPECT_EQ(none.str(), std::string());
}

TEST(SharedStringTest, CopiesShareTheirText) {
  const SharedString text("deadline rule");
  SharedString copy = text;
  EXPECT_TRUE(copy.SharesWith(text));
  copy = SharedString("another rule");
  EXPECT_EQ(text, "deadline rule") << "assigning a copy leaves the original";
}

TEST(StringInternerTest, EqualTextsShareOneCopy) {
  StringInterner interner;
  const SharedString a = interner.Intern("home-city-local: home city incident → 1h");
  const SharedString b = interner.Intern(std::string("home-city-local: home city incident → 1h"));
  const SharedString c = interner.Intern("national-capital: → 6h");
  EXPECT_TRUE(a.SharesWith(b));
  EXPECT_EQ(a, b);
  EXPECT_FALSE(a.SharesWith(c));
  EXPECT_NE(a, c);
  EXPECT_EQ(interner.size(), 2u);
  // An unshared value of the same text compares equal to the interned one
  // and interns to it.
  const SharedString loaded(std::string(a.str()));
  EXPECT_EQ(loaded, a);
  EXPECT_TRUE(interner.Intern(loaded).SharesWith(a));
  EXPECT_EQ(interner.size(), 2u);
}

TEST(StringInternerTest, CopiesOutliveTheInternerAndCrossThreads) {
  SharedString kept;
  {
    StringInterner interner;
    kept = interner.Intern("rule text");
  }
  EXPECT_EQ(kept, "rule text");
  std::thread reader([copy = kept] { EXPECT_EQ(copy.size(), 9u); });
  reader.join();
}

}  // namespace
}  // namespace anding

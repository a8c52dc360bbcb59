#include "anding/agent/import_ids.h"

#include <gtest/gtest.h>

#include "anding/common/ids.h"

namespace anding::agent {
namespace {

TEST(ImportIdsTest, Sha256OfAKnownText) {
  std::string hex;
  for (unsigned char c : Sha256("abc")) {
    static const char* digits = "0123456789abcdef";
    hex += digits[c >> 4];
    hex += digits[c & 15];
  }
  EXPECT_EQ(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ImportIdsTest, AnIdIsACanonicalVersion8UuidThatDependsOnFileLineAndNumber) {
  const std::string file = Sha256("line one\nline two\n");
  const std::string id = ImportMessageId(file, 1, "line one");
  EXPECT_TRUE(IsCanonicalUuid(id)) << id;
  EXPECT_EQ(id[14], '8');                                          // version
  EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);  // RFC 9562 variant
  EXPECT_EQ(UuidV7Millis(id), -1);
  EXPECT_EQ(ImportMessageId(file, 1, "line one"), id);  // a re-run gives the same id
  EXPECT_NE(ImportMessageId(file, 2, "line one"), id);  // the same text on another line
  EXPECT_NE(ImportMessageId(file, 1, "line 1"), id);
  EXPECT_NE(ImportMessageId(Sha256("another file\n"), 1, "line one"), id);
}

}  // namespace
}  // namespace anding::agent

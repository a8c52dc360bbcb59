// The visit register: validation, repeat detection (window inside,
// outside, on the boundary; explicit link; the group's identity).
#include <gtest/gtest.h>

#include "core/visits/fixture.h"

namespace anding::core::visits {
namespace {

using testing::At;
using testing::AVisit;
using testing::Day;
using testing::MakeOrg;

const Actor kLi = Actor::Operator("li");

class RegisterTest : public ::testing::Test {
 protected:
  Result<Visit> Record(const VisitRequest& request) {
    Effects out;
    auto visit = register_.RecordVisit(request, kLi, now_, out);
    if (visit.ok()) {
      EXPECT_EQ(out.changed, (std::vector<RecordRef>{{"visit", visit->id}}));
      EXPECT_EQ(out.notices.size(), 1u);
    } else {
      EXPECT_TRUE(out.empty());
    }
    return visit;
  }

  Organisation org_ = MakeOrg();
  VisitsConfig config_;  // window 90 days
  VisitRegister register_{config_, org_};
  Time now_ = At("2026-12-31T20:00:00+08:00");
};

TEST_F(RegisterTest, RecordsAVisitWithDefaults) {
  VisitRequest request = AVisit("2026-12-01");
  request.persons = 6;
  request.channel = Channel::kLetter;
  request.destination = DestinationLevel::kBeijing;
  auto visit = Record(request);
  ASSERT_TRUE(visit.ok()) << visit.status();
  EXPECT_EQ(visit->id, "V-000001");
  EXPECT_TRUE(visit->collective) << "6 persons is at least collective_min_persons (5)";
  EXPECT_EQ(visit->recorded_by, "operator:li");
  EXPECT_EQ(visit->repeat_of, "");
  request.persons = 4;
  auto small = Record(request);
  ASSERT_TRUE(small.ok());
  EXPECT_FALSE(small->collective);
  request.collective = true;
  EXPECT_TRUE(Record(request)->collective) << "an explicit answer wins";
}

TEST_F(RegisterTest, RefusesBadInputNamingTheField) {
  auto unknown_unit = Record(AVisit("2026-12-01", "mine-9"));
  EXPECT_EQ(unknown_unit.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown_unit.status().message().find("unit_id"), std::string::npos);
  auto unknown_category = Record(AVisit("2026-12-01", "mine-1", "weather"));
  EXPECT_NE(unknown_category.status().message().find("category_id"), std::string::npos);
  // Tomorrow in Shanghai (now is 20:00 on 31 December local).
  auto future = Record(AVisit("2027-01-01"));
  EXPECT_NE(future.status().message().find("after today"), std::string::npos);
  VisitRequest fewer = AVisit("2026-12-01");
  fewer.batches = 3;
  fewer.persons = 2;
  EXPECT_NE(Record(fewer).status().message().find("persons"), std::string::npos);
  fewer.batches = 0;
  EXPECT_NE(Record(fewer).status().message().find("batches"), std::string::npos);
  VisitRequest link = AVisit("2026-12-01");
  link.repeat_of = "V-000099";
  EXPECT_EQ(Record(link).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(register_.state().visits.empty());
  EXPECT_EQ(register_.state().next_visit, 1);
  // Uncategorised visits are kept (agents may not know the category).
  EXPECT_TRUE(Record(AVisit("2026-12-01", "mine-1", "")).ok());
}

TEST_F(RegisterTest, RepeatWithinTheWindowInsideOnTheBoundaryAndOutside) {
  auto first = Record(AVisit("2026-09-01", "mine-1", "retiree-management", "王某", "13800000001"));
  ASSERT_TRUE(first.ok());
  // 90 days after 1 September is 30 November: on the boundary, a repeat.
  auto boundary =
      Record(AVisit("2026-11-30", "mine-1", "retiree-management", "王某", "13800000001"));
  ASSERT_TRUE(boundary.ok());
  EXPECT_EQ(boundary->repeat_of, first->id);
  EXPECT_EQ(boundary->repeat_basis, "window");
  // Inside: links to the most recent visit of the group.
  auto inside = Record(AVisit("2026-12-10", "mine-1", "retiree-management", "王某", "13800000001"));
  EXPECT_EQ(inside->repeat_of, boundary->id);
  // Outside: 91 days after the group's last visit on 10 December would be
  // 11 March; a group seen only on 1 September is 91 days away on 1 December.
  VisitsConfig config;
  VisitRegister fresh(config, org_);
  Effects out;
  ASSERT_TRUE(
      fresh.RecordVisit(AVisit("2026-09-01", "mine-2", "other", "赵某"), kLi, now_, out).ok());
  auto outside = fresh.RecordVisit(AVisit("2026-12-01", "mine-2", "other", "赵某"), kLi, now_, out);
  ASSERT_TRUE(outside.ok());
  EXPECT_EQ(outside->repeat_of, "") << "91 days is outside a 90-day window";
}

TEST_F(RegisterTest, TheGroupIsUnitCategoryAndRepresentative) {
  ASSERT_TRUE(Record(AVisit("2026-12-01", "mine-1", "retiree-management", "王某", "138")).ok());
  EXPECT_EQ(Record(AVisit("2026-12-02", "mine-2", "retiree-management", "王某", "138"))->repeat_of,
            "")
      << "another unit";
  EXPECT_EQ(Record(AVisit("2026-12-02", "mine-1", "other", "王某", "138"))->repeat_of, "")
      << "another category";
  EXPECT_EQ(Record(AVisit("2026-12-02", "mine-1", "retiree-management", "王某", "139"))->repeat_of,
            "")
      << "same name, another contact: another person";
  EXPECT_EQ(Record(AVisit("2026-12-03", "mine-1", "retiree-management", "王某", ""))->repeat_of,
            "V-000004")
      << "no contact: matched by name";
  EXPECT_EQ(Record(AVisit("2026-12-04", "mine-1", "retiree-management", "", ""))->repeat_of, "")
      << "an anonymous visit is never a repeat by window";
}

TEST_F(RegisterTest, AnExplicitLinkIgnoresTheWindow) {
  auto first = Record(AVisit("2025-01-01", "mine-3", "other"));
  VisitRequest later = AVisit("2026-12-01", "mine-1", "retiree-management");
  later.repeat_of = first->id;
  auto linked = Record(later);
  ASSERT_TRUE(linked.ok());
  EXPECT_EQ(linked->repeat_of, first->id);
  EXPECT_EQ(linked->repeat_basis, "link");
  VisitRequest backwards = AVisit("2024-12-01");
  backwards.repeat_of = linked->id;
  EXPECT_EQ(Record(backwards).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(RegisterTest, ChangesAndRestoreRoundTrip) {
  ASSERT_TRUE(Record(AVisit("2026-12-01", "mine-1", "other", "甲")).ok());
  ASSERT_TRUE(Record(AVisit("2026-12-02", "mine-1", "other", "甲")).ok());
  auto changes = register_.Changes({{"visit", "V-000002"}, {"incident", "I-1"}});
  ASSERT_TRUE(changes.ok());
  EXPECT_EQ(changes->visits.size(), 1u);
  EXPECT_EQ(register_.Changes({{"visit", "V-000003"}}).status().code(), StatusCode::kInternal);
  auto restored = VisitRegister::Restore(config_, org_, register_.state());
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(restored->state(), register_.state());
  VisitsState broken = register_.state();
  broken.next_visit = 2;
  EXPECT_EQ(VisitRegister::Restore(config_, org_, broken).status().code(), StatusCode::kDataLoss);
  broken = register_.state();
  broken.visits.erase("V-000001");
  EXPECT_EQ(VisitRegister::Restore(config_, org_, broken).status().code(), StatusCode::kDataLoss);
}

// Repeats are found among the group's visits in the window however many
// other visits there are, recorded out of day order, or restored after a
// restart.
TEST_F(RegisterTest, RepeatsAreFoundAmongManyVisitsAndAfterARestore) {
  for (int i = 0; i < 2000; ++i) {
    ASSERT_TRUE(Record(AVisit("2026-11-15", "mine-2", "other", "", "")).ok());
  }
  auto late_entry = Record(AVisit("2026-11-20", "mine-1", "other", "甲"));
  auto early_entry = Record(AVisit("2026-11-10", "mine-1", "other", "甲"));
  ASSERT_TRUE(late_entry.ok() && early_entry.ok());
  EXPECT_EQ(early_entry->repeat_of, "") << "no earlier visit of the group";
  auto restored = VisitRegister::Restore(config_, org_, register_.state());
  ASSERT_TRUE(restored.ok());
  Effects out;
  auto next = restored->RecordVisit(AVisit("2026-11-25", "mine-1", "other", "甲"), kLi, now_, out);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->repeat_of, late_entry->id) << "the group's most recent visit by day";
  auto between =
      restored->RecordVisit(AVisit("2026-11-12", "mine-1", "other", "甲"), kLi, now_, out);
  ASSERT_TRUE(between.ok());
  EXPECT_EQ(between->repeat_of, early_entry->id);
}

}  // namespace
}  // namespace anding::core::visits

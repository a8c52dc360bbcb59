// The unit leaders who go with another unit's team are resources like
// team members: held while proposed or sent, never on two incidents, free
// again when the incident is settled or cancelled or the assignment ends,
// and held again after a restart.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "anding/core/dispatch/dispatch_module.h"
#include "core/dispatch/test_world.h"

namespace anding::core::dispatch {
namespace {

using std::chrono::minutes;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Hq;
using testing::Report;
using testing::T0;
using testing::World;

std::vector<std::string> LeaderNames(const Assignment& a) {
  std::vector<std::string> names;
  for (const auto& person : a.accompanying_leaders) names.push_back(person.name);
  return names;
}

class LeadersTest : public ::testing::Test {
 protected:
  // mine-1's own team has no leader on duty, so every mine-1 incident gets
  // another unit's team, and mine-1's leaders (矿长甲, 书记乙) go with it.
  LeadersTest() {
    module_ = world_.Make();
    Effects out;
    EXPECT_TRUE(
        module_->SetAvailability({ResourceKind::kMember, "m1-l1", false, "病假"}, Hq(), T0(), out)
            .ok());
  }

  std::string Mine1Incident(Time now) {
    Effects out;
    auto id = module_->ReportIncident(Report("hebi", {"mine-1"}, 10), Hq(), now, out);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.ok() ? *id : "";
  }
  const Assignment& Active(const std::string& id) {
    const Assignment* a = ActiveAssignment(*module_->FindIncident(id), "mine-1");
    EXPECT_NE(a, nullptr);
    static const Assignment kNone;
    return a == nullptr ? kNone : *a;
  }

  World world_;
  std::unique_ptr<DispatchModule> module_;
};

TEST_F(LeadersTest, ALeaderIsNeverProposedForTwoIncidents) {
  const std::string first = Mine1Incident(T0());
  EXPECT_TRUE(Active(first).fallback);
  EXPECT_THAT(LeaderNames(Active(first)), ElementsAre("矿长甲", "书记乙"));

  // Both leaders are on the first incident: the second gets a team, but no
  // leader of mine-1, and the explanation says where they are.
  const std::string second = Mine1Incident(T0() + minutes(5));
  const Assignment& a = Active(second);
  EXPECT_TRUE(a.fallback);
  EXPECT_NE(a.team_id, Active(first).team_id);
  EXPECT_TRUE(a.accompanying_leaders.empty());
  EXPECT_THAT(a.explanation.reasons, Contains(HasSubstr("no leader of mine-1 is free")));
  EXPECT_THAT(a.explanation.reasons,
              Contains(HasSubstr(StrCat("leader 矿长甲 of mine-1 is on ", first))));
  EXPECT_THAT(a.explanation.reasons,
              Contains(HasSubstr(StrCat("leader 书记乙 of mine-1 is on ", first))));
}

TEST_F(LeadersTest, LeadersComeFreeWhenTheirIncidentEnds) {
  const std::string first = Mine1Incident(T0());
  Effects out;
  ASSERT_TRUE(module_->Cancel({first, "误报"}, Hq(), T0() + minutes(1), out).ok());
  const std::string second = Mine1Incident(T0() + minutes(2));
  EXPECT_THAT(LeaderNames(Active(second)), ElementsAre("矿长甲", "书记乙"));

  // Settled: the teams and the leaders go home.
  ASSERT_TRUE(module_->Confirm({second, "mine-1"}, Hq(), T0() + minutes(3), out).ok());
  StatusUpdateRequest step;
  step.incident_id = second;
  step.step = IncidentStep::kArrived;
  ASSERT_TRUE(module_->UpdateStatus(step, Hq(), T0() + minutes(40), out).ok());
  step.step = IncidentStep::kSettled;
  ASSERT_TRUE(module_->UpdateStatus(step, Hq(), T0() + minutes(50), out).ok());
  const std::string third = Mine1Incident(T0() + minutes(55));
  EXPECT_THAT(LeaderNames(Active(third)), ElementsAre("矿长甲", "书记乙"));
}

TEST_F(LeadersTest, AnOverrideKeepsTheLeadersOfTheAssignmentItReplaces) {
  const std::string first = Mine1Incident(T0());
  OverrideRequest request{first, "mine-1", "team-m2", {}, {}, "就近"};
  Effects out;
  ASSERT_TRUE(module_->Override(request, Hq(), T0() + minutes(1), out).ok());
  const Assignment& a = Active(first);
  EXPECT_EQ(a.team_id, "team-m2");
  EXPECT_THAT(LeaderNames(a), ElementsAre("矿长甲", "书记乙"));
  // And they are still held: a new incident gets none.
  const std::string second = Mine1Incident(T0() + minutes(2));
  EXPECT_TRUE(Active(second).accompanying_leaders.empty());
}

TEST_F(LeadersTest, ARestoredModuleHoldsTheLeadersAgain) {
  const std::string first = Mine1Incident(T0());
  auto restored = DispatchModule::Restore(world_.config, world_.org, module_->Snapshot());
  ASSERT_TRUE(restored.ok()) << restored.status();
  module_ = std::move(*restored);
  const std::string second = Mine1Incident(T0() + minutes(5));
  EXPECT_TRUE(Active(second).accompanying_leaders.empty());
  EXPECT_THAT(Active(second).explanation.reasons,
              Contains(HasSubstr(StrCat("leader 矿长甲 of mine-1 is on ", first))));
}

}  // namespace
}  // namespace anding::core::dispatch

// Cancelling an incident reported in error: orders withdrawn the way a
// reassignment withdraws them, resources freed, deadlines stopped, the
// incident kept as cancelled; and every refusal changes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <variant>

#include "anding/core/dispatch/dispatch_module.h"
#include "core/dispatch/test_world.h"

namespace anding::core::dispatch {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using ::testing::HasSubstr;
using testing::Hq;
using testing::Report;
using testing::T0;
using testing::World;

class CancelTest : public ::testing::Test {
 protected:
  CancelTest() {
    world_.config.auto_confirm = true;
    module_ = world_.Make();
  }

  // A Hebi incident at mine-1, its team-m1 confirmed: state dispatched.
  std::string Dispatched() {
    Effects out;
    auto id = module_->ReportIncident(Report("hebi", {"mine-1"}), Hq(), T0(), out);
    EXPECT_TRUE(id.ok()) << id.status();
    EXPECT_EQ(module_->FindIncident(*id)->state, IncidentState::kDispatched);
    return *id;
  }

  Status Cancel(const std::string& id, std::string reason, Time now, const Actor& who = Hq()) {
    Effects out;
    const Status status = module_->Cancel({id, std::move(reason)}, who, now, out);
    last_ = std::move(out);
    return status;
  }

  template <typename Event>
  size_t CountEvents(const Effects& effects) const {
    size_t n = 0;
    for (const auto& event : effects.events) n += std::holds_alternative<Event>(event) ? 1 : 0;
    return n;
  }

  World world_;
  std::unique_ptr<DispatchModule> module_;
  Effects last_;
};

TEST_F(CancelTest, WithdrawsTheOrdersStopsTheClockAndKeepsTheRecord) {
  const std::string id = Dispatched();
  ASSERT_NE(module_->NextWakeup(), Time::max());  // the deadline is watched
  ASSERT_TRUE(Cancel(id, "误报：实为正常来访", T0() + minutes(10)).ok());

  const Incident& incident = *module_->FindIncident(id);
  EXPECT_EQ(incident.state, IncidentState::kCancelled);
  ASSERT_EQ(incident.assignments.size(), 1u);
  const Assignment& withdrawn = incident.assignments[0];
  EXPECT_EQ(withdrawn.state, AssignmentState::kWithdrawn);
  EXPECT_EQ(withdrawn.ended_at, T0() + minutes(10));
  EXPECT_THAT(withdrawn.end_reason, HasSubstr("误报"));
  EXPECT_EQ(incident.timeline.back().event, "cancelled");
  EXPECT_THAT(incident.timeline.back().text, HasSubstr("误报"));

  // The unit's agent is told to stand down, its people by SMS, and the
  // funds hear of the withdrawn dispatch and of the cancelled incident.
  ASSERT_EQ(last_.orders.size(), 1u);
  EXPECT_EQ(last_.orders[0].unit_id, "mine-1");
  EXPECT_EQ(last_.orders[0].kind, OrderKind::kNotice);
  EXPECT_THAT(last_.orders[0].title, HasSubstr("取消出警"));
  EXPECT_THAT(last_.orders[0].text, HasSubstr("误报"));
  ASSERT_EQ(last_.notifications.size(), 1u);
  EXPECT_EQ(last_.notifications[0].template_id, "dispatch_cancelled");
  EXPECT_EQ(CountEvents<DispatchCancelled>(last_), 1u);
  ASSERT_EQ(CountEvents<IncidentCancelled>(last_), 1u);
  EXPECT_EQ(std::get<IncidentCancelled>(last_.events.back()).incident_id, id);
  EXPECT_THAT(last_.changed, ::testing::Contains(RecordRef{"incident", id}));
  EXPECT_EQ(last_.notices.back().state, "cancelled");

  // No more deadline work: no warning, no breach, ever.
  EXPECT_EQ(module_->NextWakeup(), Time::max());
  Effects later;
  module_->Tick(T0() + hours(5), later);
  EXPECT_TRUE(later.empty());

  // Its team is free for the next incident; the cancelled one stays listed
  // but is not open.
  Effects next;
  auto second = module_->ReportIncident(Report("hebi", {"mine-1"}), Hq(), T0() + minutes(20), next);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(module_->FindIncident(*second)->assignments[0].team_id, "team-m1");
  IncidentFilter all;
  EXPECT_EQ(module_->ListIncidents(all).size(), 2u);
  IncidentFilter open;
  open.open_only = true;
  ASSERT_EQ(module_->ListIncidents(open).size(), 1u);
  EXPECT_EQ(module_->ListIncidents(open)[0]->id, *second);
  IncidentFilter cancelled;
  cancelled.states = {IncidentState::kCancelled};
  ASSERT_EQ(module_->ListIncidents(cancelled).size(), 1u);
  EXPECT_EQ(module_->ListIncidents(cancelled)[0]->id, id);
}

TEST_F(CancelTest, AProposalNotYetConfirmedIsWithdrawnWithoutOrders) {
  world_.config.auto_confirm = false;
  module_ = world_.Make();
  Effects out;
  const std::string id = *module_->ReportIncident(Report("hebi", {"mine-1"}), Hq(), T0(), out);
  ASSERT_EQ(module_->FindIncident(id)->assignments[0].state, AssignmentState::kProposed);
  ASSERT_TRUE(Cancel(id, "重复报告", T0() + minutes(1)).ok());
  EXPECT_EQ(module_->FindIncident(id)->assignments[0].state, AssignmentState::kWithdrawn);
  EXPECT_TRUE(last_.orders.empty());  // nobody was told to go
  EXPECT_EQ(CountEvents<DispatchCancelled>(last_), 0u);
  EXPECT_EQ(CountEvents<IncidentCancelled>(last_), 1u);
}

TEST_F(CancelTest, RefusalsChangeNothing) {
  const std::string id = Dispatched();
  const auto before = module_->Snapshot();
  EXPECT_EQ(Cancel(id, "  ", T0()).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Cancel(id, "误报", T0(), Actor::Agent("mine-1")).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Cancel("INC-20261127-999", "误报", T0()).code(), StatusCode::kNotFound);
  EXPECT_TRUE(last_.empty());
  EXPECT_EQ(module_->Snapshot(), before);

  // Once settled the petition happened: it is not cancelled but closed.
  Effects out;
  StatusUpdateRequest step;
  step.incident_id = id;
  step.step = IncidentStep::kArrived;
  ASSERT_TRUE(module_->UpdateStatus(step, Hq(), T0() + minutes(30), out).ok());
  step.step = IncidentStep::kSettled;
  ASSERT_TRUE(module_->UpdateStatus(step, Hq(), T0() + minutes(40), out).ok());
  const auto settled = module_->Snapshot();
  const Status refused = Cancel(id, "误报", T0() + minutes(50));
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.message(), HasSubstr("settled"));
  EXPECT_EQ(module_->Snapshot(), settled);

  // Cancelled is final: no second cancellation, no steps.
  const std::string other = Dispatched();
  ASSERT_TRUE(Cancel(other, "误报", T0() + minutes(5)).ok());
  EXPECT_EQ(Cancel(other, "误报", T0() + minutes(6)).code(), StatusCode::kFailedPrecondition);
  step.incident_id = other;
  step.step = IncidentStep::kArrived;
  EXPECT_EQ(module_->UpdateStatus(step, Hq(), T0() + minutes(7), out).code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(CancelTest, ARestoredModuleKeepsItCancelledAndUnwatched) {
  const std::string id = Dispatched();
  ASSERT_TRUE(Cancel(id, "误报", T0() + minutes(10)).ok());
  auto restored = DispatchModule::Restore(world_.config, world_.org, module_->Snapshot());
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ((*restored)->FindIncident(id)->state, IncidentState::kCancelled);
  EXPECT_EQ((*restored)->NextWakeup(), Time::max());
  IncidentFilter open;
  open.open_only = true;
  EXPECT_TRUE((*restored)->ListIncidents(open).empty());
  EXPECT_EQ((*restored)->Snapshot(), module_->Snapshot());
}

}  // namespace
}  // namespace anding::core::dispatch

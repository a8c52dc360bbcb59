// Ledger items: registration, every transition (legal and illegal), the
// close-out gate, deadline extension, permissions and the audit history.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/ledger/fixture.h"

namespace anding::core::ledger {
namespace {

using std::chrono::hours;
using testing::At;
using ::testing::HasSubstr;
using testing::SampleRegistration;

class ItemsTest : public testing::LedgerFixture {
 protected:
  // Asserts that a failing command changed nothing.
  template <typename Command>
  Status ExpectNoChange(Command command) {
    const LedgerSnapshot before = ledger->Snapshot();
    Effects out;
    Status status = command(out);
    EXPECT_FALSE(status.ok());
    EXPECT_TRUE(out.empty()) << "effects appended by a failed command";
    EXPECT_EQ(ledger->Snapshot(), before) << "state changed by a failed command";
    return status;
  }

  std::vector<std::string> StateChanges(const std::string& id) const {
    std::vector<std::string> moves;
    for (const HistoryEntry& entry : ledger->FindItem(id)->history) {
      for (const FieldChange& change : entry.changes) {
        if (change.field == "state") moves.push_back(change.before + ">" + change.after);
      }
    }
    return moves;
  }
};

TEST_F(ItemsTest, RegisterAssignsDeterministicIdsAndDerivesTheLeadDepartment) {
  Effects out;
  RegisterItemRequest request = SampleRegistration("labour-contract-compensation");
  auto first = ledger->Register(request, Actor::Agent("mine-1"), t0, out);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, "TZ-2026-0001");
  const LedgerItem* item = ledger->FindItem(*first);
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->unit_id, "mine-1");  // from the agent, not the request
  EXPECT_EQ(item->lead_department, "人力资源部");
  EXPECT_EQ(item->state, ItemState::kRegistered);
  EXPECT_EQ(item->deadline, t0 + hours(24 * 30));  // the configured default
  EXPECT_EQ(item->registered_by, Actor::Agent("mine-1"));
  ASSERT_EQ(item->history.size(), 1u);
  EXPECT_EQ(item->history[0].action, kActionRegistered);
  EXPECT_EQ(out.changed,
            (std::vector<RecordRef>{{"ledger_item", "TZ-2026-0001"}, {"ledger_meta", "ledger"}}));
  ASSERT_EQ(out.notices.size(), 1u);
  EXPECT_EQ(out.notices[0].state, "registered");
  EXPECT_THAT(out.notices[0].summary, HasSubstr("一矿"));

  // An explicit lead department wins; HQ may register for any unit.
  request.lead_department = "信访办公室";
  request.unit_id = "mine-2";
  auto second = ledger->Register(request, Actor::Operator("zhang"), t0, out);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*second, "TZ-2026-0002");
  EXPECT_EQ(ledger->FindItem(*second)->unit_id, "mine-2");
  EXPECT_EQ(ledger->FindItem(*second)->lead_department, "信访办公室");
}

TEST_F(ItemsTest, IdsFollowTheLocalYear) {
  // 16:30Z on 31 December is already 1 January 2027 in Shanghai.
  EXPECT_EQ(Register(At("2026-12-31T15:59:00Z")), "TZ-2026-0001");
  EXPECT_EQ(Register(At("2026-12-31T16:30:00Z")), "TZ-2027-0001");
  EXPECT_EQ(Register(At("2027-01-02T00:00:00Z")), "TZ-2027-0002");
}

TEST_F(ItemsTest, RegistrationRejectsBadInputAndChangesNothing) {
  auto attempt = [&](RegisterItemRequest request, const Actor& who) {
    return ExpectNoChange(
        [&](Effects& out) { return ledger->Register(request, who, t0, out).status(); });
  };
  const Actor agent = Actor::Agent("mine-1");
  RegisterItemRequest r = SampleRegistration();
  r.category_id = "weather";
  EXPECT_EQ(attempt(r, agent).code(), StatusCode::kInvalidArgument);
  r = SampleRegistration();
  r.description = "  ";
  EXPECT_EQ(attempt(r, agent).code(), StatusCode::kInvalidArgument);
  r = SampleRegistration();
  r.level.reset();
  EXPECT_THAT(attempt(r, agent).message(), HasSubstr("level is required"));
  r = SampleRegistration();
  r.responsible_leader.name.clear();
  EXPECT_THAT(attempt(r, agent).message(), HasSubstr("responsible_leader.name is required"));
  r = SampleRegistration();
  r.responsible_person.phone = "13800000000";
  EXPECT_THAT(attempt(r, agent).message(), HasSubstr("E.164"));
  r = SampleRegistration();
  r.deadline = t0;
  EXPECT_THAT(attempt(r, agent).message(), HasSubstr("not in the future"));
  r = SampleRegistration();
  r.description = std::string("\xff\xfe", 2);
  EXPECT_THAT(attempt(r, agent).message(), HasSubstr("not valid UTF-8"));
  // Operators must name a known unit.
  r = SampleRegistration();
  EXPECT_THAT(attempt(r, Actor::Operator("zhang")).message(), HasSubstr("unit_id is required"));
  r.unit_id = "mine-9";
  EXPECT_THAT(attempt(r, Actor::Operator("zhang")).message(), HasSubstr("unknown unit"));
  // An agent speaks only for its own unit; SMS never changes the ledger.
  r.unit_id = "mine-2";
  EXPECT_EQ(attempt(r, agent).code(), StatusCode::kPermissionDenied);
  r.unit_id.clear();
  EXPECT_EQ(attempt(r, Actor::Sms("+8613800000001")).code(), StatusCode::kPermissionDenied);
}

TEST(FieldsOfTest, CopiesEveryFieldButTheLogs) {
  LedgerItem item;
  item.id = "TZ-2026-0007";
  item.unit_id = "mine-1";
  item.category_id = "retiree-management";
  item.description = "退休待遇";
  item.persons = 12;
  item.key_persons = {"张某"};
  item.level = RiskLevel::kHigh;
  item.responsible_leader = Person{"王矿长", "+8613800000001", "矿长"};
  item.responsible_person = Person{"李干事", "+8613800000002", "信访员"};
  item.lead_department = "人力资源部";
  item.measures = "走访";
  item.deadline = At("2026-04-01T00:00:00Z");
  item.state = ItemState::kReopened;
  item.resolution = "补发";
  item.confirmed_by_leader = "王矿长";
  item.confirmed_at = At("2026-03-10T00:00:00Z");
  item.source = ItemSource::kEarlyWarning;
  item.source_ref = "YJ-2026-0001";
  item.registered_at = At("2026-03-01T00:00:00Z");
  item.registered_by = Actor::Agent("mine-1");
  item.updated_at = At("2026-03-12T00:00:00Z");
  item.last_activity_at = At("2026-03-11T00:00:00Z");
  item.resolved_at = At("2026-03-09T00:00:00Z");
  item.closed_out_at = At("2026-03-10T00:00:00Z");
  item.reopened_at = At("2026-03-11T00:00:00Z");
  item.reopen_count = 1;
  item.overdue_notified_day = CivilDay(2026, 3, 12);
  LedgerItem expected = item;
  item.warning_ids = {"YJ-2026-0001"};
  item.updates.push_back(ProgressUpdate{item.updated_at, Actor::Agent("mine-1"), "李干事", "走访"});
  item.history.push_back(
      HistoryEntry{item.registered_at, Actor::Agent("mine-1"), "registered", {}, "", ""});
  EXPECT_EQ(FieldsOf(item), expected);
}

TEST(TransitionTableTest, OnlyTheDocumentedMovesAreLegal) {
  using S = ItemState;
  const S all[] = {S::kRegistered, S::kInProgress, S::kResolved, S::kClosedOut, S::kReopened};
  const std::set<std::pair<S, S>> legal = {
      {S::kRegistered, S::kInProgress}, {S::kInProgress, S::kResolved},
      {S::kResolved, S::kInProgress},   {S::kResolved, S::kClosedOut},
      {S::kClosedOut, S::kReopened},    {S::kReopened, S::kInProgress}};
  for (S from : all) {
    for (S to : all) {
      EXPECT_EQ(IsLegalTransition(from, to), legal.count({from, to}) == 1)
          << ItemStateName(from) << " -> " << ItemStateName(to);
    }
  }
  EXPECT_TRUE(IsSupervised(S::kRegistered));
  EXPECT_TRUE(IsSupervised(S::kReopened));
  EXPECT_FALSE(IsSupervised(S::kResolved));
  EXPECT_FALSE(IsSupervised(S::kClosedOut));
}

TEST_F(ItemsTest, FullLifecycleWithRebound) {
  const std::string id = Register(t0);
  ASSERT_TRUE(Progress(id, t0 + hours(1)).ok());
  EXPECT_EQ(StateOf(id), ItemState::kInProgress);
  ASSERT_TRUE(Progress(id, t0 + hours(2), "再次走访").ok());  // stays in progress
  EXPECT_EQ(StateOf(id), ItemState::kInProgress);
  ASSERT_TRUE(Resolve(id, t0 + hours(3)).ok());
  EXPECT_EQ(StateOf(id), ItemState::kResolved);
  ASSERT_TRUE(CloseOut(id, t0 + hours(4)).ok());
  EXPECT_EQ(StateOf(id), ItemState::kClosedOut);
  ASSERT_TRUE(Reopen(id, t0 + hours(24)).ok());
  EXPECT_EQ(StateOf(id), ItemState::kReopened);
  const LedgerItem* item = ledger->FindItem(id);
  EXPECT_EQ(item->reopen_count, 1u);
  EXPECT_TRUE(item->resolution.empty());  // a new cycle
  EXPECT_TRUE(item->confirmed_by_leader.empty());
  ASSERT_TRUE(Progress(id, t0 + hours(25)).ok());
  EXPECT_EQ(StateOf(id), ItemState::kInProgress);
  ASSERT_TRUE(Resolve(id, t0 + hours(26)).ok());
  ASSERT_TRUE(CloseOut(id, t0 + hours(27)).ok());
  EXPECT_EQ(StateChanges(id),
            (std::vector<std::string>{">registered", "registered>in_progress",
                                      "in_progress>resolved", "resolved>closed_out",
                                      "closed_out>reopened", "reopened>in_progress",
                                      "in_progress>resolved", "resolved>closed_out"}));
  EXPECT_EQ(ledger->FindItem(id)->updates.size(), 3u);
  // Every recorded move is legal.
  for (const HistoryEntry& entry : ledger->FindItem(id)->history) {
    for (const FieldChange& change : entry.changes) {
      if (change.field != "state" || change.before.empty()) continue;
      EXPECT_TRUE(IsLegalTransition(*ParseItemState(change.before), *ParseItemState(change.after)))
          << change.before << " -> " << change.after;
    }
  }
}

TEST_F(ItemsTest, AResolutionOnARegisteredItemRecordsBothMoves) {
  const std::string id = Register(t0);
  ASSERT_TRUE(Resolve(id, t0 + hours(1)).ok());
  EXPECT_EQ(StateOf(id), ItemState::kResolved);
  EXPECT_EQ(StateChanges(id), (std::vector<std::string>{">registered", "registered>in_progress",
                                                        "in_progress>resolved"}));
  EXPECT_EQ(ledger->FindItem(id)->history.back().action, kActionResolved);
  EXPECT_EQ(AsOf(*ledger->FindItem(id), t0 + hours(1)).state, ItemState::kResolved);
  EXPECT_EQ(AsOf(*ledger->FindItem(id), t0).state, ItemState::kRegistered);
}

TEST_F(ItemsTest, IllegalTransitionsFailWithFailedPrecondition) {
  const std::string registered = Register(t0);
  const std::string in_progress = Register(t0);
  ASSERT_TRUE(Progress(in_progress, t0).ok());
  const std::string resolved = Register(t0);
  ASSERT_TRUE(Resolve(resolved, t0).ok());
  const std::string closed = Register(t0);
  ASSERT_TRUE(Resolve(closed, t0).ok());
  ASSERT_TRUE(CloseOut(closed, t0).ok());
  const std::string reopened = Register(t0);
  ASSERT_TRUE(Resolve(reopened, t0).ok());
  ASSERT_TRUE(CloseOut(reopened, t0).ok());
  ASSERT_TRUE(Reopen(reopened, t0).ok());
  const Time now = t0 + hours(1);
  const Actor agent = Actor::Agent("mine-1");

  // Close-out only from resolved (reopened → closed_out included).
  for (const std::string& id : {registered, in_progress, reopened, closed}) {
    const Status status = ExpectNoChange([&](Effects& out) {
      return ledger->CloseOut(CloseOutRequest{id, "已解决", "王矿长", std::nullopt}, agent, now,
                              out);
    });
    EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << id;
  }
  // Reopen only from closed_out.
  for (const std::string& id : {registered, in_progress, resolved, reopened}) {
    const Status status = ExpectNoChange([&](Effects& out) {
      return ledger->Reopen(ReopenRequest{id, "反弹", std::nullopt}, agent, now, out);
    });
    EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << id;
  }
  // Rejecting a resolution only from resolved.
  for (const std::string& id : {registered, in_progress, closed, reopened}) {
    const Status status = ExpectNoChange([&](Effects& out) {
      return ledger->RejectResolution(RejectResolutionRequest{id, "不认可"}, agent, now, out);
    });
    EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition) << id;
  }
  // Nothing updates a closed-out item; a resolved item is not resolved twice.
  UpdateItemRequest progress;
  progress.item_id = closed;
  progress.progress = "继续走访";
  EXPECT_THAT(ExpectNoChange([&](Effects& out) {
                return ledger->Update(progress, agent, now, out);
              }).message(),
              HasSubstr("closed out"));
  UpdateItemRequest again;
  again.item_id = resolved;
  again.resolution = "再次化解";
  EXPECT_EQ(
      ExpectNoChange([&](Effects& out) { return ledger->Update(again, agent, now, out); }).code(),
      StatusCode::kFailedPrecondition);
  // An empty update is bad input.
  UpdateItemRequest empty;
  empty.item_id = in_progress;
  EXPECT_EQ(
      ExpectNoChange([&](Effects& out) { return ledger->Update(empty, agent, now, out); }).code(),
      StatusCode::kInvalidArgument);
  // Unknown ids are NotFound.
  EXPECT_EQ(
      ExpectNoChange([&](Effects& out) {
        return ledger->Reopen(ReopenRequest{"TZ-2026-9999", "x", std::nullopt}, agent, now, out);
      }).code(),
      StatusCode::kNotFound);
}

TEST_F(ItemsTest, ProgressOnAResolvedItemIsKeptWithoutAStateChange) {
  const std::string id = Register(t0);
  ASSERT_TRUE(Resolve(id, t0 + hours(1)).ok());
  ASSERT_TRUE(Progress(id, t0 + hours(2), "等待包案领导确认").ok());
  EXPECT_EQ(StateOf(id), ItemState::kResolved);
  EXPECT_EQ(ledger->FindItem(id)->updates.back().text, "等待包案领导确认");
}

TEST_F(ItemsTest, ResolutionCanBeRejectedAndWorkContinues) {
  const std::string id = Register(t0);
  ASSERT_TRUE(Resolve(id, t0 + hours(1)).ok());
  Effects out;
  ASSERT_TRUE(ledger
                  ->RejectResolution(RejectResolutionRequest{id, "职工不认可补发标准"},
                                     Actor::Operator("zhang"), t0 + hours(2), out)
                  .ok());
  const LedgerItem* item = ledger->FindItem(id);
  EXPECT_EQ(item->state, ItemState::kInProgress);
  EXPECT_TRUE(item->resolution.empty());
  EXPECT_FALSE(item->resolved_at.has_value());
  EXPECT_EQ(item->history.back().action, kActionResolutionRejected);
  EXPECT_EQ(item->history.back().note, "职工不认可补发标准");
  EXPECT_EQ(item->history.back().actor, Actor::Operator("zhang"));
}

TEST_F(ItemsTest, CloseOutGateNeedsResolutionAndTheResponsibleLeader) {
  const std::string id = Register(t0);
  const Actor agent = Actor::Agent("mine-1");
  const Time now = t0 + hours(2);
  // Not resolved yet: even with a resolution and a confirmation it stays open.
  ASSERT_TRUE(Progress(id, t0 + hours(1)).ok());
  EXPECT_THAT(ExpectNoChange([&](Effects& out) {
                return ledger->CloseOut(CloseOutRequest{id, "已补发", "王矿长", std::nullopt},
                                        agent, now, out);
              }).message(),
              HasSubstr("only a resolved item can be closed out"));
  ASSERT_TRUE(Resolve(id, now).ok());
  // No confirmation.
  const Status unconfirmed = ExpectNoChange([&](Effects& out) {
    return ledger->CloseOut(CloseOutRequest{id, "", " ", std::nullopt}, agent, now, out);
  });
  EXPECT_EQ(unconfirmed.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(unconfirmed.message(), HasSubstr("responsible leader's confirmation"));
  // Somebody else's confirmation.
  const Status wrong = ExpectNoChange([&](Effects& out) {
    return ledger->CloseOut(CloseOutRequest{id, "", "赵矿长", std::nullopt}, agent, now, out);
  });
  EXPECT_EQ(wrong.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(wrong.message(), HasSubstr("must be confirmed by its responsible leader 王矿长"));
  // A confirmation dated in the future is bad input.
  EXPECT_EQ(
      ExpectNoChange([&](Effects& out) {
        return ledger->CloseOut(CloseOutRequest{id, "", "王矿长", now + hours(1)}, agent, now, out);
      }).code(),
      StatusCode::kInvalidArgument);

  // With both it closes; the final resolution text replaces the earlier one.
  Effects out;
  const Time confirmed = now - std::chrono::minutes(10);
  ASSERT_TRUE(ledger
                  ->CloseOut(CloseOutRequest{id, "补发到位，案结事了", " 王矿长 ", confirmed},
                             agent, now, out)
                  .ok());
  const LedgerItem* item = ledger->FindItem(id);
  EXPECT_EQ(item->state, ItemState::kClosedOut);
  EXPECT_EQ(item->resolution, "补发到位，案结事了");
  EXPECT_EQ(item->confirmed_by_leader, "王矿长");
  EXPECT_EQ(item->confirmed_at, confirmed);
  EXPECT_EQ(item->closed_out_at, now);
  const HistoryEntry& entry = item->history.back();
  EXPECT_EQ(entry.action, kActionClosedOut);
  EXPECT_EQ(entry.person, "王矿长");
  EXPECT_THAT(entry.changes, ::testing::Contains(FieldChange{"resolution", "补发待遇，职工认可",
                                                             "补发到位，案结事了"}));
  ASSERT_EQ(out.notices.size(), 1u);
  EXPECT_EQ(out.notices[0].state, "closed_out");
}

TEST_F(ItemsTest, AnItemWithoutAResponsibleLeaderCannotBeClosedOut) {
  // factory-1 has no leaders configured: an item created from its warning
  // has nobody to confirm the close-out until one is assigned.
  Effects out;
  EarlyWarningRequest warning;
  warning.summary = "职工议论工资拖欠";
  warning.category_id = "other";
  auto outcome = ledger->ReceiveWarning(warning, Actor::Agent("factory-1"), t0, out);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  const std::string id = outcome->ledger_item_id;
  UpdateItemRequest resolve;
  resolve.item_id = id;
  resolve.resolution = "已发放";
  ASSERT_TRUE(ledger->Update(resolve, Actor::Agent("factory-1"), t0, out).ok());
  EXPECT_THAT(ExpectNoChange([&](Effects& o) {
                return ledger->CloseOut(CloseOutRequest{id, "", "周厂长", std::nullopt},
                                        Actor::Agent("factory-1"), t0, o);
              }).message(),
              HasSubstr("has no responsible leader"));
  UpdateItemRequest assign;
  assign.item_id = id;
  assign.responsible_leader = Person{"周厂长", "", "厂长"};
  ASSERT_TRUE(ledger->Update(assign, Actor::Operator("zhang"), t0, out).ok());
  EXPECT_TRUE(ledger
                  ->CloseOut(CloseOutRequest{id, "", "周厂长", std::nullopt},
                             Actor::Agent("factory-1"), t0, out)
                  .ok());
}

TEST_F(ItemsTest, DeadlineExtensionNeedsAReasonAndAnApprover) {
  const std::string id = Register(t0);
  const Time old_deadline = ledger->FindItem(id)->deadline;
  const Time later = old_deadline + hours(24 * 10);
  const Time now = t0 + hours(5);
  const Actor op = Actor::Operator("zhang");
  auto extend = [&](ExtendDeadlineRequest request) {
    return ExpectNoChange(
        [&](Effects& out) { return ledger->ExtendDeadline(request, op, now, out); });
  };
  EXPECT_THAT(extend({id, later, "", "王矿长"}).message(), HasSubstr("reason is required"));
  EXPECT_THAT(extend({id, later, "需协调社保", ""}).message(),
              HasSubstr("approved_by is required"));
  EXPECT_THAT(extend({id, old_deadline, "需协调社保", "王矿长"}).message(),
              HasSubstr("not later than the current deadline"));
  EXPECT_THAT(extend({id, old_deadline - hours(1), "需协调社保", "王矿长"}).message(),
              HasSubstr("not later"));

  Effects out;
  ASSERT_TRUE(ledger->ExtendDeadline({id, later, "需协调社保", "王矿长"}, op, now, out).ok());
  const LedgerItem* item = ledger->FindItem(id);
  EXPECT_EQ(item->deadline, later);
  const HistoryEntry& entry = item->history.back();
  EXPECT_EQ(entry.action, kActionDeadlineExtended);
  EXPECT_EQ(entry.note, "需协调社保");
  EXPECT_EQ(entry.person, "王矿长");
  EXPECT_EQ(entry.actor, op);
  ASSERT_EQ(entry.changes.size(), 1u);
  EXPECT_EQ(entry.changes[0], (FieldChange{"deadline", FormatUtc(old_deadline), FormatUtc(later)}));
  // The history still knows the old deadline.
  EXPECT_EQ(AsOf(*item, now - hours(1)).deadline, old_deadline);
  EXPECT_EQ(AsOf(*item, now).deadline, later);
  EXPECT_EQ(out.notices.at(0).state, "deadline_extended");

  // Closed-out items keep their deadline.
  ASSERT_TRUE(Resolve(id, now).ok());
  ASSERT_TRUE(CloseOut(id, now).ok());
  EXPECT_EQ(extend({id, later + hours(24), "x", "王矿长"}).code(), StatusCode::kFailedPrecondition);
}

TEST_F(ItemsTest, AgentsActOnlyOnTheirOwnUnitsItems) {
  const std::string id = Register(t0, "mine-1");
  const Status denied = ExpectNoChange([&](Effects& out) {
    UpdateItemRequest request;
    request.item_id = id;
    request.progress = "越权";
    return ledger->Update(request, Actor::Agent("mine-2"), t0, out);
  });
  EXPECT_EQ(denied.code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(denied.message(), HasSubstr("belongs to unit 'mine-1'"));
  EXPECT_EQ(ExpectNoChange([&](Effects& out) {
              return ledger->ExtendDeadline({id, t0 + hours(24 * 60), "r", "a"},
                                            Actor::Agent("mine-2"), t0, out);
            }).code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(Progress(id, t0, "总部督导", Actor::Operator("zhang")).ok());
}

TEST_F(ItemsTest, FieldEditsRecordWhoWhenBeforeAndAfter) {
  const std::string id = Register(t0);
  Effects out;
  UpdateItemRequest request;
  request.item_id = id;
  request.level = RiskLevel::kHigh;
  request.persons = 40;
  request.measures = "成立专班";
  request.responsible_person = Person{"周干事", "+8613800000009", ""};
  request.updated_by = "李干事";
  const Time now = t0 + hours(3);
  ASSERT_TRUE(ledger->Update(request, Actor::Agent("mine-1"), now, out).ok());
  const LedgerItem* item = ledger->FindItem(id);
  const HistoryEntry& entry = item->history.back();
  EXPECT_EQ(entry.at, now);
  EXPECT_EQ(entry.actor, Actor::Agent("mine-1"));
  EXPECT_EQ(entry.person, "李干事");
  EXPECT_EQ(entry.action, kActionUpdated);
  EXPECT_THAT(entry.changes,
              ::testing::UnorderedElementsAre(
                  FieldChange{"level", "medium", "high"}, FieldChange{"persons", "12", "40"},
                  FieldChange{"measures", "逐户走访，解释政策", "成立专班"},
                  FieldChange{"responsible_person", "李干事（信访员，+8613800000002）",
                              "周干事（+8613800000009）"}));
  EXPECT_EQ(item->state, ItemState::kRegistered);  // field edits are not progress
  EXPECT_EQ(item->last_activity_at, t0);

  // The same values again change nothing and write nothing.
  Effects again;
  ASSERT_TRUE(ledger->Update(request, Actor::Agent("mine-1"), now + hours(1), again).ok());
  EXPECT_TRUE(again.empty());
  EXPECT_EQ(ledger->FindItem(id)->history.size(), 2u);
}

TEST_F(ItemsTest, ItemsFilterAndOrder) {
  const std::string a = Register(t0, "mine-1");
  const std::string b = Register(t0 + hours(1), "mine-2", "other");
  const std::string c = Register(t0 + hours(2), "mine-1", "other");
  ASSERT_TRUE(Resolve(c, t0 + hours(3)).ok());
  ASSERT_TRUE(CloseOut(c, t0 + hours(3)).ok());
  auto ids = [&](const ItemFilter& filter, Time now) {
    std::vector<std::string> out;
    for (const LedgerItem* item : ledger->Items(filter, now)) out.push_back(item->id);
    return out;
  };
  ItemFilter all;
  EXPECT_EQ(ids(all, t0), (std::vector<std::string>{a, b, c}));
  ItemFilter unit;
  unit.unit_id = "mine-1";
  EXPECT_EQ(ids(unit, t0), (std::vector<std::string>{a, c}));
  ItemFilter category;
  category.category_id = "other";
  EXPECT_EQ(ids(category, t0), (std::vector<std::string>{b, c}));
  ItemFilter open;
  open.open_only = true;
  EXPECT_EQ(ids(open, t0), (std::vector<std::string>{a, b}));
  ItemFilter closed;
  closed.states = {ItemState::kClosedOut};
  EXPECT_EQ(ids(closed, t0), (std::vector<std::string>{c}));
  // a's update is missing one day after registration; b's an hour later.
  ItemFilter overdue;
  overdue.overdue_only = true;
  EXPECT_EQ(ids(overdue, t0 + hours(24)), (std::vector<std::string>{a}));
  EXPECT_EQ(ids(overdue, t0 + hours(25)), (std::vector<std::string>{a, b}));
}

}  // namespace
}  // namespace anding::core::ledger

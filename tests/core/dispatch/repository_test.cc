// The dispatch repository: schema, lossless round trips of every record
// field, incremental saves from Effects, and corrupt data reported as
// DataLoss instead of a half-loaded state.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/store/dispatch_repository.h"
#include "core/dispatch/test_store.h"
#include "core/dispatch/test_world.h"

namespace anding::core::dispatch {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using ::testing::HasSubstr;
using testing::Hq;
using testing::Report;
using testing::T0;
using testing::TempDatabase;
using testing::World;

// Drives a module through every kind of record and field, saving the
// changes of each step as the shell does.
class RepositoryTest : public ::testing::Test {
 protected:
  void Do(const std::function<Status(Effects&)>& command) {
    Effects out;
    const Status status = command(out);
    ASSERT_TRUE(status.ok()) << status;
    db_.Save(*module_, out);
  }

  void BuildRichState() {
    module_ = world_.Make();
    Time now = T0();
    std::string a, b, c;
    Do([&](Effects& out) {  // a member off duty: mine-1 falls back to team-hq
      return module_->SetAvailability({ResourceKind::kMember, "m1-l1", false, "出差"},
                                      Actor::Agent("mine-1"), now, out);
    });
    Do([&](Effects& out) {
      ReportIncidentRequest request = Report("hebi", {"mine-1", "zz-office", "mine-2"}, 15);
      request.report.occurred_at = now - minutes(30);
      request.report.representatives = 4;
      request.report.details = "详情：\"引号\"、换行\n第二行";
      request.report.category_id = "retiree-management";
      request.request_id = "msg-0001";
      request.reported_at = now - minutes(5);
      auto id = module_->ReportIncident(request, Actor::Agent("mine-2"), now, out);
      if (id.ok()) a = *id;
      return id.status();
    });
    now += minutes(2);
    Do([&](Effects& out) { return module_->Confirm({a, "mine-1"}, Hq(), now, out); });
    Do([&](Effects& out) {
      return module_->Override({a, "mine-2", "team-m2", {}, {}, "指定"}, Hq(), now, out);
    });
    Do([&](Effects& out) {
      return module_->Reassign({a, "zz-office", {}, "换一队"}, Hq(), now, out);
    });
    Do([&](Effects& out) {  // an uncovered unit and an infeasible one
      auto id = module_->ReportIncident(Report("zhengzhou", {"sh-office", "zz-office"}, 40), Hq(),
                                        now, out);
      if (id.ok()) b = *id;
      return id.status();
    });
    now += minutes(3);
    Do([&](Effects& out) {
      return module_->UpdateStatus({a, IncidentStep::kDeparted, "mine-1", now, "出发", "领队"},
                                   Actor::Agent("hq"), now, out);
    });
    now += minutes(30);
    Do([&](Effects& out) {
      module_->Tick(now, out);
      return OkStatus();
    });
    Do([&](Effects& out) {
      return module_->UpdateStatus({a, IncidentStep::kArrived, "mine-1", now - minutes(1), "", ""},
                                   Hq(), now, out);
    });
    Do([&](Effects& out) {
      return module_->SetAvailability({ResourceKind::kVehicle, "v-bj", false, "维修"}, Hq(), now,
                                      out);
    });
    Do([&](Effects& out) {
      auto id = module_->ReportIncident(Report("beijing", {"bj-office"}, 3), Hq(), now, out);
      if (id.ok()) c = *id;
      return id.status();
    });
    now += hours(7);
    Do([&](Effects& out) {
      module_->Tick(now, out);
      return OkStatus();
    });
    Do([&](Effects& out) {
      return module_->UpdateStatus({a, IncidentStep::kSettled, "", std::nullopt, "劝离", ""}, Hq(),
                                   now, out);
    });
    std::string d;
    Do([&](Effects& out) {  // too many petitioners for any team: infeasible, deadline ahead
      auto id = module_->ReportIncident(Report("zhengzhou", {"zz-office"}, 200), Hq(), now, out);
      if (id.ok()) d = *id;
      return id.status();
    });
    ids_ = {a, b, c, d};
  }

  World world_;
  TempDatabase db_;
  std::unique_ptr<DispatchModule> module_;
  std::vector<std::string> ids_;
};

// Only a settled incident, or one that holds nothing and is watched for
// nothing, is quiescent: the open load may leave those in the store, and a
// module restored without them takes each back by key as stored, the same
// as if it had been loaded. One the module works on is never taken back.
TEST_F(RepositoryTest, QuiescentOpenIncidentsMayStayInTheStoreUntilNamed) {
  BuildRichState();
  const DispatchSnapshot full = module_->Snapshot();
  // a settled; b waits for a team for zz-office; c holds a proposal; d
  // waits for a team, its deadline ahead.
  std::vector<std::string> quiescent;
  for (const auto& incident : full.incidents) {
    if (Quiescent(incident)) quiescent.push_back(incident.id);
  }
  EXPECT_EQ(quiescent, std::vector<std::string>{ids_[0]});
  Incident closed = *module_->FindIncident(ids_[0]);
  closed.state = IncidentState::kClosed;
  EXPECT_FALSE(Quiescent(closed)) << "only open incidents are";
  Incident uncovered = *module_->FindIncident(ids_[1]);
  uncovered.responses.erase(uncovered.responses.begin() + 1);  // zz-office, waiting
  uncovered.assignments.clear();
  EXPECT_EQ(uncovered.responses.size(), 1u);
  EXPECT_FALSE(uncovered.responses[0].deadline);
  EXPECT_TRUE(Quiescent(uncovered)) << "no rule, so no watch and no retry";

  std::vector<uint64_t> left;
  auto open = store::LoadOpenDispatch(db_.db(), T0() + hours(100), store::LoadedTimelines::kWhole,
                                      [&left](const Incident& incident) {
                                        if (!Quiescent(incident)) return false;
                                        left.push_back(incident.sequence);
                                        return true;
                                      });
  ASSERT_TRUE(open.ok()) << open.status();
  ASSERT_EQ(left, std::vector<uint64_t>{module_->FindIncident(ids_[0])->sequence});
  ASSERT_EQ(open->snapshot.incidents.size(), full.incidents.size() - 1);
  auto restored = DispatchModule::Restore(world_.config, world_.org, std::move(open->snapshot));
  ASSERT_TRUE(restored.ok()) << restored.status();
  DispatchModule& held = **restored;
  EXPECT_EQ(held.FindIncident(ids_[0]), nullptr);
  IncidentFilter open_only;
  open_only.open_only = true;
  EXPECT_EQ(held.ListIncidents(open_only).size(), full.incidents.size() - 1);

  auto stored = store::FindStoredIncident(db_.db(), ids_[0]);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  ASSERT_TRUE(held.Recall(std::move(**stored)).ok());
  EXPECT_EQ(held.Snapshot(), full);
  EXPECT_EQ(held.ListIncidents(open_only).size(), full.incidents.size());
  Effects out;
  ASSERT_TRUE(held.UpdateStatus({ids_[0], IncidentStep::kAftermath, "", std::nullopt, "善后", ""},
                                Hq(), T0() + hours(9), out)
                  .ok());
  EXPECT_EQ(held.FindIncident(ids_[0])->state, IncidentState::kAftermath);
  // Once its change is stored, the module may let go of it again; never of
  // one it works on.
  EXPECT_EQ(held.Release(ids_[3]).code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(held.FindIncident(ids_[3]), nullptr);
  ASSERT_TRUE(held.Release(ids_[0]).ok());
  EXPECT_EQ(held.FindIncident(ids_[0]), nullptr);
  EXPECT_EQ(held.ListIncidents(open_only).size(), full.incidents.size() - 1);
  EXPECT_EQ(held.Release(ids_[0]).code(), StatusCode::kNotFound);
  held.Tick(T0() + hours(48), out);  // the others' timers still run
  EXPECT_NE(held.FindIncident(ids_[3])->responses[0].breach_at, std::nullopt);

  // One the module works on: refused, and not taken.
  auto without_d = full;
  without_d.incidents.erase(
      std::remove_if(without_d.incidents.begin(), without_d.incidents.end(),
                     [&](const Incident& incident) { return incident.id == ids_[3]; }),
      without_d.incidents.end());
  auto partial = DispatchModule::Restore(world_.config, world_.org, std::move(without_d));
  ASSERT_TRUE(partial.ok()) << partial.status();
  auto waiting = store::FindStoredIncident(db_.db(), ids_[3]);
  ASSERT_TRUE(waiting.ok() && waiting->has_value());
  const Status refused = (*partial)->Recall(std::move(**waiting));
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.message(), HasSubstr("worked on"));
  EXPECT_EQ((*partial)->FindIncident(ids_[3]), nullptr);
}

// What a command or timer said, in words, for comparing two modules.
std::vector<std::string> Said(const Effects& out) {
  std::vector<std::string> said;
  for (const RecordRef& ref : out.changed)
    said.push_back(StrCat("changed ", ref.kind, " ", ref.id));
  for (const HqAlert& alert : out.alerts) {
    said.push_back(StrCat("alert ", alert.kind, " ", alert.reference_id, " ", alert.text));
  }
  for (const OrderRequest& order : out.orders) {
    said.push_back(StrCat("order ", order.unit_id, " ", order.title, " ", order.text));
  }
  for (const NotificationRequest& sms : out.notifications) {
    said.push_back(StrCat("sms ", sms.template_id, " ", sms.text));
  }
  return said;
}

// An incident that holds nothing but waits — for a team, or on its deadline
// watch — may be parked: the module keeps its timers and retries and reads
// it back from the store when one of them has work for it. A module started
// that way, with the waiting incidents parked, says and does exactly what
// one holding every incident does: warnings and breaches as they fall due,
// the fastest team late when nobody could make it, a team that comes free
// going to one that waits. A read that fails is tried again a minute later.
TEST_F(RepositoryTest, WaitingIncidentsParkedInTheStoreActAsIfHeld) {
  BuildRichState();
  // d waits for a team, its deadline ahead; b and c hold teams (b's went
  // late, after its breach); a is settled (quiescent).
  bool store_answers = true;
  auto start = [&]() -> std::unique_ptr<DispatchModule> {
    std::vector<DispatchModule::ParkedWork> work;
    auto open = store::LoadOpenDispatch(
        db_.db(), T0() + hours(100), store::LoadedTimelines::kWhole, [&](const Incident& incident) {
          if (Quiescent(incident)) return true;
          auto waiting = DispatchModule::WorkOf(world_.config, incident);
          if (!waiting) return false;
          work.push_back(std::move(*waiting));
          return true;
        });
    EXPECT_TRUE(open.ok()) << open.status();
    if (!open.ok()) return nullptr;
    auto restored = DispatchModule::Restore(world_.config, world_.org, std::move(open->snapshot));
    EXPECT_TRUE(restored.ok()) << restored.status();
    if (!restored.ok()) return nullptr;
    (*restored)->ReserveSequencesUpTo(open->last_sequence);
    (*restored)->ReadParkedFrom([&](uint64_t sequence) -> Result<std::optional<Incident>> {
      if (!store_answers) return UnavailableError("the store is away");
      return store::FindStoredIncidentBySequence(db_.db(), sequence);
    });
    (*restored)->AddParked(std::move(work));
    return std::move(*restored);
  };
  const uint64_t b = module_->FindIncident(ids_[1])->sequence;
  const uint64_t d = module_->FindIncident(ids_[3])->sequence;
  {
    // A read that fails: the timer is tried again a minute later.
    std::unique_ptr<DispatchModule> failing = start();
    ASSERT_NE(failing, nullptr);
    const Time due = failing->NextWakeup();
    ASSERT_LT(due, T0() + hours(48));
    store_answers = false;
    Effects out;
    failing->Tick(T0() + hours(48), out);
    EXPECT_TRUE(failing->IsParked(d));
    EXPECT_EQ(failing->NextWakeup(), T0() + hours(48) + minutes(1));
    store_answers = true;
    failing->Tick(T0() + hours(48) + minutes(1), out);
    EXPECT_FALSE(failing->IsParked(d)) << "read back for its breach";
    EXPECT_TRUE(failing->FindIncident(ids_[3])->responses[0].breach_at.has_value());
  }

  std::unique_ptr<DispatchModule> parked = start();
  ASSERT_NE(parked, nullptr);
  EXPECT_FALSE(parked->IsParked(b)) << "it holds a team";
  EXPECT_TRUE(parked->IsParked(d));
  EXPECT_EQ(parked->parked_count(), 1u);
  EXPECT_EQ(parked->FindIncident(ids_[3]), nullptr);
  EXPECT_NE(parked->FindIncident(ids_[2]), nullptr) << "c holds a team: held";
  EXPECT_EQ(parked->NextWakeup(), module_->NextWakeup());

  // Both told the same: every team off duty, then d's deadline passes.
  Time now = T0() + hours(8);
  auto both = [&](const std::function<Status(DispatchModule&, Effects&)>& command) {
    Effects held_out;
    Effects parked_out;
    const Status held_status = command(*module_, held_out);
    const Status parked_status = command(*parked, parked_out);
    EXPECT_EQ(held_status, parked_status);
    EXPECT_EQ(Said(parked_out), Said(held_out));
    db_.Save(*parked, parked_out);  // as the shell does, before it parks again
  };
  for (const char* team : {"team-m1", "team-m2", "team-hq", "team-zz", "team-ay", "team-bj"}) {
    both([&](DispatchModule& module, Effects& out) {
      return module.SetAvailability({ResourceKind::kTeam, team, false, "休整"}, Hq(), now, out);
    });
  }
  EXPECT_TRUE(parked->IsParked(d)) << "nobody is free: its dry run found nobody";
  // Past every deadline: the breaches, as from a module holding all.
  now = T0() + hours(48);
  both([&](DispatchModule& module, Effects& out) {
    module.Tick(now, out);
    return OkStatus();
  });
  ASSERT_NE(parked->FindIncident(ids_[3]), nullptr) << "read back for its breach";
  EXPECT_EQ(*parked->FindIncident(ids_[3]), *module_->FindIncident(ids_[3]));
  EXPECT_TRUE(parked->FindIncident(ids_[3])->responses[0].breach_at.has_value());
  // Held again, and waiting again (nobody free): it can be parked again.
  ASSERT_TRUE(parked->Release(ids_[3]).ok());
  EXPECT_TRUE(parked->IsParked(d));

  // A new incident nobody can go to (every team off duty): it waits, and
  // once stored it is parked too.
  now += minutes(5);
  std::string e;
  both([&](DispatchModule& module, Effects& out) {
    auto id = module.ReportIncident(Report("hebi", {"mine-1"}, 5), Hq(), now, out);
    if (id.ok()) e = *id;
    return id.status();
  });
  ASSERT_TRUE(parked->Release(e).ok());
  EXPECT_EQ(parked->parked_count(), 2u);
  const uint64_t e_sequence = module_->FindIncident(e)->sequence;
  // Its warnings and breach fall due while it is parked; then it waits
  // again (nobody is free to go late) and is parked again.
  now += hours(2);
  both([&](DispatchModule& module, Effects& out) {
    module.Tick(now, out);
    return OkStatus();
  });
  ASSERT_NE(parked->FindIncident(e), nullptr);
  EXPECT_TRUE(parked->FindIncident(e)->responses[0].breach_at.has_value());
  // HQ rules out for e the team that would go to it first (team-zz): its
  // retry, parked, must rule it out too.
  both([&](DispatchModule& module, Effects& out) {
    return module.Reassign({e, "mine-1", {"team-zz"}, "该队另有任务"}, Hq(), now, out);
  });
  ASSERT_TRUE(parked->Release(e).ok());
  // The teams come back one by one: each goes, late, to the oldest that
  // waits and that it can serve (c's proposal was superseded when its team
  // went off duty); a parked one is read back when its dry run finds one.
  for (const char* team : {"team-m2", "team-zz", "team-hq", "team-ay", "team-bj"}) {
    if (!module_->FindIncident(e)->assignments.empty()) break;
    now += minutes(5);
    both([&](DispatchModule& module, Effects& out) {
      return module.SetAvailability({ResourceKind::kTeam, team, true, ""}, Hq(), now, out);
    });
    if (std::string_view(team) == "team-zz") {
      // Its dry run, parked, rules team-zz out: it is not read back for it.
      EXPECT_TRUE(module_->FindIncident(e)->assignments.empty());
      EXPECT_TRUE(parked->IsParked(e_sequence));
    }
  }
  ASSERT_EQ(module_->FindIncident(e)->assignments.size(), 1u) << "a team goes to e";
  EXPECT_NE(module_->FindIncident(e)->assignments[0].team_id, "team-zz") << "HQ ruled it out";
  ASSERT_NE(parked->FindIncident(e), nullptr) << "read back: its dry run found a team";
  EXPECT_EQ(*parked->FindIncident(e), *module_->FindIncident(e));
  for (const std::string& id : {ids_[1], ids_[3]}) {
    const Incident* held = module_->FindIncident(id);
    const Incident* read_back = parked->FindIncident(id);
    if (read_back == nullptr) {
      // Still parked: as the module holding all has it.
      auto stored = store::FindStoredIncident(db_.db(), id);
      ASSERT_TRUE(stored.ok() && stored->has_value());
      EXPECT_EQ(**stored, *held) << id;
      continue;
    }
    EXPECT_EQ(*read_back, *held) << id;
  }
  // One holding a team is never parked; a command naming a parked one
  // takes it back (d: nobody can serve 200 people, so it still waits).
  EXPECT_EQ(parked->Release(ids_[2]).code(), StatusCode::kFailedPrecondition);
  if (parked->FindIncident(ids_[3]) != nullptr) ASSERT_TRUE(parked->Release(ids_[3]).ok());
  ASSERT_TRUE(parked->IsParked(d));
  auto stored = store::FindStoredIncident(db_.db(), ids_[3]);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  ASSERT_TRUE(parked->Recall(std::move(**stored)).ok());
  EXPECT_FALSE(parked->IsParked(d));
  EXPECT_EQ(*parked->FindIncident(ids_[3]), *module_->FindIncident(ids_[3]));
  EXPECT_EQ(parked->NextWakeup(), module_->NextWakeup());
}

TEST_F(RepositoryTest, MigrationIsVersionedAndRepeatable) {
  EXPECT_EQ(*db_.db().SchemaVersion("dispatch"), 2);
  EXPECT_TRUE(db_.db().Migrate("dispatch", store::DispatchMigrations()).ok());
  EXPECT_EQ(*db_.db().SchemaVersion("dispatch"), 2);
  auto empty = store::LoadDispatch(db_.db());
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, DispatchSnapshot{});
}

// The open load holds the incidents not closed or cancelled and the
// final ones reported since the instant given; a module restored from it
// numbers new incidents after every stored one, and takes a final
// incident back by key (as stored), never an open one.
TEST_F(RepositoryTest, TheOpenLoadLeavesOutOldFinalIncidentsThatAreRecalledByKey) {
  BuildRichState();
  const std::string cancelled = ids_[2];
  const Time later = T0() + hours(9);
  Do([&](Effects& out) { return module_->Cancel({cancelled, "重复上报"}, Hq(), later, out); });
  const DispatchSnapshot full = module_->Snapshot();
  uint64_t last = 0;
  for (const auto& incident : full.incidents) last = std::max(last, incident.sequence);

  auto recent = store::LoadOpenDispatch(db_.db(), T0() - hours(1));
  ASSERT_TRUE(recent.ok()) << recent.status();
  EXPECT_EQ(recent->snapshot, full);
  auto open = store::LoadOpenDispatch(db_.db(), later + hours(1));
  ASSERT_TRUE(open.ok()) << open.status();
  EXPECT_EQ(open->last_sequence, last);
  EXPECT_EQ(open->snapshot.resources, full.resources);
  EXPECT_EQ(open->snapshot.id_counters, full.id_counters);
  ASSERT_EQ(open->snapshot.incidents.size(), full.incidents.size() - 1);
  for (const auto& incident : open->snapshot.incidents) {
    EXPECT_NE(incident.id, cancelled);
    EXPECT_FALSE(IsFinal(incident.state)) << incident.id;
  }

  auto restored = DispatchModule::Restore(world_.config, world_.org, std::move(open->snapshot));
  ASSERT_TRUE(restored.ok()) << restored.status();
  DispatchModule& held = **restored;
  held.ReserveSequencesUpTo(open->last_sequence);
  EXPECT_EQ(held.FindIncident(cancelled), nullptr);
  Effects out;
  auto next = held.ReportIncident(Report("beijing", {"bj-office"}, 3), Hq(), later, out);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_GT(held.FindIncident(*next)->sequence, last);

  auto stored = store::FindStoredIncident(db_.db(), cancelled);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  const Incident expected = **stored;
  ASSERT_TRUE(held.Recall(std::move(**stored)).ok());
  ASSERT_NE(held.FindIncident(cancelled), nullptr);
  EXPECT_EQ(*held.FindIncident(cancelled), expected);
  auto again = store::FindStoredIncident(db_.db(), cancelled);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ(held.Recall(std::move(**again)).code(), StatusCode::kFailedPrecondition);
  auto open_one = store::FindStoredIncident(db_.db(), ids_[0]);
  ASSERT_TRUE(open_one.ok() && open_one->has_value());
  EXPECT_EQ(held.Recall(std::move(**open_one)).code(), StatusCode::kFailedPrecondition);
  auto by_request = store::FindStoredIncidentByRequest(db_.db(), "msg-0001");
  ASSERT_TRUE(by_request.ok() && by_request->has_value());
  EXPECT_EQ((*by_request)->id, ids_[0]);
  auto unknown = store::FindStoredIncident(db_.db(), "INC-20990101-001");
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());
}

TEST_F(RepositoryTest, IncrementalSavesRebuildTheSameModule) {
  BuildRichState();
  const DispatchSnapshot before = module_->Snapshot();
  // The state exercises what it should.
  ASSERT_EQ(before.incidents.size(), 4u);
  const Incident& a = before.incidents[0];
  EXPECT_GE(a.assignments.size(), 4u);
  EXPECT_TRUE(std::any_of(a.assignments.begin(), a.assignments.end(), [](const Assignment& x) {
    return x.fallback && !x.accompanying_leaders.empty();
  })) << "a fallback with the unit's leaders";
  EXPECT_THAT(before.incidents[1].assignments.back().explanation.reasons.front(),
              HasSubstr("had passed"))
      << "a unit nobody could reach in time gets the fastest team at the breach";
  EXPECT_FALSE(before.incidents[3].responses[0].infeasible.rejected.empty());
  EXPECT_FALSE(before.incidents[1].responses[0].deadline.has_value());
  EXPECT_TRUE(before.incidents[2].responses[0].breach_at.has_value());
  EXPECT_EQ(before.resources.size(), 2u);

  db_.Open();
  auto restored = db_.Load(world_.config, world_.org);
  ASSERT_NE(restored, nullptr);
  EXPECT_EQ(restored->Snapshot(), before);
  EXPECT_EQ(restored->Teams(), module_->Teams());
  EXPECT_EQ(restored->Vehicles(), module_->Vehicles());
  EXPECT_EQ(restored->NextWakeup(), module_->NextWakeup());

  // And behaves the same from here on.
  const Time later = T0() + hours(5);
  Effects x, y;
  auto id_x = module_->ReportIncident(Report("hebi", {"mine-1"}, 10), Hq(), later, x);
  auto id_y = restored->ReportIncident(Report("hebi", {"mine-1"}, 10), Hq(), later, y);
  ASSERT_TRUE(id_x.ok());
  EXPECT_EQ(*id_x, *id_y);
  EXPECT_EQ(restored->Snapshot(), module_->Snapshot());
}

// A deadline rule's text is held once however many responses it covers,
// in a module that made them and in one rebuilt from the store; sharing
// changes neither equality nor what is stored.
TEST_F(RepositoryTest, RuleTextsAreSharedAndSurviveAReload) {
  module_ = world_.Make();
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    Do([&](Effects& out) {
      auto id = module_->ReportIncident(Report("hebi", {"mine-1", "mine-2"}, 5), Hq(),
                                        T0() + minutes(i), out);
      if (id.ok()) ids.push_back(*id);
      return id.status();
    });
  }
  ASSERT_EQ(ids.size(), 3u);
  auto rule_text = [](const DispatchModule& module, const std::string& id, size_t response) {
    const Incident* incident = module.FindIncident(id);
    EXPECT_NE(incident, nullptr);
    EXPECT_TRUE(incident->responses.at(response).deadline.has_value());
    return incident->responses.at(response).deadline->rule_text;
  };
  const SharedString first = rule_text(*module_, ids[0], 0);
  ASSERT_FALSE(first.empty());
  EXPECT_THAT(first.str(),
              HasSubstr(module_->FindIncident(ids[0])->responses[0].deadline->rule_id));
  for (const auto& id : ids) {
    EXPECT_TRUE(rule_text(*module_, id, 0).SharesWith(first)) << id;
    EXPECT_TRUE(rule_text(*module_, id, 1).SharesWith(first)) << id << " (same rule)";
  }

  const DispatchSnapshot before = module_->Snapshot();
  db_.Open();
  auto stored = store::LoadDispatch(db_.db());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(*stored, before);
  // Loaded texts are separate copies until a module interns them.
  EXPECT_FALSE(stored->incidents[0].responses[0].deadline->rule_text.SharesWith(
      stored->incidents[1].responses[0].deadline->rule_text));
  auto restored = db_.Load(world_.config, world_.org);
  ASSERT_NE(restored, nullptr);
  EXPECT_EQ(restored->Snapshot(), before);
  const SharedString reloaded = rule_text(*restored, ids[0], 0);
  EXPECT_EQ(reloaded, first);
  for (const auto& id : ids) {
    EXPECT_TRUE(rule_text(*restored, id, 0).SharesWith(reloaded)) << id;
  }
  // A new incident under the same rule takes the loaded copy.
  Effects out;
  auto next = restored->ReportIncident(Report("hebi", {"mine-1"}, 5), Hq(), T0() + hours(1), out);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_TRUE(rule_text(*restored, *next, 0).SharesWith(reloaded));
  // Saved again, the row is what it was.
  TempDatabase fresh;
  fresh.SaveAll(*restored);
  auto again = store::LoadDispatch(fresh.db());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->incidents.front(), before.incidents.front());
}

// The stored rows of dispatch_incidents, every column as text, by id.
std::vector<std::string> IncidentRows(storage::Database& db) {
  std::vector<std::string> rows;
  auto s = db.Prepare(
      "SELECT id || '|' || sequence || '|' || state || '|' || updated_at_us || '|' || responses "
      "|| '|' || assignments || '|' || timeline FROM dispatch_incidents ORDER BY id");
  EXPECT_TRUE(s.ok()) << s.status();
  if (!s.ok()) return rows;
  while (true) {
    auto row = s->Step();
    EXPECT_TRUE(row.ok()) << row.status();
    if (!row.ok() || !*row) return rows;
    rows.push_back(s->Text(0));
  }
}

// A module may be restored without the stored timelines (but for settled
// incidents): CompleteTimeline reads them back, and what it saves
// afterwards is, byte for byte, what a module that holds them saves.
TEST_F(RepositoryTest, ReleasedTimelinesAreReadBackAndSavedWhole) {
  BuildRichState();
  db_.Open();
  auto held = db_.Load(world_.config, world_.org);
  ASSERT_NE(held, nullptr);
  auto open = store::LoadOpenDispatch(db_.db(), T0() - hours(1), store::LoadedTimelines::kReleased);
  ASSERT_TRUE(open.ok()) << open.status();
  auto restored = DispatchModule::Restore(world_.config, world_.org, std::move(open->snapshot));
  ASSERT_TRUE(restored.ok()) << restored.status();
  std::unique_ptr<DispatchModule> released = std::move(*restored);
  size_t let_go = 0;
  for (const Incident& whole : held->Snapshot().incidents) {
    const Incident* incident = released->FindIncident(whole.id);
    ASSERT_NE(incident, nullptr);
    if (whole.state == IncidentState::kSettled) {
      EXPECT_EQ(*incident, whole) << "a settled incident keeps its timeline";
      continue;
    }
    ++let_go;
    EXPECT_TRUE(incident->timeline.empty()) << whole.id;
    EXPECT_EQ(incident->timeline_stored, whole.timeline.size()) << whole.id;
    Incident completed = *incident;
    ASSERT_TRUE(store::CompleteTimeline(db_.db(), completed).ok());
    EXPECT_EQ(completed, whole);
  }
  EXPECT_EQ(let_go, 3u);
  EXPECT_EQ(released->NextWakeup(), held->NextWakeup());

  // The same commands on both, each saved into a store like the one it
  // was loaded from.
  TempDatabase other;
  other.SaveAll(*held);
  ASSERT_EQ(IncidentRows(other.db()), IncidentRows(db_.db()));
  const Time later = T0() + hours(12);
  auto both = [&](const std::function<Status(DispatchModule&, Effects&)>& command) {
    Effects x, y;
    const Status on_held = command(*held, x);
    const Status on_released = command(*released, y);
    ASSERT_TRUE(on_held.ok()) << on_held;
    ASSERT_TRUE(on_released.ok()) << on_released;
    ASSERT_EQ(x.changed, y.changed);
    other.Save(*held, x);
    db_.Save(*released, y);
  };
  both([&](DispatchModule& m, Effects& out) {
    m.Tick(later, out);
    return OkStatus();
  });
  both([&](DispatchModule& m, Effects& out) {
    return m.Cancel({ids_[2], "重复上报"}, Hq(), later, out);
  });
  both([&](DispatchModule& m, Effects& out) {
    return m.UpdateStatus({ids_[0], IncidentStep::kAftermath, "", std::nullopt, "善后", ""}, Hq(),
                          later, out);
  });
  both([&](DispatchModule& m, Effects& out) {
    return m.ReportIncident(Report("hebi", {"mine-2"}, 5), Hq(), later, out).status();
  });
  EXPECT_EQ(IncidentRows(db_.db()), IncidentRows(other.db()));
  auto reloaded = store::LoadDispatch(db_.db());
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(*reloaded, held->Snapshot());
}

TEST_F(RepositoryTest, TheWholeModuleIntoAFreshFileRoundTrips) {
  BuildRichState();
  TempDatabase fresh;
  const DispatchSnapshot before = module_->Snapshot();
  fresh.SaveAll(*module_);
  auto loaded = store::LoadDispatch(fresh.db());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(*loaded, before);
  // Saving again is an upsert, not a duplicate.
  fresh.SaveAll(*module_);
  EXPECT_EQ(*store::LoadDispatch(fresh.db()), before);
}

TEST_F(RepositoryTest, AllRecordRefsNameEveryRecordOnce) {
  BuildRichState();
  auto all = module_->Changes(module_->AllRecordRefs());
  ASSERT_TRUE(all.ok()) << all.status();
  const DispatchSnapshot snapshot = module_->Snapshot();
  EXPECT_EQ(all->incidents, snapshot.incidents);
  EXPECT_EQ(all->resources, snapshot.resources);
  EXPECT_EQ(all->id_counters, snapshot.id_counters);
}

TEST_F(RepositoryTest, DeadlinesAreReadableInTheCli) {
  BuildRichState();
  auto s = db_.db().Prepare(
      "SELECT unit_id, rule_id, deadline_utc, on_time, breached FROM dispatch_deadlines "
      "WHERE incident_id = ? ORDER BY unit_id");
  ASSERT_TRUE(s.ok());
  s->Bind(1, ids_[0]);
  ASSERT_TRUE(*s->Step());
  EXPECT_EQ(s->Text(0), "mine-1");
  EXPECT_EQ(s->Text(1), "home-city-local");
  // Reported at 08:55 Shanghai = 00:55 UTC, plus 1h.
  EXPECT_EQ(s->Text(2), "2026-11-27T01:55:00Z");
  EXPECT_EQ(s->Int64(3), 1);
  EXPECT_EQ(s->Int64(4), 0);
}

TEST_F(RepositoryTest, CorruptRowsAreDataLoss) {
  BuildRichState();
  ASSERT_TRUE(db_.db()
                  .Exec(StrCat("UPDATE dispatch_incidents SET responses = '[{\"unit_id\": 1}]' "
                               "WHERE id = '",
                               ids_[1], "'"))
                  .ok());
  auto loaded = store::LoadDispatch(db_.db());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(loaded.status().message(), HasSubstr(ids_[1]));
  EXPECT_THAT(loaded.status().message(), HasSubstr("unit_id"));

  ASSERT_TRUE(db_.db().Exec("UPDATE dispatch_incidents SET responses = '[' ").ok());
  EXPECT_EQ(store::LoadDispatch(db_.db()).status().code(), StatusCode::kDataLoss);
  ASSERT_TRUE(db_.db().Exec("DELETE FROM dispatch_incidents").ok());
  ASSERT_TRUE(db_.db().Exec("UPDATE dispatch_resource_status SET changed_by = 'robot'").ok());
  EXPECT_EQ(store::LoadDispatch(db_.db()).status().code(), StatusCode::kDataLoss);
}

TEST_F(RepositoryTest, ChangesRejectRefsTheModuleDoesNotHave) {
  module_ = world_.Make();
  for (const RecordRef& ref :
       {RecordRef{"incident", "INC-20990101-001"}, RecordRef{"dispatch_resource", "team:nobody"},
        RecordRef{"dispatch_resource", "robot:team-hq"},
        RecordRef{"dispatch_id_counter", "20990101"}}) {
    EXPECT_EQ(module_->Changes({ref}).status().code(), StatusCode::kInternal) << ref.id;
  }
  // Refs of other modules are not this module's business.
  auto others = module_->Changes({RecordRef{"funds_transfer", "T-1"}});
  ASSERT_TRUE(others.ok()) << others.status();
  EXPECT_TRUE(others->empty());
}

TEST_F(RepositoryTest, ChangesCopyEachRecordOnceAsItIsNow) {
  module_ = world_.Make();
  Effects out;
  auto id = module_->ReportIncident(Report("hebi", {"mine-1"}, 10), Hq(), T0(), out);
  ASSERT_TRUE(id.ok()) << id.status();
  std::vector<RecordRef> twice = out.changed;
  twice.insert(twice.end(), out.changed.begin(), out.changed.end());
  auto changes = module_->Changes(twice);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->incidents.size(), 1u);
  EXPECT_EQ(changes->incidents[0], *module_->FindIncident(*id));
  EXPECT_EQ(changes->id_counters.size(), 1u);
  // A copy: later commands do not change it.
  const Incident taken = changes->incidents[0];
  ASSERT_TRUE(module_->Confirm({*id, "mine-1"}, Hq(), T0(), out).ok());
  EXPECT_EQ(changes->incidents[0], taken);
  EXPECT_NE(*module_->FindIncident(*id), taken);
}

TEST_F(RepositoryTest, RestoreRefusesAResourceOnTwoIncidents) {
  BuildRichState();
  DispatchSnapshot snapshot = module_->Snapshot();
  // Make incident b's active assignment claim a team incident a holds.
  Incident copy = snapshot.incidents[0];
  copy.id = "INC-20261127-099";
  copy.sequence = 99;
  copy.request_id.clear();
  for (auto& assignment : copy.assignments) assignment.state = AssignmentState::kConfirmed;
  snapshot.incidents.push_back(copy);
  // Settled incident a released its teams, so use b's copy twice instead.
  Incident twin = snapshot.incidents.back();
  twin.id = "INC-20261127-100";
  twin.sequence = 100;
  snapshot.incidents.push_back(twin);
  auto restored = DispatchModule::Restore(world_.config, world_.org, snapshot);
  ASSERT_FALSE(restored.ok());
  EXPECT_EQ(restored.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(restored.status().message(), HasSubstr("held by another incident"));

  DispatchSnapshot repeated = module_->Snapshot();
  repeated.incidents.push_back(repeated.incidents[0]);
  EXPECT_EQ(DispatchModule::Restore(world_.config, world_.org, repeated).status().code(),
            StatusCode::kDataLoss);
}

}  // namespace
}  // namespace anding::core::dispatch

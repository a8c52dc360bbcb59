// The visits repository: what the register changes is saved through the
// path production uses (Changes → SaveVisitsChanges) and loads back equal;
// the schema refuses what the core would never write.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "anding/common/strings.h"
#include "anding/storage/database.h"
#include "anding/store/visits_repository.h"
#include "core/visits/fixture.h"

namespace anding::core::visits {
namespace {

using storage::Database;
using testing::At;
using testing::AVisit;
using testing::Day;
using testing::MakeOrg;

class VisitsRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           StrCat("anding_visits_store_", ::testing::UnitTest::GetInstance()->random_seed(), "_",
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = Database::Open((dir_ / "visits.db").string());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate("visits", store::VisitsMigrations()).ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Save(const Effects& out) {
    auto changes = register_.Changes(out.changed);
    ASSERT_TRUE(changes.ok()) << changes.status();
    const Status saved =
        storage::InTransaction(*db_, [&] { return store::SaveVisitsChanges(*db_, *changes); });
    ASSERT_TRUE(saved.ok()) << saved;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  Organisation org_ = MakeOrg();
  VisitRegister register_{VisitsConfig{}, org_};
  const Actor kLi = Actor::Operator("li");
};

TEST_F(VisitsRepositoryTest, SavedStateLoadsBackEqual) {
  Time now = At("2028-03-10T10:00:00+08:00");
  Effects out;
  VisitRequest first = AVisit("2028-02-29", "mine-1", "retiree-management", "王某", "138");
  first.channel = Channel::kOnline;
  first.destination = DestinationLevel::kProvince;
  first.note = "网上信访";
  ASSERT_TRUE(register_.RecordVisit(first, kLi, now, out).ok());
  ASSERT_TRUE(register_
                  .RecordVisit(AVisit("2028-03-01", "mine-1", "retiree-management", "王某", "138"),
                               kLi, now, out)
                  .ok());
  auto matter = register_.RegisterMatter(
      {"mine-1", "retiree-management", "待遇问题", "V-000002", Day("2028-03-01")}, kLi, now, out);
  ASSERT_TRUE(matter.ok());
  ASSERT_TRUE(
      register_.Act({matter->id, MatterAction::kAccept, Day("2028-03-02"), 0, ""}, kLi, now, out)
          .ok());
  ASSERT_TRUE(register_
                  .Act({matter->id, MatterAction::kExtend, Day("2028-03-10"), 20, "需要鉴定"}, kLi,
                       now, out)
                  .ok());
  register_.Tick(At("2028-05-30T00:00:00+08:00"),
                 out);  // breached: 1 May + 20 days ran out on 21 May
  Save(out);

  auto loaded = store::LoadVisitsState(*db_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(*loaded, register_.state());
  EXPECT_FALSE(loaded->matters.at("M-000001").warned.empty());
  auto restored = VisitRegister::Restore(VisitsConfig{}, org_, *loaded);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->state(), register_.state());
}

// The dispatcher keeps only the repeat window's visits that name their
// group (LoadVisitsState since a day) and recalls older ones from the store
// when a command needs them: it then decides exactly as a register holding
// every visit.
TEST_F(VisitsRepositoryTest, ARegisterOfRecentVisitsDecidesLikeOneOfAll) {
  const Time now = At("2028-06-30T10:00:00+08:00");
  Effects out;
  // Two years of one group's visits, every 40 days (each repeats the one
  // before, inside the 90-day window), and a matter on the first.
  CivilDay day = Day("2026-07-01");
  for (; day <= Day("2028-06-30"); day = day + 40) {
    ASSERT_TRUE(register_
                    .RecordVisit(AVisit(FormatDay(day).c_str(), "mine-1", "retiree-management",
                                        "王某", "138"),
                                 kLi, now, out)
                    .ok());
  }
  ASSERT_TRUE(register_
                  .RegisterMatter(
                      {"mine-1", "retiree-management", "待遇问题", "V-000001", Day("2026-07-01")},
                      kLi, now, out)
                  .ok());
  // Visits naming no group, inside the window: no later visit can repeat
  // them, so neither a start nor a long run holds them.
  for (const char* unnamed : {"2028-06-01", "2028-06-29"}) {
    ASSERT_TRUE(
        register_.RecordVisit(AVisit(unnamed, "mine-1", "retiree-management"), kLi, now, out).ok());
  }
  Save(out);

  const CivilDay since = Day("2028-06-30") - 90;
  auto loaded = store::LoadVisitsState(*db_, since);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_LT(loaded->visits.size(), register_.state().visits.size());
  EXPECT_EQ(loaded->next_visit, register_.state().next_visit);
  EXPECT_EQ(loaded->matters, register_.state().matters);
  for (const auto& [id, visit] : loaded->visits) {
    EXPECT_GE(visit.day, since) << id;
    EXPECT_TRUE(NamesAGroup(visit)) << id;
  }
  auto partial = VisitRegister::Restore(VisitsConfig{}, org_, *loaded);
  ASSERT_TRUE(partial.ok()) << partial.status() << " (a matter names a visit not held)";
  // A register that has run all along lets go of what that start did not
  // read, and holds the same.
  VisitRegister running = register_;
  EXPECT_EQ(running.Forget(since), register_.state().visits.size() - loaded->visits.size());
  VisitsState started = partial->state();
  EXPECT_TRUE(started.finished_matters_left);
  started.finished_matters_left = false;  // a start leaves them in the store; none here
  EXPECT_EQ(running.state(), started);
  EXPECT_EQ(running.Forget(since), 0u);

  // A visit dated a year back: its window comes from the store.
  VisitRequest backdated = AVisit("2027-07-20", "mine-1", "retiree-management", "王某", "138");
  auto window = store::LoadGroupVisits(*db_, "mine-1", "retiree-management", backdated.day - 90,
                                       backdated.day);
  ASSERT_TRUE(window.ok()) << window.status();
  EXPECT_FALSE(window->empty());
  partial->Recall(*window);
  running.Recall(*window);
  // An operator's link to the first visit of all: read by its id.
  VisitRequest linked = AVisit("2028-06-30", "mine-2", "retiree-management");
  linked.repeat_of = "V-000001";
  auto first = store::FindVisit(*db_, "V-000001");
  ASSERT_TRUE(first.ok() && first->has_value());
  partial->Recall({**first});
  running.Recall({**first});
  EXPECT_FALSE(store::FindVisit(*db_, "V-999999")->has_value());

  std::vector<Visit> recorded;
  for (const VisitRequest& request : {backdated, linked}) {
    Effects all_out;
    Effects partial_out;
    Effects running_out;
    auto from_all = register_.RecordVisit(request, kLi, now, all_out);
    auto from_partial = partial->RecordVisit(request, kLi, now, partial_out);
    auto from_running = running.RecordVisit(request, kLi, now, running_out);
    ASSERT_TRUE(from_all.ok() && from_partial.ok()) << from_all.status() << from_partial.status();
    ASSERT_TRUE(from_running.ok()) << from_running.status();
    EXPECT_EQ(*from_partial, *from_all);
    EXPECT_EQ(*from_running, *from_all);
    recorded.push_back(*from_all);
  }
  EXPECT_EQ(recorded[0].repeat_basis, "window") << "the backdated visit repeats one of its window";
  EXPECT_EQ(recorded[1].repeat_of, "V-000001");
}

// The dispatcher keeps only the matters in which a limit runs (a start
// reads those; a long run lets go of the others once stored) and reads the
// others back by key when a command names one: it then decides exactly as
// a register holding every matter, and numbers the next matter after the
// highest stored, held or not.
TEST_F(VisitsRepositoryTest, ARegisterOfRunningMattersDecidesLikeOneOfAll) {
  const Time now = At("2027-03-01T10:00:00+08:00");
  Effects out;
  for (const char* summary : {"待遇问题", "工资拖欠", "安置补偿", "重复反映"}) {
    ASSERT_TRUE(
        register_.RegisterMatter({"mine-1", "", summary, "", Day("2027-02-01")}, kLi, now, out)
            .ok());
  }
  auto act = [&](VisitRegister& book, const char* id, MatterAction action, const char* day,
                 Effects& effects) {
    return book.Act({id, action, Day(day), 0, "答复"}, kLi, now, effects);
  };
  ASSERT_TRUE(act(register_, "M-000001", MatterAction::kAccept, "2027-02-02", out).ok());
  ASSERT_TRUE(act(register_, "M-000001", MatterAction::kConclude, "2027-02-20", out).ok());
  ASSERT_TRUE(act(register_, "M-000003", MatterAction::kAccept, "2027-02-03", out).ok());
  ASSERT_TRUE(act(register_, "M-000004", MatterAction::kDecline, "2027-02-03", out).ok());
  Save(out);

  auto loaded = store::LoadVisitsState(*db_, Day("2026-12-01"));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  std::vector<std::string> held;
  for (const auto& [id, matter] : loaded->matters) held.push_back(id);
  EXPECT_EQ(held, (std::vector<std::string>{"M-000002", "M-000003"})) << "the running ones";
  EXPECT_EQ(loaded->next_matter, 5) << "after the highest stored, which runs no limit";
  EXPECT_TRUE(loaded->finished_matters_left);
  auto partial = VisitRegister::Restore(VisitsConfig{}, org_, *loaded);
  ASSERT_TRUE(partial.ok()) << partial.status();

  // A register that has run all along lets go of the same ones.
  VisitRegister running = register_;
  EXPECT_EQ(running.ReleaseMatter("M-000003").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(running.ReleaseMatter("M-000009").code(), StatusCode::kNotFound);
  ASSERT_TRUE(running.ReleaseMatter("M-000001").ok());
  ASSERT_TRUE(running.ReleaseMatter("M-000004").ok());
  EXPECT_EQ(running.state().matters, partial->state().matters);
  EXPECT_TRUE(running.state().finished_matters_left);
  EXPECT_FALSE(running.HoldsMatter("M-000001"));

  // A review of the concluded one: read back by key, then decided alike.
  auto stored = store::FindMatter(*db_, "M-000001");
  ASSERT_TRUE(stored.ok() && stored->has_value()) << stored.status();
  EXPECT_EQ(**stored, register_.state().matters.at("M-000001"));
  EXPECT_FALSE(store::FindMatter(*db_, "M-000099")->has_value());
  partial->RecallMatter(**stored);
  running.RecallMatter(**stored);
  EXPECT_TRUE(running.HoldsMatter("M-000001"));
  Effects all_out;
  Effects partial_out;
  Effects running_out;
  auto from_all = act(register_, "M-000001", MatterAction::kRequestReview, "2027-03-01", all_out);
  auto from_partial =
      act(*partial, "M-000001", MatterAction::kRequestReview, "2027-03-01", partial_out);
  auto from_running =
      act(running, "M-000001", MatterAction::kRequestReview, "2027-03-01", running_out);
  ASSERT_TRUE(from_all.ok()) << from_all.status();
  ASSERT_TRUE(from_partial.ok() && from_running.ok());
  EXPECT_EQ(*from_partial, *from_all);
  EXPECT_EQ(*from_running, *from_all);
  // And the next matter is numbered alike.
  auto next_all =
      register_.RegisterMatter({"mine-2", "", "新事项", "", Day("2027-03-01")}, kLi, now, all_out);
  auto next_partial =
      partial->RegisterMatter({"mine-2", "", "新事项", "", Day("2027-03-01")}, kLi, now, all_out);
  ASSERT_TRUE(next_all.ok() && next_partial.ok());
  EXPECT_EQ(next_partial->id, "M-000005");
  EXPECT_EQ(*next_partial, *next_all);
}

// `matters list` reads the store a page at a time, in the order of the
// ids' numbers ("M-1000000" after "M-999999"), with each filter.
TEST_F(VisitsRepositoryTest, MattersListAPageAtATimeInNumberOrder) {
  VisitsChangeSet changes;
  auto add = [&](const char* id, const char* unit, MatterState state) {
    Matter matter;
    matter.id = id;
    matter.unit_id = unit;
    matter.summary = "事项";
    matter.state = state;
    matter.received_day = Day("2027-01-01");
    changes.matters[id] = matter;
  };
  add("M-000001", "mine-1", MatterState::kReceived);
  add("M-000002", "mine-1", MatterState::kConcluded);
  add("M-999999", "mine-2", MatterState::kConcluded);
  add("M-1000000", "mine-1", MatterState::kAccepted);
  ASSERT_TRUE(
      storage::InTransaction(*db_, [&] { return store::SaveVisitsChanges(*db_, changes); }).ok());
  auto ids = [&](const store::MatterQuery& query) {
    auto page = store::ListMatterPage(*db_, query);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> listed;
    if (!page.ok()) return listed;
    for (const Matter& matter : page->matters) listed.push_back(matter.id);
    if (!page->next_cursor.empty()) listed.push_back("next " + page->next_cursor);
    return listed;
  };
  using Ids = std::vector<std::string>;
  store::MatterQuery query;
  query.limit = 2;
  EXPECT_EQ(ids(query), (Ids{"M-000001", "M-000002", "next M-000002"}));
  query.cursor = "M-000002";
  EXPECT_EQ(ids(query), (Ids{"M-999999", "M-1000000"}));
  query = {};
  query.unit_id = "mine-1";
  EXPECT_EQ(ids(query), (Ids{"M-000001", "M-000002", "M-1000000"}));
  query.open_only = true;
  EXPECT_EQ(ids(query), (Ids{"M-000001", "M-1000000"}));
  query.state = "concluded";
  EXPECT_EQ(ids(query), Ids{}) << "open and concluded: none";
  query.open_only = false;
  EXPECT_EQ(ids(query), (Ids{"M-000002"}));
  query.unit_id.clear();
  EXPECT_EQ(ids(query), (Ids{"M-000002", "M-999999"}));
  query.state = "accepted";
  EXPECT_EQ(ids(query), (Ids{"M-1000000"}));
  for (const char* cursor : {"V-000001", "yesterday", "M-"}) {
    query.cursor = cursor;
    EXPECT_EQ(store::ListMatterPage(*db_, query).status().code(), StatusCode::kInvalidArgument)
        << cursor;
  }
  query.cursor.clear();
  query.state = "lost";
  EXPECT_EQ(store::ListMatterPage(*db_, query).status().code(), StatusCode::kInvalidArgument);

  auto loaded = store::LoadVisitsState(*db_, Day("2026-12-01"));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->next_matter, 1000001);
  EXPECT_EQ(loaded->matters.size(), 2u);
}

TEST_F(VisitsRepositoryTest, TheSchemaRefusesImpossibleRows) {
  VisitsChangeSet bad;
  Visit visit;
  visit.id = "V-000001";
  visit.day = Day("2028-01-01");
  visit.unit_id = "mine-1";
  visit.batches = 3;
  visit.persons = 2;
  bad.visits[visit.id] = visit;
  EXPECT_FALSE(
      storage::InTransaction(*db_, [&] { return store::SaveVisitsChanges(*db_, bad); }).ok());
  VisitsChangeSet unreasoned;
  Matter matter;
  matter.id = "M-000001";
  matter.summary = "s";
  matter.received_day = Day("2028-01-01");
  matter.extension_days = 10;  // without its reason
  unreasoned.matters[matter.id] = matter;
  EXPECT_FALSE(storage::InTransaction(*db_, [&] {
                 return store::SaveVisitsChanges(*db_, unreasoned);
               }).ok());
  auto loaded = store::LoadVisitsState(*db_);
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->visits.empty());
  EXPECT_TRUE(loaded->matters.empty());
}

}  // namespace
}  // namespace anding::core::visits

// Ledger::TakeChanges: copies of the records a command changed, each item's
// logs cut to the entries not handed over before, and the marks that
// remember what was.
#include "anding/core/ledger/changes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/ledger/fixture.h"

namespace anding::core::ledger {
namespace {

using std::chrono::hours;
using testing::At;
using testing::SampleRegistration;
using ::testing::UnorderedElementsAreArray;

class ChangesTest : public testing::LedgerFixture {
 protected:
  // Runs a command and returns its Effects::changed.
  std::vector<RecordRef> Run(const std::function<Status(Effects&)>& command) {
    Effects out;
    const Status status = command(out);
    EXPECT_TRUE(status.ok()) << status;
    return out.changed;
  }
  std::vector<RecordRef> RegisterItem(Time now) {
    return Run([&](Effects& out) {
      return ledger->Register(SampleRegistration(), Actor::Agent("mine-1"), now, out).status();
    });
  }
  std::vector<RecordRef> ProgressItem(const std::string& id, Time now) {
    return Run([&](Effects& out) {
      UpdateItemRequest update;
      update.item_id = id;
      update.progress = "走访";
      return ledger->Update(update, Actor::Agent("mine-1"), now, out);
    });
  }
  LedgerChangeSet Take(const std::vector<RecordRef>& changed) {
    auto changes = ledger->TakeChanges(changed);
    EXPECT_TRUE(changes.ok()) << changes.status();
    return changes.ok() ? *changes : LedgerChangeSet{};
  }
};

TEST_F(ChangesTest, AnItemsLogsAreHandedOverOnce) {
  const LedgerChangeSet registered = Take(RegisterItem(t0));
  ASSERT_EQ(registered.items.size(), 1u);
  const LedgerItemChange& first = registered.items[0];
  EXPECT_EQ(first.from, LogCounts{});
  EXPECT_EQ(first.item.history.size(), 1u);  // "registered"
  EXPECT_TRUE(registered.meta.has_value());  // the id counter moved

  const std::string id = first.item.id;
  const LedgerChangeSet progressed = Take(ProgressItem(id, t0 + hours(1)));
  ASSERT_EQ(progressed.items.size(), 1u);
  const LedgerItemChange& second = progressed.items[0];
  EXPECT_EQ(second.from, (LogCounts{1, 0, 0}));
  ASSERT_EQ(second.item.history.size(), 1u);
  EXPECT_EQ(second.item.history[0], ledger->FindItem(id)->history[1]);
  ASSERT_EQ(second.item.updates.size(), 1u);
  EXPECT_EQ(second.item.updates[0].text, "走访");
  // Its fields are all there.
  LedgerItem fields = second.item;
  fields.history.clear();
  fields.updates.clear();
  EXPECT_EQ(fields, FieldsOf(*ledger->FindItem(id)));

  // Taking the same refs again hands over no entry twice.
  const LedgerChangeSet again = Take({RecordRef{std::string(kItemRecord), id}});
  ASSERT_EQ(again.items.size(), 1u);
  EXPECT_EQ(again.items[0].from, (LogCounts{2, 1, 0}));
  EXPECT_TRUE(again.items[0].item.history.empty());
  EXPECT_TRUE(again.items[0].item.updates.empty());
}

TEST_F(ChangesTest, EffectsNotTakenAreHandedOverWithTheNextTake) {
  const std::string id = Register(t0);  // its Effects are dropped
  ASSERT_TRUE(Progress(id, t0 + hours(1)).ok());
  const LedgerChangeSet changes = Take(ProgressItem(id, t0 + hours(2)));
  ASSERT_EQ(changes.items.size(), 1u);
  EXPECT_EQ(changes.items[0].from, LogCounts{});
  EXPECT_EQ(changes.items[0].item.history.size(), 3u);
  EXPECT_EQ(changes.items[0].item.updates.size(), 2u);
}

TEST_F(ChangesTest, OtherModulesAreIgnoredAndDuplicatesCopiedOnce) {
  std::vector<RecordRef> changed = RegisterItem(t0);
  const size_t ledger_refs = changed.size();
  changed.insert(changed.end(), changed.begin(), changed.end());
  changed.push_back(RecordRef{"incident", "INC-20260302-001"});
  changed.push_back(RecordRef{"funds_transfer", "T-1"});
  const LedgerChangeSet changes = Take(changed);
  EXPECT_EQ(changes.items.size() + (changes.meta ? 1 : 0), ledger_refs);
  EXPECT_TRUE(Take({RecordRef{"incident", "INC-20260302-001"}}).empty());
}

TEST_F(ChangesTest, AnUnknownRecordIsInternalAndHandsOverNothing) {
  const std::vector<RecordRef> registered = RegisterItem(t0);
  for (const RecordRef& unknown :
       {RecordRef{std::string(kItemRecord), "TZ-2026-0042"},
        RecordRef{std::string(kWarningRecord), "YJ-2026-0042"},
        RecordRef{std::string(kScreeningRecord), "mine-1/2026-03-T1"},
        RecordRef{std::string(kReminderRecord), "mine-1/2026-03-T1"},
        RecordRef{std::string(kDailyReportRecord), "mine-1/2026-03-02"},
        RecordRef{std::string(kDailyReportRecord), "mine-1/yesterday"}}) {
    std::vector<RecordRef> changed = registered;
    changed.push_back(unknown);
    EXPECT_EQ(ledger->TakeChanges(changed).status().code(), StatusCode::kInternal) << unknown.id;
  }
  // The item's entries were not marked as handed over.
  const LedgerChangeSet changes = Take(registered);
  ASSERT_EQ(changes.items.size(), 1u);
  EXPECT_EQ(changes.items[0].from, LogCounts{});
}

TEST_F(ChangesTest, EveryKindOfRecordIsCopied) {
  LedgerChangeSet all;
  auto take = [&](const std::vector<RecordRef>& changed) {
    LedgerChangeSet changes = Take(changed);
    for (auto& item : changes.items) all.items.push_back(std::move(item));
    for (auto& warning : changes.warnings) all.warnings.push_back(std::move(warning));
    for (auto& record : changes.screenings) all.screenings.push_back(std::move(record));
    for (auto& reminder : changes.reminders) all.reminders.push_back(std::move(reminder));
    for (auto& report : changes.daily_reports) all.daily_reports.push_back(std::move(report));
    if (changes.meta) all.meta = changes.meta;
  };
  take(Run([&](Effects& out) {
    ledger->Tick(At("2026-03-01T01:00:00Z"), out);
    return OkStatus();
  }));
  take(Run([&](Effects& out) {
    EarlyWarningRequest warning;
    warning.summary = "拟集体上访";
    warning.category_id = "retiree-management";
    warning.persons = 20;
    return ledger->ReceiveWarning(warning, Actor::Agent("mine-2"), t0, out).status();
  }));
  take(Run([&](Effects& out) {
    ScreeningReportRequest zero;
    zero.period = {PeriodKind::kTenDay, 2026, 3, 1};
    zero.zero_report = true;
    zero.screened_by = "钱干事";
    return ledger->FileScreening(zero, Actor::Agent("mine-2"), t0, out).status();
  }));
  take(Run([&](Effects& out) {
    DailyReportRequest daily;
    daily.day = CivilDay(2026, 3, 2);
    daily.zero_report = true;
    daily.reported_by = "李干事";
    return ledger->FileDailyReport(daily, Actor::Agent("mine-1"), t0, out).status();
  }));
  take(Run([&](Effects& out) {
    ledger->Tick(At("2026-03-12T16:00:00Z"), out);
    return OkStatus();
  }));
  const LedgerSnapshot snapshot = ledger->Snapshot();
  EXPECT_THAT(all.warnings, UnorderedElementsAreArray(snapshot.warnings));
  EXPECT_THAT(all.screenings, UnorderedElementsAreArray(snapshot.screenings));
  EXPECT_THAT(all.reminders, UnorderedElementsAreArray(snapshot.screening_reminders));
  EXPECT_FALSE(all.reminders.empty());
  EXPECT_THAT(all.daily_reports, UnorderedElementsAreArray(snapshot.daily_reports));
  ASSERT_TRUE(all.meta.has_value());
  EXPECT_EQ(*all.meta, snapshot.meta);
  ASSERT_FALSE(all.items.empty());
}

TEST_F(ChangesTest, ALedgerBuiltFromASnapshotCountsEverythingAsStored) {
  const std::string id = Register(t0);
  ASSERT_TRUE(Progress(id, t0 + hours(1)).ok());
  ledger = std::make_unique<Ledger>(org, config, ledger->Snapshot());
  const LedgerChangeSet changes = Take(ProgressItem(id, t0 + hours(2)));
  ASSERT_EQ(changes.items.size(), 1u);
  EXPECT_EQ(changes.items[0].from, (LogCounts{2, 1, 0}));
  EXPECT_EQ(changes.items[0].item.history.size(), 1u);
  EXPECT_EQ(changes.items[0].item.updates.size(), 1u);
}

TEST(LedgerLogMarksTest, ALogShorterThanWhatWasHandedOverIsInternal) {
  LedgerItem item;
  item.id = "TZ-2026-0001";
  item.history.resize(3);
  item.warning_ids = {"YJ-2026-0001"};
  LedgerLogMarks marks;
  auto first = marks.HandedOver(item);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, LogCounts{});
  marks.Advance(item);
  auto second = marks.HandedOver(item);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, (LogCounts{3, 0, 1}));
  item.history.resize(2);
  EXPECT_EQ(marks.HandedOver(item).status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace anding::core::ledger

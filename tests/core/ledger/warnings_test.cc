// Early warnings: grading, attaching to or creating ledger items, and the
// special report (专报) for major ones.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "anding/core/ledger/grading.h"
#include "core/ledger/fixture.h"

namespace anding::core::ledger {
namespace {

using std::chrono::hours;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class WarningsTest : public testing::LedgerFixture {
 protected:
  static EarlyWarningRequest Warning(std::string category = "retiree-management") {
    EarlyWarningRequest request;
    request.summary = "部分退休职工酝酿集体上访";
    request.details = "约定下周一在矿门口集合";
    request.category_id = std::move(category);
    request.persons = 8;
    return request;
  }

  Result<WarningOutcome> Receive(const EarlyWarningRequest& request, Effects& out,
                                 std::string unit = "mine-1") {
    return ledger->ReceiveWarning(request, Actor::Agent(unit), t0, out);
  }

  static std::vector<HqAlert> SpecialReports(const Effects& out) {
    std::vector<HqAlert> alerts;
    for (const HqAlert& alert : out.alerts) {
      if (alert.kind == "special_report") alerts.push_back(alert);
    }
    return alerts;
  }
};

TEST(GradeWarningTest, EachRuleAddsAReason) {
  const Organisation org = testing::TestOrg();
  auto facts = [&](bool major, uint32_t persons, std::string_view region,
                   std::optional<RiskLevel> level) {
    return WarningFacts{major, persons, region.empty() ? nullptr : org.FindRegion(region), level};
  };
  const MajorWarningRules rules;  // 30 persons, provincial and national capital, critical
  EXPECT_FALSE(GradeWarning(facts(false, 0, "", std::nullopt), rules).major);
  EXPECT_THAT(GradeWarning(facts(true, 0, "", std::nullopt), rules).reasons,
              ElementsAre("reported_major"));
  EXPECT_FALSE(GradeWarning(facts(false, 29, "", std::nullopt), rules).major);
  EXPECT_THAT(GradeWarning(facts(false, 30, "", std::nullopt), rules).reasons,
              ElementsAre("persons>=30"));
  EXPECT_THAT(GradeWarning(facts(false, 0, "beijing", std::nullopt), rules).reasons,
              ElementsAre("destination:beijing"));
  EXPECT_THAT(GradeWarning(facts(false, 0, "zhengzhou", std::nullopt), rules).reasons,
              ElementsAre("destination:zhengzhou"));
  EXPECT_FALSE(GradeWarning(facts(false, 0, "hebi", std::nullopt), rules).major);
  EXPECT_THAT(GradeWarning(facts(false, 0, "", RiskLevel::kCritical), rules).reasons,
              ElementsAre("level:critical"));
  EXPECT_FALSE(GradeWarning(facts(false, 0, "", RiskLevel::kHigh), rules).major);
  EXPECT_THAT(
      GradeWarning(facts(true, 40, "beijing", RiskLevel::kCritical), rules).reasons,
      ElementsAre("reported_major", "persons>=30", "destination:beijing", "level:critical"));

  MajorWarningRules off = rules;
  off.persons_threshold = 0;
  off.destination_kinds = {RegionKind::kNationalCapital};
  off.critical_level_is_major = false;
  EXPECT_FALSE(GradeWarning(facts(false, 500, "", std::nullopt), off).major);
  EXPECT_FALSE(GradeWarning(facts(false, 0, "zhengzhou", std::nullopt), off).major);
  EXPECT_TRUE(GradeWarning(facts(false, 0, "beijing", std::nullopt), off).major);
  EXPECT_FALSE(GradeWarning(facts(false, 0, "", RiskLevel::kCritical), off).major);
}

TEST_F(WarningsTest, AWarningCreatesAnItemWhenNoneIsOpen) {
  Effects out;
  auto outcome = Receive(Warning(), out);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->warning_id, "YJ-2026-0001");
  EXPECT_EQ(outcome->ledger_item_id, "TZ-2026-0001");
  EXPECT_TRUE(outcome->created_item);
  EXPECT_FALSE(outcome->special_report);
  EXPECT_TRUE(SpecialReports(out).empty());
  const LedgerItem* item = ledger->FindItem(outcome->ledger_item_id);
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->source, ItemSource::kEarlyWarning);
  EXPECT_EQ(item->source_ref, "YJ-2026-0001");
  EXPECT_EQ(item->description, "部分退休职工酝酿集体上访\n约定下周一在矿门口集合");
  EXPECT_EQ(item->lead_department, "离退休管理部");
  EXPECT_EQ(item->responsible_leader.name, "王矿长");  // the unit's first leader
  EXPECT_EQ(item->responsible_person.name, "李干事");  // its duty contact
  EXPECT_EQ(item->level, RiskLevel::kMedium);
  EXPECT_EQ(item->deadline, t0 + config.default_deadline);
  EXPECT_THAT(item->warning_ids, ElementsAre("YJ-2026-0001"));
  const WarningRecord* warning = ledger->FindWarning("YJ-2026-0001");
  ASSERT_NE(warning, nullptr);
  EXPECT_EQ(warning->ledger_item_id, item->id);
  EXPECT_EQ(warning->received_from, Actor::Agent("mine-1"));
  EXPECT_THAT(out.changed, ::testing::UnorderedElementsAre(RecordRef{"ledger_item", item->id},
                                                           RecordRef{"early_warning", warning->id},
                                                           RecordRef{"ledger_meta", "ledger"}));
}

TEST_F(WarningsTest, AWarningJoinsTheNewestOpenItemOfTheSameUnitAndCategory) {
  const std::string older = Register(t0 - hours(2));
  const std::string newer = Register(t0 - hours(1));
  Register(t0 - hours(1), "mine-2");           // other unit
  Register(t0 - hours(1), "mine-1", "other");  // other category
  Effects out;
  EarlyWarningRequest request = Warning();
  request.persons = 25;
  request.level = RiskLevel::kHigh;
  auto outcome = Receive(request, out);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_FALSE(outcome->created_item);
  EXPECT_EQ(outcome->ledger_item_id, newer);
  const LedgerItem* item = ledger->FindItem(newer);
  EXPECT_THAT(item->warning_ids, ElementsAre(outcome->warning_id));
  // Attaching escalates persons and level, with before and after.
  EXPECT_EQ(item->persons, 25u);
  EXPECT_EQ(item->level, RiskLevel::kHigh);
  EXPECT_EQ(item->history.back().action, kActionWarningAttached);
  EXPECT_THAT(item->history.back().changes, ElementsAre(FieldChange{"persons", "12", "25"},
                                                        FieldChange{"level", "medium", "high"}));
  EXPECT_TRUE(ledger->FindItem(older)->warning_ids.empty());

  // Closed-out items are not matched: a new item is opened instead.
  ASSERT_TRUE(Resolve(older, t0).ok());
  ASSERT_TRUE(CloseOut(older, t0).ok());
  ASSERT_TRUE(Resolve(newer, t0).ok());
  ASSERT_TRUE(CloseOut(newer, t0).ok());
  auto fresh = Receive(Warning(), out);
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(fresh->created_item);
}

// The dispatcher's ledger is restored from what is open and recalls older
// items by key: a warning finds its unit's open item among both.
TEST_F(WarningsTest, RestoredAndRecalledItemsAreJoinedToo) {
  const std::string restored = Register(t0 - hours(2));
  const std::string recalled = Register(t0 - hours(1), "mine-2");
  LedgerSnapshot snapshot = ledger->Snapshot();
  LedgerItem other_unit = *ledger->FindItem(recalled);
  std::erase_if(snapshot.items, [&](const LedgerItem& item) { return item.id == recalled; });
  ledger = std::make_unique<Ledger>(org, config, std::move(snapshot));
  ledger->Recall(std::move(other_unit));
  Effects out;
  auto joined = Receive(Warning(), out);
  ASSERT_TRUE(joined.ok()) << joined.status();
  EXPECT_FALSE(joined->created_item);
  EXPECT_EQ(joined->ledger_item_id, restored);
  auto recalled_joined = Receive(Warning(), out, "mine-2");
  ASSERT_TRUE(recalled_joined.ok()) << recalled_joined.status();
  EXPECT_FALSE(recalled_joined->created_item);
  EXPECT_EQ(recalled_joined->ledger_item_id, recalled);
}

TEST_F(WarningsTest, AnExplicitLinkToAClosedItemIsARebound) {
  const std::string id = Register(t0 - hours(5));
  ASSERT_TRUE(Resolve(id, t0 - hours(4)).ok());
  ASSERT_TRUE(CloseOut(id, t0 - hours(3)).ok());
  Effects out;
  EarlyWarningRequest request = Warning();
  request.category_id.clear();  // taken from the item
  request.ledger_item_id = id;
  auto outcome = Receive(request, out);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_TRUE(outcome->reopened_item);
  const LedgerItem* item = ledger->FindItem(id);
  EXPECT_EQ(item->state, ItemState::kReopened);
  EXPECT_EQ(item->reopen_count, 1u);
  ASSERT_GE(item->history.size(), 2u);
  EXPECT_EQ(item->history[item->history.size() - 2].action, kActionReopened);
  EXPECT_EQ(item->history.back().action, kActionWarningAttached);
  EXPECT_EQ(ledger->FindWarning(outcome->warning_id)->category_id, "retiree-management");
}

TEST_F(WarningsTest, LinksMustStayWithinTheUnit) {
  const std::string other = Register(t0, "mine-2");
  Effects out;
  EarlyWarningRequest request = Warning();
  request.ledger_item_id = other;
  EXPECT_EQ(Receive(request, out).status().code(), StatusCode::kPermissionDenied);
  request.unit_id = "mine-1";
  EXPECT_EQ(ledger->ReceiveWarning(request, Actor::Operator("zhang"), t0, out).status().code(),
            StatusCode::kInvalidArgument);
  request.unit_id.clear();
  request.ledger_item_id = "TZ-2026-0404";
  EXPECT_EQ(Receive(request, out).status().code(), StatusCode::kNotFound);
  request.ledger_item_id = other;
  request.category_id = "other";
  EXPECT_EQ(Receive(request, out, "mine-2").status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(ledger->warnings().empty());
}

TEST_F(WarningsTest, AWarningMarkedMajorIsSpecialReportedAtOnce) {
  Effects out;
  EarlyWarningRequest request = Warning();
  request.major = true;
  auto outcome = Receive(request, out);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_TRUE(outcome->special_report);
  const auto alerts = SpecialReports(out);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].severity, HqAlert::Severity::kCritical);
  EXPECT_EQ(alerts[0].reference_id, outcome->warning_id);
  EXPECT_EQ(alerts[0].unit_id, "mine-1");
  EXPECT_THAT(alerts[0].text, HasSubstr("【专报】"));
  EXPECT_THAT(alerts[0].text, HasSubstr(outcome->ledger_item_id));
  bool feed = false;
  for (const FeedNotice& notice : out.notices) feed = feed || notice.state == "special_report";
  EXPECT_TRUE(feed);
  // Unmarked major warnings default to a high level.
  EXPECT_EQ(ledger->FindItem(outcome->ledger_item_id)->level, RiskLevel::kHigh);
  EXPECT_TRUE(ledger->FindWarning(outcome->warning_id)->graded_major);
}

TEST_F(WarningsTest, TheRulesGradeUnmarkedWarningsMajor) {
  struct Case {
    uint32_t persons;
    std::string destination;
    bool major;
  };
  for (const Case& c :
       {Case{29, "", false}, Case{30, "", true}, Case{5, "beijing", true},
        Case{5, "zhengzhou", true}, Case{5, "hebi", false}, Case{5, "anyang", false}}) {
    Effects out;
    EarlyWarningRequest request = Warning();
    request.persons = c.persons;
    request.destination_region_id = c.destination;
    auto outcome = Receive(request, out);
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    EXPECT_EQ(outcome->special_report, c.major) << c.persons << " " << c.destination;
    EXPECT_EQ(SpecialReports(out).size(), c.major ? 1u : 0u);
    if (c.destination == "beijing") {
      EXPECT_THAT(SpecialReports(out)[0].text, HasSubstr("赴北京"));
    }
  }
}

TEST_F(WarningsTest, BadWarningsAreRejectedWithoutEffects) {
  Effects out;
  EarlyWarningRequest request = Warning();
  request.destination_region_id = "shanghai";
  EXPECT_THAT(Receive(request, out).status().message(), HasSubstr("unknown destination region"));
  request = Warning();
  request.summary = std::string(201, 'x');
  EXPECT_THAT(Receive(request, out).status().message(), HasSubstr("too long"));
  request.summary.clear();
  for (int i = 0; i < 200; ++i) request.summary += "访";  // 200 characters, 600 bytes
  EXPECT_TRUE(Receive(request, out).ok());
  out = Effects{};
  request = Warning("no-such-category");
  EXPECT_EQ(Receive(request, out).status().code(), StatusCode::kInvalidArgument);
  request = Warning();
  request.observed_at = t0 + hours(1);
  EXPECT_EQ(Receive(request, out).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace anding::core::ledger

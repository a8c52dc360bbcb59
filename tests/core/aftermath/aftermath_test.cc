// The post-incident review: what a review needs before its incident may
// close (configuration), the refusals that change nothing, the rebound
// watch in Asia/Shanghai days (inside, outside, on the boundary), the
// configuration, the printable review and the repository.
#include "anding/core/aftermath/aftermath.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "anding/common/config.h"
#include "anding/common/strings.h"
#include "anding/core/aftermath/review_document.h"
#include "anding/storage/database.h"
#include "anding/store/aftermath_repository.h"

namespace anding::core::aftermath {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

Time At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

// Settled on 1 December 2026 at 10:00 in Shanghai.
Time Settled() { return At("2026-12-01T10:00:00+08:00"); }

OpenReviewRequest Opening(std::string incident = "INC-20261201-001") {
  return {std::move(incident),    "mine-3",  "retiree-management",
          "三矿退休职工赴京上访", Settled(), Person{"施红", "+8613903923001", "矿长"},
          "TZ-2026-0007"};
}

ReviewUpdate Complete(std::string incident = "INC-20261201-001") {
  ReviewUpdate u;
  u.incident_id = std::move(incident);
  u.investigation = "核实退休待遇差额 37 人";
  u.solution = "按 2019 年政策补发";
  u.department = "人力资源部";
  u.representatives_told_at = Settled() + std::chrono::hours(48);
  u.representatives_told_by = "信访办 王主任";
  u.root_cause = "policy";
  u.other_losses_fen = 120'000;
  u.other_losses_text = "停产半天";
  u.responsibility = "劳资科解释不到位";
  u.lessons = "政策变动前先排查";
  return u;
}

class AftermathTest : public ::testing::Test {
 protected:
  AftermathTest() : aftermath_(AftermathConfig{}) {
    Effects out;
    EXPECT_TRUE(aftermath_.Open(Opening(), Settled(), out).ok());
  }

  Status Update(const ReviewUpdate& update, Time now = Settled() + std::chrono::hours(72)) {
    Effects out;
    auto result = aftermath_.Update(update, Actor::Operator("wang"), now, out);
    last_ = std::move(out);
    return result.status();
  }

  Aftermath aftermath_;
  Effects last_;
};

TEST_F(AftermathTest, OpeningRecordsTheOwnerAndTheFollowUpItem) {
  const Review* review = aftermath_.Find("INC-20261201-001");
  ASSERT_NE(review, nullptr);
  EXPECT_EQ(review->unit_id, "mine-3");
  EXPECT_EQ(review->ledger_item_id, "TZ-2026-0007");
  EXPECT_EQ(review->responsible_leader.name, "施红");
  EXPECT_EQ(review->opened_at, Settled());
  EXPECT_EQ(review->watch_days, 30);
  // Opening again changes nothing.
  Effects again;
  ASSERT_TRUE(aftermath_.Open(Opening(), Settled() + std::chrono::hours(1), again).ok());
  EXPECT_TRUE(again.empty());
}

TEST_F(AftermathTest, TheIncidentClosesOnlyWhenTheReviewIsComplete) {
  EXPECT_EQ(aftermath_.CheckClosable("INC-20261201-999").code(), StatusCode::kFailedPrecondition);
  Status gate = aftermath_.CheckClosable("INC-20261201-001");
  EXPECT_EQ(gate.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(aftermath_.Missing(*aftermath_.Find("INC-20261201-001")),
              ElementsAre("investigation", "solution", "representatives_told", "root_cause",
                          "losses", "responsibility", "lessons"));

  // Told, but not by whom: still missing.
  ReviewUpdate partial;
  partial.incident_id = "INC-20261201-001";
  partial.representatives_told_at = Settled() + std::chrono::hours(1);
  partial.investigation = "  核实  ";
  ASSERT_TRUE(Update(partial).ok());
  EXPECT_EQ(aftermath_.Find("INC-20261201-001")->investigation, "核实");
  gate = aftermath_.CheckClosable("INC-20261201-001");
  EXPECT_THAT(gate.message(), HasSubstr("representatives_told"));
  EXPECT_THAT(gate.message(), Not(HasSubstr("investigation")));
  EXPECT_EQ(last_.notices.back().state, "updated");

  ASSERT_TRUE(Update(Complete()).ok());
  EXPECT_TRUE(aftermath_.CheckClosable("INC-20261201-001").ok());
  EXPECT_EQ(last_.notices.back().state, "complete");
  EXPECT_THAT(last_.changed, ::testing::Contains(RecordRef{"review", "INC-20261201-001"}));
  // Emptying a mandatory field closes the gate again.
  ReviewUpdate cleared;
  cleared.incident_id = "INC-20261201-001";
  cleared.lessons = " ";
  ASSERT_TRUE(Update(cleared).ok());
  EXPECT_THAT(aftermath_.CheckClosable("INC-20261201-001").message(), HasSubstr("lessons"));
}

// Telling the representatives is recorded to the minute: a time in the
// minute of a settlement made at 10:20:37.119 is not before it.
TEST_F(AftermathTest, TheRepresentativesMayBeToldInTheMinuteOfTheSettlement) {
  const Time settled = At("2026-12-01T10:20:37.119+08:00");
  Effects out;
  OpenReviewRequest opening = Opening("INC-20261201-002");
  opening.settled_at = settled;
  ASSERT_TRUE(aftermath_.Open(opening, settled, out).ok());
  ReviewUpdate u = Complete("INC-20261201-002");
  u.representatives_told_at = At("2026-12-01T10:20:00+08:00");
  EXPECT_TRUE(Update(u).ok());
  u.representatives_told_at = At("2026-12-01T10:19:59+08:00");
  EXPECT_EQ(Update(u).code(), StatusCode::kInvalidArgument);
}

TEST_F(AftermathTest, WhichFieldsAreMandatoryIsConfiguration) {
  AftermathConfig config;
  config.mandatory = {"lessons", "improvements"};
  Aftermath light(config);
  Effects out;
  ASSERT_TRUE(light.Open(Opening(), Settled(), out).ok());
  EXPECT_THAT(light.Missing(*light.Find("INC-20261201-001")),
              ElementsAre("lessons", "improvements"));
  ReviewUpdate u;
  u.incident_id = "INC-20261201-001";
  u.lessons = "教训";
  u.improvements = "整改";
  ASSERT_TRUE(light.Update(u, Actor::Operator("wang"), Settled(), out).ok());
  EXPECT_TRUE(light.CheckClosable("INC-20261201-001").ok());

  AftermathConfig none;
  none.mandatory.clear();
  Aftermath open_gate(none);
  ASSERT_TRUE(open_gate.Open(Opening(), Settled(), out).ok());
  EXPECT_TRUE(open_gate.CheckClosable("INC-20261201-001").ok());  // a review is still needed
  EXPECT_FALSE(open_gate.CheckClosable("INC-20261201-002").ok());
}

TEST_F(AftermathTest, BadUpdatesChangeNothing) {
  const auto before = aftermath_.Snapshot();
  ReviewUpdate u = Complete();
  u.root_cause = "weather";
  EXPECT_EQ(Update(u).code(), StatusCode::kInvalidArgument);
  u = Complete();
  u.watch_days = 0;
  EXPECT_EQ(Update(u).code(), StatusCode::kInvalidArgument);
  u.watch_days = 366;
  EXPECT_EQ(Update(u).code(), StatusCode::kInvalidArgument);
  u = Complete();
  u.other_losses_fen = -1;
  EXPECT_EQ(Update(u).code(), StatusCode::kInvalidArgument);
  u = Complete();
  u.representatives_told_at = Settled() - std::chrono::minutes(1);  // before the settlement
  EXPECT_EQ(Update(u).code(), StatusCode::kInvalidArgument);
  u.representatives_told_at = Settled() - std::chrono::seconds(1);  // the minute before
  EXPECT_EQ(Update(u).code(), StatusCode::kInvalidArgument);
  u.representatives_told_at = Settled() + std::chrono::hours(73);  // after `now`
  EXPECT_EQ(Update(u).code(), StatusCode::kInvalidArgument);
  u = Complete("INC-20261201-404");
  EXPECT_EQ(Update(u).code(), StatusCode::kNotFound);
  EXPECT_TRUE(last_.empty());
  EXPECT_EQ(aftermath_.Snapshot(), before);
}

ReboundCandidate Incident(std::string id, Time at, std::string unit = "mine-3",
                          std::string category = "retiree-management") {
  return {"incident", std::move(id), {"zz-office", std::move(unit)}, std::move(category),
          at,         "又到省信访局"};
}

// The watch covers the settlement's local day and the 30 local days after
// it: settled on 1 December, the last day watched is 31 December, Shanghai
// time. 31 December 23:59:59 is inside; 1 January 00:00 is outside,
// although in UTC it is still 31 December.
TEST_F(AftermathTest, TheReboundWindowIsCountedInShanghaiDays) {
  const Review& review = *aftermath_.Find("INC-20261201-001");
  EXPECT_EQ(aftermath_.WatchUntil(review), CivilDay(2026, 12, 31));
  Effects out;
  aftermath_.Watch(Incident("INC-20261231-001", At("2026-12-31T23:59:59+08:00")), out);
  aftermath_.Watch(Incident("INC-20270101-001", At("2027-01-01T00:00:00+08:00")), out);
  ASSERT_EQ(review.rebounds.size(), 1u);
  EXPECT_EQ(review.rebounds[0].id, "INC-20261231-001");
  EXPECT_EQ(review.rebounds[0].kind, "incident");
  ASSERT_EQ(out.alerts.size(), 1u);
  EXPECT_EQ(out.alerts[0].kind, "rebound");
  EXPECT_EQ(out.alerts[0].reference_id, "INC-20261201-001");
  EXPECT_THAT(out.alerts[0].text, HasSubstr("INC-20261231-001"));
  EXPECT_EQ(out.notices.back().state, "rebound");
}

TEST_F(AftermathTest, OnlyTheSameUnitAndCategoryAfterTheSettlementIsARebound) {
  Effects out;
  const Time inside = Settled() + std::chrono::hours(24 * 10);
  aftermath_.Watch(Incident("INC-a", Settled()), out);  // at the settlement itself: not after it
  aftermath_.Watch(Incident("INC-b", inside, "mine-6"), out);
  aftermath_.Watch(Incident("INC-c", inside, "mine-3", "work-injury"), out);
  aftermath_.Watch(Incident("INC-20261201-001", inside), out);  // the incident itself
  EXPECT_TRUE(out.empty());
  // A warning counts as well, and the same report is recorded once.
  const ReboundCandidate warning{"warning", "YJ-2026-0031", {"mine-3"}, "retiree-management",
                                 inside,    "退休职工串联"};
  aftermath_.Watch(warning, out);
  aftermath_.Watch(warning, out);
  const Review& review = *aftermath_.Find("INC-20261201-001");
  ASSERT_EQ(review.rebounds.size(), 1u);
  EXPECT_EQ(review.rebounds[0].kind, "warning");
  EXPECT_EQ(out.alerts.size(), 1u);

  // A longer watch, set on the review, moves the boundary.
  ReviewUpdate longer;
  longer.incident_id = "INC-20261201-001";
  longer.watch_days = 45;
  ASSERT_TRUE(Update(longer).ok());
  Effects later;
  aftermath_.Watch(Incident("INC-20270115-001", At("2027-01-15T23:00:00+08:00")), later);
  aftermath_.Watch(Incident("INC-20270116-001", At("2027-01-16T00:00:00+08:00")), later);
  EXPECT_EQ(aftermath_.Find("INC-20261201-001")->rebounds.size(), 2u);
}

TEST_F(AftermathTest, AnIncidentWithoutCategoryIsWatchedByItsUnit) {
  Effects out;
  OpenReviewRequest uncategorised = Opening("INC-20261201-002");
  uncategorised.category_id.clear();
  ASSERT_TRUE(aftermath_.Open(uncategorised, Settled(), out).ok());
  aftermath_.Watch(Incident("INC-x", Settled() + std::chrono::hours(1), "mine-3", "other"), out);
  EXPECT_EQ(aftermath_.Find("INC-20261201-002")->rebounds.size(), 1u);
  EXPECT_TRUE(aftermath_.Find("INC-20261201-001")->rebounds.empty());  // its category differs
}

TEST(AftermathConfigTest, DefaultsAndErrors) {
  Organisation org;
  {
    auto doc = ConfigDocument::LoadString("{}", "a.yaml");
    ASSERT_TRUE(doc.ok());
    ConfigNode root = doc->root();
    const AftermathConfig config = ReadAftermathConfig(root, org);
    EXPECT_EQ(config.watch_days, 30);
    EXPECT_EQ(config.root_causes.size(), 6u);
    EXPECT_TRUE(doc->Finish().ok());
  }
  {
    auto doc = ConfigDocument::LoadString(R"(
aftermath:
  watch_days: 60
  root_causes: [{id: wages, name: 工资拖欠}]
  mandatory: [lessons]
)",
                                          "b.yaml");
    ASSERT_TRUE(doc.ok());
    ConfigNode root = doc->root();
    const AftermathConfig config = ReadAftermathConfig(root, org);
    EXPECT_EQ(config.watch_days, 60);
    ASSERT_EQ(config.root_causes.size(), 1u);
    EXPECT_EQ(config.root_causes[0].name, "工资拖欠");
    EXPECT_THAT(config.mandatory, ElementsAre("lessons"));
    EXPECT_TRUE(doc->Finish().ok());
  }
  {
    auto doc = ConfigDocument::LoadString(R"(
aftermath:
  watch_days: 0
  root_causes: [{id: a, name: 甲}, {id: a, name: 乙}]
  mandatory: [lessons, weather]
)",
                                          "c.yaml");
    ASSERT_TRUE(doc.ok());
    ConfigNode root = doc->root();
    (void)ReadAftermathConfig(root, org);
    const Status finished = doc->Finish();
    EXPECT_FALSE(finished.ok());
    EXPECT_THAT(finished.message(), HasSubstr("watch_days"));
    EXPECT_THAT(finished.message(), HasSubstr("listed twice"));
    EXPECT_THAT(finished.message(), HasSubstr("unknown review field 'weather'"));
  }
}

// The documented example is valid and spells out the defaults.
TEST(AftermathConfigTest, TheExampleFileHoldsTheDefaults) {
  auto doc = ConfigDocument::LoadFile(ANDING_SOURCE_DIR "/deploy/demo/aftermath-example.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status();
  ConfigNode root = doc->root();
  (void)root.Get<std::string>("time_zone", "");
  Organisation org;
  const AftermathConfig config = ReadAftermathConfig(root, org);
  const Status finished = doc->Finish();
  ASSERT_TRUE(finished.ok()) << finished;
  const AftermathConfig defaults;
  EXPECT_EQ(config.watch_days, defaults.watch_days);
  EXPECT_EQ(config.root_causes, defaults.root_causes);
  EXPECT_EQ(config.mandatory, defaults.mandatory);
}

TEST_F(AftermathTest, ThePrintableReviewShowsEstimatedAgainstActualCost) {
  ASSERT_TRUE(Update(Complete()).ok());
  const Review& review = *aftermath_.Find("INC-20261201-001");
  const std::string text =
      RenderReview(aftermath_, review, FundCost{840'000, 483'050}, DocumentFormat::kText);
  EXPECT_THAT(text, HasSubstr("突发事件善后复盘报告 INC-20261201-001"));
  EXPECT_THAT(text, HasSubstr("预估费用（备用金）"));
  EXPECT_THAT(text, HasSubstr("¥8,400.00"));
  EXPECT_THAT(text, HasSubstr("¥4,830.50"));
  EXPECT_THAT(text, HasSubstr("¥-3,569.50"));
  EXPECT_THAT(text, HasSubstr("¥1,200.00 停产半天"));
  EXPECT_THAT(text, HasSubstr("¥6,030.50"));  // actual + other losses
  EXPECT_THAT(text, HasSubstr("政策落实不到位（policy）"));
  EXPECT_THAT(text, HasSubstr("至 2026-12-31"));
  EXPECT_THAT(text, HasSubstr("完整，可以结案"));

  ReviewUpdate tagged;
  tagged.incident_id = "INC-20261201-001";
  tagged.improvements = "<script>x</script> & 整改";
  ASSERT_TRUE(Update(tagged).ok());
  const std::string html = RenderReview(aftermath_, review, std::nullopt, DocumentFormat::kHtml);
  EXPECT_THAT(html, HasSubstr("<h2>损失评估</h2>"));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;x&lt;/script&gt; &amp; 整改"));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, HasSubstr("（无资金账簿）"));
  EXPECT_EQ(ParseDocumentFormat("pdf"), std::nullopt);
}

TEST_F(AftermathTest, TheRepositoryLoadsWhatWasSaved) {
  ASSERT_TRUE(Update(Complete()).ok());
  Effects out;
  aftermath_.Watch(Incident("INC-20261215-001", Settled() + std::chrono::hours(24 * 14)), out);
  const auto dir =
      std::filesystem::temp_directory_path() /
      StrCat("anding_aftermath_store_", ::testing::UnitTest::GetInstance()->random_seed());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    auto db = storage::Database::Open((dir / "a.db").string());
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)->Migrate("aftermath", store::AftermathMigrations()).ok());
    std::vector<RecordRef> all = {{"review", "INC-20261201-001"}, {"ledger_item", "TZ-1"}};
    auto changes = aftermath_.Changes(all);
    ASSERT_TRUE(changes.ok()) << changes.status();
    ASSERT_EQ(changes->reviews.size(), 1u);
    // Saved twice (a second change), the rebounds are not doubled.
    for (int i = 0; i < 2; ++i) {
      const Status saved =
          storage::InTransaction(**db, [&] { return store::SaveReviews(**db, *changes); });
      ASSERT_TRUE(saved.ok()) << saved;
    }
    auto loaded = store::LoadReviews(**db);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ(*loaded, aftermath_.Snapshot());
    auto restored = Aftermath::Restore(AftermathConfig{}, std::move(*loaded));
    ASSERT_TRUE(restored.ok());
    EXPECT_EQ((*restored)->Snapshot(), aftermath_.Snapshot());
    // The schema refuses negative losses, which the core never writes.
    Review bad = aftermath_.Snapshot()[0];
    bad.other_losses_fen = -5;
    const Status refused = storage::InTransaction(
        **db, [&] { return store::SaveReviews(**db, ReviewChangeSet{{bad}}); });
    EXPECT_FALSE(refused.ok());
  }
  EXPECT_EQ(aftermath_.Changes({{"review", "INC-nope"}}).status().code(), StatusCode::kInternal);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace anding::core::aftermath

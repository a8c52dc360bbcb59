#include "anding/core/ledger/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/ledger/fixture.h"

namespace anding::core::ledger {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Read {
  LedgerConfig config;
  Status status;
};

Read ReadFrom(std::string_view yaml) {
  static const Organisation org = testing::TestOrg();
  auto doc = ConfigDocument::LoadString(yaml, "dispatcher.yaml");
  if (!doc.ok()) return {LedgerConfig{}, doc.status()};
  ConfigNode root = doc->root();
  Read read;
  read.config = ReadLedgerConfig(root, org);
  read.status = doc->Finish();
  return read;
}

TEST(LedgerConfigTest, AbsentSectionMeansDefaults) {
  const Read read = ReadFrom("other: 1\n");
  // `other` is not ours: the document reports it, the ledger does not care.
  EXPECT_THAT(read.status.message(), HasSubstr("other: unknown key"));
  EXPECT_EQ(read.config.update_cadence, std::chrono::hours(24));
  EXPECT_EQ(read.config.default_deadline, std::chrono::hours(24 * 30));
  // Every mine and factory, not the department.
  EXPECT_THAT(read.config.screening_units, ElementsAre("mine-1", "mine-2", "factory-1"));
  EXPECT_THAT(read.config.daily_report_units, ElementsAre("mine-1", "mine-2", "factory-1"));
  EXPECT_EQ(read.config.summary_hour, 8);
  EXPECT_EQ(read.config.summary_minute, 30);
  EXPECT_EQ(read.config.summary_covers, SummaryCovers::kPreviousDay);
  EXPECT_EQ(read.config.major.persons_threshold, 30u);
  EXPECT_THAT(read.config.major.destination_kinds,
              ElementsAre(RegionKind::kProvincialCapital, RegionKind::kNationalCapital));
  EXPECT_EQ(read.config.grace(PeriodKind::kTenDay), std::chrono::hours(48));
  EXPECT_FALSE(read.config.track_from.has_value());
}

TEST(LedgerConfigTest, ReadsEveryKey) {
  const Read read = ReadFrom(R"(ledger:
  items:
    update_cadence: 12h
    default_deadline: 15d
  screening:
    units: [mine-2, dept-hr]
    track_from: "2026-01-01"
    grace: {ten_day: 1d, month: 2d, quarter: 0s}
  daily_report:
    units: [mine-1]
    summary_time: "17:45"
    summary_covers: same_day
  major_warning:
    persons_threshold: 50
    destination_kinds: [national_capital]
    critical_level_is_major: false
  reminders:
    report_respond_within: 6h
    supervision_respond_within: 2d
    daily_report_missing: false
)");
  ASSERT_TRUE(read.status.ok()) << read.status;
  const LedgerConfig& c = read.config;
  EXPECT_EQ(c.update_cadence, std::chrono::hours(12));
  EXPECT_EQ(c.default_deadline, std::chrono::hours(24 * 15));
  EXPECT_THAT(c.screening_units, ElementsAre("mine-2", "dept-hr"));
  EXPECT_EQ(c.track_from, CivilDay(2026, 1, 1));
  EXPECT_EQ(c.grace(PeriodKind::kTenDay), std::chrono::hours(24));
  EXPECT_EQ(c.grace(PeriodKind::kMonth), std::chrono::hours(48));
  EXPECT_EQ(c.grace(PeriodKind::kQuarter), Duration::zero());
  EXPECT_THAT(c.daily_report_units, ElementsAre("mine-1"));
  EXPECT_EQ(c.summary_hour, 17);
  EXPECT_EQ(c.summary_minute, 45);
  EXPECT_EQ(c.summary_covers, SummaryCovers::kSameDay);
  EXPECT_EQ(c.major.persons_threshold, 50u);
  EXPECT_THAT(c.major.destination_kinds, ElementsAre(RegionKind::kNationalCapital));
  EXPECT_FALSE(c.major.critical_level_is_major);
  EXPECT_EQ(c.report_respond_within, std::chrono::hours(6));
  EXPECT_EQ(c.supervision_respond_within, std::chrono::hours(48));
  EXPECT_FALSE(c.remind_missing_daily_reports);
}

TEST(LedgerConfigTest, EmptyUnitListMeansNoUnits) {
  const Read read = ReadFrom("ledger:\n  screening:\n    units: []\n");
  ASSERT_TRUE(read.status.ok()) << read.status;
  EXPECT_TRUE(read.config.screening_units.empty());
  EXPECT_EQ(read.config.daily_report_units.size(), 3u);
}

TEST(LedgerConfigTest, ErrorsNameFileLineAndKey) {
  const Read read = ReadFrom(R"(ledger:
  items:
    update_cadence: 0s
  screening:
    units: [mine-1, mine-9, mine-1]
    track_from: "2026/01/01"
  daily_report:
    summary_time: "25:00"
    summary_covers: tomorrow
  major_warning:
    persons_threshold: -3
    destination_kinds: [capital]
  reminders:
    report_respond_withn: 1d
)");
  ASSERT_FALSE(read.status.ok());
  EXPECT_EQ(read.status.code(), StatusCode::kInvalidArgument);
  const std::string& message = read.status.message();
  EXPECT_THAT(message, HasSubstr("dispatcher.yaml:3:21: ledger.items.update_cadence: must be "
                                 "longer than zero"));
  EXPECT_THAT(message, HasSubstr("dispatcher.yaml:5:21: ledger.screening.units[1]: unknown unit "
                                 "'mine-9'"));
  EXPECT_THAT(message, HasSubstr("dispatcher.yaml:5:29: ledger.screening.units[2]: unit 'mine-1' "
                                 "is listed twice"));
  EXPECT_THAT(message, HasSubstr("dispatcher.yaml:6:17: ledger.screening.track_from:"));
  EXPECT_THAT(message, HasSubstr("dispatcher.yaml:8:19: ledger.daily_report.summary_time: "
                                 "expected a local time HH:MM"));
  EXPECT_THAT(message, HasSubstr("dispatcher.yaml:9:21: ledger.daily_report.summary_covers: "
                                 "expected previous_day or same_day"));
  EXPECT_THAT(message, HasSubstr("dispatcher.yaml:11:24: ledger.major_warning.persons_threshold"));
  EXPECT_THAT(message,
              HasSubstr("dispatcher.yaml:12:25: ledger.major_warning.destination_kinds[0]: "
                        "unknown region kind 'capital'"));
  EXPECT_THAT(message, HasSubstr("dispatcher.yaml:14:5: ledger.reminders.report_respond_withn: "
                                 "unknown key"));
  // Broken keys keep their defaults.
  EXPECT_EQ(read.config.update_cadence, std::chrono::hours(24));
  EXPECT_EQ(read.config.summary_hour, 8);
  EXPECT_THAT(read.config.screening_units, ElementsAre("mine-1"));
}

TEST(LedgerConfigTest, TheDemoExampleIsValid) {
  auto doc = ConfigDocument::LoadFile(ANDING_SOURCE_DIR "/deploy/demo/ledger-example.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status();
  ConfigNode root = doc->root();
  const Organisation org = Organisation::Read(root);
  const LedgerConfig config = ReadLedgerConfig(root, org);
  ASSERT_TRUE(doc->Finish().ok()) << doc->Finish();
  EXPECT_THAT(config.screening_units, ElementsAre("mine-3", "mine-6", "mine-9", "zz-office"));
  EXPECT_THAT(config.daily_report_units, ElementsAre("mine-3", "mine-6", "mine-9"));
  EXPECT_EQ(config.track_from, CivilDay(2026, 1, 1));
  EXPECT_EQ(config.summary_hour, 8);
  EXPECT_EQ(config.major.persons_threshold, 30u);
}

}  // namespace
}  // namespace anding::core::ledger

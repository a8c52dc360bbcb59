#include "anding/wire/payload_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anding::wire {
namespace {

using ::testing::HasSubstr;

TEST(PayloadsTest, YuanParsesExactlyIntoFen) {
  EXPECT_EQ(*ParseYuan("12.34"), 1234);
  EXPECT_EQ(*ParseYuan("12.3"), 1230);
  EXPECT_EQ(*ParseYuan("12"), 1200);
  EXPECT_EQ(*ParseYuan("0.01"), 1);
  EXPECT_FALSE(ParseYuan("12.345").ok());
  EXPECT_FALSE(ParseYuan("-1").ok());
  EXPECT_FALSE(ParseYuan("1,000").ok());
  EXPECT_FALSE(ParseYuan(".5").ok());
  EXPECT_FALSE(ParseYuan("").ok());
}

TEST(PayloadsTest, ScreeningPeriods) {
  Args ten_day({"report", "screening", "--period", "2026-11/3", "--zero"});
  auto e = BuildPayload("report", ten_day);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->screening_report().period().kind(), v1::PERIOD_KIND_TEN_DAY);
  EXPECT_EQ(e->screening_report().period().index(), 11u);
  EXPECT_EQ(e->screening_report().period().ten_day(), 3u);
  EXPECT_TRUE(e->screening_report().zero_report());

  Args quarter({"report", "screening", "--period", "2026-Q4", "--finding",
                "retiree-management|退休人员待遇|15|high"});
  e = BuildPayload("report", quarter);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->screening_report().period().kind(), v1::PERIOD_KIND_QUARTER);
  ASSERT_EQ(e->screening_report().findings_size(), 1);
  EXPECT_EQ(e->screening_report().findings(0).persons(), 15u);
  EXPECT_EQ(e->screening_report().findings(0).level(), v1::RISK_LEVEL_HIGH);

  Args bad({"report", "screening", "--period", "2026-13"});
  EXPECT_THAT(BuildPayload("report", bad).status().message(), HasSubstr("--period must be"));
}

TEST(PayloadsTest, IncidentAndLedger) {
  Args incident({"report", "incident", "--type", "group-petition", "--region", "zhengzhou",
                 "--persons", "40", "--involved", "mine-3,mine-6", "--summary", "集体上访"});
  auto e = BuildPayload("report", incident);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->incident_report().involved_unit_ids_size(), 2);
  EXPECT_EQ(e->incident_report().type(), v1::INCIDENT_TYPE_GROUP_PETITION);

  Args ledger({"ledger", "register", "--category", "other", "--description", "d", "--leader",
               "李矿长:+8613800000031:矿长", "--person", "赵", "--deadline", "2026-12-31"});
  e = BuildPayload("ledger", ledger);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->ledger_register().responsible_leader().phone(), "+8613800000031");
  EXPECT_EQ(e->ledger_register().responsible_leader().title(), "矿长");
  // End of 2026-12-31 in Asia/Shanghai is 15:59:59 UTC.
  EXPECT_EQ(e->ledger_register().deadline().seconds() % 86400, 15 * 3600 + 59 * 60 + 59);

  Args unknown({"report", "gossip"});
  EXPECT_THAT(BuildPayload("report", unknown).status().message(), HasSubstr("unknown report"));
}

}  // namespace
}  // namespace anding::wire

#include "anding/wire/payload_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "anding/cmdline/command_line.h"
#include "anding/common/clock.h"
#include "anding/common/limits.h"
#include "anding/wire/codec.h"

namespace anding::wire {
namespace {

using ::testing::HasSubstr;

// 2027-01-01 00:30 in Shanghai, still 2026-12-31 in UTC.
const Time kNow = *ParseRfc3339("2027-01-01T00:30:00+08:00");

// The words parsed as both command lines parse them: by the CLI11
// definition of PayloadCommands, then built.
class PayloadsTest : public ::testing::Test {
 protected:
  Result<v1::Envelope> Build(const std::vector<std::string>& words) { return Build(words, zone_); }
  Result<v1::Envelope> Build(const std::vector<std::string>& words, const TimeZone& zone) {
    auto program = cmdline::NewProgram("test", "payloads");
    PayloadCommands payloads;
    for (const char* command : {"report", "ledger", "orders"}) {
      payloads.Define(*cmdline::AddCommand(*program, command, command), "test", command);
    }
    std::ostringstream out;
    std::ostringstream err;
    if (cmdline::Parse(*program, words, out, err)) return InvalidArgumentError(err.str());
    auto built = payloads.Build(clock_, zone);
    if (!built) return InvalidArgumentError("no payload command");
    return std::move(*built);
  }

  ManualClock clock_{kNow};
  TimeZone zone_ = TimeZone::Shanghai();
};

TEST_F(PayloadsTest, YuanParsesExactlyIntoFen) {
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

TEST_F(PayloadsTest, ScreeningPeriods) {
  const std::vector<std::string> ten_day = {"report", "screening", "--period", "2026-11/3",
                                            "--zero"};
  auto e = Build(ten_day);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->screening_report().period().kind(), v1::PERIOD_KIND_TEN_DAY);
  EXPECT_EQ(e->screening_report().period().index(), 11u);
  EXPECT_EQ(e->screening_report().period().ten_day(), 3u);
  EXPECT_TRUE(e->screening_report().zero_report());

  const std::vector<std::string> quarter = {"report",    "screening",
                                            "--period",  "2026-Q4",
                                            "--finding", "retiree-management|退休人员待遇|15|high"};
  e = Build(quarter);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->screening_report().period().kind(), v1::PERIOD_KIND_QUARTER);
  ASSERT_EQ(e->screening_report().findings_size(), 1);
  EXPECT_EQ(e->screening_report().findings(0).persons(), 15u);
  EXPECT_EQ(e->screening_report().findings(0).level(), v1::RISK_LEVEL_HIGH);

  const std::vector<std::string> bad = {"report", "screening", "--period", "2026-13"};
  EXPECT_THAT(Build(bad).status().message(), HasSubstr("--period: expected YYYY-MM/N"));
}

TEST_F(PayloadsTest, IncidentAndLedger) {
  const std::vector<std::string> incident = {
      "report",    "incident", "--type",     "group-petition", "--region",  "zhengzhou",
      "--persons", "40",       "--involved", "mine-3,mine-6",  "--summary", "集体上访"};
  auto e = Build(incident);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->incident_report().involved_unit_ids_size(), 2);
  EXPECT_EQ(e->incident_report().type(), v1::INCIDENT_TYPE_GROUP_PETITION);

  const std::vector<std::string> ledger = {
      "ledger",        "register", "--category", "other",
      "--description", "d",        "--leader",   "李矿长:+8613800000031:矿长",
      "--person",      "赵",       "--deadline", "2026-12-31"};
  e = Build(ledger);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->ledger_register().responsible_leader().phone(), "+8613800000031");
  EXPECT_EQ(e->ledger_register().responsible_leader().title(), "矿长");
  // End of 2026-12-31 in Asia/Shanghai is 15:59:59 UTC.
  EXPECT_EQ(e->ledger_register().deadline().seconds() % 86400, 15 * 3600 + 59 * 60 + 59);

  const std::vector<std::string> unknown = {"report", "gossip"};
  EXPECT_THAT(Build(unknown).status().message(), HasSubstr("unexpected argument: gossip"));
}

TEST_F(PayloadsTest, TodayAndNowComeFromTheCallersClockAndZone) {
  const std::vector<std::string> daily = {"report", "daily", "--zero"};
  auto e = Build(daily);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->daily_report().day(), "2027-01-01");
  auto utc = TimeZone::Load("UTC");
  ASSERT_TRUE(utc.ok());
  const std::vector<std::string> visit = {"report", "visit", "--batches", "1", "--persons", "2"};
  e = Build(visit, *utc);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->visit_record().day(), "2026-12-31");

  const std::vector<std::string> close_out = {"ledger",       "close-out", "--item",   "TZ-1",
                                              "--resolution", "r",         "--leader", "l"};
  e = Build(close_out);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(FromProto(e->ledger_close_out().confirmed_at()), kNow);
  clock_.Advance(std::chrono::minutes(5));
  const std::vector<std::string> ack = {"orders", "ack", "order-1", "--by", "孙主任"};
  e = Build(ack);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(FromProto(e->order_acknowledgement().acknowledged_at()),
            kNow + std::chrono::minutes(5));
}

TEST_F(PayloadsTest, DaysAreReadInTheCallersZone) {
  auto berlin = TimeZone::Load("Europe/Berlin");
  ASSERT_TRUE(berlin.ok());
  const std::vector<std::string> ledger = {"ledger",        "register", "--category", "other",
                                           "--description", "d",        "--leader",   "李矿长",
                                           "--person",      "赵",       "--deadline", "2028-02-29"};
  auto e = Build(ledger, *berlin);
  ASSERT_TRUE(e.ok()) << e.status();
  // The last second of 29 February 2028 in Berlin (UTC+1).
  EXPECT_EQ(FromProto(e->ledger_register().deadline()), *ParseRfc3339("2028-02-29T22:59:59Z"));
}

// One rule for an incident's summary, at a mine and at HQ (both command
// lines build the payload here): optional, at most
// limits::kMaxIncidentSummaryChars characters, counted as characters.
TEST_F(PayloadsTest, IncidentSummaryIsOneRuleForBothCommandLines) {
  auto incident = [](std::vector<std::string> extra) {
    std::vector<std::string> words = {"report",   "incident",  "--type",    "group-petition",
                                      "--region", "zhengzhou", "--persons", "40"};
    words.insert(words.end(), extra.begin(), extra.end());
    return words;
  };
  const auto empty = incident({"--summary", ""});
  auto e = Build(empty);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->incident_report().summary(), "");
  const auto none = incident({});
  EXPECT_TRUE(Build(none).ok());

  std::string longest;
  for (size_t i = 0; i < limits::kMaxIncidentSummaryChars; ++i) longest += "访";
  const auto at_limit = incident({"--summary", longest});
  EXPECT_TRUE(Build(at_limit).ok());
  const auto over = incident({"--summary", longest + "x"});
  // Refused before sending, by both command lines.
  EXPECT_THAT(Build(over).status().message(),
              HasSubstr("--summary is too long (201 characters; at most 200)"));
  // The edge holds agents (and operators, the same check) to the same rule.
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(ValidatePayload(*e).ok()) << ValidatePayload(*e);
  e->mutable_incident_report()->set_summary(longest);
  EXPECT_TRUE(ValidatePayload(*e).ok()) << ValidatePayload(*e);
  e->mutable_incident_report()->set_summary(longest + "x");
  EXPECT_THAT(ValidatePayload(*e).message(), HasSubstr("summary"));
}

}  // namespace
}  // namespace anding::wire

// The `funds:` section of the dispatcher YAML: a valid section, the demo
// example, and mistakes reported with file:line:column and key path.
#include "anding/common/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "anding/core/funds/config.h"
#include "anding/core/funds/funds.h"

namespace anding::core::funds {
namespace {

using ::testing::HasSubstr;

// Lines 1-8: the organisation the funds section refers to.
constexpr const char* kOrganisation =
    "regions:\n"
    "  - {id: hebi, name: 鹤壁, kind: home_city, province: henan}\n"
    "  - {id: zhengzhou, name: 郑州, kind: provincial_capital, province: henan}\n"
    "  - {id: beijing, name: 北京, kind: national_capital, province: beijing}\n"
    "units:\n"
    "  - {id: mine-1, name: 一矿, region: hebi}\n"
    "  - {id: mine-2, name: 二矿, region: hebi}\n"
    "  - {id: zz-office, name: 郑州办事处, kind: department, region: zhengzhou}\n";

constexpr const char* kRates =
    "  rates:\n"
    "    destinations:\n"
    "      home_city: {per_person_day_fen: 10000, days: 1}\n"
    "      provincial_capital: {per_person_day_fen: 30000, days: 2}\n"
    "      national_capital: {per_person_day_fen: 60000, days: 3}\n"
    "      other: {per_person_day_fen: 30000, days: 2}\n"
    "    per_vehicle_trip_fen: 20000\n"
    "    per_vehicle_km_fen: 300\n";

struct Parsed {
  FundsConfig config;
  Status status;
};

Parsed Parse(const std::string& yaml) {
  auto doc = ConfigDocument::LoadString(yaml, "test.yaml");
  if (!doc.ok()) return {FundsConfig{}, doc.status()};
  ConfigNode root = doc->root();
  const Organisation org = Organisation::Read(root);
  FundsConfig config = ReadFundsConfig(root, org);
  return {std::move(config), doc->Finish()};
}

// The funds section: line 9 is "funds:", `body` starts on line 10, the
// valid rates follow it.
Parsed ParseFunds(const std::string& body, bool with_rates = true) {
  return Parse(std::string(kOrganisation) + "funds:\n" + body + (with_rates ? kRates : ""));
}

TEST(FundsConfigTest, ReadsAValidSection) {
  const Parsed p = ParseFunds(
      "  hold_timeout: 10d\n"
      "  pool:\n"
      "    name: 集团公司应急备用金\n"
      "    low_balance_fen: 20000000\n"
      "  external: {name: 集团财务部}\n"
      "  reserves:\n"
      "    - unit: mine-1\n"
      "      quota_fen: 5000000\n"
      "      low_balance_fen: 1000000\n"
      "    - unit: zz-office\n"
      "  expense_codes:\n"
      "    - {code: transport, name: 交通费}\n"
      "    - {code: lodging, name: 住宿费}\n"
      "  opening_balances:\n"
      "    - {id: open-2026-pool, account: pool, amount_fen: 100000000, reason: 年度拨款}\n"
      "    - {id: open-2026-mine-1, account: reserve/mine-1, amount_fen: 3000000}\n");
  ASSERT_TRUE(p.status.ok()) << p.status;
  const FundsConfig& c = p.config;
  EXPECT_TRUE(c.enabled);
  EXPECT_EQ(c.hold_timeout, std::chrono::days(10));
  EXPECT_EQ(c.pool_name, "集团公司应急备用金");
  EXPECT_EQ(c.pool_low_balance_fen, 20'000'000);
  EXPECT_EQ(c.external_name, "集团财务部");
  ASSERT_EQ(c.reserves.size(), 2u);
  EXPECT_EQ(c.reserves[0].unit_id, "mine-1");
  EXPECT_EQ(c.reserves[0].name, "一矿备用金");
  EXPECT_EQ(c.reserves[0].quota_fen, 5'000'000);
  EXPECT_EQ(c.reserves[0].low_balance_fen, 1'000'000);
  EXPECT_EQ(c.reserves[1].quota_fen, std::nullopt);
  ASSERT_EQ(c.expense_codes.size(), 2u);
  EXPECT_EQ(c.expense_codes[1].name, "住宿费");
  ASSERT_EQ(c.opening_balances.size(), 2u);
  EXPECT_EQ(c.opening_balances[1].account_id, "reserve/mine-1");
  EXPECT_EQ(c.rates.For(RegionKind::kNationalCapital), (DestinationRate{60'000, 3}));
  EXPECT_EQ(c.rates.per_vehicle_km_fen, 300);
  EXPECT_EQ(c.UnitName("zz-office"), "郑州办事处");

  // The configuration drives a working book.
  auto funds = Funds::Restore(c, FundsState{});
  ASSERT_TRUE(funds.ok());
  Effects out;
  ASSERT_TRUE(funds->ApplyConfig(Time{} + std::chrono::hours(1), out).ok());
  EXPECT_EQ(funds->FindAccount("reserve/mine-1")->balance_fen(), 3'000'000);
  EXPECT_EQ(funds->FindAccount("pool")->name, "集团公司应急备用金");
}

TEST(FundsConfigTest, AbsentSectionDisablesTheModule) {
  const Parsed p = Parse(kOrganisation);
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_FALSE(p.config.enabled);
}

TEST(FundsConfigTest, DefaultsExpenseCodesToTheProtoCodes) {
  const Parsed p = ParseFunds("");
  ASSERT_TRUE(p.status.ok()) << p.status;
  ASSERT_EQ(p.config.expense_codes.size(), 4u);
  EXPECT_TRUE(p.config.HasExpenseCode("transport"));
  EXPECT_TRUE(p.config.HasExpenseCode("other"));
  EXPECT_EQ(p.config.hold_timeout, std::chrono::days(14));
}

TEST(FundsConfigTest, TheDemoExampleIsValid) {
  auto doc = ConfigDocument::LoadFile(ANDING_SOURCE_DIR "/deploy/demo/funds-example.yaml");
  ASSERT_TRUE(doc.ok()) << doc.status();
  ConfigNode root = doc->root();
  const Organisation org = Organisation::Read(root);
  const FundsConfig config = ReadFundsConfig(root, org);
  ASSERT_TRUE(doc->Finish().ok()) << doc->Finish();
  EXPECT_TRUE(config.enabled);
  EXPECT_GE(config.reserves.size(), 3u);
  auto funds = Funds::Restore(config, FundsState{});
  ASSERT_TRUE(funds.ok());
  Effects out;
  ASSERT_TRUE(funds->ApplyConfig(Time{} + std::chrono::hours(1), out).ok());
  EXPECT_TRUE(funds->VerifyBalances().ok());
}

struct BadCase {
  const char* body;
  const char* expected;  // substring of the error, with file:line:column
};

class FundsConfigErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(FundsConfigErrorTest, NamesFileLineAndKey) {
  const Parsed p = ParseFunds(GetParam().body);
  EXPECT_EQ(p.status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(p.status.message(), HasSubstr(GetParam().expected)) << p.status;
}

INSTANTIATE_TEST_SUITE_P(
    Mistakes, FundsConfigErrorTest,
    ::testing::Values(
        BadCase{"  reserves:\n    - unit: mine-9\n",
                "test.yaml:11:13: funds.reserves[0].unit: unknown unit 'mine-9'"},
        BadCase{"  reserves:\n    - unit: mine-1\n    - unit: mine-1\n",
                "test.yaml:12:13: funds.reserves[1].unit: a reserve for unit 'mine-1' is already "
                "listed"},
        BadCase{"  reserves:\n    - {unit: mine-1, quota_fen: -5}\n",
                "test.yaml:11:33: funds.reserves[0].quota_fen: must be an amount in fen"},
        BadCase{"  reserves:\n    - {unit: mine-1, quota_fen: 100, low_balance_fen: 200}\n",
                "funds.reserves[0].low_balance_fen: must not exceed quota_fen"},
        BadCase{"  reserves:\n    - {unit: mine-1, quota: 100}\n",
                "test.yaml:11:22: funds.reserves[0].quota: unknown key"},
        BadCase{"  hold_timeout: 0s\n", "test.yaml:10:17: funds.hold_timeout: must be positive"},
        BadCase{"  opening_balances:\n    - {id: o1, account: reserve/mine-2, amount_fen: 5}\n",
                "test.yaml:11:25: funds.opening_balances[0].account: unknown account "
                "'reserve/mine-2'"},
        BadCase{"  reserves:\n    - {unit: mine-1, quota_fen: 100}\n"
                "  opening_balances:\n"
                "    - {id: o1, account: reserve/mine-1, amount_fen: 60}\n"
                "    - {id: o2, account: reserve/mine-1, amount_fen: 41}\n",
                "test.yaml:14:53: funds.opening_balances[1].amount_fen: opening balances of "
                "reserve/mine-1 (1.01 yuan) exceed its quota of 1.00 yuan"},
        BadCase{"  opening_balances:\n"
                "    - {id: o1, account: pool, amount_fen: 5}\n"
                "    - {id: o1, account: pool, amount_fen: 6}\n",
                "test.yaml:12:12: funds.opening_balances[1].id: opening balance id 'o1' is "
                "already used"},
        BadCase{"  opening_balances:\n    - {id: 'a b', account: pool, amount_fen: 5}\n",
                "funds.opening_balances[0].id: must be 1-128 characters"},
        BadCase{"  opening_balances:\n    - {id: o1, account: pool, amount_fen: 0}\n",
                "funds.opening_balances[0].amount_fen: must be an amount in fen from 1"},
        BadCase{"  expense_codes:\n    - {code: Transport}\n",
                "test.yaml:11:14: funds.expense_codes[0].code: must be 1-64 characters"}));

TEST(FundsConfigTest, MissingRatesAreReported) {
  const Parsed none = ParseFunds("  hold_timeout: 1d\n", /*with_rates=*/false);
  EXPECT_THAT(none.status.message(), HasSubstr("funds: missing required key 'rates'"));

  const Parsed partial = ParseFunds(
      "  rates:\n"
      "    destinations:\n"
      "      home_city: {per_person_day_fen: 10000, days: 1}\n"
      "      provincial_capital: {per_person_day_fen: 30000}\n"
      "      other: {per_person_day_fen: 30000, days: 400}\n"
      "    per_vehicle_km_fen: -1\n",
      /*with_rates=*/false);
  const std::string message(partial.status.message());
  EXPECT_THAT(message, HasSubstr("test.yaml:12:7: funds.rates.destinations: missing required key "
                                 "'national_capital'"));
  EXPECT_THAT(message, HasSubstr("funds.rates.destinations.provincial_capital: missing required "
                                 "key 'days'"));
  EXPECT_THAT(message,
              HasSubstr("test.yaml:14:48: funds.rates.destinations.other.days: must be 0 to 366"));
  EXPECT_THAT(message, HasSubstr("test.yaml:15:25: funds.rates.per_vehicle_km_fen: must be an "
                                 "amount in fen"));
}

}  // namespace
}  // namespace anding::core::funds

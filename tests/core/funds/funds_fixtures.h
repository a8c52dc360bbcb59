// Shared set-up for the funds tests: a small organisation (two mines in
// Hebi 鹤壁, an office in Zhengzhou 郑州, Beijing as a destination), a funds
// configuration with known rates, and helpers to check that a refused
// command changed nothing.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "anding/common/time.h"
#include "anding/core/funds/funds.h"
#include "anding/core/org.h"

namespace anding::core::funds::testing {

inline Time At(const char* rfc3339) {
  auto t = ParseRfc3339(rfc3339);
  if (!t.ok()) {
    ADD_FAILURE() << t.status();
    return Time{};
  }
  return *t;
}

inline Organisation MakeOrganisation() {
  auto region = [](const char* id, const char* name, RegionKind kind, const char* province) {
    Region r;
    r.id = id;
    r.name = name;
    r.kind = kind;
    r.province = province;
    return r;
  };
  std::vector<Region> regions = {
      region("hebi", "鹤壁", RegionKind::kHomeCity, "henan"),
      region("zhengzhou", "郑州", RegionKind::kProvincialCapital, "henan"),
      region("beijing", "北京", RegionKind::kNationalCapital, "beijing"),
  };
  std::vector<Unit> units(3);
  units[0].id = "mine-1";
  units[0].name = "一矿";
  units[0].region_id = "hebi";
  units[1].id = "mine-2";
  units[1].name = "二矿";
  units[1].region_id = "hebi";
  units[2].id = "zz-office";
  units[2].name = "郑州办事处";
  units[2].kind = UnitKind::kDepartment;
  units[2].region_id = "zhengzhou";
  return Organisation(std::move(regions), std::move(units), DefaultCategories(),
                      TimeZone::Shanghai());
}

// Rates: per person per day 100 / 300 / 600 / 300 yuan for 1 / 2 / 3 / 2
// days (home city / provincial capital / national capital / other); per
// vehicle 200 yuan a trip plus 3 yuan a km driven.
inline FundsConfig MakeConfig() {
  FundsConfig config;
  config.enabled = true;
  config.unit_names = {{"mine-1", "一矿"}, {"mine-2", "二矿"}, {"zz-office", "郑州办事处"}};
  config.reserves = {
      {"mine-1", "一矿备用金", int64_t{5'000'000}, 1'000'000},
      {"mine-2", "二矿备用金", int64_t{2'000'000}, 500'000},
      {"zz-office", "郑州办事处备用金", std::nullopt, 0},
  };
  config.expense_codes = DefaultExpenseCodes();
  config.opening_balances = {
      {"open-pool", "pool", 100'000'000, "2026 年度拨款"},
      {"open-mine-1", "reserve/mine-1", 3'000'000, "期初余额"},
  };
  config.rates.For(RegionKind::kHomeCity) = {10'000, 1};
  config.rates.For(RegionKind::kProvincialCapital) = {30'000, 2};
  config.rates.For(RegionKind::kNationalCapital) = {60'000, 3};
  config.rates.For(RegionKind::kOther) = {30'000, 2};
  config.rates.per_vehicle_trip_fen = 20'000;
  config.rates.per_vehicle_km_fen = 300;
  config.hold_timeout = std::chrono::days(14);
  return config;
}

// A book restored from nothing with MakeConfig() applied at `now`.
inline Funds MakeFunds(Time now, FundsConfig config = MakeConfig()) {
  auto funds = Funds::Restore(std::move(config), FundsState{});
  EXPECT_TRUE(funds.ok()) << funds.status();
  Effects out;
  EXPECT_TRUE(funds->ApplyConfig(now, out).ok());
  return std::move(funds).value();
}

inline int64_t Balance(const Funds& funds, std::string_view account) {
  const Account* a = funds.FindAccount(account);
  EXPECT_NE(a, nullptr) << account;
  return a == nullptr ? 0 : a->balance_fen();
}

inline int64_t Available(const Funds& funds, std::string_view account) {
  const Account* a = funds.FindAccount(account);
  EXPECT_NE(a, nullptr) << account;
  return a == nullptr ? 0 : a->available_fen();
}

// Runs `command` (Effects& -> Status) and expects it to fail with `code`,
// leaving the state and the effects untouched. Returns the error message.
template <typename Command>
std::string ExpectRefused(Funds& funds, StatusCode code, Command&& command) {
  const FundsState before = funds.state();
  Effects out;
  const Status status = command(out);
  EXPECT_EQ(status.code(), code) << status;
  EXPECT_EQ(funds.state(), before) << "a refused command changed the state";
  EXPECT_TRUE(out.empty()) << "a refused command produced effects";
  return status.message();
}

inline size_t CountAlerts(const Effects& out, std::string_view kind) {
  size_t n = 0;
  for (const auto& alert : out.alerts) n += alert.kind == kind ? 1 : 0;
  return n;
}

inline const HqAlert* FindAlert(const Effects& out, std::string_view kind) {
  for (const auto& alert : out.alerts) {
    if (alert.kind == kind) return &alert;
  }
  return nullptr;
}

}  // namespace anding::core::funds::testing

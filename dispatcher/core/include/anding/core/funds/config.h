// Configuration of the reserve-fund book: the `funds:` section of the
// dispatcher's YAML (schema in deploy/demo/funds-example.yaml), and the cost
// estimate of a confirmed dispatch computed from its rates.
//
// Thread-safety: FundsConfig is a value; the functions are pure.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "anding/common/config.h"
#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/core/org.h"

namespace anding::core::funds {

// Daily cost of one person sent to a destination of one kind, and how many
// days such a trip is estimated to take.
struct DestinationRate {
  int64_t per_person_day_fen = 0;
  int64_t days = 0;
  friend bool operator==(const DestinationRate&, const DestinationRate&) = default;
};

struct CostRates {
  // Indexed by RegionKind (home_city, provincial_capital, national_capital,
  // other).
  std::array<DestinationRate, 4> destinations{};
  // Per vehicle sent: a flat amount per trip plus an amount per kilometre
  // driven; a trip is there and back (2 x the one-way distance).
  int64_t per_vehicle_trip_fen = 0;
  int64_t per_vehicle_km_fen = 0;

  [[nodiscard]] const DestinationRate& For(RegionKind kind) const {
    return destinations[static_cast<size_t>(kind)];
  }
  [[nodiscard]] DestinationRate& For(RegionKind kind) {
    return destinations[static_cast<size_t>(kind)];
  }
  friend bool operator==(const CostRates&, const CostRates&) = default;
};

struct ReserveConfig {
  std::string unit_id;
  std::string name;  // "三矿备用金"; default "<unit name>备用金"
  // The quota a new reserve account starts with (nullopt = none). Later
  // changes are Funds::SetQuota; see Funds::ApplyConfig for which wins.
  std::optional<int64_t> quota_fen;
  int64_t low_balance_fen = 0;
  friend bool operator==(const ReserveConfig&, const ReserveConfig&) = default;
};

struct ExpenseCodeConfig {
  std::string code;  // "transport"
  std::string name;  // "交通费"
  friend bool operator==(const ExpenseCodeConfig&, const ExpenseCodeConfig&) = default;
};

// Money the book starts with: a transfer from the external source, made
// (idempotently, by id) on every start.
struct OpeningBalance {
  std::string id;
  std::string account_id;  // "pool" or "reserve/<unit>"
  int64_t amount_fen = 0;
  std::string reason;
  friend bool operator==(const OpeningBalance&, const OpeningBalance&) = default;
};

struct FundsConfig {
  // False when the YAML has no `funds:` section: the shell then does not
  // run the module.
  bool enabled = false;
  std::string pool_name = "公司应急备用金";
  int64_t pool_low_balance_fen = 0;
  std::string external_name = "集团财务拨款";
  std::vector<ReserveConfig> reserves;
  // Default: transport 交通费, lodging 住宿费, meals 餐费, other 其他.
  std::vector<ExpenseCodeConfig> expense_codes;
  std::vector<OpeningBalance> opening_balances;
  CostRates rates;
  // How long a hold stays pending before Tick expires it.
  Duration hold_timeout = std::chrono::days(14);
  // Unit names (from the Organisation), for alert texts.
  std::vector<std::pair<std::string, std::string>> unit_names;

  [[nodiscard]] const ReserveConfig* FindReserve(std::string_view unit_id) const;
  [[nodiscard]] bool HasExpenseCode(std::string_view code) const;
  // The unit's configured name, or its id.
  [[nodiscard]] std::string UnitName(std::string_view unit_id) const;
};

// The default expense codes, matching ExpenseReport.code in funds.proto.
[[nodiscard]] std::vector<ExpenseCodeConfig> DefaultExpenseCodes();

// Reads the `funds:` section of the dispatcher configuration, recording
// every mistake on the nodes (file:line:column: key: message) so that
// ConfigDocument::Finish reports them all: negative amounts, a reserve for
// a unit `org` does not know or listed twice, a low-balance threshold above
// the quota, an opening balance for an unknown account, above the quota or
// with a duplicate or malformed id, a missing destination rate, and so on.
// Without a `funds:` section returns a config with enabled = false.
[[nodiscard]] FundsConfig ReadFundsConfig(ConfigNode& root, const Organisation& org);

struct CostEstimate {
  int64_t days = 0;
  int64_t distance_m = 0;  // one way, whole metres
  int64_t person_cost_fen = 0;
  int64_t vehicle_cost_fen = 0;
  int64_t total_fen = 0;
  friend bool operator==(const CostEstimate&, const CostEstimate&) = default;
};

// The estimated cost of a dispatch:
//   people x per_person_day[destination kind] x days[destination kind]
//   + vehicles x (per_vehicle_trip + ceil(per_vehicle_km x 2 x distance)).
// The distance is first rounded to whole metres (negative or NaN counts as
// 0); all money arithmetic is integer. Saturates at kMaxAmountFen.
[[nodiscard]] CostEstimate EstimateDispatchCost(const CostRates& rates,
                                                const DispatchConfirmed& dispatch);

}  // namespace anding::core::funds

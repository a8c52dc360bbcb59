#include "anding/core/funds/config.h"

#include <cmath>
#include <map>
#include <set>

#include "anding/common/strings.h"
#include "anding/core/funds/records.h"

namespace anding::core::funds {
namespace {

__extension__ typedef __int128 Wide;

constexpr RegionKind kRegionKinds[] = {RegionKind::kHomeCity, RegionKind::kProvincialCapital,
                                       RegionKind::kNationalCapital, RegionKind::kOther};

// Longest one-way distance the estimate believes: 100,000 km.
constexpr int64_t kMaxDistanceM = 100'000'000;
constexpr int64_t kMaxDays = 366;

int64_t Saturate(Wide value) {
  return value > kMaxAmountFen ? kMaxAmountFen : static_cast<int64_t>(value);
}

// Reads an amount in fen at `key`, recording an error unless 0..kMaxAmountFen.
int64_t ReadFen(ConfigNode& node, std::string_view key, int64_t fallback) {
  const int64_t value = node.Get<int64_t>(key, fallback);
  if (value < 0 || value > kMaxAmountFen) {
    node.Error(key, StrCat("must be an amount in fen from 0 to ", kMaxAmountFen));
    return fallback;
  }
  return value;
}

int64_t ReadRequiredFen(ConfigNode& node, std::string_view key) {
  if (!node.Has(key)) {
    node.Error(StrCat("missing required key '", key, "'"));
    return 0;
  }
  return ReadFen(node, key, 0);
}

void ReadRates(ConfigNode& section, FundsConfig& config) {
  if (!section.Has("rates")) {
    section.Error("missing required key 'rates'");
    return;
  }
  ConfigNode rates = section.Map("rates");
  if (!rates.Has("destinations")) {
    rates.Error("missing required key 'destinations'");
  } else {
    ConfigNode destinations = rates.Map("destinations");
    for (const RegionKind kind : kRegionKinds) {
      const std::string_view name = RegionKindName(kind);
      if (!destinations.Has(name)) {
        destinations.Error(StrCat("missing required key '", name, "'"));
        continue;
      }
      ConfigNode rate = destinations.Map(name);
      DestinationRate& out = config.rates.For(kind);
      out.per_person_day_fen = ReadRequiredFen(rate, "per_person_day_fen");
      out.days = rate.Get<int64_t>("days");
      if (out.days < 0 || out.days > kMaxDays) {
        rate.Error("days", StrCat("must be 0 to ", kMaxDays));
        out.days = 0;
      }
    }
  }
  config.rates.per_vehicle_trip_fen = ReadFen(rates, "per_vehicle_trip_fen", 0);
  config.rates.per_vehicle_km_fen = ReadFen(rates, "per_vehicle_km_fen", 0);
}

void ReadReserves(ConfigNode& section, const Organisation& org, FundsConfig& config) {
  std::set<std::string> seen;
  for (auto& node : section.List("reserves")) {
    ReserveConfig reserve;
    reserve.unit_id = node.Get<std::string>("unit");
    const Unit* unit = org.FindUnit(reserve.unit_id);
    if (!reserve.unit_id.empty() && unit == nullptr) {
      node.Error("unit", StrCat("unknown unit '", reserve.unit_id, "'"));
    }
    if (!reserve.unit_id.empty() && !seen.insert(reserve.unit_id).second) {
      node.Error("unit", StrCat("a reserve for unit '", reserve.unit_id, "' is already listed"));
    }
    reserve.name = node.Get<std::string>(
        "name", StrCat(unit != nullptr ? unit->name : reserve.unit_id, "备用金"));
    if (node.Has("quota_fen")) reserve.quota_fen = ReadFen(node, "quota_fen", 0);
    reserve.low_balance_fen = ReadFen(node, "low_balance_fen", 0);
    if (reserve.quota_fen && reserve.low_balance_fen > *reserve.quota_fen) {
      node.Error("low_balance_fen", "must not exceed quota_fen");
    }
    config.reserves.push_back(std::move(reserve));
  }
}

void ReadExpenseCodes(ConfigNode& section, FundsConfig& config) {
  if (!section.Has("expense_codes")) {
    config.expense_codes = DefaultExpenseCodes();
    return;
  }
  std::set<std::string> seen;
  for (auto& node : section.List("expense_codes")) {
    ExpenseCodeConfig code;
    code.code = node.Get<std::string>("code");
    code.name = node.Get<std::string>("name", code.code);
    if (!code.code.empty() && !IsValidCode(code.code)) {
      node.Error("code", "must be 1-64 characters of a-z, 0-9 and _-.:");
    } else if (!code.code.empty() && !seen.insert(code.code).second) {
      node.Error("code", StrCat("expense code '", code.code, "' is already listed"));
    }
    config.expense_codes.push_back(std::move(code));
  }
  if (config.expense_codes.empty()) {
    section.Error("expense_codes", "must list at least one expense code");
  }
}

void ReadOpeningBalances(ConfigNode& section, FundsConfig& config) {
  std::set<std::string> seen;
  std::map<std::string, int64_t> per_account;
  for (auto& node : section.List("opening_balances")) {
    OpeningBalance opening;
    opening.id = node.Get<std::string>("id");
    opening.account_id = node.Get<std::string>("account");
    opening.reason = node.Get<std::string>("reason", "期初余额 opening balance");
    opening.amount_fen = node.Get<int64_t>("amount_fen");
    if (!opening.id.empty() && !IsValidCallerId(opening.id)) {
      node.Error("id", "must be 1-128 characters of A-Z, a-z, 0-9 and -_.:@");
    } else if (!opening.id.empty() && !seen.insert(opening.id).second) {
      node.Error("id", StrCat("opening balance id '", opening.id, "' is already used"));
    }
    if (opening.amount_fen <= 0 || opening.amount_fen > kMaxAmountFen) {
      node.Error("amount_fen", StrCat("must be an amount in fen from 1 to ", kMaxAmountFen));
    }
    const ReserveConfig* reserve = nullptr;
    for (const auto& r : config.reserves) {
      if (ReserveAccountId(r.unit_id) == opening.account_id) reserve = &r;
    }
    if (opening.account_id == kPoolAccountId) {
      // The pool has no quota.
    } else if (reserve == nullptr) {
      if (!opening.account_id.empty()) {
        node.Error("account", StrCat("unknown account '", opening.account_id,
                                     "'; expected 'pool' or 'reserve/<unit>' of a listed reserve"));
      }
    } else if (opening.amount_fen > 0 && opening.amount_fen <= kMaxAmountFen) {
      int64_t& total = per_account[opening.account_id];
      total += opening.amount_fen;
      if (reserve->quota_fen && total > *reserve->quota_fen) {
        node.Error("amount_fen",
                   StrCat("opening balances of ", opening.account_id, " (", FormatFen(total),
                          " yuan) exceed its quota of ", FormatFen(*reserve->quota_fen), " yuan"));
      }
    }
    config.opening_balances.push_back(std::move(opening));
  }
}

}  // namespace

const ReserveConfig* FundsConfig::FindReserve(std::string_view unit_id) const {
  for (const auto& reserve : reserves) {
    if (reserve.unit_id == unit_id) return &reserve;
  }
  return nullptr;
}

bool FundsConfig::HasExpenseCode(std::string_view code) const {
  for (const auto& expense : expense_codes) {
    if (expense.code == code) return true;
  }
  return false;
}

std::string FundsConfig::UnitName(std::string_view unit_id) const {
  for (const auto& [id, name] : unit_names) {
    if (id == unit_id) return name;
  }
  return std::string(unit_id);
}

std::vector<ExpenseCodeConfig> DefaultExpenseCodes() {
  return {{"transport", "交通费"}, {"lodging", "住宿费"}, {"meals", "餐费"}, {"other", "其他"}};
}

FundsConfig ReadFundsConfig(ConfigNode& root, const Organisation& org) {
  FundsConfig config;
  auto section = root.OptionalMap("funds");
  if (!section) return config;
  config.enabled = true;
  for (const auto& unit : org.units()) config.unit_names.emplace_back(unit.id, unit.name);

  config.hold_timeout = section->Get<Duration>("hold_timeout", config.hold_timeout);
  if (config.hold_timeout <= Duration::zero()) {
    section->Error("hold_timeout", "must be positive");
  }
  if (auto pool = section->OptionalMap("pool")) {
    config.pool_name = pool->Get<std::string>("name", config.pool_name);
    config.pool_low_balance_fen = ReadFen(*pool, "low_balance_fen", 0);
  }
  if (auto external = section->OptionalMap("external")) {
    config.external_name = external->Get<std::string>("name", config.external_name);
  }
  ReadReserves(*section, org, config);
  ReadExpenseCodes(*section, config);
  ReadOpeningBalances(*section, config);
  ReadRates(*section, config);
  return config;
}

CostEstimate EstimateDispatchCost(const CostRates& rates, const DispatchConfirmed& dispatch) {
  CostEstimate estimate;
  const DestinationRate& rate = rates.For(dispatch.destination_kind);
  estimate.days = rate.days;
  const double km = dispatch.distance_km;
  if (km > 0) {  // false for NaN too
    const double metres = std::round(km * 1000.0);
    estimate.distance_m =
        metres >= static_cast<double>(kMaxDistanceM) ? kMaxDistanceM : static_cast<int64_t>(metres);
  }
  estimate.person_cost_fen = Saturate(Wide{dispatch.people} * rate.per_person_day_fen * rate.days);
  // ceil(per_km x 2 x metres / 1000): the km rate applies to whole metres.
  const Wide per_vehicle_km =
      (Wide{rates.per_vehicle_km_fen} * 2 * estimate.distance_m + 999) / 1000;
  estimate.vehicle_cost_fen =
      Saturate(Wide{dispatch.vehicles} * (rates.per_vehicle_trip_fen + per_vehicle_km));
  estimate.total_fen = Saturate(Wide{estimate.person_cost_fen} + estimate.vehicle_cost_fen);
  return estimate;
}

}  // namespace anding::core::funds

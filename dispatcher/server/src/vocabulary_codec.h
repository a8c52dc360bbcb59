// The words every module's codec shares, between the wire contract
// (anding.v1) and the core's plain structs: times, persons, risk levels,
// months, orders. Decoding happens once, at the edge; the core never sees
// protobuf.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/core/org.h"
#include "anding/core/risk_level.h"
#include "anding/core/visits/stats_table.h"
#include "anding/v1/common.pb.h"
#include "anding/v1/orders.pb.h"
#include "anding/v1/visits_api.pb.h"

namespace anding::dispatcher {

// Unset (zero) timestamps become nullopt.
[[nodiscard]] std::optional<Time> OptionalTime(const google::protobuf::Timestamp& ts);
// Sets the timestamp field `mutable_field()` returns, only when `t` holds a
// time (calling a mutable_ accessor would mark the field present):
//   SetTime(incident.closed_at, [&] { return view.mutable_closed_at(); });
[[nodiscard]] google::protobuf::Timestamp ToTimestamp(Time t);
template <typename MutableField>
void SetTime(const std::optional<Time>& t, MutableField mutable_field) {
  if (t) *mutable_field() = ToTimestamp(*t);
}

// A duration in whole seconds (truncated), as views show durations.
[[nodiscard]] int64_t WholeSeconds(Duration d);

[[nodiscard]] core::Person PersonFromProto(const v1::Contact& contact);
[[nodiscard]] v1::Contact PersonToProto(const core::Person& person);

// UNSPECIFIED (and values outside the enum) become nullopt.
[[nodiscard]] std::optional<core::RiskLevel> LevelFromProto(v1::RiskLevel level);
[[nodiscard]] v1::RiskLevel LevelToProto(core::RiskLevel level);

// "YYYY-MM"; `text` empty gives `fallback`. InvalidArgument naming the
// text otherwise.
[[nodiscard]] Result<absl::CivilMonth> ParseMonth(const std::string& text,
                                                  absl::CivilMonth fallback);

// A share or change in hundredths of a percent, as every statistic
// answers it: "-24.81%", or no base.
[[nodiscard]] v1::PercentChange PercentToProto(const std::optional<int64_t>& hundredths);

// A statistics request's range of local days, both included: "" is an
// open end. InvalidArgument naming `field` ("ledger_stats.from_day") for
// a malformed day, and naming both for a range that ends before it starts.
struct DayRange {
  std::optional<CivilDay> from;
  std::optional<CivilDay> to;
};
[[nodiscard]] Result<DayRange> ParseDayRange(std::string_view request, const std::string& from_day,
                                             const std::string& to_day);

// A statistics request's language: "zh" (or "" — the default) or "en";
// InvalidArgument naming `request` ("ledger_stats.language") otherwise.
[[nodiscard]] Result<core::visits::Language> ParseLanguageField(std::string_view request,
                                                                std::string_view language);

// The order the core asked for, as it travels down the link.
[[nodiscard]] v1::Order OrderToProto(const core::OrderRequest& request);

}  // namespace anding::dispatcher

// Conversions between the wire contract (anding.v1) and the core's plain
// structs, shared by the module adapters. Decoding happens once, here at
// the edge; the core never sees protobuf.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <string>

#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/core/org.h"
#include "anding/v1/common.pb.h"
#include "anding/v1/orders.pb.h"

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

[[nodiscard]] core::Person PersonFromProto(const v1::Contact& contact);
[[nodiscard]] v1::Contact PersonToProto(const core::Person& person);

// The order the core asked for, as it travels down the link.
[[nodiscard]] v1::Order OrderToProto(const core::OrderRequest& request);

}  // namespace anding::dispatcher

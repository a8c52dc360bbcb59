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
// nullopt becomes an unset timestamp.
void SetTime(google::protobuf::Timestamp* ts, const std::optional<Time>& t);

[[nodiscard]] core::Person PersonFromProto(const v1::Contact& contact);
[[nodiscard]] v1::Contact PersonToProto(const core::Person& person);

// The order the core asked for, as it travels down the link.
[[nodiscard]] v1::Order OrderToProto(const core::OrderRequest& request);

}  // namespace anding::dispatcher

// The reserve funds' (备用金) words on the wire: the core's accounts,
// transfers and holds to their views (anding.v1 funds_api.proto), and the
// period of a statement.
#pragma once

#include <string>

#include "anding/core/funds/funds.h"
#include "anding/core/funds/reports.h"
#include "anding/v1/funds_api.pb.h"

namespace anding::dispatcher {

namespace funds = core::funds;

[[nodiscard]] v1::AccountView AccountToProto(const funds::Account& a);
[[nodiscard]] v1::TransferView TransferToProto(const funds::Transfer& t);
[[nodiscard]] v1::HoldView HoldToProto(const funds::Hold& h);
// "YYYY-MM" or "YYYY-MM-DD..YYYY-MM-DD"; empty = the month of `today`.
[[nodiscard]] Result<funds::Period> StatementPeriod(const std::string& text, CivilDay today);

}  // namespace anding::dispatcher

// Helpers shared by the funds module's source files: argument checks and
// the text of notices and alerts. Private to src/funds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "anding/common/status.h"
#include "anding/common/strings.h"
#include "anding/core/funds/records.h"

namespace anding::core::funds::internal {

// Longest reason, voucher or name text accepted, in bytes.
inline constexpr size_t kMaxTextBytes = 1000;

inline Status CheckCallerId(std::string_view id, std::string_view what) {
  if (IsValidCallerId(id)) return OkStatus();
  return InvalidArgumentError(
      StrCat(what, " id '", id, "' must be 1-128 characters of A-Z, a-z, 0-9 and -_.:@"));
}

inline Status CheckAmount(int64_t amount_fen) {
  if (amount_fen > 0 && amount_fen <= kMaxAmountFen) return OkStatus();
  return InvalidArgumentError(
      StrCat("amount must be 1 to ", kMaxAmountFen, " fen, got ", amount_fen));
}

inline Status CheckCode(std::string_view code) {
  if (IsValidCode(code)) return OkStatus();
  return InvalidArgumentError(
      StrCat("code '", code, "' must be 1-64 characters of a-z, 0-9 and _-.:"));
}

inline Status CheckText(std::string_view text, std::string_view what, bool required) {
  if (required && text.empty()) return InvalidArgumentError(StrCat(what, " must not be empty"));
  if (text.size() > kMaxTextBytes) {
    return InvalidArgumentError(StrCat(what, " is longer than ", kMaxTextBytes, " bytes"));
  }
  return OkStatus();
}

// An incident id is optional on transfers and holds, required on expenses.
inline Status CheckIncidentId(std::string_view incident_id, bool required) {
  if (incident_id.empty() && !required) return OkStatus();
  if (IsValidCallerId(incident_id)) return OkStatus();
  return InvalidArgumentError(StrCat("incident id '", incident_id,
                                     "' must be 1-128 characters of A-Z, a-z, 0-9 and -_.:@"));
}

// Whether a hold may still be posted or voided at `now` (see
// Funds::CheckHoldUsable for the error that explains why not).
inline bool IsUsable(const Hold& hold, Time now) {
  return hold.state == HoldState::kPending && now < hold.expires_at;
}

inline Status IdReused(std::string_view id, std::string_view used_by) {
  return AlreadyExistsError(StrCat("id '", id, "' is already used by ", used_by,
                                   " with different content; choose a new id"));
}

// "123.45 元".
inline std::string Yuan(int64_t fen) { return StrCat(FormatFen(fen), " 元"); }

}  // namespace anding::core::funds::internal

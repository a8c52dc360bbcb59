#include "anding/core/funds/records.h"

#include <utility>

#include "anding/common/strings.h"

namespace anding::core::funds {
namespace {

constexpr std::pair<AccountKind, std::string_view> kAccountKinds[] = {
    {AccountKind::kExternal, "external"},
    {AccountKind::kPool, "pool"},
    {AccountKind::kReserve, "reserve"},
    {AccountKind::kExpense, "expense"}};

constexpr std::pair<HoldState, std::string_view> kHoldStates[] = {{HoldState::kPending, "pending"},
                                                                  {HoldState::kPosted, "posted"},
                                                                  {HoldState::kVoided, "voided"},
                                                                  {HoldState::kExpired, "expired"}};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

}  // namespace

std::string_view AccountKindName(AccountKind kind) {
  for (const auto& [k, name] : kAccountKinds) {
    if (k == kind) return name;
  }
  return "reserve";
}

std::optional<AccountKind> ParseAccountKind(std::string_view name) {
  for (const auto& [kind, n] : kAccountKinds) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

std::string_view HoldStateName(HoldState state) {
  for (const auto& [s, name] : kHoldStates) {
    if (s == state) return name;
  }
  return "pending";
}

std::optional<HoldState> ParseHoldState(std::string_view name) {
  for (const auto& [state, n] : kHoldStates) {
    if (n == name) return state;
  }
  return std::nullopt;
}

std::string ReserveAccountId(std::string_view unit_id) { return StrCat("reserve/", unit_id); }
std::string ExpenseAccountId(std::string_view code) { return StrCat("expense/", code); }

bool IsValidCallerId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    if (!(IsDigit(c) || IsLower(c) || IsUpper(c) || c == '-' || c == '_' || c == '.' || c == ':' ||
          c == '@')) {
      return false;
    }
  }
  return true;
}

bool IsValidCode(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (const char c : code) {
    if (!(IsDigit(c) || IsLower(c) || c == '_' || c == '-' || c == '.' || c == ':')) return false;
  }
  return true;
}

std::string FormatFen(int64_t fen) {
  const bool negative = fen < 0;
  // Work on the magnitude as unsigned so INT64_MIN is representable.
  const uint64_t magnitude =
      negative ? static_cast<uint64_t>(-(fen + 1)) + 1 : static_cast<uint64_t>(fen);
  const std::string yuan = StrCat(magnitude / 100);
  std::string grouped;
  for (size_t i = 0; i < yuan.size(); ++i) {
    if (i > 0 && (yuan.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(yuan[i]);
  }
  const uint64_t cents = magnitude % 100;
  return StrCat(negative ? "-" : "", grouped, ".", cents < 10 ? "0" : "", cents);
}

Result<int64_t> ParseYuan(std::string_view text) {
  const std::string original(text);
  auto invalid = [&]() {
    return InvalidArgumentError(StrCat("'", original,
                                       "' is not an amount in yuan such as 1234.56 (at most ",
                                       FormatFen(kMaxAmountFen), ")"));
  };
  int64_t yuan = 0;
  int64_t fen = 0;
  size_t i = 0;
  size_t digits = 0;
  for (; i < text.size() && text[i] != '.'; ++i) {
    const char c = text[i];
    if (c == ',') {
      if (digits == 0) return invalid();
      continue;
    }
    if (!IsDigit(c)) return invalid();
    yuan = yuan * 10 + (c - '0');
    ++digits;
    if (yuan > kMaxAmountFen / 100) return invalid();
  }
  if (digits == 0) return invalid();
  if (i < text.size()) {
    const std::string_view decimals = text.substr(i + 1);
    if (decimals.empty() || decimals.size() > 2) return invalid();
    for (const char c : decimals) {
      if (!IsDigit(c)) return invalid();
    }
    fen = (decimals[0] - '0') * 10 + (decimals.size() == 2 ? decimals[1] - '0' : 0);
  }
  const int64_t total = yuan * 100 + fen;
  if (total > kMaxAmountFen) return invalid();
  return total;
}

}  // namespace anding::core::funds

// Helpers shared by the ledger module's source files. Private to the
// module: not installed, not part of the API.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/limits.h"
#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/core/ledger/ledger_item.h"
#include "anding/core/org.h"

namespace anding::core::ledger::internal {

// Length limits of text fields are anding::limits (anding/common/limits.h),
// shared with the wire codec.

// Allowed clock skew for times reported by agents ("confirmed at").
inline constexpr Duration kClockSkew = std::chrono::minutes(5);

// Code points in valid UTF-8 text; nullopt if `text` is not valid UTF-8.
[[nodiscard]] std::optional<size_t> Utf8Length(std::string_view text);

// ASCII whitespace trimmed from both ends.
[[nodiscard]] std::string Trim(std::string_view text);

// InvalidArgument naming `field` when `text` is not valid UTF-8, longer than
// `max_chars`, or empty although `required`.
[[nodiscard]] Status CheckText(std::string_view field, std::string_view text, size_t max_chars,
                               bool required);

// Name required if `required`; phone, when given, in E.164 form.
[[nodiscard]] Status CheckPerson(std::string_view field, const Person& person, bool required);
[[nodiscard]] Status CheckNames(std::string_view field, const std::vector<std::string>& names);

// Trimmed copy of a person.
[[nodiscard]] Person TrimPerson(const Person& person);

// "张三（矿长，+8613800000000）" for history before/after values.
[[nodiscard]] std::string DescribePerson(const Person& person);

// At most `max_chars` code points of `text`, "…" appended when cut.
[[nodiscard]] std::string Abbreviate(std::string_view text, size_t max_chars);

// Appends {field, before, after} when they differ.
void RecordChange(std::vector<FieldChange>& changes, std::string_view field,
                  std::string_view before, std::string_view after);

// Moves a closed-out item to reopened (反弹) and appends its history entry.
// The caller has checked the state and the reason.
void ApplyReopen(LedgerItem& item, std::string_view reason, std::optional<Time> new_deadline,
                 const Actor& who, Time now);

}  // namespace anding::core::ledger::internal

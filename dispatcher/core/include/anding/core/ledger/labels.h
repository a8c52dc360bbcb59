// Human labels for the ledger vocabulary in Chinese (the default) and
// English, for exports, the dashboard and the CLI.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "anding/core/ledger/period.h"
#include "anding/core/ledger/vocabulary.h"
#include "anding/core/org.h"

namespace anding::core::ledger {

enum class Language { kZh, kEn };

// "zh" / "en"; nullopt otherwise.
[[nodiscard]] std::optional<Language> ParseLanguage(std::string_view name);

// 已挂号 / Registered, 处置中 / In progress, 已化解 / Resolved,
// 已销号 / Closed out, 反弹 / Reopened.
[[nodiscard]] std::string_view StateLabel(ItemState state, Language language);
// 一般 / Low, 较大 / Medium, 重大 / High, 特别重大 / Critical.
[[nodiscard]] std::string_view LevelLabel(RiskLevel level, Language language);
// "2026年3月上旬" / "2026-03 days 1-10"; "2026年3月" / "2026-03";
// "2026年第1季度" / "2026 Q1".
[[nodiscard]] std::string PeriodLabel(const Period& period, Language language);
// The category's name in `language`, or `category_id` if unknown.
[[nodiscard]] std::string CategoryLabel(const Organisation& org, std::string_view category_id,
                                        Language language);
// The unit's configured name, or `unit_id` if unknown.
[[nodiscard]] std::string UnitLabel(const Organisation& org, std::string_view unit_id);

}  // namespace anding::core::ledger

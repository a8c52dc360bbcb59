#include "anding/core/ledger/labels.h"

#include "anding/common/strings.h"

namespace anding::core::ledger {

std::optional<Language> ParseLanguage(std::string_view name) {
  if (name == "zh") return Language::kZh;
  if (name == "en") return Language::kEn;
  return std::nullopt;
}

std::string_view StateLabel(ItemState state, Language language) {
  const bool zh = language == Language::kZh;
  switch (state) {
    case ItemState::kRegistered:
      return zh ? "已挂号" : "Registered";
    case ItemState::kInProgress:
      return zh ? "处置中" : "In progress";
    case ItemState::kResolved:
      return zh ? "已化解" : "Resolved";
    case ItemState::kClosedOut:
      return zh ? "已销号" : "Closed out";
    case ItemState::kReopened:
      return zh ? "反弹" : "Reopened";
  }
  return "?";
}

std::string_view LevelLabel(RiskLevel level, Language language) {
  const bool zh = language == Language::kZh;
  switch (level) {
    case RiskLevel::kLow:
      return zh ? "一般" : "Low";
    case RiskLevel::kMedium:
      return zh ? "较大" : "Medium";
    case RiskLevel::kHigh:
      return zh ? "重大" : "High";
    case RiskLevel::kCritical:
      return zh ? "特别重大" : "Critical";
  }
  return "?";
}

std::string PeriodLabel(const Period& period, Language language) {
  const bool zh = language == Language::kZh;
  switch (period.kind) {
    case PeriodKind::kTenDay: {
      if (zh) {
        constexpr std::string_view kNames[] = {"上旬", "中旬", "下旬"};
        const std::string_view name =
            period.ten_day >= 1 && period.ten_day <= 3 ? kNames[period.ten_day - 1] : "?";
        return StrCat(period.year, "年", period.index, "月", name);
      }
      return fmt::format("{:04d}-{:02d} days {}-{}", period.year, period.index,
                         FirstDay(period).day(), LastDay(period).day());
    }
    case PeriodKind::kMonth:
      if (zh) return StrCat(period.year, "年", period.index, "月");
      return fmt::format("{:04d}-{:02d}", period.year, period.index);
    case PeriodKind::kQuarter:
      if (zh) return StrCat(period.year, "年第", period.index, "季度");
      return StrCat(period.year, " Q", period.index);
  }
  return "?";
}

std::string CategoryLabel(const Organisation& org, std::string_view category_id,
                          Language language) {
  const Category* category = org.FindCategory(category_id);
  if (category == nullptr) return std::string(category_id);
  return language == Language::kZh ? category->name_zh : category->name_en;
}

std::string UnitLabel(const Organisation& org, std::string_view unit_id) {
  const Unit* unit = org.FindUnit(unit_id);
  return unit == nullptr || unit->name.empty() ? std::string(unit_id) : unit->name;
}

}  // namespace anding::core::ledger

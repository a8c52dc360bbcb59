#include "anding/core/ledger/vocabulary.h"

#include <utility>

namespace anding::core::ledger {
namespace {

constexpr std::pair<ItemState, std::string_view> kStates[] = {
    {ItemState::kRegistered, "registered"},
    {ItemState::kInProgress, "in_progress"},
    {ItemState::kResolved, "resolved"},
    {ItemState::kClosedOut, "closed_out"},
    {ItemState::kReopened, "reopened"}};

constexpr std::pair<ItemSource, std::string_view> kSources[] = {
    {ItemSource::kDirect, "direct"},
    {ItemSource::kEarlyWarning, "early_warning"},
    {ItemSource::kScreening, "screening"},
    {ItemSource::kIncident, "incident"}};

template <typename Enum, size_t N>
std::string_view NameOf(const std::pair<Enum, std::string_view> (&table)[N], Enum value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "?";
}

template <typename Enum, size_t N>
std::optional<Enum> Parse(const std::pair<Enum, std::string_view> (&table)[N],
                          std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

}  // namespace

std::string_view ItemStateName(ItemState state) { return NameOf(kStates, state); }
std::optional<ItemState> ParseItemState(std::string_view name) { return Parse(kStates, name); }

std::string_view ItemSourceName(ItemSource source) { return NameOf(kSources, source); }
std::optional<ItemSource> ParseItemSource(std::string_view name) { return Parse(kSources, name); }

bool IsLegalTransition(ItemState from, ItemState to) {
  using S = ItemState;
  switch (from) {
    case S::kRegistered:
      return to == S::kInProgress;
    case S::kInProgress:
      return to == S::kResolved;
    case S::kResolved:
      return to == S::kClosedOut || to == S::kInProgress;
    case S::kClosedOut:
      return to == S::kReopened;
    case S::kReopened:
      return to == S::kInProgress;
  }
  return false;
}

bool IsSupervised(ItemState state) {
  return state == ItemState::kRegistered || state == ItemState::kInProgress ||
         state == ItemState::kReopened;
}

}  // namespace anding::core::ledger

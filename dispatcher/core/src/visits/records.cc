#include "anding/core/visits/records.h"

#include <array>
#include <utility>

namespace anding::core::visits {
namespace {

template <typename E, size_t N>
std::optional<E> Find(const std::array<std::pair<E, std::string_view>, N>& names,
                      std::string_view name) {
  for (const auto& [value, text] : names) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [candidate, text] : names) {
    if (candidate == value) return text;
  }
  return "unknown";
}

constexpr std::array<std::pair<Channel, std::string_view>, 4> kChannels{{
    {Channel::kVisit, "visit"},
    {Channel::kLetter, "letter"},
    {Channel::kPhone, "phone"},
    {Channel::kOnline, "online"},
}};

constexpr std::array<std::pair<DestinationLevel, std::string_view>, 5> kLevels{{
    {DestinationLevel::kUnit, "unit"},
    {DestinationLevel::kCompany, "company"},
    {DestinationLevel::kCity, "city"},
    {DestinationLevel::kProvince, "province"},
    {DestinationLevel::kBeijing, "beijing"},
}};

constexpr std::array<std::pair<MatterState, std::string_view>, 8> kStates{{
    {MatterState::kReceived, "received"},
    {MatterState::kNotAccepted, "not_accepted"},
    {MatterState::kAccepted, "accepted"},
    {MatterState::kConcluded, "concluded"},
    {MatterState::kReviewRequested, "review_requested"},
    {MatterState::kReviewed, "reviewed"},
    {MatterState::kReexaminationRequested, "reexamination_requested"},
    {MatterState::kReexamined, "reexamined"},
}};

}  // namespace

std::string_view ChannelName(Channel channel) { return NameOf(kChannels, channel); }

std::optional<Channel> ParseChannel(std::string_view name) {
  // The agents' VisitRecord says "walk-in" for a visit in person.
  if (name.empty() || name == "walk-in") return Channel::kVisit;
  return Find(kChannels, name);
}

std::string_view DestinationLevelName(DestinationLevel level) { return NameOf(kLevels, level); }

std::optional<DestinationLevel> ParseDestinationLevel(std::string_view name) {
  if (name.empty()) return DestinationLevel::kUnit;
  return Find(kLevels, name);
}

std::string_view MatterStateName(MatterState state) { return NameOf(kStates, state); }

std::optional<MatterState> ParseMatterState(std::string_view name) { return Find(kStates, name); }

bool LimitRuns(MatterState state) {
  return state == MatterState::kReceived || state == MatterState::kAccepted ||
         state == MatterState::kReviewRequested || state == MatterState::kReexaminationRequested;
}

bool NamesAGroup(const Visit& visit) {
  return !visit.contact.empty() || !visit.representative.empty();
}

}  // namespace anding::core::visits

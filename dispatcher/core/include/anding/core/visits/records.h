// The records of the visit register (接处访登记) and of petition matters
// (信访事项), and their small vocabularies. Names are the stable text forms
// used in storage, the operator API and exports.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "anding/common/time.h"

namespace anding::core::visits {

// How a visit was received.
enum class Channel { kVisit, kLetter, kPhone, kOnline };
// "visit", "letter", "phone", "online". Parse also takes "walk-in" (the
// agents' word for a visit in person) and "" (a visit in person).
[[nodiscard]] std::string_view ChannelName(Channel channel);
[[nodiscard]] std::optional<Channel> ParseChannel(std::string_view name);

// Where the petitioners went (越级访 is anything above the unit).
enum class DestinationLevel { kUnit, kCompany, kCity, kProvince, kBeijing };
// "unit", "company", "city", "province", "beijing"; Parse takes "" as unit.
[[nodiscard]] std::string_view DestinationLevelName(DestinationLevel level);
[[nodiscard]] std::optional<DestinationLevel> ParseDestinationLevel(std::string_view name);

// One visit received (接访), the source of the statistics.
struct Visit {
  std::string id;  // "V-000001", assigned in order
  CivilDay day;    // in the configured zone
  std::string unit_id;
  std::string category_id;  // may be empty: not categorised
  Channel channel = Channel::kVisit;
  DestinationLevel destination = DestinationLevel::kUnit;
  uint32_t batches = 1;  // 批次
  uint32_t persons = 1;  // 人次
  bool collective = false;
  std::string representative;  // the group's representative, if known
  std::string contact;         // their phone or address, if known
  std::string note;
  // The earlier visit this one repeats (empty: not a repeat), and whether
  // an operator linked it ("link") or the window found it ("window").
  std::string repeat_of;
  std::string repeat_basis;
  Time recorded_at{};
  std::string recorded_by;  // Actor::ToString()
  friend bool operator==(const Visit&, const Visit&) = default;
};

// The life of a petition matter (信访事项):
//
//   received ─▶ not_accepted
//       └────▶ accepted ─▶ concluded ─▶ review_requested ─▶ reviewed
//                                        ─▶ reexamination_requested ─▶ reexamined
enum class MatterState {
  kReceived,
  kNotAccepted,
  kAccepted,
  kConcluded,
  kReviewRequested,
  kReviewed,
  kReexaminationRequested,
  kReexamined,
};
[[nodiscard]] std::string_view MatterStateName(MatterState state);
[[nodiscard]] std::optional<MatterState> ParseMatterState(std::string_view name);
// Whether a statutory limit runs in `state` (DeadlineOf in visits.h):
// received, accepted, review_requested and reexamination_requested. A
// matter in any other state changes only when a command names it.
[[nodiscard]] bool LimitRuns(MatterState state);

struct Matter {
  std::string id;  // "M-000001"
  std::string unit_id;
  std::string category_id;
  std::string summary;
  std::string visit_id;  // the visit it came from, if any
  MatterState state = MatterState::kReceived;
  CivilDay received_day;
  // The day each step happened; set as the matter moves.
  std::optional<CivilDay> decided_day;  // accepted or not accepted
  std::optional<CivilDay> concluded_day;
  std::optional<CivilDay> review_requested_day;
  std::optional<CivilDay> reviewed_day;
  std::optional<CivilDay> reexamination_requested_day;
  std::optional<CivilDay> reexamined_day;
  int64_t extension_days = 0;  // 0 = not extended; once only
  std::string extension_reason;
  std::string outcome;  // the decision, answer or opinion last given
  // Timers already fired, as "<stage>@<last day>", so that a restart fires
  // nothing twice and an extension (a new last day) warns again.
  std::string warned;
  std::string breached;
  Time updated_at{};
  std::string updated_by;
  friend bool operator==(const Matter&, const Matter&) = default;
};

// Whether a later visit can repeat `visit` (VisitRegister::RecordVisit
// looks for the group's latest visit in the window): it names its group by
// contact or representative.
[[nodiscard]] bool NamesAGroup(const Visit& visit);

// Everything the register keeps; restored from the store as it is.
struct VisitsState {
  // Every visit, or (visits_since set) those dated visits_since or later
  // that name their group (NamesAGroup), plus the others recalled or
  // recorded since (VisitRegister::Recall, Forget).
  std::map<std::string, Visit, std::less<>> visits;
  // Every matter, or (finished_matters_left) those in which a limit runs
  // (LimitRuns), plus the others recalled or changed since
  // (VisitRegister::RecallMatter, ReleaseMatter).
  std::map<std::string, Matter, std::less<>> matters;
  int64_t next_visit = 1;
  int64_t next_matter = 1;
  // Set when older visits stay in the store: visits and matters may then
  // name visits the register does not hold.
  std::optional<CivilDay> visits_since;
  // Set when matters in which no limit runs stay in the store.
  bool finished_matters_left = false;
  friend bool operator==(const VisitsState&, const VisitsState&) = default;
};

// Copies of the records a command changed, for the store.
struct VisitsChangeSet {
  std::map<std::string, Visit, std::less<>> visits;
  std::map<std::string, Matter, std::less<>> matters;
  [[nodiscard]] bool empty() const { return visits.empty() && matters.empty(); }
};

}  // namespace anding::core::visits

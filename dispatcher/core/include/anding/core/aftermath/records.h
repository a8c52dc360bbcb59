// The records of the post-incident review (善后): one review per settled
// incident, with the rebounds its watch found. Plain values that compare
// equal field by field, so a review rebuilt from the store can be checked
// against the original.
//
// Thread-safety: values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/core/org.h"

namespace anding::core::aftermath {

// A new warning or incident of the reviewed unit and category inside the
// watch window.
struct Rebound {
  std::string kind;  // "incident" or "warning"
  std::string id;    // incident id or warning id
  std::string unit_id;
  std::string category_id;
  Time at{};
  std::string summary;
  friend bool operator==(const Rebound&, const Rebound&) = default;
};

struct Review {
  std::string incident_id;
  std::string unit_id;         // the involved unit whose follow-up it is
  std::string category_id;     // the incident's; empty = watched by unit alone
  std::string summary;         // the incident's
  std::string ledger_item_id;  // the follow-up 台账 item; empty if none could be registered
  Person responsible_leader;   // 包案领导 of the unit
  Time opened_at{};            // when the incident was settled
  Time updated_at{};
  Actor updated_by;
  std::string investigation;
  std::string solution;
  std::string department;  // the business department the solution was agreed with
  std::optional<Time> representatives_told_at;
  std::string representatives_told_by;
  int64_t watch_days = 30;
  std::vector<Rebound> rebounds;
  std::string root_cause;  // a configured RootCause id
  std::string root_cause_text;
  std::string background;
  int64_t other_losses_fen = 0;
  std::string other_losses_text;
  std::string responsibility;
  std::string lessons;
  std::string improvements;
  friend bool operator==(const Review&, const Review&) = default;
};

// Copies of the reviews commands changed (Aftermath::Changes), for the
// repository (store::SaveReviews); each once, in the order named.
struct ReviewChangeSet {
  std::vector<Review> reviews;
  [[nodiscard]] bool empty() const { return reviews.empty(); }
};

// RecordRef kind this module writes to Effects::changed (id: incident id).
inline constexpr std::string_view kReviewRecord = "review";

}  // namespace anding::core::aftermath

// Aftermath: the post-incident reviews (善后) of settled incidents, the
// gate that keeps an incident open until its review is complete, and the
// rebound watch (反弹).
//
// Rules it keeps:
//  * A review opens when its incident is settled, for the first involved
//    unit, owned by that unit's responsible leader (the shell registers the
//    follow-up 台账 item and passes its id).
//  * Updates replace the fields they name; text is trimmed; an unknown root
//    cause, a watch outside 1–365 days, negative other losses or a time
//    the representatives were told before the settlement or after `now`
//    are refused (InvalidArgument), and nothing changes.
//  * The incident may close only when every mandatory field (config) is
//    filled: CheckClosable names the missing ones.
//  * Rebound: a warning or incident reported after the settlement, whose
//    local day is at most watch_days after the settlement's local day
//    (Asia/Shanghai by default; the last watched day is included), with the
//    review's unit among its units and the review's category (any category
//    when the incident had none) is recorded on the review once, raises an
//    HqAlert "rebound" and a feed notice.
//
// What it says to the outside (Effects): changed {"review", incident id};
// notices "review" opened / updated / rebound; alerts "rebound".
//
// Thread-safety: none; one thread (the dispatcher's strand) owns it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/aftermath/config.h"
#include "anding/core/aftermath/records.h"
#include "anding/core/effects.h"
#include "anding/core/org.h"

namespace anding::core::aftermath {

struct OpenReviewRequest {
  std::string incident_id;
  std::string unit_id;
  std::string category_id;
  std::string summary;
  Time settled_at{};
  Person responsible_leader;
  std::string ledger_item_id;
};

// Fields to replace; unset ones stay.
struct ReviewUpdate {
  std::string incident_id;
  std::optional<std::string> investigation;
  std::optional<std::string> solution;
  std::optional<std::string> department;
  std::optional<Time> representatives_told_at;
  std::optional<std::string> representatives_told_by;
  std::optional<int64_t> watch_days;
  std::optional<std::string> root_cause;
  std::optional<std::string> root_cause_text;
  std::optional<std::string> background;
  std::optional<int64_t> other_losses_fen;
  std::optional<std::string> other_losses_text;
  std::optional<std::string> responsibility;
  std::optional<std::string> lessons;
  std::optional<std::string> improvements;
};

// A new warning or incident, as the rebound watch sees it.
struct ReboundCandidate {
  std::string kind;  // "incident" or "warning"
  std::string id;
  std::vector<std::string> unit_ids;
  std::string category_id;
  Time at{};
  std::string summary;
};

class Aftermath {
 public:
  explicit Aftermath(AftermathConfig config);

  // A module holding `reviews` (what store::LoadReviews returned).
  // DataLoss if an incident has two reviews.
  [[nodiscard]] static Result<std::unique_ptr<Aftermath>> Restore(AftermathConfig config,
                                                                  std::vector<Review> reviews);

  // Opens the review of a settled incident. Opening one that exists
  // changes nothing (OK). InvalidArgument: no incident or unit id.
  [[nodiscard]] Status Open(const OpenReviewRequest& request, Time now, Effects& out);

  // Records parts of a review (see the rules above). NotFound: no review.
  [[nodiscard]] Result<const Review*> Update(const ReviewUpdate& update, const Actor& who, Time now,
                                             Effects& out);

  // Records `candidate` on every review whose watch it falls in.
  void Watch(const ReboundCandidate& candidate, Effects& out);

  // The mandatory fields still empty, in ReviewFieldNames' order.
  [[nodiscard]] std::vector<std::string> Missing(const Review& review) const;
  // OK when the incident's review is complete; FailedPrecondition naming
  // what is missing, or that it has no review.
  [[nodiscard]] Status CheckClosable(std::string_view incident_id) const;
  // The last local day the review watches for a rebound.
  [[nodiscard]] CivilDay WatchUntil(const Review& review) const;
  // Whether a report at `at` is inside the review's watch window.
  [[nodiscard]] bool InWatch(const Review& review, Time at) const;

  [[nodiscard]] const Review* Find(std::string_view incident_id) const;
  // The configured name of a root-cause id, or empty.
  [[nodiscard]] std::string RootCauseName(std::string_view id) const;
  // Every review, by incident id.
  [[nodiscard]] std::vector<Review> Snapshot() const;
  // The rebounds recorded so far, per follow-up 台账 item id (reviews
  // without an item are left out): the ledger's statistics count them.
  [[nodiscard]] std::map<std::string, int64_t, std::less<>> ReboundsByLedgerItem() const;
  // Copies of the reviews named in `changed` (other kinds ignored, each
  // once). Internal if a ref names a review it does not hold.
  [[nodiscard]] Result<ReviewChangeSet> Changes(const std::vector<RecordRef>& changed) const;

  [[nodiscard]] const AftermathConfig& config() const { return config_; }

 private:
  void MarkChanged(const Review& review, Effects& out) const;

  AftermathConfig config_;
  std::map<std::string, Review, std::less<>> reviews_;
};

}  // namespace anding::core::aftermath

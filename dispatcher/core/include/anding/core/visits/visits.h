// The visit register (接处访登记) and petition matters (信访事项) with the
// statutory time limits of the 信访工作条例 (2022).
//
// Visits are recorded by agents (VisitRecord) and operators. A visit by
// the same group — same unit, category and representative (same contact,
// or same name where either has no contact) — within the configured window
// after an earlier one is flagged as a repeat and linked to it; an
// operator may also link a visit to an earlier one explicitly.
//
// A matter runs through the states in records.h. Each open step has a
// limit (DeadlineOf): the accept decision, the conclusion (extendable once,
// with a reason), the review (复查) and the re-examination (复核). Tick
// warns HQ once when a limit is `warn_before_days` away and alerts once
// when it has run out, remembering both in the matter so that a restart
// fires nothing twice; an extension starts the warning over.
//
// Commands follow dispatcher/core/README.md: on failure the state and
// `out` are untouched (InvalidArgument for bad input, NotFound for an
// unknown id, FailedPrecondition for a step the matter's state or its time
// limit forbids); on success every changed record is in `out.changed` with
// a FeedNotice.
//
// Thread-safety: not thread-safe; one owner thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "anding/common/status.h"
#include "anding/core/effects.h"
#include "anding/core/org.h"
#include "anding/core/visits/config.h"
#include "anding/core/visits/records.h"

namespace anding::core::visits {

struct VisitRequest {
  CivilDay day;
  std::string unit_id;
  std::string category_id;  // empty or a configured category
  Channel channel = Channel::kVisit;
  DestinationLevel destination = DestinationLevel::kUnit;
  uint32_t batches = 1;
  uint32_t persons = 1;
  // nullopt: collective when persons >= collective_min_persons.
  std::optional<bool> collective;
  std::string representative;
  std::string contact;
  std::string note;
  // An earlier visit this one repeats, linked explicitly (any distance).
  std::string repeat_of;
};

struct MatterRequest {
  std::string unit_id;
  std::string category_id;
  std::string summary;
  std::string visit_id;  // optional: the visit the matter came from
  CivilDay received_day;
};

enum class MatterAction {
  kAccept,
  kDecline,
  kExtend,
  kConclude,
  kRequestReview,
  kConcludeReview,
  kRequestReexamination,
  kConcludeReexamination,
};
// "accept", "decline", "extend", "conclude", "request_review",
// "conclude_review", "request_reexamination", "conclude_reexamination".
[[nodiscard]] std::string_view MatterActionName(MatterAction action);
[[nodiscard]] std::optional<MatterAction> ParseMatterAction(std::string_view name);

struct MatterActionRequest {
  std::string matter_id;
  MatterAction action = MatterAction::kAccept;
  CivilDay day;                // when it happened (not after today, not before the last step)
  int64_t extension_days = 0;  // kExtend only: 1..max_extension_days
  std::string text;            // the reason (decline, extend) or the answer
};

// The limit running for a matter's current step.
struct Deadline {
  std::string stage;  // "accept", "conclude", "review", "reexamination"
  CivilDay last_day;  // the limit ends at the end of this day
  Time due{};         // the first instant after it
  Time warn_at{};     // when HQ is warned
  friend bool operator==(const Deadline&, const Deadline&) = default;
};

// The limit of `matter`'s current step; nullopt when no limit runs (not
// accepted, concluded, reviewed, re-examined).
[[nodiscard]] std::optional<Deadline> DeadlineOf(const Matter& matter, const VisitsConfig& config);

// Per unit, the matters whose running limit is, at `at`, within its
// warning lead (warn_at <= at < due: 临期) or past (due <= at: 超期), for
// the daily summary. Matters received after the local day of `at` are
// left out; the step counted is the matter's current one.
struct DeadlineTally {
  uint32_t due_soon = 0;
  uint32_t overdue = 0;
};
[[nodiscard]] std::map<std::string, DeadlineTally, std::less<>> TallyDeadlines(
    const std::map<std::string, Matter, std::less<>>& matters, const VisitsConfig& config, Time at);

class VisitRegister {
 public:
  // `org` must outlive the register.
  VisitRegister(VisitsConfig config, const Organisation& org);
  // Rebuilds the register from stored state. DataLoss when a record refers
  // to a visit that does not exist (among the visits held, unless the state
  // holds only the visits since a day) or a counter is behind an id.
  [[nodiscard]] static Result<VisitRegister> Restore(VisitsConfig config, const Organisation& org,
                                                     VisitsState state);

  // Records a visit; InvalidArgument for an unknown unit or category, a day
  // after today, persons fewer than batches or zero batches; NotFound for
  // an unknown repeat_of, InvalidArgument for one on a later day.
  [[nodiscard]] Result<Visit> RecordVisit(const VisitRequest& request, const Actor& who, Time now,
                                          Effects& out);
  // Registers a matter received on `received_day` (not after today).
  [[nodiscard]] Result<Matter> RegisterMatter(const MatterRequest& request, const Actor& who,
                                              Time now, Effects& out);
  // Moves a matter one step. Refused (FailedPrecondition) when the state
  // does not allow the step, a second extension, an extension once the
  // conclusion limit has run out, or a review / re-examination requested
  // after its request limit.
  [[nodiscard]] Result<Matter> Act(const MatterActionRequest& request, const Actor& who, Time now,
                                   Effects& out);

  // When the register holds only the visits dated from a day on
  // (VisitsState::visits_since), the caller hands it, before a command, the
  // older visits the command needs: the repeat window of a visit dated
  // earlier, the visit a request names. Visits already held are ignored.
  void Recall(std::vector<Visit> visits);
  [[nodiscard]] bool Holds(std::string_view visit_id) const {
    return state_.visits.contains(visit_id);
  }
  // Lets go of the visits dated before `since` (recalled ones too) and of
  // those naming no group (no later visit can repeat them), and holds only
  // those dated `since` or later from then on (visits_since): a long run
  // holds what a start would. The store keeps them all; the caller recalls
  // them as after a start. Returns how many it let go of.
  size_t Forget(CivilDay since);

  // When the register holds only the matters in which a limit runs
  // (VisitsState::finished_matters_left), the caller hands it, before a
  // command that names another, that matter as stored. Ignored if held.
  void RecallMatter(Matter matter);
  [[nodiscard]] bool HoldsMatter(std::string_view matter_id) const {
    return state_.matters.contains(matter_id);
  }
  // Lets go of a held matter in which no limit runs (LimitRuns) and whose
  // last change the store has; from then on the register holds the
  // running matters and those recalled or changed since, as after a start
  // that read only the running ones. RecallMatter takes it back. NotFound
  // if it is not held; FailedPrecondition if a limit runs in it.
  [[nodiscard]] Status ReleaseMatter(std::string_view matter_id);

  // The earliest warning or breach not yet fired.
  [[nodiscard]] std::optional<Time> NextWakeup() const;
  // Fires every warning and breach due at `now`: an HqAlert
  // ("matter_deadline_warning", "matter_deadline_breach") and a notice each.
  void Tick(Time now, Effects& out);

  // Copies of the records named in `changed` (other kinds are ignored).
  // Internal for a visit or matter the register does not have.
  [[nodiscard]] Result<VisitsChangeSet> Changes(const std::vector<RecordRef>& changed) const;

  [[nodiscard]] const VisitsState& state() const { return state_; }
  [[nodiscard]] const VisitsConfig& config() const { return config_; }

 private:
  [[nodiscard]] const Visit* FindRepeated(const VisitRequest& request) const;
  void Index(const Visit& visit);

  VisitsConfig config_;
  const Organisation* org_;
  VisitsState state_;
  // The ids of each unit and category's visits by day: a repeat is looked
  // for among one group's visits inside the window, not among every visit
  // ever recorded.
  std::map<std::pair<std::string, std::string>, std::multimap<CivilDay, std::string>> by_group_;
};

}  // namespace anding::core::visits

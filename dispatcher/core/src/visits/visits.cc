#include "anding/core/visits/visits.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <iterator>

#include "anding/common/strings.h"

namespace anding::core::visits {
namespace {

constexpr const char* kVisitKind = "visit";
constexpr const char* kMatterKind = "matter";

std::string NumberedId(char prefix, int64_t number) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%c-%06lld", prefix, static_cast<long long>(number));
  return buffer;
}

// The number in "V-000042", or nullopt.
std::optional<int64_t> IdNumber(std::string_view id) {
  if (id.size() < 3 || id[1] != '-') return std::nullopt;
  int64_t value = 0;
  for (char c : id.substr(2)) {
    if (c < '0' || c > '9' || value > 1'000'000'000'000) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

constexpr std::array<std::pair<MatterAction, std::string_view>, 8> kActions{{
    {MatterAction::kAccept, "accept"},
    {MatterAction::kDecline, "decline"},
    {MatterAction::kExtend, "extend"},
    {MatterAction::kConclude, "conclude"},
    {MatterAction::kRequestReview, "request_review"},
    {MatterAction::kConcludeReview, "conclude_review"},
    {MatterAction::kRequestReexamination, "request_reexamination"},
    {MatterAction::kConcludeReexamination, "conclude_reexamination"},
}};

// The day the matter's last step happened.
CivilDay LastStepDay(const Matter& m) {
  for (const auto* day : {&m.reexamined_day, &m.reexamination_requested_day, &m.reviewed_day,
                          &m.review_requested_day, &m.concluded_day, &m.decided_day}) {
    if (day->has_value()) return **day;
  }
  return m.received_day;
}

std::string TimerKey(const Deadline& deadline) {
  return StrCat(deadline.stage, "@", FormatDay(deadline.last_day));
}

bool SameGroup(const Visit& earlier, const VisitRequest& request) {
  if (earlier.unit_id != request.unit_id || earlier.category_id != request.category_id) {
    return false;
  }
  if (!earlier.contact.empty() && !request.contact.empty()) {
    return earlier.contact == request.contact;
  }
  return !request.representative.empty() && earlier.representative == request.representative;
}

std::string_view StageText(std::string_view stage) {
  if (stage == "accept") return "受理决定 accept decision";
  if (stage == "conclude") return "办结 conclusion";
  if (stage == "review") return "复查 review";
  return "复核 re-examination";
}

}  // namespace

std::string_view MatterActionName(MatterAction action) {
  for (const auto& [value, text] : kActions) {
    if (value == action) return text;
  }
  return "unknown";
}

std::optional<MatterAction> ParseMatterAction(std::string_view name) {
  for (const auto& [value, text] : kActions) {
    if (text == name) return value;
  }
  return std::nullopt;
}

std::optional<Deadline> DeadlineOf(const Matter& matter, const VisitsConfig& config) {
  const TimeLimits& limits = config.limits;
  Deadline deadline;
  switch (matter.state) {
    case MatterState::kReceived:
      deadline.stage = "accept";
      deadline.last_day = matter.received_day + limits.accept_decision_days;
      break;
    case MatterState::kAccepted:
      if (!matter.decided_day) return std::nullopt;
      deadline.stage = "conclude";
      deadline.last_day = *matter.decided_day + limits.conclude_days + matter.extension_days;
      break;
    case MatterState::kReviewRequested:
      if (!matter.review_requested_day) return std::nullopt;
      deadline.stage = "review";
      deadline.last_day = *matter.review_requested_day + limits.review_days;
      break;
    case MatterState::kReexaminationRequested:
      if (!matter.reexamination_requested_day) return std::nullopt;
      deadline.stage = "reexamination";
      deadline.last_day = *matter.reexamination_requested_day + limits.reexamination_days;
      break;
    default:
      return std::nullopt;
  }
  deadline.due = config.zone.StartOf(deadline.last_day + 1);
  deadline.warn_at = config.zone.StartOf(deadline.last_day + 1 - limits.warn_before_days);
  return deadline;
}

std::map<std::string, DeadlineTally, std::less<>> TallyDeadlines(
    const std::map<std::string, Matter, std::less<>>& matters, const VisitsConfig& config,
    Time at) {
  std::map<std::string, DeadlineTally, std::less<>> tally;
  const CivilDay today = config.zone.DayOf(at);
  for (const auto& [id, matter] : matters) {
    if (matter.received_day > today) continue;
    const std::optional<Deadline> deadline = DeadlineOf(matter, config);
    if (!deadline || at < deadline->warn_at) continue;
    DeadlineTally& unit = tally[matter.unit_id];
    if (at >= deadline->due) {
      ++unit.overdue;
    } else {
      ++unit.due_soon;
    }
  }
  return tally;
}

VisitRegister::VisitRegister(VisitsConfig config, const Organisation& org)
    : config_(std::move(config)), org_(&org) {}

Result<VisitRegister> VisitRegister::Restore(VisitsConfig config, const Organisation& org,
                                             VisitsState state) {
  for (const auto& [id, visit] : state.visits) {
    const auto number = IdNumber(id);
    if (!number || *number >= state.next_visit) {
      return DataLossError(StrCat("visit '", id, "' is not below the visit counter"));
    }
    if (!visit.repeat_of.empty() && !state.visits_since &&
        !state.visits.contains(visit.repeat_of)) {
      return DataLossError(
          StrCat("visit '", id, "' repeats unknown visit '", visit.repeat_of, "'"));
    }
  }
  for (const auto& [id, matter] : state.matters) {
    const auto number = IdNumber(id);
    if (!number || *number >= state.next_matter) {
      return DataLossError(StrCat("matter '", id, "' is not below the matter counter"));
    }
    if (!matter.visit_id.empty() && !state.visits_since &&
        !state.visits.contains(matter.visit_id)) {
      return DataLossError(StrCat("matter '", id, "' names unknown visit '", matter.visit_id, "'"));
    }
  }
  VisitRegister restored(std::move(config), org);
  restored.state_ = std::move(state);
  for (const auto& [id, visit] : restored.state_.visits) restored.Index(visit);
  return restored;
}

void VisitRegister::Recall(std::vector<Visit> visits) {
  for (Visit& visit : visits) {
    if (state_.visits.contains(visit.id)) continue;
    Index(visit);
    state_.visits.emplace(visit.id, std::move(visit));
  }
}

size_t VisitRegister::Forget(CivilDay since) {
  if (!state_.visits_since || *state_.visits_since < since) state_.visits_since = since;
  size_t forgotten = 0;
  for (auto group = by_group_.begin(); group != by_group_.end();) {
    auto& days = group->second;
    const auto kept = days.lower_bound(*state_.visits_since);
    for (auto day = days.begin(); day != kept; ++day) forgotten += state_.visits.erase(day->second);
    days.erase(days.begin(), kept);
    group = days.empty() ? by_group_.erase(group) : std::next(group);
  }
  // Those naming no group are in no group's days.
  forgotten +=
      std::erase_if(state_.visits, [](const auto& entry) { return !NamesAGroup(entry.second); });
  return forgotten;
}

void VisitRegister::RecallMatter(Matter matter) {
  const std::string id = matter.id;
  state_.matters.try_emplace(id, std::move(matter));
}

Status VisitRegister::ReleaseMatter(std::string_view matter_id) {
  auto it = state_.matters.find(matter_id);
  if (it == state_.matters.end()) {
    return NotFoundError(StrCat("matter '", matter_id, "' is not held"));
  }
  if (LimitRuns(it->second.state)) {
    return FailedPreconditionError(StrCat("matter '", matter_id, "' is ",
                                          MatterStateName(it->second.state),
                                          ": its time limit is watched"));
  }
  state_.matters.erase(it);
  state_.finished_matters_left = true;
  return OkStatus();
}

void VisitRegister::Index(const Visit& visit) {
  // Only a visit naming its group can be a later one's earlier visit.
  if (!NamesAGroup(visit)) return;
  // Within a day in the order recorded (by id number), also for a visit
  // recalled after later ones of its day.
  auto& days = by_group_[{visit.unit_id, visit.category_id}];
  const auto [first, last] = days.equal_range(visit.day);
  const auto number = IdNumber(visit.id);
  if (first == last || IdNumber(std::prev(last)->second) < number) {
    days.emplace_hint(last, visit.day, visit.id);  // the newest of its day: one step
    return;
  }
  const auto later =
      std::find_if(first, last, [&](const auto& entry) { return IdNumber(entry.second) > number; });
  days.emplace_hint(later, visit.day, visit.id);
}

const Visit* VisitRegister::FindRepeated(const VisitRequest& request) const {
  // Nothing names the group.
  if (request.contact.empty() && request.representative.empty()) return nullptr;
  auto group = by_group_.find({request.unit_id, request.category_id});
  if (group == by_group_.end()) return nullptr;
  const Visit* latest = nullptr;
  // In day order, and within a day in the order recorded: the last match
  // is the most recent earlier visit of the group.
  for (auto it = group->second.lower_bound(request.day - config_.repeat_window_days);
       it != group->second.end() && it->first <= request.day; ++it) {
    const Visit& visit = state_.visits.find(it->second)->second;
    if (SameGroup(visit, request)) latest = &visit;
  }
  return latest;
}

Result<Visit> VisitRegister::RecordVisit(const VisitRequest& request, const Actor& who, Time now,
                                         Effects& out) {
  if (org_->FindUnit(request.unit_id) == nullptr) {
    return InvalidArgumentError(StrCat("unit_id: unknown unit '", request.unit_id, "'"));
  }
  if (!request.category_id.empty() && org_->FindCategory(request.category_id) == nullptr) {
    return InvalidArgumentError(
        StrCat("category_id: unknown category '", request.category_id, "'"));
  }
  if (request.day > config_.zone.DayOf(now)) {
    return InvalidArgumentError(StrCat("day: ", FormatDay(request.day), " is after today"));
  }
  if (request.batches == 0) return InvalidArgumentError("batches: must be at least 1");
  if (request.persons < request.batches) {
    return InvalidArgumentError("persons: must be at least the number of batches");
  }
  Visit visit;
  if (!request.repeat_of.empty()) {
    auto it = state_.visits.find(request.repeat_of);
    if (it == state_.visits.end()) {
      return NotFoundError(StrCat("repeat_of: no visit '", request.repeat_of, "'"));
    }
    if (it->second.day > request.day) {
      return InvalidArgumentError(
          StrCat("repeat_of: visit '", request.repeat_of, "' is later than this one"));
    }
    visit.repeat_of = request.repeat_of;
    visit.repeat_basis = "link";
  } else if (const Visit* earlier = FindRepeated(request)) {
    visit.repeat_of = earlier->id;
    visit.repeat_basis = "window";
  }
  visit.id = NumberedId('V', state_.next_visit);
  visit.day = request.day;
  visit.unit_id = request.unit_id;
  visit.category_id = request.category_id;
  visit.channel = request.channel;
  visit.destination = request.destination;
  visit.batches = request.batches;
  visit.persons = request.persons;
  visit.collective = request.collective.value_or(request.persons >= config_.collective_min_persons);
  visit.representative = request.representative;
  visit.contact = request.contact;
  visit.note = request.note;
  visit.recorded_at = now;
  visit.recorded_by = who.ToString();
  ++state_.next_visit;
  state_.visits.emplace(visit.id, visit);
  Index(visit);
  out.changed.push_back({kVisitKind, visit.id});
  std::string summary = StrCat(FormatDay(visit.day), " ", ChannelName(visit.channel), " → ",
                               DestinationLevelName(visit.destination), ": ", visit.batches,
                               " batches, ", visit.persons, " persons");
  if (!visit.repeat_of.empty()) StrAppend(summary, " (repeat of ", visit.repeat_of, ")");
  out.notices.push_back({kVisitKind, visit.id, visit.repeat_of.empty() ? "recorded" : "repeat",
                         std::move(summary), visit.unit_id});
  return visit;
}

Result<Matter> VisitRegister::RegisterMatter(const MatterRequest& request, const Actor& who,
                                             Time now, Effects& out) {
  if (org_->FindUnit(request.unit_id) == nullptr) {
    return InvalidArgumentError(StrCat("unit_id: unknown unit '", request.unit_id, "'"));
  }
  if (!request.category_id.empty() && org_->FindCategory(request.category_id) == nullptr) {
    return InvalidArgumentError(
        StrCat("category_id: unknown category '", request.category_id, "'"));
  }
  if (request.summary.empty()) return InvalidArgumentError("summary: required");
  if (request.received_day > config_.zone.DayOf(now)) {
    return InvalidArgumentError(
        StrCat("received_day: ", FormatDay(request.received_day), " is after today"));
  }
  if (!request.visit_id.empty() && !state_.visits.contains(request.visit_id)) {
    return NotFoundError(StrCat("visit_id: no visit '", request.visit_id, "'"));
  }
  Matter matter;
  matter.id = NumberedId('M', state_.next_matter);
  matter.unit_id = request.unit_id;
  matter.category_id = request.category_id;
  matter.summary = request.summary;
  matter.visit_id = request.visit_id;
  matter.received_day = request.received_day;
  matter.updated_at = now;
  matter.updated_by = who.ToString();
  ++state_.next_matter;
  state_.matters.emplace(matter.id, matter);
  out.changed.push_back({kMatterKind, matter.id});
  const auto deadline = DeadlineOf(matter, config_);
  out.notices.push_back({kMatterKind, matter.id, "received",
                         StrCat(matter.summary, " — decide by ", FormatDay(deadline->last_day)),
                         matter.unit_id});
  return matter;
}

Result<Matter> VisitRegister::Act(const MatterActionRequest& request, const Actor& who, Time now,
                                  Effects& out) {
  auto it = state_.matters.find(request.matter_id);
  if (it == state_.matters.end()) {
    return NotFoundError(StrCat("matter_id: no matter '", request.matter_id, "'"));
  }
  const CivilDay today = config_.zone.DayOf(now);
  if (request.day > today) {
    return InvalidArgumentError(StrCat("day: ", FormatDay(request.day), " is after today"));
  }
  Matter matter = it->second;  // changed on a copy: a refusal leaves no trace
  if (request.day < LastStepDay(matter)) {
    return InvalidArgumentError(StrCat("day: ", FormatDay(request.day),
                                       " is before the matter's last step on ",
                                       FormatDay(LastStepDay(matter))));
  }
  const std::string_view action = MatterActionName(request.action);
  auto refuse = [&](std::string_view why) {
    return FailedPreconditionError(StrCat("matter '", matter.id, "' is ",
                                          MatterStateName(matter.state), ": cannot ", action,
                                          why.empty() ? "" : " (", why, why.empty() ? "" : ")"));
  };
  auto require = [&](MatterState state) { return matter.state == state; };
  const TimeLimits& limits = config_.limits;
  switch (request.action) {
    case MatterAction::kAccept:
    case MatterAction::kDecline:
      if (!require(MatterState::kReceived)) return refuse("");
      if (request.action == MatterAction::kDecline && request.text.empty()) {
        return InvalidArgumentError("text: the reason for not accepting is required");
      }
      matter.state = request.action == MatterAction::kAccept ? MatterState::kAccepted
                                                             : MatterState::kNotAccepted;
      matter.decided_day = request.day;
      break;
    case MatterAction::kExtend: {
      if (!require(MatterState::kAccepted)) return refuse("");
      if (matter.extension_days > 0) return refuse("it was extended once already");
      if (request.extension_days < 1 || request.extension_days > limits.max_extension_days) {
        return InvalidArgumentError(
            StrCat("extension_days: must be from 1 to ", limits.max_extension_days));
      }
      if (request.text.empty()) return InvalidArgumentError("text: the reason is required");
      const auto deadline = DeadlineOf(matter, config_);
      if (deadline && now >= deadline->due) return refuse("its limit has run out");
      matter.extension_days = request.extension_days;
      matter.extension_reason = request.text;
      break;
    }
    case MatterAction::kConclude:
      if (!require(MatterState::kAccepted)) return refuse("");
      matter.state = MatterState::kConcluded;
      matter.concluded_day = request.day;
      break;
    case MatterAction::kRequestReview:
      if (!require(MatterState::kConcluded)) return refuse("");
      if (request.day - *matter.concluded_day > limits.review_request_days) {
        return refuse(StrCat("a review must be requested within ", limits.review_request_days,
                             " days of the answer"));
      }
      matter.state = MatterState::kReviewRequested;
      matter.review_requested_day = request.day;
      break;
    case MatterAction::kConcludeReview:
      if (!require(MatterState::kReviewRequested)) return refuse("");
      matter.state = MatterState::kReviewed;
      matter.reviewed_day = request.day;
      break;
    case MatterAction::kRequestReexamination:
      if (!require(MatterState::kReviewed)) return refuse("");
      if (request.day - *matter.reviewed_day > limits.reexamination_request_days) {
        return refuse(StrCat("a re-examination must be requested within ",
                             limits.reexamination_request_days, " days of the review"));
      }
      matter.state = MatterState::kReexaminationRequested;
      matter.reexamination_requested_day = request.day;
      break;
    case MatterAction::kConcludeReexamination:
      if (!require(MatterState::kReexaminationRequested)) return refuse("");
      matter.state = MatterState::kReexamined;
      matter.reexamined_day = request.day;
      break;
  }
  if (!request.text.empty() && request.action != MatterAction::kExtend) {
    matter.outcome = request.text;
  }
  matter.updated_at = now;
  matter.updated_by = who.ToString();
  it->second = matter;
  out.changed.push_back({kMatterKind, matter.id});
  std::string summary = StrCat(matter.summary, " — ", action);
  if (const auto deadline = DeadlineOf(matter, config_)) {
    StrAppend(summary, "; ", deadline->stage, " by ", FormatDay(deadline->last_day));
  }
  out.notices.push_back({kMatterKind, matter.id, std::string(MatterStateName(matter.state)),
                         summary, matter.unit_id});
  return matter;
}

std::optional<Time> VisitRegister::NextWakeup() const {
  std::optional<Time> next;
  for (const auto& [id, matter] : state_.matters) {
    const auto deadline = DeadlineOf(matter, config_);
    if (!deadline) continue;
    const std::string key = TimerKey(*deadline);
    Time at = Time::max();
    if (matter.warned != key) {
      at = deadline->warn_at;
    } else if (matter.breached != key) {
      at = deadline->due;
    }
    if (at != Time::max() && (!next || at < *next)) next = at;
  }
  return next;
}

void VisitRegister::Tick(Time now, Effects& out) {
  for (auto& [id, matter] : state_.matters) {
    const auto deadline = DeadlineOf(matter, config_);
    if (!deadline) continue;
    const std::string key = TimerKey(*deadline);
    bool changed = false;
    if (now >= deadline->due && matter.breached != key) {
      // A breach found late (after a restart) stands for its warning too.
      matter.breached = key;
      matter.warned = key;
      changed = true;
      const std::string text =
          StrCat("信访事项 ", matter.id, " ", StageText(deadline->stage), " limit ran out on ",
                 FormatDay(deadline->last_day), ": ", matter.summary);
      out.alerts.push_back({HqAlert::Severity::kCritical, "matter_deadline_breach", matter.id,
                            matter.unit_id, text});
      out.notices.push_back({kMatterKind, matter.id, "deadline_breach", text, matter.unit_id});
    } else if (now >= deadline->warn_at && matter.warned != key) {
      matter.warned = key;
      changed = true;
      const std::string text =
          StrCat("信访事项 ", matter.id, " ", StageText(deadline->stage), " limit ends on ",
                 FormatDay(deadline->last_day), ": ", matter.summary);
      out.alerts.push_back({HqAlert::Severity::kWarning, "matter_deadline_warning", matter.id,
                            matter.unit_id, text});
      out.notices.push_back({kMatterKind, matter.id, "deadline_warning", text, matter.unit_id});
    }
    if (changed) out.changed.push_back({kMatterKind, matter.id});
  }
}

Result<VisitsChangeSet> VisitRegister::Changes(const std::vector<RecordRef>& changed) const {
  VisitsChangeSet set;
  for (const RecordRef& ref : changed) {
    if (ref.kind == kVisitKind) {
      auto it = state_.visits.find(ref.id);
      if (it == state_.visits.end()) return InternalError(StrCat("no visit '", ref.id, "'"));
      set.visits[ref.id] = it->second;
    } else if (ref.kind == kMatterKind) {
      auto it = state_.matters.find(ref.id);
      if (it == state_.matters.end()) return InternalError(StrCat("no matter '", ref.id, "'"));
      set.matters[ref.id] = it->second;
    }
  }
  return set;
}

}  // namespace anding::core::visits

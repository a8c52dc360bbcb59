#include "anding/core/aftermath/aftermath.h"

#include <algorithm>

#include "anding/common/strings.h"

namespace anding::core::aftermath {
namespace {

std::string Trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

bool Filled(const Review& review, std::string_view field) {
  if (field == "investigation") return !review.investigation.empty();
  if (field == "solution") return !review.solution.empty();
  if (field == "department") return !review.department.empty();
  if (field == "representatives_told") {
    return review.representatives_told_at.has_value() && !review.representatives_told_by.empty();
  }
  if (field == "root_cause") return !review.root_cause.empty();
  if (field == "root_cause_text") return !review.root_cause_text.empty();
  if (field == "background") return !review.background.empty();
  if (field == "losses") return !review.other_losses_text.empty();
  if (field == "responsibility") return !review.responsibility.empty();
  if (field == "lessons") return !review.lessons.empty();
  if (field == "improvements") return !review.improvements.empty();
  return true;
}

}  // namespace

Aftermath::Aftermath(AftermathConfig config) : config_(std::move(config)) {}

Result<std::unique_ptr<Aftermath>> Aftermath::Restore(AftermathConfig config,
                                                      std::vector<Review> reviews) {
  auto aftermath = std::make_unique<Aftermath>(std::move(config));
  for (Review& review : reviews) {
    const std::string id = review.incident_id;
    if (!aftermath->reviews_.emplace(id, std::move(review)).second) {
      return DataLossError(StrCat("incident ", id, " has two reviews"));
    }
  }
  return aftermath;
}

void Aftermath::MarkChanged(const Review& review, Effects& out) const {
  const RecordRef ref{std::string(kReviewRecord), review.incident_id};
  if (std::find(out.changed.begin(), out.changed.end(), ref) == out.changed.end()) {
    out.changed.push_back(ref);
  }
}

Status Aftermath::Open(const OpenReviewRequest& request, Time now, Effects& out) {
  if (request.incident_id.empty() || request.unit_id.empty()) {
    return InvalidArgumentError("a review needs its incident and unit");
  }
  if (reviews_.count(request.incident_id) != 0) return OkStatus();
  Review review;
  review.incident_id = request.incident_id;
  review.unit_id = request.unit_id;
  review.category_id = request.category_id;
  review.summary = request.summary;
  review.ledger_item_id = request.ledger_item_id;
  review.responsible_leader = request.responsible_leader;
  review.opened_at = request.settled_at;
  review.updated_at = now;
  review.updated_by = Actor::System();
  review.watch_days = config_.watch_days;
  const Review& stored = reviews_.emplace(review.incident_id, std::move(review)).first->second;
  MarkChanged(stored, out);
  out.notices.push_back(FeedNotice{
      std::string(kReviewRecord), stored.incident_id, "opened",
      StrCat(stored.incident_id, " 善后开始：", stored.ledger_item_id.empty() ? "" : "台账 ",
             stored.ledger_item_id, stored.ledger_item_id.empty() ? "" : "，", "包案领导 ",
             stored.responsible_leader.name.empty() ? "未配置" : stored.responsible_leader.name),
      stored.unit_id});
  return OkStatus();
}

Result<const Review*> Aftermath::Update(const ReviewUpdate& update, const Actor& who, Time now,
                                        Effects& out) {
  auto it = reviews_.find(update.incident_id);
  if (it == reviews_.end()) {
    return NotFoundError(StrCat("no review of '", update.incident_id,
                                "': a review opens when its incident is settled"));
  }
  Review review = it->second;
  if (update.watch_days && (*update.watch_days < 1 || *update.watch_days > 365)) {
    return InvalidArgumentError("watch_days must be from 1 to 365");
  }
  if (update.other_losses_fen && *update.other_losses_fen < 0) {
    return InvalidArgumentError("other_losses_fen must not be negative");
  }
  if (update.representatives_told_at) {
    const Time told = *update.representatives_told_at;
    if (told > now) {
      return InvalidArgumentError(
          StrCat("representatives_told_at ", FormatUtc(told), " is in the future"));
    }
    // People record when they told the representatives to the minute, so a
    // time in the minute of the settlement is not "before" it.
    if (told < std::chrono::floor<std::chrono::minutes>(review.opened_at)) {
      return InvalidArgumentError(StrCat("representatives_told_at ", FormatUtc(told),
                                         " is before the incident was settled (",
                                         FormatUtc(review.opened_at), ")"));
    }
  }
  if (update.root_cause) {
    const std::string cause = Trimmed(*update.root_cause);
    if (!cause.empty() && RootCauseName(cause).empty()) {
      std::string known;
      for (const auto& c : config_.root_causes) StrAppend(known, known.empty() ? "" : ", ", c.id);
      return InvalidArgumentError(
          StrCat("root cause '", cause, "' is not configured (known: ", known, ")"));
    }
  }
  auto set = [](std::string& field, const std::optional<std::string>& value) {
    if (value) field = Trimmed(*value);
  };
  set(review.investigation, update.investigation);
  set(review.solution, update.solution);
  set(review.department, update.department);
  if (update.representatives_told_at)
    review.representatives_told_at = update.representatives_told_at;
  set(review.representatives_told_by, update.representatives_told_by);
  if (update.watch_days) review.watch_days = *update.watch_days;
  set(review.root_cause, update.root_cause);
  set(review.root_cause_text, update.root_cause_text);
  set(review.background, update.background);
  if (update.other_losses_fen) review.other_losses_fen = *update.other_losses_fen;
  set(review.other_losses_text, update.other_losses_text);
  set(review.responsibility, update.responsibility);
  set(review.lessons, update.lessons);
  set(review.improvements, update.improvements);
  review.updated_at = now;
  review.updated_by = who;
  it->second = std::move(review);
  const Review& stored = it->second;
  MarkChanged(stored, out);
  const std::vector<std::string> missing = Missing(stored);
  std::string state = missing.empty() ? "complete" : "updated";
  out.notices.push_back(
      FeedNotice{std::string(kReviewRecord), stored.incident_id, state,
                 StrCat(stored.incident_id, " 善后复盘", missing.empty() ? "已完成" : "已更新"),
                 stored.unit_id});
  return &stored;
}

CivilDay Aftermath::WatchUntil(const Review& review) const {
  return config_.zone.DayOf(review.opened_at) + review.watch_days;
}

bool Aftermath::InWatch(const Review& review, Time at) const {
  return at > review.opened_at && config_.zone.DayOf(at) <= WatchUntil(review);
}

void Aftermath::Watch(const ReboundCandidate& candidate, Effects& out) {
  for (auto& [id, review] : reviews_) {
    if (candidate.id == review.incident_id) continue;
    if (std::find(candidate.unit_ids.begin(), candidate.unit_ids.end(), review.unit_id) ==
        candidate.unit_ids.end()) {
      continue;
    }
    if (!review.category_id.empty() && candidate.category_id != review.category_id) continue;
    if (!InWatch(review, candidate.at)) continue;
    const bool known = std::any_of(
        review.rebounds.begin(), review.rebounds.end(),
        [&](const Rebound& r) { return r.kind == candidate.kind && r.id == candidate.id; });
    if (known) continue;
    review.rebounds.push_back(Rebound{candidate.kind, candidate.id, review.unit_id,
                                      candidate.category_id, candidate.at, candidate.summary});
    MarkChanged(review, out);
    const std::string text = StrCat("反弹：", review.unit_id, " 在 ", review.incident_id,
                                    " 善后观察期内（至 ", FormatDay(WatchUntil(review)), "）又有",
                                    candidate.kind == "incident" ? "事件 " : "苗头预警 ",
                                    candidate.id, "：", candidate.summary);
    out.alerts.push_back(
        HqAlert{HqAlert::Severity::kWarning, "rebound", review.incident_id, review.unit_id, text});
    out.notices.push_back(FeedNotice{std::string(kReviewRecord), review.incident_id, "rebound",
                                     text, review.unit_id});
  }
}

std::vector<std::string> Aftermath::Missing(const Review& review) const {
  std::vector<std::string> missing;
  for (std::string_view field : ReviewFieldNames()) {
    const bool mandatory = std::find(config_.mandatory.begin(), config_.mandatory.end(), field) !=
                           config_.mandatory.end();
    if (mandatory && !Filled(review, field)) missing.emplace_back(field);
  }
  return missing;
}

Status Aftermath::CheckClosable(std::string_view incident_id) const {
  const Review* review = Find(incident_id);
  if (review == nullptr) {
    return FailedPreconditionError(
        StrCat(incident_id, " has no post-incident review; it closes after its review"));
  }
  const std::vector<std::string> missing = Missing(*review);
  if (missing.empty()) return OkStatus();
  std::string names;
  for (const auto& name : missing) StrAppend(names, names.empty() ? "" : ", ", name);
  return FailedPreconditionError(StrCat(incident_id, " cannot close: its review lacks ", names,
                                        " (anding incident review ", incident_id, " --…)"));
}

const Review* Aftermath::Find(std::string_view incident_id) const {
  auto it = reviews_.find(incident_id);
  return it == reviews_.end() ? nullptr : &it->second;
}

std::string Aftermath::RootCauseName(std::string_view id) const {
  for (const auto& cause : config_.root_causes) {
    if (cause.id == id) return cause.name;
  }
  return "";
}

std::map<std::string, int64_t, std::less<>> Aftermath::ReboundsByLedgerItem() const {
  std::map<std::string, int64_t, std::less<>> counts;
  for (const auto& [id, review] : reviews_) {
    if (review.ledger_item_id.empty() || review.rebounds.empty()) continue;
    counts[review.ledger_item_id] += static_cast<int64_t>(review.rebounds.size());
  }
  return counts;
}

std::vector<Review> Aftermath::Snapshot() const {
  std::vector<Review> all;
  for (const auto& [id, review] : reviews_) all.push_back(review);
  return all;
}

Result<ReviewChangeSet> Aftermath::Changes(const std::vector<RecordRef>& changed) const {
  ReviewChangeSet changes;
  std::vector<std::string> seen;
  for (const RecordRef& ref : changed) {
    if (ref.kind != kReviewRecord) continue;
    if (std::find(seen.begin(), seen.end(), ref.id) != seen.end()) continue;
    seen.push_back(ref.id);
    const Review* review = Find(ref.id);
    if (review == nullptr) return InternalError(StrCat("no review of '", ref.id, "' to save"));
    changes.reviews.push_back(*review);
  }
  return changes;
}

}  // namespace anding::core::aftermath

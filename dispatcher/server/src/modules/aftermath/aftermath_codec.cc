#include "aftermath_codec.h"

#include "anding/common/time.h"
#include "vocabulary_codec.h"

namespace anding::dispatcher {

core::aftermath::ReviewUpdate ReviewUpdateFromProto(const v1::UpdateReviewRequest& r) {
  core::aftermath::ReviewUpdate u;
  u.incident_id = r.incident_id();
  if (r.has_investigation()) u.investigation = r.investigation();
  if (r.has_solution()) u.solution = r.solution();
  if (r.has_department()) u.department = r.department();
  u.representatives_told_at = OptionalTime(r.representatives_told_at());
  if (r.has_representatives_told_by()) u.representatives_told_by = r.representatives_told_by();
  if (r.has_watch_days()) u.watch_days = r.watch_days();
  if (r.has_root_cause()) u.root_cause = r.root_cause();
  if (r.has_root_cause_text()) u.root_cause_text = r.root_cause_text();
  if (r.has_background()) u.background = r.background();
  if (r.has_other_losses_fen()) u.other_losses_fen = r.other_losses_fen();
  if (r.has_other_losses_text()) u.other_losses_text = r.other_losses_text();
  if (r.has_responsibility()) u.responsibility = r.responsibility();
  if (r.has_lessons()) u.lessons = r.lessons();
  if (r.has_improvements()) u.improvements = r.improvements();
  return u;
}

v1::ReviewView ReviewToProto(const core::aftermath::Aftermath& aftermath,
                             const core::aftermath::Review& review,
                             const std::optional<IncidentCostFigures>& cost) {
  v1::ReviewView v;
  v.set_incident_id(review.incident_id);
  v.set_unit_id(review.unit_id);
  v.set_category_id(review.category_id);
  v.set_ledger_item_id(review.ledger_item_id);
  *v.mutable_responsible_leader() = PersonToProto(review.responsible_leader);
  *v.mutable_opened_at() = ToTimestamp(review.opened_at);
  *v.mutable_updated_at() = ToTimestamp(review.updated_at);
  v.set_updated_by(review.updated_by.ToString());
  v.set_investigation(review.investigation);
  v.set_solution(review.solution);
  v.set_department(review.department);
  SetTime(review.representatives_told_at, [&] { return v.mutable_representatives_told_at(); });
  v.set_representatives_told_by(review.representatives_told_by);
  v.set_watch_days(static_cast<uint32_t>(review.watch_days));
  v.set_watch_until(FormatDay(aftermath.WatchUntil(review)));
  for (const auto& r : review.rebounds) {
    auto* rebound = v.add_rebounds();
    rebound->set_kind(r.kind);
    rebound->set_id(r.id);
    rebound->set_unit_id(r.unit_id);
    rebound->set_category_id(r.category_id);
    *rebound->mutable_at() = ToTimestamp(r.at);
    rebound->set_summary(r.summary);
  }
  v.set_root_cause(review.root_cause);
  v.set_root_cause_name(aftermath.RootCauseName(review.root_cause));
  v.set_root_cause_text(review.root_cause_text);
  v.set_background(review.background);
  int64_t actual = 0;
  if (cost) {
    v.mutable_cost()->set_estimated_fen(cost->estimated_fen);
    v.mutable_cost()->set_actual_fen(cost->actual_fen);
    v.mutable_cost()->set_variance_fen(cost->actual_fen - cost->estimated_fen);
    actual = cost->actual_fen;
  }
  v.set_other_losses_fen(review.other_losses_fen);
  v.set_other_losses_text(review.other_losses_text);
  v.set_total_loss_fen(actual + review.other_losses_fen);
  v.set_responsibility(review.responsibility);
  v.set_lessons(review.lessons);
  v.set_improvements(review.improvements);
  for (const auto& field : aftermath.Missing(review)) v.add_missing(field);
  v.set_complete(v.missing().empty());
  return v;
}

}  // namespace anding::dispatcher

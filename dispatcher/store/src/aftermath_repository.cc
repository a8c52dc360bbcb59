#include "anding/store/aftermath_repository.h"

#include <map>

#include "anding/common/strings.h"

namespace anding::store {
namespace {

using core::aftermath::Rebound;
using core::aftermath::Review;

constexpr const char* kSchema = R"sql(
CREATE TABLE aftermath_reviews (
  incident_id TEXT PRIMARY KEY,
  unit_id TEXT NOT NULL CHECK (unit_id <> ''),
  category_id TEXT NOT NULL,
  summary TEXT NOT NULL,
  ledger_item_id TEXT NOT NULL,
  leader_name TEXT NOT NULL,
  leader_phone TEXT NOT NULL,
  leader_title TEXT NOT NULL,
  opened_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  investigation TEXT NOT NULL,
  solution TEXT NOT NULL,
  department TEXT NOT NULL,
  representatives_told_at_us INTEGER,
  representatives_told_by TEXT NOT NULL,
  watch_days INTEGER NOT NULL CHECK (watch_days BETWEEN 1 AND 365),
  root_cause TEXT NOT NULL,
  root_cause_text TEXT NOT NULL,
  background TEXT NOT NULL,
  other_losses_fen INTEGER NOT NULL CHECK (other_losses_fen >= 0),
  other_losses_text TEXT NOT NULL,
  responsibility TEXT NOT NULL,
  lessons TEXT NOT NULL,
  improvements TEXT NOT NULL
);
CREATE TABLE aftermath_rebounds (
  incident_id TEXT NOT NULL REFERENCES aftermath_reviews (incident_id),
  position INTEGER NOT NULL CHECK (position >= 0),
  kind TEXT NOT NULL CHECK (kind IN ('incident', 'warning')),
  id TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  category_id TEXT NOT NULL,
  at_us INTEGER NOT NULL,
  summary TEXT NOT NULL,
  PRIMARY KEY (incident_id, position)
);
)sql";

Status SaveReview(storage::Database& db, const Review& r) {
  ANDING_ASSIGN_OR_RETURN(
      auto insert,
      db.Prepare("INSERT OR REPLACE INTO aftermath_reviews (incident_id, unit_id, category_id, "
                 "summary, ledger_item_id, leader_name, leader_phone, leader_title, opened_at_us, "
                 "updated_at_us, updated_by, investigation, solution, department, "
                 "representatives_told_at_us, representatives_told_by, watch_days, root_cause, "
                 "root_cause_text, background, other_losses_fen, other_losses_text, "
                 "responsibility, lessons, improvements) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                 "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  std::optional<int64_t> told;
  if (r.representatives_told_at) told = ToUnixMicros(*r.representatives_told_at);
  ANDING_RETURN_IF_ERROR(insert.Bind(1, r.incident_id)
                             .Bind(2, r.unit_id)
                             .Bind(3, r.category_id)
                             .Bind(4, r.summary)
                             .Bind(5, r.ledger_item_id)
                             .Bind(6, r.responsible_leader.name)
                             .Bind(7, r.responsible_leader.phone)
                             .Bind(8, r.responsible_leader.title)
                             .Bind(9, ToUnixMicros(r.opened_at))
                             .Bind(10, ToUnixMicros(r.updated_at))
                             .Bind(11, r.updated_by.ToString())
                             .Bind(12, r.investigation)
                             .Bind(13, r.solution)
                             .Bind(14, r.department)
                             .Bind(15, told)
                             .Bind(16, r.representatives_told_by)
                             .Bind(17, r.watch_days)
                             .Bind(18, r.root_cause)
                             .Bind(19, r.root_cause_text)
                             .Bind(20, r.background)
                             .Bind(21, r.other_losses_fen)
                             .Bind(22, r.other_losses_text)
                             .Bind(23, r.responsibility)
                             .Bind(24, r.lessons)
                             .Bind(25, r.improvements)
                             .Run());
  ANDING_ASSIGN_OR_RETURN(auto clear,
                          db.Prepare("DELETE FROM aftermath_rebounds WHERE incident_id = ?"));
  ANDING_RETURN_IF_ERROR(clear.Bind(1, r.incident_id).Run());
  for (size_t i = 0; i < r.rebounds.size(); ++i) {
    const Rebound& b = r.rebounds[i];
    ANDING_ASSIGN_OR_RETURN(
        auto rebound,
        db.Prepare("INSERT INTO aftermath_rebounds (incident_id, position, kind, id, unit_id, "
                   "category_id, at_us, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    ANDING_RETURN_IF_ERROR(rebound.Bind(1, r.incident_id)
                               .Bind(2, static_cast<int64_t>(i))
                               .Bind(3, b.kind)
                               .Bind(4, b.id)
                               .Bind(5, b.unit_id)
                               .Bind(6, b.category_id)
                               .Bind(7, ToUnixMicros(b.at))
                               .Bind(8, b.summary)
                               .Run());
  }
  return OkStatus();
}

}  // namespace

std::vector<storage::Migration> AftermathMigrations() {
  return {{1, "post-incident reviews and their rebounds", kSchema}};
}

Status SaveReviews(storage::Database& db, const core::aftermath::ReviewChangeSet& changes) {
  for (const Review& review : changes.reviews) {
    ANDING_RETURN_IF_ERROR(
        Annotate(SaveReview(db, review), StrCat("saving the review of ", review.incident_id)));
  }
  return OkStatus();
}

Result<std::vector<Review>> LoadReviews(storage::Database& db) {
  std::map<std::string, Review> reviews;
  ANDING_ASSIGN_OR_RETURN(
      auto select,
      db.Prepare("SELECT incident_id, unit_id, category_id, summary, ledger_item_id, leader_name, "
                 "leader_phone, leader_title, opened_at_us, updated_at_us, updated_by, "
                 "investigation, solution, department, representatives_told_at_us, "
                 "representatives_told_by, watch_days, root_cause, root_cause_text, background, "
                 "other_losses_fen, other_losses_text, responsibility, lessons, improvements "
                 "FROM aftermath_reviews ORDER BY incident_id"));
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool has_row, select.Step());
    if (!has_row) break;
    Review r;
    r.incident_id = select.Text(0);
    r.unit_id = select.Text(1);
    r.category_id = select.Text(2);
    r.summary = select.Text(3);
    r.ledger_item_id = select.Text(4);
    r.responsible_leader = {select.Text(5), select.Text(6), select.Text(7)};
    r.opened_at = FromUnixMicros(select.Int64(8));
    r.updated_at = FromUnixMicros(select.Int64(9));
    auto actor = core::Actor::Parse(select.Text(10));
    if (!actor) {
      return DataLossError(StrCat("aftermath_reviews '", r.incident_id, "': updated_by '",
                                  select.Text(10), "' is not an actor"));
    }
    r.updated_by = *actor;
    r.investigation = select.Text(11);
    r.solution = select.Text(12);
    r.department = select.Text(13);
    if (auto told = select.OptionalInt64(14)) r.representatives_told_at = FromUnixMicros(*told);
    r.representatives_told_by = select.Text(15);
    r.watch_days = select.Int64(16);
    r.root_cause = select.Text(17);
    r.root_cause_text = select.Text(18);
    r.background = select.Text(19);
    r.other_losses_fen = select.Int64(20);
    r.other_losses_text = select.Text(21);
    r.responsibility = select.Text(22);
    r.lessons = select.Text(23);
    r.improvements = select.Text(24);
    reviews.emplace(r.incident_id, std::move(r));
  }
  ANDING_ASSIGN_OR_RETURN(
      auto rebounds,
      db.Prepare("SELECT incident_id, kind, id, unit_id, category_id, at_us, summary FROM "
                 "aftermath_rebounds ORDER BY incident_id, position"));
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool has_row, rebounds.Step());
    if (!has_row) break;
    auto it = reviews.find(rebounds.Text(0));
    if (it == reviews.end()) {
      return DataLossError(
          StrCat("aftermath_rebounds: a rebound of '", rebounds.Text(0), "', which has no review"));
    }
    it->second.rebounds.push_back(Rebound{rebounds.Text(1), rebounds.Text(2), rebounds.Text(3),
                                          rebounds.Text(4), FromUnixMicros(rebounds.Int64(5)),
                                          rebounds.Text(6)});
  }
  std::vector<Review> all;
  for (auto& [id, review] : reviews) all.push_back(std::move(review));
  return all;
}

}  // namespace anding::store

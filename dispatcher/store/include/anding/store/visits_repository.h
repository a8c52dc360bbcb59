// Persistence of the visit register and petition matters (domain
// "visits"): the only code that writes SQL for them.
//
// The schema checks again what the core enforces: batches at least 1,
// persons at least batches, known channel, destination level and matter
// state names, an extension of at most one step (a non-negative number of
// days, with its reason), and a visit that does not repeat itself.
//
// Save functions run inside a transaction the shell opens; they do not open
// one. Thread-safety: as storage::Database (one thread at a time).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/status.h"
#include "anding/core/visits/records.h"
#include "anding/storage/database.h"

namespace anding::store {

// The visits schema, for storage::Database::Migrate("visits", VisitsMigrations()).
[[nodiscard]] std::vector<storage::Migration> VisitsMigrations();

// Writes every visit and matter of `changes` (insert or replace by id).
// FailedPrecondition when the schema refuses a row.
[[nodiscard]] Status SaveVisitsChanges(storage::Database& db,
                                       const core::visits::VisitsChangeSet& changes);

// What the register keeps, ready for VisitRegister::Restore: the visits
// dated `since` or later that name their group and the matters in which a
// limit runs (with `since` nullopt: every visit and matter; the others
// stay in the store, read by the functions below), and the id counters,
// one past the highest id stored. DataLoss naming the table, row and field
// for a row that does not parse.
[[nodiscard]] Result<core::visits::VisitsState> LoadVisitsState(
    storage::Database& db, std::optional<CivilDay> since = std::nullopt);

// The visit `id`, if stored. DataLoss as above.
[[nodiscard]] Result<std::optional<core::visits::Visit>> FindVisit(storage::Database& db,
                                                                   std::string_view id);
// The matter `id`, if stored. DataLoss as above.
[[nodiscard]] Result<std::optional<core::visits::Matter>> FindMatter(storage::Database& db,
                                                                     std::string_view id);

// One unit and category's visits dated `first` to `last` that name their
// group (core::visits::NamesAGroup), by day and in the order recorded
// (along an index: a repeat window, whatever the history's length).
[[nodiscard]] Result<std::vector<core::visits::Visit>> LoadGroupVisits(storage::Database& db,
                                                                       std::string_view unit_id,
                                                                       std::string_view category_id,
                                                                       CivilDay first,
                                                                       CivilDay last);
// Every visit dated `first` to `last` (the statistics' periods), by id.
[[nodiscard]] Result<std::map<std::string, core::visits::Visit, std::less<>>> LoadVisitsBetween(
    storage::Database& db, CivilDay first, CivilDay last);

struct VisitQuery {
  std::string unit_id;  // empty = all
  std::optional<CivilDay> from;
  std::optional<CivilDay> to;
  bool repeats_only = false;
  uint32_t limit = 50;
  std::string cursor;  // a page's next_cursor; empty: the first page
};
struct VisitPage {
  std::vector<core::visits::Visit> visits;  // newest day first, latest recorded first
  std::string next_cursor;                  // set when more match
};
// One page of the matching visits: each page one step down an index (by
// day, or by unit and day), whatever the history's length. InvalidArgument
// for a cursor this listing did not return.
[[nodiscard]] Result<VisitPage> ListVisitPage(storage::Database& db, const VisitQuery& query);

struct MatterQuery {
  std::string unit_id;     // empty = all
  std::string state;       // a matter state's name; empty = all
  bool open_only = false;  // those in which a limit runs
  uint32_t limit = 50;
  std::string cursor;  // a page's next_cursor (the last id of the page before); empty: the first
};
struct MatterPage {
  std::vector<core::visits::Matter> matters;  // in id order
  std::string next_cursor;                    // set when more match
};
// One page of the matching matters, one step along an index (by number,
// unit, state, or the running ones' partial index), whatever the
// history's length. InvalidArgument for an unknown state or a cursor that
// is not a matter id.
[[nodiscard]] Result<MatterPage> ListMatterPage(storage::Database& db, const MatterQuery& query);

}  // namespace anding::store

#include "anding/store/visits_repository.h"

#include <algorithm>
#include <charconv>

#include "anding/common/strings.h"

namespace anding::store {
namespace {

using core::visits::Matter;
using core::visits::Visit;

constexpr const char* kSchema = R"sql(
CREATE TABLE visits (
  id TEXT PRIMARY KEY,
  day TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  category_id TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('visit', 'letter', 'phone', 'online')),
  destination TEXT NOT NULL
    CHECK (destination IN ('unit', 'company', 'city', 'province', 'beijing')),
  batches INTEGER NOT NULL CHECK (batches >= 1),
  persons INTEGER NOT NULL CHECK (persons >= batches),
  collective INTEGER NOT NULL CHECK (collective IN (0, 1)),
  representative TEXT NOT NULL,
  contact TEXT NOT NULL,
  note TEXT NOT NULL,
  repeat_of TEXT NOT NULL CHECK (repeat_of <> id),
  repeat_basis TEXT NOT NULL CHECK (repeat_basis IN ('', 'window', 'link')),
  recorded_at_us INTEGER NOT NULL,
  recorded_by TEXT NOT NULL
);
CREATE INDEX visits_by_day ON visits (day);
CREATE TABLE matters (
  id TEXT PRIMARY KEY,
  unit_id TEXT NOT NULL,
  category_id TEXT NOT NULL,
  summary TEXT NOT NULL CHECK (summary <> ''),
  visit_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('received', 'not_accepted', 'accepted', 'concluded',
    'review_requested', 'reviewed', 'reexamination_requested', 'reexamined')),
  received_day TEXT NOT NULL,
  decided_day TEXT,
  concluded_day TEXT,
  review_requested_day TEXT,
  reviewed_day TEXT,
  reexamination_requested_day TEXT,
  reexamined_day TEXT,
  extension_days INTEGER NOT NULL CHECK (extension_days >= 0),
  extension_reason TEXT NOT NULL CHECK ((extension_days = 0) = (extension_reason = '')),
  outcome TEXT NOT NULL,
  warned TEXT NOT NULL,
  breached TEXT NOT NULL,
  updated_at_us INTEGER NOT NULL,
  updated_by TEXT NOT NULL
);
)sql";

std::optional<int64_t> IdNumber(std::string_view id) {
  if (id.size() < 3) return std::nullopt;
  int64_t value = 0;
  for (char c : id.substr(2)) {
    if (c < '0' || c > '9' || value > 1'000'000'000'000) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

void BindDay(storage::Statement& statement, int index, const std::optional<CivilDay>& day) {
  if (day) {
    statement.Bind(index, FormatDay(*day));
  } else {
    statement.BindNull(index);
  }
}

Result<std::optional<CivilDay>> ColumnDay(const storage::Statement& row, int column,
                                          std::string_view table, std::string_view id,
                                          std::string_view field) {
  if (row.IsNull(column)) return std::optional<CivilDay>();
  auto day = ParseDay(row.Text(column));
  if (!day.ok()) {
    return DataLossError(
        StrCat(table, " '", id, "': ", field, " '", row.Text(column), "' is not a day"));
  }
  return std::optional<CivilDay>(*day);
}

Status SaveVisit(storage::Database& db, const Visit& v) {
  // Cached: a day's import writes thousands of visits in one transaction.
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * cached,
      db.Cached("INSERT OR REPLACE INTO visits (id, day, unit_id, category_id, channel, "
                "destination, batches, persons, collective, representative, contact, note, "
                "repeat_of, repeat_basis, recorded_at_us, recorded_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  storage::Statement& insert = *cached;
  return insert.Bind(1, v.id)
      .Bind(2, FormatDay(v.day))
      .Bind(3, v.unit_id)
      .Bind(4, v.category_id)
      .Bind(5, core::visits::ChannelName(v.channel))
      .Bind(6, core::visits::DestinationLevelName(v.destination))
      .Bind(7, int64_t{v.batches})
      .Bind(8, int64_t{v.persons})
      .Bind(9, int64_t{v.collective ? 1 : 0})
      .Bind(10, v.representative)
      .Bind(11, v.contact)
      .Bind(12, v.note)
      .Bind(13, v.repeat_of)
      .Bind(14, v.repeat_basis)
      .Bind(15, ToUnixMicros(v.recorded_at))
      .Bind(16, v.recorded_by)
      .Run();
}

Status SaveMatter(storage::Database& db, const Matter& m) {
  ANDING_ASSIGN_OR_RETURN(
      auto insert,
      db.Prepare("INSERT OR REPLACE INTO matters (id, unit_id, category_id, summary, visit_id, "
                 "state, received_day, decided_day, concluded_day, review_requested_day, "
                 "reviewed_day, reexamination_requested_day, reexamined_day, extension_days, "
                 "extension_reason, outcome, warned, breached, updated_at_us, updated_by) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, m.id)
      .Bind(2, m.unit_id)
      .Bind(3, m.category_id)
      .Bind(4, m.summary)
      .Bind(5, m.visit_id)
      .Bind(6, core::visits::MatterStateName(m.state))
      .Bind(7, FormatDay(m.received_day));
  BindDay(insert, 8, m.decided_day);
  BindDay(insert, 9, m.concluded_day);
  BindDay(insert, 10, m.review_requested_day);
  BindDay(insert, 11, m.reviewed_day);
  BindDay(insert, 12, m.reexamination_requested_day);
  BindDay(insert, 13, m.reexamined_day);
  return insert.Bind(14, m.extension_days)
      .Bind(15, m.extension_reason)
      .Bind(16, m.outcome)
      .Bind(17, m.warned)
      .Bind(18, m.breached)
      .Bind(19, ToUnixMicros(m.updated_at))
      .Bind(20, m.updated_by)
      .Run();
}

// The condition of core::visits::NamesAGroup, as the partial index
// visits_grouped_by_day and the statements that use it spell it.
constexpr std::string_view kNamesAGroup = "(contact <> '' OR representative <> '')";

constexpr std::string_view kVisitColumns =
    "id, day, unit_id, category_id, channel, destination, batches, persons, collective, "
    "representative, contact, note, repeat_of, repeat_basis, recorded_at_us, recorded_by";

Result<Visit> ReadVisit(const storage::Statement& select) {
  Visit v;
  v.id = select.Text(0);
  if (!IdNumber(v.id)) return DataLossError(StrCat("visits '", v.id, "': malformed id"));
  ANDING_ASSIGN_OR_RETURN(auto day, ColumnDay(select, 1, "visits", v.id, "day"));
  if (!day) return DataLossError(StrCat("visits '", v.id, "': day is empty"));
  v.day = *day;
  v.unit_id = select.Text(2);
  v.category_id = select.Text(3);
  const auto channel = core::visits::ParseChannel(select.Text(4));
  const auto level = core::visits::ParseDestinationLevel(select.Text(5));
  if (!channel || !level) {
    return DataLossError(StrCat("visits '", v.id, "': unknown channel or destination"));
  }
  v.channel = *channel;
  v.destination = *level;
  v.batches = static_cast<uint32_t>(select.Int64(6));
  v.persons = static_cast<uint32_t>(select.Int64(7));
  v.collective = select.Int64(8) != 0;
  v.representative = select.Text(9);
  v.contact = select.Text(10);
  v.note = select.Text(11);
  v.repeat_of = select.Text(12);
  v.repeat_basis = select.Text(13);
  v.recorded_at = FromUnixMicros(select.Int64(14));
  v.recorded_by = select.Text(15);
  return v;
}

// Every row `select` returns, in its order, read by `read` (ReadVisit,
// ReadMatter).
template <typename Record>
Result<std::vector<Record>> ReadAll(storage::Statement& select,
                                    Result<Record> (*read)(const storage::Statement&)) {
  std::vector<Record> records;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool has_row, select.Step());
    if (!has_row) return records;
    ANDING_ASSIGN_OR_RETURN(Record record, read(select));
    records.push_back(std::move(record));
  }
}

Result<std::vector<Visit>> ReadVisits(storage::Statement& select) {
  return ReadAll(select, &ReadVisit);
}

Status LoadVisits(storage::Database& db, std::optional<CivilDay> since,
                  core::visits::VisitsState& state) {
  // Since a day: those naming their group only (the partial index of
  // schema 3 holds just them), the ones a later visit can repeat.
  ANDING_ASSIGN_OR_RETURN(
      auto select, db.Prepare(StrCat("SELECT ", kVisitColumns, " FROM visits",
                                     since ? StrCat(" WHERE day >= ? AND ", kNamesAGroup) : "")));
  if (since) select.Bind(1, FormatDay(*since));
  ANDING_ASSIGN_OR_RETURN(std::vector<Visit> visits, ReadVisits(select));
  for (Visit& v : visits) {
    state.next_visit = std::max(state.next_visit, *IdNumber(v.id) + 1);
    state.visits.emplace(v.id, std::move(v));
  }
  if (since) {
    // Ids are numbered in the order visits are recorded and rows are
    // inserted once, in that order: the newest row holds the highest id,
    // whatever its day.
    ANDING_ASSIGN_OR_RETURN(auto newest, db.Prepare("SELECT id FROM visits WHERE rowid = "
                                                    "(SELECT MAX(rowid) FROM visits)"));
    ANDING_ASSIGN_OR_RETURN(const bool has_row, newest.Step());
    if (has_row) {
      const auto number = IdNumber(newest.Text(0));
      if (!number) return DataLossError(StrCat("visits '", newest.Text(0), "': malformed id"));
      state.next_visit = std::max(state.next_visit, *number + 1);
    }
  }
  state.visits_since = since;
  return OkStatus();
}

// The condition of core::visits::LimitRuns, as the partial index
// matters_running and the statements that use it spell it.
constexpr std::string_view kLimitRuns =
    "state IN ('received', 'accepted', 'review_requested', 'reexamination_requested')";

constexpr std::string_view kMatterColumns =
    "id, unit_id, category_id, summary, visit_id, state, received_day, decided_day, "
    "concluded_day, review_requested_day, reviewed_day, reexamination_requested_day, "
    "reexamined_day, extension_days, extension_reason, outcome, warned, breached, "
    "updated_at_us, updated_by";

Result<Matter> ReadMatter(const storage::Statement& select) {
  Matter m;
  m.id = select.Text(0);
  if (!IdNumber(m.id)) return DataLossError(StrCat("matters '", m.id, "': malformed id"));
  m.unit_id = select.Text(1);
  m.category_id = select.Text(2);
  m.summary = select.Text(3);
  m.visit_id = select.Text(4);
  const auto matter_state = core::visits::ParseMatterState(select.Text(5));
  if (!matter_state) {
    return DataLossError(StrCat("matters '", m.id, "': unknown state '", select.Text(5), "'"));
  }
  m.state = *matter_state;
  ANDING_ASSIGN_OR_RETURN(auto received, ColumnDay(select, 6, "matters", m.id, "received_day"));
  if (!received) return DataLossError(StrCat("matters '", m.id, "': received_day is empty"));
  m.received_day = *received;
  ANDING_ASSIGN_OR_RETURN(m.decided_day, ColumnDay(select, 7, "matters", m.id, "decided_day"));
  ANDING_ASSIGN_OR_RETURN(m.concluded_day, ColumnDay(select, 8, "matters", m.id, "concluded_day"));
  ANDING_ASSIGN_OR_RETURN(m.review_requested_day,
                          ColumnDay(select, 9, "matters", m.id, "review_requested_day"));
  ANDING_ASSIGN_OR_RETURN(m.reviewed_day, ColumnDay(select, 10, "matters", m.id, "reviewed_day"));
  ANDING_ASSIGN_OR_RETURN(m.reexamination_requested_day,
                          ColumnDay(select, 11, "matters", m.id, "reexamination_requested_day"));
  ANDING_ASSIGN_OR_RETURN(m.reexamined_day,
                          ColumnDay(select, 12, "matters", m.id, "reexamined_day"));
  m.extension_days = select.Int64(13);
  m.extension_reason = select.Text(14);
  m.outcome = select.Text(15);
  m.warned = select.Text(16);
  m.breached = select.Text(17);
  m.updated_at = FromUnixMicros(select.Int64(18));
  m.updated_by = select.Text(19);
  return m;
}

Result<std::vector<Matter>> ReadMatters(storage::Statement& select) {
  return ReadAll(select, &ReadMatter);
}

Status LoadMatters(storage::Database& db, bool running_only, core::visits::VisitsState& state) {
  // Running only: through the partial index of schema 5.
  ANDING_ASSIGN_OR_RETURN(
      auto select,
      db.Prepare(
          StrCat("SELECT ", kMatterColumns, " FROM matters",
                 running_only ? StrCat(" INDEXED BY matters_running WHERE ", kLimitRuns) : "")));
  ANDING_ASSIGN_OR_RETURN(std::vector<Matter> matters, ReadMatters(select));
  for (Matter& m : matters) {
    state.next_matter = std::max(state.next_matter, *IdNumber(m.id) + 1);
    state.matters.emplace(m.id, std::move(m));
  }
  // The highest number stored, along matters_by_number (rows are replaced
  // as matters change, so the newest row is not the highest id).
  ANDING_ASSIGN_OR_RETURN(auto highest, db.Prepare("SELECT MAX(number) FROM matters"));
  ANDING_ASSIGN_OR_RETURN(const bool has_row, highest.Step());
  if (has_row && !highest.IsNull(0)) {
    state.next_matter = std::max(state.next_matter, highest.Int64(0) + 1);
  }
  state.finished_matters_left = running_only;
  return OkStatus();
}

}  // namespace

std::vector<storage::Migration> VisitsMigrations() {
  return {{1, "visit register and petition matters", kSchema},
          // The repeat window of one unit and category, read from the store
          // for a visit dated before the days the register keeps.
          {2, "visits: by unit, category and day",
           "CREATE INDEX visits_by_group ON visits (unit_id, category_id, day);"},
          // What a start reads: the window's visits that name their group.
          {3, "visits naming their group, by day",
           StrCat("CREATE INDEX visits_grouped_by_day ON visits (day) WHERE ", kNamesAGroup, ";")},
          // `visits list --unit`, a page at a time.
          {4, "visits: by unit and day", "CREATE INDEX visits_by_unit ON visits (unit_id, day);"},
          // What a start reads of the matters (those in which a limit
          // runs), the highest id, and `matters list`, a page at a time in
          // id order: by the id's number ("M-1000000" follows "M-999999").
          {5, "matters: by number, running, by unit and by state",
           StrCat("ALTER TABLE matters ADD COLUMN number INTEGER "
                  "GENERATED ALWAYS AS (CAST(substr(id, 3) AS INTEGER)) VIRTUAL;\n"
                  "CREATE INDEX matters_by_number ON matters (number);\n"
                  "CREATE INDEX matters_running ON matters (number) WHERE ",
                  kLimitRuns,
                  ";\n"
                  "CREATE INDEX matters_by_unit ON matters (unit_id, number);\n"
                  "CREATE INDEX matters_by_state ON matters (state, number);")}};
}

Status SaveVisitsChanges(storage::Database& db, const core::visits::VisitsChangeSet& changes) {
  // Visits in id order, so that a repeat's earlier visit is written first.
  for (const auto& [id, visit] : changes.visits) {
    ANDING_RETURN_IF_ERROR(Annotate(SaveVisit(db, visit), StrCat("saving visit ", id)));
  }
  for (const auto& [id, matter] : changes.matters) {
    ANDING_RETURN_IF_ERROR(Annotate(SaveMatter(db, matter), StrCat("saving matter ", id)));
  }
  return OkStatus();
}

Result<core::visits::VisitsState> LoadVisitsState(storage::Database& db,
                                                  std::optional<CivilDay> since) {
  core::visits::VisitsState state;
  ANDING_RETURN_IF_ERROR(LoadVisits(db, since, state));
  ANDING_RETURN_IF_ERROR(LoadMatters(db, since.has_value(), state));
  return state;
}

Result<std::optional<Matter>> FindMatter(storage::Database& db, std::string_view id) {
  ANDING_ASSIGN_OR_RETURN(
      auto select, db.Prepare(StrCat("SELECT ", kMatterColumns, " FROM matters WHERE id = ?")));
  select.Bind(1, id);
  ANDING_ASSIGN_OR_RETURN(std::vector<Matter> found, ReadMatters(select));
  if (found.empty()) return std::optional<Matter>();
  return std::optional<Matter>(std::move(found.front()));
}

Result<MatterPage> ListMatterPage(storage::Database& db, const MatterQuery& query) {
  int64_t after = 0;
  if (!query.cursor.empty()) {
    const auto number = IdNumber(query.cursor);
    if (!number || query.cursor.substr(0, 2) != "M-") {
      return InvalidArgumentError("cursor: not one this listing returned");
    }
    after = *number;
  }
  // In id order along an index from the cursor on: the running matters'
  // partial index for the open ones (or a running state), else by state,
  // by unit or by number.
  const auto state = core::visits::ParseMatterState(query.state);
  if (!query.state.empty() && !state) {
    return InvalidArgumentError(StrCat("state: '", query.state, "' is not a matter state"));
  }
  const bool running = query.open_only || (state && core::visits::LimitRuns(*state));
  std::string where = " WHERE number > ?1";
  if (running) where += StrCat(" AND ", kLimitRuns);
  if (state) where += " AND state = ?2";
  if (!query.unit_id.empty()) where += " AND unit_id = ?3";
  ANDING_ASSIGN_OR_RETURN(auto select,
                          db.Prepare(StrCat("SELECT ", kMatterColumns, " FROM matters",
                                            running ? " INDEXED BY matters_running" : "", where,
                                            " ORDER BY number LIMIT ", query.limit + 1)));
  select.Bind(1, after);
  if (state) select.Bind(2, core::visits::MatterStateName(*state));
  if (!query.unit_id.empty()) select.Bind(3, query.unit_id);
  ANDING_ASSIGN_OR_RETURN(std::vector<Matter> matters, ReadMatters(select));
  MatterPage page;
  if (matters.size() > query.limit) {
    matters.resize(query.limit);
    page.next_cursor = matters.back().id;
  }
  page.matters = std::move(matters);
  return page;
}

Result<std::optional<Visit>> FindVisit(storage::Database& db, std::string_view id) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement * select,
                          db.Cached(StrCat("SELECT ", kVisitColumns, " FROM visits WHERE id = ?")));
  select->Bind(1, id);
  ANDING_ASSIGN_OR_RETURN(const bool has_row, select->Step());
  std::optional<Visit> found;
  if (has_row) {
    auto visit = ReadVisit(*select);
    if (!visit.ok()) {
      select->Reset();
      return visit.status();
    }
    found = std::move(*visit);
  }
  select->Reset();
  return found;
}

Result<std::vector<Visit>> LoadGroupVisits(storage::Database& db, std::string_view unit_id,
                                           std::string_view category_id, CivilDay first,
                                           CivilDay last) {
  ANDING_ASSIGN_OR_RETURN(
      auto select, db.Prepare(StrCat("SELECT ", kVisitColumns,
                                     " FROM visits WHERE unit_id = ? AND category_id = ? AND "
                                     "day BETWEEN ? AND ? AND ",
                                     kNamesAGroup, " ORDER BY day, rowid")));
  select.Bind(1, unit_id).Bind(2, category_id).Bind(3, FormatDay(first)).Bind(4, FormatDay(last));
  return ReadVisits(select);
}

Result<std::map<std::string, Visit, std::less<>>> LoadVisitsBetween(storage::Database& db,
                                                                    CivilDay first, CivilDay last) {
  ANDING_ASSIGN_OR_RETURN(
      auto select,
      db.Prepare(StrCat("SELECT ", kVisitColumns, " FROM visits WHERE day BETWEEN ? AND ?")));
  select.Bind(1, FormatDay(first)).Bind(2, FormatDay(last));
  ANDING_ASSIGN_OR_RETURN(std::vector<Visit> visits, ReadVisits(select));
  std::map<std::string, Visit, std::less<>> by_id;
  for (Visit& visit : visits) by_id.emplace(visit.id, std::move(visit));
  return by_id;
}

Result<VisitPage> ListVisitPage(storage::Database& db, const VisitQuery& query) {
  // Newest day first and, within a day, latest recorded first (ids are
  // recorded in rowid order): along visits_by_day, or visits_by_unit for
  // one unit. The range always has an upper day, so that the first page
  // is the same step down the index as every later one.
  std::optional<std::pair<CivilDay, int64_t>> after;
  if (!query.cursor.empty()) {
    const auto colon = query.cursor.find(':');
    int64_t rowid = 0;
    const char* end = query.cursor.data() + query.cursor.size();
    auto day = ParseDay(std::string_view(query.cursor).substr(0, colon));
    const auto parsed = colon == std::string::npos
                            ? std::from_chars_result{end, std::errc::invalid_argument}
                            : std::from_chars(query.cursor.data() + colon + 1, end, rowid);
    if (!day.ok() || parsed.ec != std::errc() || parsed.ptr != end) {
      return InvalidArgumentError("cursor: not one this listing returned");
    }
    after.emplace(*day, rowid);
  }
  CivilDay upper = query.to.value_or(CivilDay(9999, 12, 31));
  if (after && after->first < upper) upper = after->first;
  std::string where = " WHERE day <= ?3";
  if (!query.unit_id.empty()) where += " AND unit_id = ?1";
  if (query.from) where += " AND day >= ?2";
  if (query.repeats_only) where += " AND repeat_of <> ''";
  if (after) where += " AND (day < ?4 OR rowid < ?5)";
  ANDING_ASSIGN_OR_RETURN(
      auto select, db.Prepare(StrCat("SELECT ", kVisitColumns, ", rowid FROM visits", where,
                                     " ORDER BY day DESC, rowid DESC LIMIT ", query.limit + 1)));
  if (!query.unit_id.empty()) select.Bind(1, query.unit_id);
  if (query.from) select.Bind(2, FormatDay(*query.from));
  select.Bind(3, FormatDay(upper));
  if (after) select.Bind(4, FormatDay(after->first)).Bind(5, after->second);
  VisitPage page;
  int64_t last_rowid = 0;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool has_row, select.Step());
    if (!has_row) return page;
    if (page.visits.size() == query.limit) {
      const Visit& last = page.visits.back();
      page.next_cursor = StrCat(FormatDay(last.day), ":", last_rowid);
      return page;
    }
    ANDING_ASSIGN_OR_RETURN(Visit visit, ReadVisit(select));
    last_rowid = select.Int64(16);
    page.visits.push_back(std::move(visit));
  }
}

}  // namespace anding::store

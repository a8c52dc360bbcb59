#include "anding/store/ledger_repository.h"

#include <boost/json.hpp>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "anding/common/strings.h"

namespace anding::store {
namespace {

namespace json = boost::json;
namespace ledger = core::ledger;
using core::Actor;
using core::Person;

// Version 1 of the ledger schema.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE ledger_items (
  id TEXT PRIMARY KEY NOT NULL,
  unit_id TEXT NOT NULL,
  category_id TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('registered', 'in_progress', 'resolved', 'closed_out', 'reopened')),
  level TEXT NOT NULL CHECK (level IN ('low', 'medium', 'high', 'critical')),
  description TEXT NOT NULL,
  persons INTEGER NOT NULL CHECK (persons >= 0),
  key_persons TEXT NOT NULL,         -- JSON array of names
  responsible_leader TEXT NOT NULL,  -- JSON {name, phone, title}
  responsible_person TEXT NOT NULL,  -- JSON {name, phone, title}
  lead_department TEXT NOT NULL,
  measures TEXT NOT NULL,
  deadline_us INTEGER NOT NULL,
  resolution TEXT NOT NULL,
  confirmed_by_leader TEXT NOT NULL,
  confirmed_at_us INTEGER,
  source TEXT NOT NULL CHECK (source IN ('direct', 'early_warning', 'screening')),
  source_ref TEXT NOT NULL,
  registered_at_us INTEGER NOT NULL,
  registered_by TEXT NOT NULL,
  updated_at_us INTEGER NOT NULL,
  last_activity_at_us INTEGER NOT NULL,
  resolved_at_us INTEGER,
  closed_out_at_us INTEGER,
  reopened_at_us INTEGER,
  reopen_count INTEGER NOT NULL CHECK (reopen_count >= 0),
  warning_ids TEXT NOT NULL,         -- JSON array of warning ids
  overdue_notified_day TEXT,         -- YYYY-MM-DD, local
  updates TEXT NOT NULL,             -- JSON array of progress updates
  history TEXT NOT NULL,             -- JSON array of history entries
  CHECK (state <> 'closed_out' OR (resolution <> '' AND confirmed_by_leader <> ''))
) STRICT;

CREATE INDEX ledger_items_unit_state ON ledger_items (unit_id, state);

CREATE TABLE ledger_warnings (
  id TEXT PRIMARY KEY NOT NULL,
  unit_id TEXT NOT NULL,
  summary TEXT NOT NULL,
  details TEXT NOT NULL,
  category_id TEXT NOT NULL,
  persons INTEGER NOT NULL CHECK (persons >= 0),
  level TEXT NOT NULL CHECK (level IN ('low', 'medium', 'high', 'critical')),
  reported_major INTEGER NOT NULL CHECK (reported_major IN (0, 1)),
  graded_major INTEGER NOT NULL CHECK (graded_major IN (0, 1)),
  major_reasons TEXT NOT NULL,       -- JSON array
  destination_region_id TEXT NOT NULL,
  destination_address TEXT NOT NULL,
  observed_at_us INTEGER,
  received_at_us INTEGER NOT NULL,
  received_from TEXT NOT NULL,
  ledger_item_id TEXT NOT NULL,
  created_item INTEGER NOT NULL CHECK (created_item IN (0, 1)),
  reopened_item INTEGER NOT NULL CHECK (reopened_item IN (0, 1))
) STRICT;

CREATE INDEX ledger_warnings_unit ON ledger_warnings (unit_id, received_at_us);

CREATE TABLE ledger_screening_reports (
  unit_id TEXT NOT NULL,
  period TEXT NOT NULL,              -- 2026-03-T1, 2026-03, 2026-Q1
  period_kind TEXT NOT NULL CHECK (period_kind IN ('ten_day', 'month', 'quarter')),
  revision INTEGER NOT NULL CHECK (revision >= 1),
  zero_report INTEGER NOT NULL CHECK (zero_report IN (0, 1)),
  content TEXT NOT NULL,             -- JSON {zero_report, findings, screened_by, remarks}
  filed_at_us INTEGER NOT NULL,
  filed_by TEXT NOT NULL,
  first_filed_at_us INTEGER NOT NULL,
  late INTEGER NOT NULL CHECK (late IN (0, 1)),
  earlier TEXT NOT NULL,             -- JSON array of replaced filings
  PRIMARY KEY (unit_id, period)
) STRICT;

CREATE TABLE ledger_screening_reminders (
  unit_id TEXT NOT NULL,
  period TEXT NOT NULL,
  sent_at_us INTEGER NOT NULL,
  PRIMARY KEY (unit_id, period)
) STRICT;

CREATE TABLE ledger_daily_reports (
  unit_id TEXT NOT NULL,
  day TEXT NOT NULL,                 -- YYYY-MM-DD, local
  zero_report INTEGER NOT NULL CHECK (zero_report IN (0, 1)),
  new_warnings INTEGER NOT NULL CHECK (new_warnings >= 0),
  items_progressed INTEGER NOT NULL CHECK (items_progressed >= 0),
  visit_batches INTEGER NOT NULL CHECK (visit_batches >= 0),
  visit_persons INTEGER NOT NULL CHECK (visit_persons >= 0),
  text TEXT NOT NULL,
  reported_by TEXT NOT NULL,
  revision INTEGER NOT NULL CHECK (revision >= 1),
  filed_at_us INTEGER NOT NULL,
  filed_by TEXT NOT NULL,
  earlier TEXT NOT NULL,             -- JSON array of replaced filings
  PRIMARY KEY (unit_id, day)
) STRICT;

-- Counters ("counter:TZ-2026") and timer memory ("tracking_since",
-- "checked_through:ten_day", "last_daily_summary_run").
CREATE TABLE ledger_meta (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) STRICT;
)sql";

// Version 2: an item's logs (history, progress updates, attached warnings)
// move from JSON arrays in its row, rewritten whole on every change, to rows
// of their own, written once each: a change costs the same however long the
// item's past (ten thousand warnings on one item made each further one
// rewrite megabytes). `seq` is the entry's index in its log.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE ledger_item_history (
  item_id TEXT NOT NULL REFERENCES ledger_items (id),
  seq INTEGER NOT NULL CHECK (seq >= 0),
  at_us INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  changes TEXT NOT NULL,             -- JSON array of {field, before, after}
  note TEXT NOT NULL,
  person TEXT NOT NULL,
  PRIMARY KEY (item_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE ledger_item_updates (
  item_id TEXT NOT NULL REFERENCES ledger_items (id),
  seq INTEGER NOT NULL CHECK (seq >= 0),
  at_us INTEGER NOT NULL,
  actor TEXT NOT NULL,
  written_by TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (item_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE ledger_item_warnings (
  item_id TEXT NOT NULL REFERENCES ledger_items (id),
  seq INTEGER NOT NULL CHECK (seq >= 0),
  warning_id TEXT NOT NULL,
  PRIMARY KEY (item_id, seq)
) STRICT, WITHOUT ROWID;

INSERT INTO ledger_item_history (item_id, seq, at_us, actor, action, changes, note, person)
  SELECT i.id, h.key, h.value ->> '$.at', h.value ->> '$.actor', h.value ->> '$.action',
         h.value -> '$.changes', h.value ->> '$.note', h.value ->> '$.person'
  FROM ledger_items AS i, json_each(i.history) AS h;
INSERT INTO ledger_item_updates (item_id, seq, at_us, actor, written_by, text)
  SELECT i.id, u.key, u.value ->> '$.at', u.value ->> '$.actor', u.value ->> '$.written_by',
         u.value ->> '$.text'
  FROM ledger_items AS i, json_each(i.updates) AS u;
INSERT INTO ledger_item_warnings (item_id, seq, warning_id)
  SELECT i.id, w.key, w.value FROM ledger_items AS i, json_each(i.warning_ids) AS w;

ALTER TABLE ledger_items DROP COLUMN history;
ALTER TABLE ledger_items DROP COLUMN updates;
ALTER TABLE ledger_items DROP COLUMN warning_ids;
)sql";

// "INSERT INTO t (a, b, c) VALUES (?1, ?2, ?3) ON CONFLICT (a) DO UPDATE SET
// b = excluded.b, c = excluded.c".
std::string UpsertSql(std::string_view table, const std::vector<std::string_view>& columns,
                      size_t key_columns) {
  std::string names;
  std::string values;
  std::string keys;
  std::string updates;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) {
      names += ", ";
      values += ", ";
    }
    names += columns[i];
    StrAppend(values, "?", i + 1);
    if (i < key_columns) {
      if (!keys.empty()) keys += ", ";
      keys += columns[i];
    } else {
      if (!updates.empty()) updates += ", ";
      StrAppend(updates, columns[i], " = excluded.", columns[i]);
    }
  }
  return StrCat("INSERT INTO ", table, " (", names, ") VALUES (", values, ") ON CONFLICT (", keys,
                ") DO UPDATE SET ", updates);
}

const std::vector<std::string_view> kItemColumns = {"id",
                                                    "unit_id",
                                                    "category_id",
                                                    "state",
                                                    "level",
                                                    "description",
                                                    "persons",
                                                    "key_persons",
                                                    "responsible_leader",
                                                    "responsible_person",
                                                    "lead_department",
                                                    "measures",
                                                    "deadline_us",
                                                    "resolution",
                                                    "confirmed_by_leader",
                                                    "confirmed_at_us",
                                                    "source",
                                                    "source_ref",
                                                    "registered_at_us",
                                                    "registered_by",
                                                    "updated_at_us",
                                                    "last_activity_at_us",
                                                    "resolved_at_us",
                                                    "closed_out_at_us",
                                                    "reopened_at_us",
                                                    "reopen_count",
                                                    "overdue_notified_day"};

const std::vector<std::string_view> kWarningColumns = {"id",
                                                       "unit_id",
                                                       "summary",
                                                       "details",
                                                       "category_id",
                                                       "persons",
                                                       "level",
                                                       "reported_major",
                                                       "graded_major",
                                                       "major_reasons",
                                                       "destination_region_id",
                                                       "destination_address",
                                                       "observed_at_us",
                                                       "received_at_us",
                                                       "received_from",
                                                       "ledger_item_id",
                                                       "created_item",
                                                       "reopened_item"};

const std::vector<std::string_view> kScreeningColumns = {
    "unit_id",     "period",   "period_kind",       "revision", "zero_report", "content",
    "filed_at_us", "filed_by", "first_filed_at_us", "late",     "earlier"};

const std::vector<std::string_view> kReminderColumns = {"unit_id", "period", "sent_at_us"};

const std::vector<std::string_view> kDailyColumns = {
    "unit_id",       "day",           "zero_report", "new_warnings", "items_progressed",
    "visit_batches", "visit_persons", "text",        "reported_by",  "revision",
    "filed_at_us",   "filed_by",      "earlier"};

std::string SelectSql(std::string_view table, const std::vector<std::string_view>& columns,
                      std::string_view order) {
  std::string names;
  for (std::string_view column : columns) {
    if (!names.empty()) names += ", ";
    names += column;
  }
  return StrCat("SELECT ", names, " FROM ", table, " ORDER BY ", order);
}

// ---- encoding ----

std::optional<int64_t> OptionalMicros(const std::optional<Time>& t) {
  if (!t) return std::nullopt;
  return ToUnixMicros(*t);
}

json::value TimeJson(Time t) { return json::value(ToUnixMicros(t)); }

json::object PersonJson(const Person& person) {
  return json::object{{"name", person.name}, {"phone", person.phone}, {"title", person.title}};
}

json::array StringsJson(const std::vector<std::string>& values) {
  json::array array;
  for (const std::string& value : values) array.emplace_back(value);
  return array;
}

json::array ChangesJson(const std::vector<ledger::FieldChange>& changes) {
  json::array array;
  for (const ledger::FieldChange& change : changes) {
    array.emplace_back(
        json::object{{"field", change.field}, {"before", change.before}, {"after", change.after}});
  }
  return array;
}

json::object ScreeningContentJson(const ledger::ScreeningContent& content) {
  json::array findings;
  for (const ledger::ScreeningFinding& finding : content.findings) {
    json::object object{{"ledger_item_id", finding.ledger_item_id},
                        {"created_item", finding.created_item},
                        {"category_id", finding.category_id},
                        {"description", finding.description},
                        {"persons", finding.persons}};
    object["level"] =
        finding.level ? json::value(ledger::RiskLevelName(*finding.level)) : json::value(nullptr);
    findings.emplace_back(std::move(object));
  }
  return json::object{{"zero_report", content.zero_report},
                      {"findings", std::move(findings)},
                      {"screened_by", content.screened_by},
                      {"remarks", content.remarks}};
}

json::object DailyContentJson(const ledger::DailyReportContent& content) {
  return json::object{{"zero_report", content.zero_report},
                      {"new_warnings", content.new_warnings},
                      {"items_progressed", content.items_progressed},
                      {"visit_batches", content.visit_batches},
                      {"visit_persons", content.visit_persons},
                      {"text", content.text},
                      {"reported_by", content.reported_by}};
}

std::string Serialize(const json::value& value) { return json::serialize(value); }

// ---- decoding (throws on malformed JSON; LoadLedger turns that into DataLoss) ----

struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

json::value ParseJson(const std::string& text, std::string_view what) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  if (error) throw DecodeError(StrCat(what, ": ", error.message()));
  return value;
}

std::string StringField(const json::object& object, std::string_view key) {
  return std::string(object.at(key).as_string());
}

Time TimeField(const json::object& object, std::string_view key) {
  return FromUnixMicros(object.at(key).to_number<int64_t>());
}

Actor ActorFrom(const std::string& text) {
  auto actor = Actor::Parse(text);
  if (!actor) throw DecodeError(StrCat("bad actor '", text, "'"));
  return *actor;
}

Person PersonFrom(const json::value& value) {
  const json::object& object = value.as_object();
  return Person{StringField(object, "name"), StringField(object, "phone"),
                StringField(object, "title")};
}

std::vector<std::string> StringsFrom(const json::value& value) {
  std::vector<std::string> strings;
  for (const json::value& item : value.as_array()) strings.emplace_back(item.as_string());
  return strings;
}

ledger::RiskLevel LevelFrom(std::string_view text) {
  auto level = ledger::ParseRiskLevel(text);
  if (!level) throw DecodeError(StrCat("bad risk level '", text, "'"));
  return *level;
}

CivilDay DayFrom(const std::string& text) {
  auto day = ParseDay(text);
  if (!day.ok()) throw DecodeError(day.status().message());
  return *day;
}

ledger::Period PeriodFrom(const std::string& text) {
  auto period = ledger::ParsePeriod(text);
  if (!period.ok()) throw DecodeError(period.status().message());
  return *period;
}

std::optional<Time> OptionalTime(const Statement& row, int column) {
  auto micros = row.OptionalInt64(column);
  if (!micros) return std::nullopt;
  return FromUnixMicros(*micros);
}

ledger::ScreeningContent ScreeningContentFrom(const json::value& value) {
  const json::object& object = value.as_object();
  ledger::ScreeningContent content;
  content.zero_report = object.at("zero_report").as_bool();
  content.screened_by = StringField(object, "screened_by");
  content.remarks = StringField(object, "remarks");
  for (const json::value& item : object.at("findings").as_array()) {
    const json::object& finding_json = item.as_object();
    ledger::ScreeningFinding finding;
    finding.ledger_item_id = StringField(finding_json, "ledger_item_id");
    finding.created_item = finding_json.at("created_item").as_bool();
    finding.category_id = StringField(finding_json, "category_id");
    finding.description = StringField(finding_json, "description");
    finding.persons = finding_json.at("persons").to_number<uint32_t>();
    const json::value& level = finding_json.at("level");
    if (!level.is_null()) finding.level = LevelFrom(level.as_string());
    content.findings.push_back(std::move(finding));
  }
  return content;
}

ledger::DailyReportContent DailyContentFrom(const json::value& value) {
  const json::object& object = value.as_object();
  ledger::DailyReportContent content;
  content.zero_report = object.at("zero_report").as_bool();
  content.new_warnings = object.at("new_warnings").to_number<uint32_t>();
  content.items_progressed = object.at("items_progressed").to_number<uint32_t>();
  content.visit_batches = object.at("visit_batches").to_number<uint32_t>();
  content.visit_persons = object.at("visit_persons").to_number<uint32_t>();
  content.text = StringField(object, "text");
  content.reported_by = StringField(object, "reported_by");
  return content;
}

ledger::LedgerItem ItemFrom(const Statement& row) {
  ledger::LedgerItem item;
  int c = 0;
  item.id = row.Text(c++);
  item.unit_id = row.Text(c++);
  item.category_id = row.Text(c++);
  const std::string state = row.Text(c++);
  auto parsed_state = ledger::ParseItemState(state);
  if (!parsed_state) throw DecodeError(StrCat("bad state '", state, "'"));
  item.state = *parsed_state;
  item.level = LevelFrom(row.Text(c++));
  item.description = row.Text(c++);
  item.persons = static_cast<uint32_t>(row.Int64(c++));
  item.key_persons = StringsFrom(ParseJson(row.Text(c++), "key_persons"));
  item.responsible_leader = PersonFrom(ParseJson(row.Text(c++), "responsible_leader"));
  item.responsible_person = PersonFrom(ParseJson(row.Text(c++), "responsible_person"));
  item.lead_department = row.Text(c++);
  item.measures = row.Text(c++);
  item.deadline = FromUnixMicros(row.Int64(c++));
  item.resolution = row.Text(c++);
  item.confirmed_by_leader = row.Text(c++);
  item.confirmed_at = OptionalTime(row, c++);
  const std::string source = row.Text(c++);
  auto parsed_source = ledger::ParseItemSource(source);
  if (!parsed_source) throw DecodeError(StrCat("bad source '", source, "'"));
  item.source = *parsed_source;
  item.source_ref = row.Text(c++);
  item.registered_at = FromUnixMicros(row.Int64(c++));
  item.registered_by = ActorFrom(row.Text(c++));
  item.updated_at = FromUnixMicros(row.Int64(c++));
  item.last_activity_at = FromUnixMicros(row.Int64(c++));
  item.resolved_at = OptionalTime(row, c++);
  item.closed_out_at = OptionalTime(row, c++);
  item.reopened_at = OptionalTime(row, c++);
  item.reopen_count = static_cast<uint32_t>(row.Int64(c++));
  if (!row.IsNull(c)) item.overdue_notified_day = DayFrom(row.Text(c));
  return item;
}

// Log rows: (item_id, seq, ...) in the columns of the SELECTs in LoadItemLogs.
ledger::HistoryEntry HistoryFrom(const Statement& row) {
  ledger::HistoryEntry entry;
  int c = 2;
  entry.at = FromUnixMicros(row.Int64(c++));
  entry.actor = ActorFrom(row.Text(c++));
  entry.action = row.Text(c++);
  // The parsed document must outlive the loop over its array.
  const json::value changes = ParseJson(row.Text(c++), "changes");
  for (const json::value& change : changes.as_array()) {
    const json::object& object = change.as_object();
    entry.changes.push_back(ledger::FieldChange{StringField(object, "field"),
                                                StringField(object, "before"),
                                                StringField(object, "after")});
  }
  entry.note = row.Text(c++);
  entry.person = row.Text(c++);
  return entry;
}

ledger::ProgressUpdate UpdateFrom(const Statement& row) {
  return ledger::ProgressUpdate{FromUnixMicros(row.Int64(2)), ActorFrom(row.Text(3)), row.Text(4),
                                row.Text(5)};
}

std::string WarningIdFrom(const Statement& row) { return row.Text(2); }

ledger::WarningRecord WarningFrom(const Statement& row) {
  ledger::WarningRecord warning;
  int c = 0;
  warning.id = row.Text(c++);
  warning.unit_id = row.Text(c++);
  warning.summary = row.Text(c++);
  warning.details = row.Text(c++);
  warning.category_id = row.Text(c++);
  warning.persons = static_cast<uint32_t>(row.Int64(c++));
  warning.level = LevelFrom(row.Text(c++));
  warning.reported_major = row.Int64(c++) != 0;
  warning.graded_major = row.Int64(c++) != 0;
  warning.major_reasons = StringsFrom(ParseJson(row.Text(c++), "major_reasons"));
  warning.destination_region_id = row.Text(c++);
  warning.destination_address = row.Text(c++);
  warning.observed_at = OptionalTime(row, c++);
  warning.received_at = FromUnixMicros(row.Int64(c++));
  warning.received_from = ActorFrom(row.Text(c++));
  warning.ledger_item_id = row.Text(c++);
  warning.created_item = row.Int64(c++) != 0;
  warning.reopened_item = row.Int64(c++) != 0;
  return warning;
}

ledger::ScreeningRecord ScreeningFrom(const Statement& row) {
  ledger::ScreeningRecord record;
  int c = 0;
  record.unit_id = row.Text(c++);
  record.period = PeriodFrom(row.Text(c++));
  ++c;  // period_kind: derived from the period
  record.revision = static_cast<uint32_t>(row.Int64(c++));
  ++c;  // zero_report: a copy of content.zero_report for queries
  record.content = ScreeningContentFrom(ParseJson(row.Text(c++), "content"));
  record.filed_at = FromUnixMicros(row.Int64(c++));
  record.filed_by = ActorFrom(row.Text(c++));
  record.first_filed_at = FromUnixMicros(row.Int64(c++));
  record.late = row.Int64(c++) != 0;
  // The parsed document must outlive the loop over its array.
  const json::value earlier_json = ParseJson(row.Text(c++), "earlier");
  for (const json::value& value : earlier_json.as_array()) {
    const json::object& object = value.as_object();
    record.earlier.push_back(ledger::ScreeningFiling{
        object.at("revision").to_number<uint32_t>(), TimeField(object, "filed_at"),
        ActorFrom(StringField(object, "filed_by")), ScreeningContentFrom(object.at("content"))});
  }
  return record;
}

ledger::DailyReportRecord DailyFrom(const Statement& row) {
  ledger::DailyReportRecord report;
  int c = 0;
  report.unit_id = row.Text(c++);
  report.day = DayFrom(row.Text(c++));
  report.content.zero_report = row.Int64(c++) != 0;
  report.content.new_warnings = static_cast<uint32_t>(row.Int64(c++));
  report.content.items_progressed = static_cast<uint32_t>(row.Int64(c++));
  report.content.visit_batches = static_cast<uint32_t>(row.Int64(c++));
  report.content.visit_persons = static_cast<uint32_t>(row.Int64(c++));
  report.content.text = row.Text(c++);
  report.content.reported_by = row.Text(c++);
  report.revision = static_cast<uint32_t>(row.Int64(c++));
  report.filed_at = FromUnixMicros(row.Int64(c++));
  report.filed_by = ActorFrom(row.Text(c++));
  // The parsed document must outlive the loop over its array.
  const json::value earlier_json = ParseJson(row.Text(c++), "earlier");
  for (const json::value& value : earlier_json.as_array()) {
    const json::object& object = value.as_object();
    report.earlier.push_back(ledger::DailyReportFiling{
        object.at("revision").to_number<uint32_t>(), TimeField(object, "filed_at"),
        ActorFrom(StringField(object, "filed_by")), DailyContentFrom(object.at("content"))});
  }
  return report;
}

// Runs `sql` and decodes every row with `decode`; DataLoss names the row.
template <typename T, typename Decode>
Status LoadRows(Database& db, const std::string& sql, std::string_view table, Decode decode,
                std::vector<T>& out) {
  ANDING_ASSIGN_OR_RETURN(Statement select, db.Prepare(sql));
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, select.Step());
    if (!row) return OkStatus();
    try {
      out.push_back(decode(select));
    } catch (const std::exception& e) {
      return Status(StatusCode::kDataLoss,
                    StrCat(table, " row '", select.Text(0), "': cannot decode: ", e.what()));
    }
  }
}

// "unit/suffix" split at the last '/' (unit ids may not end the key).
std::pair<std::string, std::string> SplitKey(std::string_view key) {
  const size_t slash = key.rfind('/');
  if (slash == std::string_view::npos) return {std::string(key), ""};
  return {std::string(key.substr(0, slash)), std::string(key.substr(slash + 1))};
}

// Binds parameters 1, 2, 3, ... in call order.
class Binder {
 public:
  explicit Binder(Statement& statement) : statement_(statement) {}
  template <typename T>
  Binder& operator()(const T& value) {
    statement_.Bind(next_++, value);
    return *this;
  }
  Binder& Day(const std::optional<CivilDay>& day) {
    if (day) {
      statement_.Bind(next_++, FormatDay(*day));
    } else {
      statement_.BindNull(next_++);
    }
    return *this;
  }

 private:
  Statement& statement_;
  int next_ = 1;
};

// Appends the rows of `table` (item_id, seq, ...; `columns` after those
// two) to the log `log_of` picks of each item, in order. DataLoss for a row
// of no item or an entry out of sequence.
template <typename T, typename Decode>
Status LoadItemLog(Database& db, std::vector<ledger::LedgerItem>& items,
                   const std::unordered_map<std::string, size_t>& index, std::string_view table,
                   std::string_view columns, std::vector<T>& (*log_of)(ledger::LedgerItem&),
                   Decode decode) {
  ANDING_ASSIGN_OR_RETURN(Statement select,
                          db.Prepare(StrCat("SELECT item_id, seq, ", columns, " FROM ", table,
                                            " ORDER BY item_id, seq")));
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, select.Step());
    if (!row) return OkStatus();
    const std::string item_id = select.Text(0);
    const auto item = index.find(item_id);
    if (item == index.end()) {
      return Status(StatusCode::kDataLoss, StrCat(table, ": a row of no ledger item ", item_id));
    }
    std::vector<T>& log = log_of(items[item->second]);
    if (select.Int64(1) != static_cast<int64_t>(log.size())) {
      return Status(StatusCode::kDataLoss, StrCat(table, " of ", item_id, ": entry ", log.size(),
                                                  " is missing"));
    }
    try {
      log.push_back(decode(select));
    } catch (const std::exception& e) {
      return Status(StatusCode::kDataLoss, StrCat(table, " of ", item_id, ", entry ", log.size(),
                                                  ": cannot decode: ", e.what()));
    }
  }
}

Status LoadItemLogs(Database& db, std::vector<ledger::LedgerItem>& items) {
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < items.size(); ++i) index.emplace(items[i].id, i);
  ANDING_RETURN_IF_ERROR(LoadItemLog(
      db, items, index, "ledger_item_history", "at_us, actor, action, changes, note, person",
      +[](ledger::LedgerItem& item) -> auto& { return item.history; }, HistoryFrom));
  ANDING_RETURN_IF_ERROR(LoadItemLog(
      db, items, index, "ledger_item_updates", "at_us, actor, written_by, text",
      +[](ledger::LedgerItem& item) -> auto& { return item.updates; }, UpdateFrom));
  return LoadItemLog(
      db, items, index, "ledger_item_warnings", "warning_id",
      +[](ledger::LedgerItem& item) -> auto& { return item.warning_ids; }, WarningIdFrom);
}

}  // namespace

std::vector<Migration> LedgerMigrations() {
  return {Migration{1, "ledger items, warnings, screening and daily reports", kSchemaV1},
          Migration{2, "ledger item logs as rows of their own", kSchemaV2}};
}

namespace {

// Inserts `log[i]` as entry `from + i` of `item_id`'s log with `insert`,
// whose parameters 1 and 2 are the item id and the index; `bind` binds the
// rest of an entry from parameter 3 on.
template <typename T, typename BindRest>
Status AppendLog(Statement& insert, const std::string& item_id, size_t from,
                 const std::vector<T>& log, BindRest bind) {
  for (size_t i = 0; i < log.size(); ++i) {
    insert.Reset();
    insert.Bind(1, item_id).Bind(2, static_cast<int64_t>(from + i));
    bind(insert, log[i]);
    ANDING_RETURN_IF_ERROR(insert.Run());
  }
  return OkStatus();
}

Status SaveItemLogs(Database& db, const LedgerItemChange& change) {
  const ledger::LedgerItem& item = change.item;
  ANDING_ASSIGN_OR_RETURN(
      Statement * history,
      db.Cached("INSERT INTO ledger_item_history (item_id, seq, at_us, actor, action, changes, "
                "note, person) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  ANDING_RETURN_IF_ERROR(AppendLog(
      *history, item.id, change.history_from, item.history,
      [](Statement& s, const ledger::HistoryEntry& entry) {
        s.Bind(3, ToUnixMicros(entry.at))
            .Bind(4, entry.actor.ToString())
            .Bind(5, entry.action)
            .Bind(6, Serialize(ChangesJson(entry.changes)))
            .Bind(7, entry.note)
            .Bind(8, entry.person);
      }));
  ANDING_ASSIGN_OR_RETURN(
      Statement * updates,
      db.Cached("INSERT INTO ledger_item_updates (item_id, seq, at_us, actor, written_by, text) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  ANDING_RETURN_IF_ERROR(AppendLog(*updates, item.id, change.updates_from, item.updates,
                                   [](Statement& s, const ledger::ProgressUpdate& update) {
                                     s.Bind(3, ToUnixMicros(update.at))
                                         .Bind(4, update.actor.ToString())
                                         .Bind(5, update.written_by)
                                         .Bind(6, update.text);
                                   }));
  ANDING_ASSIGN_OR_RETURN(
      Statement * warnings,
      db.Cached("INSERT INTO ledger_item_warnings (item_id, seq, warning_id) VALUES (?1, ?2, ?3)"));
  return AppendLog(*warnings, item.id, change.warnings_from, item.warning_ids,
                   [](Statement& s, const std::string& id) { s.Bind(3, id); });
}

}  // namespace

Status SaveLedgerItem(Database& db, const LedgerItemChange& change) {
  static const std::string sql = UpsertSql("ledger_items", kItemColumns, 1);
  ANDING_ASSIGN_OR_RETURN(Statement * upsert, db.Cached(sql));
  const ledger::LedgerItem& item = change.item;
  Binder bind(*upsert);
  bind(item.id)(item.unit_id)(item.category_id)(ledger::ItemStateName(item.state))(
      ledger::RiskLevelName(item.level))(item.description)(int64_t{item.persons})(
      Serialize(StringsJson(item.key_persons)))(Serialize(PersonJson(item.responsible_leader)))(
      Serialize(PersonJson(item.responsible_person)))(item.lead_department)(item.measures)(
      ToUnixMicros(item.deadline))(item.resolution)(item.confirmed_by_leader)(
      OptionalMicros(item.confirmed_at))(ledger::ItemSourceName(item.source))(item.source_ref)(
      ToUnixMicros(item.registered_at))(item.registered_by.ToString())(ToUnixMicros(
      item.updated_at))(ToUnixMicros(item.last_activity_at))(OptionalMicros(item.resolved_at))(
      OptionalMicros(item.closed_out_at))(OptionalMicros(item.reopened_at))(
      int64_t{item.reopen_count})
      .Day(item.overdue_notified_day);
  ANDING_RETURN_IF_ERROR(Annotate(upsert->Run(), StrCat("saving ledger item ", item.id)));
  return Annotate(SaveItemLogs(db, change), StrCat("saving the logs of ledger item ", item.id));
}

Status SaveEarlyWarning(Database& db, const ledger::WarningRecord& warning) {
  static const std::string sql = UpsertSql("ledger_warnings", kWarningColumns, 1);
  ANDING_ASSIGN_OR_RETURN(Statement * upsert, db.Cached(sql));
  Binder bind(*upsert);
  bind(warning.id)(warning.unit_id)(warning.summary)(warning.details)(warning.category_id)(
      int64_t{warning.persons})(ledger::RiskLevelName(warning.level))(
      int64_t{warning.reported_major ? 1 : 0})(int64_t{warning.graded_major ? 1 : 0})(
      Serialize(StringsJson(warning.major_reasons)))(warning.destination_region_id)(
      warning.destination_address)(OptionalMicros(warning.observed_at))(
      ToUnixMicros(warning.received_at))(warning.received_from.ToString())(warning.ledger_item_id)(
      int64_t{warning.created_item ? 1 : 0})(int64_t{warning.reopened_item ? 1 : 0});
  return Annotate(upsert->Run(), StrCat("saving early warning ", warning.id));
}

Status SaveScreeningReport(Database& db, const ledger::ScreeningRecord& record) {
  static const std::string sql = UpsertSql("ledger_screening_reports", kScreeningColumns, 2);
  ANDING_ASSIGN_OR_RETURN(Statement * upsert, db.Cached(sql));
  json::array earlier;
  for (const ledger::ScreeningFiling& filing : record.earlier) {
    earlier.emplace_back(json::object{{"revision", filing.revision},
                                      {"filed_at", TimeJson(filing.filed_at)},
                                      {"filed_by", filing.filed_by.ToString()},
                                      {"content", ScreeningContentJson(filing.content)}});
  }
  Binder bind(*upsert);
  bind(record.unit_id)(ledger::FormatPeriod(record.period))(
      ledger::PeriodKindName(record.period.kind))(int64_t{record.revision})(
      int64_t{record.content.zero_report ? 1 : 0})(Serialize(ScreeningContentJson(record.content)))(
      ToUnixMicros(record.filed_at))(record.filed_by.ToString())(
      ToUnixMicros(record.first_filed_at))(int64_t{record.late ? 1 : 0})(Serialize(earlier));
  return Annotate(upsert->Run(), StrCat("saving screening report ",
                                        ledger::ScreeningKey(record.unit_id, record.period)));
}

Status SaveScreeningReminder(Database& db, const ledger::ScreeningReminder& reminder) {
  static const std::string sql = UpsertSql("ledger_screening_reminders", kReminderColumns, 2);
  ANDING_ASSIGN_OR_RETURN(Statement * upsert, db.Cached(sql));
  upsert->Bind(1, reminder.unit_id)
      .Bind(2, ledger::FormatPeriod(reminder.period))
      .Bind(3, ToUnixMicros(reminder.sent_at));
  return Annotate(upsert->Run(), StrCat("saving screening reminder ",
                                        ledger::ScreeningKey(reminder.unit_id, reminder.period)));
}

Status SaveDailyReport(Database& db, const ledger::DailyReportRecord& report) {
  static const std::string sql = UpsertSql("ledger_daily_reports", kDailyColumns, 2);
  ANDING_ASSIGN_OR_RETURN(Statement * upsert, db.Cached(sql));
  json::array earlier;
  for (const ledger::DailyReportFiling& filing : report.earlier) {
    earlier.emplace_back(json::object{{"revision", filing.revision},
                                      {"filed_at", TimeJson(filing.filed_at)},
                                      {"filed_by", filing.filed_by.ToString()},
                                      {"content", DailyContentJson(filing.content)}});
  }
  Binder bind(*upsert);
  bind(report.unit_id)(FormatDay(report.day))(int64_t{report.content.zero_report ? 1 : 0})(
      int64_t{report.content.new_warnings})(int64_t{report.content.items_progressed})(
      int64_t{report.content.visit_batches})(int64_t{report.content.visit_persons})(
      report.content.text)(report.content.reported_by)(int64_t{report.revision})(
      ToUnixMicros(report.filed_at))(report.filed_by.ToString())(Serialize(earlier));
  return Annotate(upsert->Run(), StrCat("saving daily report ",
                                        ledger::DailyReportKey(report.unit_id, report.day)));
}

Status SaveLedgerMeta(Database& db, const ledger::LedgerMeta& meta) {
  ANDING_RETURN_IF_ERROR(db.Exec("DELETE FROM ledger_meta"));
  ANDING_ASSIGN_OR_RETURN(Statement * insert,
                          db.Cached("INSERT INTO ledger_meta (key, value) VALUES (?1, ?2)"));
  auto put = [&](const std::string& key, const std::string& value) -> Status {
    insert->Reset();
    insert->Bind(1, key).Bind(2, value);
    return insert->Run();
  };
  for (const auto& [prefix, counter] : meta.counters) {
    ANDING_RETURN_IF_ERROR(put(StrCat("counter:", prefix), StrCat(counter)));
  }
  if (meta.tracking_since) {
    ANDING_RETURN_IF_ERROR(put("tracking_since", FormatDay(*meta.tracking_since)));
  }
  for (const auto& [kind, period] : meta.screening_checked_through) {
    ANDING_RETURN_IF_ERROR(put(StrCat("checked_through:", ledger::PeriodKindName(kind)),
                               ledger::FormatPeriod(period)));
  }
  if (meta.last_daily_summary_run) {
    ANDING_RETURN_IF_ERROR(put("last_daily_summary_run", FormatDay(*meta.last_daily_summary_run)));
  }
  return OkStatus();
}

void LedgerLogMarks::Reset(const ledger::Ledger& ledger) {
  counts_.clear();
  for (const auto& [id, item] : ledger.items()) {
    counts_[id] = Counts{item.history.size(), item.updates.size(), item.warning_ids.size()};
  }
}

Result<LedgerLogMarks::Counts> LedgerLogMarks::Advance(const ledger::LedgerItem& item) {
  Counts& counts = counts_[item.id];
  const Counts now{item.history.size(), item.updates.size(), item.warning_ids.size()};
  if (now.history < counts.history || now.updates < counts.updates ||
      now.warnings < counts.warnings) {
    return InternalError(StrCat("ledger item ", item.id, ": a log is shorter than what was stored"));
  }
  return std::exchange(counts, now);
}

namespace {

template <typename T>
std::vector<T> Tail(const std::vector<T>& log, size_t from) {
  return std::vector<T>(log.begin() + static_cast<std::ptrdiff_t>(from), log.end());
}

}  // namespace

Result<LedgerChangeSet> CollectLedgerChanges(const ledger::Ledger& ledger,
                                             const std::vector<core::RecordRef>& changed,
                                             LedgerLogMarks& marks) {
  LedgerChangeSet set;
  std::set<std::pair<std::string, std::string>> done;
  for (const core::RecordRef& ref : changed) {
    if (!done.emplace(ref.kind, ref.id).second) continue;
    if (ref.kind == ledger::kItemRecord) {
      const ledger::LedgerItem* item = ledger.FindItem(ref.id);
      if (item == nullptr) return InternalError(StrCat("no ledger item ", ref.id, " to save"));
      ANDING_ASSIGN_OR_RETURN(const LedgerLogMarks::Counts from, marks.Advance(*item));
      LedgerItemChange change{ledger::FieldsOf(*item), from.history, from.updates, from.warnings};
      change.item.history = Tail(item->history, from.history);
      change.item.updates = Tail(item->updates, from.updates);
      change.item.warning_ids = Tail(item->warning_ids, from.warnings);
      set.items.push_back(std::move(change));
    } else if (ref.kind == ledger::kWarningRecord) {
      const ledger::WarningRecord* warning = ledger.FindWarning(ref.id);
      if (warning == nullptr) return InternalError(StrCat("no early warning ", ref.id, " to save"));
      set.warnings.push_back(*warning);
    } else if (ref.kind == ledger::kScreeningRecord || ref.kind == ledger::kReminderRecord) {
      const auto [unit, period_text] = SplitKey(ref.id);
      auto period = ledger::ParsePeriod(period_text);
      if (!period.ok()) return InternalError(StrCat("bad screening key '", ref.id, "'"));
      if (ref.kind == ledger::kScreeningRecord) {
        const ledger::ScreeningRecord* record = ledger.FindScreening(unit, *period);
        if (record == nullptr) return InternalError(StrCat("no screening report ", ref.id));
        set.screenings.push_back(*record);
      } else {
        const ledger::ScreeningReminder* reminder = ledger.FindScreeningReminder(unit, *period);
        if (reminder == nullptr) return InternalError(StrCat("no screening reminder ", ref.id));
        set.reminders.push_back(*reminder);
      }
    } else if (ref.kind == ledger::kDailyReportRecord) {
      const auto [unit, day_text] = SplitKey(ref.id);
      auto day = ParseDay(day_text);
      if (!day.ok()) return InternalError(StrCat("bad daily report key '", ref.id, "'"));
      const ledger::DailyReportRecord* report = ledger.FindDailyReport(unit, *day);
      if (report == nullptr) return InternalError(StrCat("no daily report ", ref.id));
      set.daily_reports.push_back(*report);
    } else if (ref.kind == ledger::kMetaRecord) {
      set.meta = ledger.meta();
    }
  }
  return set;
}

Status SaveLedgerChangeSet(Database& db, const LedgerChangeSet& set) {
  for (const auto& item : set.items) ANDING_RETURN_IF_ERROR(SaveLedgerItem(db, item));
  for (const auto& warning : set.warnings) ANDING_RETURN_IF_ERROR(SaveEarlyWarning(db, warning));
  for (const auto& record : set.screenings) ANDING_RETURN_IF_ERROR(SaveScreeningReport(db, record));
  for (const auto& reminder : set.reminders) {
    ANDING_RETURN_IF_ERROR(SaveScreeningReminder(db, reminder));
  }
  for (const auto& report : set.daily_reports) ANDING_RETURN_IF_ERROR(SaveDailyReport(db, report));
  if (set.meta) ANDING_RETURN_IF_ERROR(SaveLedgerMeta(db, *set.meta));
  return OkStatus();
}

Status SaveLedgerChanges(Database& db, const ledger::Ledger& ledger,
                         const std::vector<core::RecordRef>& changed, LedgerLogMarks& marks) {
  ANDING_ASSIGN_OR_RETURN(const LedgerChangeSet set, CollectLedgerChanges(ledger, changed, marks));
  return SaveLedgerChangeSet(db, set);
}

Result<ledger::LedgerSnapshot> LoadLedger(Database& db) {
  ledger::LedgerSnapshot snapshot;
  ANDING_RETURN_IF_ERROR(LoadRows(db, SelectSql("ledger_items", kItemColumns, "id"), "ledger_items",
                                  ItemFrom, snapshot.items));
  ANDING_RETURN_IF_ERROR(LoadItemLogs(db, snapshot.items));
  ANDING_RETURN_IF_ERROR(LoadRows(db, SelectSql("ledger_warnings", kWarningColumns, "id"),
                                  "ledger_warnings", WarningFrom, snapshot.warnings));
  ANDING_RETURN_IF_ERROR(
      LoadRows(db, SelectSql("ledger_screening_reports", kScreeningColumns, "unit_id, period"),
               "ledger_screening_reports", ScreeningFrom, snapshot.screenings));
  ANDING_RETURN_IF_ERROR(LoadRows(
      db, SelectSql("ledger_screening_reminders", kReminderColumns, "unit_id, period"),
      "ledger_screening_reminders",
      [](const Statement& row) {
        return ledger::ScreeningReminder{row.Text(0), PeriodFrom(row.Text(1)),
                                         FromUnixMicros(row.Int64(2))};
      },
      snapshot.screening_reminders));
  ANDING_RETURN_IF_ERROR(LoadRows(db,
                                  SelectSql("ledger_daily_reports", kDailyColumns, "unit_id, day"),
                                  "ledger_daily_reports", DailyFrom, snapshot.daily_reports));

  ANDING_ASSIGN_OR_RETURN(Statement meta, db.Prepare("SELECT key, value FROM ledger_meta"));
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, meta.Step());
    if (!row) break;
    const std::string key = meta.Text(0);
    const std::string value = meta.Text(1);
    try {
      if (key.rfind("counter:", 0) == 0) {
        snapshot.meta.counters[key.substr(8)] = static_cast<uint32_t>(std::stoul(value));
      } else if (key == "tracking_since") {
        snapshot.meta.tracking_since = DayFrom(value);
      } else if (key.rfind("checked_through:", 0) == 0) {
        auto kind = ledger::ParsePeriodKind(key.substr(16));
        if (!kind) throw DecodeError("unknown period kind");
        snapshot.meta.screening_checked_through[*kind] = PeriodFrom(value);
      } else if (key == "last_daily_summary_run") {
        snapshot.meta.last_daily_summary_run = DayFrom(value);
      } else {
        throw DecodeError("unknown key");
      }
    } catch (const std::exception& e) {
      return Status(StatusCode::kDataLoss,
                    StrCat("ledger_meta '", key, "' = '", value, "': ", e.what()));
    }
  }
  return snapshot;
}

}  // namespace anding::store

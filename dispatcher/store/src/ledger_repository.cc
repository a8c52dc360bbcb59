#include "anding/store/ledger_repository.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "anding/common/strings.h"
#include "codec.h"
#include "ledger_items.h"
#include "sql.h"

namespace anding::store {
namespace {

using namespace codec;  // NOLINT: this file's vocabulary
namespace ledger = core::ledger;
using sql::Binder;
using sql::UpsertSql;

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

// Version 3: an item may come from an incident's aftermath (source
// 'incident'). SQLite cannot change a CHECK in place, and dropping a table
// that other tables reference fails with foreign keys on, so the item logs
// wait in plain copies while the items table is rebuilt.
constexpr const char* kSchemaV3 = R"sql(
CREATE TEMP TABLE v3_history AS SELECT * FROM ledger_item_history;
CREATE TEMP TABLE v3_updates AS SELECT * FROM ledger_item_updates;
CREATE TEMP TABLE v3_warnings AS SELECT * FROM ledger_item_warnings;
DROP TABLE ledger_item_history;
DROP TABLE ledger_item_updates;
DROP TABLE ledger_item_warnings;

CREATE TABLE ledger_items_v3 (
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
  source TEXT NOT NULL CHECK (source IN ('direct', 'early_warning', 'screening', 'incident')),
  source_ref TEXT NOT NULL,
  registered_at_us INTEGER NOT NULL,
  registered_by TEXT NOT NULL,
  updated_at_us INTEGER NOT NULL,
  last_activity_at_us INTEGER NOT NULL,
  resolved_at_us INTEGER,
  closed_out_at_us INTEGER,
  reopened_at_us INTEGER,
  reopen_count INTEGER NOT NULL CHECK (reopen_count >= 0),
  overdue_notified_day TEXT,         -- YYYY-MM-DD, local
  CHECK (state <> 'closed_out' OR (resolution <> '' AND confirmed_by_leader <> ''))
) STRICT;
INSERT INTO ledger_items_v3 (id, unit_id, category_id, state, level, description, persons,
    key_persons, responsible_leader, responsible_person, lead_department, measures, deadline_us,
    resolution, confirmed_by_leader, confirmed_at_us, source, source_ref, registered_at_us,
    registered_by, updated_at_us, last_activity_at_us, resolved_at_us, closed_out_at_us,
    reopened_at_us, reopen_count, overdue_notified_day)
  SELECT id, unit_id, category_id, state, level, description, persons, key_persons,
    responsible_leader, responsible_person, lead_department, measures, deadline_us, resolution,
    confirmed_by_leader, confirmed_at_us, source, source_ref, registered_at_us, registered_by,
    updated_at_us, last_activity_at_us, resolved_at_us, closed_out_at_us, reopened_at_us,
    reopen_count, overdue_notified_day
  FROM ledger_items;
DROP TABLE ledger_items;
ALTER TABLE ledger_items_v3 RENAME TO ledger_items;
CREATE INDEX ledger_items_unit_state ON ledger_items (unit_id, state);

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
INSERT INTO ledger_item_history SELECT * FROM v3_history;
INSERT INTO ledger_item_updates SELECT * FROM v3_updates;
INSERT INTO ledger_item_warnings SELECT * FROM v3_warnings;
DROP TABLE v3_history;
DROP TABLE v3_updates;
DROP TABLE v3_warnings;
)sql";

// What the dispatcher holds is read through indexes: the items not closed
// out (a partial index: what is open, however long the history), those
// closed out since an instant, the items registered in a span, the
// warnings received since an instant.
constexpr const char* kSchemaV4 = R"sql(
CREATE INDEX ledger_items_open ON ledger_items (registered_at_us) WHERE state <> 'closed_out';
CREATE INDEX ledger_items_closed_out ON ledger_items (closed_out_at_us) WHERE state = 'closed_out';
CREATE INDEX ledger_items_registered ON ledger_items (registered_at_us);
CREATE INDEX ledger_warnings_received ON ledger_warnings (received_at_us);
)sql";

// The daily reports of recent days (what a start holds) and of one day (an
// earlier day's summary), without reading every unit's years of reports.
constexpr const char* kSchemaV5 = R"sql(
CREATE INDEX ledger_daily_reports_day ON ledger_daily_reports (day, unit_id);
)sql";

// The screening reports and reminders of the periods not yet checked (what
// a start holds) and of one period (its status), without reading every
// unit's years of them.
constexpr const char* kSchemaV6 = R"sql(
CREATE INDEX ledger_screening_reports_period ON ledger_screening_reports (period, unit_id);
CREATE INDEX ledger_screening_reminders_period ON ledger_screening_reminders (period, unit_id);
)sql";

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

// ---- encoding ----

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

// ---- decoding: DataLoss naming the field; LoadRows adds the row ----

Result<ledger::Period> PeriodFrom(std::string_view field, std::string_view text) {
  auto period = ledger::ParsePeriod(text);
  if (!period.ok()) return Malformed(StrCat(field, ": ", period.status().message()));
  return *period;
}

Result<ledger::ScreeningFinding> FindingFrom(const json::value& value) {
  ANDING_ASSIGN_OR_RETURN(const json::object* object, ObjectOf(value));
  ledger::ScreeningFinding finding;
  ANDING_ASSIGN_OR_RETURN(finding.ledger_item_id, StringAt(*object, "ledger_item_id"));
  ANDING_ASSIGN_OR_RETURN(finding.created_item, BoolAt(*object, "created_item"));
  ANDING_ASSIGN_OR_RETURN(finding.category_id, StringAt(*object, "category_id"));
  ANDING_ASSIGN_OR_RETURN(finding.description, StringAt(*object, "description"));
  ANDING_ASSIGN_OR_RETURN(finding.persons, Uint32At(*object, "persons"));
  ANDING_ASSIGN_OR_RETURN(const bool no_level, IsNullAt(*object, "level"));
  if (!no_level) {
    ANDING_ASSIGN_OR_RETURN(const std::string level, StringAt(*object, "level"));
    ANDING_ASSIGN_OR_RETURN(finding.level, RiskLevelFrom("level", level));
  }
  return finding;
}

Result<ledger::ScreeningContent> ScreeningContentFrom(const json::value& value) {
  ANDING_ASSIGN_OR_RETURN(const json::object* object, ObjectOf(value));
  ledger::ScreeningContent content;
  ANDING_ASSIGN_OR_RETURN(content.zero_report, BoolAt(*object, "zero_report"));
  ANDING_ASSIGN_OR_RETURN(content.screened_by, StringAt(*object, "screened_by"));
  ANDING_ASSIGN_OR_RETURN(content.remarks, StringAt(*object, "remarks"));
  ANDING_ASSIGN_OR_RETURN(const json::value* findings, Member(*object, "findings"));
  ANDING_ASSIGN_OR_RETURN(content.findings, InField("findings", ListOf(*findings, FindingFrom)));
  return content;
}

Result<ledger::DailyReportContent> DailyContentFrom(const json::value& value) {
  ANDING_ASSIGN_OR_RETURN(const json::object* object, ObjectOf(value));
  ledger::DailyReportContent content;
  ANDING_ASSIGN_OR_RETURN(content.zero_report, BoolAt(*object, "zero_report"));
  ANDING_ASSIGN_OR_RETURN(content.new_warnings, Uint32At(*object, "new_warnings"));
  ANDING_ASSIGN_OR_RETURN(content.items_progressed, Uint32At(*object, "items_progressed"));
  ANDING_ASSIGN_OR_RETURN(content.visit_batches, Uint32At(*object, "visit_batches"));
  ANDING_ASSIGN_OR_RETURN(content.visit_persons, Uint32At(*object, "visit_persons"));
  ANDING_ASSIGN_OR_RETURN(content.text, StringAt(*object, "text"));
  ANDING_ASSIGN_OR_RETURN(content.reported_by, StringAt(*object, "reported_by"));
  return content;
}

// An earlier filing {revision, filed_at, filed_by, content} of a screening
// or daily report (Filing), its content decoded with `content_from`.
template <typename Filing, typename ContentFrom>
Result<Filing> FilingFrom(const json::value& value, ContentFrom content_from) {
  ANDING_ASSIGN_OR_RETURN(const json::object* object, ObjectOf(value));
  Filing filing;
  ANDING_ASSIGN_OR_RETURN(filing.revision, Uint32At(*object, "revision"));
  ANDING_ASSIGN_OR_RETURN(filing.filed_at, TimeAt(*object, "filed_at"));
  ANDING_ASSIGN_OR_RETURN(const std::string filed_by, StringAt(*object, "filed_by"));
  ANDING_ASSIGN_OR_RETURN(filing.filed_by, ActorFrom("filed_by", filed_by));
  ANDING_ASSIGN_OR_RETURN(const json::value* content, Member(*object, "content"));
  ANDING_ASSIGN_OR_RETURN(filing.content, InField("content", content_from(*content)));
  return filing;
}

Result<ledger::WarningRecord> WarningFrom(const storage::Statement& row) {
  ledger::WarningRecord warning;
  int c = 0;
  warning.id = row.Text(c++);
  warning.unit_id = row.Text(c++);
  warning.summary = row.Text(c++);
  warning.details = row.Text(c++);
  warning.category_id = row.Text(c++);
  warning.persons = static_cast<uint32_t>(row.Int64(c++));
  ANDING_ASSIGN_OR_RETURN(warning.level, RiskLevelFrom("level", row.Text(c++)));
  warning.reported_major = row.Int64(c++) != 0;
  warning.graded_major = row.Int64(c++) != 0;
  ANDING_ASSIGN_OR_RETURN(warning.major_reasons,
                          FromJson("major_reasons", row.Text(c++), StringsOf));
  warning.destination_region_id = row.Text(c++);
  warning.destination_address = row.Text(c++);
  warning.observed_at = OptionalTimeColumn(row, c++);
  warning.received_at = FromUnixMicros(row.Int64(c++));
  ANDING_ASSIGN_OR_RETURN(warning.received_from, ActorFrom("received_from", row.Text(c++)));
  warning.ledger_item_id = row.Text(c++);
  warning.created_item = row.Int64(c++) != 0;
  warning.reopened_item = row.Int64(c++) != 0;
  return warning;
}

Result<ledger::ScreeningRecord> ScreeningFrom(const storage::Statement& row) {
  ledger::ScreeningRecord record;
  int c = 0;
  record.unit_id = row.Text(c++);
  ANDING_ASSIGN_OR_RETURN(record.period, PeriodFrom("period", row.Text(c++)));
  ++c;  // period_kind: derived from the period
  record.revision = static_cast<uint32_t>(row.Int64(c++));
  ++c;  // zero_report: a copy of content.zero_report for queries
  ANDING_ASSIGN_OR_RETURN(record.content, FromJson("content", row.Text(c++), ScreeningContentFrom));
  record.filed_at = FromUnixMicros(row.Int64(c++));
  ANDING_ASSIGN_OR_RETURN(record.filed_by, ActorFrom("filed_by", row.Text(c++)));
  record.first_filed_at = FromUnixMicros(row.Int64(c++));
  record.late = row.Int64(c++) != 0;
  ANDING_ASSIGN_OR_RETURN(
      record.earlier, FromJson("earlier", row.Text(c++), [](const json::value& value) {
        return ListOf(value, [](const json::value& filing) {
          return FilingFrom<ledger::ScreeningFiling>(filing, ScreeningContentFrom);
        });
      }));
  return record;
}

Result<ledger::DailyReportRecord> DailyFrom(const storage::Statement& row) {
  ledger::DailyReportRecord report;
  int c = 0;
  report.unit_id = row.Text(c++);
  ANDING_ASSIGN_OR_RETURN(report.day, DayFrom("day", row.Text(c++)));
  report.content.zero_report = row.Int64(c++) != 0;
  report.content.new_warnings = static_cast<uint32_t>(row.Int64(c++));
  report.content.items_progressed = static_cast<uint32_t>(row.Int64(c++));
  report.content.visit_batches = static_cast<uint32_t>(row.Int64(c++));
  report.content.visit_persons = static_cast<uint32_t>(row.Int64(c++));
  report.content.text = row.Text(c++);
  report.content.reported_by = row.Text(c++);
  report.revision = static_cast<uint32_t>(row.Int64(c++));
  report.filed_at = FromUnixMicros(row.Int64(c++));
  ANDING_ASSIGN_OR_RETURN(report.filed_by, ActorFrom("filed_by", row.Text(c++)));
  ANDING_ASSIGN_OR_RETURN(
      report.earlier, FromJson("earlier", row.Text(c++), [](const json::value& value) {
        return ListOf(value, [](const json::value& filing) {
          return FilingFrom<ledger::DailyReportFiling>(filing, DailyContentFrom);
        });
      }));
  return report;
}

Result<ledger::ScreeningReminder> ReminderFrom(const storage::Statement& row) {
  ledger::ScreeningReminder reminder;
  reminder.unit_id = row.Text(0);
  ANDING_ASSIGN_OR_RETURN(reminder.period, PeriodFrom("period", row.Text(1)));
  reminder.sent_at = FromUnixMicros(row.Int64(2));
  return reminder;
}

// Adds one ledger_meta row (key, value) to `meta`; DataLoss for an unknown
// key or a value that does not parse.
Status MetaFrom(const std::string& key, const std::string& value, ledger::LedgerMeta& meta) {
  constexpr std::string_view kCounter = "counter:";
  constexpr std::string_view kCheckedThrough = "checked_through:";
  if (key.rfind(kCounter, 0) == 0) {
    uint32_t counter = 0;
    const char* end = value.data() + value.size();
    const auto [at, error] = std::from_chars(value.data(), end, counter);
    if (error != std::errc() || at != end) return Malformed("value: not a counter");
    meta.counters[key.substr(kCounter.size())] = counter;
  } else if (key == "tracking_since") {
    ANDING_ASSIGN_OR_RETURN(meta.tracking_since, DayFrom("value", value));
  } else if (key.rfind(kCheckedThrough, 0) == 0) {
    ANDING_ASSIGN_OR_RETURN(const ledger::PeriodKind kind,
                            Named("key", ledger::ParsePeriodKind,
                                  std::string_view(key).substr(kCheckedThrough.size())));
    ANDING_ASSIGN_OR_RETURN(meta.screening_checked_through[kind], PeriodFrom("value", value));
  } else if (key == "last_daily_summary_run") {
    ANDING_ASSIGN_OR_RETURN(meta.last_daily_summary_run, DayFrom("value", value));
  } else {
    return Malformed("key: unknown");
  }
  return OkStatus();
}

}  // namespace

std::vector<storage::Migration> LedgerMigrations() {
  return {
      storage::Migration{1, "ledger items, warnings, screening and daily reports", kSchemaV1},
      storage::Migration{2, "ledger item logs as rows of their own", kSchemaV2},
      storage::Migration{3, "ledger items from an incident's aftermath", kSchemaV3},
      storage::Migration{4, "indexes of the open, recent and registered items and warnings",
                         kSchemaV4},
      storage::Migration{5, "an index of the daily reports by day", kSchemaV5},
      storage::Migration{6, "indexes of the screening reports and reminders by period", kSchemaV6}};
}

namespace {

Status SaveEarlyWarning(storage::Database& db, const ledger::WarningRecord& warning) {
  static const std::string upsert_sql = UpsertSql("ledger_warnings", kWarningColumns, 1);
  ANDING_ASSIGN_OR_RETURN(storage::Statement * upsert, db.Cached(upsert_sql));
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

Status SaveScreeningReport(storage::Database& db, const ledger::ScreeningRecord& record) {
  static const std::string upsert_sql = UpsertSql("ledger_screening_reports", kScreeningColumns, 2);
  ANDING_ASSIGN_OR_RETURN(storage::Statement * upsert, db.Cached(upsert_sql));
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

Status SaveScreeningReminder(storage::Database& db, const ledger::ScreeningReminder& reminder) {
  static const std::string upsert_sql =
      UpsertSql("ledger_screening_reminders", kReminderColumns, 2);
  ANDING_ASSIGN_OR_RETURN(storage::Statement * upsert, db.Cached(upsert_sql));
  upsert->Bind(1, reminder.unit_id)
      .Bind(2, ledger::FormatPeriod(reminder.period))
      .Bind(3, ToUnixMicros(reminder.sent_at));
  return Annotate(upsert->Run(), StrCat("saving screening reminder ",
                                        ledger::ScreeningKey(reminder.unit_id, reminder.period)));
}

Status SaveDailyReport(storage::Database& db, const ledger::DailyReportRecord& report) {
  static const std::string upsert_sql = UpsertSql("ledger_daily_reports", kDailyColumns, 2);
  ANDING_ASSIGN_OR_RETURN(storage::Statement * upsert, db.Cached(upsert_sql));
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

Status SaveLedgerMeta(storage::Database& db, const ledger::LedgerMeta& meta) {
  ANDING_RETURN_IF_ERROR(db.Exec("DELETE FROM ledger_meta"));
  ANDING_ASSIGN_OR_RETURN(storage::Statement * insert,
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

}  // namespace

Status SaveLedgerChanges(storage::Database& db, const ledger::LedgerChangeSet& changes) {
  for (const auto& item : changes.items) ANDING_RETURN_IF_ERROR(SaveLedgerItem(db, item));
  for (const auto& warning : changes.warnings) {
    ANDING_RETURN_IF_ERROR(SaveEarlyWarning(db, warning));
  }
  for (const auto& record : changes.screenings) {
    ANDING_RETURN_IF_ERROR(SaveScreeningReport(db, record));
  }
  for (const auto& reminder : changes.reminders) {
    ANDING_RETURN_IF_ERROR(SaveScreeningReminder(db, reminder));
  }
  for (const auto& report : changes.daily_reports) {
    ANDING_RETURN_IF_ERROR(SaveDailyReport(db, report));
  }
  if (changes.meta) ANDING_RETURN_IF_ERROR(SaveLedgerMeta(db, *changes.meta));
  return OkStatus();
}

namespace {

// SELECT of the daily reports' columns, to which a WHERE is added.
std::string DailySelect() { return sql::SelectSql("ledger_daily_reports", kDailyColumns); }
// The same of the screening reports and reminders.
std::string ScreeningSelect() {
  return sql::SelectSql("ledger_screening_reports", kScreeningColumns);
}
std::string ReminderSelect() {
  return sql::SelectSql("ledger_screening_reminders", kReminderColumns);
}

Status LoadLedgerMeta(storage::Database& db, ledger::LedgerMeta& meta) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement rows,
                          db.Prepare("SELECT key, value FROM ledger_meta"));
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, rows.Step());
    if (!row) return OkStatus();
    const std::string key = rows.Text(0);
    const Status added = MetaFrom(key, rows.Text(1), meta);
    if (!added.ok()) return sql::InRow("ledger_meta", key, added);
  }
}

// The screening reports and reminders of the periods `meta` has not
// checked yet (every one before tracking starts). Period texts of one kind
// sort as the periods do, so one range from the least first unchecked
// period's text reads them, with at most a year's of other kinds (a
// year's quarters sort after its months), which are left out here.
Status LoadUncheckedScreenings(storage::Database& db, ledger::LedgerSnapshot& snapshot) {
  using sql::LoadRows;
  const auto unchecked = [&](ledger::PeriodKind kind) {
    return ledger::FirstUncheckedPeriod(snapshot.meta, kind);
  };
  std::optional<std::string> from;
  for (ledger::PeriodKind kind : ledger::kAllPeriodKinds) {
    std::string text = unchecked(kind) ? ledger::FormatPeriod(*unchecked(kind)) : "";
    if (!from || text < *from) from = std::move(text);
  }
  const auto bind = [&](storage::Statement& s) { s.Bind(1, *from); };
  const std::string where = " WHERE period >= ? ORDER BY period, unit_id";
  ANDING_RETURN_IF_ERROR(LoadRows(db, StrCat(ScreeningSelect(), where), "ledger_screening_reports",
                                  2, ScreeningFrom, snapshot.screenings, bind));
  ANDING_RETURN_IF_ERROR(LoadRows(db, StrCat(ReminderSelect(), where), "ledger_screening_reminders",
                                  2, ReminderFrom, snapshot.screening_reminders, bind));
  const auto checked = [&](const auto& record) {
    const std::optional<ledger::Period> first = unchecked(record.period.kind);
    return first && record.period < *first;
  };
  std::erase_if(snapshot.screenings, checked);
  std::erase_if(snapshot.screening_reminders, checked);
  return OkStatus();
}

// The counters, and every screening report, reminder and daily report;
// with `recent_since`, only the daily reports of that day and later and
// the screening reports and reminders of the periods not yet checked.
Result<ledger::LedgerSnapshot> LoadLedgerRecords(storage::Database& db,
                                                 std::optional<CivilDay> recent_since) {
  using sql::LoadRows;
  using sql::SelectSql;
  ledger::LedgerSnapshot snapshot;
  ANDING_RETURN_IF_ERROR(LoadLedgerMeta(db, snapshot.meta));
  if (recent_since) {
    ANDING_RETURN_IF_ERROR(LoadUncheckedScreenings(db, snapshot));
    ANDING_RETURN_IF_ERROR(
        LoadRows(db, StrCat(DailySelect(), " WHERE day >= ? ORDER BY day, unit_id"),
                 "ledger_daily_reports", 2, DailyFrom, snapshot.daily_reports,
                 [&](storage::Statement& s) { s.Bind(1, FormatDay(*recent_since)); }));
    return snapshot;
  }
  ANDING_RETURN_IF_ERROR(
      LoadRows(db, SelectSql("ledger_screening_reports", kScreeningColumns, "unit_id, period"),
               "ledger_screening_reports", 2, ScreeningFrom, snapshot.screenings));
  ANDING_RETURN_IF_ERROR(
      LoadRows(db, SelectSql("ledger_screening_reminders", kReminderColumns, "unit_id, period"),
               "ledger_screening_reminders", 2, ReminderFrom, snapshot.screening_reminders));
  ANDING_RETURN_IF_ERROR(LoadRows(db,
                                  SelectSql("ledger_daily_reports", kDailyColumns, "unit_id, day"),
                                  "ledger_daily_reports", 2, DailyFrom, snapshot.daily_reports));
  return snapshot;
}

}  // namespace

Result<ledger::LedgerSnapshot> LoadLedger(storage::Database& db) {
  ANDING_ASSIGN_OR_RETURN(ledger::LedgerSnapshot snapshot, LoadLedgerRecords(db, std::nullopt));
  ANDING_RETURN_IF_ERROR(LoadLedgerItems(db, snapshot.items));
  ANDING_RETURN_IF_ERROR(sql::LoadRows(db, sql::SelectSql("ledger_warnings", kWarningColumns, "id"),
                                       "ledger_warnings", 1, WarningFrom, snapshot.warnings));
  return snapshot;
}

namespace {

// Positional parameters of a statement built from conditions.
class Params {
 public:
  std::string Add(std::variant<int64_t, std::string> value) {
    values_.push_back(std::move(value));
    return StrCat("?", values_.size());
  }
  void BindTo(storage::Statement& statement) const {
    for (size_t i = 0; i < values_.size(); ++i) {
      std::visit([&](const auto& value) { statement.Bind(static_cast<int>(i + 1), value); },
                 values_[i]);
    }
  }

 private:
  std::vector<std::variant<int64_t, std::string>> values_;
};

Status LoadItemsWhere(storage::Database& db, const std::vector<std::string>& conditions,
                      const Params& params, std::vector<ledger::LedgerItem>& items) {
  std::string where = conditions.empty() ? "1" : conditions.front();
  for (size_t i = 1; i < conditions.size(); ++i) StrAppend(where, " AND ", conditions[i]);
  return LoadLedgerItemsWhere(
      db, where, [&params](storage::Statement& s) { params.BindTo(s); }, items);
}

}  // namespace

Result<std::vector<ledger::LedgerItem>> LoadLedgerItems(storage::Database& db,
                                                        const LedgerItemQuery& query) {
  Params params;
  std::vector<std::string> conditions;
  if (!query.unit_id.empty()) conditions.push_back(StrCat("unit_id = ", params.Add(query.unit_id)));
  if (!query.category_id.empty()) {
    conditions.push_back(StrCat("category_id = ", params.Add(query.category_id)));
  }
  if (query.registered_from) {
    conditions.push_back(
        StrCat("registered_at_us >= ", params.Add(ToUnixMicros(*query.registered_from))));
  }
  if (query.registered_before) {
    conditions.push_back(
        StrCat("registered_at_us < ", params.Add(ToUnixMicros(*query.registered_before))));
  }
  std::vector<ledger::LedgerItem> items;
  if (!query.open_since && !query.not_closed_out) {
    ANDING_RETURN_IF_ERROR(LoadItemsWhere(db, conditions, params, items));
    return items;
  }
  // Two index ranges rather than one OR: the open items through their
  // partial index, the closed-out ones by their close-out time.
  std::vector<std::string> open = conditions;
  open.push_back("state <> 'closed_out'");
  ANDING_RETURN_IF_ERROR(LoadItemsWhere(db, open, params, items));
  if (query.open_since) {
    Params closed_params = params;
    std::vector<std::string> closed = conditions;
    closed.push_back("state = 'closed_out'");
    closed.push_back(
        StrCat("closed_out_at_us >= ", closed_params.Add(ToUnixMicros(*query.open_since))));
    ANDING_RETURN_IF_ERROR(LoadItemsWhere(db, closed, closed_params, items));
    std::sort(items.begin(), items.end(),
              [](const ledger::LedgerItem& a, const ledger::LedgerItem& b) { return a.id < b.id; });
  }
  return items;
}

Result<std::optional<ledger::LedgerItem>> FindLedgerItem(storage::Database& db,
                                                         const std::string& id) {
  std::vector<ledger::LedgerItem> items;
  ANDING_RETURN_IF_ERROR(LoadLedgerItemsWhere(
      db, "id = ?1", [&id](storage::Statement& s) { s.Bind(1, id); }, items));
  if (items.empty()) return std::optional<ledger::LedgerItem>();
  return std::optional<ledger::LedgerItem>(std::move(items.front()));
}

namespace {

// The warnings received at or after `from` and, if given, before `before`.
Status LoadWarningsSince(storage::Database& db, Time from, std::optional<Time> before,
                         std::vector<ledger::WarningRecord>& warnings) {
  std::string select = sql::SelectSql("ledger_warnings", kWarningColumns, "id");
  select.resize(select.rfind(" ORDER BY "));
  StrAppend(select, " WHERE received_at_us >= ?1");
  if (before) StrAppend(select, " AND received_at_us < ?2");
  ANDING_ASSIGN_OR_RETURN(storage::Statement statement, db.Prepare(select));
  statement.Bind(1, ToUnixMicros(from));
  if (before) statement.Bind(2, ToUnixMicros(*before));
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, statement.Step());
    if (!row) break;
    Result<ledger::WarningRecord> warning = WarningFrom(statement);
    if (!warning.ok()) {
      return sql::InRow("ledger_warnings", sql::RowId(statement, 1), warning.status());
    }
    warnings.push_back(std::move(warning).value());
  }
  std::sort(
      warnings.begin(), warnings.end(),
      [](const ledger::WarningRecord& a, const ledger::WarningRecord& b) { return a.id < b.id; });
  return OkStatus();
}

}  // namespace

Result<std::vector<ledger::WarningRecord>> LoadLedgerWarnings(storage::Database& db, Time from,
                                                              Time before) {
  std::vector<ledger::WarningRecord> warnings;
  ANDING_RETURN_IF_ERROR(LoadWarningsSince(db, from, before, warnings));
  return warnings;
}

Result<ledger::LedgerSnapshot> LoadOpenLedger(storage::Database& db, Time since,
                                              std::optional<CivilDay> recent_since) {
  ANDING_ASSIGN_OR_RETURN(ledger::LedgerSnapshot snapshot, LoadLedgerRecords(db, recent_since));
  LedgerItemQuery held;
  held.open_since = since;
  ANDING_ASSIGN_OR_RETURN(snapshot.items, LoadLedgerItems(db, held));
  ANDING_RETURN_IF_ERROR(LoadWarningsSince(db, since, std::nullopt, snapshot.warnings));
  return snapshot;
}

Result<std::optional<ledger::DailyReportRecord>> FindDailyReport(storage::Database& db,
                                                                 std::string_view unit_id,
                                                                 CivilDay day) {
  std::vector<ledger::DailyReportRecord> found;
  ANDING_RETURN_IF_ERROR(
      sql::LoadRows(db, StrCat(DailySelect(), " WHERE unit_id = ? AND day = ?"),
                    "ledger_daily_reports", 2, DailyFrom, found,
                    [&](storage::Statement& s) { s.Bind(1, unit_id).Bind(2, FormatDay(day)); }));
  if (found.empty()) return std::optional<ledger::DailyReportRecord>();
  return std::optional<ledger::DailyReportRecord>(std::move(found.front()));
}

Result<std::vector<ledger::DailyReportRecord>> LoadDailyReportsOn(storage::Database& db,
                                                                  CivilDay day) {
  std::vector<ledger::DailyReportRecord> reports;
  ANDING_RETURN_IF_ERROR(sql::LoadRows(
      db, StrCat(DailySelect(), " WHERE day = ? ORDER BY day, unit_id"), "ledger_daily_reports", 2,
      DailyFrom, reports, [&](storage::Statement& s) { s.Bind(1, FormatDay(day)); }));
  return reports;
}

Result<std::optional<ledger::ScreeningRecord>> FindScreeningReport(storage::Database& db,
                                                                   std::string_view unit_id,
                                                                   const ledger::Period& period) {
  std::vector<ledger::ScreeningRecord> found;
  ANDING_RETURN_IF_ERROR(sql::LoadRows(
      db, StrCat(ScreeningSelect(), " WHERE unit_id = ? AND period = ?"),
      "ledger_screening_reports", 2, ScreeningFrom, found,
      [&](storage::Statement& s) { s.Bind(1, unit_id).Bind(2, ledger::FormatPeriod(period)); }));
  if (found.empty()) return std::optional<ledger::ScreeningRecord>();
  return std::optional<ledger::ScreeningRecord>(std::move(found.front()));
}

Result<ledger::LedgerSnapshot> LoadScreeningsOf(storage::Database& db,
                                                const ledger::Period& period) {
  ledger::LedgerSnapshot snapshot;
  const auto bind = [&](storage::Statement& s) { s.Bind(1, ledger::FormatPeriod(period)); };
  const std::string where = " WHERE period = ? ORDER BY period, unit_id";
  ANDING_RETURN_IF_ERROR(sql::LoadRows(db, StrCat(ScreeningSelect(), where),
                                       "ledger_screening_reports", 2, ScreeningFrom,
                                       snapshot.screenings, bind));
  ANDING_RETURN_IF_ERROR(sql::LoadRows(db, StrCat(ReminderSelect(), where),
                                       "ledger_screening_reminders", 2, ReminderFrom,
                                       snapshot.screening_reminders, bind));
  return snapshot;
}

}  // namespace anding::store

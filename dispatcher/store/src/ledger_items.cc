#include "ledger_items.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>

#include "codec.h"
#include "sql.h"

namespace anding::store {
namespace {

using namespace codec;  // NOLINT: this file's vocabulary
namespace ledger = core::ledger;

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

json::array ChangesJson(const std::vector<ledger::FieldChange>& changes) {
  json::array array;
  for (const ledger::FieldChange& change : changes) {
    array.emplace_back(
        json::object{{"field", change.field}, {"before", change.before}, {"after", change.after}});
  }
  return array;
}

Result<ledger::FieldChange> FieldChangeFrom(const json::value& value) {
  ANDING_ASSIGN_OR_RETURN(const json::object* object, ObjectOf(value));
  ledger::FieldChange change;
  ANDING_ASSIGN_OR_RETURN(change.field, StringAt(*object, "field"));
  ANDING_ASSIGN_OR_RETURN(change.before, StringAt(*object, "before"));
  ANDING_ASSIGN_OR_RETURN(change.after, StringAt(*object, "after"));
  return change;
}

Result<ledger::LedgerItem> ItemFrom(const storage::Statement& row) {
  ledger::LedgerItem item;
  int c = 0;
  item.id = row.Text(c++);
  item.unit_id = row.Text(c++);
  item.category_id = row.Text(c++);
  ANDING_ASSIGN_OR_RETURN(item.state, Named("state", ledger::ParseItemState, row.Text(c++)));
  ANDING_ASSIGN_OR_RETURN(item.level, RiskLevelFrom("level", row.Text(c++)));
  item.description = row.Text(c++);
  item.persons = static_cast<uint32_t>(row.Int64(c++));
  ANDING_ASSIGN_OR_RETURN(item.key_persons, FromJson("key_persons", row.Text(c++), StringsOf));
  ANDING_ASSIGN_OR_RETURN(item.responsible_leader,
                          FromJson("responsible_leader", row.Text(c++), PersonFrom));
  ANDING_ASSIGN_OR_RETURN(item.responsible_person,
                          FromJson("responsible_person", row.Text(c++), PersonFrom));
  item.lead_department = row.Text(c++);
  item.measures = row.Text(c++);
  item.deadline = FromUnixMicros(row.Int64(c++));
  item.resolution = row.Text(c++);
  item.confirmed_by_leader = row.Text(c++);
  item.confirmed_at = OptionalTimeColumn(row, c++);
  ANDING_ASSIGN_OR_RETURN(item.source, Named("source", ledger::ParseItemSource, row.Text(c++)));
  item.source_ref = row.Text(c++);
  item.registered_at = FromUnixMicros(row.Int64(c++));
  ANDING_ASSIGN_OR_RETURN(item.registered_by, ActorFrom("registered_by", row.Text(c++)));
  item.updated_at = FromUnixMicros(row.Int64(c++));
  item.last_activity_at = FromUnixMicros(row.Int64(c++));
  item.resolved_at = OptionalTimeColumn(row, c++);
  item.closed_out_at = OptionalTimeColumn(row, c++);
  item.reopened_at = OptionalTimeColumn(row, c++);
  item.reopen_count = static_cast<uint32_t>(row.Int64(c++));
  if (!row.IsNull(c)) {
    ANDING_ASSIGN_OR_RETURN(item.overdue_notified_day,
                            DayFrom("overdue_notified_day", row.Text(c)));
  }
  return item;
}

// Log rows: (item_id, seq, ...) in the columns of the SELECTs in LoadItemLogs.
Result<ledger::HistoryEntry> HistoryFrom(const storage::Statement& row) {
  ledger::HistoryEntry entry;
  int c = 2;
  entry.at = FromUnixMicros(row.Int64(c++));
  ANDING_ASSIGN_OR_RETURN(entry.actor, ActorFrom("actor", row.Text(c++)));
  entry.action = row.Text(c++);
  ANDING_ASSIGN_OR_RETURN(entry.changes,
                          FromJson("changes", row.Text(c++), [](const json::value& value) {
                            return ListOf(value, FieldChangeFrom);
                          }));
  entry.note = row.Text(c++);
  entry.person = row.Text(c++);
  return entry;
}

Result<ledger::ProgressUpdate> UpdateFrom(const storage::Statement& row) {
  ledger::ProgressUpdate update;
  update.at = FromUnixMicros(row.Int64(2));
  ANDING_ASSIGN_OR_RETURN(update.actor, ActorFrom("actor", row.Text(3)));
  update.written_by = row.Text(4);
  update.text = row.Text(5);
  return update;
}

Result<std::string> WarningIdFrom(const storage::Statement& row) { return row.Text(2); }

// Appends the rows of `table` (item_id, seq, ...; `columns` after those
// two) to the log `log_of` picks of each item, in order. DataLoss for a row
// of no item, an entry out of sequence, or a row that does not decode
// (named "<item id>/<seq>").
template <typename T, typename Decode>
Status LoadItemLog(storage::Database& db, std::vector<ledger::LedgerItem>& items,
                   const std::unordered_map<std::string, size_t>& index, std::string_view table,
                   std::string_view columns, std::vector<T>& (*log_of)(ledger::LedgerItem&),
                   Decode decode) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement select,
                          db.Prepare(StrCat("SELECT item_id, seq, ", columns, " FROM ", table,
                                            " ORDER BY item_id, seq")));
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, select.Step());
    if (!row) return OkStatus();
    const std::string item_id = select.Text(0);
    const auto item = index.find(item_id);
    if (item == index.end()) {
      return DataLossError(StrCat(table, ": a row of no ledger item ", item_id));
    }
    std::vector<T>& log = log_of(items[item->second]);
    if (select.Int64(1) != static_cast<int64_t>(log.size())) {
      return DataLossError(StrCat(table, " of ", item_id, ": entry ", log.size(), " is missing"));
    }
    Result<T> entry = decode(select);
    if (!entry.ok()) return sql::InRow(table, sql::RowId(select, 2), entry.status());
    log.push_back(std::move(entry).value());
  }
}

Status LoadItemLogs(storage::Database& db, std::vector<ledger::LedgerItem>& items) {
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < items.size(); ++i) index.emplace(items[i].id, i);
  ANDING_RETURN_IF_ERROR(LoadItemLog(
      db, items, index, "ledger_item_history", "at_us, actor, action, changes, note, person",
      +[](ledger::LedgerItem & item) -> auto& { return item.history; }, HistoryFrom));
  ANDING_RETURN_IF_ERROR(LoadItemLog(
      db, items, index, "ledger_item_updates", "at_us, actor, written_by, text",
      +[](ledger::LedgerItem & item) -> auto& { return item.updates; }, UpdateFrom));
  return LoadItemLog(
      db, items, index, "ledger_item_warnings", "warning_id",
      +[](ledger::LedgerItem & item) -> auto& { return item.warning_ids; }, WarningIdFrom);
}

// Appends `item_id`'s rows of `table` (item_id, seq, ...; `columns` after
// those two) to `log`, by the log's primary key. DataLoss for an entry out
// of sequence or a row that does not decode.
template <typename T, typename Decode>
Status LoadLogOf(storage::Database& db, const std::string& item_id, std::string_view table,
                 std::string_view columns, std::vector<T>& log, Decode decode) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement * select,
                          db.Cached(StrCat("SELECT item_id, seq, ", columns, " FROM ", table,
                                           " WHERE item_id = ?1 ORDER BY seq")));
  select->Reset();
  select->Bind(1, item_id);
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, select->Step());
    if (!row) return OkStatus();
    if (select->Int64(1) != static_cast<int64_t>(log.size())) {
      return DataLossError(StrCat(table, " of ", item_id, ": entry ", log.size(), " is missing"));
    }
    Result<T> entry = decode(*select);
    if (!entry.ok()) return sql::InRow(table, sql::RowId(*select, 2), entry.status());
    log.push_back(std::move(entry).value());
  }
}

Status LoadLogsOf(storage::Database& db, ledger::LedgerItem& item) {
  ANDING_RETURN_IF_ERROR(LoadLogOf(db, item.id, "ledger_item_history",
                                   "at_us, actor, action, changes, note, person", item.history,
                                   HistoryFrom));
  ANDING_RETURN_IF_ERROR(LoadLogOf(db, item.id, "ledger_item_updates",
                                   "at_us, actor, written_by, text", item.updates, UpdateFrom));
  return LoadLogOf(db, item.id, "ledger_item_warnings", "warning_id", item.warning_ids,
                   WarningIdFrom);
}

// Inserts `log[i]` as entry `from + i` of `item_id`'s log with `insert`,
// whose parameters 1 and 2 are the item id and the index; `bind` binds the
// rest of an entry from parameter 3 on.
template <typename T, typename BindRest>
Status AppendLog(storage::Statement& insert, const std::string& item_id, size_t from,
                 const std::vector<T>& log, BindRest bind) {
  for (size_t i = 0; i < log.size(); ++i) {
    insert.Reset();
    insert.Bind(1, item_id).Bind(2, static_cast<int64_t>(from + i));
    bind(insert, log[i]);
    ANDING_RETURN_IF_ERROR(insert.Run());
  }
  return OkStatus();
}

Status SaveItemLogs(storage::Database& db, const ledger::LedgerItemChange& change) {
  const ledger::LedgerItem& item = change.item;
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * history,
      db.Cached("INSERT INTO ledger_item_history (item_id, seq, at_us, actor, action, changes, "
                "note, person) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  ANDING_RETURN_IF_ERROR(AppendLog(*history, item.id, change.from.history, item.history,
                                   [](storage::Statement& s, const ledger::HistoryEntry& entry) {
                                     s.Bind(3, ToUnixMicros(entry.at))
                                         .Bind(4, entry.actor.ToString())
                                         .Bind(5, entry.action)
                                         .Bind(6, Serialize(ChangesJson(entry.changes)))
                                         .Bind(7, entry.note)
                                         .Bind(8, entry.person);
                                   }));
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * updates,
      db.Cached("INSERT INTO ledger_item_updates (item_id, seq, at_us, actor, written_by, text) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  ANDING_RETURN_IF_ERROR(AppendLog(*updates, item.id, change.from.updates, item.updates,
                                   [](storage::Statement& s, const ledger::ProgressUpdate& update) {
                                     s.Bind(3, ToUnixMicros(update.at))
                                         .Bind(4, update.actor.ToString())
                                         .Bind(5, update.written_by)
                                         .Bind(6, update.text);
                                   }));
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * warnings,
      db.Cached("INSERT INTO ledger_item_warnings (item_id, seq, warning_id) VALUES (?1, ?2, ?3)"));
  return AppendLog(*warnings, item.id, change.from.warnings, item.warning_ids,
                   [](storage::Statement& s, const std::string& id) { s.Bind(3, id); });
}

}  // namespace

Status SaveLedgerItem(storage::Database& db, const ledger::LedgerItemChange& change) {
  static const std::string upsert_sql = sql::UpsertSql("ledger_items", kItemColumns, 1);
  ANDING_ASSIGN_OR_RETURN(storage::Statement * upsert, db.Cached(upsert_sql));
  const ledger::LedgerItem& item = change.item;
  sql::Binder bind(*upsert);
  bind(item.id)(item.unit_id)(item.category_id)(ledger::ItemStateName(item.state))(
      ledger::RiskLevelName(item.level))(item.description)(int64_t{item.persons})(
      Serialize(StringsJson(item.key_persons)))(Serialize(PersonJson(item.responsible_leader)))(
      Serialize(PersonJson(item.responsible_person)))(item.lead_department)(item.measures)(
      ToUnixMicros(item.deadline))(item.resolution)(item.confirmed_by_leader)(
      OptionalMicros(item.confirmed_at))(ledger::ItemSourceName(item.source))(item.source_ref)(
      ToUnixMicros(item.registered_at))(item.registered_by.ToString())(
      ToUnixMicros(item.updated_at))(ToUnixMicros(item.last_activity_at))(
      OptionalMicros(item.resolved_at))(OptionalMicros(item.closed_out_at))(
      OptionalMicros(item.reopened_at))(int64_t{item.reopen_count})
      .Day(item.overdue_notified_day);
  ANDING_RETURN_IF_ERROR(Annotate(upsert->Run(), StrCat("saving ledger item ", item.id)));
  return Annotate(SaveItemLogs(db, change), StrCat("saving the logs of ledger item ", item.id));
}

std::string LedgerItemsSelect(const std::string& where) {
  // No ORDER BY: the rows come in the order of the index that finds them,
  // and are sorted by id in memory (a sort in SQL would be a temporary
  // b-tree over the matches).
  std::string select = sql::SelectSql("ledger_items", kItemColumns, "id");
  select.resize(select.rfind(" ORDER BY "));
  return StrCat(select, " WHERE ", where);
}

Status LoadLedgerItemsWhere(storage::Database& db, const std::string& where,
                            const std::function<void(storage::Statement&)>& bind,
                            std::vector<ledger::LedgerItem>& items) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement select, db.Prepare(LedgerItemsSelect(where)));
  if (bind) bind(select);
  const size_t first = items.size();
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, select.Step());
    if (!row) break;
    Result<ledger::LedgerItem> item = ItemFrom(select);
    if (!item.ok()) return sql::InRow("ledger_items", sql::RowId(select, 1), item.status());
    items.push_back(std::move(item).value());
  }
  for (size_t i = first; i < items.size(); ++i) ANDING_RETURN_IF_ERROR(LoadLogsOf(db, items[i]));
  std::sort(items.begin() + static_cast<std::ptrdiff_t>(first), items.end(),
            [](const ledger::LedgerItem& a, const ledger::LedgerItem& b) { return a.id < b.id; });
  return OkStatus();
}

Status LoadLedgerItems(storage::Database& db, std::vector<ledger::LedgerItem>& items) {
  ANDING_RETURN_IF_ERROR(sql::LoadRows(db, sql::SelectSql("ledger_items", kItemColumns, "id"),
                                       "ledger_items", 1, ItemFrom, items));
  return LoadItemLogs(db, items);
}

}  // namespace anding::store

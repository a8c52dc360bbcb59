#include "ledger_items.h"

#include <string>
#include <unordered_map>
#include <utility>

#include "ledger_codec.h"

namespace anding::store {
namespace {

using namespace ledger_codec;  // NOLINT: this file's vocabulary
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

ledger::LedgerItem ItemFrom(const storage::Statement& row) {
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
ledger::HistoryEntry HistoryFrom(const storage::Statement& row) {
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

ledger::ProgressUpdate UpdateFrom(const storage::Statement& row) {
  return ledger::ProgressUpdate{FromUnixMicros(row.Int64(2)), ActorFrom(row.Text(3)), row.Text(4),
                                row.Text(5)};
}

std::string WarningIdFrom(const storage::Statement& row) { return row.Text(2); }

// Appends the rows of `table` (item_id, seq, ...; `columns` after those
// two) to the log `log_of` picks of each item, in order. DataLoss for a row
// of no item or an entry out of sequence.
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

Status LoadItemLogs(storage::Database& db, std::vector<ledger::LedgerItem>& items) {
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

Status SaveItemLogs(storage::Database& db, const LedgerItemChange& change) {
  const ledger::LedgerItem& item = change.item;
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * history,
      db.Cached("INSERT INTO ledger_item_history (item_id, seq, at_us, actor, action, changes, "
                "note, person) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  ANDING_RETURN_IF_ERROR(AppendLog(
      *history, item.id, change.from.history, item.history,
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

// The entries of `log` from index `from` on.
template <typename T>
std::vector<T> Tail(const std::vector<T>& log, size_t from) {
  return std::vector<T>(log.begin() + static_cast<std::ptrdiff_t>(from), log.end());
}

}  // namespace

Status SaveLedgerItem(storage::Database& db, const LedgerItemChange& change) {
  static const std::string sql = UpsertSql("ledger_items", kItemColumns, 1);
  ANDING_ASSIGN_OR_RETURN(storage::Statement * upsert, db.Cached(sql));
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

Result<LedgerItemChange> CollectItemChange(const ledger::LedgerItem& item, LedgerLogMarks& marks) {
  ANDING_ASSIGN_OR_RETURN(const LedgerLogMarks::Counts from, marks.Advance(item));
  LedgerItemChange change{ledger::FieldsOf(item), from};
  change.item.history = Tail(item.history, from.history);
  change.item.updates = Tail(item.updates, from.updates);
  change.item.warning_ids = Tail(item.warning_ids, from.warnings);
  return change;
}

Status LoadLedgerItems(storage::Database& db, std::vector<ledger::LedgerItem>& items) {
  ANDING_RETURN_IF_ERROR(LoadRows(db, SelectSql("ledger_items", kItemColumns, "id"),
                                  "ledger_items", ItemFrom, items));
  return LoadItemLogs(db, items);
}

}  // namespace anding::store

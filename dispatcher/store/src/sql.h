// SQL text and row handling shared by the repositories (internal to
// anding_store): upsert and select statements built from column lists,
// binding parameters in order, and loading every row of a select through a
// decoder that returns DataLoss naming the table and the row.
// Thread-safety: stateless functions; a Binder as its statement.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/strings.h"
#include "anding/common/time.h"
#include "anding/storage/database.h"

namespace anding::store::sql {

// "INSERT INTO t (a, b, c) VALUES (?1, ?2, ?3) ON CONFLICT (a) DO UPDATE SET
// b = excluded.b, c = excluded.c" for the first `key_columns` as the key.
[[nodiscard]] std::string UpsertSql(std::string_view table,
                                    const std::vector<std::string_view>& columns,
                                    size_t key_columns);
// "SELECT a, b, c FROM t ORDER BY `order`".
[[nodiscard]] std::string SelectSql(std::string_view table,
                                    const std::vector<std::string_view>& columns,
                                    std::string_view order);
// The same without an order, for a WHERE to follow.
[[nodiscard]] std::string SelectSql(std::string_view table,
                                    const std::vector<std::string_view>& columns);

// The id of `row` for messages: its first `key_columns` columns as text,
// joined with '/' (as the core writes keys: "mine-1/2026-03-T1").
[[nodiscard]] std::string RowId(const storage::Statement& row, int key_columns);

// `status` (DataLoss from a decoder) with "<table> row '<row_id>'" in front.
[[nodiscard]] Status InRow(std::string_view table, std::string_view row_id, const Status& status);

// Runs `select` and appends every row decoded with `decode` (Result<T> from
// a const storage::Statement&) to `out`. A row that does not decode stops
// the load with its error, named by table and row (RowId of the first
// `key_columns` columns); storage errors pass through.
// With `bind`, the statement's parameters are first bound by
// bind(storage::Statement&).
template <typename T, typename Decode, typename Bind>
[[nodiscard]] Status LoadRows(storage::Database& db, const std::string& select,
                              std::string_view table, int key_columns, Decode decode,
                              std::vector<T>& out, Bind bind) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement statement, db.Prepare(select));
  bind(statement);
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, statement.Step());
    if (!row) return OkStatus();
    Result<T> decoded = decode(statement);
    if (!decoded.ok()) return InRow(table, RowId(statement, key_columns), decoded.status());
    out.push_back(std::move(decoded).value());
  }
}
template <typename T, typename Decode>
[[nodiscard]] Status LoadRows(storage::Database& db, const std::string& select,
                              std::string_view table, int key_columns, Decode decode,
                              std::vector<T>& out) {
  return LoadRows(db, select, table, key_columns, decode, out, [](storage::Statement&) {});
}

// Binds parameters 1, 2, 3, ... in call order.
class Binder {
 public:
  explicit Binder(storage::Statement& statement) : statement_(statement) {}
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
  storage::Statement& statement_;
  int next_ = 1;
};

}  // namespace anding::store::sql

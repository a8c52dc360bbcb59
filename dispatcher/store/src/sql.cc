#include "sql.h"

namespace anding::store::sql {

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

std::string SelectSql(std::string_view table, const std::vector<std::string_view>& columns) {
  std::string names;
  for (std::string_view column : columns) {
    if (!names.empty()) names += ", ";
    names += column;
  }
  return StrCat("SELECT ", names, " FROM ", table);
}

std::string SelectSql(std::string_view table, const std::vector<std::string_view>& columns,
                      std::string_view order) {
  return StrCat(SelectSql(table, columns), " ORDER BY ", order);
}

std::string RowId(const storage::Statement& row, int key_columns) {
  std::string id;
  for (int column = 0; column < key_columns; ++column) {
    if (column > 0) id += '/';
    id += row.Text(column);
  }
  return id;
}

Status InRow(std::string_view table, std::string_view row_id, const Status& status) {
  return Annotate(status, StrCat(table, " row '", row_id, "'"));
}

}  // namespace anding::store::sql

// The ledger repository's shared encoding (internal to anding_store): SQL
// text for upserts and selects, JSON for nested values, and decoding that
// throws DecodeError on malformed stored text (the loaders turn it into
// DataLoss naming the row).
// Thread-safety: stateless functions.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/strings.h"
#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/core/ledger/ledger_item.h"
#include "anding/storage/database.h"

namespace anding::store::ledger_codec {

namespace json = boost::json;

// "INSERT INTO t (a, b, c) VALUES (?1, ?2, ?3) ON CONFLICT (a) DO UPDATE SET
// b = excluded.b, c = excluded.c" for the first `key_columns` as the key.
[[nodiscard]] std::string UpsertSql(std::string_view table,
                                    const std::vector<std::string_view>& columns,
                                    size_t key_columns);
// "SELECT a, b, c FROM t ORDER BY `order`".
[[nodiscard]] std::string SelectSql(std::string_view table,
                                    const std::vector<std::string_view>& columns,
                                    std::string_view order);

// ---- encoding ----
[[nodiscard]] std::optional<int64_t> OptionalMicros(const std::optional<Time>& t);
[[nodiscard]] json::value TimeJson(Time t);
[[nodiscard]] json::object PersonJson(const core::Person& person);
[[nodiscard]] json::array StringsJson(const std::vector<std::string>& values);
[[nodiscard]] std::string Serialize(const json::value& value);

// ---- decoding (throws DecodeError) ----
struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
[[nodiscard]] json::value ParseJson(const std::string& text, std::string_view what);
[[nodiscard]] std::string StringField(const json::object& object, std::string_view key);
[[nodiscard]] Time TimeField(const json::object& object, std::string_view key);
[[nodiscard]] core::Actor ActorFrom(const std::string& text);
[[nodiscard]] core::Person PersonFrom(const json::value& value);
[[nodiscard]] std::vector<std::string> StringsFrom(const json::value& value);
[[nodiscard]] core::ledger::RiskLevel LevelFrom(std::string_view text);
[[nodiscard]] CivilDay DayFrom(const std::string& text);
[[nodiscard]] std::optional<Time> OptionalTime(const storage::Statement& row, int column);

// Runs `sql` and decodes every row with `decode`; DataLoss names the row.
template <typename T, typename Decode>
Status LoadRows(storage::Database& db, const std::string& sql, std::string_view table, Decode decode,
                std::vector<T>& out) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement select, db.Prepare(sql));
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

}  // namespace anding::store::ledger_codec

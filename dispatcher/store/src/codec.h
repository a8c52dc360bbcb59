// How the repositories write and read values that are not plain columns
// (internal to anding_store): JSON for nested values, and the vocabularies
// every domain stores — a person, an actor, a risk level, a day, a time —
// each coded here once.
//
// Decoders return DataLoss (never an exception) saying which field is wrong
// and why ("name: is not a string"); the row loaders (sql.h: LoadRows) put
// the table and the row id in front, so a malformed stored row reads
// "ledger_items row 'TZ-2026-0002': key_persons: malformed JSON: ...".
// Thread-safety: stateless functions.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/strings.h"
#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/core/ledger/vocabulary.h"
#include "anding/core/org.h"
#include "anding/storage/database.h"

namespace anding::store::codec {

namespace json = boost::json;

// The T of a Result<T>.
template <typename R>
struct ResultValue;
template <typename T>
struct ResultValue<Result<T>> {
  using type = T;
};
template <typename R>
using ResultValueOf = typename ResultValue<R>::type;

// ---- errors ----

// DataLoss with `problem` as the message.
[[nodiscard]] Status Malformed(std::string_view problem);
// `status` with `field` in front of its message ("field: ..."); OK stays OK.
[[nodiscard]] Status InField(std::string_view field, const Status& status);
template <typename T>
[[nodiscard]] Result<T> InField(std::string_view field, Result<T> result) {
  if (result.ok()) return result;
  return InField(field, result.status());
}

// The value `parse(text)` names (an enum's stored name), or DataLoss
// "<field>: unknown value '<text>'".
template <typename Parse>
[[nodiscard]] auto Named(std::string_view field, Parse parse, std::string_view text)
    -> Result<typename decltype(parse(text))::value_type> {
  auto parsed = parse(text);
  if (!parsed) return Malformed(StrCat(field, ": unknown value '", text, "'"));
  return *parsed;
}

// ---- the shared vocabularies ----

// A person as {"name", "phone", "title"}.
[[nodiscard]] json::object PersonJson(const core::Person& person);
[[nodiscard]] Result<core::Person> PersonFrom(const json::value& value);
// A list of people, as JSON text.
[[nodiscard]] std::string PersonsText(const std::vector<core::Person>& people);
[[nodiscard]] Result<std::vector<core::Person>> PersonsFrom(std::string_view field,
                                                            std::string_view text);

// Actors are stored as Actor::ToString (written by the callers); this reads them.
[[nodiscard]] Result<core::Actor> ActorFrom(std::string_view field, std::string_view text);

// Risk levels are stored as core::ledger::RiskLevelName; this reads them.
[[nodiscard]] Result<core::ledger::RiskLevel> RiskLevelFrom(std::string_view field,
                                                            std::string_view text);

// Days are stored as FormatDay ("2026-03-05"); this reads them.
[[nodiscard]] Result<CivilDay> DayFrom(std::string_view field, std::string_view text);

// Times are stored as integer UTC microseconds (ToUnixMicros).
[[nodiscard]] std::optional<int64_t> OptionalMicros(const std::optional<Time>& t);
[[nodiscard]] json::value TimeJson(Time t);
[[nodiscard]] json::value OptionalTimeJson(const std::optional<Time>& t);
// A nullable time column.
[[nodiscard]] std::optional<Time> OptionalTimeColumn(const storage::Statement& row, int column);

// ---- JSON ----

[[nodiscard]] std::string Serialize(const json::value& value);
[[nodiscard]] json::array StringsJson(const std::vector<std::string>& values);

// `text` parsed, or DataLoss "malformed JSON: ...".
[[nodiscard]] Result<json::value> ParseJson(std::string_view text);
[[nodiscard]] Result<const json::object*> ObjectOf(const json::value& value);
[[nodiscard]] Result<const json::array*> ArrayOf(const json::value& value);
[[nodiscard]] Result<std::vector<std::string>> StringsOf(const json::value& value);

// Members of an object; DataLoss "<key>: missing" or "<key>: is not a ...".
[[nodiscard]] Result<const json::value*> Member(const json::object& object, std::string_view key);
[[nodiscard]] Result<std::string> StringAt(const json::object& object, std::string_view key);
[[nodiscard]] Result<int64_t> IntAt(const json::object& object, std::string_view key);
[[nodiscard]] Result<uint32_t> Uint32At(const json::object& object, std::string_view key);
[[nodiscard]] Result<bool> BoolAt(const json::object& object, std::string_view key);
[[nodiscard]] Result<bool> IsNullAt(const json::object& object, std::string_view key);
[[nodiscard]] Result<Time> TimeAt(const json::object& object, std::string_view key);
// Null reads as nullopt.
[[nodiscard]] Result<std::optional<Time>> OptionalTimeAt(const json::object& object,
                                                         std::string_view key);
[[nodiscard]] Result<const json::object*> ObjectAt(const json::object& object,
                                                   std::string_view key);
[[nodiscard]] Result<const json::array*> ArrayAt(const json::object& object, std::string_view key);
[[nodiscard]] Result<std::vector<std::string>> StringsAt(const json::object& object,
                                                         std::string_view key);

// Every element of the array `value` decoded with `decode` (Result<T> from
// a const json::value&); DataLoss "entry <i>: ..." for the first that fails.
template <typename Decode>
[[nodiscard]] auto ListOf(const json::value& value, Decode decode)
    -> Result<std::vector<ResultValueOf<decltype(decode(value))>>> {
  using T = ResultValueOf<decltype(decode(value))>;
  ANDING_ASSIGN_OR_RETURN(const json::array* array, ArrayOf(value));
  std::vector<T> items;
  items.reserve(array->size());
  for (size_t i = 0; i < array->size(); ++i) {
    ANDING_ASSIGN_OR_RETURN(T item, InField(StrCat("entry ", i), decode((*array)[i])));
    items.push_back(std::move(item));
  }
  return items;
}

// The JSON text `text` (a column) parsed and decoded with `decode` (Result<T>
// from a const json::value&); errors say `field` first.
template <typename Decode>
[[nodiscard]] auto FromJson(std::string_view field, std::string_view text, Decode decode)
    -> decltype(decode(std::declval<const json::value&>())) {
  auto parsed = ParseJson(text);
  if (!parsed.ok()) return InField(field, parsed.status());
  return InField(field, decode(*parsed));
}

}  // namespace anding::store::codec

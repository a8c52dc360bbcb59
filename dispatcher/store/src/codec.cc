#include "codec.h"

namespace anding::store::codec {

using core::Actor;
using core::Person;

Status Malformed(std::string_view problem) { return DataLossError(std::string(problem)); }

Status InField(std::string_view field, const Status& status) { return Annotate(status, field); }

// ---- the shared vocabularies ----

json::object PersonJson(const Person& person) {
  return json::object{{"name", person.name}, {"phone", person.phone}, {"title", person.title}};
}

Result<Person> PersonFrom(const json::value& value) {
  ANDING_ASSIGN_OR_RETURN(const json::object* object, ObjectOf(value));
  Person person;
  ANDING_ASSIGN_OR_RETURN(person.name, StringAt(*object, "name"));
  ANDING_ASSIGN_OR_RETURN(person.phone, StringAt(*object, "phone"));
  ANDING_ASSIGN_OR_RETURN(person.title, StringAt(*object, "title"));
  return person;
}

std::string PersonsText(const std::vector<Person>& people) {
  json::array array;
  for (const Person& person : people) array.emplace_back(PersonJson(person));
  return Serialize(array);
}

Result<std::vector<Person>> PersonsFrom(std::string_view field, std::string_view text) {
  return FromJson(field, text, [](const json::value& value) { return ListOf(value, PersonFrom); });
}

Result<Actor> ActorFrom(std::string_view field, std::string_view text) {
  auto actor = Actor::Parse(text);
  if (!actor) return Malformed(StrCat(field, ": malformed actor '", text, "'"));
  return *actor;
}

Result<core::ledger::RiskLevel> RiskLevelFrom(std::string_view field, std::string_view text) {
  return Named(field, core::ledger::ParseRiskLevel, text);
}

Result<CivilDay> DayFrom(std::string_view field, std::string_view text) {
  auto day = ParseDay(text);
  if (!day.ok()) return Malformed(StrCat(field, ": ", day.status().message()));
  return *day;
}

std::optional<int64_t> OptionalMicros(const std::optional<Time>& t) {
  if (!t) return std::nullopt;
  return ToUnixMicros(*t);
}

json::value TimeJson(Time t) { return json::value(ToUnixMicros(t)); }

json::value OptionalTimeJson(const std::optional<Time>& t) {
  return t ? TimeJson(*t) : json::value(nullptr);
}

std::optional<Time> OptionalTimeColumn(const storage::Statement& row, int column) {
  auto micros = row.OptionalInt64(column);
  if (!micros) return std::nullopt;
  return FromUnixMicros(*micros);
}

// ---- JSON ----

std::string Serialize(const json::value& value) { return json::serialize(value); }

json::array StringsJson(const std::vector<std::string>& values) {
  json::array array;
  for (const std::string& value : values) array.emplace_back(value);
  return array;
}

Result<json::value> ParseJson(std::string_view text) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  if (error) return Malformed(StrCat("malformed JSON: ", error.message()));
  return value;
}

Result<const json::object*> ObjectOf(const json::value& value) {
  if (const json::object* object = value.if_object()) return object;
  return Malformed("is not an object");
}

Result<const json::array*> ArrayOf(const json::value& value) {
  if (const json::array* array = value.if_array()) return array;
  return Malformed("is not a list");
}

Result<std::vector<std::string>> StringsOf(const json::value& value) {
  return ListOf(value, [](const json::value& item) -> Result<std::string> {
    if (const json::string* text = item.if_string()) return std::string(*text);
    return Malformed("is not a string");
  });
}

Result<const json::value*> Member(const json::object& object, std::string_view key) {
  if (const json::value* value = object.if_contains(key)) return value;
  return Malformed(StrCat(key, ": missing"));
}

namespace {

// `key`'s value converted by `convert` (Result<T> from a json::value),
// whose errors are prefixed with the key.
template <typename Convert>
auto ConvertAt(const json::object& object, std::string_view key, Convert convert)
    -> decltype(convert(std::declval<const json::value&>())) {
  ANDING_ASSIGN_OR_RETURN(const json::value* value, Member(object, key));
  return InField(key, convert(*value));
}

// The number `value` holds as a T, exactly.
template <typename T>
Result<T> NumberOf(const json::value& value) {
  if (!value.is_int64() && !value.is_uint64()) return Malformed("is not an integer");
  boost::system::error_code error;
  const T number = value.to_number<T>(error);
  if (error) return Malformed("is out of range");
  return number;
}

}  // namespace

Result<std::string> StringAt(const json::object& object, std::string_view key) {
  return ConvertAt(object, key, [](const json::value& value) -> Result<std::string> {
    if (const json::string* text = value.if_string()) return std::string(*text);
    return Malformed("is not a string");
  });
}

Result<int64_t> IntAt(const json::object& object, std::string_view key) {
  return ConvertAt(object, key, NumberOf<int64_t>);
}

Result<uint32_t> Uint32At(const json::object& object, std::string_view key) {
  return ConvertAt(object, key, NumberOf<uint32_t>);
}

Result<bool> BoolAt(const json::object& object, std::string_view key) {
  return ConvertAt(object, key, [](const json::value& value) -> Result<bool> {
    if (const bool* flag = value.if_bool()) return *flag;
    return Malformed("is not a boolean");
  });
}

Result<bool> IsNullAt(const json::object& object, std::string_view key) {
  ANDING_ASSIGN_OR_RETURN(const json::value* value, Member(object, key));
  return value->is_null();
}

Result<Time> TimeAt(const json::object& object, std::string_view key) {
  ANDING_ASSIGN_OR_RETURN(const int64_t micros, IntAt(object, key));
  return FromUnixMicros(micros);
}

Result<std::optional<Time>> OptionalTimeAt(const json::object& object, std::string_view key) {
  ANDING_ASSIGN_OR_RETURN(const bool null, IsNullAt(object, key));
  if (null) return std::optional<Time>();
  ANDING_ASSIGN_OR_RETURN(const Time time, TimeAt(object, key));
  return std::optional<Time>(time);
}

Result<const json::object*> ObjectAt(const json::object& object, std::string_view key) {
  return ConvertAt(object, key, ObjectOf);
}

Result<const json::array*> ArrayAt(const json::object& object, std::string_view key) {
  return ConvertAt(object, key, ArrayOf);
}

Result<std::vector<std::string>> StringsAt(const json::object& object, std::string_view key) {
  return ConvertAt(object, key, StringsOf);
}

}  // namespace anding::store::codec

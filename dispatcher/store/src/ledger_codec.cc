#include "ledger_codec.h"

namespace anding::store::ledger_codec {

namespace ledger = core::ledger;
using core::Actor;
using core::Person;

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

std::string SelectSql(std::string_view table, const std::vector<std::string_view>& columns,
                      std::string_view order) {
  std::string names;
  for (std::string_view column : columns) {
    if (!names.empty()) names += ", ";
    names += column;
  }
  return StrCat("SELECT ", names, " FROM ", table, " ORDER BY ", order);
}

std::optional<int64_t> OptionalMicros(const std::optional<Time>& t) {
  if (!t) return std::nullopt;
  return ToUnixMicros(*t);
}

std::string Serialize(const json::value& value) { return json::serialize(value); }

json::value TimeJson(Time t) { return json::value(ToUnixMicros(t)); }

json::object PersonJson(const Person& person) {
  return json::object{{"name", person.name}, {"phone", person.phone}, {"title", person.title}};
}

json::array StringsJson(const std::vector<std::string>& values) {
  json::array array;
  for (const std::string& value : values) array.emplace_back(value);
  return array;
}

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

std::optional<Time> OptionalTime(const storage::Statement& row, int column) {
  auto micros = row.OptionalInt64(column);
  if (!micros) return std::nullopt;
  return FromUnixMicros(*micros);
}

}  // namespace anding::store::ledger_codec

#include "http/rest_mapping.h"

#include <google/protobuf/util/json_util.h>

#include <boost/json.hpp>

#include "anding/common/strings.h"

namespace anding::dispatcher {
namespace {

namespace pb = google::protobuf;

constexpr std::string_view kJsonType = "application/json; charset=utf-8";

const pb::FieldDescriptor* RequestCase(std::string_view name) {
  const pb::OneofDescriptor* oneof = v1::OperatorRequest::descriptor()->FindOneofByName("request");
  for (int i = 0; i < oneof->field_count(); ++i) {
    if (oneof->field(i)->name() == name) return oneof->field(i);
  }
  return nullptr;
}

const pb::FieldDescriptor* FieldNamed(const pb::Descriptor& message, std::string_view name) {
  for (int i = 0; i < message.field_count(); ++i) {
    const pb::FieldDescriptor* field = message.field(i);
    if (field->name() == name || field->json_name() == name) return field;
  }
  return nullptr;
}

std::string Text(const pb::util::Status& status) {
  const auto message = status.message();
  return std::string(message.data(), message.size());
}

// One query-string value as the JSON protobuf's parser expects for `field`.
// Numbers stay strings (the JSON mapping accepts quoted numbers, and a
// string cannot smuggle in other fields); booleans must be true or false.
Result<boost::json::value> QueryValue(const pb::FieldDescriptor& field, std::string_view text) {
  switch (field.cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      if (text == "true" || text == "1") return boost::json::value(true);
      if (text == "false" || text == "0") return boost::json::value(false);
      return InvalidArgumentError(StrCat(field.name(), ": expected true or false"));
    case pb::FieldDescriptor::CPPTYPE_MESSAGE: {
      // Well-known types (Timestamp, Duration, ...) are JSON strings; any
      // other message is given as JSON text.
      if (field.message_type()->file()->package() == "google.protobuf") {
        return boost::json::value(boost::json::string(text));
      }
      boost::system::error_code ec;
      boost::json::value parsed = boost::json::parse(text, ec);
      if (ec) return InvalidArgumentError(StrCat(field.name(), ": not JSON: ", ec.message()));
      return parsed;
    }
    default:
      return boost::json::value(boost::json::string(text));
  }
}

Result<std::string> QueryToJson(const pb::Descriptor& message,
                                const std::map<std::string, std::string>& query) {
  boost::json::object object;
  for (const auto& [name, text] : query) {
    const pb::FieldDescriptor* field = FieldNamed(message, name);
    if (field == nullptr) {
      return InvalidArgumentError(StrCat(name, ": no such field in ", message.name()));
    }
    if (!field->is_repeated()) {
      ANDING_ASSIGN_OR_RETURN(object[field->name()], QueryValue(*field, text));
      continue;
    }
    boost::json::array values;
    for (std::string_view rest = text; !rest.empty();) {
      const size_t comma = rest.find(',');
      ANDING_ASSIGN_OR_RETURN(auto value, QueryValue(*field, rest.substr(0, comma)));
      values.push_back(std::move(value));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    object[field->name()] = std::move(values);
  }
  return boost::json::serialize(object);
}

}  // namespace

Result<v1::OperatorRequest> DecodeApiRequest(std::string_view method, std::string_view name,
                                             std::string_view body,
                                             const std::map<std::string, std::string>& query) {
  const pb::FieldDescriptor* field = RequestCase(name);
  if (field == nullptr) return NotFoundError(StrCat("no such API request: ", name));
  std::string json;
  if (method == "POST") {
    json = body.empty() ? "{}" : std::string(body);
  } else if (method == "GET") {
    ANDING_ASSIGN_OR_RETURN(json, QueryToJson(*field->message_type(), query));
  } else {
    return InvalidArgumentError(StrCat("method ", method, ": use GET or POST"));
  }
  v1::OperatorRequest request;
  pb::Message* sub = request.GetReflection()->MutableMessage(&request, field);
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  if (const auto status = pb::util::JsonStringToMessage(json, sub, options); !status.ok()) {
    // protobuf names the field and the problem ("Cannot find field: x",
    // "invalid value "abc" for type TYPE_UINT32", ...).
    return InvalidArgumentError(
        StrCat(name, ": ", method == "GET" ? "query" : "JSON body", ": ", Text(status)));
  }
  return request;
}

Result<std::string> ToApiJson(const pb::Message& message) {
  pb::util::JsonPrintOptions options;
  options.always_print_primitive_fields = false;
  options.preserve_proto_field_names = true;
  std::string json;
  if (const auto status = pb::util::MessageToJsonString(message, &json, options); !status.ok()) {
    return InternalError(
        StrCat("cannot print ", message.GetTypeName(), " as JSON: ", Text(status)));
  }
  return json;
}

HttpResponse ResponseAnswer(const v1::OperatorResponse& response) {
  if (response.has_error()) {
    const StatusCode code = CodeFromName(response.error().code());
    return ErrorAnswer(HttpStatusFor(code == StatusCode::kOk ? StatusCode::kUnknown : code),
                       response.error().code(), response.error().message());
  }
  auto json = ToApiJson(response);
  if (!json.ok()) return ErrorAnswer(json.status());
  HttpResponse answer;
  answer.content_type = kJsonType;
  answer.body = std::move(*json);
  return answer;
}

}  // namespace anding::dispatcher

// The REST face of the operator API, as pure functions: which
// OperatorRequest a call to /api/v1/<name> is, and the HTTP answer to an
// OperatorResponse or an error. JSON is protobuf's JSON mapping of the same
// messages the command line sends over ZeroMQ:
//
//   POST /api/v1/<name>   body: the JSON of the request case <name> (the
//                         field name of an OperatorRequest oneof case, for
//                         example list_incidents); empty body = empty message
//   GET  /api/v1/<name>   the same, its fields from the query string (for
//                         requests that change nothing)
//   200                   the JSON of the whole OperatorResponse, with the
//                         proto field names (snake_case)
//   4xx/5xx               {"error":{"code":"INVALID_ARGUMENT","message":"..."}}
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "anding/common/status.h"
#include "anding/dispatcher/http.h"
#include "anding/v1/operator.pb.h"

namespace anding::dispatcher {

// The request case <name> of the path "/api/v1/<name>" with its fields
// from `body` (POST: JSON, unknown fields refused) or from `query` (GET:
// one parameter per field, by proto or JSON name; a repeated field's
// values separated by commas; a message field as JSON text). The request
// id is left empty. NotFound for an unknown name; InvalidArgument naming
// the field or the JSON problem; InvalidArgument for another method.
[[nodiscard]] Result<v1::OperatorRequest> DecodeApiRequest(
    std::string_view method, std::string_view name, std::string_view body,
    const std::map<std::string, std::string>& query);

// 200 with the response's JSON, or, when it carries an error, that error's
// answer.
[[nodiscard]] HttpResponse ResponseAnswer(const v1::OperatorResponse& response);

// `message` in protobuf's JSON mapping with proto field names, fields at
// their default left out. Internal if protobuf cannot print it.
[[nodiscard]] Result<std::string> ToApiJson(const google::protobuf::Message& message);

}  // namespace anding::dispatcher

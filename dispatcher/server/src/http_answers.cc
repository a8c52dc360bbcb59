// The error answers every HTTP endpoint gives (anding/dispatcher/http.h).
#include <boost/json.hpp>

#include "anding/dispatcher/http.h"

namespace anding::dispatcher {

unsigned HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kAborted:
      return 409;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

HttpResponse ErrorAnswer(unsigned http_status, std::string_view code, std::string_view message) {
  boost::json::object error;
  error["code"] = code;
  error["message"] = message;
  boost::json::object body;
  body["error"] = std::move(error);
  HttpResponse response;
  response.status = http_status;
  response.content_type = "application/json; charset=utf-8";
  response.headers.emplace_back("Cache-Control", "no-store");
  response.body = boost::json::serialize(body);
  return response;
}

HttpResponse ErrorAnswer(const Status& status) {
  return ErrorAnswer(HttpStatusFor(status.code()), CodeName(status.code()), status.message());
}

}  // namespace anding::dispatcher

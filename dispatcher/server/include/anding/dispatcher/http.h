// HTTP as a module sees it. The dispatcher serves one HTTP listener on its
// io_context (the REST API, the live feed over WebSocket, the dashboard,
// /metrics); a module adds its own endpoints to it through
// ModuleContext::Route (the SMS gateway's delivery reports and replies, a
// login form, ...). Requests and answers are whole: the listener reads the
// body (within its size limit) before calling a handler and writes the
// answer it is given.
//
// Thread-safety: handlers run on the io_context thread, like every module
// method; `respond` must be called exactly once, on that thread.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/dispatcher/enrolment.h"

namespace anding::dispatcher {

struct HttpRequest {
  std::string method;                          // "GET", "POST", ...
  std::string path;                            // percent-decoded, without the query
  std::map<std::string, std::string> query;    // decoded; a repeated name keeps the last
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string peer;  // "127.0.0.1:50312", for logs and rate limits

  // The header's value, or empty.
  [[nodiscard]] std::string_view Header(std::string_view lower_case_name) const {
    auto it = headers.find(std::string(lower_case_name));
    return it == headers.end() ? std::string_view() : std::string_view(it->second);
  }
  // The query parameter's value, or nullopt.
  [[nodiscard]] std::optional<std::string> Query(std::string_view name) const {
    auto it = query.find(std::string(name));
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
};

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones (Set-Cookie, ...)
};

// Errors look the same from every endpoint, the shell's and the modules':
// {"error":{"code":"INVALID_ARGUMENT","message":"..."}}, not cached.
//
// The HTTP status of an error code: INVALID_ARGUMENT and OUT_OF_RANGE 400,
// UNAUTHENTICATED 401, PERMISSION_DENIED 403, NOT_FOUND 404,
// ALREADY_EXISTS, FAILED_PRECONDITION and ABORTED 409, RESOURCE_EXHAUSTED
// 429, UNAVAILABLE 503, anything else 500.
[[nodiscard]] unsigned HttpStatusFor(StatusCode code);
// The answer to `status`, with the HTTP status HttpStatusFor gives.
[[nodiscard]] HttpResponse ErrorAnswer(const Status& status);
// The same with an explicit HTTP status (413, 426, ...).
[[nodiscard]] HttpResponse ErrorAnswer(unsigned http_status, std::string_view code,
                                       std::string_view message);

using HttpRespond = std::function<void(HttpResponse)>;
using HttpHandler = std::function<void(const HttpRequest& request, HttpRespond respond)>;

// Implemented by the module that keeps user accounts; the HTTP listener
// finds it with ModuleContext::Find and asks it who is behind every API
// request. Without one, every API request is refused as unauthenticated.
class HttpAuthenticator {
 public:
  virtual ~HttpAuthenticator() = default;
  // The principal behind the request's session. Unauthenticated without a
  // valid session; PermissionDenied when a state-changing request lacks
  // its CSRF token.
  [[nodiscard]] virtual Result<Principal> Authenticate(const HttpRequest& request, Time now) = 0;
};

}  // namespace anding::dispatcher

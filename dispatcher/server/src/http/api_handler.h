// The REST API (/api/v1/<name>, see rest_mapping.h): authenticates every
// call through the module that implements HttpAuthenticator, decodes it,
// checks it at the edge like the ZeroMQ operator API does, and serves it
// through the same ModuleHost::Serve. One set of handlers, two transports.
//
// The request id is the client's Idempotency-Key header when it sends one
// (so that a retried POST is not applied twice), else a random UUID. A GET
// is served read-only: a request that would change state is refused.
//
// Thread-safety: io_context thread only.
#pragma once

#include <memory>

#include "anding/dispatcher/http.h"
#include "module_host.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

inline constexpr std::string_view kApiPrefix = "/api/v1/";

class ApiHandler {
 public:
  explicit ApiHandler(ModuleHost& modules);
  ~ApiHandler() { *alive_ = false; }

  // Answers one request below kApiPrefix, at once or after its commit or
  // query.
  void Handle(const HttpRequest& request, const HttpRespond& respond);

  // Who is behind `request`: the authenticator's principal.
  // Unauthenticated when no module authenticates HTTP requests.
  [[nodiscard]] Result<Principal> Authenticate(const HttpRequest& request) const;

 private:
  ModuleHost& modules_;
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace anding::dispatcher

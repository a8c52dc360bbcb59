#include "http/api_handler.h"

#include "anding/common/ids.h"
#include "anding/common/strings.h"
#include "anding/runtime/log_text.h"
#include "anding/runtime/logging.h"
#include "anding/wire/validation.h"
#include "http/rest_mapping.h"

namespace anding::dispatcher {

ApiHandler::ApiHandler(ModuleHost& modules) : modules_(modules), log_(runtime::GetLogger("http")) {}

Result<Principal> ApiHandler::Authenticate(const HttpRequest& request) const {
  auto* authenticator = modules_.Find<HttpAuthenticator>();
  if (authenticator == nullptr) {
    return UnauthenticatedError("this dispatcher has no HTTP accounts: use the command line");
  }
  return authenticator->Authenticate(request, modules_.clock().Now());
}

void ApiHandler::Handle(const HttpRequest& request, const HttpRespond& respond) {
  std::string_view name(request.path);
  name.remove_prefix(std::min(name.size(), kApiPrefix.size()));
  auto principal = Authenticate(request);
  if (!principal.ok()) {
    respond(ErrorAnswer(principal.status()));
    return;
  }
  if (name == "feed") {
    respond(ErrorAnswer(426, "FAILED_PRECONDITION",
                        "/api/v1/feed is a WebSocket: send an Upgrade request"));
    return;
  }
  auto decoded = DecodeApiRequest(request.method, name, request.body, request.query);
  if (!decoded.ok()) {
    respond(ErrorAnswer(decoded.status()));
    return;
  }
  v1::OperatorRequest& operator_request = *decoded;
  const std::string_view key = request.Header("idempotency-key");
  operator_request.set_request_id(key.empty() ? RandomUuid() : std::string(key));
  // The same edge checks as the ZeroMQ operator API: out-of-range values
  // never reach a module.
  if (Status status = wire::ValidateOperatorRequest(operator_request); !status.ok()) {
    log_->info("{} {}: refused {}: {}", principal->id, request.peer, name,
               runtime::Printable(status.message()));
    respond(ErrorAnswer(status));
    return;
  }
  log_->debug("{} {}: {}", principal->id, request.peer, operator_request.ShortDebugString());
  modules_.Serve(
      *principal, operator_request,
      [alive = alive_, respond, id = operator_request.request_id()](v1::OperatorResponse answer) {
        if (!*alive) return;
        answer.set_request_id(id);
        respond(ResponseAnswer(answer));
      },
      request.method == "GET" ? ModuleHost::Mode::kReadOnly : ModuleHost::Mode::kAny);
}

}  // namespace anding::dispatcher

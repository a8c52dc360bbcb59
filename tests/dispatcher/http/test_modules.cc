#include "dispatcher/http/test_modules.h"

namespace anding::testing {

dispatcher::ModuleFactory TestAuthenticator::Factory() {
  return [](dispatcher::ModuleContext&) -> Result<std::unique_ptr<dispatcher::Module>> {
    return std::unique_ptr<dispatcher::Module>(std::make_unique<TestAuthenticator>());
  };
}

Result<dispatcher::Principal> TestAuthenticator::Authenticate(
    const dispatcher::HttpRequest& request, Time) {
  const std::string_view user = request.Header("x-test-user");
  if (user.empty()) {
    ++refused_;
    return UnauthenticatedError("log in first");
  }
  if (request.method == "POST" && request.Header("x-csrf-token") != "ok") {
    ++refused_;
    return PermissionDeniedError("missing CSRF token");
  }
  if (request.method == "POST" && user == "auditor") {
    ++refused_;
    return PermissionDeniedError("auditors only read");
  }
  return dispatcher::Principal{dispatcher::Principal::Kind::kOperator, std::string(user)};
}

void TestAuthenticator::Collect(dispatcher::MetricsWriter& out) const {
  out.Counter("anding_test_accounts_refused_total", "Requests the test accounts refused",
              static_cast<double>(refused_));
}

dispatcher::ModuleFactory StoreBreaker::Factory() {
  return [](dispatcher::ModuleContext& context) -> Result<std::unique_ptr<dispatcher::Module>> {
    auto module = std::make_unique<StoreBreaker>(context);
    StoreBreaker* self = module.get();
    ANDING_RETURN_IF_ERROR(context.Route(
        "POST", "/test/break-store",
        [self](const dispatcher::HttpRequest&, dispatcher::HttpRespond respond) {
          self->broken_ = true;
          self->context_.Change(
              [self](core::Effects&, Time) {
                self->context_.Write([](storage::Database&) {
                  return UnavailableError("the test broke the store");
                });
                return OkStatus();
              },
              // A failed batch answers nobody (done never runs): answer now.
              [](const Status&) {});
          respond(dispatcher::HttpResponse{202, "text/plain; charset=utf-8", "breaking", {}});
        }));
    ANDING_RETURN_IF_ERROR(context.Route(
        "POST", "/test/heal-store",
        [self](const dispatcher::HttpRequest&, dispatcher::HttpRespond respond) {
          self->broken_ = false;
          respond(dispatcher::HttpResponse{200, "text/plain; charset=utf-8", "healed", {}});
        }));
    return std::unique_ptr<dispatcher::Module>(std::move(module));
  };
}

Status StoreBreaker::Load(storage::Database&) {
  if (broken_) return UnavailableError("the test broke the store");
  return OkStatus();
}

}  // namespace anding::testing

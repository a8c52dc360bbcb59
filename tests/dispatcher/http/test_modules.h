// Test-only modules for the HTTP tests.
//
// TestAuthenticator: an HttpAuthenticator module, standing in for the accounts module:
// the principal is the operator named in the X-Test-User header; without
// it the request is unauthenticated; a POST without "X-CSRF-Token: ok" is
// forbidden, as the real one forbids a POST without its CSRF token; user
// "auditor" may only read (any POST is forbidden).
#pragma once

#include "anding/dispatcher/http.h"
#include "anding/dispatcher/module.h"

namespace anding::testing {

class TestAuthenticator final : public dispatcher::Module, public dispatcher::HttpAuthenticator {
 public:
  [[nodiscard]] static dispatcher::ModuleFactory Factory();

  [[nodiscard]] std::string_view name() const override { return "test_accounts"; }
  [[nodiscard]] Status Load(storage::Database&) override { return OkStatus(); }
  [[nodiscard]] Result<dispatcher::Principal> Authenticate(const dispatcher::HttpRequest& request,
                                                           Time now) override;
  void Collect(dispatcher::MetricsWriter& out) const override;

 private:
  uint64_t refused_ = 0;
};

// StoreBreaker: POST /test/break-store makes the next commit fail (a write
// that errs, not for its content) and every Load fail until POST
// /test/heal-store, so that the dispatcher stays in recovery (/readyz 503)
// until healed. Routes through ModuleContext::Route and Change.
class StoreBreaker final : public dispatcher::Module {
 public:
  explicit StoreBreaker(dispatcher::ModuleContext& context) : context_(context) {}
  [[nodiscard]] static dispatcher::ModuleFactory Factory();

  [[nodiscard]] std::string_view name() const override { return "store_breaker"; }
  [[nodiscard]] Status Load(storage::Database&) override;

 private:
  dispatcher::ModuleContext& context_;
  bool broken_ = false;
};

}  // namespace anding::testing

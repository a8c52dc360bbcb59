// User accounts, dashboard sessions and the audit trail's queries.
//
// Operators manage accounts with operator requests (`anding user
// add|passwd|disable|list`) and read the audit trail (`anding audit
// list|verify`). The dashboard logs in over HTTP, on routes this module
// adds to the dispatcher's listener (the login contract, README "Users,
// roles and the audit trail"):
//   POST /api/v1/login   {"user","password"} → 200 {"user","role","unit_id",
//                        "csrf_token"} and the session cookie; 401 for a
//                        wrong name or password (one message for both);
//                        429 while the name or the address is locked out
//   POST /api/v1/logout  → 200, the session ends (needs X-CSRF-Token)
//   GET  /api/v1/session → 200 as login, or 401
// and it is the listener's HttpAuthenticator: a session cookie
// (`anding_session`, HttpOnly, SameSite=Strict) names the principal of
// every other API request, and a state-changing request must carry the
// session's CSRF token in X-CSRF-Token.
//
// Logins, logouts and failed logins are appended to the audit trail with
// the caller's address; account changes are audited as operator requests.
// Password checks run on a worker thread (argon2id is slow on purpose);
// everything else on the io_context thread, like every module.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <optional>

#include "anding/core/users/accounts.h"
#include "anding/core/users/config.h"
#include "anding/core/users/login_limiter.h"
#include "anding/core/users/sessions.h"
#include "anding/dispatcher/http.h"
#include "anding/dispatcher/module.h"
#include "password_hasher.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

class UsersModule final : public Module, public HttpAuthenticator {
 public:
  // Builds the module and routes its HTTP endpoints.
  [[nodiscard]] static ModuleFactory Factory(core::users::UsersConfig config);

  UsersModule(ModuleContext& context, core::users::UsersConfig config);
  ~UsersModule() override;

  [[nodiscard]] std::string_view name() const override { return "users"; }
  [[nodiscard]] std::vector<storage::Migration> Migrations() const override;
  [[nodiscard]] Status Load(storage::Database& db) override;
  [[nodiscard]] std::vector<v1::OperatorRequest::RequestCase> Requests() const override;
  void Serve(OperatorCall& call) override;
  // Schedules the first purge of expired sessions.
  [[nodiscard]] Status Start(Time now, core::Effects& out) override;
  // Forgets expired sessions (in memory and in the store).
  [[nodiscard]] Time NextWakeup() const override { return next_purge_; }
  void Tick(Time now, core::Effects& out) override;

  // HttpAuthenticator.
  [[nodiscard]] Result<Principal> Authenticate(const HttpRequest& request, Time now) override;

 private:
  [[nodiscard]] Status AddRoutes();
  void Login(const HttpRequest& request, HttpRespond respond);
  // On the io thread once the worker checked the password.
  void FinishLogin(const std::string& user, const std::string& peer, bool verified,
                   std::optional<std::string> rehashed, HttpRespond respond);
  void Logout(const HttpRequest& request, HttpRespond respond);
  void CurrentSession(const HttpRequest& request, HttpRespond respond);
  // Appends a login, logout or failed login to the audit trail and answers
  // `response` once it is stored (503 if it cannot be).
  void AuditAndRespond(const Principal& who, std::string_view kind, const Status& outcome,
                       std::function<Status(storage::Database&)> also, HttpResponse response,
                       HttpRespond respond);

  void AddUser(OperatorCall& call);
  void SetPassword(OperatorCall& call);
  void DisableUser(OperatorCall& call);
  void ListUsers(OperatorCall& call);
  void ListAudit(OperatorCall& call);
  void VerifyAudit(OperatorCall& call);
  // Ends every session of `user` in memory and, in the batch, in the store.
  void EndSessionsOf(const std::string& user);

  ModuleContext& context_;
  core::users::UsersConfig config_;
  PasswordHasher hasher_;
  core::users::Accounts accounts_;
  core::users::SessionBook sessions_;
  core::users::LoginLimiter limiter_;
  std::shared_ptr<spdlog::logger> log_;
  // A hash to check unknown names against, so that they take as long as
  // known ones (made on first use).
  std::shared_ptr<const std::string> decoy_hash_;
  // Password checks waiting for or running on the worker.
  int checks_in_flight_ = 0;
  Time next_purge_ = Time::max();
  boost::asio::thread_pool worker_{1};
  // Completions from the worker may arrive after the module is gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace anding::dispatcher

#include "users_module.h"

#include <sodium.h>

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "anding/common/strings.h"
#include "anding/runtime/log_text.h"
#include "anding/runtime/logging.h"
#include "anding/store/audit_repository.h"
#include "anding/store/users_repository.h"
#include "anding/wire/encoding.h"
#include "audit_chain.h"
#include "ops_server.h"

namespace anding::dispatcher {
namespace {

using core::users::Account;
using core::users::Session;

constexpr std::string_view kCookie = "anding_session";
constexpr size_t kMinPassword = 10;
constexpr size_t kMaxPassword = 1024;
constexpr size_t kMaxLoginBody = 4096;
// Password checks queued for the worker at most; more are told to retry.
constexpr int kMaxChecksInFlight = 16;
constexpr Duration kPurgeEvery = std::chrono::minutes(5);
// 256-bit session tokens and CSRF tokens.
constexpr size_t kTokenBytes = 32;

HttpResponse Json(unsigned status, const boost::json::value& body) {
  HttpResponse response;
  response.status = status;
  response.content_type = "application/json";
  response.body = boost::json::serialize(body);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

HttpResponse SessionJson(const Account& account, const std::string& csrf_token) {
  return Json(200, {{"user", account.name},
                    {"role", core::RoleName(account.role)},
                    {"unit_id", account.unit_id},
                    {"csrf_token", csrf_token}});
}

// The value of cookie `name` in a Cookie header, or empty.
std::string_view CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
  }
  return {};
}

// The address of "host:port" or "[v6]:port", for the per-address limit.
std::string PeerAddress(std::string_view peer) {
  if (!peer.empty() && peer.front() == '[') {
    const size_t close = peer.find(']');
    if (close != std::string_view::npos) return std::string(peer.substr(1, close - 1));
  }
  const size_t colon = peer.rfind(':');
  if (colon == std::string_view::npos || peer.find(':') != colon) return std::string(peer);
  return std::string(peer.substr(0, colon));
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Status CheckPassword(std::string_view password) {
  if (password.size() < kMinPassword || password.size() > kMaxPassword) {
    return InvalidArgumentError(StrCat("password: ", kMinPassword, " to ", kMaxPassword, " bytes"));
  }
  return OkStatus();
}

v1::UserView UserToProto(const Account& account) {
  v1::UserView view;
  view.set_user(account.name);
  view.set_role(std::string(core::RoleName(account.role)));
  view.set_unit_id(account.unit_id);
  view.set_disabled(account.disabled);
  *view.mutable_created_at() = wire::ToProto(account.created_at);
  *view.mutable_changed_at() = wire::ToProto(account.changed_at);
  return view;
}

v1::OperatorResponse UserResponse(const Account& account) {
  v1::OperatorResponse response;
  *response.mutable_user()->mutable_user() = UserToProto(account);
  return response;
}

core::FeedNotice UserNotice(const Account& account, std::string_view change) {
  return {"user", account.name, std::string(change),
          StrCat(core::RoleName(account.role), account.unit_id.empty() ? "" : " ", account.unit_id,
                 account.disabled ? " (disabled)" : ""),
          account.unit_id};
}

Principal PrincipalOf(const Account& account, std::string peer) {
  Principal who{Principal::Kind::kOperator, account.name};
  who.role = account.role;
  who.unit_id = account.unit_id;
  who.peer = std::move(peer);
  return who;
}

}  // namespace

ModuleFactory UsersModule::Factory(core::users::UsersConfig config) {
  return [config](ModuleContext& context) -> Result<std::unique_ptr<Module>> {
    auto module = std::make_unique<UsersModule>(context, config);
    ANDING_RETURN_IF_ERROR(module->AddRoutes());
    return std::unique_ptr<Module>(std::move(module));
  };
}

UsersModule::UsersModule(ModuleContext& context, core::users::UsersConfig config)
    : context_(context),
      config_(config),
      hasher_(config.password_hashing),
      sessions_(config.session_idle, config.session_max),
      limiter_(config.lockout_after_failures, config.lockout_first, config.lockout_max),
      log_(runtime::GetLogger("users")) {}

UsersModule::~UsersModule() {
  *alive_ = false;
  worker_.join();
}

Status UsersModule::AddRoutes() {
  ANDING_RETURN_IF_ERROR(context_.Route("POST", "/api/v1/login",
                                        [this](const HttpRequest& request, HttpRespond respond) {
                                          Login(request, std::move(respond));
                                        }));
  ANDING_RETURN_IF_ERROR(context_.Route("POST", "/api/v1/logout",
                                        [this](const HttpRequest& request, HttpRespond respond) {
                                          Logout(request, std::move(respond));
                                        }));
  return context_.Route("GET", "/api/v1/session",
                        [this](const HttpRequest& request, HttpRespond respond) {
                          CurrentSession(request, std::move(respond));
                        });
}

std::vector<storage::Migration> UsersModule::Migrations() const { return store::UsersMigrations(); }

Status UsersModule::Load(storage::Database& db) {
  ANDING_ASSIGN_OR_RETURN(auto accounts, store::LoadAccounts(db));
  ANDING_ASSIGN_OR_RETURN(auto sessions, store::LoadSessions(db));
  accounts_.Reset(std::move(accounts));
  sessions_.Reset(std::move(sessions));
  return OkStatus();
}

std::vector<v1::OperatorRequest::RequestCase> UsersModule::Requests() const {
  using R = v1::OperatorRequest;
  return {R::kAddUser,   R::kSetPassword, R::kDisableUser,
          R::kListUsers, R::kListAudit,   R::kVerifyAudit};
}

void UsersModule::Serve(OperatorCall& call) {
  switch (call.request().request_case()) {
    case v1::OperatorRequest::kAddUser:
      return AddUser(call);
    case v1::OperatorRequest::kSetPassword:
      return SetPassword(call);
    case v1::OperatorRequest::kDisableUser:
      return DisableUser(call);
    case v1::OperatorRequest::kListUsers:
      return ListUsers(call);
    case v1::OperatorRequest::kListAudit:
      return ListAudit(call);
    default:
      return VerifyAudit(call);
  }
}

Status UsersModule::Start(Time now, core::Effects&) {
  // Not at once: a wake-up in the past would fire before anything else.
  next_purge_ = now + kPurgeEvery;
  return OkStatus();
}

void UsersModule::Tick(Time now, core::Effects&) {
  if (now < next_purge_) return;
  next_purge_ = now + kPurgeEvery;
  for (std::string& hash : sessions_.PurgeExpired(now)) {
    context_.Write(
        [hash = std::move(hash)](storage::Database& db) { return store::DeleteSession(db, hash); });
  }
}

void UsersModule::EndSessionsOf(const std::string& user) {
  for (std::string& hash : sessions_.CloseAllOf(user)) {
    context_.Write(
        [hash = std::move(hash)](storage::Database& db) { return store::DeleteSession(db, hash); });
  }
}

// Operator requests.

void UsersModule::AddUser(OperatorCall& call) {
  const auto& request = call.request().add_user();
  if (Status valid = core::users::ValidateUserName(request.user()); !valid.ok()) {
    return call.Fail(valid);
  }
  const auto role = core::ParseRole(request.role());
  if (!role) {
    return call.Fail(
        InvalidArgumentError("role: commander, petition_office, unit_officer or auditor"));
  }
  if (Status valid = CheckPassword(request.password()); !valid.ok()) return call.Fail(valid);
  // Hashing takes tens of milliseconds on this thread; adding accounts is
  // rare and a commander's.
  auto hash = hasher_.Hash(request.password());
  if (!hash.ok()) return call.Fail(hash.status());
  auto added = std::make_shared<Account>();
  call.Command(
      [&](core::Effects& out, Time now) -> Status {
        ANDING_ASSIGN_OR_RETURN(*added, accounts_.Add(request.user(), *role, request.unit_id(),
                                                      std::move(*hash), context_.org(), now));
        context_.Write(
            [account = *added](storage::Database& db) { return store::SaveAccount(db, account); });
        out.notices.push_back(UserNotice(*added, "added"));
        return OkStatus();
      },
      [added] { return UserResponse(*added); });
}

void UsersModule::SetPassword(OperatorCall& call) {
  const auto& request = call.request().set_password();
  const Principal& who = call.who();
  if (who.role != core::Role::kCommander && who.id != request.user()) {
    return call.Fail(PermissionDeniedError("only a commander changes other people's passwords"));
  }
  if (accounts_.Find(request.user()) == nullptr) {
    return call.Fail(NotFoundError(StrCat("no user '", request.user(), "'")));
  }
  if (Status valid = CheckPassword(request.password()); !valid.ok()) return call.Fail(valid);
  auto hash = hasher_.Hash(request.password());
  if (!hash.ok()) return call.Fail(hash.status());
  auto changed = std::make_shared<Account>();
  call.Command(
      [&](core::Effects& out, Time now) -> Status {
        ANDING_ASSIGN_OR_RETURN(*changed,
                                accounts_.SetPassword(request.user(), std::move(*hash), now));
        context_.Write([account = *changed](storage::Database& db) {
          return store::SaveAccount(db, account);
        });
        // Whoever held the old password is logged out.
        EndSessionsOf(changed->name);
        out.notices.push_back(UserNotice(*changed, "password_changed"));
        return OkStatus();
      },
      [changed] { return UserResponse(*changed); });
}

void UsersModule::DisableUser(OperatorCall& call) {
  const std::string user = call.request().disable_user().user();
  auto changed = std::make_shared<Account>();
  call.Command(
      [&](core::Effects& out, Time now) -> Status {
        ANDING_ASSIGN_OR_RETURN(*changed, accounts_.Disable(user, now));
        context_.Write([account = *changed](storage::Database& db) {
          return store::SaveAccount(db, account);
        });
        EndSessionsOf(user);
        out.notices.push_back(UserNotice(*changed, "disabled"));
        log_->warn("user {} disabled by {}", runtime::Printable(user, 64), call.who().id);
        return OkStatus();
      },
      [changed] { return UserResponse(*changed); });
}

void UsersModule::ListUsers(OperatorCall& call) {
  v1::OperatorResponse response;
  for (const auto& [name, account] : accounts_.all()) {
    *response.mutable_users()->add_users() = UserToProto(account);
  }
  call.Reply(std::move(response));
}

void UsersModule::ListAudit(OperatorCall& call) {
  const auto& request = call.request().list_audit();
  store::AuditQuery query;
  query.who = request.user();
  query.kind = request.kind();
  if (request.has_from()) query.from = wire::FromProto(request.from());
  if (request.has_to()) query.to = wire::FromProto(request.to());
  query.before_sequence = request.before_sequence();
  query.limit = PageLimit(request.limit());
  call.Query([query](storage::Database& db) {
    auto rows = store::ListAudit(db, query);
    if (!rows.ok()) return ErrorResponse("", rows.status());
    v1::OperatorResponse response;
    auto* list = response.mutable_audit();
    for (const auto& row : *rows) {
      auto* entry = list->add_entries();
      entry->set_sequence(row.sequence);
      *entry->mutable_at() = wire::ToProto(row.at);
      entry->set_user(row.who);
      entry->set_role(row.role);
      entry->set_peer(row.peer);
      entry->set_kind(row.kind);
      entry->set_request(row.request);
      entry->set_before(row.before);
      entry->set_after(row.after);
      entry->set_outcome(row.outcome);
      entry->set_hash(row.hash);
    }
    // A full page may have more behind it; the last page says so by 0.
    if (rows->size() == query.limit && !rows->empty() && rows->back().sequence > 1) {
      list->set_next_before_sequence(rows->back().sequence);
    }
    return response;
  });
}

void UsersModule::VerifyAudit(OperatorCall& call) {
  call.Query([](storage::Database& db) {
    auto verdict = VerifyAuditChain(db);
    if (!verdict.ok()) return ErrorResponse("", verdict.status());
    v1::OperatorResponse response;
    auto* view = response.mutable_audit_verification();
    view->set_intact(verdict->intact);
    view->set_entries_checked(verdict->checked);
    view->set_first_bad_sequence(verdict->first_bad);
    view->set_problem(verdict->problem);
    view->set_head_hash(verdict->head_hash);
    return response;
  });
}

// HTTP: sessions.

Result<Principal> UsersModule::Authenticate(const HttpRequest& request, Time now) {
  const std::string_view token = CookieValue(request.Header("cookie"), kCookie);
  if (token.empty()) return UnauthenticatedError("no session; log in");
  ANDING_ASSIGN_OR_RETURN(const Session session, sessions_.Use(Sha256Hex(token), now));
  const Account* account = accounts_.Find(session.user);
  if (account == nullptr || account->disabled) {
    return UnauthenticatedError("the account is disabled");
  }
  const bool reads = request.method == "GET" || request.method == "HEAD";
  if (!reads && !ConstantTimeEquals(request.Header("x-csrf-token"), session.csrf_token)) {
    return PermissionDeniedError("X-CSRF-Token: missing or not this session's");
  }
  return PrincipalOf(*account, request.peer);
}

void UsersModule::CurrentSession(const HttpRequest& request, HttpRespond respond) {
  auto who = Authenticate(request, context_.clock().Now());
  if (!who.ok()) return respond(ErrorAnswer(who.status()));
  const std::string_view token = CookieValue(request.Header("cookie"), kCookie);
  auto session = sessions_.Use(Sha256Hex(token), context_.clock().Now());
  if (!session.ok()) return respond(ErrorAnswer(session.status()));
  respond(SessionJson(*accounts_.Find(who->id), session->csrf_token));
}

void UsersModule::Login(const HttpRequest& request, HttpRespond respond) {
  if (request.body.size() > kMaxLoginBody) {
    return respond(ErrorAnswer(InvalidArgumentError("the body is too large")));
  }
  boost::system::error_code error;
  const boost::json::value body = boost::json::parse(request.body, error);
  const auto* object = error ? nullptr : body.if_object();
  if (object == nullptr) {
    return respond(ErrorAnswer(InvalidArgumentError("the body must be a JSON object")));
  }
  const auto* user_value = object->if_contains("user");
  const auto* password_value = object->if_contains("password");
  if (user_value == nullptr || !user_value->is_string() || user_value->as_string().empty()) {
    return respond(ErrorAnswer(InvalidArgumentError("user: a name is required")));
  }
  if (password_value == nullptr || !password_value->is_string()) {
    return respond(ErrorAnswer(InvalidArgumentError("password: required")));
  }
  const std::string user(user_value->as_string());
  const std::string password(password_value->as_string());
  if (user.size() > 64 || password.size() > kMaxPassword) {
    return respond(ErrorAnswer(UnauthenticatedError("wrong user name or password")));
  }
  const Time now = context_.clock().Now();
  const std::string peer_key = StrCat("peer:", PeerAddress(request.peer));
  const std::string user_key = StrCat("user:", user);
  std::optional<Duration> wait = limiter_.RetryAfter(peer_key, now);
  if (auto user_wait = limiter_.RetryAfter(user_key, now);
      user_wait && (!wait || *user_wait > *wait)) {
    wait = user_wait;
  }
  if (wait) {
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(*wait).count();
    HttpResponse response = ErrorAnswer(
        ResourceExhaustedError(StrCat("too many failed logins; try again in ", seconds, " s")));
    response.headers.emplace_back("Retry-After", std::to_string(seconds));
    return respond(std::move(response));
  }
  if (checks_in_flight_ >= kMaxChecksInFlight) {
    return respond(ErrorAnswer(UnavailableError("busy checking passwords; retry")));
  }
  const Account* account = accounts_.Find(user);
  std::shared_ptr<const std::string> hash;
  if (account != nullptr && !account->disabled) {
    hash = std::make_shared<const std::string>(account->password_hash);
  }
  ++checks_in_flight_;
  boost::asio::post(worker_, [hasher = hasher_, hash, decoy = decoy_hash_, password, user,
                              peer = request.peer, alive = alive_, &io = context_.io(), this,
                              respond = std::move(respond)]() mutable {
    // Unknown and disabled names are checked against a decoy, so that
    // they take as long as a wrong password does.
    std::shared_ptr<const std::string> made_decoy;
    if (hash == nullptr && decoy == nullptr) {
      auto fresh = hasher.Hash("a decoy that matches no password");
      if (fresh.ok()) made_decoy = std::make_shared<const std::string>(std::move(*fresh));
      decoy = made_decoy;
    }
    bool verified = false;
    std::optional<std::string> rehashed;
    if (hash != nullptr) {
      verified = hasher.Verify(*hash, password);
      if (verified && hasher.NeedsRehash(*hash)) {
        if (auto fresh = hasher.Hash(password); fresh.ok()) rehashed = std::move(*fresh);
      }
    } else if (decoy != nullptr) {
      (void)hasher.Verify(*decoy, password);
    }
    boost::asio::post(io, [this, alive, user, peer, verified, made_decoy,
                           rehashed = std::move(rehashed), respond = std::move(respond)]() mutable {
      if (!*alive) return;
      --checks_in_flight_;
      if (made_decoy != nullptr && decoy_hash_ == nullptr) decoy_hash_ = made_decoy;
      FinishLogin(user, peer, verified, std::move(rehashed), std::move(respond));
    });
  });
}

void UsersModule::FinishLogin(const std::string& user, const std::string& peer, bool verified,
                              std::optional<std::string> rehashed, HttpRespond respond) {
  const Time now = context_.clock().Now();
  const Account* account = accounts_.Find(user);
  // Disabled while the check ran: as good as a wrong password.
  if (account == nullptr || account->disabled) verified = false;
  Principal who{Principal::Kind::kOperator, user};
  who.peer = peer;
  if (!verified) {
    limiter_.Failure(StrCat("peer:", PeerAddress(peer)), now);
    limiter_.Failure(StrCat("user:", user), now);
    if (account != nullptr) {
      who.role = account->role;
      who.unit_id = account->unit_id;
    }
    log_->info("failed login for {} from {}", runtime::Printable(user, 64),
               runtime::Printable(peer, 64));
    const Status refused = UnauthenticatedError("wrong user name or password");
    // The name tried is recorded as given (escaped in logs, stored as text).
    return AuditAndRespond(who, "login_failed", refused, nullptr, ErrorAnswer(refused),
                           std::move(respond));
  }
  limiter_.Success(StrCat("user:", user));
  if (rehashed) {
    if (auto changed = accounts_.SetPassword(user, std::move(*rehashed), now); changed.ok()) {
      context_.Write(
          [account = *changed](storage::Database& db) { return store::SaveAccount(db, account); });
    }
  }
  Session session;
  const std::string token = RandomHex(kTokenBytes);
  session.token_hash = Sha256Hex(token);
  session.user = account->name;
  session.csrf_token = RandomHex(kTokenBytes);
  session.created_at = now;
  session.last_seen = now;
  if (Status opened = sessions_.Open(session); !opened.ok()) {
    return respond(ErrorAnswer(InternalError(opened.message())));
  }
  HttpResponse response = SessionJson(*account, session.csrf_token);
  const auto max_age = std::chrono::duration_cast<std::chrono::seconds>(config_.session_max);
  response.headers.emplace_back(
      "Set-Cookie",
      StrCat(kCookie, "=", token, "; Max-Age=", max_age.count(),
             "; Path=/; HttpOnly; SameSite=Strict", config_.secure_cookies ? "; Secure" : ""));
  log_->info("{} logged in from {}", account->name, runtime::Printable(peer, 64));
  AuditAndRespond(
      PrincipalOf(*account, peer), "login", OkStatus(),
      [session](storage::Database& db) { return store::SaveSession(db, session); },
      std::move(response), std::move(respond));
}

void UsersModule::Logout(const HttpRequest& request, HttpRespond respond) {
  auto who = Authenticate(request, context_.clock().Now());
  if (!who.ok()) return respond(ErrorAnswer(who.status()));
  const std::string hash = Sha256Hex(CookieValue(request.Header("cookie"), kCookie));
  sessions_.Close(hash).IgnoreError();
  HttpResponse response = Json(200, {{"user", who->id}});
  response.headers.emplace_back("Set-Cookie",
                                StrCat(kCookie, "=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict",
                                       config_.secure_cookies ? "; Secure" : ""));
  AuditAndRespond(
      *who, "logout", OkStatus(),
      [hash](storage::Database& db) { return store::DeleteSession(db, hash); }, std::move(response),
      std::move(respond));
}

void UsersModule::AuditAndRespond(const Principal& who, std::string_view kind,
                                  const Status& outcome,
                                  std::function<Status(storage::Database&)> also,
                                  HttpResponse response, HttpRespond respond) {
  AuditEntry entry = MakeAuditEntry(who, kind, outcome, context_.clock().Now());
  entry.request = boost::json::serialize(boost::json::object{{"user", who.id}});
  auto shared = std::make_shared<HttpRespond>(std::move(respond));
  context_.Change(
      [&](core::Effects&, Time) {
        context_.Write([entry = std::move(entry), also = std::move(also)](storage::Database& db) {
          if (also) ANDING_RETURN_IF_ERROR(also(db));
          return AppendAuditEntry(db, entry);
        });
        return OkStatus();
      },
      [shared, response = std::move(response)](const Status& stored) mutable {
        if (!stored.ok()) {
          return (*shared)(ErrorAnswer(UnavailableError(
              StrCat("the login could not be recorded; retry (", stored.message(), ")"))));
        }
        (*shared)(std::move(response));
      });
}

}  // namespace anding::dispatcher

// The login contract over the dispatcher's HTTP listener: login, session,
// logout, CSRF, the same 401 for an unknown name and a wrong password, the
// lockout after repeated failures, a disabled account, and the audit trail
// of it all.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <regex>

#include "support/cluster.h"

namespace anding::testing {
namespace {

namespace http = boost::beast::http;
using ::testing::HasSubstr;
using ::testing::Not;

struct Answer {
  unsigned status = 0;
  std::string body;
  std::string set_cookie;
  std::string retry_after;
  [[nodiscard]] boost::json::value Json() const {
    boost::system::error_code error;
    return boost::json::parse(body, error);
  }
};

// One request to `address` ("127.0.0.1:port") on its own connection.
Answer Call(const std::string& address, http::verb verb, const std::string& target,
            const std::string& body = "", const std::string& cookie = "",
            const std::string& csrf = "") {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  const size_t colon = address.rfind(':');
  socket.connect({boost::asio::ip::make_address(address.substr(0, colon)),
                  static_cast<uint16_t>(std::stoi(address.substr(colon + 1)))});
  http::request<http::string_body> request(verb, target, 11);
  request.set(http::field::host, address);
  if (!body.empty()) request.set(http::field::content_type, "application/json");
  if (!cookie.empty()) request.set(http::field::cookie, cookie);
  if (!csrf.empty()) request.set("X-CSRF-Token", csrf);
  request.body() = body;
  request.prepare_payload();
  http::write(socket, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  Answer answer;
  answer.status = response.result_int();
  answer.body = response.body();
  answer.set_cookie = std::string(response[http::field::set_cookie]);
  answer.retry_after = std::string(response[http::field::retry_after]);
  return answer;
}

std::string LoginBody(const std::string& user, const std::string& password) {
  return boost::json::serialize(boost::json::object{{"user", user}, {"password", password}});
}

// "anding_session=<token>" from a Set-Cookie header.
std::string SessionCookie(const std::string& set_cookie) {
  return set_cookie.substr(0, set_cookie.find(';'));
}

void AddUser(Cluster& cluster, const std::vector<std::string>& args, const std::string& password) {
  std::vector<std::string> full = {"-c",
                                   "input=$1; shift; printf '%s\\n' \"$input\" | \"$@\"",
                                   "sh",
                                   password,
                                   ANDING_CLI_BIN,
                                   "--config",
                                   cluster.OperatorConfig(),
                                   "user",
                                   "add"};
  full.insert(full.end(), args.begin(), args.end());
  full.push_back("--password-stdin");
  const auto result = RunCommand("/bin/sh", full);
  ASSERT_EQ(result.exit_code, 0) << result.err;
}

ClusterOptions Options() {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  options.extra_dispatcher_yaml = "users:\n  password_hashing: minimum\n";
  return options;
}

TEST(UsersHttpTest, LoginSessionCsrfAndLogout) {
  Cluster cluster("users-http-login", Options());
  cluster.StartDispatcher();
  AddUser(cluster, {"zhang", "--role", "commander"}, "zhang's long password");
  AddUser(cluster, {"li", "--role", "unit_officer", "--unit", "mine-3"}, "li's long password");
  const std::string http = cluster.HttpAddress();

  const Answer login =
      Call(http, http::verb::post, "/api/v1/login", LoginBody("li", "li's long password"));
  ASSERT_EQ(login.status, 200u) << login.body;
  const auto body = login.Json();
  EXPECT_EQ(body.at("user").as_string(), "li");
  EXPECT_EQ(body.at("role").as_string(), "unit_officer");
  EXPECT_EQ(body.at("unit_id").as_string(), "mine-3");
  const std::string csrf(body.at("csrf_token").as_string());
  EXPECT_TRUE(std::regex_match(csrf, std::regex("[0-9a-f]{64}"))) << csrf;
  EXPECT_TRUE(std::regex_search(login.set_cookie, std::regex("^anding_session=[0-9a-f]{64};")))
      << login.set_cookie;
  EXPECT_THAT(login.set_cookie, HasSubstr("HttpOnly"));
  EXPECT_THAT(login.set_cookie, HasSubstr("SameSite=Strict"));
  EXPECT_THAT(login.set_cookie, HasSubstr("Path=/"));
  EXPECT_THAT(login.set_cookie, Not(HasSubstr("Secure"))) << "not configured";
  const std::string cookie = SessionCookie(login.set_cookie);
  // Only a hash of the token is stored.
  const std::string token = cookie.substr(cookie.find('=') + 1);
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM sessions WHERE token_hash = '" + token + "'"),
            0);
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM sessions"), 1);

  const Answer session = Call(http, http::verb::get, "/api/v1/session", "", cookie);
  ASSERT_EQ(session.status, 200u) << session.body;
  EXPECT_EQ(session.Json().at("role").as_string(), "unit_officer");
  EXPECT_EQ(session.Json().at("csrf_token").as_string(), csrf);
  const Answer anonymous = Call(http, http::verb::get, "/api/v1/session");
  EXPECT_EQ(anonymous.status, 401u);
  EXPECT_EQ(anonymous.Json().at("error").at("code").as_string(), "UNAUTHENTICATED");
  EXPECT_EQ(
      Call(http, http::verb::get, "/api/v1/session", "", "anding_session=" + std::string(64, 'a'))
          .status,
      401u);

  // A state-changing request without the session's CSRF token: 403.
  const Answer no_csrf = Call(http, http::verb::post, "/api/v1/logout", "", cookie);
  EXPECT_EQ(no_csrf.status, 403u) << no_csrf.body;
  EXPECT_THAT(no_csrf.body, HasSubstr("X-CSRF-Token"));
  EXPECT_EQ(Call(http, http::verb::post, "/api/v1/logout", "", cookie, std::string(64, '0')).status,
            403u);
  const Answer logout = Call(http, http::verb::post, "/api/v1/logout", "", cookie, csrf);
  ASSERT_EQ(logout.status, 200u) << logout.body;
  EXPECT_THAT(logout.set_cookie, HasSubstr("Max-Age=0"));
  EXPECT_EQ(Call(http, http::verb::get, "/api/v1/session", "", cookie).status, 401u)
      << "the session ended";
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM sessions"), 0);

  // Wrong password and unknown user: one answer.
  const Answer wrong = Call(http, http::verb::post, "/api/v1/login", LoginBody("zhang", "nope"));
  const Answer unknown =
      Call(http, http::verb::post, "/api/v1/login", LoginBody("nobody", "zhang's long password"));
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(unknown.status, 401u);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(wrong.Json().at("error").at("code").as_string(), "UNAUTHENTICATED");
  const Answer malformed = Call(http, http::verb::post, "/api/v1/login", "{\"user\": 3}");
  EXPECT_EQ(malformed.status, 400u);
  EXPECT_THAT(malformed.body, HasSubstr("user"));

  // All of it is in the audit trail, with the address.
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM audit_log WHERE kind = 'login' AND who = 'li' "
                              "AND peer LIKE '127.0.0.1:%' AND role = 'unit_officer mine-3'"),
            1);
  EXPECT_EQ(
      Cluster::QueryInt(cluster.DispatcherDatabase(),
                        "SELECT COUNT(*) FROM audit_log WHERE kind = 'logout' AND who = 'li'"),
      1);
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM audit_log WHERE kind = 'login_failed' AND who "
                              "IN ('zhang', 'nobody') AND outcome LIKE 'UNAUTHENTICATED%'"),
            2);
  auto verify = cluster.Operator({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST(UsersHttpTest, RepeatedFailuresLockTheNameOutWithA429) {
  Cluster cluster("users-http-lockout", Options());
  cluster.StartDispatcher();
  AddUser(cluster, {"zhang", "--role", "commander"}, "zhang's long password");
  const std::string http = cluster.HttpAddress();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Call(http, http::verb::post, "/api/v1/login", LoginBody("zhang", "guess")).status,
              401u)
        << i;
  }
  const Answer locked =
      Call(http, http::verb::post, "/api/v1/login", LoginBody("zhang", "zhang's long password"));
  EXPECT_EQ(locked.status, 429u) << "even the right password waits";
  EXPECT_EQ(locked.Json().at("error").at("code").as_string(), "RESOURCE_EXHAUSTED");
  EXPECT_THAT(locked.body, HasSubstr("try again in"));
  EXPECT_FALSE(locked.retry_after.empty());
  EXPECT_LE(std::stoi(locked.retry_after), 30);
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM audit_log WHERE kind = 'login_failed'"),
            5)
      << "refused at the lock, not checked: nothing more to record";
}

TEST(UsersHttpTest, ADisabledAccountsSessionsEndAndItCannotLogIn) {
  Cluster cluster("users-http-disabled", Options());
  cluster.StartDispatcher();
  AddUser(cluster, {"wang", "--role", "auditor"}, "wang's long password");
  const std::string http = cluster.HttpAddress();
  const Answer login =
      Call(http, http::verb::post, "/api/v1/login", LoginBody("wang", "wang's long password"));
  ASSERT_EQ(login.status, 200u) << login.body;
  const std::string cookie = SessionCookie(login.set_cookie);
  ASSERT_EQ(Call(http, http::verb::get, "/api/v1/session", "", cookie).status, 200u);

  const auto disabled = cluster.Operator({"user", "disable", "wang"});
  ASSERT_EQ(disabled.exit_code, 0) << disabled.err;
  EXPECT_EQ(Call(http, http::verb::get, "/api/v1/session", "", cookie).status, 401u);
  const Answer again =
      Call(http, http::verb::post, "/api/v1/login", LoginBody("wang", "wang's long password"));
  EXPECT_EQ(again.status, 401u);
  EXPECT_THAT(again.body, HasSubstr("wrong user name or password")) << "no hint it exists";
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM sessions"), 0);
}

}  // namespace
}  // namespace anding::testing

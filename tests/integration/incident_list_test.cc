// list_incidents over the dispatcher's REST API as the dashboard asks it:
// the board's view (only what the boards show, each unit's current
// assignment, no members, contacts or reasons) in pages that together
// list every open incident exactly once, newest first; the full view the
// command line keeps; and the refusals of a bad page token, view or limit.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <set>

#include "support/cluster.h"

namespace anding::testing {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kConfig = R"(
users:
  password_hashing: minimum
dispatch:
  auto_confirm: false
  mobilisation: 15m
  team_sizing: {leaders: 1, petitioners_per_staff: 15, min_staff: 1, max_staff: 6,
                vehicles_need_drivers: true}
  travel:
    speed_kmh: 60
    within_region: 30m
  teams:
    - id: team-mine3
      name: 三矿处置队
      home_unit: mine-3
      members:
        - {id: m3-l1, name: 施红, role: leader, phone: "+8613903923001"}
        - {id: m3-s1, name: 张华, role: staff, phone: "+8613903923011"}
        - {id: m3-d1, name: 严冬, role: driver, phone: "+8613903923021"}
  vehicles:
    - {id: veh-m3-1, name: 别克GL8, plate: 豫F·B0301, home_unit: mine-3, seats: 7}
)";

struct Answer {
  unsigned status = 0;
  std::string body;
  std::string set_cookie;
  [[nodiscard]] json::value Json() const { return json::parse(body); }
};

// One POST to `address` ("127.0.0.1:port") on its own connection.
Answer Post(const std::string& address, const std::string& target, const std::string& body,
            const std::string& cookie = "", const std::string& csrf = "") {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  const size_t colon = address.rfind(':');
  socket.connect({boost::asio::ip::make_address(address.substr(0, colon)),
                  static_cast<uint16_t>(std::stoi(address.substr(colon + 1)))});
  http::request<http::string_body> request(http::verb::post, target, 11);
  request.set(http::field::host, address);
  request.set(http::field::content_type, "application/json");
  if (!cookie.empty()) request.set(http::field::cookie, cookie);
  if (!csrf.empty()) request.set("X-CSRF-Token", csrf);
  request.body() = body;
  request.prepare_payload();
  http::write(socket, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  return {response.result_int(), response.body(), std::string(response[http::field::set_cookie])};
}

// GET `target` from `address` ("127.0.0.1:port"): the body.
std::string Get(const std::string& address, const std::string& target) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  const size_t colon = address.rfind(':');
  socket.connect({boost::asio::ip::make_address(address.substr(0, colon)),
                  static_cast<uint16_t>(std::stoi(address.substr(colon + 1)))});
  http::request<http::string_body> request(http::verb::get, target, 11);
  request.set(http::field::host, address);
  http::write(socket, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  return response.body();
}

class IncidentListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClusterOptions options;
    options.agent_units = {"mine-3"};
    options.extra_dispatcher_yaml = kConfig;
    cluster_ = std::make_unique<Cluster>("incident-list", options);
    cluster_->StartDispatcher();
    const auto added = RunCommand(
        "/bin/sh", {"-c",
                    "printf '%s\\n' \"$1\" | \"$2\" --config \"$3\" user add zhang --role "
                    "commander --password-stdin",
                    "sh", "zhang's long password", ANDING_CLI_BIN, cluster_->OperatorConfig()});
    ASSERT_EQ(added.exit_code, 0) << added.err;
    LogIn();
  }

  void LogIn() {
    address_ = cluster_->HttpAddress();
    const Answer login =
        Post(address_, "/api/v1/login", R"({"user":"zhang","password":"zhang's long password"})");
    ASSERT_EQ(login.status, 200u) << login.body;
    cookie_ = login.set_cookie.substr(0, login.set_cookie.find(';'));
    csrf_ = std::string(login.Json().at("csrf_token").as_string());
  }

  // Whether /metrics says the dispatcher holds `held` incidents in memory
  // and has `parked` open ones in the store only.
  bool Holds(int held, int parked) {
    const std::string metrics = Get(address_, "/metrics");
    return metrics.find("\nanding_incidents_held " + std::to_string(held) + "\n") !=
               std::string::npos &&
           metrics.find("\nanding_incidents_parked " + std::to_string(parked) + "\n") !=
               std::string::npos;
  }

  // Records `step` ("INCIDENT_STEP_ARRIVED", ...) of incident `id` for mine-3.
  void Step(const std::string& id, const std::string& step) {
    const Answer answer =
        Call("update_incident_status", R"({"unit_id":"mine-3","update":{"incident_id":")" + id +
                                           R"(","step":")" + step + R"("}})");
    EXPECT_EQ(answer.status, 200u) << id << " " << step << ": " << answer.body;
  }

  // Every open incident's id and state, newest first, in pages of `limit`;
  // each page at most `limit` long.
  std::vector<std::string> OpenIncidents(int limit) {
    std::vector<std::string> listed;
    std::string token;
    int pages = 0;
    do {
      json::object request{{"open_only", true}, {"limit", limit}, {"page_token", token}};
      const Answer answer = Call("list_incidents", json::serialize(request));
      EXPECT_EQ(answer.status, 200u) << answer.body;
      if (answer.status != 200u) break;
      const json::value body = answer.Json();
      const json::object& list = body.at("incidents").as_object();
      const json::array& incidents = list.at("incidents").as_array();
      EXPECT_LE(incidents.size(), static_cast<size_t>(limit));
      for (const auto& incident : incidents) {
        listed.push_back(std::string(incident.at("id").as_string()) + " " +
                         std::string(incident.at("state").as_string()));
      }
      token = list.contains("next_page_token") ? std::string(list.at("next_page_token").as_string())
                                               : std::string();
    } while (!token.empty() && ++pages < 50);
    return listed;
  }

  Answer Call(const std::string& name, const std::string& body) {
    return Post(address_, "/api/v1/" + name, body, cookie_, csrf_);
  }

  // Reports an incident in Hebi involving mine-3; its id.
  std::string Report(int n) {
    const Answer answer = Call(
        "report_incident",
        R"({"report":{"type":"INCIDENT_TYPE_GROUP_PETITION","place":{"region_id":"hebi",)"
        R"("address":"市政府北门"},"persons":3,"involved_unit_ids":["mine-3"],"summary":"事件)" +
            std::to_string(n) + R"("}})");
    EXPECT_EQ(answer.status, 200u) << answer.body;
    return std::string(answer.Json().at("incident").at("incident").at("id").as_string());
  }

  std::unique_ptr<Cluster> cluster_;
  std::string address_;
  std::string cookie_;
  std::string csrf_;
};

TEST_F(IncidentListTest, TheBoardViewPagesThroughEveryOpenIncidentOnceNewestFirst) {
  std::vector<std::string> reported;
  for (int n = 0; n < 7; ++n) reported.push_back(Report(n));
  ASSERT_EQ(std::set<std::string>(reported.begin(), reported.end()).size(), 7u);

  std::vector<std::string> listed;
  std::string token;
  int pages = 0;
  do {
    json::object request{{"open_only", true},
                         {"limit", 3},
                         {"view", "INCIDENT_LIST_VIEW_BOARD"},
                         {"page_token", token}};
    const Answer answer = Call("list_incidents", json::serialize(request));
    ASSERT_EQ(answer.status, 200u) << answer.body;
    const json::value body = answer.Json();
    const json::object& list = body.at("incidents").as_object();
    const json::array& incidents = list.at("incidents").as_array();
    EXPECT_LE(incidents.size(), 3u);
    for (const auto& incident : incidents) {
      listed.emplace_back(incident.at("id").as_string());
      // What the board shows, and nothing more.
      EXPECT_THAT(std::string(incident.at("report").at("summary").as_string()), HasSubstr("事件"));
      EXPECT_FALSE(incident.at("report").as_object().contains("place"));
      EXPECT_FALSE(incident.as_object().contains("reported_by"));
      const json::object& response = incident.at("responses").at(0).as_object();
      EXPECT_EQ(response.at("unit_id").as_string(), "mine-3");
      EXPECT_FALSE(response.at("deadline").at("rule_text").as_string().empty());
      // One team for the unit: the first incident holds its proposal, the
      // later ones have none (it is busy); one per unit at most either way.
      if (incident.at("id").as_string() != reported[0]) {
        EXPECT_FALSE(incident.as_object().contains("assignments")) << json::serialize(incident);
        continue;
      }
      const json::array& assignments = incident.at("assignments").as_array();
      ASSERT_EQ(assignments.size(), 1u) << json::serialize(incident);
      EXPECT_EQ(assignments[0].at("state").as_string(), "proposed");
      EXPECT_EQ(assignments[0].at("team_id").as_string(), "team-mine3");
      EXPECT_EQ(assignments[0].at("vehicle_ids").at(0).as_string(), "veh-m3-1");
      EXPECT_FALSE(assignments[0].as_object().contains("members"));
      EXPECT_FALSE(assignments[0].as_object().contains("explanation"));
    }
    token = list.contains("next_page_token") ? std::string(list.at("next_page_token").as_string())
                                             : std::string();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(listed, std::vector<std::string>(reported.rbegin(), reported.rend()))
      << "every incident once, newest first";

  // Every incident, closed ones included, pages through the whole history
  // the same way.
  const Answer first_page = Call("list_incidents", R"({"limit":4,"view":2})");
  ASSERT_EQ(first_page.status, 200u) << first_page.body;
  const json::value first_body = first_page.Json();
  const json::object& page = first_body.at("incidents").as_object();
  ASSERT_EQ(page.at("incidents").as_array().size(), 4u);
  const Answer rest =
      Call("list_incidents", R"({"limit":4,"view":2,"page_token":")" +
                                 std::string(page.at("next_page_token").as_string()) + R"("})");
  ASSERT_EQ(rest.status, 200u) << rest.body;
  const json::value rest_body = rest.Json();
  const json::object& last = rest_body.at("incidents").as_object();
  ASSERT_EQ(last.at("incidents").as_array().size(), 3u);
  EXPECT_EQ(last.at("incidents").at(2).at("id").as_string(), reported[0]);
  EXPECT_FALSE(last.contains("next_page_token"));

  // The full view (the command line's) of the oldest incident keeps the
  // place, the members and the reasons; the board's is a fraction of it.
  const std::string before_oldest(last.at("incidents").at(1).at("sequence").as_string());
  const Answer full =
      Call("list_incidents", R"({"limit":1,"page_token":")" + before_oldest + R"("})");
  ASSERT_EQ(full.status, 200u) << full.body;
  const json::value full_body = full.Json();
  const json::value& oldest = full_body.at("incidents").at("incidents").at(0);
  EXPECT_EQ(oldest.at("id").as_string(), reported[0]);
  EXPECT_TRUE(oldest.at("report").as_object().contains("place"));
  EXPECT_TRUE(oldest.at("assignments").at(0).as_object().contains("members"));
  const Answer board =
      Call("list_incidents", R"({"limit":1,"view":2,"page_token":")" + before_oldest + R"("})");
  EXPECT_GT(full.body.size(), 2 * board.body.size()) << board.body;
}

// Incidents that hold no team stay in the store once stored, before and
// after a restart: the settled ones (quiescent: no deadline is watched for
// them) and those waiting for another team (parked: the dispatcher keeps
// only their timers and retries). Pages of the open incidents merge what
// is held with what is in the store, every incident once, newest first,
// as before the restart, in pages of any size. A command naming a parked
// incident takes it back, and it is listed once after.
TEST_F(IncidentListTest, OpenIncidentsLeftInTheStoreAtAStartArePagedWithTheHeldOnes) {
  std::vector<std::string> reported;
  for (int n = 0; n < 9; ++n) reported.push_back(Report(n));
  // The unit's one team goes to each in turn: the even ones take it, arrive
  // and are settled (quiescent); the odd ones exclude it and wait for
  // another team (held). Either frees the team for the next one.
  for (size_t n = 0; n < reported.size(); ++n) {
    const std::string unit = R"({"incident_id":")" + reported[n] + R"(","unit_id":"mine-3")";
    if (n % 2 == 1) {
      const Answer reassigned =
          Call("reassign", unit + R"(,"exclude_team_ids":["team-mine3"],"note":"另派"})");
      EXPECT_EQ(reassigned.status, 200u) << reassigned.body;
      continue;
    }
    const Answer confirmed = Call("confirm_assignment", unit + "}");
    EXPECT_EQ(confirmed.status, 200u) << confirmed.body;
    Step(reported[n], "INCIDENT_STEP_ARRIVED");
    Step(reported[n], "INCIDENT_STEP_SETTLED");
  }
  const std::vector<std::string> before = OpenIncidents(100);
  ASSERT_EQ(before.size(), reported.size());
  for (size_t n = 0; n < reported.size(); ++n) {
    const char* state = n % 2 == 0 ? " INCIDENT_STATE_SETTLED" : " INCIDENT_STATE_REPORTED";
    EXPECT_THAT(before, ::testing::Contains(reported[n] + state));
  }
  // The settled ones were let go of once stored, the waiting ones parked.
  EXPECT_TRUE(WaitFor([&] { return Holds(0, 9); }, std::chrono::seconds(30)))
      << Get(address_, "/metrics");
  const Answer shown_before = Call("show_incident", R"({"incident_id":")" + reported[4] + R"("})");
  ASSERT_EQ(shown_before.status, 200u) << shown_before.body;

  cluster_->KillDispatcher();
  cluster_->StartDispatcher();
  LogIn();
  EXPECT_TRUE(Holds(0, 9)) << Get(address_, "/metrics");
  for (int limit : {1, 2, 3, 4, 100}) {
    EXPECT_EQ(OpenIncidents(limit), before) << "pages of " << limit;
  }
  const Answer shown = Call("show_incident", R"({"incident_id":")" + reported[4] + R"("})");
  ASSERT_EQ(shown.status, 200u) << shown.body;
  EXPECT_EQ(shown.Json().at("incident"), shown_before.Json().at("incident"));

  // A command on a parked incident: it is held from then on.
  Step(reported[4], "INCIDENT_STEP_AFTERMATH");
  std::vector<std::string> after = before;
  const std::string settled = reported[4] + " INCIDENT_STATE_SETTLED";
  std::replace(after.begin(), after.end(), settled, reported[4] + " INCIDENT_STATE_AFTERMATH");
  for (int limit : {1, 3, 100}) {
    EXPECT_EQ(OpenIncidents(limit), after) << "pages of " << limit;
  }
  // Quiescent again once stored: let go of again.
  EXPECT_TRUE(WaitFor([&] { return Holds(0, 9); }, std::chrono::seconds(30)))
      << Get(address_, "/metrics");
  // A new incident is listed with them.
  EXPECT_EQ(Report(100).substr(0, 4), "INC-");
  EXPECT_EQ(OpenIncidents(100).size(), reported.size() + 1);
}

TEST_F(IncidentListTest, BadPageTokensViewsAndLimitsAreRefusedNamingTheField) {
  Report(1);
  const Answer token = Call("list_incidents", R"({"page_token":"abc"})");
  EXPECT_EQ(token.status, 400u);
  EXPECT_THAT(token.body, HasSubstr("list_incidents.page_token"));
  const Answer view = Call("list_incidents", R"({"view":9})");
  EXPECT_EQ(view.status, 400u);
  EXPECT_THAT(view.body, HasSubstr("list_incidents.view"));
  const Answer limit = Call("list_incidents", R"({"limit":10001})");
  EXPECT_EQ(limit.status, 400u);
  EXPECT_THAT(limit.body, HasSubstr("list_incidents.limit"));
  // A token past the oldest incident: an empty, final page.
  const Answer past = Call("list_incidents", R"({"page_token":"1"})");
  ASSERT_EQ(past.status, 200u) << past.body;
  EXPECT_THAT(past.body, Not(HasSubstr("INC-")));
}

}  // namespace
}  // namespace anding::testing

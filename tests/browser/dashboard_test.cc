// The dashboard in a real browser: a dispatcher serving the pages and the
// API, agents for two units, and Debian's chromium driven headless by
// playwright-core (dashboard_test.mjs). The commander logs in, sees an
// incident appear live when an agent reports it, sees its countdown run,
// confirms the assignment and sees the state change, finds the dispatch
// order on the notifications board (the log channel: no SMS gateway here)
// with its delivery log and acknowledges it, opens the wall screen; a unit
// officer of another unit is refused the incident and the notifications
// (403) and the page does not show them. Screenshots go to the build
// directory.
//
// This harness prepares the installation and the users, then runs the
// node script and reports its verdict; the script asserts in the browser.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/cluster.h"
#include "support/process.h"

namespace anding::testing {
namespace {

using std::chrono::seconds;

// Teams and vehicles for the units, proposals left for HQ to confirm.
constexpr const char* kDispatch = R"(
dispatch:
  auto_confirm: false
  mobilisation: 15m
  team_sizing: {leaders: 1, petitioners_per_staff: 15, min_staff: 1, max_staff: 6,
                vehicles_need_drivers: true}
  travel:
    speed_kmh: 60
    within_region: 30m
    matrix:
      hebi: {zhengzhou: {time: 1h35m, km: 175}, beijing: {time: 4h, km: 560}}
  teams:
    - id: team-mine3
      name: 三矿处置队
      home_unit: mine-3
      members:
        - {id: m3-l1, name: 施红, role: leader, phone: "+8613903923001"}
        - {id: m3-s1, name: 张华, role: staff, phone: "+8613903923011"}
        - {id: m3-s2, name: 孔明, role: staff, phone: "+8613903923012"}
        - {id: m3-d1, name: 严冬, role: driver, phone: "+8613903923021"}
    - id: team-zz
      name: 郑州办事处处置组
      home_unit: zz-office
      members:
        - {id: zz-l1, name: 邹亮, role: leader, phone: "+8613703711001"}
        - {id: zz-s1, name: 喻琳, role: staff, phone: "+8613703711011"}
        - {id: zz-d1, name: 水清, role: driver, phone: "+8613703711021"}
  vehicles:
    - {id: veh-m3-1, name: 别克GL8, plate: 豫F·B0301, home_unit: mine-3, seats: 7}
    - {id: veh-zz-1, name: 别克GL8, plate: 豫A·Z0001, home_unit: zz-office, seats: 7}
)";

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string JsonArray(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + JsonString(items[i]);
  return out + "]";
}

// `anding user add` with the password on standard input (never on the
// command line).
CommandResult AddUser(const Cluster& cluster, const std::string& name, const std::string& role,
                      const std::string& unit, const std::string& password) {
  std::string script =
      "printf '%s\\n' \"$1\" | \"$2\" --config \"$3\" user add \"$4\" --role \"$5\" "
      "--password-stdin";
  std::vector<std::string> args = {
      "-c", script, "sh", password, ANDING_CLI_BIN, cluster.OperatorConfig(), name, role};
  if (!unit.empty()) {
    args[1] += " --unit \"$6\"";
    args.push_back(unit);
  }
  return RunCommand("/bin/sh", args, seconds(60));
}

TEST(BrowserDashboardTest, CommanderSeesAnIncidentLiveConfirmsItAndTheWallScreen) {
  // What deploy/install-deps and deploy/install-web provide; missing is a
  // failure, not a skip.
  const std::string dashboard = ANDING_DASHBOARD_DIR;
  ASSERT_TRUE(std::filesystem::exists(ANDING_NODE_BIN))
      << "node is missing: run deploy/install-deps";
  ASSERT_TRUE(std::filesystem::exists(ANDING_CHROMIUM_BIN))
      << "chromium is missing: run deploy/install-deps";
  ASSERT_TRUE(std::filesystem::exists(dashboard + "/node_modules/playwright-core/package.json"))
      << "playwright-core is missing: run deploy/install-web";
  ASSERT_TRUE(std::filesystem::exists(dashboard + "/vendor/echarts.min.js"))
      << "ECharts is missing: run deploy/install-web";

  ClusterOptions options;
  options.agent_units = {"mine-3", "zz-office"};
  options.extra_dispatcher_yaml = kDispatch;
  options.http_static_dir = dashboard;
  Cluster cluster("browser", options);
  cluster.StartDispatcher();
  const std::string address = cluster.HttpAddress();
  ASSERT_NE(address.find(':'), std::string::npos) << "no HTTP address: " << address;
  cluster.StartAgent("mine-3");
  cluster.StartAgent("zz-office");

  const std::string commander_password = "zhang-Commander-2026";
  const std::string officer_password = "sun-Officer-2026";
  auto added = AddUser(cluster, "zhang", "commander", "", commander_password);
  ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
  added = AddUser(cluster, "sun", "unit_officer", "zz-office", officer_password);
  ASSERT_EQ(added.exit_code, 0) << added.out << added.err;

  std::filesystem::create_directories(ANDING_SCREENSHOT_DIR);
  const std::string config = cluster.dir() + "/browser.json";
  {
    std::ofstream out(config);
    out << "{\"base_url\": " << JsonString("http://" + address)
        << ",\n \"chromium\": " << JsonString(ANDING_CHROMIUM_BIN)
        << ",\n \"screenshots\": " << JsonString(ANDING_SCREENSHOT_DIR)
        << ",\n \"commander\": {\"user\": \"zhang\", \"password\": "
        << JsonString(commander_password)
        << "},\n \"officer\": {\"user\": \"sun\", \"password\": " << JsonString(officer_password)
        << ", \"unit\": \"zz-office\"},\n \"report_incident\": "
        << JsonArray({ANDING_AGENT_BIN, "--config", cluster.AgentConfig("mine-3"), "report",
                      "incident", "--type", "group-petition", "--region", "hebi", "--address",
                      "市政府北门", "--persons", "20", "--summary",
                      "三矿职工20人到市政府反映补偿金问题", "--category",
                      "labour-contract-compensation"})
        << "\n}\n";
  }

  Process browser(ANDING_NODE_BIN, {ANDING_BROWSER_SCRIPT, config}, cluster.dir() + "/browser");
  const int status = browser.Wait(seconds(240));
  EXPECT_EQ(status, 0) << "browser test " << (status == -1 ? "timed out" : "failed") << "\n"
                       << browser.Stdout() << browser.Stderr();
  if (status != 0) {
    ADD_FAILURE() << "dispatcher log:\n" << cluster.dispatcher()->Stderr().substr(0, 20000);
  }
}

}  // namespace
}  // namespace anding::testing

// Users, roles and the audit trail through the real dispatcher and the
// command line: `anding user ...`, a unit officer's CURVE key held to its
// unit, personal details masked for an auditor, and `anding audit verify`
// finding a changed, a deleted and reordered entries in the SQLite file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "anding/runtime/curve_keys.h"
#include "anding/storage/database.h"
#include "support/cluster.h"

namespace anding::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Fast hashes: ASan runs many of them.
constexpr const char* kUsersYaml = "users:\n  password_hashing: minimum\n";

// `anding --config <config> args...` with `input` on its standard input.
CommandResult WithInput(const Cluster& cluster, const std::string& config, const std::string& input,
                        const std::vector<std::string>& args) {
  std::vector<std::string> full = {
      "-c",           "input=$1; shift; printf '%s\\n' \"$input\" | \"$@\"",
      "sh",           input,
      ANDING_CLI_BIN, "--config",
      config};
  full.insert(full.end(), args.begin(), args.end());
  (void)cluster;
  return RunCommand("/bin/sh", full);
}

CommandResult As(const std::string& config, const std::vector<std::string>& args) {
  std::vector<std::string> full = {"--config", config};
  full.insert(full.end(), args.begin(), args.end());
  return RunCommand(ANDING_CLI_BIN, full);
}

// Enrols another operator key with `role_and_unit` and writes its
// operator configuration; returns the configuration's path.
std::string AddOperator(Cluster& cluster, const std::string& name,
                        const std::string& role_and_unit) {
  auto pair = runtime::GenerateCurveKeyPair();
  EXPECT_TRUE(pair.ok());
  const std::string key_file = cluster.dir() + "/keys/" + name + ".key";
  EXPECT_TRUE(runtime::WriteKeyFile(key_file, *pair, name, true).ok());
  std::ofstream(cluster.dir() + "/keys/enrolled.txt", std::ios::app)
      << "operator " << name << " " << pair->public_key << " " << role_and_unit << "\n";
  const std::string config = cluster.dir() + "/" + name + ".yaml";
  std::ofstream(config) << "dispatcher:\n  endpoints_file: data/dispatcher/endpoints.yaml\n"
                        << "secret_key_file: keys/" << name << ".key\n";
  return config;
}

std::string IncidentId(const std::string& out) {
  std::smatch match;
  return std::regex_search(out, match, std::regex("INC-[0-9]{8}-[0-9]{3}")) ? match.str() : "";
}

ClusterOptions Options() {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  options.extra_dispatcher_yaml = kUsersYaml;
  return options;
}

TEST(UsersTest, OperatorsManageAccountsFromTheCommandLine) {
  Cluster cluster("users-cli", Options());
  cluster.StartDispatcher();
  const std::string config = cluster.OperatorConfig();
  auto added = WithInput(
      cluster, config, "a long password 1",
      {"user", "add", "li", "--role", "unit_officer", "--unit", "mine-3", "--password-stdin"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_THAT(added.out, HasSubstr("li"));
  EXPECT_THAT(added.out, HasSubstr("unit_officer"));

  auto bad_role = WithInput(cluster, config, "a long password 1",
                            {"user", "add", "wu", "--role", "boss", "--password-stdin"});
  EXPECT_NE(bad_role.exit_code, 0);
  EXPECT_THAT(bad_role.err, HasSubstr("role"));
  auto short_password = WithInput(cluster, config, "short",
                                  {"user", "add", "wu", "--role", "auditor", "--password-stdin"});
  EXPECT_NE(short_password.exit_code, 0);
  EXPECT_THAT(short_password.err, HasSubstr("password"));
  auto taken = WithInput(cluster, config, "a long password 2",
                         {"user", "add", "li", "--role", "auditor", "--password-stdin"});
  EXPECT_NE(taken.exit_code, 0);
  EXPECT_THAT(taken.err, HasSubstr("exists"));
  // A password on the command line is not an option.
  auto on_line = cluster.Operator({"user", "add", "wu", "--role", "auditor", "--password", "x"});
  EXPECT_NE(on_line.exit_code, 0);

  auto passwd =
      WithInput(cluster, config, "another long one", {"user", "passwd", "li", "--password-stdin"});
  ASSERT_EQ(passwd.exit_code, 0) << passwd.err;
  auto disabled = cluster.Operator({"user", "disable", "li"});
  ASSERT_EQ(disabled.exit_code, 0) << disabled.err;
  auto list = cluster.Operator({"user", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("DISABLED"));

  // Every change is audited, with who and from which key, and no password.
  auto audit = cluster.Operator({"audit", "list", "--kind", "add_user"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_THAT(audit.out, HasSubstr("test (commander, curve:"));
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM audit_log WHERE instr(request, 'long') > 0 OR "
                              "instr(request, '\"password\"') > 0"),
            0);
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM audit_log WHERE kind IN ('add_user', "
                              "'set_password', 'disable_user') AND outcome = 'ok'"),
            3);
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM users WHERE password_hash LIKE '$argon2id$%'"),
            1);
}

TEST(UsersTest, AUnitOfficersKeyIsHeldToItsUnitAndAnAuditorSeesNoNames) {
  Cluster cluster("users-unit-officer", Options());
  const std::string officer = AddOperator(cluster, "li", "unit_officer mine-3");
  const std::string auditor = AddOperator(cluster, "qian", "auditor");
  cluster.StartDispatcher();

  auto other = cluster.Operator({"incident", "report", "--type", "group-petition", "--region",
                                 "zhengzhou", "--persons", "30", "--involved", "zz-office",
                                 "--summary", "郑州办事处职工到省信访局"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  const std::string other_id = IncidentId(other.out);
  auto own =
      cluster.Operator({"incident", "report", "--type", "group-petition", "--region", "hebi",
                        "--persons", "12", "--involved", "mine-3", "--summary", "三矿职工到公司"});
  ASSERT_EQ(own.exit_code, 0) << own.err;
  const std::string own_id = IncidentId(own.out);

  // Another unit's data: refused.
  auto foreign_list = As(officer, {"ledger", "list", "--unit", "zz-office"});
  EXPECT_NE(foreign_list.exit_code, 0);
  EXPECT_THAT(foreign_list.err, HasSubstr("may not act for 'zz-office'"));
  auto foreign_show = As(officer, {"incident", "show", other_id});
  EXPECT_NE(foreign_show.exit_code, 0);
  EXPECT_THAT(foreign_show.err, HasSubstr("not of unit 'mine-3'"));
  // Its own: served, and lists hold its unit only.
  auto own_show = As(officer, {"incident", "show", own_id, "--json"});
  ASSERT_EQ(own_show.exit_code, 0) << own_show.err;
  auto list = As(officer, {"incident", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr(own_id));
  EXPECT_THAT(list.out, Not(HasSubstr(other_id)));
  // What is HQ's alone: refused.
  auto confirm = As(officer, {"incident", "confirm", own_id});
  EXPECT_NE(confirm.exit_code, 0);
  EXPECT_THAT(confirm.err, HasSubstr("unit_officer may not confirm_assignment"));
  EXPECT_NE(As(officer, {"audit", "list"}).exit_code, 0);

  // The commander sees the unit leaders' phones; the auditor does not.
  auto commander_view = cluster.Operator({"incident", "show", own_id, "--json"});
  ASSERT_EQ(commander_view.exit_code, 0) << commander_view.err;
  auto auditor_view = As(auditor, {"incident", "show", own_id, "--json"});
  ASSERT_EQ(auditor_view.exit_code, 0) << auditor_view.err;
  if (commander_view.out.find("+86138") != std::string::npos) {
    EXPECT_THAT(auditor_view.out, Not(HasSubstr("+86138")));
    EXPECT_THAT(auditor_view.out, HasSubstr("***"));
  }
  EXPECT_NE(As(auditor, {"incident", "confirm", own_id}).exit_code, 0) << "auditors only read";
  auto audit = As(auditor, {"audit", "list", "--user", "li"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_THAT(audit.out, HasSubstr("PERMISSION_DENIED")) << "refusals are audited too";
}

// Drops the triggers and runs `sql` on the dispatcher's database, as
// somebody with the file would.
void Tamper(Cluster& cluster, const std::string& sql) {
  auto db = storage::Database::Open(cluster.DispatcherDatabase());
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE((*db)
                  ->Exec("DROP TRIGGER IF EXISTS audit_log_no_update; "
                         "DROP TRIGGER IF EXISTS audit_log_no_delete;")
                  .ok());
  ASSERT_TRUE((*db)->Exec(sql).ok()) << sql;
}

TEST(UsersTest, AuditVerifyNamesAChangedADeletedAndReorderedEntries) {
  Cluster cluster("users-audit-verify", Options());
  cluster.StartDispatcher();
  for (int i = 0; i < 8; ++i) {
    auto added = WithInput(
        cluster, cluster.OperatorConfig(), "a long password 1",
        {"user", "add", "user" + std::to_string(i), "--role", "auditor", "--password-stdin"});
    ASSERT_EQ(added.exit_code, 0) << added.err;
  }
  auto intact = cluster.Operator({"audit", "verify"});
  ASSERT_EQ(intact.exit_code, 0) << intact.err << intact.out;
  EXPECT_THAT(intact.out, HasSubstr("intact: 8 entries"));
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND "
                              "tbl_name = 'audit_log'"),
            2);

  // Each fault lies before the ones made earlier, so each verify names it.
  Tamper(cluster, "UPDATE audit_log SET outcome = 'ok' || '' , who = 'someone' WHERE sequence = 7");
  auto changed = cluster.Operator({"audit", "verify"});
  EXPECT_EQ(changed.exit_code, 1);
  EXPECT_THAT(changed.out, HasSubstr("BROKEN at entry #7"));
  EXPECT_THAT(changed.out, HasSubstr("changed"));

  Tamper(cluster, "DELETE FROM audit_log WHERE sequence = 5");
  auto deleted = cluster.Operator({"audit", "verify"});
  EXPECT_EQ(deleted.exit_code, 1);
  EXPECT_THAT(deleted.out, HasSubstr("BROKEN at entry #6"));
  EXPECT_THAT(deleted.out, HasSubstr("missing"));

  Tamper(cluster,
         "UPDATE audit_log SET sequence = 100 WHERE sequence = 2; "
         "UPDATE audit_log SET sequence = 2 WHERE sequence = 3; "
         "UPDATE audit_log SET sequence = 3 WHERE sequence = 100");
  auto reordered = cluster.Operator({"audit", "verify"});
  EXPECT_EQ(reordered.exit_code, 1);
  EXPECT_THAT(reordered.out, HasSubstr("BROKEN at entry #2"));
  EXPECT_THAT(reordered.out, HasSubstr("reordered"));
}

}  // namespace
}  // namespace anding::testing

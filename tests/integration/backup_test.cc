// Online backup and restore through the real daemons: `anding backup` while
// an agent sends, `anding-dispatcher restore` into a fresh data directory
// and a dispatcher started on it, the refusals (a name with a path, a
// second backup while one runs, a unit officer, a restore while the
// dispatcher runs, a corrupted copy), the agent's outbox backup, a
// database from a newer build refused at start, and one from the previous
// schema upgraded with every record.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "anding/common/strings.h"
#include "anding/runtime/curve_keys.h"
#include "anding/storage/database.h"
#include "support/cluster.h"

namespace anding::testing {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;

// Writes `count` visit records as JSON lines for `anding-agent import`.
std::string WriteImport(Cluster& cluster, const std::string& name, int count) {
  const std::string path = cluster.dir() + "/" + name + ".jsonl";
  std::ofstream out(path);
  for (int i = 0; i < count; ++i) {
    out << R"({"visit_record": {"day": "2026-11-27", "batches": 1, "persons": )" << (i % 9) + 1
        << R"(, "category_id": "other", "note": ")" << name << " #" << i << "\"}}\n";
  }
  return path;
}

std::vector<std::string> Column(const std::string& database, const std::string& sql) {
  storage::OpenOptions options;
  options.read_only = true;
  auto db = storage::Database::Open(database, options);
  EXPECT_TRUE(db.ok()) << db.status();
  auto s = (*db)->Prepare(sql);
  EXPECT_TRUE(s.ok()) << s.status();
  std::vector<std::string> values;
  while (*s->Step()) values.push_back(s->Text(0));
  return values;
}

std::string BackupPath(const std::string& out) {
  std::smatch match;
  return std::regex_search(out, match, std::regex("host: (\\S+)")) ? match[1].str() : "";
}

CommandResult Restore(const std::string& file, const std::string& config) {
  return RunCommand(ANDING_DISPATCHER_BIN, {"restore", "--from", file, "--config", config});
}

// Another operator key, enrolled with `role_and_unit`; its configuration.
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

TEST(BackupTest, BackupWhileAnAgentSendsRestoresEveryAcknowledgedEvent) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  // Small steps: the copy interleaves with the commits of the events.
  options.extra_dispatcher_yaml = "backup:\n  pages_per_step: 2\n";
  Cluster cluster("backup-live", options);
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");
  ASSERT_EQ(cluster.Agent("mine-3", {"import", WriteImport(cluster, "first", 1500), "--no-wait"})
                .exit_code,
            0);
  ASSERT_TRUE(WaitFor(
      [&] {
        return Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM events") > 300;
      },
      seconds(60)));
  // More keeps coming while the backup runs.
  ASSERT_EQ(cluster.Agent("mine-3", {"import", WriteImport(cluster, "second", 1500), "--no-wait"})
                .exit_code,
            0);
  // What the agent knows the dispatcher stored, before the backup begins.
  const std::vector<std::string> acknowledged =
      Column(cluster.AgentDatabase("mine-3"), "SELECT message_id FROM outbox WHERE state = 2");
  ASSERT_GT(acknowledged.size(), 300u);
  const CommandResult taken = cluster.Operator({"backup", "--out", "live.db"});
  ASSERT_EQ(taken.exit_code, 0) << taken.err;
  const std::string file = BackupPath(taken.out);
  EXPECT_EQ(file, cluster.dir() + "/data/dispatcher/backups/live.db");
  EXPECT_THAT(taken.out, HasSubstr("integrity checked"));
  EXPECT_THAT(taken.out, HasSubstr("ledger 6"));
  ASSERT_TRUE(std::filesystem::exists(file + ".manifest"));
  // Audited, under the commander who asked.
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM audit_log WHERE kind = 'backup' AND "
                              "outcome = 'ok'"),
            1);

  // A restore while the dispatcher runs is refused, and changes nothing.
  const CommandResult busy = Restore(file, cluster.DispatcherConfig());
  EXPECT_EQ(busy.exit_code, 1);
  EXPECT_THAT(busy.err, HasSubstr("is in use by anding-dispatcher pid"));
  EXPECT_TRUE(cluster.DispatcherRunning());

  // A fresh installation restored from the copy has every acknowledged event.
  ClusterOptions fresh_options;
  fresh_options.agent_units = {"mine-3"};
  Cluster fresh("backup-restored", fresh_options);
  const CommandResult restored = Restore(file, fresh.DispatcherConfig());
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_THAT(restored.out, HasSubstr("there was no database before"));
  fresh.StartDispatcher();
  const auto stored =
      Column(fresh.DispatcherDatabase(), "SELECT message_id FROM events WHERE unit_id = 'mine-3'");
  const std::set<std::string> in_restored(stored.begin(), stored.end());
  size_t missing = 0;
  for (const std::string& id : acknowledged) missing += in_restored.count(id) == 0 ? 1 : 0;
  EXPECT_EQ(missing, 0u) << "of " << acknowledged.size() << " acknowledged before the backup";
  const CommandResult status = fresh.Operator({"status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;

  // The live installation kept going: everything arrives there.
  ASSERT_TRUE(WaitFor(
      [&] {
        return Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM events") ==
               3000;
      },
      seconds(120)));
}

TEST(BackupTest, RefusesABadNameASecondBackupAndAUnitOfficer) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  // Slow on purpose: one page per step and a rest after each, so that the
  // first backup is still running when the second is asked for.
  options.extra_dispatcher_yaml =
      "users:\n  password_hashing: minimum\nbackup:\n  pages_per_step: 1\n"
      "  pause_between_steps: 20ms\n";
  Cluster cluster("backup-refusals", options);
  const std::string officer = AddOperator(cluster, "li", "unit_officer mine-3");
  cluster.StartDispatcher();

  const CommandResult path = cluster.Operator({"backup", "--out", "../escape.db"});
  EXPECT_NE(path.exit_code, 0);
  EXPECT_THAT(path.err, HasSubstr("path separator"));
  EXPECT_FALSE(std::filesystem::exists(cluster.dir() + "/data/dispatcher/escape.db"));

  const CommandResult denied = RunCommand(ANDING_CLI_BIN, {"--config", officer, "backup"});
  EXPECT_NE(denied.exit_code, 0);
  EXPECT_THAT(denied.err, HasSubstr("unit_officer may not backup"));

  CommandResult first;
  std::thread running([&] { first = cluster.Operator({"backup", "--out", "slow.db"}); });
  const std::string partial = cluster.dir() + "/data/dispatcher/backups/slow.db.partial";
  const bool started = WaitFor([&] { return std::filesystem::exists(partial); }, seconds(30));
  const CommandResult second = cluster.Operator({"backup", "--out", "other.db"});
  running.join();
  ASSERT_TRUE(started);
  EXPECT_NE(second.exit_code, 0);
  EXPECT_THAT(second.err, HasSubstr("a backup is being taken ('slow.db')"));
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_FALSE(std::filesystem::exists(cluster.dir() + "/data/dispatcher/backups/other.db"));
  // The same name again: a backup is never overwritten.
  const CommandResult again = cluster.Operator({"backup", "--out", "slow.db"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_THAT(again.err, HasSubstr("never overwritten"));
  // Each refusal is in the audit trail.
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM audit_log WHERE kind = 'backup' AND "
                              "outcome <> 'ok'"),
            4);
}

TEST(BackupTest, RestoreRefusesACorruptedBackup) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  Cluster cluster("backup-corrupt", options);
  cluster.StartDispatcher();
  const CommandResult taken = cluster.Operator({"backup"});
  ASSERT_EQ(taken.exit_code, 0) << taken.err;
  const std::string file = BackupPath(taken.out);
  EXPECT_THAT(file, HasSubstr("/backups/anding-"));
  ASSERT_EQ(cluster.StopDispatcher(), 0);
  const int64_t before =
      Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM schema_migrations");
  {
    std::fstream bytes(file, std::ios::in | std::ios::out | std::ios::binary);
    bytes.seekp(5000);
    bytes.put('\x42');
  }
  const CommandResult refused = Restore(file, cluster.DispatcherConfig());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("nothing was changed"));
  EXPECT_THAT(refused.err, HasSubstr("is not the file its manifest describes"));
  EXPECT_EQ(
      Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM schema_migrations"),
      before);
  std::vector<std::string> aside;
  for (const auto& entry :
       std::filesystem::directory_iterator(cluster.dir() + "/data/dispatcher")) {
    if (entry.path().string().find("before-restore") != std::string::npos) {
      aside.push_back(entry.path());
    }
  }
  EXPECT_TRUE(aside.empty());
  cluster.StartDispatcher();
}

TEST(BackupTest, AgentOutboxBackupKeepsUnsentEvents) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  Cluster cluster("backup-agent", options);
  // The dispatcher's first start writes the agents' configuration; then it
  // stops, and everything the office reports waits in its outbox.
  cluster.StartDispatcher();
  ASSERT_EQ(cluster.StopDispatcher(), 0);
  cluster.StartAgent("mine-3");
  ASSERT_EQ(cluster.Agent("mine-3", {"import", WriteImport(cluster, "offline", 40), "--no-wait"})
                .exit_code,
            0);
  const std::string file = cluster.dir() + "/outbox-copy.db";
  const CommandResult taken = cluster.Agent("mine-3", {"backup", "--out", file});
  ASSERT_EQ(taken.exit_code, 0) << taken.err;
  EXPECT_THAT(taken.out, HasSubstr("integrity checked"));
  EXPECT_EQ(Cluster::QueryInt(file, "SELECT COUNT(*) FROM outbox WHERE state = 1"), 40);
  EXPECT_EQ(Cluster::QueryInt(file, "SELECT value FROM counters WHERE name = 'next_sequence'"),
            Cluster::QueryInt(cluster.AgentDatabase("mine-3"),
                              "SELECT value FROM counters WHERE name = 'next_sequence'"));
  const CommandResult verified = RunCommand(ANDING_DISPATCHER_BIN, {"verify-backup", file});
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_THAT(verified.out, HasSubstr("agent 1"));
}

// A database written by a newer build is refused at start, by name, and
// left as it is.
TEST(BackupTest, ADatabaseFromANewerBuildIsRefusedAtStart) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  Cluster cluster("backup-newer", options);
  cluster.StartDispatcher();
  ASSERT_EQ(cluster.StopDispatcher(), 0);
  {
    auto db = storage::Database::Open(cluster.DispatcherDatabase());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)
                    ->Exec("INSERT INTO schema_migrations (domain, version, description) "
                           "VALUES ('ledger', 99, 'from the future')")
                    .ok());
  }
  const CommandResult start =
      RunCommand(ANDING_DISPATCHER_BIN, {"--config", cluster.DispatcherConfig()});
  EXPECT_EQ(start.exit_code, 1);
  EXPECT_THAT(start.out + start.err,
              HasSubstr("has ledger schema version 99 but this build knows only up to 6; "
                        "refusing to run an older build on newer data"));
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT MAX(version) FROM schema_migrations WHERE domain = 'ledger'"),
            99);
  EXPECT_FALSE(std::filesystem::exists(cluster.dir() + "/data/dispatcher/backups"));
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A database written by the build before the aftermath domain and ledger
// schema 3 (commit 9e51c21, by tests/fixtures/upgrade/make-fixture: the
// daemons of that build, driven by its own command lines) starts under
// this build: a backup of it is taken first, every pending migration runs
// (the ledger's up to 6 and the dispatch domain's up to 2: their indexes
// of what is open and recent),
// every record is still there and answers through today's commands, the
// incident left settled then closes once reviewed, and the agents go on
// sending.
TEST(BackupTest, ADatabaseOfThePreviousSchemaUpgradesWithEveryRecord) {
  const std::string fixture = ANDING_UPGRADE_FIXTURE_DIR "/dispatcher-9e51c21.db";
  ASSERT_TRUE(std::filesystem::exists(fixture)) << fixture;
  ClusterOptions options;
  options.agent_units = {"mine-3", "mine-6"};
  options.extra_dispatcher_yaml = ReadText(ANDING_UPGRADE_FIXTURE_DIR "/dispatcher-extra.yaml");
  Cluster cluster("backup-upgrade", options);
  std::filesystem::create_directories(cluster.dir() + "/data/dispatcher");
  std::filesystem::copy_file(fixture, cluster.DispatcherDatabase());
  std::filesystem::permissions(cluster.DispatcherDatabase(), std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  EXPECT_EQ(Cluster::QueryInt(fixture,
                              "SELECT COUNT(*) FROM schema_migrations WHERE domain = "
                              "'aftermath'"),
            0);
  EXPECT_EQ(Cluster::QueryInt(fixture,
                              "SELECT MAX(version) FROM schema_migrations WHERE domain = 'ledger'"),
            2);
  EXPECT_EQ(Cluster::QueryInt(
                fixture, "SELECT MAX(version) FROM schema_migrations WHERE domain = 'dispatch'"),
            1);
  const auto tables = Column(fixture,
                             "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
                             "LIKE 'sqlite_%' ORDER BY name");
  std::map<std::string, int64_t> rows;
  for (const std::string& table : tables) {
    rows[table] = Cluster::QueryInt(fixture, "SELECT COUNT(*) FROM " + table);
  }
  ASSERT_GT(rows["events"], 0);
  ASSERT_EQ(rows["dispatch_incidents"], 2);

  cluster.StartDispatcher();
  const std::string backups = cluster.dir() + "/data/dispatcher/backups";
  std::vector<std::string> copies;
  for (const auto& entry : std::filesystem::directory_iterator(backups)) {
    if (entry.path().extension() == ".db") copies.push_back(entry.path().string());
  }
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_THAT(copies[0], HasSubstr("/pre-upgrade-"));
  EXPECT_THAT(copies[0], HasSubstr("aftermath0to1"));
  EXPECT_EQ(Cluster::QueryInt(copies[0], "SELECT COUNT(*) FROM events"), rows["events"]);
  const CommandResult verified = RunCommand(ANDING_DISPATCHER_BIN, {"verify-backup", copies[0]});
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  for (const auto& [table, count] : rows) {
    EXPECT_GE(Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM " + table),
              count)
        << table;
  }
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT MAX(version) FROM schema_migrations WHERE domain = 'ledger'"),
            6);
  EXPECT_EQ(
      Cluster::QueryInt(cluster.DispatcherDatabase(),
                        "SELECT MAX(version) FROM schema_migrations WHERE domain = 'dispatch'"),
      2);

  // Today's commands read every kind of record the old build wrote.
  const CommandResult events = cluster.Operator({"events", "list", "--limit", "1000"});
  EXPECT_THAT(events.out, HasSubstr(StrCat(rows["events"], " of ", rows["events"], " stored")));
  EXPECT_THAT(cluster.Operator({"ledger", "list"}).out, HasSubstr("3 ledger items"));
  const CommandResult incidents = cluster.Operator({"incident", "list"});
  EXPECT_THAT(incidents.out, HasSubstr("2 incidents"));
  EXPECT_THAT(incidents.out, HasSubstr("closed"));
  EXPECT_THAT(incidents.out, HasSubstr("settled"));
  EXPECT_THAT(cluster.Operator({"funds", "reconcile"}).out, HasSubstr("BALANCED"));
  EXPECT_THAT(cluster.Operator({"visits", "list", "--repeats"}).out, HasSubstr("repeat of V-"));
  EXPECT_THAT(cluster.Operator({"matters", "list"}).out, HasSubstr("M-000001"));
  const CommandResult funds = cluster.Operator({"stats", "funds", "--format", "csv"});
  EXPECT_THAT(funds.out, HasSubstr("\"4,830.50\""));

  // The incident settled before reviews were kept is held to today's rule:
  // it closes with a complete review, which opens for it on its first edit.
  std::string settled;
  for (const std::string& id :
       Column(cluster.DispatcherDatabase(), "SELECT id FROM dispatch_incidents ORDER BY id")) {
    if (cluster.Operator({"incident", "show", id}).out.find("settled") != std::string::npos) {
      settled = id;
    }
  }
  ASSERT_FALSE(settled.empty());
  ASSERT_EQ(cluster.Operator({"incident", "status", settled, "--step", "aftermath"}).exit_code, 0);
  const CommandResult refused =
      cluster.Operator({"incident", "status", settled, "--step", "closed"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("has no post-incident review"));
  const std::vector<std::string> review = {"incident",
                                           "review",
                                           settled,
                                           "--investigation",
                                           "核实待遇差额",
                                           "--solution",
                                           "按政策解释",
                                           "--department",
                                           "人力资源部",
                                           "--told-at",
                                           FormatUtc(cluster.clock().Now()),
                                           "--told-by",
                                           "信访办 王主任",
                                           "--root-cause",
                                           "policy",
                                           "--responsibility",
                                           "解释不到位",
                                           "--other-losses",
                                           "0.00",
                                           "--other-losses-text",
                                           "无其他损失",
                                           "--lessons",
                                           "政策变动前先排查"};
  const CommandResult reviewed = cluster.Operator(review);
  ASSERT_EQ(reviewed.exit_code, 0) << reviewed.err;
  const CommandResult closed =
      cluster.Operator({"incident", "status", settled, "--step", "closed"});
  EXPECT_EQ(closed.exit_code, 0) << closed.out << closed.err;

  // The agents go on: a new warning is filed on the upgraded 台账.
  cluster.StartAgent("mine-3");
  const CommandResult warning =
      cluster.Agent("mine-3", {"report", "early-warning", "--summary", "升级后的第一条预警",
                               "--persons", "3", "--category", "other", "--level", "low"});
  EXPECT_EQ(warning.exit_code, 0) << warning.err;
  ASSERT_TRUE(WaitFor(
      [&] {
        return Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM events") >
               rows["events"];
      },
      seconds(30)));
}

}  // namespace
}  // namespace anding::testing

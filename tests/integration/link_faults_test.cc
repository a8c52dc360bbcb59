// The reliable, authenticated link under faults (issue: reliable link):
// kill -9 of either daemon, a dispatcher that is down for a while, unknown
// and revoked keys, forged units, garbage frames, orders for an offline
// agent, and a live-feed subscriber that loses messages.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "anding/cli/feed_subscriber.h"
#include "anding/runtime/curve_keys.h"
#include "anding/storage/database.h"
#include "anding/wire/codec.h"
#include "support/cluster.h"
#include "support/raw_agent.h"

namespace anding::testing {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;

int64_t StoredEvents(Cluster& cluster) {
  return Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM events");
}

int64_t Queued(Cluster& cluster, const std::string& unit) {
  return Cluster::QueryInt(cluster.AgentDatabase(unit),
                           "SELECT COUNT(*) FROM outbox WHERE state = 1");
}

// Messages the agent's outbox holds that the dispatcher has not stored
// exactly once (0 when every acknowledged message is stored, once).
int64_t MissingOrDuplicated(Cluster& cluster, const std::string& unit) {
  auto db = storage::Database::Open(cluster.DispatcherDatabase(), storage::OpenOptions{true});
  EXPECT_TRUE(db.ok());
  EXPECT_TRUE((*db)->Exec("ATTACH DATABASE '" + cluster.AgentDatabase(unit) + "' AS agent").ok());
  auto stmt = (*db)->Prepare(
      "SELECT COUNT(*) FROM agent.outbox o WHERE (SELECT COUNT(*) FROM main.events e WHERE "
      "e.unit_id = ? AND e.message_id = o.message_id) != 1");
  EXPECT_TRUE(stmt.ok());
  stmt->Bind(1, unit);
  auto row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row);
  return stmt->Int64(0);
}

// Writes `count` events as JSON lines for `anding-agent import`: mostly
// visit records (接处访), with an early warning every tenth line, as a
// unit's day looks.
std::string WriteImport(Cluster& cluster, const std::string& name, int count) {
  const std::string path = cluster.dir() + "/" + name + ".jsonl";
  std::ofstream out(path);
  for (int i = 0; i < count; ++i) {
    if (i % 10 == 0) {
      out << R"({"early_warning": {"summary": ")" << name << " #" << i
          << R"(", "category_id": "other", "persons": )" << (i % 50) + 1 << "}}\n";
    } else {
      out << R"({"visit_record": {"day": "2026-11-27", "batches": 1, "persons": )" << (i % 9) + 1
          << R"(, "category_id": "other", "note": ")" << name << " #" << i << "\"}}\n";
    }
  }
  return path;
}

// A hand-driven connection with the keys enrolled for `unit`.
RawAgent Enrolled(zmq::context_t& context, Cluster& cluster, const std::string& unit) {
  return RawAgent(context, cluster.LinkEndpoint(), cluster.DispatcherPublicKey(),
                  cluster.AgentPublicKey(unit), cluster.AgentSecretKey(unit));
}

void Import(Cluster& cluster, const std::string& unit, const std::string& file) {
  const auto result = cluster.Agent(unit, {"import", file, "--no-wait"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
}

TEST(LinkFaultsTest, KillNineDispatcherRepeatedlyWhileThreeAgentsSend) {
  ClusterOptions options;
  options.agent_units = {"mine-3", "mine-6", "zz-office"};
  Cluster cluster("kill-dispatcher", options);
  cluster.StartDispatcher();
  for (const auto& unit : options.agent_units) cluster.StartAgent(unit);

  // 10,000 events in 30 imports, with the dispatcher killed (-9) and
  // restarted every few imports, sometimes while it is down.
  constexpr int kTotal = 10000;
  int sent = 0;
  for (int round = 0; round < 10; ++round) {
    for (size_t a = 0; a < options.agent_units.size(); ++a) {
      const int chunk = (round == 9 && a == 2) ? kTotal - sent : kTotal / 30;
      Import(
          cluster, options.agent_units[a],
          WriteImport(cluster, "r" + std::to_string(round) + "-" + options.agent_units[a], chunk));
      sent += chunk;
    }
    if (round % 2 == 0) {
      // Kill it as soon as it has stored some of this round.
      const int64_t before = StoredEvents(cluster);
      WaitFor([&] { return StoredEvents(cluster) > before; }, seconds(10),
              std::chrono::milliseconds(2));
      cluster.KillDispatcher();
      if (round % 4 == 0) {
        // Agents keep accepting while it is down.
        Import(cluster, "mine-3", WriteImport(cluster, "down-" + std::to_string(round), 0 + 1));
        ++sent;
      }
      cluster.StartDispatcher();
    }
  }
  ASSERT_EQ(sent, kTotal);
  for (const auto& unit : options.agent_units) {
    ASSERT_TRUE(WaitFor([&] { return Queued(cluster, unit) == 0; }, seconds(120)))
        << unit << " still has " << Queued(cluster, unit) << " queued";
  }
  EXPECT_EQ(StoredEvents(cluster), sent);
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(),
                              "SELECT COUNT(DISTINCT unit_id || message_id) FROM events"),
            sent);
  for (const auto& unit : options.agent_units)
    EXPECT_EQ(MissingOrDuplicated(cluster, unit), 0) << unit;
}

TEST(LinkFaultsTest, KillNineAgentBetweenSendAndAck) {
  Cluster cluster("kill-agent");
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");
  int64_t submitted = 0;
  for (int round = 0; round < 3; ++round) {
    const int64_t before = StoredEvents(cluster);
    Import(cluster, "mine-3", WriteImport(cluster, "k" + std::to_string(round), 3000));
    submitted += 3000;
    // Kill it while messages are on the wire: some stored, some not yet.
    WaitFor([&] { return StoredEvents(cluster) > before; }, seconds(10),
            std::chrono::milliseconds(1));
    cluster.KillAgent("mine-3");
    cluster.StartAgent("mine-3");
  }
  ASSERT_TRUE(WaitFor([&] { return Queued(cluster, "mine-3") == 0; }, seconds(120)));
  EXPECT_EQ(StoredEvents(cluster), submitted);
  EXPECT_EQ(MissingOrDuplicated(cluster, "mine-3"), 0);
}

// An import is safe to run again: each line's message id comes from the
// file and the line, so neither the agent's outbox nor the dispatcher
// stores a line twice, even when the agent is killed during the import,
// or loses its outbox and the whole file is sent again.
TEST(LinkFaultsTest, ReRunningAnInterruptedImportStoresEachLineOnce) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  Cluster cluster("rerun-import", options);
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");
  constexpr int kLines = 5000;
  const std::string file = WriteImport(cluster, "rerun", kLines);
  {
    Process import(ANDING_AGENT_BIN,
                   {"--config", cluster.AgentConfig("mine-3"), "import", file, "--wait", "1s"},
                   cluster.dir() + "/import-1");
    // The first stored line: slow to come on a loaded machine (the ASan
    // build, every test running at once), so the deadline is generous.
    ASSERT_TRUE(WaitFor([&] { return StoredEvents(cluster) > 0; }, seconds(120),
                        std::chrono::milliseconds(1)));
    cluster.KillAgent("mine-3");
    const int status = import.Wait(seconds(30));
    EXPECT_GE(status, 0) << "the import command did not end";
    if (status != 0) {
      EXPECT_THAT(import.Stderr(), HasSubstr("anding-agent:")) << import.Stderr();
    }
  }
  cluster.StartAgent("mine-3");
  Import(cluster, "mine-3", file);  // the re-run
  ASSERT_TRUE(WaitFor([&] { return Queued(cluster, "mine-3") == 0; }, seconds(120)));
  EXPECT_EQ(StoredEvents(cluster), kLines);
  EXPECT_EQ(Cluster::QueryInt(cluster.AgentDatabase("mine-3"), "SELECT COUNT(*) FROM outbox"),
            kLines);
  EXPECT_EQ(MissingOrDuplicated(cluster, "mine-3"), 0);

  // The agent loses its outbox and the dispatcher restarts: the whole file
  // is sent again, and the dispatcher recognises every line.
  cluster.StopAgent("mine-3");
  std::filesystem::remove(cluster.AgentDatabase("mine-3"));
  std::filesystem::remove(cluster.AgentDatabase("mine-3") + "-wal");
  std::filesystem::remove(cluster.AgentDatabase("mine-3") + "-shm");
  cluster.KillDispatcher();
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");
  Import(cluster, "mine-3", file);
  ASSERT_TRUE(WaitFor([&] { return Queued(cluster, "mine-3") == 0; }, seconds(120)));
  EXPECT_EQ(StoredEvents(cluster), kLines);
  EXPECT_EQ(MissingOrDuplicated(cluster, "mine-3"), 0);
}

// The link's liveness on a clock sixty times as fast as real time:
// heartbeats every 5 s (simulated), so a silence of 15 s is a quarter of a
// real second.
ClusterOptions FastHeartbeats(std::vector<std::string> agents) {
  ClusterOptions options;
  options.agent_units = std::move(agents);
  options.simulated_start = *ParseRfc3339("2026-11-27T10:00:00+08:00");
  options.clock_rate = 60;
  options.heartbeat_interval = seconds(5);
  options.offline_after = std::chrono::minutes(1);
  return options;
}

TEST(LinkFaultsTest, AgentsKeepAcceptingWhileTheDispatcherIsDown) {
  Cluster cluster("dispatcher-down", FastHeartbeats({"mine-3", "zz-office"}));
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");
  cluster.StartAgent("zz-office");
  ASSERT_EQ(cluster.StopDispatcher(), 0);
  for (int i = 0; i < 5; ++i) {
    const auto result =
        cluster.Agent("mine-3", {"report", "daily", "--day", "2026-11-0" + std::to_string(i + 1),
                                 "--zero", "--wait", "50ms"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_THAT(result.out, HasSubstr("queued"));
  }
  Import(cluster, "zz-office", WriteImport(cluster, "offline", 500));
  // Three heartbeat intervals without a word from the dispatcher.
  ASSERT_TRUE(WaitFor(
      [&] { return cluster.Agent("mine-3", {"status"}).out.find("is DOWN") != std::string::npos; },
      seconds(10)));
  EXPECT_THAT(cluster.Agent("mine-3", {"status"}).out, HasSubstr("5 messages waiting"));

  cluster.StartDispatcher();
  ASSERT_TRUE(WaitFor([&] { return Queued(cluster, "mine-3") + Queued(cluster, "zz-office") == 0; },
                      seconds(60)));
  EXPECT_EQ(StoredEvents(cluster), 505);
  EXPECT_EQ(MissingOrDuplicated(cluster, "mine-3"), 0);
  EXPECT_EQ(MissingOrDuplicated(cluster, "zz-office"), 0);
  EXPECT_THAT(cluster.Agent("mine-3", {"status"}).out, HasSubstr("is UP"));
}

// The dispatcher marks an agent offline once it has been silent for
// offline_after (a minute, simulated: a real second), not before, and online
// again as soon as it talks.
TEST(LinkFaultsTest, AnAgentSilentForItsOfflineTimeoutIsMarkedOffline) {
  Cluster cluster("offline-timeout", FastHeartbeats({"zz-office"}));
  cluster.StartDispatcher();
  cluster.StartAgent("zz-office");
  auto listed = [&] { return cluster.Operator({"agents", "list"}).out; };
  ASSERT_TRUE(WaitFor([&] { return listed().find("zz-office      ONLINE") != std::string::npos; },
                      seconds(10)))
      << listed();

  cluster.KillAgent("zz-office");
  const Time killed = cluster.clock().Now();
  ASSERT_TRUE(WaitFor([&] { return listed().find("zz-office      offline") != std::string::npos; },
                      seconds(10)))
      << listed();
  const Duration silent = cluster.clock().Now() - killed;
  // Its last heartbeat came at most one interval before the kill.
  EXPECT_GE(silent, std::chrono::minutes(1) - seconds(5));
  EXPECT_LT(silent, std::chrono::minutes(1) + seconds(30));

  cluster.StartAgent("zz-office");
  ASSERT_TRUE(WaitFor([&] { return listed().find("zz-office      ONLINE") != std::string::npos; },
                      seconds(10)))
      << listed();
}

TEST(LinkFaultsTest, UnenrolledAndRevokedKeysDeliverNothing) {
  ClusterOptions options;
  options.agent_units = {"mine-3", "mine-6"};
  Cluster cluster("keys", options);
  cluster.StartDispatcher();
  zmq::context_t context(1);

  // A stranger's key: the handshake is refused, nothing is stored.
  auto stranger_keys = runtime::GenerateCurveKeyPair();
  ASSERT_TRUE(stranger_keys.ok());
  RawAgent stranger(context, cluster.LinkEndpoint(), cluster.DispatcherPublicKey(),
                    stranger_keys->public_key, stranger_keys->secret_key);
  EXPECT_FALSE(stranger.Exchange(stranger.MakeEarlyWarning("mine-3", 1), seconds(2)).has_value());

  // mine-6 is enrolled and delivers ...
  RawAgent mine6 = Enrolled(context, cluster, "mine-6");
  auto reply = mine6.Exchange(mine6.MakeEarlyWarning("mine-6", 1), seconds(10));
  ASSERT_TRUE(reply && reply->has_ack());
  EXPECT_EQ(StoredEvents(cluster), 1);

  // ... until it is revoked: refused on the connection it already has ...
  cluster.Revoke("mine-6");
  int64_t stored_when_revoked = 0;
  ASSERT_TRUE(WaitFor(
      [&] {
        auto answer =
            mine6.Exchange(mine6.MakeEarlyWarning("mine-6", 2), std::chrono::milliseconds(300));
        stored_when_revoked = StoredEvents(cluster);
        return answer && answer->has_nack() &&
               answer->nack().reason() == v1::NACK_REASON_PERMISSION_DENIED;
      },
      seconds(10)));
  for (uint64_t sequence = 100; sequence < 105; ++sequence) {
    auto answer = mine6.Exchange(mine6.MakeEarlyWarning("mine-6", sequence), seconds(2));
    ASSERT_TRUE(answer && answer->has_nack());
    EXPECT_EQ(answer->nack().reason(), v1::NACK_REASON_PERMISSION_DENIED);
  }
  // ... and on a new one.
  RawAgent again = Enrolled(context, cluster, "mine-6");
  EXPECT_FALSE(again.Exchange(again.MakeEarlyWarning("mine-6", 3), seconds(2)).has_value());
  EXPECT_EQ(StoredEvents(cluster), stored_when_revoked);
  EXPECT_TRUE(cluster.DispatcherRunning());
  EXPECT_THAT(cluster.dispatcher()->Stderr(), HasSubstr("not enrolled"));
}

TEST(LinkFaultsTest, AgentClaimingAnotherUnitIsRejected) {
  Cluster cluster("wrong-unit");
  cluster.StartDispatcher();
  zmq::context_t context(1);
  RawAgent mine3 = Enrolled(context, cluster, "mine-3");
  auto reply = mine3.Exchange(mine3.MakeEarlyWarning("zz-office", 1), seconds(10));
  ASSERT_TRUE(reply && reply->has_nack());
  EXPECT_EQ(reply->nack().reason(), v1::NACK_REASON_WRONG_UNIT);
  EXPECT_THAT(reply->nack().detail(), HasSubstr("enrolled for unit 'mine-3'"));
  EXPECT_EQ(StoredEvents(cluster), 0);
  EXPECT_THAT(cluster.dispatcher()->Stderr(), HasSubstr("claiming unit 'zz-office'"));
}

TEST(LinkFaultsTest, AnEnvelopeTheDomainRefusedIsAnsweredAgainWhenRepeated) {
  Cluster cluster("refused-repeat");
  cluster.StartDispatcher();
  zmq::context_t context(1);
  RawAgent mine3 = Enrolled(context, cluster, "mine-3");
  auto refused = mine3.MakeEarlyWarning("mine-3", 1);
  refused.mutable_early_warning()->set_category_id("no-such-category");
  // The intake remembers an envelope from acceptance on; one the domain
  // refuses must be forgotten again, or its repeat would go unanswered.
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto reply = mine3.Exchange(refused, seconds(10));
    ASSERT_TRUE(reply && reply->has_nack()) << "attempt " << attempt;
    EXPECT_EQ(reply->nack().message_id(), refused.message_id());
    EXPECT_THAT(reply->nack().detail(), HasSubstr("no-such-category"));
  }
  auto accepted = mine3.Exchange(mine3.MakeEarlyWarning("mine-3", 2), seconds(10));
  ASSERT_TRUE(accepted && accepted->has_ack());
  EXPECT_EQ(StoredEvents(cluster), 1);
}

// A storage failure while early warnings change a ledger item (台账): another
// process holds the database's write lock, so every commit fails once
// SQLite's busy timeout runs out. Nothing that was not stored is
// acknowledged; the dispatcher says so in its log and in one stored alert;
// once the lock is gone every event is stored exactly once, and the item's
// logs are complete (a restart loads them, checking every entry).
TEST(LinkFaultsTest, AStorageFailureAcknowledgesNothingRaisesOneAlertAndRecovers) {
  ClusterOptions options;
  options.agent_units = {"mine-3"};
  Cluster cluster("storage-failure", options);
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");
  // One warning in ten: 10 now, 20 while the store fails, 10 after.
  Import(cluster, "mine-3", WriteImport(cluster, "before", 100));
  ASSERT_TRUE(WaitFor([&] { return Queued(cluster, "mine-3") == 0; }, seconds(60)));
  ASSERT_EQ(StoredEvents(cluster), 100);
  const int64_t items =
      Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM ledger_items");
  ASSERT_GE(items, 1);

  auto locker = storage::Database::Open(cluster.DispatcherDatabase());
  ASSERT_TRUE(locker.ok()) << locker.status();
  ASSERT_TRUE((*locker)->Exec("BEGIN IMMEDIATE").ok());
  Import(cluster, "mine-3", WriteImport(cluster, "during", 200));
  auto failures = [&] {
    const std::string log = cluster.dispatcher()->Stderr();
    size_t count = 0;
    for (size_t at = log.find("STORAGE FAILURE"); at != std::string::npos;
         at = log.find("STORAGE FAILURE", at + 1)) {
      ++count;
    }
    return count;
  };
  // Two failed commits: the second one after the dispatcher had recovered
  // from the first and accepted the agent's resent envelopes again.
  ASSERT_TRUE(WaitFor([&] { return failures() >= 2; }, seconds(60)))
      << cluster.dispatcher()->Stderr();
  EXPECT_EQ(Queued(cluster, "mine-3"), 200) << "acknowledged without being stored";
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM events"), 100);
  EXPECT_TRUE(cluster.DispatcherRunning());
  ASSERT_TRUE((*locker)->Exec("ROLLBACK").ok());
  locker->reset();

  ASSERT_TRUE(WaitFor([&] { return Queued(cluster, "mine-3") == 0; }, seconds(120)))
      << Queued(cluster, "mine-3") << " still queued";
  Import(cluster, "mine-3", WriteImport(cluster, "after", 100));
  ASSERT_TRUE(WaitFor([&] { return Queued(cluster, "mine-3") == 0; }, seconds(60)));
  EXPECT_EQ(StoredEvents(cluster), 400);
  EXPECT_EQ(MissingOrDuplicated(cluster, "mine-3"), 0);

  // One alert for the whole failure, counting its failed commits.
  auto alerts = [&] {
    return Cluster::QueryInt(cluster.DispatcherDatabase(),
                             "SELECT COUNT(*) FROM alerts WHERE kind = 'storage_failure'");
  };
  ASSERT_TRUE(WaitFor([&] { return alerts() >= 1; }, seconds(30)));
  EXPECT_EQ(alerts(), 1);
  const CommandResult listed = cluster.Operator({"alerts", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("storage_failure"));
  EXPECT_THAT(listed.out, HasSubstr("存储写入失败"));
  EXPECT_THAT(listed.out, HasSubstr("database is locked"));

  // Every warning joined its item once, and the logs load after a restart.
  const int64_t warnings =
      Cluster::QueryInt(cluster.DispatcherDatabase(),
                        "SELECT COUNT(*) FROM events WHERE payload_kind = 'early_warning'");
  EXPECT_EQ(warnings, 40);
  EXPECT_EQ(Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM ledger_warnings"),
            warnings);
  EXPECT_EQ(
      Cluster::QueryInt(cluster.DispatcherDatabase(), "SELECT COUNT(*) FROM ledger_item_warnings"),
      warnings);
  EXPECT_EQ(cluster.StopDispatcher(), 0);
  cluster.StartDispatcher();
  const CommandResult status = cluster.Operator({"status"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
}

TEST(LinkFaultsTest, GarbageFramesNeitherCrashNorDisturbOthers) {
  Cluster cluster("garbage");
  cluster.StartDispatcher();
  cluster.StartAgent("zz-office");
  zmq::context_t context(1);
  RawAgent attacker = Enrolled(context, cluster, "mine-3");
  // Make sure the connection is up before the garbage.
  auto first = attacker.Exchange(attacker.MakeEarlyWarning("mine-3", 1), seconds(10));
  ASSERT_TRUE(first && first->has_ack());

  std::mt19937 random(20261127);
  const std::string good = wire::Encode([&] {
    v1::Frame frame;
    *frame.add_envelopes() = attacker.MakeEarlyWarning("mine-3", 2);
    return frame;
  }());
  std::vector<std::string> garbage = {"", good.substr(0, good.size() / 2),
                                      good.substr(0, good.size() - 1), std::string(64, '\xff')};
  for (int i = 0; i < 300; ++i) {
    std::string bytes(1 + random() % 2000, '\0');
    for (auto& c : bytes) c = static_cast<char>(random());
    garbage.push_back(bytes);
  }
  // Well-formed protobuf that is not a valid envelope.
  v1::Frame no_payload;
  no_payload.add_envelopes()->set_schema_version(1);
  garbage.push_back(wire::Encode(no_payload));
  v1::Frame future;
  *future.add_envelopes() = attacker.MakeEarlyWarning("mine-3", 3);
  future.mutable_envelopes(0)->set_schema_version(99);
  garbage.push_back(wire::Encode(future));
  for (const auto& bytes : garbage) ASSERT_TRUE(attacker.SendBytes(bytes));

  // Each is answered with a nack, never with an ack.
  int nacks = 0;
  while (auto frame = attacker.Receive(seconds(3))) {
    for (const auto& envelope : frame->envelopes()) {
      EXPECT_FALSE(envelope.has_ack()) << envelope.ShortDebugString();
      if (envelope.has_nack()) ++nacks;
    }
    if (nacks >= static_cast<int>(garbage.size())) break;
  }
  EXPECT_GE(nacks, static_cast<int>(garbage.size()) - 5);

  // Oversized: the connection is dropped by the dispatcher, nothing else.
  ASSERT_TRUE(attacker.SendBytes(std::string(3 << 20, 'x')));

  // A good agent is served throughout.
  const auto report = cluster.Agent(
      "zz-office", {"report", "visit", "--day", "2026-11-27", "--batches", "2", "--persons", "9"});
  EXPECT_EQ(report.exit_code, 0) << report.err;
  EXPECT_THAT(report.out, HasSubstr("stored by the dispatcher"));
  EXPECT_TRUE(cluster.DispatcherRunning());
  EXPECT_EQ(StoredEvents(cluster), 2);
  const auto status = cluster.Operator({"status", "--json"});
  EXPECT_THAT(status.out, HasSubstr("\"malformed_frames\""));
  // The store's commits and checkpoints are part of the dispatcher's health.
  const auto text = cluster.Operator({"status"});
  EXPECT_THAT(text.out, HasSubstr("commits "));
  EXPECT_THAT(text.out, HasSubstr("restarted the WAL; commits waited at most"));
}

TEST(LinkFaultsTest, OrdersForAnOfflineAgentArriveInOrderExactlyOnce) {
  Cluster cluster("orders");
  cluster.StartDispatcher();
  for (int i = 1; i <= 3; ++i) {
    const auto sent = cluster.Operator({"orders", "send", "--unit", "zz-office", "--kind", "notice",
                                        "--title", "通知 " + std::to_string(i)});
    ASSERT_EQ(sent.exit_code, 0) << sent.err;
  }
  // The dispatcher restarts in between: the orders are stored, not in memory.
  cluster.KillDispatcher();
  cluster.StartDispatcher();
  cluster.StartAgent("zz-office");
  ASSERT_TRUE(WaitFor(
      [&] {
        return Cluster::QueryInt(cluster.AgentDatabase("zz-office"),
                                 "SELECT COUNT(*) FROM orders") == 3;
      },
      seconds(30)));
  const auto orders = cluster.Agent("zz-office", {"orders"});
  ASSERT_EQ(orders.exit_code, 0);
  const auto first = orders.out.find("通知 1");
  const auto second = orders.out.find("通知 2");
  const auto third = orders.out.find("通知 3");
  ASSERT_NE(first, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  ASSERT_TRUE(WaitFor(
      [&] {
        return Cluster::QueryInt(cluster.DispatcherDatabase(),
                                 "SELECT COUNT(*) FROM outbound WHERE acked_at_us IS NOT NULL") ==
               3;
      },
      seconds(30)));
  // Reconnects do not deliver them again.
  cluster.StopAgent("zz-office");
  cluster.StartAgent("zz-office");
  const auto status = cluster.Agent("zz-office", {"status"});
  ASSERT_TRUE(WaitFor(
      [&] { return cluster.Agent("zz-office", {"status"}).out.find("is UP") != std::string::npos; },
      seconds(20)));
  EXPECT_EQ(Cluster::QueryInt(cluster.AgentDatabase("zz-office"), "SELECT COUNT(*) FROM orders"),
            3);

  // The officer acknowledges one; the acknowledgement travels up.
  const std::string list = cluster.Agent("zz-office", {"orders", "--json"}).out;
  const auto id_at = list.find("\"order_id\":\"");
  ASSERT_NE(id_at, std::string::npos);
  const std::string order_id = list.substr(id_at + 12, 36);
  const auto ack = cluster.Agent("zz-office", {"orders", "ack", order_id, "--by", "孙主任"});
  EXPECT_EQ(ack.exit_code, 0) << ack.err;
  EXPECT_THAT(ack.out, HasSubstr("stored by the dispatcher"));
}

// An office away for long: of its orders, the dispatcher holds two in
// memory and leaves the rest in the store, across a restart, and the agent
// still receives all of them, in order, each once.
TEST(LinkFaultsTest, OrdersBeyondWhatIsHeldWaitInTheStoreAndArriveInOrder) {
  ClusterOptions options;
  options.extra_link_yaml = "  orders_held_per_unit: 2\n";
  Cluster cluster("orders-held", options);
  cluster.StartDispatcher();
  constexpr int kOrders = 7;
  const auto send = [&](int i) {
    const auto sent = cluster.Operator({"orders", "send", "--unit", "zz-office", "--kind", "notice",
                                        "--title", "通知 " + std::to_string(i)});
    ASSERT_EQ(sent.exit_code, 0) << sent.err;
  };
  for (int i = 1; i <= 4; ++i) send(i);
  cluster.KillDispatcher();
  cluster.StartDispatcher();
  for (int i = 5; i <= kOrders; ++i) send(i);
  // Every one is counted as pending, held or not.
  const auto agents = cluster.Operator({"agents", "list"});
  EXPECT_THAT(agents.out, HasSubstr("orders pending " + std::to_string(kOrders))) << agents.out;

  cluster.StartAgent("zz-office");
  ASSERT_TRUE(WaitFor(
      [&] {
        return Cluster::QueryInt(cluster.DispatcherDatabase(),
                                 "SELECT COUNT(*) FROM outbound WHERE acked_at_us IS NOT NULL") ==
               kOrders;
      },
      seconds(60)));
  EXPECT_EQ(Cluster::QueryInt(cluster.AgentDatabase("zz-office"), "SELECT COUNT(*) FROM orders"),
            kOrders);
  const auto orders = cluster.Agent("zz-office", {"orders"});
  ASSERT_EQ(orders.exit_code, 0);
  size_t previous = 0;
  for (int i = 1; i <= kOrders; ++i) {
    const auto at = orders.out.find("通知 " + std::to_string(i));
    ASSERT_NE(at, std::string::npos) << i << "\n" << orders.out;
    if (i > 1) {
      EXPECT_LT(previous, at) << i;
    }
    previous = at;
  }
  const auto after = cluster.Operator({"agents", "list"});
  EXPECT_THAT(after.out, HasSubstr("orders pending 0")) << after.out;
  // One more, with the agent connected, goes at once.
  send(kOrders + 1);
  ASSERT_TRUE(WaitFor(
      [&] {
        return Cluster::QueryInt(cluster.AgentDatabase("zz-office"),
                                 "SELECT COUNT(*) FROM orders") == kOrders + 1;
      },
      seconds(30)));
}

TEST(LinkFaultsTest, FeedSubscriberDetectsGapsAndResynchronises) {
  Cluster cluster("feed");
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");
  Import(cluster, "mine-3", WriteImport(cluster, "before", 40));
  ASSERT_TRUE(WaitFor([&] { return StoredEvents(cluster) == 40; }, seconds(30)));

  auto config = cli::LoadOperatorConfig(cluster.OperatorConfig());
  ASSERT_TRUE(config.ok()) << config.status();
  // A late joiner starts from the snapshot.
  cli::FeedSubscriber subscriber(*config);
  ASSERT_TRUE(subscriber.Start().ok());
  EXPECT_EQ(subscriber.view().events_stored, 40u);
  EXPECT_TRUE(subscriber.view().agents.at("mine-3").online());

  // It then loses every seventh item in transit.
  subscriber.set_loss_filter(
      [](const v1::FeedItem& item) { return item.has_heartbeat() || item.sequence() % 7 != 0; });
  Import(cluster, "mine-3", WriteImport(cluster, "after", 200));
  ASSERT_TRUE(WaitFor(
      [&] {
        auto item = subscriber.Next(std::chrono::milliseconds(50));
        return item.ok() && subscriber.view().events_stored == 240;
      },
      seconds(60)));
  EXPECT_GT(subscriber.gaps(), 0u);
  EXPECT_GT(subscriber.resyncs(), 1u);
  EXPECT_EQ(static_cast<int64_t>(subscriber.view().events_stored), StoredEvents(cluster));
  EXPECT_EQ(subscriber.view().sequence,
            static_cast<uint64_t>(
                Cluster::QueryInt(cluster.DispatcherDatabase(),
                                  "SELECT value FROM counters WHERE name = 'feed_sequence'")));
}

}  // namespace
}  // namespace anding::testing

// The module contract end to end: a dispatcher whose only domain module is
// a test-only one (VisitTallyModule), driven by a raw agent and an operator
// client over loopback, then restarted; and a dispatcher that refuses to
// start when two modules claim the same request.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <filesystem>
#include <future>
#include <thread>

#include "anding/cli/operator_client.h"
#include "anding/cli/operator_config.h"
#include "anding/common/config.h"
#include "anding/dispatcher/dispatcher.h"
#include "anding/dispatcher/standard_modules.h"
#include "dispatcher/test_module/visit_tally_module.h"
#include "support/cluster.h"
#include "support/raw_agent.h"

namespace anding::testing {
namespace {

using dispatcher::Dispatcher;

// The dispatcher of `cluster`'s configuration, in this process, with the
// modules `make_modules` gives, on its own io thread.
class InProcessDispatcher {
 public:
  using ModuleList = std::function<std::vector<dispatcher::ModuleFactory>(
      ConfigNode& root, const core::Organisation& org)>;

  InProcessDispatcher(Cluster& cluster, const ModuleList& make_modules) {
    auto document = ConfigDocument::LoadFile(cluster.DispatcherConfig());
    EXPECT_TRUE(document.ok()) << document.status().ToString();
    ConfigNode root = document->root();
    Dispatcher::Options options;
    options.config = dispatcher::ReadDispatcherConfig(root, document->directory());
    options.config.config_path = cluster.DispatcherConfig();
    options.organisation = core::Organisation::Read(root);
    options.modules = make_modules(root, options.organisation);
    options.clock = &clock_;
    const Status finished = document->Finish();
    EXPECT_TRUE(finished.ok()) << finished.ToString();
    endpoints_file_ = options.config.endpoints_file;
    std::filesystem::remove(endpoints_file_);
    auto created = Dispatcher::Create(io_, std::move(options));
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    dispatcher_ = std::move(*created);
  }

  ~InProcessDispatcher() { Stop(); }

  Status Start() {
    Status started = dispatcher_->Start();
    if (started.ok()) thread_ = std::thread([this] { io_.run(); });
    return started;
  }

  void Stop() {
    if (!thread_.joinable()) return;
    boost::asio::post(io_, [this] { dispatcher_->Stop([this] { io_.stop(); }); });
    thread_.join();
  }

  // The link endpoint it bound.
  std::string LinkEndpoint() const {
    auto document = ConfigDocument::LoadFile(endpoints_file_);
    EXPECT_TRUE(document.ok());
    ConfigNode root = document->root();
    return root.Get<std::string>("link");
  }

 private:
  SystemClock clock_;
  boost::asio::io_context io_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::string endpoints_file_;
  std::thread thread_;
};

std::vector<dispatcher::ModuleFactory> OnlyVisitTally(ConfigNode&, const core::Organisation&) {
  return {VisitTallyModule::Factory()};
}

v1::OperatorRequest ListItems() {
  v1::OperatorRequest request;
  request.mutable_list_ledger_items();
  return request;
}

class ModuleContractTest : public ::testing::Test {
 protected:
  ModuleContractTest() : cluster_("module-contract") {}

  v1::Envelope Visit(uint64_t sequence, uint32_t batches, uint32_t persons) {
    v1::Envelope envelope = agent_->MakeEarlyWarning("mine-3", sequence);
    auto* visit = envelope.mutable_visit_record();
    visit->set_day("2026-12-02");
    visit->set_batches(batches);
    visit->set_persons(persons);
    visit->set_category_id("retiree-management");
    return envelope;
  }

  void Connect(InProcessDispatcher& dispatcher) {
    agent_ = std::make_unique<RawAgent>(
        zmq_, dispatcher.LinkEndpoint(), cluster_.DispatcherPublicKey(),
        cluster_.AgentPublicKey("mine-3"), cluster_.AgentSecretKey("mine-3"));
    auto config = cli::LoadOperatorConfig(cluster_.OperatorConfig());
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    operator_ = std::make_unique<cli::OperatorClient>(*config);
  }

  Cluster cluster_;
  zmq::context_t zmq_{1};
  std::unique_ptr<RawAgent> agent_;
  std::unique_ptr<cli::OperatorClient> operator_;
};

TEST_F(ModuleContractTest, ATestModuleServesPayloadsAndRequestsAndSurvivesARestart) {
  {
    InProcessDispatcher dispatcher(cluster_, OnlyVisitTally);
    ASSERT_TRUE(dispatcher.Start().ok());
    Connect(dispatcher);

    // The payload reaches the module; its record id comes back in the ack.
    auto answer = agent_->Exchange(Visit(1, 2, 7), std::chrono::seconds(10));
    ASSERT_TRUE(answer.has_value());
    ASSERT_TRUE(answer->has_ack()) << answer->DebugString();
    EXPECT_EQ(answer->ack().record_id(), "mine-3");
    answer = agent_->Exchange(Visit(2, 1, 3), std::chrono::seconds(10));
    ASSERT_TRUE(answer.has_value() && answer->has_ack());

    // What the module refuses is nacked with its reason, and changes nothing.
    v1::Envelope other = Visit(3, 5, 5);
    other.mutable_visit_record()->set_category_id("three-supplies-handover");
    answer = agent_->Exchange(other, std::chrono::seconds(10));
    ASSERT_TRUE(answer.has_value());
    ASSERT_TRUE(answer->has_nack());
    EXPECT_EQ(answer->nack().reason(), v1::NACK_REASON_INVALID_ARGUMENT);
    EXPECT_NE(answer->nack().detail().find("retiree-management visits only"), std::string::npos);

    auto list = operator_->Call(ListItems());
    ASSERT_TRUE(list.ok()) << list.status().ToString();
    ASSERT_EQ(list->ledger_items().items_size(), 1);
    EXPECT_EQ(list->ledger_items().items(0).unit_id(), "mine-3");
    EXPECT_EQ(list->ledger_items().items(0).persons(), 10u);
    EXPECT_EQ(list->ledger_items().items(0).description(), "3 batches");

    // A request no module of this dispatcher serves.
    v1::OperatorRequest incident;
    incident.mutable_report_incident();
    auto refused = operator_->Call(incident);
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);

    // A command the module refuses is answered with its error.
    v1::OperatorRequest reset;
    reset.mutable_register_ledger_item()->set_unit_id("mine-6");
    EXPECT_EQ(operator_->Call(reset).status().code(), StatusCode::kNotFound);
  }
  // Committed in the module's own table, with the audit trail of the
  // operator's request.
  EXPECT_EQ(Cluster::QueryInt(cluster_.DispatcherDatabase(),
                              "SELECT persons FROM visit_tally WHERE unit_id = 'mine-3'"),
            10);
  EXPECT_EQ(Cluster::QueryInt(cluster_.DispatcherDatabase(),
                              "SELECT COUNT(*) FROM audit_log WHERE kind = "
                              "'register_ledger_item' AND outcome LIKE 'NOT_FOUND%'"),
            1);

  // A restart loads the module's state from the store.
  InProcessDispatcher restarted(cluster_, OnlyVisitTally);
  ASSERT_TRUE(restarted.Start().ok());
  Connect(restarted);
  auto list = operator_->Call(ListItems());
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->ledger_items().items_size(), 1);
  EXPECT_EQ(list->ledger_items().items(0).persons(), 10u);

  // An operator command changes the module's state; the answer follows
  // the commit.
  v1::OperatorRequest reset;
  reset.mutable_register_ledger_item()->set_unit_id("mine-3");
  ASSERT_TRUE(operator_->Call(reset).ok());
  list = operator_->Call(ListItems());
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->ledger_items().items(0).persons(), 0u);
}

TEST_F(ModuleContractTest, AWriteTheStoreRefusesCostsOnlyItsOwnInput) {
  InProcessDispatcher dispatcher(cluster_, OnlyVisitTally);
  ASSERT_TRUE(dispatcher.Start().ok());
  Connect(dispatcher);
  // One frame: twenty good visits and, in their middle, one whose write
  // breaks a CHECK constraint that only the store knows.
  std::vector<v1::Envelope> frame;
  for (uint64_t sequence = 1; sequence <= 21; ++sequence) {
    frame.push_back(Visit(sequence, 1, 2));
    frame.back().mutable_visit_record()->set_note(sequence == 11 ? "poison" : "ok");
  }
  const std::string poison = frame[10].message_id();
  ASSERT_TRUE(agent_->Send(frame));
  // Each is answered: the culprit refused for good, the ones before it
  // stored, the ones after it (which may have copied its effects) told to
  // retry — and stored when they do, as an agent's outbox does.
  std::map<std::string, v1::Envelope> answers;
  std::vector<v1::Envelope> pending = frame;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!pending.empty() && std::chrono::steady_clock::now() < deadline) {
    std::vector<v1::Envelope> retry;
    std::map<std::string, v1::Envelope> got;
    while (got.size() < pending.size() && std::chrono::steady_clock::now() < deadline) {
      auto received = agent_->Receive(std::chrono::milliseconds(200));
      if (!received) continue;
      for (const auto& answer : received->envelopes()) {
        if (answer.has_ack()) got[answer.ack().message_id()] = answer;
        if (answer.has_nack()) got[answer.nack().message_id()] = answer;
      }
    }
    for (const auto& envelope : pending) {
      const v1::Envelope& answer = got[envelope.message_id()];
      if (answer.has_nack() && answer.nack().reason() == v1::NACK_REASON_UNAVAILABLE) {
        retry.push_back(envelope);
      } else {
        answers[envelope.message_id()] = answer;
      }
    }
    pending = retry;
    if (!pending.empty()) {
      ASSERT_TRUE(agent_->Send(pending));
    }
  }
  ASSERT_TRUE(pending.empty());
  ASSERT_EQ(answers.size(), frame.size());
  for (const auto& envelope : frame) {
    const v1::Envelope& answer = answers[envelope.message_id()];
    if (envelope.message_id() == poison) {
      ASSERT_TRUE(answer.has_nack()) << answer.DebugString();
      EXPECT_EQ(answer.nack().reason(), v1::NACK_REASON_INVALID_ARGUMENT);
      EXPECT_NE(answer.nack().detail().find("refused by the store"), std::string::npos);
    } else {
      EXPECT_TRUE(answer.has_ack()) << answer.DebugString();
    }
  }
  // The neighbours are stored, the culprit is not, and the state was
  // rebuilt without it; no storage failure is alleged.
  auto list = operator_->Call(ListItems());
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->ledger_items().items_size(), 1);
  EXPECT_EQ(list->ledger_items().items(0).description(), "20 batches");
  v1::OperatorRequest health;
  health.mutable_status();
  auto status = operator_->Call(health);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->status().failed_commits(), 0u) << "the store did not fail";
  dispatcher.Stop();
  const std::string db = cluster_.DispatcherDatabase();
  EXPECT_EQ(Cluster::QueryInt(db, "SELECT COUNT(*) FROM events"), 20);
  EXPECT_EQ(Cluster::QueryInt(db, "SELECT COUNT(*) FROM visit_notes"), 20);
  EXPECT_EQ(Cluster::QueryInt(db, "SELECT batches FROM visit_tally"), 20);
}

TEST_F(ModuleContractTest, TwoModulesClaimingOneCaseStopTheStart) {
  InProcessDispatcher dispatcher(cluster_, [](ConfigNode& root, const core::Organisation& org) {
    auto modules = dispatcher::StandardModules(root, org);
    modules.push_back(VisitTallyModule::Factory());
    return modules;
  });
  const Status started = dispatcher.Start();
  EXPECT_EQ(started.code(), StatusCode::kInvalidArgument);
  // The first claim both make is the VisitRecord payload, which the
  // standard visits module serves (its requests clash with the ledger's).
  EXPECT_NE(started.message().find("visits and visit_tally both claim agent payload"),
            std::string::npos)
      << started.ToString();
}

}  // namespace
}  // namespace anding::testing

// The link's records as operators see them (events received, agents and
// their liveness, orders down the link, the dispatcher's health), the
// enrolled keys (enrol, revoke, list), the
// orders that operators and commands send to units' agents, and the
// link's own state at every (re)load: the de-duplication window, the
// agents' sequences, the orders not yet acknowledged.
//
// Unlike the domain modules it is built by the dispatcher itself, from the
// parts of the link it reports on.
// Thread-safety: io_context thread only (a Module).
#pragma once

#include "agent_clocks.h"
#include "agent_registry.h"
#include "anding/dispatcher/enrolment.h"
#include "anding/dispatcher/module.h"
#include "anding/storage/commit_queue.h"
#include "feed.h"
#include "intake.h"
#include "link_server.h"
#include "order_outbox.h"
#include "spdlog/logger.h"
#include "zap_handler.h"

namespace anding::dispatcher {

// The parts of the dispatcher the link module reads; all outlive it.
struct LinkParts {
  const std::string& version;
  const Time& started_at;
  const Enrolment& enrolment;
  const std::string& enrolled_keys_file;
  // Re-reads the enrolled keys file now (logs and publishes what changed).
  std::function<void()> reload_enrolment;
  Intake& intake;
  AgentRegistry& agents;
  OrderOutbox& orders;
  LinkServer& link;
  ZapHandler& zap;
  Feed& feed;
  storage::CommitQueue& commits;
  const core::Organisation& org;
  // Measured clock offsets: shown, and restored from the agents' rows.
  AgentClocks& clocks;
};

class LinkModule final : public Module {
 public:
  explicit LinkModule(LinkParts parts);

  [[nodiscard]] std::string_view name() const override { return "link"; }
  [[nodiscard]] std::vector<storage::Migration> Migrations() const override;
  [[nodiscard]] Status Load(storage::Database& db) override;
  [[nodiscard]] std::vector<v1::OperatorRequest::RequestCase> Requests() const override;
  void Serve(OperatorCall& call) override;
  // Queues `out.orders` for their units' agents.
  [[nodiscard]] Status Record(const core::Effects& out, Time now) override;

 private:
  void SendOrder(OperatorCall& call);
  // enrol_agent and revoke_agent: rewrite the enrolled-keys file, then
  // reload it, so the change takes effect at once.
  void ChangeEnrolment(OperatorCall& call);
  [[nodiscard]] v1::OperatorResponse ListKeys() const;
  void ListEvents(OperatorCall& call);
  void ListOrders(OperatorCall& call);
  [[nodiscard]] v1::OperatorResponse ListAgents() const;
  [[nodiscard]] v1::OperatorResponse StatusResponse() const;

  LinkParts parts_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace anding::dispatcher

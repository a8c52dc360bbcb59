// A module that exists only for tests: it counts the visits (接访) each
// unit's agent reports and answers `list_ledger_items` with one row per
// unit, and `register_ledger_item` by resetting a unit's count. It proves
// the module contract end to end — its own schema, load after a restart,
// an agent payload, a query, an audited command, a change set committed
// with the input, feed items — in a dispatcher built without the 台账
// module (whose requests it borrows), and nothing in the dispatcher's shell
// names it.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "anding/dispatcher/module.h"

namespace anding::testing {

class VisitTallyModule final : public dispatcher::Module {
 public:
  struct Tally {
    int64_t batches = 0;
    int64_t persons = 0;
  };

  explicit VisitTallyModule(dispatcher::ModuleContext& context) : context_(context) {}

  [[nodiscard]] std::string_view name() const override { return "visit_tally"; }
  [[nodiscard]] std::vector<storage::Migration> Migrations() const override;
  [[nodiscard]] Status Load(storage::Database& db) override;
  [[nodiscard]] std::vector<v1::Envelope::PayloadCase> Payloads() const override;
  [[nodiscard]] Result<std::string> Apply(const dispatcher::AgentInput& input,
                                          core::Effects& out) override;
  [[nodiscard]] std::vector<v1::OperatorRequest::RequestCase> Requests() const override;
  void Serve(dispatcher::OperatorCall& call) override;
  [[nodiscard]] Status Record(const core::Effects& out, Time now) override;

  // A factory for Dispatcher::Options::modules.
  static dispatcher::ModuleFactory Factory();

 private:
  dispatcher::ModuleContext& context_;
  std::map<std::string, Tally, std::less<>> tallies_;
  std::map<std::string, std::string> notes_;  // by message id, until recorded
};

}  // namespace anding::testing

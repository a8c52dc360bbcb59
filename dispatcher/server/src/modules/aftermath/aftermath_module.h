// The aftermath (善后) in the dispatcher: when an incident is settled, its
// follow-up 台账 item is registered (through FollowUpRegistrar) and its
// post-incident review opened; operators fill the review in and print it;
// the incident closes only when its review is complete (IncidentCloseGate,
// which the dispatch module asks); new incidents and early warnings of the
// same unit and category inside the watch window are flagged as rebounds
// (and counted per follow-up item for the ledger's statistics).
//
// Thread-safety: io_context thread only (a Module).
#pragma once

#include <memory>

#include "anding/core/aftermath/aftermath.h"
#include "anding/core/aftermath/config.h"
#include "anding/dispatcher/module.h"
#include "anding/dispatcher/module_queries.h"

namespace anding::dispatcher {

class AftermathModule final : public Module, public IncidentCloseGate, public ReboundCounter {
 public:
  AftermathModule(ModuleContext& context, core::aftermath::AftermathConfig config);

  [[nodiscard]] std::string_view name() const override { return "aftermath"; }
  [[nodiscard]] std::vector<storage::Migration> Migrations() const override;
  [[nodiscard]] Status Load(storage::Database& db) override;
  [[nodiscard]] std::vector<v1::OperatorRequest::RequestCase> Requests() const override;
  void Serve(OperatorCall& call) override;
  [[nodiscard]] Status Record(const core::Effects& out, Time now) override;
  void OnEvent(const core::DomainEvent& event, Time now, core::Effects& out) override;

  // IncidentCloseGate.
  [[nodiscard]] Status MayClose(const std::string& incident_id) const override;
  // ReboundCounter.
  [[nodiscard]] std::map<std::string, int64_t, std::less<>> ReboundsByLedgerItem() const override {
    return reviews_->ReboundsByLedgerItem();
  }

 private:
  // Registers the follow-up item and opens the review of a settled
  // incident; a unit that cannot own an item gets an HQ alert instead of
  // the item, and the review opens anyway.
  [[nodiscard]] Status OpenFor(const core::IncidentSettled& settled, Time now, core::Effects& out);
  [[nodiscard]] v1::OperatorResponse ReviewResponse(const std::string& incident_id,
                                                    const std::string& format) const;

  ModuleContext& context_;
  core::aftermath::AftermathConfig config_;
  std::unique_ptr<core::aftermath::Aftermath> reviews_;
};

}  // namespace anding::dispatcher

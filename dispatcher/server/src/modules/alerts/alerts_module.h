// Alerts for HQ (no rule covers an incident, a deadline breach, a special
// report 专报, an overdue report, a storage failure, ...) and the
// notification requests for people's phones that commands raise: stored
// with the change that raised them, published on the live feed, listed and
// acknowledged by operators.
//
// Thread-safety: io_context thread only (a Module).
#pragma once

#include <cstdint>

#include "absl/container/btree_set.h"
#include "anding/dispatcher/module.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

class AlertsModule final : public Module {
 public:
  explicit AlertsModule(ModuleContext& context);

  [[nodiscard]] std::string_view name() const override { return "alerts"; }
  [[nodiscard]] std::vector<storage::Migration> Migrations() const override;
  [[nodiscard]] Status Load(storage::Database& db) override;
  [[nodiscard]] std::vector<v1::OperatorRequest::RequestCase> Requests() const override;
  void Serve(OperatorCall& call) override;
  // Stores and publishes `out.alerts` and `out.notifications`.
  [[nodiscard]] Status Record(const core::Effects& out, Time now) override;

 private:
  void Acknowledge(OperatorCall& call);
  void List(OperatorCall& call);

  ModuleContext& context_;
  std::shared_ptr<spdlog::logger> log_;
  int64_t next_alert_id_ = 1;
  int64_t next_notification_id_ = 1;
  absl::btree_set<int64_t> open_alerts_;  // ~10 bytes an alert, not ~64
};

}  // namespace anding::dispatcher

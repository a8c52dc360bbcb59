// Notifications that leave the building: the HQ alerts and notification
// requests of every change become messages to people's phones (SMS through
// Kannel's sendsms interface) and to webhooks, stored in the same
// transaction as the change that raised them and sent only after it
// commits. Delivery reports and replies from phones come back over the
// dispatcher's HTTP listener (routes registered in the factory, guarded by
// a shared token) and change the queue through ModuleContext::Change.
// Escalation, retries, quiet hours and rate limits run on the module's
// timer (core::notify::Notifier).
//
// Thread-safety: io_context thread only (a Module).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "anding/core/notify/notifier.h"
#include "anding/dispatcher/metrics.h"
#include "anding/dispatcher/module.h"
#include "http_client.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

class NotifyModule final : public Module {
 public:
  // Registers the gateway's callback routes on `context` (InvalidArgument
  // when they are taken).
  [[nodiscard]] static Result<std::unique_ptr<Module>> Create(ModuleContext& context,
                                                              core::notify::NotifyConfig config);

  NotifyModule(ModuleContext& context, core::notify::NotifyConfig config);

  [[nodiscard]] std::string_view name() const override { return "notify"; }
  [[nodiscard]] std::vector<storage::Migration> Migrations() const override;
  [[nodiscard]] Status Load(storage::Database& db) override;
  [[nodiscard]] std::vector<v1::OperatorRequest::RequestCase> Requests() const override;
  void Serve(OperatorCall& call) override;
  // Queues `out.alerts` and `out.notifications` and writes every change of
  // the queue; sends what became due once the transaction commits.
  [[nodiscard]] Status Record(const core::Effects& out, Time now) override;
  [[nodiscard]] Time NextWakeup() const override { return notifier_.NextWakeup(); }
  void Tick(Time now, core::Effects& out) override;
  // Messages by state, attempts by outcome, escalations, acknowledgements,
  // and how long sends take.
  void Collect(MetricsWriter& out) const override;

  // The routes Kannel calls, relative to the listener.
  static constexpr std::string_view kDeliveryReportPath = "/notify/kannel/dlr";
  static constexpr std::string_view kReplyPath = "/notify/kannel/mo";

 private:
  void Send(int64_t message_id);
  void SendSms(const core::notify::Message& message);
  void SendWebhook(const core::notify::Message& message);
  // `started`: when the attempt went out (for the exchange's latency).
  void Settle(int64_t message_id, std::string attempt_id, core::notify::Channel channel,
              Time started, core::notify::SendOutcome outcome);
  void OnDeliveryReport(const HttpRequest& request, HttpRespond respond);
  void OnReply(const HttpRequest& request, HttpRespond respond);
  [[nodiscard]] bool Authorised(const HttpRequest& request) const;

  ModuleContext& context_;
  std::shared_ptr<spdlog::logger> log_;
  core::notify::Notifier notifier_;
  std::vector<int64_t> to_send_;  // due, sent once the transaction commits
  uint64_t generation_ = 0;       // bumped by Load: sends of an older state are dropped
  Time next_forget_{};            // Tick lets go of what a load would not read, hourly
  // Kept-alive connections to the webhooks (the SMS gateway gets one
  // connection per message: Kannel's sendsms has no idempotency key).
  std::shared_ptr<http_client::ConnectionPool> webhook_connections_;

  // For /metrics, since start.
  using Kind = core::notify::SendOutcome::Kind;
  std::map<std::pair<core::notify::Channel, Kind>, uint64_t> outcomes_;
  // One exchange with the gateway or webhook: request to answer.
  std::map<core::notify::Channel, Histogram> exchange_seconds_;
  // From the message being queued to the far side taking it.
  std::map<core::notify::Channel, Histogram> accepted_after_seconds_;
};

}  // namespace anding::dispatcher

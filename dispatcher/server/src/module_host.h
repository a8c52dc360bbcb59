// The dispatcher's modules under one roof: builds them from a list, routes
// each agent payload and operator request to the module that claimed its
// case, and turns what a command did (core::Effects) into one committed
// batch — the writes every module records, the audit row of an operator
// action, the feed items — after which the answer goes out. Also runs the
// modules' timers from one Asio timer armed at the earliest NextWakeup().
// It knows no module by name (anding/dispatcher/module.h).
//
// Thread-safety: io_context thread only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <vector>

#include "anding/common/clock.h"
#include "anding/core/org.h"
#include "anding/dispatcher/module.h"
#include "anding/storage/database.h"
#include "anding/storage/query_runner.h"
#include "committer.h"
#include "feed.h"
#include "intake.h"
#include "ops_server.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

class ModuleHost final : public ModuleContext {
 public:
  ModuleHost(boost::asio::io_context& io, Scheduler& scheduler, const core::Organisation& org,
             Committer& committer, Feed& feed, storage::QueryRunner& queries);
  ~ModuleHost() override;

  // Builds each module and claims its cases. InvalidArgument when two
  // modules claim the same payload or request case, or share a name.
  [[nodiscard]] Status Add(const ModuleFactory& factory);
  [[nodiscard]] Status Add(std::unique_ptr<Module> module);

  // Every domain's schema steps: the audit trail's, then each module's.
  [[nodiscard]] std::vector<storage::DomainSchema> Schema() const;
  // Applies every module's pending schema steps, all in one transaction
  // (once, before the first Load).
  [[nodiscard]] Status Migrate(storage::Database& db);
  // Rebuilds every module's state from the store (at start, after a
  // failed commit). Call StartModules() after it.
  [[nodiscard]] Status Load(storage::Database& db);
  // Runs every module's Start and stores what it changed.
  [[nodiscard]] Status StartModules();

  // Intake's Applier: a durable envelope from `unit_id`'s agent.
  [[nodiscard]] Result<Applied> Apply(const std::string& unit_id, const v1::Envelope& envelope,
                                      Time now);
  // Serves an operator request through the module that claimed it. In
  // kReadOnly mode (an HTTP GET, which carries no CSRF token) a request
  // that would change state is refused with InvalidArgument before it runs.
  enum class Mode { kAny, kReadOnly };
  void Serve(const Principal& who, const v1::OperatorRequest& request, OpsServer::Reply reply,
             Mode mode = Mode::kAny);
  // Every module's figures (Module::Collect), for /metrics.
  void CollectMetrics(MetricsWriter& out) const;

  // Arms the modules' timers; Stop() disarms them.
  void StartTimers();
  void StopTimers();

  // ModuleContext.
  [[nodiscard]] const Clock& clock() const override { return scheduler_.clock(); }
  [[nodiscard]] const core::Organisation& org() const override { return org_; }
  void Write(storage::CommitQueue::Write write) override;
  void AfterCommit(std::function<void()> fn) override;
  void Publish(v1::FeedItem item, Time now) override;
  void RaiseAlert(core::HqAlert alert, Time now) override;
  void Change(const ChangeFn& change, std::function<void(const Status&)> done) override;
  [[nodiscard]] boost::asio::io_context& io() override { return io_; }
  [[nodiscard]] Status Route(std::string method, std::string path, HttpHandler handler) override;

  // The handler a module routed for `method` and `path` (the exact path
  // first, then the longest "/*" prefix), or nullptr. Sets `*route`, if
  // given, to the matching route's path ("/api/v1/*").
  [[nodiscard]] const HttpHandler* FindRoute(std::string_view method, std::string_view path,
                                             std::string* route = nullptr) const;

 protected:
  [[nodiscard]] std::span<Module* const> modules() const override { return order_; }

 private:
  class Call;

  // Routes the domain events in `out` to every module until none are
  // left, then has every module record its part and publishes the core's
  // notices, all in the current batch. On Internal (a module named a record
  // it does not have) the batch is failed, so that nothing of it is
  // acknowledged and the state is reloaded from the store.
  [[nodiscard]] Status Execute(core::Effects& out, Time now);
  // Appends to the audit trail: an operator's state-changing request, or
  // one the access policy refused, its outcome and the records it changed.
  void Audit(const Principal& who, const v1::OperatorRequest& request, const Status& outcome,
             const std::vector<core::FeedNotice>& changes, Time now);
  void ArmTimer();
  void OnTimer();

  boost::asio::io_context& io_;
  Scheduler& scheduler_;
  const core::Organisation& org_;
  Committer& committer_;
  Feed& feed_;
  storage::QueryRunner& queries_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<std::unique_ptr<Module>> owned_;
  std::vector<Module*> order_;
  std::map<v1::Envelope::PayloadCase, Module*> by_payload_;
  std::map<v1::OperatorRequest::RequestCase, Module*> by_request_;
  // (method, path) -> handler; a path ending in "/*" matches below it.
  std::map<std::pair<std::string, std::string>, HttpHandler, std::less<>> routes_;
  TimerId timer_ = 0;
  Time timer_at_ = Time::max();
  bool running_ = false;
  bool loaded_ = false;
  // Replies from the query thread may arrive after the host is gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace anding::dispatcher

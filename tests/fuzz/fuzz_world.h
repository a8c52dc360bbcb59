// The dispatcher's domain modules in one process, for the fuzz targets: the
// standard modules (StandardModules(), configured by the demo's
// dispatcher.yaml) behind a ModuleContext that runs their writes against
// an in-memory SQLite database with every migration applied, on a manual
// clock. It does what the dispatcher's ModuleHost and Intake do with an
// envelope or an operator request that passed the edge, and checks after
// each one what must always hold:
//
//   * a module never answers Internal (a module refusing input it cannot
//     handle says InvalidArgument, NotFound, FailedPrecondition, ...);
//   * a refused envelope leaves the effects untouched;
//   * every module can record what its commands changed (Record is OK);
//   * the writes, with the event row the intake would store, commit.
//
// A broken invariant aborts the process with a message, which libFuzzer
// reports as a crash with the input that caused it.
//
// Reset() brings the database and the modules back to the state after
// start-up, so that every input is run from the same state and a crash
// reproduces from its input alone.
// Thread-safety: one thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/clock.h"
#include "anding/core/org.h"
#include "anding/dispatcher/module.h"
#include "anding/storage/database.h"

namespace anding::fuzz {

class FuzzWorld final : public dispatcher::ModuleContext {
 public:
  // The instant every input starts at: 2026-11-27T08:00:00+08:00.
  static constexpr Time kStart = FromUnixMicros(1'795'737'600'000'000);

  // The process's world, built on first use (aborts if the configuration
  // or the start-up fails: a broken harness, not a finding).
  [[nodiscard]] static FuzzWorld& Get();

  // Back to the state right after start-up, at kStart.
  void Reset();

  // An envelope from `unit_id`'s agent that passed the link's checks, as
  // the intake takes it: applied by the module that serves its payload
  // (if any), recorded, and stored as an event in the current batch.
  // Returns the module's verdict. A message id seen before in this input
  // is skipped (the intake answers it from memory).
  Status Deliver(const std::string& unit_id, const v1::Envelope& envelope, std::string_view bytes);

  // An operator request that passed the edge, served by the module that
  // claims it (requests no standard module claims are skipped), its
  // commands audited and committed at once.
  void Serve(const v1::OperatorRequest& request);

  // Commits the current batch (the intake's writes since the last one).
  void CommitBatch();

  // Moves the clock on by `step` and runs the modules' timers due by then.
  void Advance(Duration step);

  // ModuleContext.
  [[nodiscard]] const Clock& clock() const override { return clock_; }
  [[nodiscard]] const core::Organisation& org() const override { return org_; }
  void Write(storage::CommitQueue::Write write) override;
  void AfterCommit(std::function<void()> fn) override;
  void Publish(v1::FeedItem item, Time now) override;
  void RaiseAlert(core::HqAlert alert, Time now) override;
  // Applied, recorded and committed at once, like an operator's command.
  void Change(const ChangeFn& change, std::function<void(const Status&)> done) override;
  // Never run: a module's own I/O (an SMS gateway, webhooks) does not
  // happen here.
  [[nodiscard]] boost::asio::io_context& io() override { return io_; }
  // Kept so that a route taken twice is refused as the dispatcher does;
  // nothing is served.
  [[nodiscard]] Status Route(std::string method, std::string path,
                             dispatcher::HttpHandler handler) override;

 protected:
  [[nodiscard]] std::span<dispatcher::Module* const> modules() const override { return order_; }

 private:
  class Call;

  FuzzWorld();
  // What ModuleHost::Execute does: domain events to every module, then
  // every module records its part. Aborts when a module cannot.
  void Execute(core::Effects& out, Time now);
  // Runs the pending writes in one transaction; aborts when it fails.
  void Commit();
  void LoadModules();

  ManualClock clock_;
  core::Organisation org_;
  std::vector<std::unique_ptr<dispatcher::Module>> owned_;
  std::vector<dispatcher::Module*> order_;
  std::map<v1::Envelope::PayloadCase, dispatcher::Module*> by_payload_;
  std::map<v1::OperatorRequest::RequestCase, dispatcher::Module*> by_request_;
  // The state after start-up, copied into work_ by Reset().
  std::unique_ptr<storage::Database> pristine_;
  std::unique_ptr<storage::Database> work_;
  // The one the modules load from and the writes go to.
  storage::Database* db_ = nullptr;
  std::vector<storage::CommitQueue::Write> writes_;
  std::vector<std::function<void()>> after_commit_;
  std::set<std::pair<std::string, std::string>> delivered_;
  boost::asio::io_context io_;
  std::set<std::pair<std::string, std::string>> routes_;
};

// Aborts with `what` and the status when `status` is not OK.
void Require(const Status& status, std::string_view what);

}  // namespace anding::fuzz

// A domain module of the dispatcher: one capability (the 台账 and
// screening, dispatch, the reserve funds, alerts, the link's records, ...)
// with everything the dispatcher's shell needs to run it — its schema, its
// state, the agent payloads and operator requests it serves, the writes its
// changes become and the feed items it publishes.
//
// The shell builds the modules from a list (StandardModules() in
// anding/dispatcher/standard_modules.h), routes every agent payload and
// operator request to the one module that claimed its case, and knows no
// module by name: a new capability is a folder with a Module in it plus one
// line in that list.
//
// The life of one input: the shell hands it to its module (Apply, Serve);
// the module runs a core command, which appends to a core::Effects; the
// shell delivers the domain events in it to every module (OnEvent), asks
// every module to turn what changed into writes (Record), and commits the
// writes in one transaction with the input. Nothing is acknowledged,
// answered or published before that commit; if it fails, the shell reloads
// every module from the store (Load).
//
// Thread-safety: every method of a module runs on the dispatcher's
// io_context thread; only the writes it hands over run on the commit thread.
#pragma once

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/clock.h"
#include "anding/common/status.h"
#include "anding/core/effects.h"
#include "anding/core/org.h"
#include "anding/dispatcher/enrolment.h"
#include "anding/dispatcher/http.h"
#include "anding/dispatcher/metrics.h"
#include "anding/storage/commit_queue.h"
#include "anding/storage/database.h"
#include "anding/v1/envelope.pb.h"
#include "anding/v1/feed.pb.h"
#include "anding/v1/operator.pb.h"

namespace anding::dispatcher {

class Module;

// What a module may ask of the dispatcher. Outlives every module.
class ModuleContext {
 public:
  virtual ~ModuleContext() = default;

  [[nodiscard]] virtual const Clock& clock() const = 0;
  [[nodiscard]] virtual const core::Organisation& org() const = 0;

  // Adds `write` to the transaction being assembled. It runs on the commit
  // thread, so it owns copies of what it writes.
  virtual void Write(storage::CommitQueue::Write write) = 0;
  // Runs `fn` once the transaction being assembled has committed; never if
  // it fails.
  virtual void AfterCommit(std::function<void()> fn) = 0;
  // Publishes `item` on the live feed once the transaction has committed
  // (its sequence number is stored with it).
  virtual void Publish(v1::FeedItem item, Time now) = 0;
  // Stores and publishes `alert` with the transaction being assembled, like
  // the alerts of core commands (for alerts a module raises on its own).
  virtual void RaiseAlert(core::HqAlert alert, Time now) = 0;

  // A change that comes from neither an agent nor an operator: a delivery
  // report or a reply from a phone, an HTTP callback, the end of a module's
  // own asynchronous work. `change` appends to `out` like a core command;
  // if it fails, nothing changed and `done` gets its error at once.
  // Otherwise the effects are recorded and committed as one group, and
  // `done` gets OK once they are durable, or why the store refused them.
  // Unavailable while the store recovers from a failure.
  using ChangeFn = std::function<Status(core::Effects& out, Time now)>;
  virtual void Change(const ChangeFn& change, std::function<void(const Status&)> done) = 0;

  // The dispatcher's io_context, for a module's own asynchronous I/O (an
  // HTTP client to a gateway, its timers). Completion handlers run on the
  // thread every module method runs on.
  [[nodiscard]] virtual boost::asio::io_context& io() = 0;

  // Serves `handler` for `method` requests to `path` on the dispatcher's
  // HTTP listener: the exact path, or every path below it when `path` ends
  // in "/*". Call it from the module's factory (routes are fixed before the
  // listener opens). InvalidArgument when the route is taken.
  [[nodiscard]] virtual Status Route(std::string method, std::string path, HttpHandler handler) = 0;

  // The module that implements `Interface`, or nullptr: how modules use
  // each other's queries without naming one another.
  template <typename Interface>
  [[nodiscard]] Interface* Find() const {
    for (Module* module : modules()) {
      if (auto* found = dynamic_cast<Interface*>(module)) return found;
    }
    return nullptr;
  }
  // Every module that answers `Interface`, in the order they were added.
  template <typename Interface>
  [[nodiscard]] std::vector<Interface*> FindAll() const {
    std::vector<Interface*> found;
    for (Module* module : modules()) {
      if (auto* answer = dynamic_cast<Interface*>(module)) found.push_back(answer);
    }
    return found;
  }

 protected:
  [[nodiscard]] virtual std::span<Module* const> modules() const = 0;
};

// A durable envelope from an authenticated agent. `unit_id` is the unit
// bound to the agent's key, never the one the message names.
struct AgentInput {
  const std::string& unit_id;
  const v1::Envelope& envelope;
  Time now;
};

// The page size of an operator list: `requested`, 0 meaning 50, at most
// 1,000 (what every list request's `limit` documents).
[[nodiscard]] inline uint32_t PageLimit(uint32_t requested) {
  return requested == 0 ? 50 : std::min<uint32_t>(requested, 1000);
}

// One operator request being served. The module answers it exactly once,
// at once or later: Reply or Fail for what changes nothing, Command for
// what changes state, Query for what reads the store.
class OperatorCall {
 public:
  using CommandFn = std::function<Status(core::Effects& out, Time now)>;
  using RespondFn = std::function<v1::OperatorResponse()>;
  using QueryFn = std::function<v1::OperatorResponse(storage::Database& db)>;

  virtual ~OperatorCall() = default;
  [[nodiscard]] virtual const Principal& who() const = 0;
  [[nodiscard]] virtual const v1::OperatorRequest& request() const = 0;
  [[nodiscard]] virtual Time now() const = 0;

  virtual void Reply(v1::OperatorResponse response) = 0;
  // Answers with `status` as the error (status must not be OK).
  virtual void Fail(const Status& status) = 0;
  // A state-changing request. `command` runs the core command, appending
  // to `out`; if it fails, nothing changed and the error is answered. On
  // success the request is recorded in the audit trail with the changes,
  // and `respond` builds the answer once they are committed. Refused with
  // Unavailable while the store recovers from a failure.
  virtual void Command(const CommandFn& command, RespondFn respond) = 0;
  // Runs `query` on the query thread against its own read connection and
  // answers with what it returns. `query` must not touch module state.
  virtual void Query(QueryFn query) = 0;
  // For a request answered after work the module runs elsewhere (an online
  // backup on a thread of its own), which changes no domain state but is
  // an action HQ audits. Returns the function that answers the request: call
  // it exactly once, on the io_context thread, with the response or the
  // error, and what the work made (for the audit trail: the backup's
  // file); the request is then recorded in the audit trail with that
  // outcome, and answered once the record is committed. Refused (the
  // function is not returned, the request is answered) with InvalidArgument
  // for a read-only HTTP GET, and Unavailable while the store recovers.
  using FinishFn =
      std::function<void(Result<v1::OperatorResponse> outcome, std::vector<core::FeedNotice> made)>;
  [[nodiscard]] virtual std::optional<FinishFn> Defer() = 0;
};

class Module {
 public:
  virtual ~Module() = default;

  // Short lowercase name: the schema's domain in the store, log lines.
  [[nodiscard]] virtual std::string_view name() const = 0;
  // The module's schema steps, applied once each, in order, at start.
  [[nodiscard]] virtual std::vector<storage::Migration> Migrations() const { return {}; }
  // (Re)builds the module's state from the store: at start, and after a
  // failed commit (when what is in memory may be ahead of the store).
  // DataLoss when stored records contradict each other. `db` outlives the
  // module: a module that keeps only what is open or recent may keep it to
  // read, on this thread and by key, a few older records a command names
  // (as the intake looks up a message id older than its window). It sees
  // what has committed.
  [[nodiscard]] virtual Status Load(storage::Database& db) = 0;
  // Runs after every Load: brings configuration-derived records in line
  // (for example fund accounts), appending to `out`.
  [[nodiscard]] virtual Status Start(Time /*now*/, core::Effects& /*out*/) { return OkStatus(); }

  // The agent payloads this module serves. Each case belongs to at most one
  // module; a payload nobody serves is stored as an event and nothing more.
  [[nodiscard]] virtual std::vector<v1::Envelope::PayloadCase> Payloads() const { return {}; }
  // Applies one of them. Returns the record created or changed (named in
  // the ack). An error refuses the envelope (nothing is stored) and must
  // leave the module's state and `out` untouched.
  [[nodiscard]] virtual Result<std::string> Apply(const AgentInput& input, core::Effects& out);

  // The operator requests this module serves; each case belongs to exactly
  // one module.
  [[nodiscard]] virtual std::vector<v1::OperatorRequest::RequestCase> Requests() const {
    return {};
  }
  // Serves one of them, answering `call` exactly once. `call` is valid only
  // during Serve: an answer that comes later goes through its Command or
  // Query.
  virtual void Serve(OperatorCall& call);

  // Turns this module's part of `out` (its records in `out.changed`, or the
  // alerts, orders, ... it is responsible for) into writes and feed items
  // through the context: a change set copied now, on this thread, and
  // written on the commit thread. Internal if `out` names a record the
  // module does not have — a bug: the transaction fails and every module
  // is reloaded.
  [[nodiscard]] virtual Status Record(const core::Effects& /*out*/, Time /*now*/) {
    return OkStatus();
  }
  // A domain event another module raised (core/effects.h); what the module
  // does about it is appended to `out`.
  virtual void OnEvent(const core::DomainEvent& /*event*/, Time /*now*/, core::Effects& /*out*/) {}

  // The earliest instant the module has timed work; Time::max() for none.
  [[nodiscard]] virtual Time NextWakeup() const { return Time::max(); }
  // Does everything due at `now` (remembering in its stored state what
  // already ran, so that a restart runs overdue work exactly once).
  virtual void Tick(Time /*now*/, core::Effects& /*out*/) {}

  // Writes the module's figures for GET /metrics (open incidents, deadline
  // breaches, notifications by state, its queue depths, ...), read from its
  // state at scrape time; names start with "anding_". Must be cheap: it
  // runs on the io_context thread at every scrape. Default: none.
  virtual void Collect(MetricsWriter& /*out*/) const {}
};

// Builds a module. Called once, before the store is opened; the module
// keeps `context` for its lifetime.
using ModuleFactory = std::function<Result<std::unique_ptr<Module>>(ModuleContext& context)>;

// A record_changed feed item: what every module publishes about a change.
[[nodiscard]] v1::FeedItem RecordChangedItem(std::string_view kind, std::string_view id,
                                             std::string_view state, std::string_view summary,
                                             std::string_view unit_id = {});

}  // namespace anding::dispatcher

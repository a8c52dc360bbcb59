// anding-dispatcher: headquarters' daemon. Owns the agent link, the store,
// the live feed and the operator API, and the domain modules that hold the
// state (anding/dispatcher/module.h). One io_context thread owns everything; the commit thread and
// the query thread post their results back to it.
//
// Start() loads the state from the store and binds the sockets; Stop()
// stops taking input, lets every batch already accepted commit (so nothing
// acknowledged is lost) and then calls `done`.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <vector>

#include "anding/common/clock.h"
#include "anding/core/org.h"
#include "anding/dispatcher/config.h"
#include "anding/dispatcher/module.h"

namespace anding::dispatcher {

class Dispatcher {
 public:
  struct Options {
    DispatcherConfig config;
    core::Organisation organisation;
    // The domain modules, in the order they load and see domain events
    // (StandardModules() in anding/dispatcher/standard_modules.h). The
    // link's own module comes first.
    std::vector<ModuleFactory> modules;
    // The clock the dispatcher runs against: its timers, deadlines and
    // stamps. Production: a SystemClock; tests of the real daemon: a
    // runtime::SimulatedClock. Required; not owned, must outlive the
    // dispatcher.
    const Clock* clock = nullptr;
  };

  // Checks the key files and creates the data directory. Errors name the
  // file at fault; InvalidArgument without a clock.
  [[nodiscard]] static Result<std::unique_ptr<Dispatcher>> Create(boost::asio::io_context& io,
                                                                  Options options);
  virtual ~Dispatcher() = default;

  // Opens and migrates the store, loads the state, binds the sockets and
  // writes the endpoints file. Unavailable if a socket cannot be bound or
  // the store cannot be opened.
  [[nodiscard]] virtual Status Start() = 0;
  // Graceful stop; `done` runs on the io_context thread when it is safe to
  // exit.
  virtual void Stop(std::function<void()> done) = 0;
  // Re-reads the enrolled keys file now (also done when it changes).
  virtual void ReloadEnrolment() = 0;
};

}  // namespace anding::dispatcher

// anding-dispatcher: headquarters' daemon.
//
//   anding-dispatcher --config dispatcher.yaml [--check-config]
//
// It runs against the system clock; tests of the real daemon give it a
// simulated one (--simulated-clock, anding/runtime/clock_options.h).
//
// Exit status: 0 after a clean stop (SIGINT/SIGTERM), 2 for an invalid
// configuration or command line, 1 when it cannot start, 70 after an
// internal error (an unexpected exception; logged as critical).
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "anding/common/config.h"
#include "anding/core/org.h"
#include "anding/dispatcher/config.h"
#include "anding/dispatcher/dispatcher.h"
#include "anding/dispatcher/standard_modules.h"
#include "anding/runtime/clock_options.h"
#include "anding/runtime/last_resort.h"
#include "anding/runtime/logging.h"
#include "anding/runtime/shutdown.h"
#include "anding/runtime/systemd_notify.h"

namespace {

// Prints the usage to `out`; returns `status`.
int Usage(std::FILE* out = stderr, int status = 2) {
  std::fprintf(out,
               "usage: anding-dispatcher --config FILE [--check-config]\n"
               "  --config FILE    the dispatcher configuration (YAML)\n"
               "  --check-config   validate the configuration and exit\n"
               "  --help           this text\n\n%s",
               anding::runtime::kClockOptionsHelp);
  return status;
}

int Main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  auto clock = anding::runtime::TakeClockOptions(words);
  if (!clock.ok()) {
    std::fprintf(stderr, "anding-dispatcher: %s\n", clock.status().message().c_str());
    return Usage();
  }
  std::string config_path;
  bool check_only = false;
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i] == "--config" && i + 1 < words.size()) {
      config_path = words[++i];
    } else if (words[i] == "--check-config") {
      check_only = true;
    } else if (words[i] == "--help") {
      return Usage(stdout, 0);
    } else {
      return Usage();
    }
  }
  if (config_path.empty()) return Usage();

  auto document = anding::ConfigDocument::LoadFile(config_path);
  if (!document.ok()) {
    std::fprintf(stderr, "anding-dispatcher: %s\n", document.status().message().c_str());
    return 2;
  }
  anding::ConfigNode root = document->root();
  anding::dispatcher::Dispatcher::Options options;
  options.config = anding::dispatcher::ReadDispatcherConfig(root, document->directory());
  options.config.config_path = config_path;
  options.organisation = anding::core::Organisation::Read(root);
  options.modules = anding::dispatcher::StandardModules(root, options.organisation);
  options.clock = clock->get();
  if (anding::Status status = document->Finish(); !status.ok()) {
    std::fprintf(stderr, "anding-dispatcher: invalid configuration:\n%s\n",
                 status.message().c_str());
    return 2;
  }
  if (check_only) {
    std::printf("%s: configuration is valid\n", config_path.c_str());
    return 0;
  }
  if (auto status = anding::runtime::SetUpLogging(options.config.logging); !status.ok()) {
    std::fprintf(stderr, "anding-dispatcher: %s\n", status.message().c_str());
    return 2;
  }
  auto log = anding::runtime::GetLogger("main");
  if (auto warning = anding::runtime::SimulatedClockWarning(**clock); !warning.empty()) {
    log->warn("{}", warning);
  }

  boost::asio::io_context io;
  auto dispatcher = anding::dispatcher::Dispatcher::Create(io, std::move(options));
  if (!dispatcher.ok()) {
    log->critical("cannot start: {}", dispatcher.status().message());
    return 1;
  }
  if (auto status = (*dispatcher)->Start(); !status.ok()) {
    log->critical("cannot start: {}", status.message());
    return 1;
  }
  anding::runtime::ShutdownSignals signals(io, [&](int signal) {
    log->info("signal {}: shutting down", signal);
    anding::runtime::NotifySystemd("STOPPING=1").IgnoreError();
    (*dispatcher)->Stop([&io] { io.stop(); });
  });
  // Bound, migrated and loaded: agents and operators are served from now on.
  if (auto status = anding::runtime::NotifySystemd("READY=1"); !status.ok()) {
    log->warn("{}", status.message());
  }
  io.run();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return anding::runtime::RunGuarded("anding-dispatcher", anding::runtime::ProgramKind::kDaemon,
                                     [&] { return Main(argc, argv); });
}

// anding-dispatcher: headquarters' daemon.
//
//   anding-dispatcher --config dispatcher.yaml [--check-config]
//
// Exit status: 0 after a clean stop (SIGINT/SIGTERM), 2 for an invalid
// configuration or command line, 1 when it cannot start.
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <cstring>
#include <string>

#include "anding/common/config.h"
#include "anding/core/org.h"
#include "anding/dispatcher/config.h"
#include "anding/dispatcher/dispatcher.h"
#include "anding/dispatcher/standard_modules.h"
#include "anding/runtime/logging.h"
#include "anding/runtime/shutdown.h"

namespace {

int Usage() {
  std::fprintf(stderr,
               "usage: anding-dispatcher --config FILE [--check-config]\n"
               "  --config FILE    the dispatcher configuration (YAML)\n"
               "  --check-config   validate the configuration and exit\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path;
  bool check_only = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
      config_path = argv[++i];
    } else if (std::strcmp(argv[i], "--check-config") == 0) {
      check_only = true;
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
    (*dispatcher)->Stop([&io] { io.stop(); });
  });
  io.run();
  return 0;
}

// anding-dispatcher: headquarters' daemon.
//
//   anding-dispatcher --config dispatcher.yaml [--check-config]
//   anding-dispatcher restore --from FILE --config dispatcher.yaml
//   anding-dispatcher verify-backup FILE
//
// It runs against the system clock; tests of the real daemon give it a
// simulated one (--simulated-clock, anding/runtime/clock_options.h).
//
// Exit status: 0 after a clean stop (SIGINT/SIGTERM), 2 for an invalid
// configuration or command line, 1 when it cannot start (or a restore or
// verification is refused), 70 after an internal error (an unexpected
// exception; logged as critical).
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "anding/backup/backup.h"
#include "anding/common/config.h"
#include "anding/common/strings.h"
#include "anding/core/org.h"
#include "anding/dispatcher/config.h"
#include "anding/dispatcher/dispatcher.h"
#include "anding/dispatcher/standard_modules.h"
#include "anding/runtime/clock_options.h"
#include "anding/runtime/files.h"
#include "anding/runtime/last_resort.h"
#include "anding/runtime/logging.h"
#include "anding/runtime/shutdown.h"
#include "anding/runtime/systemd_notify.h"

namespace {

// Prints the usage to `out`; returns `status`.
int Usage(std::FILE* out = stderr, int status = 2) {
  std::fprintf(out,
               "usage: anding-dispatcher --config FILE [--check-config]\n"
               "       anding-dispatcher restore --from BACKUP --config FILE\n"
               "       anding-dispatcher verify-backup BACKUP\n"
               "  --config FILE    the dispatcher configuration (YAML)\n"
               "  --check-config   validate the configuration and exit\n"
               "  restore          put BACKUP (made by `anding backup`, its manifest beside\n"
               "                   it) in place of the configured database; the dispatcher\n"
               "                   must be stopped; the database there is kept aside\n"
               "  verify-backup    check BACKUP against its manifest and its integrity\n"
               "  --help           this text\n\n%s",
               anding::runtime::kClockOptionsHelp);
  return status;
}

void PrintManifest(const anding::backup::Manifest& m) {
  std::printf(
      "  %lld bytes, SHA-256 %s, taken %s from %s\n  schema:", static_cast<long long>(m.size_bytes),
      m.sha256.c_str(), m.taken_at.c_str(), m.source.c_str());
  for (const auto& d : m.schema) std::printf(" %s %d", d.domain.c_str(), d.version);
  std::printf("\n");
}

int VerifyBackup(const std::string& file) {
  auto manifest = anding::backup::VerifyBackup(file);
  if (!manifest.ok()) {
    std::fprintf(stderr, "anding-dispatcher: %s\n", manifest.status().message().c_str());
    return 1;
  }
  std::printf("%s: verified\n", file.c_str());
  PrintManifest(*manifest);
  return 0;
}

// Puts `file` in place of the configured database, with the data
// directory's lock held so that no dispatcher starts meanwhile.
int Restore(const std::string& file, const anding::dispatcher::DispatcherConfig& config,
            anding::Time now) {
  // A new installation restored from a backup has no data directory yet.
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  auto lock = anding::runtime::DirectoryLock::Take(
      config.data_dir, anding::StrCat("anding-dispatcher restore pid ", ::getpid()));
  if (!lock.ok()) {
    std::fprintf(stderr, "anding-dispatcher: cannot restore: %s\n",
                 lock.status().message().c_str());
    return 1;
  }
  auto restored = anding::backup::RestoreBackup(file, config.database_path, now);
  if (!restored.ok()) {
    std::fprintf(stderr, "anding-dispatcher: cannot restore, nothing was changed: %s\n",
                 restored.status().message().c_str());
    return 1;
  }
  std::printf("restored %s into %s\n", file.c_str(), config.database_path.c_str());
  PrintManifest(restored->manifest);
  if (restored->kept_aside.empty()) {
    std::printf("  there was no database before\n");
  } else {
    std::printf("  the database that was there is kept as %s\n", restored->kept_aside.c_str());
  }
  return 0;
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
  // A subcommand comes first; the daemon has none.
  std::string subcommand;
  if (!words.empty() && (words[0] == "restore" || words[0] == "verify-backup")) {
    subcommand = words[0];
    words.erase(words.begin());
  }
  if (subcommand == "verify-backup") {
    if (words.size() == 1 && words[0] == "--help") return Usage(stdout, 0);
    if (words.size() != 1 || words[0].starts_with("-")) return Usage();
    return VerifyBackup(words[0]);
  }
  std::string restore_from;
  for (size_t i = 0; i < words.size(); ++i) {
    if (subcommand == "restore" && words[i] == "--from" && i + 1 < words.size()) {
      restore_from = words[++i];
    } else if (words[i] == "--config" && i + 1 < words.size()) {
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
  if (subcommand == "restore" && (restore_from.empty() || check_only)) return Usage();

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
  if (subcommand == "restore") return Restore(restore_from, options.config, (*clock)->Now());
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

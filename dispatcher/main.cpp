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
#include <iostream>
#include <string>
#include <vector>

#include "anding/backup/backup.h"
#include "anding/cmdline/command_line.h"
#include "anding/cmdline/exit_codes.h"
#include "anding/cmdline/gettext.h"
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

using anding::cmdline::Tr;

// The command line as defined once (help, manual page, completion).
struct CommandLine {
  std::unique_ptr<CLI::App> program;
  std::string config_path;
  bool check_only = false;
  CLI::App* restore = nullptr;
  std::string restore_from;
  CLI::App* verify = nullptr;
  std::string verify_file;
};

void DefineCommandLine(CommandLine& cl) {
  cl.program = anding::cmdline::NewProgram(
      "anding-dispatcher",
      _("headquarters' daemon of Anding: receives the mine offices' reports, computes deadlines, "
        "dispatches teams, keeps the ledger and the reserve funds, sends SMS and serves the "
        "dashboard"));
  CLI::App& program = *cl.program;
  program.add_option("--config", cl.config_path, _("the dispatcher configuration (YAML)"))
      ->type_name("FILE");
  program.add_flag("--check-config", cl.check_only, _("validate the configuration and exit"));
  anding::cmdline::SetExamples(
      program, {"anding-dispatcher --config /etc/anding/dispatcher.yaml",
                "anding-dispatcher --config /etc/anding/dispatcher.yaml --check-config"});
  program.footer(anding::StrCat(
      program.get_footer(), "\n\n",
      _("Exit status: 0 after a clean stop (SIGINT/SIGTERM), 2 for an invalid configuration or "
        "command line, 1 when it cannot start (or a restore or verification is refused), 70 "
        "after an internal error."),
      "\n\n", anding::runtime::kClockOptionsHelp));

  cl.restore = anding::cmdline::AddCommand(
      program, "restore",
      _("put a backup (made by `anding backup`, its manifest beside it) in place of the "
        "configured database; the dispatcher must be stopped; the database there is kept aside"));
  cl.restore->add_option("--from", cl.restore_from, _("the backup file"))
      ->type_name("FILE")
      ->required();
  anding::cmdline::SetExamples(
      *cl.restore, {"anding-dispatcher restore --from /var/backups/anding/anding-20261203.db "
                    "--config /etc/anding/dispatcher.yaml"});

  cl.verify = anding::cmdline::AddCommand(
      program, "verify-backup", _("check a backup against its manifest and its integrity"));
  cl.verify->add_option("file", cl.verify_file, _("the backup file"))
      ->type_name("FILE")
      ->required();
  anding::cmdline::SetExamples(
      *cl.verify, {"anding-dispatcher verify-backup /var/backups/anding/anding-20261203.db"});
}

void PrintManifest(const anding::backup::Manifest& m) {
  std::printf("  %s", Tr(N_("{} bytes, SHA-256 {}, taken {} from {}"), m.size_bytes, m.sha256,
                         m.taken_at, m.source)
                          .c_str());
  std::printf("\n  %s", _("schema:"));
  for (const auto& d : m.schema) std::printf(" %s %d", d.domain.c_str(), d.version);
  std::printf("\n");
}

int VerifyBackup(const std::string& file) {
  auto manifest = anding::backup::VerifyBackup(file);
  if (!manifest.ok()) {
    std::fprintf(stderr, "anding-dispatcher: %s\n", manifest.status().message().c_str());
    return 1;
  }
  std::printf("%s\n", Tr(N_("{}: verified"), file).c_str());
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
    std::fprintf(stderr, "anding-dispatcher: %s\n",
                 Tr(N_("cannot restore: {}"), lock.status().message()).c_str());
    return 1;
  }
  auto restored = anding::backup::RestoreBackup(file, config.database_path, now);
  if (!restored.ok()) {
    std::fprintf(
        stderr, "anding-dispatcher: %s\n",
        Tr(N_("cannot restore, nothing was changed: {}"), restored.status().message()).c_str());
    return 1;
  }
  std::printf("%s\n", Tr(N_("restored {} into {}"), file, config.database_path).c_str());
  PrintManifest(restored->manifest);
  if (restored->kept_aside.empty()) {
    std::printf("  %s\n", _("there was no database before"));
  } else {
    std::printf("  %s\n",
                Tr(N_("the database that was there is kept as {}"), restored->kept_aside).c_str());
  }
  return 0;
}

int Main(int argc, char** argv) {
  std::vector<std::string> words(argv + 1, argv + argc);
  auto language = anding::cmdline::ChooseLanguage(words);
  if (!language.ok()) {
    std::fprintf(stderr, "anding-dispatcher: %s\n", language.status().message().c_str());
    return anding::cmdline::kExitUsage;
  }
  anding::cmdline::UseLanguage(*language, "anding-dispatcher");
  auto clock = anding::runtime::TakeClockOptions(words);
  if (!clock.ok()) {
    std::fprintf(stderr, "anding-dispatcher: %s\n", clock.status().message().c_str());
    return anding::cmdline::kExitUsage;
  }
  CommandLine cl;
  DefineCommandLine(cl);
  if (auto done = anding::cmdline::Parse(*cl.program, words, std::cout, std::cerr)) return *done;
  const CLI::App& command = anding::cmdline::Selected(*cl.program);
  if (&command == cl.verify) return VerifyBackup(cl.verify_file);
  const std::string& config_path = cl.config_path;
  const bool check_only = cl.check_only;
  if (config_path.empty() || (&command == cl.restore && check_only)) {
    std::fprintf(stderr, "anding-dispatcher: %s\n%s\n",
                 config_path.empty() ? _("no configuration: give --config FILE")
                                     : _("restore does not take --check-config"),
                 Tr(N_("see '{} --help'"), anding::cmdline::CommandPath(command)).c_str());
    return anding::cmdline::kExitUsage;
  }

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
    std::fprintf(stderr, "anding-dispatcher: %s\n%s\n", _("invalid configuration:"),
                 status.message().c_str());
    return 2;
  }
  if (check_only) {
    std::printf("%s\n", Tr(N_("{}: configuration is valid"), config_path).c_str());
    return 0;
  }
  if (&command == cl.restore) return Restore(cl.restore_from, options.config, (*clock)->Now());
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
  // Before Start: its endpoints file tells others it is up, and a SIGTERM
  // from then on must shut it down cleanly (the handler runs in io.run()).
  anding::runtime::ShutdownSignals signals(io, [&](int signal) {
    log->info("signal {}: shutting down", signal);
    anding::runtime::NotifySystemd("STOPPING=1").IgnoreError();
    (*dispatcher)->Stop([&io] { io.stop(); });
  });
  if (auto status = (*dispatcher)->Start(); !status.ok()) {
    log->critical("cannot start: {}", status.message());
    return 1;
  }
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

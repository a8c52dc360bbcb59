#include "anding/agent/cli.h"

#include <google/protobuf/util/json_util.h>

#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "anding/agent/agent.h"
#include "anding/agent/config.h"
#include "anding/agent/import_ids.h"
#include "anding/agent/local_client.h"
#include "anding/backup/backup.h"
#include "anding/cmdline/command_line.h"
#include "anding/cmdline/exit_codes.h"
#include "anding/cmdline/gettext.h"
#include "anding/cmdline/validators.h"
#include "anding/common/strings.h"
#include "anding/runtime/clock_options.h"
#include "anding/runtime/curve_keys.h"
#include "anding/runtime/logging.h"
#include "anding/runtime/shutdown.h"
#include "anding/runtime/systemd_notify.h"
#include "anding/wire/codec.h"
#include "anding/wire/command_line.h"
#include "anding/wire/payload_options.h"

namespace anding::agent {
namespace {

using cmdline::Tr;

// The command line as defined (DefineCommandLine) and what it parsed into.
struct CommandLine {
  std::unique_ptr<CLI::App> program;
  std::string config_path;
  bool json = false;
  bool check_config = false;
  std::string wait = "5s";
  bool no_wait = false;

  CLI::App* run = nullptr;
  CLI::App* enrol = nullptr;
  bool force = false;
  CLI::App* status = nullptr;
  CLI::App* report = nullptr;
  CLI::App* ledger = nullptr;
  CLI::App* orders = nullptr;
  bool all = false;
  CLI::App* outbox = nullptr;
  int64_t limit = 50;
  CLI::App* backup = nullptr;
  std::string backup_file;
  CLI::App* import = nullptr;
  std::string import_file;
  wire::PayloadCommands payloads;
};

// Every command of anding-agent, once: its help, manual page, completion
// and the tests' walk come from here.
void DefineCommandLine(CommandLine& cl) {
  cl.program = cmdline::NewProgram(
      "anding-agent",
      _("a mine office's agent of Anding: its daemon keeps the office's reports in a "
        "durable outbox until headquarters has stored them; its commands file them"));
  CLI::App& program = *cl.program;
  program.add_option("--config", cl.config_path, _("the agent configuration (YAML)"))
      ->type_name("FILE")
      ->envname("ANDING_AGENT_CONFIG");
  program.add_flag("--json", cl.json, _("print machine-readable output (JSON)"));
  program.add_flag("--check-config", cl.check_config,
                   _("check the configuration and the office's keys, and exit (0 valid, 2 not)"));
  program
      .add_option("--wait", cl.wait,
                  _("how long a report waits for the dispatcher's answer (it is stored "
                    "locally first, so an unreachable dispatcher only delays it)"))
      ->type_name("DURATION")
      ->check(cmdline::DurationText())
      ->capture_default_str();
  program.add_flag("--no-wait", cl.no_wait, _("do not wait for the dispatcher's answer"));
  cmdline::SetExamples(program, {"anding-agent --config /etc/anding/agent.yaml status",
                                 "anding-agent --lang zh report daily --zero --by 张信访员"});
  program.footer(StrCat(program.get_footer(), "\n\n", runtime::kClockOptionsHelp));

  cl.run = cmdline::AddCommand(program, "run", _("start the daemon (keeps running)"));
  cmdline::SetExamples(*cl.run, {"anding-agent --config /etc/anding/agent.yaml run"});

  cl.enrol = cmdline::AddCommand(
      program, "enrol",
      _("make this office's key pair if it has none, and print the line HQ enters to enrol it"));
  cl.enrol->add_flag("--force", cl.force, _("replace the key pair (the old key stops working)"));
  cmdline::SetExamples(*cl.enrol, {"anding-agent enrol"});

  cl.status = cmdline::AddCommand(program, "status", _("link state and outbox depth"));
  cmdline::SetExamples(*cl.status, {"anding-agent status"});

  cl.report = cmdline::AddCommand(program, "report",
                                  _("report to headquarters: early warnings, incidents, "
                                    "screening, daily reports, visits, expenses"));
  cl.report->require_subcommand(1);
  cmdline::SetExamples(*cl.report, {"anding-agent report early-warning --help"});
  cl.payloads.Define(*cl.report, "anding-agent", "report");

  cl.ledger = cmdline::AddCommand(program, "ledger",
                                  _("keep the unit's ledger items: register, update, "
                                    "close out"));
  cl.ledger->require_subcommand(1);
  cmdline::SetExamples(*cl.ledger, {"anding-agent ledger register --help"});
  cl.payloads.Define(*cl.ledger, "anding-agent", "ledger");

  cl.orders = cmdline::AddCommand(
      program, "orders", _("orders received from headquarters (dispatch, notices, supervision)"));
  cl.orders->add_flag("--all", cl.all, _("also the orders already acknowledged"));
  cmdline::SetExamples(*cl.orders, {"anding-agent orders", "anding-agent orders --all"});
  cl.payloads.Define(*cl.orders, "anding-agent", "orders");

  cl.outbox = cmdline::AddCommand(program, "outbox",
                                  _("messages not yet delivered to headquarters (or all)"));
  cl.outbox->add_flag("--all", cl.all, _("also the messages delivered"));
  cl.outbox->add_option("--limit", cl.limit, _("at most this many"))
      ->type_name("N")
      ->check(cmdline::InRange(1, 100'000))
      ->capture_default_str();
  cmdline::SetExamples(*cl.outbox, {"anding-agent outbox", "anding-agent outbox --all --limit 20"});

  cl.backup = cmdline::AddCommand(program, "backup",
                                  _("a consistent copy of the outbox (unsent messages, sequence "
                                    "numbers, orders), also while the daemon runs"));
  cl.backup->add_option("--out", cl.backup_file, _("the file to write"))
      ->type_name("FILE")
      ->required();
  cmdline::SetExamples(*cl.backup, {"anding-agent backup --out /var/backups/outbox.db"});

  cl.import = cmdline::AddCommand(
      program, "import",
      _("submit JSON-lines envelopes (one payload per line); running it again stores nothing "
        "twice"));
  cl.import->add_option("file", cl.import_file, _("the file of envelopes"))
      ->type_name("FILE")
      ->required();
  cmdline::SetExamples(*cl.import, {"anding-agent import reports.jsonl"});
}

// --json: every field is printed, also those at their default value (0,
// false, ""), so that a script sees the same keys every time.
std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string Describe(const v1::OutboxEntry& entry, const TimeZone& zone) {
  std::string text = StrCat("#", entry.sequence(), " ", entry.summary(), "\n  ",
                            Tr(N_("message {}: "), entry.message_id()));
  switch (entry.state()) {
    case v1::DELIVERY_STATE_ACKED:
      StrAppend(text,
                Tr(N_("stored by the dispatcher at {}"),
                   zone.FormatLocal(wire::FromProto(entry.ack().stored_at()))),
                entry.ack().duplicate() ? _(" (repeat)") : "");
      if (!entry.ack().record_id().empty()) {
        StrAppend(text, Tr(N_(", record {}"), entry.ack().record_id()));
      }
      break;
    case v1::DELIVERY_STATE_REJECTED:
      StrAppend(text, Tr(N_("REJECTED by the dispatcher: {}: {}"),
                         v1::NackReason_Name(entry.nack().reason()), entry.nack().detail()));
      break;
    default:
      StrAppend(text, Tr(N_("queued ({} attempts so far); it will be delivered when the "
                            "dispatcher answers"),
                         entry.attempts()));
  }
  return text;
}

int Fail(std::ostream& err, const Status& status) {
  err << "anding-agent: " << status.message() << "\n";
  return cmdline::ExitCodeFor(status);
}

int NoConfiguration(std::ostream& err) {
  err << "anding-agent: " << _("no configuration: give --config FILE or set ANDING_AGENT_CONFIG")
      << "\n";
  return cmdline::kExitUsage;
}

int InvalidConfiguration(std::ostream& err, const Status& status) {
  err << "anding-agent: " << _("invalid configuration:") << "\n" << status.message() << "\n";
  return cmdline::kExitUsage;
}

// Copies the outbox database from a connection of this process: SQLite's
// online backup reads one snapshot while the daemon keeps writing (WAL),
// so the copy holds every message stored before it began, sent or not.
int Backup(const AgentConfig& config, const std::string& file, Time now, std::ostream& out,
           std::ostream& err) {
  const std::filesystem::path path(file);
  const std::string directory =
      path.parent_path().empty() ? std::string(".") : path.parent_path().string();
  auto taken = backup::TakeBackup(config.DatabasePath(), directory, path.filename().string(), now);
  if (!taken.ok()) return Fail(err, taken.status());
  out << Tr(N_("outbox backed up to {}\n  {} bytes, SHA-256 {}, integrity checked\n  manifest: {}"),
            taken->path, taken->manifest.size_bytes, taken->manifest.sha256, taken->manifest_path)
      << "\n";
  return 0;
}

int RunDaemon(const std::string& config_path, const Clock& clock, std::ostream& err) {
  auto config = LoadAgentConfig(config_path);
  if (!config.ok()) return InvalidConfiguration(err, config.status());
  if (Status status = runtime::SetUpLogging(config->logging); !status.ok())
    return Fail(err, status);
  auto log = runtime::GetLogger("main");
  if (auto warning = runtime::SimulatedClockWarning(clock); !warning.empty()) {
    log->warn("{}", warning);
  }
  boost::asio::io_context io;
  auto agent = Agent::Create(io, Agent::Options{*config, &clock});
  if (!agent.ok()) {
    log->critical("cannot start: {}", agent.status().message());
    return 1;
  }
  // Before Start: its local socket tells others it is up, and a SIGTERM
  // from then on must stop it cleanly (the handler runs in io.run()).
  runtime::ShutdownSignals signals(io, [&](int signal) {
    log->info("signal {}: stopping (everything accepted is in the outbox)", signal);
    runtime::NotifySystemd("STOPPING=1").IgnoreError();
    (*agent)->Stop();
    io.stop();
  });
  if (Status status = (*agent)->Start(); !status.ok()) {
    log->critical("cannot start: {}", status.message());
    return 1;
  }
  // Its outbox is open and its local command socket listens: officers'
  // commands are accepted from now on.
  if (Status status = runtime::NotifySystemd("READY=1"); !status.ok()) {
    log->warn("{}", status.message());
  }
  io.run();
  return 0;
}

// The office's side of enrolment: its key pair exists (made now if it
// does not; replaced only with --force), and HQ is told what to enter.
int Enrol(const AgentConfig& config, bool force, std::ostream& out, std::ostream& err) {
  const std::string& path = config.secret_key_file;
  std::string public_key;
  bool made = false;
  if (auto existing = runtime::ReadKeyFile(path, /*require_secret=*/true);
      existing.ok() && !force) {
    public_key = existing->public_key;
  } else {
    if (!existing.ok() && std::filesystem::exists(path)) {
      // A file that is there but unreadable is not overwritten silently.
      if (!force) return Fail(err, existing.status());
    }
    auto pair = runtime::GenerateCurveKeyPair();
    if (!pair.ok()) return Fail(err, pair.status());
    if (Status status = runtime::WriteKeyFile(
            path, *pair,
            StrCat("Anding agent key pair of unit ", config.unit_id, ". Keep this file secret."),
            force);
        !status.ok()) {
      return Fail(err, status);
    }
    public_key = pair->public_key;
    made = true;
  }
  out << Tr(made ? N_("made a new key pair in {} (keep it secret)")
                 : N_("this office's key pair is in {} (keep it secret)"),
            path)
      << "\n"
      << Tr(N_("public key of unit {}: {}"), config.unit_id, public_key) << "\n"
      << _("HQ enrols it with:") << "\n"
      << "  anding agents enrol --unit " << config.unit_id << " --key " << public_key << "\n";
  if (made && force) {
    out << _("the previous key no longer works once HQ has enrolled this one") << "\n";
  }
  return 0;
}

// `--check-config`: the configuration and the keys are read and checked as
// `run` would read them, and nothing else happens.
int CheckConfig(const std::string& config_path, std::ostream& out, std::ostream& err) {
  if (config_path.empty()) return NoConfiguration(err);
  auto config = LoadAgentConfig(config_path);
  if (!config.ok()) return InvalidConfiguration(err, config.status());
  // `run` needs the office's key pair too; `enrol` makes it.
  if (auto keys = runtime::ReadKeyFile(config->secret_key_file, /*require_secret=*/true);
      !keys.ok()) {
    err << "anding-agent: " << keys.status().message() << "\n("
        << Tr(N_("anding-agent --config {} enrol makes this office's key pair"), config_path)
        << ")\n";
    return cmdline::kExitUsage;
  }
  out << Tr(N_("{}: configuration is valid"), config_path) << "\n";
  return 0;
}

// For a person at a terminal who left out required options of `command`
// (`report early-warning` is the one officers type by hand): asks for each
// one, in the current language, and returns the words with the answers
// added. nullopt when nothing is missing or the input ends.
std::optional<std::vector<std::string>> AskForMissing(const CLI::App& command,
                                                      std::vector<std::string> words,
                                                      const Terminal& terminal, std::ostream& out) {
  std::vector<const CLI::Option*> missing;
  for (const CLI::Option* option : command.get_options()) {
    if (option->get_required() && option->count() == 0 && !option->get_lnames().empty()) {
      missing.push_back(option);
    }
  }
  if (missing.empty()) return std::nullopt;
  out << Tr(N_("{} needs more; please answer (an empty line asks again, Ctrl-D stops):"),
            cmdline::CommandPath(command))
      << "\n";
  for (const CLI::Option* option : missing) {
    std::string answer;
    while (answer.empty()) {
      out << option->get_description() << " (--" << option->get_lnames().front()
          << "): " << std::flush;
      if (!std::getline(*terminal.in, answer)) return std::nullopt;
    }
    words.push_back("--" + option->get_lnames().front());
    words.push_back(answer);
  }
  return words;
}

int PrintResponse(const v1::LocalResponse& response, const AgentConfig& config, bool json,
                  std::ostream& out) {
  if (json) {
    out << ToJson(response) << "\n";
    if (response.has_submit()) {
      for (const auto& entry : response.submit().entries()) {
        if (entry.state() == v1::DELIVERY_STATE_REJECTED) return cmdline::kExitRefused;
      }
    }
    return 0;
  }
  const TimeZone& zone = config.time_zone;
  switch (response.response_case()) {
    case v1::LocalResponse::kSubmit: {
      int status = 0;
      if (response.submit().entries_size() > 20) {
        int acked = 0, rejected = 0, queued = 0;
        for (const auto& entry : response.submit().entries()) {
          acked += entry.state() == v1::DELIVERY_STATE_ACKED;
          rejected += entry.state() == v1::DELIVERY_STATE_REJECTED;
          queued += entry.state() == v1::DELIVERY_STATE_QUEUED;
        }
        out << Tr(N_("accepted {} messages: {} stored by the dispatcher, {} queued, {} rejected"),
                  response.submit().entries_size(), acked, queued, rejected)
            << "\n";
        return rejected > 0 ? cmdline::kExitRefused : 0;
      }
      for (const auto& entry : response.submit().entries()) {
        out << Tr(N_("accepted {}"), Describe(entry, zone)) << "\n";
        if (entry.state() == v1::DELIVERY_STATE_REJECTED) status = cmdline::kExitRefused;
      }
      return status;
    }
    case v1::LocalResponse::kListOutbox:
      if (response.list_outbox().entries_size() == 0) out << _("outbox is empty") << "\n";
      for (const auto& entry : response.list_outbox().entries()) {
        out << Describe(entry, zone) << "\n";
      }
      return 0;
    case v1::LocalResponse::kListOrders:
      if (response.list_orders().orders_size() == 0) out << _("no orders") << "\n";
      for (const auto& received : response.list_orders().orders()) {
        const auto& order = received.envelope().order();
        out << "#" << received.envelope().sequence() << " " << order.order_id() << " ["
            << v1::OrderKind_Name(order.kind()) << "] " << order.title() << "\n";
        if (!order.text().empty()) out << "  " << order.text() << "\n";
        if (order.has_dispatch()) {
          const auto& d = order.dispatch();
          out << "  "
              << Tr(N_("incident {} at {} {}; arrive by {} ({}); team {}"), d.incident_id(),
                    d.place().region_id(), d.place().address(),
                    zone.FormatLocal(wire::FromProto(d.arrive_by())), d.deadline_rule(),
                    d.team_id())
              << "\n";
          for (const auto& member : d.members()) {
            out << "    " << member.role() << ": " << member.contact().name() << " "
                << member.contact().phone() << "\n";
          }
        }
        out << "  "
            << Tr(N_("received {}"), zone.FormatLocal(wire::FromProto(received.received_at())));
        if (received.has_acknowledged_at()) {
          out << Tr(N_("; acknowledged by {} at {}"), received.acknowledged_by(),
                    zone.FormatLocal(wire::FromProto(received.acknowledged_at())));
        } else {
          out << Tr(N_("; NOT YET ACKNOWLEDGED (anding-agent orders ack {} --by NAME)"),
                    order.order_id());
        }
        out << "\n";
      }
      return 0;
    case v1::LocalResponse::kStatus: {
      const auto& s = response.status();
      out << Tr(s.connected() ? N_("unit {}: link to {} is UP") : N_("unit {}: link to {} is DOWN"),
                s.unit_id(), s.dispatcher_endpoint());
      if (s.has_last_contact()) {
        out << Tr(N_(" (last contact {})"), zone.FormatLocal(wire::FromProto(s.last_contact())));
      }
      out << "\n"
          << Tr(N_("{} messages waiting; last sequence {}"), s.outbox_depth(), s.last_sequence())
          << "\n";
      return 0;
    }
    case v1::LocalResponse::RESPONSE_NOT_SET:
      break;
  }
  return 0;
}

// The envelopes of `anding-agent import FILE`. Each line's message id is
// derived from the file and the line, so that running the same import
// again (after an interruption) submits the same ids and nothing is stored
// twice.
Result<std::vector<v1::Envelope>> ReadImport(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return NotFoundError(Tr(N_("cannot read '{}'"), file));
  const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string file_digest = Sha256(content);
  std::vector<v1::Envelope> envelopes;
  std::istringstream lines(content);
  std::string line;
  uint64_t number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    v1::Envelope envelope;
    auto parsed = google::protobuf::util::JsonStringToMessage(line, &envelope);
    if (!parsed.ok()) {
      return InvalidArgumentError(StrCat(file, ":", number, ": ", parsed.ToString()));
    }
    envelope.set_message_id(ImportMessageId(file_digest, number, line));
    envelopes.push_back(std::move(envelope));
  }
  if (envelopes.empty()) return InvalidArgumentError(Tr(N_("{}: no envelopes"), file));
  return envelopes;
}

}  // namespace

int RunCli(const std::vector<std::string>& words, const Clock& clock, std::ostream& out,
           std::ostream& err, const Terminal& terminal) {
  // Before anything is parsed or sent: a text that is not UTF-8 would fail
  // only at the far end, as an undecodable message.
  if (Status status = wire::CheckCommandLineText(words); !status.ok()) return Fail(err, status);
  auto language = cmdline::ChooseLanguage(words);
  if (!language.ok()) return Fail(err, language.status());
  cmdline::UseLanguage(*language, "anding-agent");

  CommandLine cl;
  DefineCommandLine(cl);
  const bool help_word = words.size() == 1 && words[0] == "help";
  std::ostringstream parse_errors;
  if (auto done = cmdline::Parse(
          *cl.program, help_word ? std::vector<std::string>{"--help"} : words, out, parse_errors)) {
    // An officer at a terminal who typed `report early-warning` alone is
    // asked for what it needs; a script is not.
    const CLI::App& selected = cmdline::Selected(*cl.program);
    if (*done == cmdline::kExitUsage && terminal.interactive &&
        cmdline::CommandPath(selected) == "anding-agent report early-warning" &&
        !cmdline::UnknownOption(selected, words)) {
      if (auto completed = AskForMissing(selected, words, terminal, out)) {
        return RunCli(*completed, clock, out, err, terminal);
      }
    }
    err << parse_errors.str();
    return *done;
  }
  const CLI::App& command = cmdline::Selected(*cl.program);
  if (&command == cl.program.get()) {
    if (cl.check_config) return CheckConfig(cl.config_path, out, err);
    err << cl.program->help();
    return cmdline::kExitUsage;
  }
  if (cl.config_path.empty()) return NoConfiguration(err);
  if (&command == cl.run) return RunDaemon(cl.config_path, clock, err);

  auto config = LoadAgentConfig(cl.config_path);
  if (!config.ok()) return InvalidConfiguration(err, config.status());
  if (&command == cl.enrol) return Enrol(*config, cl.force, out, err);
  if (&command == cl.backup) return Backup(*config, cl.backup_file, clock.Now(), out, err);

  const Duration wait = *ParseDuration(cl.wait);
  v1::LocalRequest request;
  std::vector<v1::Envelope> envelopes;
  if (&command == cl.import) {
    auto read = ReadImport(cl.import_file);
    if (!read.ok()) return Fail(err, read.status());
    envelopes = std::move(*read);
  } else if (auto envelope = cl.payloads.Build(clock, config->time_zone)) {
    if (!envelope->ok()) return Fail(err, envelope->status());
    envelopes.push_back(std::move(**envelope));
  } else if (&command == cl.orders) {
    request.mutable_list_orders()->set_all(cl.all);
  } else if (&command == cl.outbox) {
    request.mutable_list_outbox()->set_all(cl.all);
    request.mutable_list_outbox()->set_limit(static_cast<uint32_t>(cl.limit));
  } else if (&command == cl.status) {
    request.mutable_status();
  }
  if (!envelopes.empty()) {
    auto* submit = request.mutable_submit();
    for (auto& envelope : envelopes) *submit->add_envelopes() = std::move(envelope);
    submit->set_wait_ms(
        cl.no_wait ? 0
                   : static_cast<uint32_t>(
                         std::chrono::duration_cast<std::chrono::milliseconds>(wait).count()));
  }

  const auto timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(wait) + std::chrono::seconds(10);
  auto response = CallAgent(config->LocalEndpoint(), request, timeout);
  if (!response.ok()) {
    if (&command == cl.import && response.status().code() == StatusCode::kDeadlineExceeded) {
      err << "anding-agent: " << response.status().message() << "\n"
          << _("the outcome is unknown: some lines may be stored, some not. Re-run the same "
               "import: lines already stored are not stored twice.")
          << "\n";
      return cmdline::kExitUnavailable;
    }
    return Fail(err, response.status());
  }
  if (!response->error().empty()) {
    err << "anding-agent: " << Tr(N_("not accepted: {}"), response->error()) << "\n";
    return cmdline::kExitRefused;
  }
  return PrintResponse(*response, *config, cl.json, out);
}

}  // namespace anding::agent

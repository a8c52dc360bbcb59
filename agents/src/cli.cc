#include "anding/agent/cli.h"

#include <google/protobuf/util/json_util.h>

#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "anding/agent/agent.h"
#include "anding/agent/config.h"
#include "anding/agent/import_ids.h"
#include "anding/agent/local_client.h"
#include "anding/backup/backup.h"
#include "anding/common/args.h"
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

constexpr const char* kUsage = R"(usage: anding-agent [--config FILE] COMMAND ...

The configuration comes from --config or $ANDING_AGENT_CONFIG.

  run                                 start the daemon (keeps running)
  --check-config                      check the configuration and exit (0 valid, 2 not)
  enrol [--force]                     make this office's key pair (secret_key_file) if it
                                      has none, and print the line HQ enters to enrol it
  status                              link state and outbox depth
  report early-warning ...            report a sign of instability (苗头动向)
  report incident ...                 report a group or extreme petition
  report status ...                   departed / arrived / settled / ... for an incident
  report screening ...                file a screening result (排查), or --zero
  report daily ...                    file the daily risk report (日报告)
  report visit ...                    record visits received (接处访)
  report expense ...                  report an emergency expense against an incident
  ledger register|update|close-out    keep the unit's ledger items (台账)
  orders [--all]                      orders received from headquarters
  orders ack ORDER_ID --by NAME       acknowledge an order
  outbox [--all] [--limit N]          messages not yet delivered (or all)
  backup --out FILE                   a consistent copy of the outbox (unsent messages,
                                      sequence numbers, orders), also while the daemon runs
  import FILE                         submit JSON-lines envelopes (one payload per line)

Reports wait up to --wait (default 5s) for the dispatcher's answer; they are
stored locally first, so an unreachable dispatcher only delays them.
Add --json to print machine-readable output. 'anding-agent report KIND --help'
lists a report's options.)";

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string Describe(const v1::OutboxEntry& entry, const TimeZone& zone) {
  std::string text =
      StrCat("#", entry.sequence(), " ", entry.summary(), "\n  message ", entry.message_id(), ": ");
  switch (entry.state()) {
    case v1::DELIVERY_STATE_ACKED:
      StrAppend(text, "stored by the dispatcher at ",
                zone.FormatLocal(wire::FromProto(entry.ack().stored_at())),
                entry.ack().duplicate() ? " (repeat)" : "");
      if (!entry.ack().record_id().empty()) StrAppend(text, ", record ", entry.ack().record_id());
      break;
    case v1::DELIVERY_STATE_REJECTED:
      StrAppend(text, "REJECTED by the dispatcher: ", v1::NackReason_Name(entry.nack().reason()),
                ": ", entry.nack().detail());
      break;
    default:
      StrAppend(text, "queued (", entry.attempts(),
                " attempts so far); it will be delivered when "
                "the dispatcher answers");
  }
  return text;
}

int Fail(std::ostream& err, const Status& status) {
  err << "anding-agent: " << status.message() << "\n";
  return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
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
  out << "outbox backed up to " << taken->path << "\n  " << taken->manifest.size_bytes
      << " bytes, SHA-256 " << taken->manifest.sha256
      << ", integrity checked\n  manifest: " << taken->manifest_path << "\n";
  return 0;
}

int RunDaemon(const std::string& config_path, const Clock& clock, std::ostream& err) {
  auto config = LoadAgentConfig(config_path);
  if (!config.ok()) {
    err << "anding-agent: invalid configuration:\n" << config.status().message() << "\n";
    return 2;
  }
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
  if (Status status = (*agent)->Start(); !status.ok()) {
    log->critical("cannot start: {}", status.message());
    return 1;
  }
  runtime::ShutdownSignals signals(io, [&](int signal) {
    log->info("signal {}: stopping (everything accepted is in the outbox)", signal);
    runtime::NotifySystemd("STOPPING=1").IgnoreError();
    (*agent)->Stop();
    io.stop();
  });
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
  out << (made ? "made a new key pair in " : "this office's key pair is in ") << path
      << " (keep it secret)\n"
      << "public key of unit " << config.unit_id << ": " << public_key << "\n"
      << "HQ enrols it with:\n"
      << "  anding agents enrol --unit " << config.unit_id << " --key " << public_key << "\n";
  if (made && force) {
    out << "the previous key no longer works once HQ has enrolled this one\n";
  }
  return 0;
}

// `--check-config`: the configuration and the keys are read and checked as
// `run` would read them, and nothing else happens.
int CheckConfig(const std::string& config_path, const Args& args, std::ostream& out,
                std::ostream& err) {
  if (config_path.empty()) {
    err << "anding-agent: no configuration: give --config FILE or set ANDING_AGENT_CONFIG\n";
    return 2;
  }
  if (Status status = args.Finish(); !status.ok()) return Fail(err, status);
  auto config = LoadAgentConfig(config_path);
  if (!config.ok()) {
    err << "anding-agent: invalid configuration:\n" << config.status().message() << "\n";
    return 2;
  }
  // `run` needs the office's key pair too; `enrol` makes it.
  if (auto keys = runtime::ReadKeyFile(config->secret_key_file, /*require_secret=*/true);
      !keys.ok()) {
    err << "anding-agent: " << keys.status().message() << "\n(anding-agent --config " << config_path
        << " enrol makes this office's key pair)\n";
    return 2;
  }
  out << config_path << ": configuration is valid\n";
  return 0;
}

}  // namespace

int RunCli(const std::vector<std::string>& words, const Clock& clock, std::ostream& out,
           std::ostream& err) {
  // Before anything is parsed or sent: a text that is not UTF-8 would fail
  // only at the far end, as an undecodable message.
  if (Status status = wire::CheckCommandLineText(words); !status.ok()) return Fail(err, status);
  Args args(words);
  std::string config_path = args.Option("config").value_or("");
  if (config_path.empty()) {
    if (const char* env = std::getenv("ANDING_AGENT_CONFIG")) config_path = env;
  }
  const bool json = args.Flag("json");
  const bool help = args.Flag("help");
  const bool check_config = args.Flag("check-config");
  const std::string command = args.Positional(0);
  if (check_config && command.empty()) return CheckConfig(config_path, args, out, err);
  if (command.empty() || command == "help" || (help && command.empty())) {
    out << kUsage << "\n\n" << runtime::kClockOptionsHelp;
    return command.empty() && !help ? 2 : 0;
  }
  if (config_path.empty()) {
    err << "anding-agent: no configuration: give --config FILE or set ANDING_AGENT_CONFIG\n";
    return 2;
  }
  if (command == "run") {
    if (Status status = args.Finish(); !status.ok()) return Fail(err, status);
    return RunDaemon(config_path, clock, err);
  }

  auto config = LoadAgentConfig(config_path);
  if (!config.ok()) {
    err << "anding-agent: invalid configuration:\n" << config.status().message() << "\n";
    return 2;
  }
  if (command == "enrol") {
    const bool force = args.Flag("force");
    if (Status status = args.Finish(); !status.ok()) return Fail(err, status);
    return Enrol(*config, force, out, err);
  }
  if (command == "backup") {
    const std::string file = args.Required("out");
    if (Status status = args.Finish(); !status.ok()) return Fail(err, status);
    return Backup(*config, file, clock.Now(), out, err);
  }
  const auto wait = args.DurationOption("wait").value_or(std::chrono::seconds(5));
  const bool no_wait = args.Flag("no-wait");
  v1::LocalRequest request;

  if (command == "report" || command == "ledger" || command == "import" ||
      (command == "orders" && args.Positional(1) == "ack")) {
    std::vector<v1::Envelope> envelopes;
    if (command == "import") {
      const std::string file = args.Positional(1);
      if (Status status = args.Finish(); !status.ok()) return Fail(err, status);
      std::ifstream in(file, std::ios::binary);
      if (!in) return Fail(err, NotFoundError(StrCat("cannot read '", file, "'")));
      const std::string content((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
      // Each line's message id is derived from the file and the line, so
      // that running the same import again (after an interruption) submits
      // the same ids and nothing is stored twice.
      const std::string file_digest = Sha256(content);
      std::istringstream lines(content);
      std::string line;
      uint64_t number = 0;
      while (std::getline(lines, line)) {
        ++number;
        if (line.empty() || line[0] == '#') continue;
        v1::Envelope envelope;
        auto parsed = google::protobuf::util::JsonStringToMessage(line, &envelope);
        if (!parsed.ok()) {
          return Fail(err,
                      InvalidArgumentError(StrCat(file, ":", number, ": ", parsed.ToString())));
        }
        envelope.set_message_id(ImportMessageId(file_digest, number, line));
        envelopes.push_back(std::move(envelope));
      }
      if (envelopes.empty()) return Fail(err, InvalidArgumentError(StrCat(file, ": no envelopes")));
    } else {
      auto envelope = wire::BuildPayload(command, args, clock, config->time_zone);
      if (help) {
        out << wire::PayloadHelp(command, args.Positional(1)) << "\n";
        return 0;
      }
      if (Status status = args.Finish(); !status.ok()) return Fail(err, status);
      if (!envelope.ok()) return Fail(err, envelope.status());
      envelopes.push_back(std::move(*envelope));
    }
    auto* submit = request.mutable_submit();
    for (auto& envelope : envelopes) *submit->add_envelopes() = std::move(envelope);
    submit->set_wait_ms(
        no_wait ? 0
                : static_cast<uint32_t>(
                      std::chrono::duration_cast<std::chrono::milliseconds>(wait).count()));
  } else if (command == "orders") {
    request.mutable_list_orders()->set_all(args.Flag("all"));
  } else if (command == "outbox") {
    request.mutable_list_outbox()->set_all(args.Flag("all"));
    request.mutable_list_outbox()->set_limit(static_cast<uint32_t>(args.Int("limit").value_or(50)));
  } else if (command == "status") {
    request.mutable_status();
  } else {
    err << "anding-agent: unknown command '" << command << "'\n" << kUsage << "\n";
    return 2;
  }
  if (Status status = args.Finish(); !status.ok()) return Fail(err, status);

  const auto timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(wait) + std::chrono::seconds(10);
  auto response = CallAgent(config->LocalEndpoint(), request, timeout);
  if (!response.ok()) {
    if (command == "import" && response.status().code() == StatusCode::kDeadlineExceeded) {
      err << "anding-agent: " << response.status().message()
          << "\nthe outcome is unknown: some lines may be stored, some not. Re-run the same "
             "import: lines already stored are not stored twice.\n";
      return 1;
    }
    return Fail(err, response.status());
  }
  if (!response->error().empty()) {
    err << "anding-agent: not accepted: " << response->error() << "\n";
    return 1;
  }
  if (json) {
    out << ToJson(*response) << "\n";
    if (response->has_submit()) {
      for (const auto& entry : response->submit().entries()) {
        if (entry.state() == v1::DELIVERY_STATE_REJECTED) return 1;
      }
    }
    return 0;
  }
  switch (response->response_case()) {
    case v1::LocalResponse::kSubmit: {
      int status = 0;
      if (response->submit().entries_size() > 20) {
        int acked = 0, rejected = 0, queued = 0;
        for (const auto& entry : response->submit().entries()) {
          acked += entry.state() == v1::DELIVERY_STATE_ACKED;
          rejected += entry.state() == v1::DELIVERY_STATE_REJECTED;
          queued += entry.state() == v1::DELIVERY_STATE_QUEUED;
        }
        out << "accepted " << response->submit().entries_size() << " messages: " << acked
            << " stored by the dispatcher, " << queued << " queued, " << rejected << " rejected\n";
        return rejected > 0 ? 1 : 0;
      }
      for (const auto& entry : response->submit().entries()) {
        out << "accepted " << Describe(entry, config->time_zone) << "\n";
        if (entry.state() == v1::DELIVERY_STATE_REJECTED) status = 1;
      }
      return status;
    }
    case v1::LocalResponse::kListOutbox:
      if (response->list_outbox().entries_size() == 0) out << "outbox is empty\n";
      for (const auto& entry : response->list_outbox().entries())
        out << Describe(entry, config->time_zone) << "\n";
      return 0;
    case v1::LocalResponse::kListOrders:
      if (response->list_orders().orders_size() == 0) out << "no orders\n";
      for (const auto& received : response->list_orders().orders()) {
        const auto& order = received.envelope().order();
        out << "#" << received.envelope().sequence() << " " << order.order_id() << " ["
            << v1::OrderKind_Name(order.kind()) << "] " << order.title() << "\n";
        if (!order.text().empty()) out << "  " << order.text() << "\n";
        if (order.has_dispatch()) {
          const auto& d = order.dispatch();
          out << "  incident " << d.incident_id() << " at " << d.place().region_id() << " "
              << d.place().address() << "; arrive by "
              << config->time_zone.FormatLocal(wire::FromProto(d.arrive_by())) << " ("
              << d.deadline_rule() << "); team " << d.team_id() << "\n";
          for (const auto& member : d.members()) {
            out << "    " << member.role() << ": " << member.contact().name() << " "
                << member.contact().phone() << "\n";
          }
        }
        out << "  received "
            << config->time_zone.FormatLocal(wire::FromProto(received.received_at()));
        if (received.has_acknowledged_at()) {
          out << "; acknowledged by " << received.acknowledged_by() << " at "
              << config->time_zone.FormatLocal(wire::FromProto(received.acknowledged_at()));
        } else {
          out << "; NOT YET ACKNOWLEDGED (anding-agent orders ack " << order.order_id()
              << " --by NAME)";
        }
        out << "\n";
      }
      return 0;
    case v1::LocalResponse::kStatus: {
      const auto& s = response->status();
      out << "unit " << s.unit_id() << ": link to " << s.dispatcher_endpoint() << " is "
          << (s.connected() ? "UP" : "DOWN");
      if (s.has_last_contact())
        out << " (last contact " << config->time_zone.FormatLocal(wire::FromProto(s.last_contact()))
            << ")";
      out << "\n"
          << s.outbox_depth() << " messages waiting; last sequence " << s.last_sequence() << "\n";
      return 0;
    }
    case v1::LocalResponse::RESPONSE_NOT_SET:
      break;
  }
  return 0;
}

}  // namespace anding::agent

#include "anding/cli/cli.h"

#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "anding/cli/feed_subscriber.h"
#include "anding/cli/operator_client.h"
#include "anding/cmdline/command_line.h"
#include "anding/cmdline/exit_codes.h"
#include "anding/cmdline/gettext.h"
#include "anding/cmdline/i18n.h"
#include "anding/cmdline/validators.h"
#include "anding/common/clock_offset.h"
#include "anding/common/strings.h"
#include "anding/runtime/clock_options.h"
#include "anding/runtime/curve_keys.h"
#include "anding/wire/codec.h"
#include "anding/wire/command_line.h"
#include "commands.h"
#include "pdf_printer.h"

namespace anding::cli {
namespace {

using cmdline::Tr;

// The command line as defined (DefineCommandLine) and what it parsed into;
// the per-domain commands are read by name (CommandValues).
struct CommandLine {
  std::unique_ptr<CLI::App> program;
  std::string config_path;
  bool json = false;
  wire::PayloadCommands payloads;

  CLI::App* keygen = nullptr;
  CLI::App* watch = nullptr;
  CLI::App* backup = nullptr;
};

// Every command of anding, once: its help, manual page, completion and the
// tests' walk come from here and from the domains' Define…Commands.
void DefineCommandLine(CommandLine& cl) {
  cl.program = cmdline::NewProgram(
      "anding", _("headquarters' command line of Anding: incidents and dispatch, the ledger, "
                  "reports, reserve funds, visits, users, notifications and "
                  "statistics, through the dispatcher's operator link"));
  CLI::App& program = *cl.program;
  program
      .add_option("--config", cl.config_path,
                  _("the operator configuration (YAML; see deploy/demo/operator.yaml)"))
      ->type_name("FILE")
      ->envname("ANDING_CONFIG");
  program.add_flag("--json", cl.json, _("print machine-readable output (JSON)"));
  cmdline::SetExamples(program, {"anding --config /etc/anding/operator.yaml status",
                                 "anding --lang zh incident list --open"});
  program.footer(StrCat(
      program.get_footer(), "\n\n",
      _("Exit status: 0 done, 1 refused by the dispatcher, 2 bad usage (nothing was sent), 3 "
        "unavailable or the outcome is unknown (the dispatcher did not answer: run it again)."),
      "\n\n", runtime::kClockOptionsHelp));

  cl.keygen = Command(program, "keygen",
                      _("write a new CURVE key pair (prints the public key); needs no "
                        "configuration"),
                      {"anding keygen --out operator.key --public-out operator.pub"});
  Text(*cl.keygen, "out", "FILE", _("the key file to write (secret)"))->required();
  Text(*cl.keygen, "public-out", "FILE", _("also write the public key alone to FILE"));
  Text(*cl.keygen, "comment", "TEXT", _("the comment in the key file"));
  Flag(*cl.keygen, "force", _("overwrite an existing key file"));

  Command(program, "status", _("the dispatcher's health counters"), {"anding status"});

  cl.backup = Command(program, "backup",
                      _("a consistent copy of the dispatcher's database while it runs, in its "
                        "backup.directory (commanders)"),
                      {"anding backup", "anding backup --out before-upgrade.db --timeout 30m"});
  Text(*cl.backup, "out", "NAME",
       _("the file's name in the dispatcher's backup directory, on its host"));
  Text(*cl.backup, "timeout", "DURATION", _("how long to wait for the copy (default 10m)"))
      ->check(cmdline::DurationText());

  CLI::App* events = Command(program, "events", _("the agents' events as stored"),
                             {"anding events list --unit mine-3"});
  events->require_subcommand(1);
  CLI::App* events_list =
      Command(*events, "list", _("stored agent events, newest first, a page at a time"),
              {"anding events list --unit mine-3 --kind early_warning --limit 20",
               "anding events list --cursor 0195a3c4"});
  Text(*events_list, "unit", "UNIT", _("only this unit's events"));
  Text(*events_list, "kind", "KIND", _("only events of this kind (early_warning, ...)"));
  Number(*events_list, "limit", 1, 100'000, _("at most this many (default 50)"));
  Text(*events_list, "cursor", "CURSOR", _("the next page: the cursor the page before printed"));

  CLI::App* agents = Command(program, "agents", _("the mine offices' agents and their keys"),
                             {"anding agents list"});
  agents->require_subcommand(1);
  Command(*agents, "list", _("agents, liveness, pending orders"), {"anding agents list"});
  Command(*agents, "keys", _("enrolled keys, and lines that enrol nobody"), {"anding agents keys"});
  CLI::App* enrol = Command(
      *agents, "enrol", _("enrol (or replace) a unit's agent key, in effect at once"),
      {"anding agents enrol --unit mine-3 --key 'rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7'"});
  Text(*enrol, "unit", "UNIT", _("the unit"))->required();
  Text(*enrol, "key", "PUBLIC_KEY", _("the public key `anding-agent enrol` printed"))->required();
  CLI::App* revoke = Command(*agents, "revoke", _("revoke a unit's agent key, at once"),
                             {"anding agents revoke --unit mine-3"});
  Text(*revoke, "unit", "UNIT", _("the unit"))->required();

  CLI::App* orders =
      Command(program, "orders", _("orders to the units: notices, reminders, supervision"),
              {"anding orders list"});
  orders->require_subcommand(1);
  CLI::App* send = Command(*orders, "send", _("send an order to a unit's agent"),
                           {"anding orders send --unit mine-3 --kind supervision --title "
                            "'督办：欠薪台账' --text '请于本周内销号'"});
  Text(*send, "unit", "UNIT", _("the unit"))->required();
  Choice(*send, "kind", {"notice", "reminder", "supervision"}, _("the kind of order"))->required();
  Text(*send, "title", "TEXT", _("the title"))->required();
  Text(*send, "text", "TEXT", _("the text"));
  Text(*send, "reference", "ID", _("what it refers to (a ledger item, an incident)"));
  CLI::App* orders_list = Command(*orders, "list", _("orders issued and their delivery"),
                                  {"anding orders list --unit mine-3"});
  Text(*orders_list, "unit", "UNIT", _("only this unit's orders"));
  Number(*orders_list, "limit", 1, 100'000, _("at most this many (default 50)"));

  cl.watch = Command(program, "watch", _("follow the live feed"),
                     {"anding watch", "anding watch --count 10 --timeout 30s"});
  Number(*cl.watch, "count", 1, 1'000'000'000, _("stop after this many items"));
  Text(*cl.watch, "timeout", "DURATION", _("stop after this long"))->check(cmdline::DurationText());

  DefineLedgerCommands(program, cl.payloads);
  DefineDispatchCommands(program, cl.payloads);
  DefineAftermathCommands(program);
  DefineStatsCommands(program);
  DefineFundsCommands(program);
  DefineUsersCommands(program);
  DefineNotifyCommands(program);
  DefineVisitsCommands(program);
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

int Fail(std::ostream& err, const Status& status) {
  err << "anding: " << status.message() << "\n";
  return cmdline::ExitCodeFor(status);
}

// Writes an exported document to --out FILE, or to standard output.
int WriteExport(const v1::ExportResponse& exported, const std::optional<std::string>& path,
                std::ostream& out, std::ostream& err) {
  if (!path) {
    out << exported.content();
    return 0;
  }
  std::ofstream file(*path, std::ios::binary | std::ios::trunc);
  file << exported.content();
  if (!file) {
    err << "anding: " << Tr(N_("cannot write {}"), *path) << "\n";
    return 1;
  }
  out << "wrote " << *path << " (" << exported.content().size() << " bytes, "
      << exported.content_type() << ")\n";
  return 0;
}

// The HTML document a response carries (asked for with --format html), or
// nullptr. Exports say their type; a review and the statistics carry the
// document their request asked for.
const std::string* HtmlDocument(const v1::OperatorResponse& response) {
  switch (response.result_case()) {
    case v1::OperatorResponse::kExport:
      return response.export_().content_type().starts_with("text/html")
                 ? &response.export_().content()
                 : nullptr;
    case v1::OperatorResponse::kReview:
      return response.review().document().empty() ? nullptr : &response.review().document();
    case v1::OperatorResponse::kVisitStats:
      return response.visit_stats().format() == "html" ? &response.visit_stats().document()
                                                       : nullptr;
    case v1::OperatorResponse::kLedgerStats:
      return response.ledger_stats().format() == "html" ? &response.ledger_stats().document()
                                                        : nullptr;
    case v1::OperatorResponse::kFundStats:
      return response.fund_stats().format() == "html" ? &response.fund_stats().document() : nullptr;
    case v1::OperatorResponse::kResponseStats:
      return response.response_stats().format() == "html" ? &response.response_stats().document()
                                                          : nullptr;
    case v1::OperatorResponse::kYearlyReport:
      return response.yearly_report().format() == "html" ? &response.yearly_report().document()
                                                         : nullptr;
    default:
      return nullptr;
  }
}

// Prints the response's HTML document to --out FILE.pdf.
int PrintExport(const v1::OperatorResponse& response, const std::string& path, std::ostream& out,
                std::ostream& err) {
  const std::string* html = HtmlDocument(response);
  if (html == nullptr) {
    err << "anding: " << _("this command has no printable document (--format pdf)") << "\n";
    return 2;
  }
  if (Status status = PrintHtmlToPdf(*html, path); !status.ok()) {
    return Fail(err, status);
  }
  std::error_code ignored;
  out << "wrote " << path << " (" << std::filesystem::file_size(path, ignored)
      << " bytes, application/pdf)\n";
  return 0;
}

int Keygen(const CommandValues& args, std::ostream& out, std::ostream& err) {
  const std::string path = args.Required("out");
  const std::string comment = args.Option("comment").value_or("Anding CURVE key pair");
  const bool force = args.Flag("force");
  const auto public_out = args.Option("public-out");
  auto pair = runtime::GenerateCurveKeyPair();
  if (!pair.ok()) return Fail(err, pair.status());
  if (Status status =
          runtime::WriteKeyFile(path, *pair, StrCat(comment, ". Keep this file secret."), force);
      !status.ok()) {
    return Fail(err, status);
  }
  if (public_out) {
    runtime::CurveKeyPair public_only{pair->public_key, ""};
    if (Status status = runtime::WriteKeyFile(*public_out, public_only,
                                              StrCat(comment, " (public key only)"), force);
        !status.ok()) {
      return Fail(err, status);
    }
  }
  out << pair->public_key << "\n";
  return 0;
}

void PrintEvents(const v1::ListEventsResponse& list, const TimeZone& zone, std::ostream& out) {
  out << list.events_size() << " of " << list.total() << " stored events\n";
  for (const auto& event : list.events()) {
    out << When(event.received_at(), zone) << "  " << PadRight(event.unit_id(), 12) << " #"
        << event.sequence() << "  " << wire::Summarize(event.envelope()) << "\n";
    if (!event.filed_at_basis().empty()) {
      // The time the report is judged by, and why it is not the agent's.
      out << "    filed at " << When(event.filed_at(), zone) << " (" << event.filed_at_basis()
          << "; the agent said " << When(event.envelope().sent_at(), zone) << ")\n";
    }
  }
  if (!list.next_cursor().empty()) out << "next page: --cursor " << list.next_cursor() << "\n";
}

void PrintKeys(const v1::ListKeysResponse& list, std::ostream& out) {
  for (const auto& key : list.keys()) {
    out << PadRight(key.kind(), 9) << PadRight(key.id(), 16) << key.public_key();
    if (!key.role().empty()) out << "  " << key.role();
    if (!key.unit_id().empty()) out << " " << key.unit_id();
    out << "\n";
  }
  for (const auto& error : list.errors()) out << "NOT ENROLLED  " << error << "\n";
}

void PrintAgents(const v1::ListAgentsResponse& list, const TimeZone& zone, std::ostream& out) {
  for (const auto& agent : list.agents()) {
    out << PadRight(agent.unit_id(), 14) << (agent.online() ? " ONLINE " : " offline")
        << "  last seen " << When(agent.last_seen(), zone) << "  seq " << agent.last_sequence()
        << "  orders pending " << agent.orders_pending();
    if (agent.sequence_gaps() > 0) out << "  gaps " << agent.sequence_gaps();
    if (agent.oversized_frames() > 0) out << "  OVERSIZED FRAMES " << agent.oversized_frames();
    if (agent.repeated_sequences() > 0) {
      out << "  REUSED SEQUENCE NUMBERS " << agent.repeated_sequences();
    }
    if (agent.has_clock_offset_ms()) {
      // The offset is the dispatcher's clock minus the agent's.
      const int64_t offset_ms = agent.clock_offset_ms();
      out << "  clock "
          << FormatOffset(std::chrono::milliseconds(offset_ms < 0 ? -offset_ms : offset_ms))
                 .substr(1)
          << (offset_ms < 0 ? " fast" : " slow") << " (±"
          << FormatOffset(std::chrono::milliseconds(agent.clock_round_trip_ms() / 2)).substr(1)
          << ")" << (agent.clock_wrong() ? " CLOCK WRONG, its times corrected" : "");
    } else {
      out << "  clock unknown";
    }
    out << (agent.enrolled() ? "" : "  (key not enrolled)") << "\n";
  }
}

void PrintOrders(const v1::ListOrdersResponse& list, const TimeZone& zone, std::ostream& out) {
  if (list.orders_size() == 0) out << "no orders\n";
  for (const auto& issued : list.orders()) {
    out << When(issued.order().issued_at(), zone) << "  " << PadRight(issued.unit_id(), 12) << " #"
        << issued.sequence() << " " << issued.order().order_id() << " ["
        << v1::OrderKind_Name(issued.order().kind()) << "] " << issued.order().title() << "  "
        << (issued.has_delivered_at() ? "delivered " + When(issued.delivered_at(), zone)
                                      : "NOT DELIVERED YET")
        << "\n";
  }
}

void PrintStatus(const v1::DispatcherStatusResponse& s, const TimeZone& zone, std::ostream& out) {
  out << "anding-dispatcher " << s.version() << ", up since " << When(s.started_at(), zone) << "\n"
      << "  agents online " << s.agents_online() << " of " << s.agents_enrolled() << " enrolled\n"
      << "  events stored " << s.events_stored() << " (duplicates answered " << s.duplicates()
      << ")\n"
      << "  refused: malformed " << s.malformed_frames() << ", unauthorised "
      << s.unauthorised_messages() << ", wrong unit " << s.wrong_unit() << ", invalid "
      << s.invalid_envelopes() << ", oversized " << s.oversized_frames()
      << ", refused by the store " << s.refused_by_store() << "\n"
      << "  commits " << s.commits() << " (failed " << s.failed_commits() << "), orders pending "
      << s.orders_pending() << ", feed at #" << s.feed_sequence() << "\n"
      << "  checkpoints " << s.checkpoints() << " (" << s.wal_restarts()
      << " restarted the WAL; commits waited at most " << s.longest_checkpoint_wait_us() / 1000
      << " ms)\n";
}

std::string Describe(const v1::FeedItem& item, const TimeZone& zone) {
  std::string text = StrCat("#", item.sequence(), " ", When(item.at(), zone), " ");
  if (item.has_event_stored()) {
    StrAppend(text, item.event_stored().unit_id(), ": ", item.event_stored().summary());
  } else if (item.has_agent_status()) {
    StrAppend(text, "agent ", item.agent_status().unit_id(),
              item.agent_status().online() ? " is ONLINE" : " is OFFLINE");
  } else if (item.has_heartbeat()) {
    StrAppend(text, "(heartbeat)");
  } else if (item.has_record_changed()) {
    const auto& r = item.record_changed();
    StrAppend(text, r.kind(), " ", r.id(), " ", r.state(), ": ", r.summary());
  }
  return text;
}

int Watch(const CommandValues& args, const OperatorConfig& config, bool json, std::ostream& out,
          std::ostream& err) {
  const int64_t count = args.Int("count").value_or(-1);
  const auto timeout = args.DurationOption("timeout");
  FeedSubscriber subscriber(config);
  subscriber.set_on_resync([&](const FeedView& view) {
    if (!json) {
      out << "snapshot at #" << view.sequence << ": " << view.events_stored << " events stored, "
          << view.agents.size() << " agents known\n"
          << std::flush;
    }
  });
  if (Status status = subscriber.Start(); !status.ok()) return Fail(err, status);
  int64_t seen = 0;
  const auto deadline = timeout ? std::chrono::steady_clock::now() + *timeout
                                : std::chrono::steady_clock::time_point::max();
  while (count < 0 || seen < count) {
    if (std::chrono::steady_clock::now() >= deadline) break;
    auto item = subscriber.Next(std::chrono::milliseconds(500));
    if (!item.ok()) return Fail(err, item.status());
    if (!item->has_value()) continue;
    ++seen;
    out << (json ? ToJson(**item) : Describe(**item, config.time_zone)) << "\n" << std::flush;
  }
  return 0;
}

}  // namespace

CLI::App* TopCommand(CLI::App& program, const std::string& name, const std::string& description,
                     const std::vector<std::string>& examples) {
  for (CLI::App* command : program.get_subcommands({})) {
    if (command->get_name() == name) return command;
  }
  return Command(program, name, description, examples);
}

std::string When(const google::protobuf::Timestamp& ts, const TimeZone& zone) {
  return wire::IsSet(ts) ? zone.FormatLocal(wire::FromProto(ts)) : "-";
}

int RunOperatorCli(const std::vector<std::string>& words, const Clock& clock, std::ostream& out,
                   std::ostream& err) {
  // Before anything is parsed or sent: a text that is not UTF-8 would fail
  // only at the far end, as an undecodable message.
  if (Status status = wire::CheckCommandLineText(words); !status.ok()) return Fail(err, status);
  auto language = cmdline::ChooseLanguage(words);
  if (!language.ok()) return Fail(err, language.status());
  cmdline::UseLanguage(*language, "anding");

  CommandLine cl;
  DefineCommandLine(cl);
  const bool help_word = words.size() == 1 && words[0] == "help";
  if (auto done = cmdline::Parse(
          *cl.program, help_word ? std::vector<std::string>{"--help"} : words, out, err)) {
    return *done;
  }
  const CLI::App& selected = cmdline::Selected(*cl.program);
  if (&selected == cl.program.get()) {
    err << cl.program->help();
    return cmdline::kExitUsage;
  }
  // "incident review show": command "incident", sub "review show".
  std::vector<std::string> path = Split(cmdline::CommandPath(selected), ' ');
  path.erase(path.begin());
  const std::string command = path[0];
  std::string sub = path.size() > 1 ? path[1] : "";
  for (size_t i = 2; i < path.size(); ++i) StrAppend(sub, " ", path[i]);
  CommandValues args(selected);
  const bool json = cl.json;

  // Refused before anything is read or sent.
  const auto out_file = args.Option("out");
  // --format pdf: the dispatcher renders the document as HTML and it is
  // printed here (pdf_printer.h); every command with an HTML document has it.
  const bool pdf = args.Option("format") == "pdf";
  if (pdf) {
    if (!out_file || out_file->empty() || json) {
      err << "anding: " << _("--format pdf writes a file: give --out FILE.pdf (and not --json)")
          << "\n";
      return cmdline::kExitUsage;
    }
    args.Replace("format", "html");
  }
  if (&selected == cl.keygen) return Keygen(args, out, err);
  if (auto missing = MissingReviewIncident(command, sub, args)) return Fail(err, *missing);
  if (cl.config_path.empty()) {
    err << "anding: " << _("no configuration: give --config FILE or set ANDING_CONFIG") << "\n";
    return cmdline::kExitUsage;
  }
  auto config = LoadOperatorConfig(cl.config_path);
  if (!config.ok()) return Fail(err, config.status());
  if (&selected == cl.watch) return Watch(args, *config, json, out, err);

  const TimeZone& zone = config->time_zone;
  const CommandContext context{clock, zone, cl.payloads};
  v1::OperatorRequest request;
  std::optional<Result<v1::OperatorRequest>> built = LedgerRequest(command, sub, args, context);
  if (!built) built = FundsRequest(command, sub, args, context);
  if (!built) built = AftermathRequest(command, sub, args, context);
  if (!built) built = DispatchRequest(command, sub, args, context);
  if (!built) built = UsersRequest(command, sub, args, context);
  if (!built) built = NotifyRequest(command, sub, args, context);
  if (!built) built = VisitsRequest(command, sub, args, context);
  if (!built) built = StatsRequest(command, sub, args, context);
  if (built) {
    if (!built->ok()) return Fail(err, built->status());
    request = std::move(**built);
  } else if (command == "events" && sub == "list") {
    auto* list = request.mutable_list_events();
    list->set_unit_id(args.Option("unit").value_or(""));
    list->set_payload_kind(args.Option("kind").value_or(""));
    list->set_limit(static_cast<uint32_t>(args.Int("limit").value_or(50)));
    list->set_cursor(args.Option("cursor").value_or(""));
  } else if (command == "agents" && sub == "list") {
    request.mutable_list_agents();
  } else if (command == "agents" && sub == "keys") {
    request.mutable_list_keys();
  } else if (command == "agents" && sub == "enrol") {
    request.mutable_enrol_agent()->set_unit_id(args.Required("unit"));
    request.mutable_enrol_agent()->set_public_key(args.Required("key"));
  } else if (command == "agents" && sub == "revoke") {
    request.mutable_revoke_agent()->set_unit_id(args.Required("unit"));
  } else if (command == "orders" && sub == "send") {
    auto* send = request.mutable_send_order();
    send->set_unit_id(args.Required("unit"));
    const std::string kind = args.Required("kind");  // one of these (its definition)
    if (kind == "notice")
      send->set_kind(v1::ORDER_KIND_NOTICE);
    else if (kind == "reminder")
      send->set_kind(v1::ORDER_KIND_REMINDER);
    else
      send->set_kind(v1::ORDER_KIND_SUPERVISION);
    send->set_title(args.Required("title"));
    send->set_text(args.Option("text").value_or(""));
    send->set_reference_id(args.Option("reference").value_or(""));
  } else if (command == "orders" && sub == "list") {
    request.mutable_list_orders()->set_unit_id(args.Option("unit").value_or(""));
    request.mutable_list_orders()->set_limit(static_cast<uint32_t>(args.Int("limit").value_or(50)));
  } else if (command == "status") {
    request.mutable_status();
  } else if (&selected == cl.backup) {
    // --out names the file in the dispatcher's backup directory, on its
    // host: the copy never travels over the operator link.
    request.mutable_backup()->set_name(out_file.value_or(""));
  } else {
    // A command defined without a request: a bug here, not bad usage.
    err << "anding: " << Tr(N_("'{}' has no request"), cmdline::CommandPath(selected)) << "\n";
    return cmdline::kExitRefused;
  }
  // A backup takes as long as copying the database does.
  const auto wait = &selected == cl.backup ? args.DurationOption("timeout") : std::nullopt;

  OperatorClient client(*config);
  auto response = request.has_backup()
                      ? client.Call(request, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 wait.value_or(std::chrono::minutes(10))))
                      : client.Call(request);
  if (!response.ok()) {
    if (cmdline::ExitCodeFor(response.status()) == cmdline::kExitUnavailable &&
        command == "funds") {
      err << "anding: "
          << _("the outcome is unknown; repeat the same command with the same --id to "
               "complete it without doing it twice")
          << "\n";
    }
    return Fail(err, response.status());
  }
  if (json) {
    out << ToJson(*response) << "\n";
    return 0;
  }
  if (pdf) return PrintExport(*response, *out_file, out, err);
  if (response->has_export_()) return WriteExport(response->export_(), out_file, out, err);
  // A broken audit trail fails the command, for scripts and monitors.
  if (response->has_audit_verification()) {
    PrintUsers(*response, zone, out);
    return response->audit_verification().intact() ? 0 : 1;
  }
  if (PrintLedger(*response, zone, out) || PrintFunds(*response, zone, out) ||
      PrintDispatch(*response, zone, out) || PrintUsers(*response, zone, out) ||
      PrintNotify(*response, zone, out) || PrintVisits(*response, zone, out) ||
      PrintAftermath(*response, zone, out) || PrintStats(*response, zone, out)) {
    return 0;
  }
  switch (response->result_case()) {
    case v1::OperatorResponse::kListEvents:
      PrintEvents(response->list_events(), zone, out);
      break;
    case v1::OperatorResponse::kListAgents:
      PrintAgents(response->list_agents(), zone, out);
      break;
    case v1::OperatorResponse::kListOrders:
      PrintOrders(response->list_orders(), zone, out);
      break;
    case v1::OperatorResponse::kKeys:
      if (command == "agents" && sub != "keys") {
        out << "agent key of " << args.Option("unit").value_or("") << " "
            << (sub == "enrol" ? "enrolled" : "revoked") << "; in effect now\n";
      }
      PrintKeys(response->keys(), out);
      break;
    case v1::OperatorResponse::kSendOrder:
      out << "order " << response->send_order().order_id()
          << " stored; it is delivered to the unit's agent as soon as it is reachable\n";
      break;
    case v1::OperatorResponse::kStatus: {
      PrintStatus(response->status(), zone, out);
      v1::OperatorRequest queue;
      queue.mutable_notify_status();
      if (auto answer = client.Call(queue); answer.ok() && answer->has_notify_queue()) {
        out << "  ";
        PrintNotifyQueue(answer->notify_queue(), out);
      }
      break;
    }
    case v1::OperatorResponse::kBackup: {
      const v1::BackupResponse& b = response->backup();
      out << "backup written on the dispatcher's host: " << b.path() << "\n"
          << "  " << b.size_bytes() << " bytes, SHA-256 " << b.sha256() << "\n"
          << "  copied in " << b.copy_ms() << " ms (" << b.pages() << " pages, " << b.steps()
          << " steps), integrity checked\n  schema:";
      for (const auto& d : b.schema()) out << " " << d.domain() << " " << d.version();
      out << "\n  manifest: " << b.manifest_path() << "\n";
      break;
    }
    default:
      out << ToJson(*response) << "\n";
  }
  return 0;
}

}  // namespace anding::cli

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
#include "anding/common/args.h"
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

constexpr const char* kUsage = R"(usage: anding [--config FILE] COMMAND ...

The configuration comes from --config or $ANDING_CONFIG (see
deploy/demo/operator.yaml). Add --json for machine-readable output.

  keygen --out FILE [--public-out FILE] [--comment TEXT] [--force]
                                                 write a new CURVE key pair (prints the public key)
  status                                         the dispatcher's health counters
  backup [--out NAME] [--timeout 10m]            a consistent copy of the dispatcher's database
                                                 while it runs, in its backup.directory (commanders)
  events list [--unit U] [--kind K] [--limit N]  stored agent events, newest first
        [--cursor C]                             the next page: the cursor the page before printed
  agents list                                    agents, liveness, pending orders
  agents keys                                    enrolled keys, and lines that enrol nobody
  agents enrol --unit U --key PUBLIC_KEY         enrol (or replace) a unit's agent key, at once
  agents revoke --unit U                         revoke a unit's agent key, at once
  orders send --unit U --kind notice|reminder|supervision --title T [--text X]
  orders list [--unit U] [--limit N]             orders issued and their delivery
  watch [--count N] [--timeout 30s]              follow the live feed
  alerts list [--all] | alerts ack ALERT_ID     what HQ must look at (专报, 逾期, ...)

Incidents and response teams:
  incident report --type group-petition|individual-extreme|other --region R --persons N
                  --summary T [--address A] [--involved U,U] [--occurred-at TIME] ...
  incident list [--open] [--state S]... [--region R] [--unit U]
  incident show ID                               deadlines, assignments (with why), timeline
  incident confirm ID [--unit U]                 confirm the proposal(s): orders go out
  incident override ID --unit U --team T [--member M]... [--vehicle V]... [--note T]
  incident reassign ID --unit U [--exclude TEAM]... [--note T]
  incident status ID --step departed|arrived|settled|aftermath|closed [--unit U] [--at TIME]
  incident cancel ID --reason T                  reported in error: orders withdrawn, holds released
  incident review ID [--investigation T] [--solution T] [--department D] [--told-at TIME]
                  [--told-by WHO] [--watch-days N] [--root-cause ID] [--root-cause-text T]
                  [--background T] [--other-losses YUAN] [--other-losses-text T]
                  [--responsibility T] [--lessons T] [--improvements T]
                                                 the post-incident review (善后); closing needs it complete
  incident review show ID [--format text|html|pdf] [--out FILE]
                                                 the printable review, estimated vs actual cost
  stats responses [--from DAY] [--to DAY] [--by-rule] [--format text|csv|json|html|pdf]
                                                 response times per unit: share of deadlines met, median, worst
  stats ledger [--from DAY] [--to DAY] [--by unit|category] [--format text|csv|json|html|pdf]
                                                 台账 items registered in the days: closed out, on time,
                                                 mean days to close, open, overdue, reopened, rebounds
  stats funds [--from DAY] [--to DAY] [--format text|csv|json|html|pdf]
                                                 reserve-fund use per incident category: estimated,
                                                 held, actual (yuan), share of the actual
  stats yearly --year YYYY [--format text|csv|json|html|pdf] [--out FILE]
                                                 the yearly report (年度统计报告): every statistic above
                                                 and the visits' for the year, in one document
  teams [--unit U]                               teams, members, vehicles and what they are on
  availability --kind team|member|vehicle --id X --on|--off [--note T]

Ledger (台账) and reports:
  ledger list [--unit U] [--category C] [--state S]... [--open] [--overdue]
  ledger show ITEM_ID                            an item with its full history
  ledger register --unit U ...                   (same options as anding-agent ledger register)
  ledger update --item ID [--progress T] [--resolution T] [--level L] [--measures T] [--by NAME]
  ledger close-out --item ID --resolution T --leader NAME
  ledger reject --item ID --reason T             the resolution is not accepted
  ledger reopen --item ID --reason T [--deadline D]   the problem came back (反弹)
  ledger extend --item ID --deadline D --reason T --approved-by NAME
  ledger export [filters] [--format csv|html|pdf] [--lang zh|en] [--out FILE]
  report daily [--day YYYY-MM-DD] [--format text|csv|html|pdf] [--lang zh|en] [--out FILE]
  report monthly [--month YYYY-MM] [--format text|csv|html|pdf] [--lang zh|en] [--out FILE]
  screening status --period YYYY-MM/N|YYYY-MM|YYYY-QN

Reserve funds (备用金); amounts as --amount YUAN (1234.56) or --amount-fen FEN:
  funds accounts | funds holds [--incident ID]
  funds transfer --from ACCOUNT --to ACCOUNT --amount A --reason T [--code C] [--incident ID] [--id ID]
  funds top-up --unit U --amount A --reason T [--incident ID] [--id ID]
  funds reverse --transfer ID --amount A --reason T [--id ID]
  funds quota --account reserve/U (--amount A | --none) --reason T
  funds hold --account ACCOUNT --amount A --reason T [--incident ID] [--timeout 14d] [--id ID]
  funds post --hold ID --to expense/CODE --amount A --reason T [--id ID]
  funds void --hold ID [--reason T]
  funds statement --account ACCOUNT [--period YYYY-MM | YYYY-MM-DD..YYYY-MM-DD]
  funds incident INCIDENT_ID                     estimated vs actual cost
  funds reconcile [--month YYYY-MM]              proves the books balance

Users, roles and the audit trail (passwords are read without echo, or with
--password-stdin from the first line of standard input):
  user add NAME --role commander|petition_office|unit_officer|auditor [--unit U]
  user passwd NAME                               a new password; the user's sessions end
  user disable NAME                              no more logins; the user's sessions end
  user list                                      accounts, roles, units
  audit list [--user U] [--kind K] [--from TIME] [--to TIME] [--before SEQ] [--limit N]
  audit verify                                   checks the hash chain; names the first bad entry

Notifications (SMS through Kannel, webhooks):
  notify list [--all] [--limit N]                waiting, unacknowledged and undelivered messages
  notify show ID                                 one message, its event and its delivery log
  notify ack ID                                  acknowledge (stops the escalation chain)
  notify preview --kind K --text T [--unit U]    the rendered text and its SMS length
  notify test-send (--phone +86... | --webhooks) [--text T]


Visit register (接处访), petition matters (信访事项) and statistics:
  visits register --unit U [--day D] [--category C] [--channel visit|letter|phone|online]
                  [--destination unit|company|city|province|beijing] [--batches N] [--persons N]
                  [--collective yes|no] [--representative NAME] [--contact C] [--note T]
                  [--repeat-of VISIT_ID]         repeats of a group are flagged by themselves
  visits list [--unit U] [--from D] [--to D] [--repeats] [--limit N]
  matters register --unit U --summary T [--category C] [--visit VISIT_ID] [--received D]
  matters accept|decline|conclude|request-review|conclude-review|request-reexamination|
          conclude-reexamination MATTER_ID [--day D] [--text T]
  matters extend MATTER_ID --days N --text REASON      once, by up to 30 days
  matters list [--unit U] [--state S] [--open]         limits running, warned, overdue
  stats visits (--year Y | --quarter Y-Qn | --month Y-MM | --range D..D)
               [--by unit|category|channel|destination] [--format text|csv|json|html|pdf]
               [--out FILE]

Every `stats` command takes --lang zh|en: the words of its tables (Chinese by default).

--format pdf prints the HTML document to --out FILE with headless Chromium on this
machine (apt-get install chromium fonts-noto-cjk; ANDING_CHROMIUM names another).)";

// The lines of kUsage about `command` (each with the lines that continue
// it), or the whole of it when none is.
std::string UsageOf(const std::string& command) {
  std::string lines;
  bool in_command = false;
  std::istringstream usage(kUsage);
  for (std::string line; std::getline(usage, line);) {
    if (line.starts_with("  ") && !line.starts_with("   ")) {
      in_command = line.substr(2).starts_with(command + " ") || line.substr(2) == command;
    } else if (!line.starts_with("   ")) {
      in_command = false;
    }
    if (in_command) StrAppend(lines, line, "\n");
  }
  if (lines.empty()) return kUsage;
  return StrCat("usage: anding [--config FILE] [--json] ", command, " ...\n\n", lines,
                "\n(anding --help lists every command)");
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
  return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
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
    err << "anding: cannot write " << *path << "\n";
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
    err << "anding: this command has no printable document (--format pdf)\n";
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

int Keygen(Args& args, std::ostream& out, std::ostream& err) {
  const std::string path = args.Required("out");
  const std::string comment = args.Option("comment").value_or("Anding CURVE key pair");
  const bool force = args.Flag("force");
  const auto public_out = args.Option("public-out");
  if (Status status = args.Finish(); !status.ok()) return Fail(err, status);
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

int Watch(Args& args, const OperatorConfig& config, bool json, std::ostream& out,
          std::ostream& err) {
  const int64_t count = args.Int("count").value_or(-1);
  const auto timeout = args.DurationOption("timeout");
  if (Status status = args.Finish(); !status.ok()) return Fail(err, status);
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

std::string When(const google::protobuf::Timestamp& ts, const TimeZone& zone) {
  return wire::IsSet(ts) ? zone.FormatLocal(wire::FromProto(ts)) : "-";
}

int RunOperatorCli(const std::vector<std::string>& words, const Clock& clock, std::ostream& out,
                   std::ostream& err) {
  // Before anything is parsed or sent: a text that is not UTF-8 would fail
  // only at the far end, as an undecodable message.
  if (Status status = wire::CheckCommandLineText(words); !status.ok()) return Fail(err, status);
  Args args(words);
  std::string config_path = args.Option("config").value_or("");
  if (config_path.empty()) {
    if (const char* env = std::getenv("ANDING_CONFIG")) config_path = env;
  }
  const bool json = args.Flag("json");
  const std::string command = args.Positional(0);
  const std::string sub = args.Positional(1);
  if (command.empty() || command == "help") {
    out << kUsage << "\n\n" << runtime::kClockOptionsHelp;
    return command.empty() ? 2 : 0;
  }
  // `anding COMMAND … --help` needs no configuration: the usage of that
  // command (until the command line is defined with CLI11, as anding-agent's
  // is, and each command has its own help).
  if (args.Flag("help")) {
    out << UsageOf(command) << "\n";
    return 0;
  }
  if (command == "keygen") return Keygen(args, out, err);
  if (config_path.empty()) {
    err << "anding: no configuration: give --config FILE or set ANDING_CONFIG\n";
    return 2;
  }
  auto config = LoadOperatorConfig(config_path);
  if (!config.ok()) return Fail(err, config.status());
  if (command == "watch") return Watch(args, *config, json, out, err);

  const auto out_file = args.Option("out");
  // --format pdf: the dispatcher renders the document as HTML and it is
  // printed here (pdf_printer.h); every command with an HTML document has it.
  const bool pdf = args.Rewrite("format", "pdf", "html");
  if (pdf && (!out_file || out_file->empty() || json)) {
    err << "anding: --format pdf writes a file: give --out FILE.pdf (and not --json)\n";
    return 2;
  }
  const TimeZone& zone = config->time_zone;
  const CommandContext context{clock, zone};
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
    const std::string kind = args.Required("kind");
    if (kind == "notice")
      send->set_kind(v1::ORDER_KIND_NOTICE);
    else if (kind == "reminder")
      send->set_kind(v1::ORDER_KIND_REMINDER);
    else if (kind == "supervision")
      send->set_kind(v1::ORDER_KIND_SUPERVISION);
    else if (!kind.empty())
      args.Error("--kind must be notice, reminder or supervision");
    send->set_title(args.Required("title"));
    send->set_text(args.Option("text").value_or(""));
    send->set_reference_id(args.Option("reference").value_or(""));
  } else if (command == "orders" && sub == "list") {
    request.mutable_list_orders()->set_unit_id(args.Option("unit").value_or(""));
    request.mutable_list_orders()->set_limit(static_cast<uint32_t>(args.Int("limit").value_or(50)));
  } else if (command == "status") {
    request.mutable_status();
  } else if (command == "backup" && sub.empty()) {
    // --out names the file in the dispatcher's backup directory, on its
    // host: the copy never travels over the operator link.
    request.mutable_backup()->set_name(out_file.value_or(""));
  } else {
    err << "anding: unknown command '" << command << (sub.empty() ? "" : " " + sub) << "'\n"
        << kUsage << "\n";
    return 2;
  }
  // A backup takes as long as copying the database does.
  const auto wait = command == "backup" ? args.DurationOption("timeout") : std::nullopt;
  if (Status status = args.Finish(); !status.ok()) return Fail(err, status);

  OperatorClient client(*config);
  auto response = request.has_backup()
                      ? client.Call(request, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 wait.value_or(std::chrono::minutes(10))))
                      : client.Call(request);
  if (!response.ok()) {
    if (response.status().code() == StatusCode::kUnavailable && command == "funds") {
      err << "anding: the outcome is unknown; repeat the same command with the same --id to "
             "complete it without doing it twice\n";
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

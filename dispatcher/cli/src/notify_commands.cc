// `anding notify …`: the notification queue (SMS through the gateway,
// webhooks): list, show with the delivery log, acknowledge, preview a
// template with its SMS length, send a test message.
#include <ostream>

#include "anding/cmdline/gettext.h"
#include "anding/cmdline/validators.h"
#include "anding/common/strings.h"
#include "commands.h"

namespace anding::cli {
namespace {

// The notification's number (checked in its definition: 1 or more).
int64_t IdArgument(const CommandValues& args) {
  return std::strtoll(args.Argument("notification").c_str(), nullptr, 10);
}

void PrintLine(const v1::NotificationView& n, const TimeZone& zone, std::ostream& out) {
  out << "#" << n.id() << " " << n.kind() << " " << n.channel() << " " << n.address();
  if (!n.recipient_name().empty()) out << " (" << n.recipient_name() << ")";
  out << " " << n.state();
  if (n.level() > 0) out << " escalated(" << n.level() << ")";
  if (n.require_ack()) {
    out << (n.acknowledged_by().empty() ? " UNACKNOWLEDGED"
                                        : StrCat(" acknowledged by ", n.acknowledged_by()));
  }
  out << " created " << When(n.created_at(), zone) << "\n";
}

void NotificationArgument(CLI::App& command) {
  Argument(command, "notification", "ID", _("the notification's number"))
      ->check(cmdline::InRange(1, 1'000'000'000'000))
      ->required();
}

}  // namespace

void DefineNotifyCommands(CLI::App& program) {
  CLI::App* notify = TopCommand(program, "notify",
                                _("notifications (SMS through the gateway, webhooks): list, show, "
                                  "acknowledge, preview, test"),
                                {"anding notify list"});
  notify->require_subcommand(1);
  CLI::App* list =
      Command(*notify, "list", _("waiting, unacknowledged and undelivered messages (or all)"),
              {"anding notify list", "anding notify list --all --limit 100"});
  Flag(*list, "all", _("also the messages delivered and acknowledged"));
  Number(*list, "limit", 1, 100'000, _("at most this many (default 50)"));
  CLI::App* show = Command(*notify, "show", _("one message, its event and its delivery log"),
                           {"anding notify show 42"});
  NotificationArgument(*show);
  CLI::App* ack = Command(*notify, "ack", _("acknowledge a message: its escalation stops"),
                          {"anding notify ack 42"});
  NotificationArgument(*ack);
  CLI::App* preview =
      Command(*notify, "preview", _("a template's rendered text and its SMS length"),
              {"anding notify preview --kind special_report --text '三矿职工聚集' --unit mine-3"});
  Text(*preview, "kind", "KIND", _("the kind of event"))->required();
  Text(*preview, "text", "TEXT", _("the event's text"))->required();
  Text(*preview, "unit", "UNIT", _("the unit"));
  CLI::App* test_send = Command(
      *notify, "test-send", _("send a test message"),
      {"anding notify test-send --phone +8613800000000", "anding notify test-send --webhooks"});
  CLI::Option* phone = Text(*test_send, "phone", "PHONE", _("to this phone"));
  Flag(*test_send, "webhooks", _("to every webhook"))->excludes(phone);
  Text(*test_send, "text", "TEXT", _("the text (default: a test message)"));
}

std::optional<Result<v1::OperatorRequest>> NotifyRequest(const std::string& command,
                                                         const std::string& sub,
                                                         const CommandValues& args,
                                                         const CommandContext&) {
  if (command != "notify") return std::nullopt;
  v1::OperatorRequest request;
  if (sub == "list") {
    request.mutable_notify_list()->set_all(args.Flag("all"));
    request.mutable_notify_list()->set_limit(static_cast<uint32_t>(args.Int("limit").value_or(50)));
  } else if (sub == "show") {
    request.mutable_notify_show()->set_id(IdArgument(args));
  } else if (sub == "ack") {
    request.mutable_notify_ack()->set_id(IdArgument(args));
  } else if (sub == "preview") {
    auto* preview = request.mutable_notify_preview();
    preview->set_kind(args.Required("kind"));
    preview->set_unit_id(args.Option("unit").value_or(""));
    preview->set_text(args.Required("text"));
  } else if (sub == "test-send") {
    auto* send = request.mutable_notify_test_send();
    send->set_phone(args.Option("phone").value_or(""));
    send->set_text(args.Option("text").value_or("这是一条测试短信 / a test message"));
    if (send->phone().empty() && !args.Flag("webhooks")) {
      return InvalidArgumentError(
          _("give --phone +86... (one phone) or --webhooks (every webhook)"));
    }
  } else {
    return std::nullopt;
  }
  return request;
}

bool PrintNotify(const v1::OperatorResponse& response, const TimeZone& zone, std::ostream& out) {
  switch (response.result_case()) {
    case v1::OperatorResponse::kNotifications:
      if (response.notifications().notifications().empty()) out << "no notifications\n";
      for (const auto& n : response.notifications().notifications()) PrintLine(n, zone, out);
      return true;
    case v1::OperatorResponse::kNotification: {
      const auto& n = response.notification();
      PrintLine(n, zone, out);
      out << "  text: " << n.text() << "\n"
          << "  event " << n.event_id() << (n.unit_id().empty() ? "" : " unit " + n.unit_id())
          << (n.reference_id().empty() ? "" : " about " + n.reference_id()) << "\n"
          << "  attempt " << n.attempt() << " (" << (n.attempt_id().empty() ? "-" : n.attempt_id())
          << "), sent " << When(n.sent_at(), zone) << ", delivered " << When(n.delivered_at(), zone)
          << "\n";
      if (!n.last_error().empty()) out << "  last error: " << n.last_error() << "\n";
      for (const auto& line : n.log()) {
        out << "  " << When(line.at(), zone) << " " << line.attempt_id() << " " << line.what()
            << (line.detail().empty() ? "" : " — " + line.detail()) << "\n";
      }
      return true;
    }
    case v1::OperatorResponse::kNotifyPreview: {
      const auto& p = response.notify_preview();
      out << p.text() << "\n"
          << "(" << p.characters() << " characters, " << p.encoding() << ", " << p.units()
          << (p.encoding() == "gsm7" ? " septets" : " UTF-16 units") << ", " << p.parts()
          << (p.parts() == 1 ? " message" : " messages") << " of up to " << p.units_per_part()
          << ")\n";
      return true;
    }
    case v1::OperatorResponse::kNotifyQueue: {
      PrintNotifyQueue(response.notify_queue(), out);
      return true;
    }
    default:
      return false;
  }
}

void PrintNotifyQueue(const v1::NotifyQueueResponse& q, std::ostream& out) {
  out << "notifications (" << q.gateway() << "): waiting " << q.waiting() << ", sent " << q.sent()
      << ", delivered " << q.delivered() << ", failed " << q.failed() << ", escalated "
      << q.escalated() << ", unacknowledged " << q.unacknowledged() << "\n";
}

}  // namespace anding::cli

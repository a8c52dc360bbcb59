// `anding notify …`: the notification queue (SMS through the gateway,
// webhooks): list, show with the delivery log, acknowledge, preview a
// template with its SMS length, send a test message.
#include <ostream>

#include "anding/common/strings.h"
#include "commands.h"

namespace anding::cli {
namespace {

int64_t IdArgument(Args& args, const std::string& what) {
  const std::string word = args.Positional(2);
  if (word.empty()) {
    args.Error(StrCat("give the ", what, " number: anding notify ", args.Positional(1), " ID"));
    return 0;
  }
  int64_t id = 0;
  for (char c : word) {
    if (c < '0' || c > '9' || id > 1'000'000'000'000) {
      args.Error(StrCat("the ", what, " number must be a positive integer, not '", word, "'"));
      return 0;
    }
    id = id * 10 + (c - '0');
  }
  if (id < 1) args.Error(StrCat("the ", what, " number must be 1 or more"));
  return id;
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

}  // namespace

std::optional<Result<v1::OperatorRequest>> NotifyRequest(const std::string& command,
                                                         const std::string& sub, Args& args,
                                                         const CommandContext&) {
  if (command != "notify") return std::nullopt;
  v1::OperatorRequest request;
  if (sub == "list") {
    request.mutable_notify_list()->set_all(args.Flag("all"));
    request.mutable_notify_list()->set_limit(static_cast<uint32_t>(args.Int("limit").value_or(50)));
  } else if (sub == "show") {
    request.mutable_notify_show()->set_id(IdArgument(args, "notification"));
  } else if (sub == "ack") {
    request.mutable_notify_ack()->set_id(IdArgument(args, "notification"));
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
      args.Error("give --phone +86... (one phone) or --webhooks (every webhook)");
    }
  } else {
    return InvalidArgumentError(
        StrCat("unknown command 'notify ", sub, "': use list, show, ack, preview or test-send"));
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

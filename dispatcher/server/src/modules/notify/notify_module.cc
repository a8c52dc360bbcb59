#include "notify_module.h"

#include <sodium.h>

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "anding/common/strings.h"
#include "anding/core/notify/sms_text.h"
#include "anding/dispatcher/module_queries.h"
#include "anding/runtime/log_text.h"
#include "anding/runtime/logging.h"
#include "anding/store/notify_repository.h"
#include "anding/wire/codec.h"
#include "http_client.h"
#include "ops_server.h"

namespace anding::dispatcher {
namespace {

namespace notify = core::notify;
using notify::SendOutcome;

// Equal length and content, in time that does not depend on where they differ.
bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Hex(const unsigned char* bytes, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0F];
  }
  return out;
}

// HMAC-SHA256 of `message` under `secret`, lower-case hex.
std::string Sign(std::string_view secret, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  return Hex(mac, sizeof mac);
}

std::optional<int64_t> ParseInt(const std::optional<std::string>& text) {
  if (!text || text->empty() || text->size() > 18) return std::nullopt;
  int64_t value = 0;
  for (char c : *text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// What Kannel's sendsms answer means for the message.
SendOutcome KannelOutcome(const http_client::HttpOutcome& outcome) {
  if (!outcome.answer.ok()) {
    const std::string detail(outcome.answer.status().ToString());
    return {outcome.request_sent ? SendOutcome::Kind::kUnknown : SendOutcome::Kind::kUnavailable,
            detail};
  }
  const unsigned status = outcome.answer->status;
  std::string body = runtime::Printable(outcome.answer->body, 200);
  if (status == 200 || status == 202) {
    // "0: Accepted for delivery" or "3: Queued for later delivery": Kannel
    // holds it either way; never send it again.
    if (body.rfind("3:", 0) == 0 || body.find("Queued for later") != std::string::npos) {
      return {SendOutcome::Kind::kQueuedAtGateway, body};
    }
    return {SendOutcome::Kind::kAccepted, body};
  }
  if (status == 400) return {SendOutcome::Kind::kRejected, StrCat(status, " ", body)};
  // 503 "Temporal failure", 403 (a configuration mistake someone will fix),
  // anything else: not taken, try again later.
  return {SendOutcome::Kind::kUnavailable, StrCat(status, " ", body)};
}

SendOutcome WebhookOutcome(const http_client::HttpOutcome& outcome) {
  if (!outcome.answer.ok()) {
    const std::string detail(outcome.answer.status().ToString());
    return {outcome.request_sent ? SendOutcome::Kind::kUnknown : SendOutcome::Kind::kUnavailable,
            detail};
  }
  const unsigned status = outcome.answer->status;
  const std::string detail = StrCat(status, " ", runtime::Printable(outcome.answer->body, 200));
  if (status >= 200 && status < 300) return {SendOutcome::Kind::kAccepted, detail};
  if (status >= 400 && status < 500 && status != 408 && status != 429) {
    return {SendOutcome::Kind::kRejected, detail};
  }
  return {SendOutcome::Kind::kUnavailable, detail};
}

v1::NotificationView View(const notify::Message& message, const notify::NotifyEvent& event) {
  v1::NotificationView view;
  view.set_id(message.id);
  view.set_event_id(message.event_id);
  view.set_kind(event.kind);
  view.set_channel(std::string(notify::ChannelName(message.channel)));
  view.set_address(message.address);
  view.set_recipient_name(message.recipient_name);
  view.set_text(message.text);
  view.set_state(std::string(notify::MessageStateName(message.state)));
  view.set_attempt(message.attempt);
  view.set_attempt_id(message.attempt_id);
  *view.mutable_created_at() = wire::ToProto(message.created_at);
  if (message.sent_at) *view.mutable_sent_at() = wire::ToProto(*message.sent_at);
  if (message.delivered_at) *view.mutable_delivered_at() = wire::ToProto(*message.delivered_at);
  view.set_last_error(message.last_error);
  view.set_level(message.level);
  view.set_require_ack(event.require_ack);
  if (event.acknowledged_at) {
    *view.mutable_acknowledged_at() = wire::ToProto(*event.acknowledged_at);
  }
  view.set_acknowledged_by(event.acknowledged_by);
  view.set_reference_id(event.reference_id);
  view.set_unit_id(event.unit_id);
  return view;
}

HttpResponse Text(unsigned status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

}  // namespace

Result<std::unique_ptr<Module>> NotifyModule::Create(ModuleContext& context,
                                                     notify::NotifyConfig config) {
  const bool has_gateway = config.kannel.has_value();
  auto module = std::make_unique<NotifyModule>(context, std::move(config));
  if (has_gateway) {
    NotifyModule* self = module.get();
    for (const char* method : {"GET", "POST"}) {
      ANDING_RETURN_IF_ERROR(context.Route(method, std::string(kDeliveryReportPath),
                                           [self](const HttpRequest& request, HttpRespond respond) {
                                             self->OnDeliveryReport(request, std::move(respond));
                                           }));
      ANDING_RETURN_IF_ERROR(context.Route(method, std::string(kReplyPath),
                                           [self](const HttpRequest& request, HttpRespond respond) {
                                             self->OnReply(request, std::move(respond));
                                           }));
    }
  }
  return std::unique_ptr<Module>(std::move(module));
}

NotifyModule::NotifyModule(ModuleContext& context, notify::NotifyConfig config)
    : context_(context),
      log_(runtime::GetLogger("notify")),
      notifier_(std::move(config)),
      webhook_connections_(http_client::MakeConnectionPool()) {
  if (!notifier_.config().kannel) {
    log_->warn(
        "no SMS gateway configured (notifications.gateway): text messages are written to this "
        "log only and reach nobody's phone");
  }
}

std::vector<storage::Migration> NotifyModule::Migrations() const {
  return store::NotifyMigrations();
}

Status NotifyModule::Load(storage::Database& db) {
  // Recent events too, so that a repeat right after a restart is still
  // recognised as one.
  ANDING_ASSIGN_OR_RETURN(auto state,
                          store::LoadNotifyState(db, context_.clock().Now() - notifier_.HoldFor()));
  notifier_.Restore(std::move(state.events), std::move(state.messages), state.max_event_id,
                    state.max_message_id);
  to_send_.clear();
  ++generation_;
  // "sending" when the dispatcher stopped: the far side may have it. Send
  // again with the same attempt id.
  std::vector<int64_t> recovering = notifier_.TakeRecovering();
  if (!recovering.empty()) {
    log_->info(
        "{} notifications were being sent when the dispatcher stopped: sending them again "
        "with their attempt ids",
        recovering.size());
    boost::asio::post(context_.io(), [this, recovering, generation = generation_] {
      if (generation != generation_) return;
      for (int64_t id : recovering) Send(id);
    });
  }
  return OkStatus();
}

std::vector<v1::OperatorRequest::RequestCase> NotifyModule::Requests() const {
  using R = v1::OperatorRequest;
  return {R::kNotifyList,    R::kNotifyShow,     R::kNotifyAck,
          R::kNotifyPreview, R::kNotifyTestSend, R::kNotifyStatus};
}

Status NotifyModule::Record(const core::Effects& out, Time now) {
  bool ingested = false;
  for (const auto& alert : out.alerts) ingested |= notifier_.Ingest(alert, now).has_value();
  for (const auto& request : out.notifications) {
    ingested |= notifier_.Ingest(request, now).has_value();
  }
  // What is due at once goes out "sending" in the transaction that queues
  // it, rather than in a second one.
  if (ingested) {
    for (int64_t id : notifier_.Tick(now)) to_send_.push_back(id);
  }
  notify::NotifyChanges changes = notifier_.TakeChanges();
  if (!changes.empty()) {
    for (const auto& message : changes.messages) {
      context_.Publish(
          RecordChangedItem("notification", std::to_string(message.id),
                            notify::MessageStateName(message.state),
                            StrCat(notify::ChannelName(message.channel), " ", message.address)),
          now);
    }
    context_.Write([changes = std::move(changes)](storage::Database& db) {
      return store::SaveNotifyChanges(db, changes);
    });
  }
  if (!to_send_.empty()) {
    context_.AfterCommit([this, ids = std::exchange(to_send_, {}), generation = generation_] {
      if (generation != generation_) return;
      for (int64_t id : ids) Send(id);
    });
  }
  return OkStatus();
}

void NotifyModule::Tick(Time now, core::Effects&) {
  for (int64_t id : notifier_.Tick(now)) to_send_.push_back(id);
  // What a long run would otherwise keep: the events a start would not
  // read (each new event brings a Tick, so this runs while they come).
  if (now >= next_forget_) {
    const size_t forgotten = notifier_.Forget(now);
    if (forgotten > 0) log_->debug("let go of {} finished notification events", forgotten);
    next_forget_ = now + std::chrono::hours(1);
  }
}

void NotifyModule::Send(int64_t message_id) {
  const notify::Message* message = notifier_.FindMessage(message_id);
  if (message == nullptr || message->state != notify::MessageState::kSending) return;
  switch (message->channel) {
    case notify::Channel::kSms:
      SendSms(*message);
      return;
    case notify::Channel::kWebhook:
      SendWebhook(*message);
      return;
    case notify::Channel::kLog:
      log_->warn("notification {} NOT SENT (no SMS gateway configured) to {} {}: {}", message->id,
                 message->address, runtime::Printable(message->recipient_name, 40),
                 runtime::Printable(message->text));
      Settle(message->id, message->attempt_id, message->channel, context_.clock().Now(),
             {SendOutcome::Kind::kAccepted, "written to the log: no SMS gateway configured"});
      return;
  }
}

void NotifyModule::SendSms(const notify::Message& message) {
  const notify::KannelGateway& kannel = *notifier_.config().kannel;
  const std::string dlr_url =
      StrCat(kannel.callback_url, kDeliveryReportPath, "?",
             http_client::FormEncode({{"token", notifier_.config().callback_token},
                                      {"id", std::to_string(message.id)},
                                      {"attempt", message.attempt_id}}),
             "&status=%d&answer=%A");
  std::vector<std::pair<std::string, std::string>> fields = {
      {"username", kannel.username}, {"password", kannel.password},
      {"to", message.address},       {"text", message.text},
      {"charset", "UTF-8"},          {"dlr-mask", std::to_string(kannel.dlr_mask)},
      {"dlr-url", dlr_url}};
  // Chinese (anything outside the GSM alphabet) goes as UCS-2.
  if (!notify::IsGsm7(message.text)) fields.emplace_back("coding", "2");
  if (!kannel.sender.empty()) fields.emplace_back("from", kannel.sender);
  http_client::HttpCall call;
  call.url =
      StrCat(kannel.sendsms_url, kannel.sendsms_url.find('?') == std::string::npos ? "?" : "&",
             http_client::FormEncode(fields));
  call.timeout = kannel.timeout;
  log_->debug("sending notification {} attempt {} to {}", message.id, message.attempt_id,
              message.address);
  http_client::StartHttpCall(
      context_.io(), std::move(call),
      [this, id = message.id, attempt = message.attempt_id, started = context_.clock().Now(),
       generation = generation_](http_client::HttpOutcome outcome) {
        if (generation != generation_) return;
        Settle(id, attempt, notify::Channel::kSms, started, KannelOutcome(outcome));
      });
}

void NotifyModule::SendWebhook(const notify::Message& message) {
  const notify::Webhook* webhook = nullptr;
  for (const auto& candidate : notifier_.config().webhooks) {
    if (candidate.name == message.address) webhook = &candidate;
  }
  if (webhook == nullptr) {
    Settle(message.id, message.attempt_id, message.channel, context_.clock().Now(),
           {SendOutcome::Kind::kRejected, "the webhook is no longer configured"});
    return;
  }
  const notify::NotifyEvent* event = notifier_.FindEvent(message.event_id);
  boost::json::object body;
  body["notification_id"] = message.id;
  body["event_id"] = message.event_id;
  body["attempt_id"] = message.attempt_id;
  if (event != nullptr) {
    body["kind"] = event->kind;
    body["severity"] = std::string(notify::SeverityName(event->severity));
    body["unit_id"] = event->unit_id;
    body["reference_id"] = event->reference_id;
    body["event_text"] = event->text;
    body["created_at_us"] = ToUnixMicros(event->created_at);
    body["require_ack"] = event->require_ack;
  }
  body["text"] = message.text;
  const std::string payload = boost::json::serialize(body);
  const std::string timestamp = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(context_.clock().Now().time_since_epoch())
          .count());
  http_client::HttpCall call;
  call.method = "POST";
  call.url = webhook->url;
  call.body = payload;
  call.timeout = webhook->timeout;
  call.headers = {{"Content-Type", "application/json"},
                  {"X-Anding-Timestamp", timestamp},
                  // The receiver recomputes it over "<timestamp>.<body>".
                  {"X-Anding-Signature",
                   StrCat("sha256=", Sign(webhook->secret, StrCat(timestamp, ".", payload)))},
                  {"Idempotency-Key", message.attempt_id}};
  http_client::StartHttpCall(
      context_.io(), std::move(call),
      [this, id = message.id, attempt = message.attempt_id, started = context_.clock().Now(),
       generation = generation_](http_client::HttpOutcome outcome) {
        if (generation != generation_) return;
        Settle(id, attempt, notify::Channel::kWebhook, started, WebhookOutcome(outcome));
      },
      webhook_connections_);
}

void NotifyModule::Settle(int64_t message_id, std::string attempt_id, notify::Channel channel,
                          Time started, SendOutcome outcome) {
  const bool taken = outcome.kind == SendOutcome::Kind::kAccepted ||
                     outcome.kind == SendOutcome::Kind::kQueuedAtGateway;
  if (!taken) log_->warn("notification {} attempt {}: {}", message_id, attempt_id, outcome.detail);
  const Time answered = context_.clock().Now();
  ++outcomes_[{channel, outcome.kind}];
  exchange_seconds_.try_emplace(channel, Histogram::Latency())
      .first->second.Observe(std::chrono::duration<double>(answered - started).count());
  context_.Change(
      [this, message_id, attempt_id, outcome, channel, taken](core::Effects&, Time now) {
        Status status = notifier_.OnSendOutcome(message_id, attempt_id, outcome, now);
        const notify::Message* message = notifier_.FindMessage(message_id);
        if (status.ok() && taken && message != nullptr) {
          accepted_after_seconds_.try_emplace(channel, Histogram::Latency())
              .first->second.Observe(
                  std::chrono::duration<double>(now - message->created_at).count());
        }
        return status;
      },
      [this, message_id](const Status& status) {
        // Not recorded: the message stays "sending" in the store and goes
        // out again (same attempt id) after the store recovers.
        if (!status.ok()) {
          log_->warn("outcome of notification {} not recorded: {}", message_id, status.ToString());
        }
      });
}

void NotifyModule::Collect(MetricsWriter& out) const {
  for (const auto& [state, count] : notifier_.CountByState()) {
    out.Gauge("anding_notifications",
              "Notifications held (open events and the last day), by delivery state",
              static_cast<double>(count),
              {{"state", std::string(notify::MessageStateName(state))}});
  }
  const notify::QueueCounts counts = notifier_.Counts();
  out.Gauge("anding_notification_events_unacknowledged",
            "Notification events that need an acknowledgement and have none",
            static_cast<double>(counts.unacknowledged));
  out.Gauge("anding_notification_events_escalated",
            "Notification events held that escalated past their first level",
            static_cast<double>(counts.escalated));
  const notify::NotifyTallies& tallies = notifier_.tallies();
  out.Counter("anding_notification_escalations_total", "Escalation levels notified since start",
              static_cast<double>(tallies.escalations));
  constexpr std::string_view kAckHelp = "Notification events acknowledged since start, by how";
  out.Counter("anding_notification_acknowledgements_total", kAckHelp,
              static_cast<double>(tallies.acknowledged_by_reply), {{"by", "sms_reply"}});
  out.Counter("anding_notification_acknowledgements_total", kAckHelp,
              static_cast<double>(tallies.acknowledged_by_operator), {{"by", "operator"}});
  static constexpr std::string_view kOutcomeNames[] = {"accepted", "queued_at_gateway",
                                                       "unavailable", "unknown", "rejected"};
  for (const auto& [key, count] : outcomes_) {
    out.Counter("anding_notification_attempts_total",
                "Send attempts answered since start, by channel and outcome",
                static_cast<double>(count),
                {{"channel", std::string(notify::ChannelName(key.first))},
                 {"outcome", std::string(kOutcomeNames[static_cast<int>(key.second)])}});
  }
  for (const auto& [channel, histogram] : exchange_seconds_) {
    out.Distribution("anding_notification_send_seconds",
                     "One exchange with the SMS gateway or a webhook, request to answer", histogram,
                     {{"channel", std::string(notify::ChannelName(channel))}});
  }
  for (const auto& [channel, histogram] : accepted_after_seconds_) {
    out.Distribution("anding_notification_accepted_after_seconds",
                     "From a notification being queued to the gateway or webhook taking it",
                     histogram, {{"channel", std::string(notify::ChannelName(channel))}});
  }
}

bool NotifyModule::Authorised(const HttpRequest& request) const {
  return SameSecret(request.Query("token").value_or(""), notifier_.config().callback_token);
}

void NotifyModule::OnDeliveryReport(const HttpRequest& request, HttpRespond respond) {
  if (!Authorised(request)) {
    log_->warn("delivery report from {} refused: wrong token",
               runtime::Printable(request.peer, 60));
    return respond(Text(403, "forbidden\n"));
  }
  const auto id = ParseInt(request.Query("id"));
  const auto report = ParseInt(request.Query("status"));
  const std::string attempt = request.Query("attempt").value_or("");
  if (!id || !report || attempt.empty()) {
    return respond(Text(400, "id, attempt and status are required\n"));
  }
  const std::string answer = request.Query("answer").value_or("");
  log_->info("delivery report for notification {} attempt {}: {} {}", *id,
             runtime::Printable(attempt, 40), *report, runtime::Printable(answer, 80));
  context_.Change(
      [this, id = *id, attempt, report = static_cast<int>(*report)](core::Effects&, Time now) {
        return notifier_.OnDeliveryReport(id, attempt, report, now);
      },
      [this, respond = std::move(respond)](const Status& status) {
        if (status.ok()) return respond(Text(200, "ok\n"));
        // A late or repeated report: Kannel cannot do anything about it.
        log_->info("delivery report ignored: {}", status.ToString());
        const bool retry = status.code() == StatusCode::kUnavailable;
        respond(Text(retry ? 503 : 200, StrCat(status.message(), "\n")));
      });
}

void NotifyModule::OnReply(const HttpRequest& request, HttpRespond respond) {
  if (!Authorised(request)) {
    log_->warn("reply from {} refused: wrong token", runtime::Printable(request.peer, 60));
    return respond(Text(403, "forbidden\n"));
  }
  std::string phone = request.Query("from").value_or(std::string(request.Header("x-kannel-from")));
  std::string text = request.Query("text").value_or(request.method == "POST" ? request.body : "");
  if (phone.empty()) return respond(Text(400, "from is required\n"));
  // Kannel passes the number as the SMSC gave it; the registry keys E.164.
  if (phone.rfind("00", 0) == 0) phone = StrCat("+", phone.substr(2));
  if (phone[0] != '+') phone = StrCat("+", phone);
  auto answer = std::make_shared<std::string>();
  context_.Change(
      [this, phone, text, answer](core::Effects& out, Time now) -> Status {
        notify::ReplyOutcome outcome = notifier_.OnReply(phone, text, now);
        *answer = outcome.answer;
        switch (outcome.kind) {
          case notify::ReplyOutcome::Kind::kAcknowledged:
            log_->info("notification event {} acknowledged by SMS from {}", outcome.event_id,
                       phone);
            return OkStatus();
          case notify::ReplyOutcome::Kind::kArrival: {
            auto* recorder = context_.Find<ArrivalRecorder>();
            if (recorder == nullptr) {
              *answer = "【安定】系统暂不能记录到达，请通过本单位终端上报。";
              return OkStatus();
            }
            const notify::Recipient* who = notifier_.config().registry.Find(phone);
            Status recorded = recorder->RecordArrival(
                outcome.reference_id, outcome.unit_id, core::Actor::Sms(phone),
                who != nullptr ? StrCat(who->name, " ", who->title) : phone, now, out);
            if (!recorded.ok()) {
              log_->warn("arrival by SMS from {} for {} not recorded: {}", phone,
                         runtime::Printable(outcome.reference_id, 60), recorded.ToString());
              *answer = "【安定】未能记录到达（该事件不需要或已记录），请与指挥中心联系。";
            }
            return OkStatus();
          }
          case notify::ReplyOutcome::Kind::kUnknownNumber:
          case notify::ReplyOutcome::Kind::kNothingOpen:
          case notify::ReplyOutcome::Kind::kNotUnderstood:
            log_->info("reply from {} not acted on: {}", runtime::Printable(phone, 20),
                       runtime::Printable(text, 80));
            return OkStatus();
        }
        return OkStatus();
      },
      [respond = std::move(respond), answer](const Status& status) {
        if (!status.ok()) {
          return respond(Text(503, "【安定】系统繁忙，请稍后再回复。"));
        }
        HttpResponse response = Text(200, *answer);
        // Kannel sends the answer back to the phone; Chinese must go as
        // UCS-2 (the sms-service needs accept-x-kannel-headers = true).
        if (!notify::IsGsm7(*answer)) response.headers.emplace_back("X-Kannel-Coding", "2");
        respond(std::move(response));
      });
}

void NotifyModule::Serve(OperatorCall& call) {
  const v1::OperatorRequest& request = call.request();
  switch (request.request_case()) {
    case v1::OperatorRequest::kNotifyList: {
      const bool all = request.notify_list().all();
      const uint32_t limit = PageLimit(request.notify_list().limit());
      call.Query([all, limit](storage::Database& db) {
        auto rows = store::ListNotifyMessages(db, all, limit);
        if (!rows.ok()) return ErrorResponse("", rows.status());
        v1::OperatorResponse response;
        for (const auto& row : *rows) {
          *response.mutable_notifications()->add_notifications() = View(row.message, row.event);
        }
        return response;
      });
      return;
    }
    case v1::OperatorRequest::kNotifyShow: {
      const int64_t id = request.notify_show().id();
      call.Query([id](storage::Database& db) {
        auto shown = store::ShowNotifyMessage(db, id);
        if (!shown.ok()) return ErrorResponse("", shown.status());
        v1::OperatorResponse response;
        auto* view = response.mutable_notification();
        *view = View(shown->first.message, shown->first.event);
        for (const auto& entry : shown->second) {
          auto* line = view->add_log();
          line->set_attempt_id(entry.attempt_id);
          *line->mutable_at() = wire::ToProto(entry.at);
          line->set_what(entry.what);
          line->set_detail(entry.detail);
        }
        return response;
      });
      return;
    }
    case v1::OperatorRequest::kNotifyAck: {
      const int64_t id = request.notify_ack().id();
      const core::Actor actor = core::Actor::Operator(call.who().id);
      call.Command([this, id, actor](core::Effects&,
                                     Time now) { return notifier_.Acknowledge(id, actor, now); },
                   [this, id] {
                     v1::OperatorResponse response;
                     const notify::Message* message = notifier_.FindMessage(id);
                     const notify::NotifyEvent* event =
                         message ? notifier_.FindEvent(message->event_id) : nullptr;
                     if (message && event)
                       *response.mutable_notification() = View(*message, *event);
                     return response;
                   });
      return;
    }
    case v1::OperatorRequest::kNotifyPreview: {
      const auto& r = request.notify_preview();
      if (r.kind().empty()) return call.Fail(InvalidArgumentError("notify_preview.kind: required"));
      auto text = notifier_.Render(r.kind(), r.unit_id(), "", r.text(), 0, 0);
      if (!text.ok()) return call.Fail(text.status());
      const notify::SmsLength length = notify::CountSms(*text);
      v1::OperatorResponse response;
      auto* preview = response.mutable_notify_preview();
      preview->set_text(*text);
      preview->set_encoding(std::string(notify::SmsEncodingName(length.encoding)));
      preview->set_characters(length.characters);
      preview->set_units(length.units);
      preview->set_parts(length.parts);
      preview->set_units_per_part(length.units_per_part);
      return call.Reply(std::move(response));
    }
    case v1::OperatorRequest::kNotifyTestSend: {
      const auto& r = request.notify_test_send();
      auto event_id = std::make_shared<int64_t>(0);
      call.Command(
          [this, phone = r.phone(), text = r.text(), event_id](core::Effects&, Time now) -> Status {
            ANDING_ASSIGN_OR_RETURN(*event_id, notifier_.IngestTest(phone, text, now));
            return OkStatus();
          },
          [this, event_id] {
            v1::OperatorResponse response;
            const auto ids = notifier_.MessagesOf(*event_id);
            const notify::NotifyEvent* event = notifier_.FindEvent(*event_id);
            if (!ids.empty() && event != nullptr) {
              *response.mutable_notification() = View(*notifier_.FindMessage(ids[0]), *event);
            }
            return response;
          });
      return;
    }
    case v1::OperatorRequest::kNotifyStatus: {
      const notify::QueueCounts counts = notifier_.Counts();
      v1::OperatorResponse response;
      auto* queue = response.mutable_notify_queue();
      queue->set_waiting(counts.waiting);
      queue->set_sent(counts.sent);
      queue->set_delivered(counts.delivered);
      queue->set_failed(counts.failed);
      queue->set_escalated(counts.escalated);
      queue->set_unacknowledged(counts.unacknowledged);
      queue->set_gateway(notifier_.config().kannel ? "kannel" : "none (log only)");
      return call.Reply(std::move(response));
    }
    default:
      return call.Fail(InternalError("request not served by the notify module"));
  }
}

}  // namespace anding::dispatcher

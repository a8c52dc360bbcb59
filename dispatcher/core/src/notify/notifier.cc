#include "anding/core/notify/notifier.h"

#include <algorithm>

#include "anding/common/strings.h"
#include "anding/core/notify/sms_text.h"
#include "anding/core/notify/templates.h"

namespace anding::core::notify {
namespace {

constexpr std::string_view kTestKind = "test";

std::string Trim(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  // Full-width punctuation phones add ("收到。", "1！").
  for (std::string_view tail : {"。", "！", "!", ".", "，"}) {
    if (text.size() > tail.size() && text.substr(text.size() - tail.size()) == tail) {
      text.remove_suffix(tail.size());
    }
  }
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsAckWord(std::string_view word) {
  return word == "1" || word == "收到" || word == "ok" || word == "ack" || word == "确认";
}

bool IsArrivalWord(std::string_view word) {
  return word == "到达" || word == "已到达" || word == "arrived" || word == "2";
}

bool IsPhone(std::string_view phone) {
  if (phone.size() < 6 || phone.size() > 16 || phone[0] != '+') return false;
  return std::all_of(phone.begin() + 1, phone.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string_view MessageStateName(MessageState state) {
  switch (state) {
    case MessageState::kQueued:
      return "queued";
    case MessageState::kSending:
      return "sending";
    case MessageState::kSent:
      return "sent";
    case MessageState::kQueuedAtSmsc:
      return "queued_at_smsc";
    case MessageState::kDelivered:
      return "delivered";
    case MessageState::kFailed:
      return "failed";
    case MessageState::kRejected:
      return "rejected";
  }
  return "queued";
}

std::optional<MessageState> ParseMessageState(std::string_view name) {
  for (MessageState state : {MessageState::kQueued, MessageState::kSending, MessageState::kSent,
                             MessageState::kQueuedAtSmsc, MessageState::kDelivered,
                             MessageState::kFailed, MessageState::kRejected}) {
    if (MessageStateName(state) == name) return state;
  }
  return std::nullopt;
}

bool IsFinal(MessageState state) {
  return state == MessageState::kDelivered || state == MessageState::kFailed ||
         state == MessageState::kRejected;
}

Notifier::Notifier(NotifyConfig config) : config_(std::move(config)) {}

void Notifier::Restore(std::vector<NotifyEvent> events, std::vector<Message> messages,
                       int64_t max_event_id, int64_t max_message_id) {
  events_.clear();
  messages_.clear();
  messages_of_event_.clear();
  recent_keys_.clear();
  sends_by_phone_.clear();
  recovering_.clear();
  dirty_events_.clear();
  dirty_messages_.clear();
  queued_.clear();
  escalations_.clear();
  escalation_of_.clear();
  log_.clear();
  next_event_id_ = max_event_id + 1;
  next_message_id_ = max_message_id + 1;
  for (auto& event : events) {
    Time& newest = recent_keys_[event.dedup_key];
    newest = std::max(newest, event.created_at);
    if (event.escalate_at) {
      escalations_.emplace(*event.escalate_at, event.id);
      escalation_of_[event.id] = *event.escalate_at;
    }
    events_.emplace(event.id, std::move(event));
  }
  std::sort(messages.begin(), messages.end(),
            [](const Message& a, const Message& b) { return a.id < b.id; });
  for (auto& message : messages) {
    if (message.state == MessageState::kSending) recovering_.push_back(message.id);
    if (message.channel == Channel::kSms && message.sent_at) {
      sends_by_phone_[message.address].push_back(*message.sent_at);
    }
    messages_of_event_[message.event_id].push_back(message.id);
    if (message.state == MessageState::kQueued) queued_.insert(message.id);
    messages_.emplace(message.id, std::move(message));
  }
  for (auto& [phone, times] : sends_by_phone_) std::sort(times.begin(), times.end());
}

const RoutingRule* Notifier::RuleFor(std::string_view kind) const {
  for (const auto& rule : config_.rules) {
    if (rule.kind == kind) return &rule;
  }
  return nullptr;
}

std::optional<int64_t> Notifier::Ingest(const HqAlert& alert, Time now) {
  const RoutingRule* rule = RuleFor(alert.kind);
  if (rule == nullptr || alert.severity < rule->min_severity) return std::nullopt;
  NotifyEvent event;
  event.kind = alert.kind;
  event.severity = alert.severity;
  event.unit_id = alert.unit_id;
  event.reference_id = alert.reference_id;
  event.text = alert.text;
  return Create(std::move(event), *rule, {}, now);
}

std::optional<int64_t> Notifier::Ingest(const NotificationRequest& request, Time now) {
  const RoutingRule* rule = RuleFor(request.template_id);
  if (rule == nullptr) return std::nullopt;
  NotifyEvent event;
  event.kind = request.template_id;
  event.severity = rule->severity;
  event.reference_id = request.reference_id;
  event.text = request.text;
  // The unit of the people named, for "unit_leaders" of a dispatch order.
  for (const Person& person : request.recipients) {
    if (const Recipient* known = config_.registry.Find(person.phone)) {
      event.unit_id = known->unit_id;
      break;
    }
  }
  return Create(std::move(event), *rule, request.recipients, now);
}

Result<int64_t> Notifier::IngestTest(std::string_view phone, std::string_view text, Time now) {
  if (!phone.empty() && !IsPhone(phone)) {
    return InvalidArgumentError("phone: must be in E.164 form, for example +8613800000000");
  }
  if (text.empty()) return InvalidArgumentError("text: must not be empty");
  RoutingRule rule;
  rule.kind = std::string(kTestKind);
  rule.severity = Severity::kCritical;
  std::vector<Person> people;
  if (phone.empty()) {
    if (config_.webhooks.empty()) return FailedPreconditionError("no webhooks are configured");
    rule.channels = {Channel::kWebhook};
  } else {
    const Recipient* known = config_.registry.Find(phone);
    people.push_back(Person{known ? known->name : "", std::string(phone), ""});
    rule.channels = {Channel::kSms};
  }
  rule.groups = {"assigned"};
  NotifyEvent event;
  event.kind = rule.kind;
  event.severity = Severity::kCritical;
  event.text = std::string(text);
  // A test is never de-duplicated: each one carries its own key.
  event.dedup_key = StrCat("test:", next_event_id_);
  auto id = Create(std::move(event), rule, people, now);
  if (!id) return FailedPreconditionError("the test reached nobody");
  return *id;
}

std::optional<int64_t> Notifier::Create(NotifyEvent event, const RoutingRule& rule,
                                        const std::vector<Person>& assigned, Time now) {
  if (event.dedup_key.empty()) {
    event.dedup_key =
        StrCat(event.kind, "|", event.unit_id, "|", event.reference_id, "|", event.text);
  }
  if (auto it = recent_keys_.find(event.dedup_key);
      it != recent_keys_.end() && now - it->second < config_.dedup_window) {
    return std::nullopt;
  }
  event.id = next_event_id_;
  event.created_at = now;
  event.require_ack = rule.require_ack;
  const auto& chain = config_.escalation.chain;
  std::vector<Person> people;
  for (const auto& group : rule.groups) {
    for (Person& person : config_.registry.Resolve(group, event.unit_id, assigned)) {
      if (std::none_of(people.begin(), people.end(),
                       [&](const Person& p) { return p.phone == person.phone; })) {
        people.push_back(std::move(person));
      }
    }
    auto in_chain = std::find(chain.begin(), chain.end(), group);
    if (in_chain != chain.end()) {
      event.level = std::max(event.level, static_cast<int>(in_chain - chain.begin()));
    }
  }
  if (AddMessages(event, people, rule.channels, now) == 0 && chain.empty()) return std::nullopt;
  ++next_event_id_;
  if (event.level + 1 < static_cast<int>(chain.size())) {
    event.escalate_at = now + config_.escalation.after;
  }
  recent_keys_[event.dedup_key] = now;
  const int64_t id = event.id;
  events_.emplace(id, std::move(event));
  MarkEvent(id);
  // Nobody reachable at the first level: escalate at once.
  if (messages_of_event_[id].empty()) Escalate(events_[id], now);
  return id;
}

Result<std::string> Notifier::Render(std::string_view kind, std::string_view unit_id,
                                     std::string_view reference_id, std::string_view text,
                                     int64_t id, int level) const {
  std::string pattern;
  if (auto it = config_.templates.find(std::string(kind)); it != config_.templates.end()) {
    if (auto lang = it->second.find(config_.language); lang != it->second.end()) {
      pattern = lang->second;
    }
  }
  if (pattern.empty()) pattern = DefaultTemplate(kind, config_.language);
  std::string unit(unit_id);
  if (auto it = config_.unit_names.find(unit_id); it != config_.unit_names.end()) {
    unit = it->second;
  }
  ANDING_ASSIGN_OR_RETURN(std::string rendered,
                          RenderTemplate(pattern, {{"text", std::string(text)},
                                                   {"unit", unit},
                                                   {"reference", std::string(reference_id)},
                                                   {"kind", std::string(kind)},
                                                   {"id", std::to_string(id)}}));
  if (level > 0) {
    rendered = StrCat(config_.language == "en" ? "[escalated] " : "【升级】", rendered);
  }
  return FitSms(rendered, config_.max_parts);
}

size_t Notifier::AddMessages(NotifyEvent& event, const std::vector<Person>& people,
                             const std::vector<Channel>& channels, Time now) {
  size_t added = 0;
  for (Channel channel : channels) {
    std::vector<std::pair<std::string, std::string>> targets;  // address, name
    if (channel == Channel::kWebhook) {
      for (const auto& webhook : config_.webhooks) targets.emplace_back(webhook.name, "");
    } else {
      for (const auto& person : people) targets.emplace_back(person.phone, person.name);
    }
    for (auto& [address, name] : targets) {
      Message message;
      message.id = next_message_id_++;
      message.event_id = event.id;
      // Without a gateway, SMS go to the log channel (which says so).
      message.channel = channel == Channel::kSms && !config_.kannel ? Channel::kLog : channel;
      message.address = address;
      message.recipient_name = name;
      message.level = event.level;
      auto text = Render(event.kind, event.unit_id, event.reference_id, event.text, message.id,
                         event.level);
      message.text = text.ok() ? *text : event.text;
      message.created_at = now;
      message.next_attempt_at = QuietUntil(event, message.channel, now);
      const int64_t id = message.id;
      messages_of_event_[event.id].push_back(id);
      messages_.emplace(id, std::move(message));
      MarkMessage(id);
      ++added;
    }
  }
  return added;
}

Time Notifier::QuietUntil(const NotifyEvent& event, Channel channel, Time now) const {
  const QuietHours& quiet = config_.quiet_hours;
  // Quiet hours never hold back the top grade, nor machines.
  if (!quiet.enabled || event.severity == Severity::kCritical || channel == Channel::kWebhook ||
      quiet.start_minute == quiet.end_minute) {
    return now;
  }
  const CivilDay today = config_.zone.DayOf(now);
  const Time midnight = config_.zone.StartOf(today);
  const auto minute =
      static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(now - midnight).count());
  const bool wraps = quiet.start_minute > quiet.end_minute;  // 22:00–07:00
  const bool inside = wraps ? (minute >= quiet.start_minute || minute < quiet.end_minute)
                            : (minute >= quiet.start_minute && minute < quiet.end_minute);
  if (!inside) return now;
  const CivilDay end_day = wraps && minute >= quiet.start_minute ? today + 1 : today;
  return config_.zone.At(end_day, quiet.end_minute / 60, quiet.end_minute % 60);
}

Time Notifier::RateLimitedUntil(std::string_view phone, Time now) const {
  auto it = sends_by_phone_.find(phone);
  if (it == sends_by_phone_.end()) return now;
  const auto& times = it->second;
  const Time window_start = now - config_.rate_limit.window;
  const auto in_window =
      static_cast<size_t>(times.end() - std::upper_bound(times.begin(), times.end(), window_start));
  if (in_window < config_.rate_limit.messages) return now;
  // The oldest send that keeps the window full must leave it first.
  return times[times.size() - config_.rate_limit.messages] + config_.rate_limit.window;
}

Duration Notifier::Backoff(uint32_t attempt) const {
  Duration delay = config_.retry.initial;
  for (uint32_t i = 1; i < attempt && delay < config_.retry.max; ++i) delay *= 2;
  return std::min(delay, config_.retry.max);
}

void Notifier::MarkEvent(int64_t id) {
  dirty_events_.insert(id);
  if (auto old = escalation_of_.find(id); old != escalation_of_.end()) {
    escalations_.erase({old->second, id});
    escalation_of_.erase(old);
  }
  auto it = events_.find(id);
  if (it != events_.end() && it->second.escalate_at) {
    escalations_.emplace(*it->second.escalate_at, id);
    escalation_of_[id] = *it->second.escalate_at;
  }
}

void Notifier::MarkMessage(int64_t id) {
  dirty_messages_.insert(id);
  auto it = messages_.find(id);
  if (it != messages_.end() && it->second.state == MessageState::kQueued) {
    queued_.insert(id);
  } else {
    queued_.erase(id);
  }
}

Time Notifier::NextWakeup() const {
  Time at = Time::max();
  for (int64_t id : queued_) {
    const Message& message = messages_.at(id);
    Time due = message.next_attempt_at;
    if (message.channel == Channel::kSms)
      due = std::max(due, RateLimitedUntil(message.address, due));
    at = std::min(at, due);
  }
  if (!escalations_.empty()) at = std::min(at, escalations_.begin()->first);
  return at;
}

void Notifier::Escalate(NotifyEvent& event, Time now) {
  const auto& chain = config_.escalation.chain;
  while (event.level + 1 < static_cast<int>(chain.size())) {
    ++event.level;
    const auto people = config_.registry.Resolve(chain[event.level], event.unit_id, {});
    const RoutingRule* rule = RuleFor(event.kind);
    const std::vector<Channel> channels = rule ? rule->channels : std::vector{Channel::kSms};
    if (AddMessages(event, people, channels, now) > 0) {
      ++event.escalations;
      ++tallies_.escalations;
      event.escalate_at = event.level + 1 < static_cast<int>(chain.size())
                              ? std::optional(now + config_.escalation.after)
                              : std::nullopt;
      MarkEvent(event.id);
      return;
    }
  }
  event.escalate_at.reset();
  MarkEvent(event.id);
}

std::vector<int64_t> Notifier::Tick(Time now) {
  std::vector<int64_t> escalating;  // Escalate changes escalations_
  for (const auto& [at, id] : escalations_) {
    if (at > now) break;
    escalating.push_back(id);
  }
  for (int64_t id : escalating) {
    NotifyEvent& event = events_.at(id);
    bool settled = event.acknowledged_at.has_value();
    if (!event.require_ack) {
      // No acknowledgement needed: escalate only if nothing of the current
      // level was delivered.
      for (int64_t message_id : messages_of_event_[id]) {
        const Message& message = messages_[message_id];
        if (message.level == event.level && message.state == MessageState::kDelivered) {
          settled = true;
        }
      }
    }
    if (settled) {
      event.escalate_at.reset();
      MarkEvent(id);
    } else {
      Escalate(event, now);
    }
  }
  std::vector<int64_t> due;
  for (auto it = queued_.begin(); it != queued_.end();) {
    const int64_t id = *it++;  // MarkMessage below takes `id` out of queued_
    Message& message = messages_.at(id);
    if (message.next_attempt_at > now) continue;
    if (message.channel == Channel::kSms && RateLimitedUntil(message.address, now) > now) continue;
    message.state = MessageState::kSending;
    if (message.attempt_id.empty() || !message.reuse_attempt) {
      ++message.attempt;
      message.attempt_id = StrCat("n", message.id, "-", message.attempt);
    }
    if (message.channel == Channel::kSms) sends_by_phone_[message.address].push_back(now);
    MarkMessage(id);
    due.push_back(id);
  }
  return due;
}

std::vector<int64_t> Notifier::TakeRecovering() { return std::exchange(recovering_, {}); }

Status Notifier::OnSendOutcome(int64_t message_id, std::string_view attempt_id,
                               const SendOutcome& outcome, Time now) {
  auto it = messages_.find(message_id);
  if (it == messages_.end()) return NotFoundError(StrCat("no notification ", message_id));
  Message& message = it->second;
  if (message.attempt_id == attempt_id && message.state != MessageState::kSending &&
      message.state != MessageState::kQueued) {
    // A delivery report overtook the gateway's answer: keep the answer in
    // the log, the state the report gave.
    log_.push_back(
        {message_id, std::string(attempt_id), now, "answer_after_report", outcome.detail});
    return OkStatus();
  }
  if (message.state != MessageState::kSending || message.attempt_id != attempt_id) {
    return FailedPreconditionError(
        StrCat("notification ", message_id, " is not waiting for attempt ", attempt_id));
  }
  static constexpr std::string_view kWhat[] = {"accepted", "queued_at_gateway", "unavailable",
                                               "unknown", "rejected"};
  log_.push_back({message_id, std::string(attempt_id), now,
                  std::string(kWhat[static_cast<int>(outcome.kind)]), outcome.detail});
  message.last_error.clear();
  message.reuse_attempt = false;
  switch (outcome.kind) {
    case SendOutcome::Kind::kAccepted:
      message.state =
          message.channel == Channel::kSms ? MessageState::kSent : MessageState::kDelivered;
      message.sent_at = now;
      if (message.state == MessageState::kDelivered) message.delivered_at = now;
      break;
    case SendOutcome::Kind::kQueuedAtGateway:
      message.state = MessageState::kQueuedAtSmsc;
      message.sent_at = now;
      break;
    case SendOutcome::Kind::kUnavailable:
      message.state = MessageState::kQueued;
      message.next_attempt_at = now + Backoff(message.attempt);
      message.last_error = outcome.detail;
      break;
    case SendOutcome::Kind::kUnknown:
      // Same attempt id next time: the far side may have it already.
      message.state = MessageState::kQueued;
      message.next_attempt_at = now + Backoff(message.attempt);
      message.last_error = outcome.detail;
      message.reuse_attempt = true;
      break;
    case SendOutcome::Kind::kRejected:
      message.state = MessageState::kRejected;
      message.last_error = outcome.detail;
      break;
  }
  MarkMessage(message_id);
  return OkStatus();
}

Status Notifier::OnDeliveryReport(int64_t message_id, std::string_view attempt_id, int report,
                                  Time now) {
  auto it = messages_.find(message_id);
  if (it == messages_.end()) return NotFoundError(StrCat("no notification ", message_id));
  Message& message = it->second;
  if (message.attempt_id != attempt_id) {
    return FailedPreconditionError(StrCat("report for attempt ", attempt_id, " but notification ",
                                          message_id, " is at ", message.attempt_id));
  }
  if (IsFinal(message.state)) {
    return FailedPreconditionError(
        StrCat("notification ", message_id, " is already ", MessageStateName(message.state)));
  }
  if (report != 1 && report != 2 && report != 4 && report != 8 && report != 16) {
    return InvalidArgumentError(StrCat("unknown delivery report status ", report));
  }
  log_.push_back({message_id, std::string(attempt_id), now, StrCat("report:", report), ""});
  // A report may overtake the gateway's answer to the send itself.
  if (!message.sent_at) message.sent_at = now;
  switch (report) {
    case static_cast<int>(DeliveryReport::kDelivered):
      message.state = MessageState::kDelivered;
      message.delivered_at = now;
      break;
    case static_cast<int>(DeliveryReport::kFailed):
    case static_cast<int>(DeliveryReport::kSmscRejected):
      message.state = MessageState::kFailed;
      message.last_error = StrCat("delivery report ", report);
      break;
    case static_cast<int>(DeliveryReport::kBuffered):
      message.state = MessageState::kQueuedAtSmsc;
      break;
    case static_cast<int>(DeliveryReport::kSmscAccepted):
      if (message.state == MessageState::kSending) message.state = MessageState::kSent;
      break;
    default:
      break;
  }
  MarkMessage(message_id);
  return OkStatus();
}

ReplyOutcome Notifier::OnReply(std::string_view phone, std::string_view text, Time now) {
  ReplyOutcome outcome;
  const std::string word = Trim(text);
  if (config_.registry.Find(phone) == nullptr) {
    outcome.kind = ReplyOutcome::Kind::kUnknownNumber;
    outcome.answer = "【安定】本号码未登记，无法处理您的回复。如有紧急情况请直接联系指挥中心。";
    return outcome;
  }
  const bool ack = IsAckWord(word);
  const bool arrival = IsArrivalWord(word);
  if (!ack && !arrival) {
    outcome.kind = ReplyOutcome::Kind::kNotUnderstood;
    outcome.answer = "【安定】未能识别您的回复。确认请回复1或“收到”，到达现场请回复“到达”。";
    return outcome;
  }
  // The newest message sent to this phone whose event fits the reply.
  for (auto it = messages_.rbegin(); it != messages_.rend(); ++it) {
    const Message& message = it->second;
    if (message.channel != Channel::kSms || message.address != phone) continue;
    auto event_it = events_.find(message.event_id);
    if (event_it == events_.end()) continue;
    NotifyEvent& event = event_it->second;
    if (ack && event.require_ack && !event.acknowledged_at) {
      event.acknowledged_at = now;
      event.acknowledged_by = Actor::Sms(std::string(phone)).ToString();
      event.escalate_at.reset();
      MarkEvent(event.id);
      ++tallies_.acknowledged_by_reply;
      outcome.kind = ReplyOutcome::Kind::kAcknowledged;
      outcome.event_id = event.id;
      outcome.answer = StrCat("【安定】已确认收到（编号", message.id, "），谢谢。");
      return outcome;
    }
    if (arrival && event.kind == "dispatch_order") {
      outcome.kind = ReplyOutcome::Kind::kArrival;
      outcome.event_id = event.id;
      outcome.reference_id = event.reference_id;
      outcome.unit_id = event.unit_id;
      outcome.answer = "【安定】已记录到达现场，谢谢。";
      return outcome;
    }
  }
  outcome.kind = ReplyOutcome::Kind::kNothingOpen;
  outcome.answer = "【安定】您当前没有待确认的通知。";
  return outcome;
}

Status Notifier::Acknowledge(int64_t message_id, const Actor& actor, Time now) {
  const Message* message = FindMessage(message_id);
  if (message == nullptr) return NotFoundError(StrCat("no notification ", message_id));
  NotifyEvent& event = events_[message->event_id];
  if (!event.require_ack) {
    return FailedPreconditionError(
        StrCat("notification ", message_id, " (", event.kind, ") needs no acknowledgement"));
  }
  if (event.acknowledged_at) {
    return FailedPreconditionError(StrCat("notification ", message_id,
                                          " was already acknowledged by ", event.acknowledged_by));
  }
  event.acknowledged_at = now;
  event.acknowledged_by = actor.ToString();
  event.escalate_at.reset();
  MarkEvent(event.id);
  ++tallies_.acknowledged_by_operator;
  return OkStatus();
}

NotifyChanges Notifier::TakeChanges() {
  NotifyChanges changes;
  for (int64_t id : dirty_events_) changes.events.push_back(events_.at(id));
  for (int64_t id : dirty_messages_) changes.messages.push_back(messages_.at(id));
  changes.log = std::exchange(log_, {});
  dirty_events_.clear();
  dirty_messages_.clear();
  return changes;
}

const Message* Notifier::FindMessage(int64_t id) const {
  auto it = messages_.find(id);
  return it == messages_.end() ? nullptr : &it->second;
}

const NotifyEvent* Notifier::FindEvent(int64_t id) const {
  auto it = events_.find(id);
  return it == events_.end() ? nullptr : &it->second;
}

std::vector<int64_t> Notifier::MessagesOf(int64_t event_id) const {
  auto it = messages_of_event_.find(event_id);
  return it == messages_of_event_.end() ? std::vector<int64_t>{} : it->second;
}

QueueCounts Notifier::Counts() const {
  QueueCounts counts;
  for (const auto& [id, message] : messages_) {
    switch (message.state) {
      case MessageState::kQueued:
      case MessageState::kSending:
        ++counts.waiting;
        break;
      case MessageState::kSent:
      case MessageState::kQueuedAtSmsc:
        ++counts.sent;
        break;
      case MessageState::kDelivered:
        ++counts.delivered;
        break;
      case MessageState::kFailed:
      case MessageState::kRejected:
        ++counts.failed;
        break;
    }
  }
  for (const auto& [id, event] : events_) {
    if (event.require_ack && !event.acknowledged_at) ++counts.unacknowledged;
    if (event.escalations > 0) ++counts.escalated;
  }
  return counts;
}

Duration Notifier::HoldFor() const {
  return std::max<Duration>(config_.dedup_window, std::chrono::hours(24));
}

size_t Notifier::Forget(Time now) {
  const Time before = now - HoldFor();
  const auto finished = [&](int64_t message_id) {
    auto message = messages_.find(message_id);
    return message == messages_.end() ||
           (IsFinal(message->second.state) && !dirty_messages_.contains(message_id));
  };
  size_t forgotten = 0;
  for (auto event = events_.begin(); event != events_.end();) {
    const NotifyEvent& held = event->second;
    auto of = messages_of_event_.find(held.id);
    if (held.created_at >= before || held.escalate_at || dirty_events_.contains(held.id) ||
        (of != messages_of_event_.end() &&
         !std::all_of(of->second.begin(), of->second.end(), finished))) {
      ++event;
      continue;
    }
    if (of != messages_of_event_.end()) {
      for (int64_t message_id : of->second) messages_.erase(message_id);
      messages_of_event_.erase(of);
    }
    event = events_.erase(event);
    ++forgotten;
  }
  std::erase_if(recent_keys_, [&](const auto& key) { return key.second < before; });
  const Time window_start = now - config_.rate_limit.window;
  for (auto phone = sends_by_phone_.begin(); phone != sends_by_phone_.end();) {
    std::deque<Time>& times = phone->second;
    while (!times.empty() && times.front() <= window_start) times.pop_front();
    phone = times.empty() ? sends_by_phone_.erase(phone) : std::next(phone);
  }
  return forgotten;
}

std::vector<std::pair<MessageState, uint32_t>> Notifier::CountByState() const {
  std::vector<std::pair<MessageState, uint32_t>> counts;
  for (MessageState state : {MessageState::kQueued, MessageState::kSending, MessageState::kSent,
                             MessageState::kQueuedAtSmsc, MessageState::kDelivered,
                             MessageState::kFailed, MessageState::kRejected}) {
    counts.emplace_back(state, 0);
  }
  for (const auto& [id, message] : messages_) ++counts[static_cast<size_t>(message.state)].second;
  return counts;
}

}  // namespace anding::core::notify

// The notification queue: what the dispatcher must tell people's phones
// and webhooks, where each message stands, who acknowledged, and when to
// escalate. Pure: no sockets, no SQL, no clock reads — `now` comes in, and
// what changed comes out (TakeChanges) for the store.
//
// An *event* is one thing worth telling (a special report, a dispatch
// order, a deadline warning, ...), routed by its kind to groups of
// recipients on channels. Each (recipient, channel) is a *message* with
// its own life:
//
//   queued ──Tick (due, outside quiet hours, within the rate limit)──▶ sending
//   sending ──gateway accepted──▶ sent ──delivery report──▶ delivered | failed
//           ──gateway queued it──▶ queued_at_smsc ──report──▶ delivered | failed
//           ──refused for good (4xx)──▶ rejected
//           ──unavailable (503, refused, timeout)──▶ queued (retry, capped backoff)
//
// Every send is one *attempt* with an id ("n<message>-<attempt>"). A new
// attempt id is taken only when the gateway said no for certain; when the
// outcome is unknown (a timeout after the request went out, a crash
// between "sending" and recording the answer) the message goes out again
// with the same attempt id, so the far side can drop the duplicate.
//
// Events that need acknowledgement escalate along the configured chain
// (unit leaders → petition office head → HQ duty) when nobody acknowledged
// within `escalation.after`; events that need none escalate when no message
// of the current level was delivered by then. An acknowledgement (a reply
// "1"/"收到" from a recipient's phone, `anding notify ack`) stops the chain.
//
// Thread-safety: none; owned by one thread.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/core/notify/config.h"

namespace anding::core::notify {

enum class MessageState { kQueued, kSending, kSent, kQueuedAtSmsc, kDelivered, kFailed, kRejected };

// "queued", "sending", "sent", "queued_at_smsc", "delivered", "failed", "rejected".
[[nodiscard]] std::string_view MessageStateName(MessageState state);
[[nodiscard]] std::optional<MessageState> ParseMessageState(std::string_view name);
// Delivered, failed or rejected: nothing more happens to it.
[[nodiscard]] bool IsFinal(MessageState state);

struct NotifyEvent {
  int64_t id = 0;
  std::string kind;
  Severity severity = Severity::kWarning;
  std::string unit_id;
  std::string reference_id;
  std::string text;  // the event's own text (before templating)
  Time created_at{};
  bool require_ack = false;
  // Index into the escalation chain of the last level notified; -1 when
  // the first recipients are outside the chain (a team, say).
  int level = -1;
  std::optional<Time> escalate_at;  // unset: no further escalation
  uint32_t escalations = 0;         // levels added after the first
  std::optional<Time> acknowledged_at;
  std::string acknowledged_by;  // "sms:+86...", "operator:zhang"
  std::string dedup_key;
  friend bool operator==(const NotifyEvent&, const NotifyEvent&) = default;
};

struct Message {
  int64_t id = 0;
  int64_t event_id = 0;
  Channel channel = Channel::kSms;
  std::string address;         // phone, or webhook name
  std::string recipient_name;  // for people; empty for webhooks
  std::string text;            // rendered
  int level = -1;              // the event's level when this message was made
  MessageState state = MessageState::kQueued;
  uint32_t attempt = 0;    // attempts taken (the current one included)
  std::string attempt_id;  // of the current attempt; empty before the first
  Time created_at{};
  Time next_attempt_at{};  // when queued: when it may go out
  std::optional<Time> sent_at;
  std::optional<Time> delivered_at;
  std::string last_error;
  // The last attempt's outcome is unknown: the next send reuses its id.
  bool reuse_attempt = false;
  friend bool operator==(const Message&, const Message&) = default;
};

// What a gateway or webhook said to one attempt.
struct SendOutcome {
  enum class Kind {
    kAccepted,         // taken for delivery
    kQueuedAtGateway,  // taken, but held by the gateway for later (Kannel 202 "queued")
    kUnavailable,      // certainly not taken (503, connection refused): retry, new attempt
    kUnknown,          // may have been taken (timeout after sending): retry, same attempt
    kRejected,         // refused for good (bad number, 4xx): never retried
  };
  Kind kind = Kind::kAccepted;
  std::string detail;  // the far side's answer, for people
};

// A Kannel delivery report: %d of the dlr-url.
enum class DeliveryReport {
  kDelivered = 1,
  kFailed = 2,
  kBuffered = 4,
  kSmscAccepted = 8,
  kSmscRejected = 16
};

// What a reply from a phone meant.
struct ReplyOutcome {
  enum class Kind { kAcknowledged, kArrival, kUnknownNumber, kNothingOpen, kNotUnderstood };
  Kind kind = Kind::kNotUnderstood;
  int64_t event_id = 0;
  std::string reference_id;  // the event's incident (arrival)
  std::string unit_id;       // the replying person's unit (arrival)
  std::string answer;        // the polite reply to send back
};

// One line of the delivery log: what the far side said to an attempt.
struct DeliveryLogEntry {
  int64_t message_id = 0;
  std::string attempt_id;
  Time at{};
  std::string what;    // "accepted", "unavailable", "report:1", ...
  std::string detail;  // the far side's words
};

struct NotifyChanges {
  std::vector<NotifyEvent> events;
  std::vector<Message> messages;
  std::vector<DeliveryLogEntry> log;
  [[nodiscard]] bool empty() const { return events.empty() && messages.empty() && log.empty(); }
};

struct QueueCounts {
  uint32_t waiting = 0;    // queued or sending
  uint32_t sent = 0;       // sent or queued at the SMSC, no report yet
  uint32_t delivered = 0;  // among those loaded (open events)
  uint32_t failed = 0;     // failed or rejected
  uint32_t escalated = 0;  // open events past their first level
  uint32_t unacknowledged = 0;
};

// Counts since the Notifier was made, for /metrics; not stored, and not
// reset by Restore.
struct NotifyTallies {
  uint64_t escalations = 0;  // levels notified after an event's first
  uint64_t acknowledged_by_reply = 0;
  uint64_t acknowledged_by_operator = 0;
};

class Notifier {
 public:
  explicit Notifier(NotifyConfig config);

  [[nodiscard]] const NotifyConfig& config() const { return config_; }

  // Replaces the state with stored records (events and their messages).
  // Messages left "sending" by a crash are returned by TakeRecovering.
  void Restore(std::vector<NotifyEvent> events, std::vector<Message> messages, int64_t max_event_id,
               int64_t max_message_id);

  // Routes an HQ alert / a notification request: creates its event and
  // messages (queued, due now or at the end of quiet hours). Returns the
  // event id, or nullopt when no rule routes it, nobody is reachable, or
  // the same event came within the de-duplication window.
  std::optional<int64_t> Ingest(const HqAlert& alert, Time now);
  std::optional<int64_t> Ingest(const NotificationRequest& request, Time now);
  // A test message to one phone (`anding notify test-send`), or to every
  // webhook when `phone` is empty. InvalidArgument for a malformed phone.
  [[nodiscard]] Result<int64_t> IngestTest(std::string_view phone, std::string_view text, Time now);

  // The earliest instant Tick has work; Time::max() for none.
  [[nodiscard]] Time NextWakeup() const;
  // Escalates what is due and moves due messages to "sending" with a new
  // attempt id. Returns the messages to send now.
  std::vector<int64_t> Tick(Time now);
  // Messages that were "sending" when the state was restored: send them
  // again with the same attempt id. Returns each once.
  std::vector<int64_t> TakeRecovering();

  // The answer to an attempt. FailedPrecondition when the message has
  // moved on (a late answer to an old attempt): nothing changes.
  [[nodiscard]] Status OnSendOutcome(int64_t message_id, std::string_view attempt_id,
                                     const SendOutcome& outcome, Time now);
  // A delivery report. NotFound for an unknown message; FailedPrecondition
  // for another attempt's report or a final message (nothing changes).
  [[nodiscard]] Status OnDeliveryReport(int64_t message_id, std::string_view attempt_id, int report,
                                        Time now);
  // A reply from `phone`: "1"/"收到"/"ok" acknowledge the newest open event
  // that needs it and was sent to that phone; "到达"/"arrived" report the
  // arrival for the newest dispatch order sent to it. Anything else, and
  // any phone not in the registry, changes nothing.
  [[nodiscard]] ReplyOutcome OnReply(std::string_view phone, std::string_view text, Time now);
  // Acknowledges the event of message `message_id` for `actor`. NotFound
  // for an unknown message; FailedPrecondition when it needs no
  // acknowledgement or already has one.
  [[nodiscard]] Status Acknowledge(int64_t message_id, const Actor& actor, Time now);

  // What changed since the last call (for the store), each record once.
  [[nodiscard]] NotifyChanges TakeChanges();

  // How long an event is held after it is made, open or not: the
  // de-duplication window, at least a day. A load reads the events made
  // since then and the open ones.
  [[nodiscard]] Duration HoldFor() const;
  // Lets go of what a load would not read, so that a long run holds what a
  // start would: events made more than HoldFor() before `now` with no
  // escalation to come and every message final (delivered, failed or
  // rejected), with their messages, unless a change to them is still to
  // be taken by TakeChanges; the de-duplication keys of that age and the
  // sends older than the rate limit's window. The store keeps them all.
  // Returns how many events it let go of.
  size_t Forget(Time now);

  [[nodiscard]] const Message* FindMessage(int64_t id) const;
  [[nodiscard]] const NotifyEvent* FindEvent(int64_t id) const;
  // The ids of an event's messages, oldest first (empty for an unknown event).
  [[nodiscard]] std::vector<int64_t> MessagesOf(int64_t event_id) const;
  [[nodiscard]] QueueCounts Counts() const;
  // Messages held (open events' and the recent past's) in each state, every
  // state listed.
  [[nodiscard]] std::vector<std::pair<MessageState, uint32_t>> CountByState() const;
  [[nodiscard]] const NotifyTallies& tallies() const { return tallies_; }

  // The text `kind` renders to (for `anding notify preview`), with a
  // placeholder id. InvalidArgument when the template is broken.
  [[nodiscard]] Result<std::string> Render(std::string_view kind, std::string_view unit_id,
                                           std::string_view reference_id, std::string_view text,
                                           int64_t id, int level) const;

 private:
  const RoutingRule* RuleFor(std::string_view kind) const;
  std::optional<int64_t> Create(NotifyEvent event, const RoutingRule& rule,
                                const std::vector<Person>& assigned, Time now);
  // Queues messages of `event` for `people` / every webhook; returns how many.
  size_t AddMessages(NotifyEvent& event, const std::vector<Person>& people,
                     const std::vector<Channel>& channels, Time now);
  Time QuietUntil(const NotifyEvent& event, Channel channel, Time now) const;
  Time RateLimitedUntil(std::string_view phone, Time now) const;
  Duration Backoff(uint32_t attempt) const;
  void Escalate(NotifyEvent& event, Time now);
  // Every change of an event or message is marked, after it is made: for
  // the store, and to keep the indexes below.
  void MarkEvent(int64_t id);
  void MarkMessage(int64_t id);

  NotifyConfig config_;
  std::map<int64_t, NotifyEvent> events_;
  std::map<int64_t, Message> messages_;
  std::map<int64_t, std::vector<int64_t>> messages_of_event_;
  std::map<std::string, Time> recent_keys_;  // de-duplication: key → newest event
  std::map<std::string, std::deque<Time>, std::less<>> sends_by_phone_;  // rate limits
  // Indexes kept by MarkMessage and MarkEvent, so that Tick and NextWakeup
  // look at what may be due rather than at every message and event held:
  // the messages in "queued", and the events' escalate_at in time order.
  std::set<int64_t> queued_;
  std::set<std::pair<Time, int64_t>> escalations_;
  std::map<int64_t, Time> escalation_of_;  // what escalations_ holds for each event
  std::vector<int64_t> recovering_;
  std::set<int64_t> dirty_events_;
  std::set<int64_t> dirty_messages_;
  std::vector<DeliveryLogEntry> log_;
  NotifyTallies tallies_;
  int64_t next_event_id_ = 1;
  int64_t next_message_id_ = 1;
};

}  // namespace anding::core::notify

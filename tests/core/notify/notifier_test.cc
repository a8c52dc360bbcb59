#include "anding/core/notify/notifier.h"

#include <gtest/gtest.h>

#include "notify_fixtures.h"

namespace anding::core::notify {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// 2026-12-02 10:00 in Shanghai.
Time Morning() { return TimeZone::Shanghai().At(CivilDay(2026, 12, 2), 10, 0); }

NotifyConfig WithGateway() {
  NotifyConfig config;
  EXPECT_TRUE(testing::ReadConfig(testing::kRolesYaml, config).ok());
  KannelGateway kannel;
  kannel.sendsms_url = "http://127.0.0.1:1/cgi-bin/sendsms";
  kannel.callback_url = "http://127.0.0.1:2";
  config.kannel = kannel;
  config.escalation.after = minutes(10);
  return config;
}

HqAlert SpecialReport(std::string text = "三矿职工30人拟赴市集访") {
  HqAlert alert;
  alert.severity = Severity::kCritical;
  alert.kind = "special_report";
  alert.reference_id = "L-1";
  alert.unit_id = "mine-3";
  alert.text = std::move(text);
  return alert;
}

std::vector<const Message*> MessagesTo(const Notifier& notifier, std::string_view phone,
                                       int64_t max_id = 100) {
  std::vector<const Message*> found;
  for (int64_t id = 1; id <= max_id; ++id) {
    const Message* message = notifier.FindMessage(id);
    if (message != nullptr && message->address == phone) found.push_back(message);
  }
  return found;
}

TEST(Notifier, SpecialReportGoesToTheUnitLeaderInChinese) {
  Notifier notifier(WithGateway());
  const Time now = Morning();
  auto event = notifier.Ingest(SpecialReport(), now);
  ASSERT_TRUE(event.has_value());
  auto to_leader = MessagesTo(notifier, testing::kLeaderPhone);
  ASSERT_EQ(to_leader.size(), 1u);
  EXPECT_EQ(to_leader[0]->channel, Channel::kSms);
  EXPECT_EQ(to_leader[0]->state, MessageState::kQueued);
  EXPECT_NE(to_leader[0]->text.find("专报"), std::string::npos);
  EXPECT_NE(to_leader[0]->text.find("三矿：三矿职工30人拟赴市集访"), std::string::npos);
  EXPECT_TRUE(MessagesTo(notifier, testing::kHeadPhone).empty());
  // Stored with the change that caused it: the changes name both records.
  NotifyChanges changes = notifier.TakeChanges();
  EXPECT_EQ(changes.events.size(), 1u);
  EXPECT_EQ(changes.messages.size(), 1u);
  EXPECT_TRUE(notifier.TakeChanges().empty());
}

TEST(Notifier, UnroutedKindsAndLowSeveritiesNotifyNobody) {
  Notifier notifier(WithGateway());
  HqAlert alert = SpecialReport();
  alert.kind = "low_balance";
  EXPECT_FALSE(notifier.Ingest(alert, Morning()).has_value());
  EXPECT_TRUE(notifier.TakeChanges().empty());
}

TEST(Notifier, SendDeliverAcknowledgeStopsEscalation) {
  Notifier notifier(WithGateway());
  Time now = Morning();
  const int64_t event = *notifier.Ingest(SpecialReport(), now);
  EXPECT_EQ(notifier.NextWakeup(), now);
  auto due = notifier.Tick(now);
  ASSERT_EQ(due.size(), 1u);
  const Message* message = notifier.FindMessage(due[0]);
  EXPECT_EQ(message->state, MessageState::kSending);
  EXPECT_EQ(message->attempt_id, "n1-1");
  ASSERT_TRUE(
      notifier.OnSendOutcome(due[0], "n1-1", {SendOutcome::Kind::kAccepted, "0: Accepted"}, now)
          .ok());
  EXPECT_EQ(message->state, MessageState::kSent);
  ASSERT_TRUE(notifier.OnDeliveryReport(due[0], "n1-1", 8, now).ok());
  EXPECT_EQ(message->state, MessageState::kSent);
  ASSERT_TRUE(notifier.OnDeliveryReport(due[0], "n1-1", 1, now + seconds(2)).ok());
  EXPECT_EQ(message->state, MessageState::kDelivered);
  // A report for another attempt changes nothing.
  EXPECT_FALSE(notifier.OnDeliveryReport(due[0], "n1-2", 2, now).ok());
  EXPECT_EQ(notifier.NextWakeup(), now + minutes(10));

  now += minutes(3);
  ReplyOutcome reply = notifier.OnReply(testing::kLeaderPhone, " 收到。", now);
  EXPECT_EQ(reply.kind, ReplyOutcome::Kind::kAcknowledged);
  EXPECT_EQ(reply.event_id, event);
  EXPECT_EQ(notifier.FindEvent(event)->acknowledged_by, "sms:+8613800000001");
  EXPECT_EQ(notifier.NextWakeup(), Time::max());
  EXPECT_TRUE(notifier.Tick(now + hours(1)).empty());
  EXPECT_TRUE(MessagesTo(notifier, testing::kHeadPhone).empty());
  // A second "1" finds nothing open.
  EXPECT_EQ(notifier.OnReply(testing::kLeaderPhone, "1", now).kind,
            ReplyOutcome::Kind::kNothingOpen);
}

TEST(Notifier, UnacknowledgedEscalatesAlongTheChainOnTime) {
  Notifier notifier(WithGateway());
  Time now = Morning();
  const int64_t event = *notifier.Ingest(SpecialReport(), now);
  (void)notifier.Tick(now);
  EXPECT_TRUE(notifier.Tick(now + minutes(10) - seconds(1)).empty());
  EXPECT_TRUE(MessagesTo(notifier, testing::kHeadPhone).empty());
  auto due = notifier.Tick(now + minutes(10));
  auto to_head = MessagesTo(notifier, testing::kHeadPhone);
  ASSERT_EQ(to_head.size(), 1u);
  EXPECT_EQ(to_head[0]->text.rfind("【升级】", 0), 0u);
  EXPECT_EQ(notifier.FindEvent(event)->level, 1);
  EXPECT_EQ(notifier.Counts().escalated, 1u);
  (void)notifier.Tick(now + minutes(20));
  ASSERT_EQ(MessagesTo(notifier, testing::kDutyPhone).size(), 1u);
  // The end of the chain: nothing more is armed.
  EXPECT_FALSE(notifier.FindEvent(event)->escalate_at.has_value());
  // The head acknowledges by reply: the chain stays stopped.
  EXPECT_EQ(notifier.OnReply(testing::kHeadPhone, "1", now + minutes(21)).kind,
            ReplyOutcome::Kind::kAcknowledged);
}

TEST(Notifier, OperatorAcknowledgementStopsTheChain) {
  Notifier notifier(WithGateway());
  const Time now = Morning();
  (void)notifier.Ingest(SpecialReport(), now);
  ASSERT_TRUE(notifier.Acknowledge(1, Actor::Operator("zhang"), now).ok());
  EXPECT_FALSE(notifier.Acknowledge(1, Actor::Operator("li"), now).ok());
  EXPECT_FALSE(notifier.Acknowledge(99, Actor::Operator("li"), now).ok());
  (void)notifier.Tick(now + hours(2));
  EXPECT_TRUE(MessagesTo(notifier, testing::kHeadPhone).empty());
}

// A dispatcher that runs for months holds what a start would read: the
// last day's events and the open ones.
TEST(Notifier, ALongRunLetsGoOfWhatAStartWouldNotRead) {
  Notifier notifier(WithGateway());
  const Time now = Morning();
  EXPECT_EQ(notifier.HoldFor(), hours(24));
  // Finished: delivered and acknowledged.
  const int64_t finished = *notifier.Ingest(SpecialReport("甲"), now);
  const auto due = notifier.Tick(now);
  ASSERT_EQ(due.size(), 1u);
  ASSERT_TRUE(notifier.OnSendOutcome(due[0], "n1-1", {SendOutcome::Kind::kAccepted, ""}, now).ok());
  ASSERT_TRUE(notifier.OnDeliveryReport(due[0], "n1-1", 1, now).ok());
  ASSERT_TRUE(notifier.Acknowledge(due[0], Actor::Operator("zhang"), now).ok());
  // Open: unacknowledged, its escalation still to come, its message queued.
  HqAlert other = SpecialReport("乙");
  other.reference_id = "L-2";
  const int64_t open = *notifier.Ingest(other, now);
  const std::vector<int64_t> open_messages = notifier.MessagesOf(open);
  ASSERT_FALSE(open_messages.empty());
  // Needs no acknowledgement, but its message is still being sent.
  HqAlert storage;
  storage.severity = Severity::kCritical;
  storage.kind = "storage_failure";
  storage.reference_id = "S-1";
  storage.text = "磁盘已满";
  const int64_t sending = *notifier.Ingest(storage, now);
  (void)notifier.Tick(now);
  ASSERT_EQ(notifier.MessagesOf(sending).size(), 1u);
  const Message* unanswered = notifier.FindMessage(notifier.MessagesOf(sending)[0]);
  ASSERT_EQ(unanswered->state, MessageState::kSending);
  ASSERT_FALSE(notifier.FindEvent(sending)->escalate_at.has_value());

  // A change not yet taken for the store is kept, however old.
  EXPECT_EQ(notifier.Forget(now + hours(25)), 0u);
  (void)notifier.TakeChanges();
  // Within the day: kept.
  EXPECT_EQ(notifier.Forget(now + hours(23)), 0u);
  ASSERT_NE(notifier.FindEvent(finished), nullptr);

  EXPECT_EQ(notifier.Forget(now + hours(25)), 1u);
  EXPECT_EQ(notifier.FindEvent(finished), nullptr);
  EXPECT_EQ(notifier.FindMessage(due[0]), nullptr);
  EXPECT_TRUE(notifier.MessagesOf(finished).empty());
  ASSERT_NE(notifier.FindEvent(open), nullptr);
  for (int64_t id : open_messages) EXPECT_NE(notifier.FindMessage(id), nullptr) << id;
  EXPECT_EQ(notifier.Counts().unacknowledged, 1u);
  ASSERT_NE(notifier.FindEvent(sending), nullptr);
  // Once its message is answered for good, it goes too.
  const int64_t unanswered_id = unanswered->id;
  ASSERT_TRUE(notifier
                  .OnSendOutcome(unanswered_id, unanswered->attempt_id,
                                 {SendOutcome::Kind::kRejected, "bad number"}, now + hours(25))
                  .ok());
  (void)notifier.TakeChanges();
  EXPECT_EQ(notifier.Forget(now + hours(25)), 1u);
  EXPECT_EQ(notifier.FindEvent(sending), nullptr);
  EXPECT_EQ(notifier.FindMessage(unanswered_id), nullptr);
  // What is held goes on as before: the open event escalates.
  EXPECT_FALSE(notifier.Tick(now + hours(25)).empty());
  EXPECT_GT(notifier.MessagesOf(open).size(), open_messages.size());
  // And the same alert as the finished one, a day later, is news again.
  EXPECT_TRUE(notifier.Ingest(SpecialReport("甲"), now + hours(25)).has_value());
}

TEST(Notifier, TalliesAndStateCountsFollowTheQueue) {
  Notifier notifier(WithGateway());
  Time now = Morning();
  (void)notifier.Ingest(SpecialReport("一号"), now);
  (void)notifier.Ingest(SpecialReport("二号"), now);
  auto count_of = [&](MessageState state) {
    for (const auto& [s, count] : notifier.CountByState()) {
      if (s == state) return count;
    }
    return uint32_t{99};
  };
  EXPECT_EQ(notifier.CountByState().size(), 7u);
  EXPECT_EQ(count_of(MessageState::kQueued), 2u);
  auto due = notifier.Tick(now);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(count_of(MessageState::kQueued), 0u);
  EXPECT_EQ(count_of(MessageState::kSending), 2u);
  ASSERT_TRUE(notifier.OnSendOutcome(due[0], "n1-1", {SendOutcome::Kind::kAccepted, ""}, now).ok());
  ASSERT_TRUE(notifier.OnDeliveryReport(due[0], "n1-1", 1, now).ok());
  // Refused for certain: queued again, and due again after the backoff.
  ASSERT_TRUE(
      notifier.OnSendOutcome(due[1], "n2-1", {SendOutcome::Kind::kUnavailable, "503"}, now).ok());
  EXPECT_EQ(count_of(MessageState::kDelivered), 1u);
  EXPECT_EQ(count_of(MessageState::kQueued), 1u);
  EXPECT_EQ(notifier.NextWakeup(), now + seconds(2));

  ASSERT_TRUE(notifier.Acknowledge(1, Actor::Operator("zhang"), now).ok());
  EXPECT_EQ(notifier.OnReply(testing::kLeaderPhone, "1", now).kind,
            ReplyOutcome::Kind::kAcknowledged);
  EXPECT_EQ(notifier.tallies().acknowledged_by_operator, 1u);
  EXPECT_EQ(notifier.tallies().acknowledged_by_reply, 1u);
  EXPECT_EQ(notifier.tallies().escalations, 0u);

  // Both acknowledged: nothing escalates; a third, unacknowledged one does.
  (void)notifier.Ingest(SpecialReport("三号"), now);
  now += minutes(10);
  (void)notifier.Tick(now);
  EXPECT_EQ(notifier.tallies().escalations, 1u);
  EXPECT_EQ(MessagesTo(notifier, testing::kHeadPhone).size(), 1u);
}

TEST(Notifier, RestoredQueueIsDueAndEscalatesAsBefore) {
  Notifier first(WithGateway());
  const Time now = Morning();
  (void)first.Ingest(SpecialReport(), now);
  NotifyChanges changes = first.TakeChanges();
  Notifier notifier(WithGateway());
  notifier.Restore(changes.events, changes.messages, 1, 1);
  EXPECT_EQ(notifier.NextWakeup(), now);
  EXPECT_EQ(notifier.Tick(now).size(), 1u);
  EXPECT_EQ(notifier.NextWakeup(), now + minutes(10));
  (void)notifier.Tick(now + minutes(10));
  EXPECT_EQ(MessagesTo(notifier, testing::kHeadPhone).size(), 1u);
}

TEST(Notifier, QuietHoursHoldWarningsButNeverCriticals) {
  NotifyConfig config = WithGateway();
  config.quiet_hours = {true, 22 * 60, 7 * 60};
  config.escalation.chain.clear();
  Notifier notifier(config);
  const TimeZone zone = TimeZone::Shanghai();
  const Time night = zone.At(CivilDay(2026, 12, 2), 23, 30);
  HqAlert warning = SpecialReport("预警");
  warning.kind = "deadline_warning";
  warning.severity = Severity::kWarning;
  (void)notifier.Ingest(warning, night);
  (void)notifier.Ingest(SpecialReport(), night);
  const Message* held = notifier.FindMessage(1);
  const Message* urgent = notifier.FindMessage(2);
  EXPECT_EQ(held->next_attempt_at, zone.At(CivilDay(2026, 12, 3), 7, 0));
  EXPECT_EQ(urgent->next_attempt_at, night);
  auto due = notifier.Tick(night);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0], 2);
  // Just after midnight it is still quiet; at 07:00 the warning goes.
  EXPECT_TRUE(notifier.Tick(zone.At(CivilDay(2026, 12, 3), 6, 59)).empty());
  EXPECT_EQ(notifier.Tick(zone.At(CivilDay(2026, 12, 3), 7, 0)).size(), 1u);
}

TEST(Notifier, RateLimitDelaysButNeverDrops) {
  NotifyConfig config = WithGateway();
  config.rate_limit = {2, minutes(10)};
  config.escalation.chain.clear();
  Notifier notifier(config);
  const Time now = Morning();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(notifier.Ingest(SpecialReport("事件" + std::to_string(i)), now).has_value());
  }
  EXPECT_EQ(notifier.Tick(now).size(), 2u);
  EXPECT_EQ(notifier.NextWakeup(), now + minutes(10));
  EXPECT_TRUE(notifier.Tick(now + minutes(9)).empty());
  EXPECT_EQ(notifier.Tick(now + minutes(10)).size(), 1u);
}

TEST(Notifier, RepeatsWithinTheWindowAreDeduplicated) {
  Notifier notifier(WithGateway());
  const Time now = Morning();
  EXPECT_TRUE(notifier.Ingest(SpecialReport(), now).has_value());
  EXPECT_FALSE(notifier.Ingest(SpecialReport(), now + minutes(5)).has_value());
  EXPECT_TRUE(notifier.Ingest(SpecialReport("另一件事"), now + minutes(5)).has_value());
  EXPECT_TRUE(notifier.Ingest(SpecialReport(), now + minutes(10)).has_value());
}

TEST(Notifier, RetriesWithCappedBackoffAndNewAttemptsOnlyWhenRefused) {
  NotifyConfig config = WithGateway();
  config.retry = {seconds(2), seconds(5)};
  Notifier notifier(config);
  Time now = Morning();
  (void)notifier.Ingest(SpecialReport(), now);
  ASSERT_EQ(notifier.Tick(now).size(), 1u);
  ASSERT_TRUE(
      notifier.OnSendOutcome(1, "n1-1", {SendOutcome::Kind::kUnavailable, "503"}, now).ok());
  EXPECT_EQ(notifier.FindMessage(1)->next_attempt_at, now + seconds(2));
  now += seconds(2);
  ASSERT_EQ(notifier.Tick(now).size(), 1u);
  EXPECT_EQ(notifier.FindMessage(1)->attempt_id, "n1-2");
  // Unknown outcome (timeout): same attempt id next time.
  ASSERT_TRUE(
      notifier.OnSendOutcome(1, "n1-2", {SendOutcome::Kind::kUnknown, "timeout"}, now).ok());
  EXPECT_EQ(notifier.FindMessage(1)->next_attempt_at, now + seconds(4));
  now += seconds(4);
  ASSERT_EQ(notifier.Tick(now).size(), 1u);
  EXPECT_EQ(notifier.FindMessage(1)->attempt_id, "n1-2");
  ASSERT_TRUE(
      notifier.OnSendOutcome(1, "n1-2", {SendOutcome::Kind::kUnavailable, "503"}, now).ok());
  now += seconds(4);
  ASSERT_EQ(notifier.Tick(now).size(), 1u);
  EXPECT_EQ(notifier.FindMessage(1)->attempt_id, "n1-3");
  ASSERT_TRUE(
      notifier.OnSendOutcome(1, "n1-3", {SendOutcome::Kind::kUnavailable, "503"}, now).ok());
  now += seconds(5);  // capped: 2, 4, then 5 instead of 8
  EXPECT_EQ(notifier.FindMessage(1)->next_attempt_at, now);
  ASSERT_EQ(notifier.Tick(now).size(), 1u);
  EXPECT_EQ(notifier.FindMessage(1)->attempt_id, "n1-4");
  // A late answer to an old attempt changes nothing.
  EXPECT_FALSE(notifier.OnSendOutcome(1, "n1-3", {SendOutcome::Kind::kAccepted, ""}, now).ok());
  ASSERT_TRUE(
      notifier.OnSendOutcome(1, "n1-4", {SendOutcome::Kind::kQueuedAtGateway, "3: Queued"}, now)
          .ok());
  EXPECT_EQ(notifier.FindMessage(1)->state, MessageState::kQueuedAtSmsc);
  // Queued at the gateway is never sent again by us.
  EXPECT_TRUE(notifier.Tick(now + minutes(1)).empty());
}

TEST(Notifier, RestoreResendsWhatWasSendingWithTheSameAttemptId) {
  Notifier notifier(WithGateway());
  const Time now = Morning();
  (void)notifier.Ingest(SpecialReport(), now);
  (void)notifier.Tick(now);
  NotifyChanges changes = notifier.TakeChanges();
  Notifier restarted(WithGateway());
  restarted.Restore(changes.events, changes.messages, 1, 1);
  auto recovering = restarted.TakeRecovering();
  ASSERT_EQ(recovering.size(), 1u);
  EXPECT_EQ(restarted.FindMessage(recovering[0])->attempt_id, "n1-1");
  EXPECT_TRUE(restarted.TakeRecovering().empty());
  EXPECT_TRUE(restarted.OnSendOutcome(1, "n1-1", {SendOutcome::Kind::kAccepted, ""}, now).ok());
  // New ids continue after the stored ones.
  EXPECT_EQ(*restarted.Ingest(SpecialReport("新"), now), 2);
}

TEST(Notifier, RepliesFromUnknownNumbersAndUnknownWordsChangeNothing) {
  Notifier notifier(WithGateway());
  const Time now = Morning();
  (void)notifier.Ingest(SpecialReport(), now);
  (void)notifier.TakeChanges();
  EXPECT_EQ(notifier.OnReply("+8613999999999", "1", now).kind, ReplyOutcome::Kind::kUnknownNumber);
  ReplyOutcome unclear = notifier.OnReply(testing::kLeaderPhone, "什么事？", now);
  EXPECT_EQ(unclear.kind, ReplyOutcome::Kind::kNotUnderstood);
  EXPECT_FALSE(unclear.answer.empty());
  EXPECT_TRUE(notifier.TakeChanges().empty());
}

TEST(Notifier, DispatchOrderGoesToTheTeamAndArrivalIsReported) {
  Notifier notifier(WithGateway());
  const Time now = Morning();
  NotificationRequest order;
  order.template_id = "dispatch_order";
  order.text = "请于11:00前到达市信访局";
  order.reference_id = "INC-1";
  order.recipients = {Person{"陈队员", testing::kMemberPhone, ""}};
  ASSERT_TRUE(notifier.Ingest(order, now).has_value());
  ASSERT_EQ(MessagesTo(notifier, testing::kMemberPhone).size(), 1u);
  ReplyOutcome arrival = notifier.OnReply(testing::kMemberPhone, "到达", now + minutes(40));
  EXPECT_EQ(arrival.kind, ReplyOutcome::Kind::kArrival);
  EXPECT_EQ(arrival.reference_id, "INC-1");
  EXPECT_EQ(arrival.unit_id, "mine-3");
  // Not acknowledged in time: the unit's leader is told (the first level
  // of the chain, after the team).
  (void)notifier.Tick(now + minutes(10));
  EXPECT_EQ(MessagesTo(notifier, testing::kLeaderPhone).size(), 1u);
}

TEST(Notifier, WithoutAGatewaySmsGoToTheLogChannel) {
  NotifyConfig config;
  ASSERT_TRUE(testing::ReadConfig(testing::kRolesYaml, config).ok());
  Notifier notifier(config);
  (void)notifier.Ingest(SpecialReport(), Morning());
  EXPECT_EQ(notifier.FindMessage(1)->channel, Channel::kLog);
}

}  // namespace
}  // namespace anding::core::notify

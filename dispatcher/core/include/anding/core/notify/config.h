// Configuration of notifications (the `notifications:` section of the
// dispatcher's YAML): who can be reached (one registry built from the
// organisation's unit leaders and duty contacts and the dispatch teams'
// members, plus the roles HQ gives some of them), which event kinds notify
// which groups on which channels, templates, quiet hours, escalation,
// rate limits, retries, the SMS gateway and the webhooks.
// Thread-safety: plain values; immutable once read.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "anding/common/config.h"
#include "anding/common/time.h"
#include "anding/core/dispatch/config.h"
#include "anding/core/effects.h"
#include "anding/core/org.h"

namespace anding::core::notify {

using Severity = HqAlert::Severity;

enum class Channel { kSms, kWebhook, kLog };

// "sms", "webhook", "log".
[[nodiscard]] std::string_view ChannelName(Channel channel);
[[nodiscard]] std::optional<Channel> ParseChannel(std::string_view name);
// "info", "warning", "critical".
[[nodiscard]] std::string_view SeverityName(Severity severity);
[[nodiscard]] std::optional<Severity> ParseSeverity(std::string_view name);

// Roles every registry knows; `roles:` in the configuration adds others.
inline constexpr std::string_view kRoleUnitLeader = "unit_leader";
inline constexpr std::string_view kRolePetitionOfficer = "petition_officer";
inline constexpr std::string_view kRoleTeamMember = "team_member";

// Someone with a phone. The phone (E.164) is the key: one person listed
// as a unit leader and as a team member is one recipient with two roles.
struct Recipient {
  std::string phone;
  std::string name;
  std::string title;
  std::string unit_id;  // the unit they belong to (team members: the team's home unit)
  std::set<std::string> roles;
};

class RecipientRegistry {
 public:
  RecipientRegistry() = default;
  // Every unit's leaders (unit_leader) and duty contacts (petition_officer)
  // and every team member (team_member) that has a phone.
  RecipientRegistry(const Organisation& org, const dispatch::DispatchConfig& dispatch);

  // Adds `role` to the recipient with `phone`. NotFound when nobody in the
  // registry has that phone.
  [[nodiscard]] Status AddRole(std::string_view phone, std::string_view role);

  [[nodiscard]] const Recipient* Find(std::string_view phone) const;
  [[nodiscard]] const std::map<std::string, Recipient, std::less<>>& all() const {
    return by_phone_;
  }

  // The people a group names for an event concerning `unit_id`:
  //   unit_leaders       leaders of that unit
  //   petition_officers  its duty contacts
  //   assigned           `assigned` (the people an order names)
  //   <role>             everyone with that role (hq_duty, petition_office_head, ...)
  // Sorted by phone, without duplicates; people without a phone are left out.
  [[nodiscard]] std::vector<Person> Resolve(std::string_view group, std::string_view unit_id,
                                            const std::vector<Person>& assigned) const;

 private:
  void Add(const Person& person, std::string_view unit_id, std::string_view role);
  std::map<std::string, Recipient, std::less<>> by_phone_;
};

// Which event kind (an HQ alert's kind or a notification request's
// template id) notifies whom, how.
struct RoutingRule {
  std::string kind;
  // Alerts below this severity are not routed by this rule.
  Severity min_severity = Severity::kInfo;
  // The severity given to notification requests of this kind (they carry
  // none): decides quiet hours.
  Severity severity = Severity::kCritical;
  std::vector<std::string> groups;
  std::vector<Channel> channels = {Channel::kSms};
  // Escalates along the chain until someone acknowledges.
  bool require_ack = false;
};

// The rules used when the configuration lists none: special reports,
// dispatch orders, deadline warnings and breaches, agent offline,
// storage failures and no-rule incidents.
[[nodiscard]] std::vector<RoutingRule> DefaultRoutingRules();

struct QuietHours {
  bool enabled = false;
  int start_minute = 22 * 60;  // local minutes after midnight
  int end_minute = 7 * 60;
};

struct Escalation {
  // Not acknowledged (or, for kinds that need none, not delivered) this
  // long after the last level was notified: notify the next level.
  Duration after = std::chrono::minutes(15);
  std::vector<std::string> chain = {"unit_leaders", "petition_office_head", "hq_duty"};
};

struct RateLimit {
  uint32_t messages = 20;                      // per recipient ...
  Duration window = std::chrono::minutes(10);  // ... in any such window
};

struct Retry {
  Duration initial = std::chrono::seconds(2);
  Duration max = std::chrono::minutes(5);
};

struct KannelGateway {
  std::string sendsms_url;  // "http://127.0.0.1:13013/cgi-bin/sendsms"
  std::string username;
  std::string password;
  std::string sender;  // the `from` number, may be empty
  // Base URL at which Kannel reaches the dispatcher's HTTP listener, for
  // delivery reports: "http://127.0.0.1:8080".
  std::string callback_url;
  uint32_t dlr_mask = 31;
  Duration timeout = std::chrono::seconds(10);
};

struct Webhook {
  std::string name;
  std::string url;  // http:// only (loopback or a trusted network)
  std::string secret;
  Duration timeout = std::chrono::seconds(10);
};

struct NotifyConfig {
  // Kannel, or nullopt: SMS go to the log channel, which says so.
  std::optional<KannelGateway> kannel;
  // Shared secret Kannel presents on delivery reports and replies
  // (`token=` in the URL). Required with a gateway.
  std::string callback_token;
  std::vector<Webhook> webhooks;
  RecipientRegistry registry;
  std::vector<RoutingRule> rules = DefaultRoutingRules();
  std::string language = "zh";
  // kind → language → template text; missing ones fall back to the
  // built-in templates (DefaultTemplate).
  std::map<std::string, std::map<std::string, std::string>> templates;
  QuietHours quiet_hours;
  Escalation escalation;
  RateLimit rate_limit;
  Retry retry;
  Duration dedup_window = std::chrono::minutes(10);
  uint32_t max_parts = 6;  // longer texts are cut (never inside a character)
  TimeZone zone = TimeZone::Shanghai();
  std::map<std::string, std::string, std::less<>> unit_names;  // id → name, for {unit}
};

// Reads the optional `notifications:` section. Every mistake is recorded
// on the nodes (ConfigDocument::Finish reports them with file:line:key):
// unknown channels, severities, groups or roles, role phones nobody in the
// registry has, a gateway without its URL or token, webhooks without a
// secret, bad times or durations, unknown template placeholders. On errors
// the returned value is partial and must not be used.
[[nodiscard]] NotifyConfig ReadNotifyConfig(ConfigNode& root, const Organisation& org,
                                            const dispatch::DispatchConfig& dispatch);

}  // namespace anding::core::notify

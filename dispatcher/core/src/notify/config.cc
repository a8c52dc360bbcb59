#include "anding/core/notify/config.h"

#include <algorithm>

#include "anding/common/strings.h"
#include "anding/core/notify/templates.h"

namespace anding::core::notify {
namespace {

bool IsPhone(std::string_view phone) {
  if (phone.size() < 6 || phone.size() > 16 || phone[0] != '+') return false;
  return std::all_of(phone.begin() + 1, phone.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsHttpUrl(std::string_view url) { return url.rfind("http://", 0) == 0 && url.size() > 7; }

// "22:00" → minutes after midnight, or -1.
int ParseClock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return -1;
  for (size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return -1;
  }
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (hour > 23 || minute > 59) return -1;
  return hour * 60 + minute;
}

Duration ReadDuration(ConfigNode& node, std::string_view key, Duration fallback) {
  const Duration value = node.Get<Duration>(key, fallback);
  if (node.Has(key) && value <= Duration::zero()) node.Error(key, "must be greater than zero");
  return value;
}

uint32_t ReadCount(ConfigNode& node, std::string_view key, uint32_t fallback, int64_t min,
                   int64_t max) {
  const int64_t value = node.Get<int64_t>(key, fallback);
  if (value < min || value > max) {
    node.Error(key, StrCat("must be between ", min, " and ", max));
    return fallback;
  }
  return static_cast<uint32_t>(value);
}

bool KnownGroup(std::string_view group, const std::set<std::string>& roles) {
  return group == "unit_leaders" || group == "petition_officers" || group == "assigned" ||
         roles.count(std::string(group)) != 0;
}

void ReadGateway(ConfigNode& section, NotifyConfig& config) {
  auto node = section.OptionalMap("gateway");
  if (!node) return;
  const std::string kind = node->Get<std::string>("kind", "kannel");
  if (kind == "none") return;
  if (kind != "kannel") {
    node->Error("kind", "expected kannel or none");
    return;
  }
  KannelGateway kannel;
  kannel.sendsms_url = node->Get<std::string>("sendsms_url");
  if (!kannel.sendsms_url.empty() && !IsHttpUrl(kannel.sendsms_url)) {
    node->Error("sendsms_url",
                "must be an http:// URL, for example "
                "http://127.0.0.1:13013/cgi-bin/sendsms");
  }
  kannel.username = node->Get<std::string>("username");
  kannel.password = node->Get<std::string>("password");
  kannel.sender = node->Get<std::string>("sender", "");
  kannel.callback_url = node->Get<std::string>("callback_url");
  if (!kannel.callback_url.empty() && !IsHttpUrl(kannel.callback_url)) {
    node->Error("callback_url", "must be the http:// URL at which Kannel reaches the dispatcher");
  }
  while (!kannel.callback_url.empty() && kannel.callback_url.back() == '/') {
    kannel.callback_url.pop_back();
  }
  kannel.dlr_mask = ReadCount(*node, "dlr_mask", kannel.dlr_mask, 0, 31);
  kannel.timeout = ReadDuration(*node, "timeout", kannel.timeout);
  config.callback_token = node->Get<std::string>("callback_token");
  if (node->Has("callback_token") && config.callback_token.size() < 16) {
    node->Error("callback_token", "must be at least 16 characters (a shared secret)");
  }
  config.kannel = std::move(kannel);
}

void ReadWebhooks(ConfigNode& section, NotifyConfig& config) {
  std::set<std::string> names;
  for (auto& node : section.List("webhooks")) {
    Webhook webhook;
    webhook.name = node.Get<std::string>("name");
    webhook.url = node.Get<std::string>("url");
    webhook.secret = node.Get<std::string>("secret");
    webhook.timeout = ReadDuration(node, "timeout", webhook.timeout);
    if (!webhook.url.empty() && !IsHttpUrl(webhook.url)) node.Error("url", "must be http://");
    if (node.Has("secret") && webhook.secret.size() < 16) {
      node.Error("secret", "must be at least 16 characters");
    }
    if (!names.insert(webhook.name).second) {
      node.Error("name", StrCat("duplicate webhook '", webhook.name, "'"));
    }
    config.webhooks.push_back(std::move(webhook));
  }
}

void ReadRoles(ConfigNode& section, NotifyConfig& config, std::set<std::string>& roles) {
  for (auto& [role, node] : section.Entries("roles")) {
    roles.insert(role);
    for (auto& phone_node : node.List("phones")) {
      const std::string phone = phone_node.As<std::string>();
      if (!IsPhone(phone)) {
        phone_node.Error("must be in E.164 form, for example +8613800000000");
      } else if (Status added = config.registry.AddRole(phone, role); !added.ok()) {
        phone_node.Error(StrCat(added.message(),
                                ": list the person as a unit leader or duty contact "
                                "(units:) or a team member (dispatch.teams:) first"));
      }
    }
  }
}

void ReadRules(ConfigNode& section, NotifyConfig& config, const std::set<std::string>& roles) {
  if (!section.Has("routing")) {
    (void)section.List("routing");
    return;
  }
  config.rules.clear();
  for (auto& node : section.List("routing")) {
    RoutingRule rule;
    rule.kind = node.Get<std::string>("kind");
    if (node.Has("min_severity")) {
      auto severity = ParseSeverity(node.Get<std::string>("min_severity"));
      if (!severity) node.Error("min_severity", "expected info, warning or critical");
      rule.min_severity = severity.value_or(Severity::kInfo);
    }
    if (node.Has("severity")) {
      auto severity = ParseSeverity(node.Get<std::string>("severity"));
      if (!severity) node.Error("severity", "expected info, warning or critical");
      rule.severity = severity.value_or(Severity::kCritical);
    }
    rule.groups = node.Strings("groups");
    if (rule.groups.empty()) node.Error("groups", "name at least one group");
    for (const auto& group : rule.groups) {
      if (!KnownGroup(group, roles)) {
        node.Error("groups", StrCat("unknown group '", group,
                                    "': use unit_leaders, petition_officers, assigned or a role "
                                    "listed under notifications.roles"));
      }
    }
    if (node.Has("channels")) {
      rule.channels.clear();
      for (const auto& name : node.Strings("channels")) {
        auto channel = ParseChannel(name);
        if (!channel || *channel == Channel::kLog) {
          node.Error("channels", StrCat("unknown channel '", name, "': use sms or webhook"));
        } else {
          rule.channels.push_back(*channel);
        }
      }
    }
    rule.require_ack = node.Get<bool>("require_ack", false);
    config.rules.push_back(std::move(rule));
  }
}

void ReadTemplates(ConfigNode& section, NotifyConfig& config) {
  for (auto& [kind, languages] : section.Entries("templates")) {
    for (auto& [language, text_node] : languages.Entries()) {
      const std::string text = text_node.As<std::string>();
      if (Status ok = CheckTemplate(text); !ok.ok()) {
        text_node.Error(std::string(ok.message()));
      }
      config.templates[kind][language] = text;
    }
  }
}

}  // namespace

std::string_view ChannelName(Channel channel) {
  switch (channel) {
    case Channel::kSms:
      return "sms";
    case Channel::kWebhook:
      return "webhook";
    case Channel::kLog:
      break;
  }
  return "log";
}

std::optional<Channel> ParseChannel(std::string_view name) {
  for (Channel channel : {Channel::kSms, Channel::kWebhook, Channel::kLog}) {
    if (ChannelName(channel) == name) return channel;
  }
  return std::nullopt;
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kCritical:
      return "critical";
    case Severity::kWarning:
      break;
  }
  return "warning";
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  for (Severity severity : {Severity::kInfo, Severity::kWarning, Severity::kCritical}) {
    if (SeverityName(severity) == name) return severity;
  }
  return std::nullopt;
}

RecipientRegistry::RecipientRegistry(const Organisation& org,
                                     const dispatch::DispatchConfig& dispatch) {
  for (const Unit& unit : org.units()) {
    for (const Person& leader : unit.leaders) Add(leader, unit.id, kRoleUnitLeader);
    for (const Person& contact : unit.duty_contacts) Add(contact, unit.id, kRolePetitionOfficer);
  }
  for (const auto& team : dispatch.teams) {
    for (const auto& member : team.members) Add(member.person, team.home_unit_id, kRoleTeamMember);
  }
}

void RecipientRegistry::Add(const Person& person, std::string_view unit_id, std::string_view role) {
  if (person.phone.empty()) return;
  auto [it, inserted] = by_phone_.try_emplace(person.phone);
  Recipient& recipient = it->second;
  if (inserted) {
    recipient.phone = person.phone;
    recipient.name = person.name;
    recipient.title = person.title;
    recipient.unit_id = std::string(unit_id);
  }
  recipient.roles.insert(std::string(role));
}

Status RecipientRegistry::AddRole(std::string_view phone, std::string_view role) {
  auto it = by_phone_.find(phone);
  if (it == by_phone_.end()) return NotFoundError(StrCat("nobody has the phone ", phone));
  it->second.roles.insert(std::string(role));
  return OkStatus();
}

const Recipient* RecipientRegistry::Find(std::string_view phone) const {
  auto it = by_phone_.find(phone);
  return it == by_phone_.end() ? nullptr : &it->second;
}

std::vector<Person> RecipientRegistry::Resolve(std::string_view group, std::string_view unit_id,
                                               const std::vector<Person>& assigned) const {
  std::map<std::string, Person> found;
  if (group == "assigned") {
    for (const Person& person : assigned) {
      if (!person.phone.empty()) found.try_emplace(person.phone, person);
    }
  } else {
    std::string_view role = group;
    bool same_unit = false;
    if (group == "unit_leaders") {
      role = kRoleUnitLeader;
      same_unit = true;
    } else if (group == "petition_officers") {
      role = kRolePetitionOfficer;
      same_unit = true;
    }
    for (const auto& [phone, recipient] : by_phone_) {
      if (recipient.roles.count(std::string(role)) == 0) continue;
      if (same_unit && recipient.unit_id != unit_id) continue;
      found.try_emplace(phone, Person{recipient.name, recipient.phone, recipient.title});
    }
  }
  std::vector<Person> people;
  for (auto& [phone, person] : found) people.push_back(std::move(person));
  return people;
}

std::vector<RoutingRule> DefaultRoutingRules() {
  auto rule = [](std::string kind, Severity severity, std::vector<std::string> groups,
                 bool require_ack) {
    RoutingRule r;
    r.kind = std::move(kind);
    r.severity = severity;
    r.groups = std::move(groups);
    r.require_ack = require_ack;
    return r;
  };
  return {
      rule("special_report", Severity::kCritical, {"unit_leaders"}, true),
      rule("dispatch_order", Severity::kCritical, {"assigned"}, true),
      rule("deadline_warning", Severity::kWarning, {"unit_leaders"}, true),
      rule("deadline_breach", Severity::kCritical, {"unit_leaders", "petition_office_head"}, false),
      rule("agent_offline", Severity::kWarning, {"petition_officers"}, true),
      rule("storage_failure", Severity::kCritical, {"hq_duty"}, false),
      rule("no_rule", Severity::kCritical, {"petition_office_head"}, false),
  };
}

NotifyConfig ReadNotifyConfig(ConfigNode& root, const Organisation& org,
                              const dispatch::DispatchConfig& dispatch) {
  NotifyConfig config;
  config.zone = org.time_zone();
  config.registry = RecipientRegistry(org, dispatch);
  for (const Unit& unit : org.units()) config.unit_names[unit.id] = unit.name;
  auto section = root.OptionalMap("notifications");
  // The default rules' roles exist even when nobody holds them yet.
  std::set<std::string> roles = {"hq_duty", "petition_office_head", std::string(kRoleUnitLeader),
                                 std::string(kRolePetitionOfficer), std::string(kRoleTeamMember)};
  if (!section) return config;
  ReadGateway(*section, config);
  ReadWebhooks(*section, config);
  ReadRoles(*section, config, roles);
  ReadRules(*section, config, roles);
  ReadTemplates(*section, config);
  config.language = section->Get<std::string>("language", config.language);
  if (config.language != "zh" && config.language != "en") {
    section->Error("language", "expected zh or en");
  }
  if (auto quiet = section->OptionalMap("quiet_hours")) {
    config.quiet_hours.enabled = true;
    config.quiet_hours.start_minute = ParseClock(quiet->Get<std::string>("start"));
    config.quiet_hours.end_minute = ParseClock(quiet->Get<std::string>("end"));
    if (config.quiet_hours.start_minute < 0) quiet->Error("start", "expected HH:MM, 24-hour");
    if (config.quiet_hours.end_minute < 0) quiet->Error("end", "expected HH:MM, 24-hour");
  }
  if (auto escalation = section->OptionalMap("escalation")) {
    config.escalation.after = ReadDuration(*escalation, "after", config.escalation.after);
    if (escalation->Has("chain")) {
      config.escalation.chain = escalation->Strings("chain");
      for (const auto& group : config.escalation.chain) {
        if (!KnownGroup(group, roles) || group == "assigned") {
          escalation->Error("chain", StrCat("unknown group '", group, "'"));
        }
      }
    }
  }
  if (auto limit = section->OptionalMap("rate_limit")) {
    config.rate_limit.messages =
        ReadCount(*limit, "messages", config.rate_limit.messages, 1, 10000);
    config.rate_limit.window = ReadDuration(*limit, "window", config.rate_limit.window);
  }
  if (auto retry = section->OptionalMap("retry")) {
    config.retry.initial = ReadDuration(*retry, "initial", config.retry.initial);
    config.retry.max = ReadDuration(*retry, "max", config.retry.max);
    if (config.retry.max < config.retry.initial) retry->Error("max", "must be at least initial");
  }
  config.dedup_window = ReadDuration(*section, "dedup_window", config.dedup_window);
  config.max_parts = ReadCount(*section, "max_parts", config.max_parts, 1, 10);
  for (const auto& rule : config.rules) {
    const bool wants_webhook = std::find(rule.channels.begin(), rule.channels.end(),
                                         Channel::kWebhook) != rule.channels.end();
    if (wants_webhook && config.webhooks.empty()) {
      section->Error("routing", StrCat("rule '", rule.kind,
                                       "' sends to webhooks but notifications.webhooks is empty"));
    }
  }
  return config;
}

}  // namespace anding::core::notify

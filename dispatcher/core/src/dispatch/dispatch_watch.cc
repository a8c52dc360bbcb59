// DispatchModule: the deadline watch. Each response not yet arrived (on an
// incident not yet settled) has one entry in watch_ at the next instant
// something is due for it: a warning at deadline - lead, or the breach one
// microsecond after the deadline (arriving at the deadline is on time).
#include <algorithm>
#include <chrono>

#include "anding/common/strings.h"
#include "anding/core/dispatch/dispatch_module.h"
#include "invariant.h"
#include "resource_pool.h"
#include "texts.h"

namespace anding::core::dispatch {
namespace {

constexpr Duration kBreachAfter{1};  // one microsecond past the deadline

bool Done(const Response& response, Duration lead) {
  return std::find(response.warnings_done.begin(), response.warnings_done.end(), lead) !=
         response.warnings_done.end();
}

// Who hears about a warning or breach: the people of the confirmed
// assignment, and the unit's leaders.
std::vector<Person> Recipients(const Organisation& org, const Incident& incident,
                               const Response& response) {
  std::vector<Person> recipients;
  const Assignment* active = ActiveAssignment(incident, response.unit_id);
  if (active != nullptr && active->state == AssignmentState::kConfirmed) {
    recipients = texts::AssignmentRecipients(*active);
  }
  if (const Unit* unit = org.FindUnit(response.unit_id)) {
    texts::AddPeople(recipients, unit->leaders);
  }
  return recipients;
}

}  // namespace

std::optional<Time> DispatchModule::WatchDue(const DispatchConfig& config, const Incident& incident,
                                             const Response& response) {
  if (!OnDeadlineWatch(incident, response)) return std::nullopt;
  const Time deadline = response.deadline->at;
  Time due = deadline + kBreachAfter;
  for (Duration lead : config.warning_lead_times) {
    if (!Done(response, lead)) due = std::min(due, deadline - lead);
  }
  return due;
}

void DispatchModule::RefreshWatch(const Incident& incident, size_t index) {
  const auto key = std::make_pair(incident.sequence, index);
  if (auto it = watch_due_.find(key); it != watch_due_.end()) {
    watch_.erase(WatchKey{it->second, incident.sequence, index});
    watch_due_.erase(it);
  }
  const std::optional<Time> due = WatchDue(*config_, incident, incident.responses[index]);
  if (!due) return;
  watch_.insert(WatchKey{*due, incident.sequence, index});
  watch_due_[key] = *due;
}

void DispatchModule::RefreshPending(const Incident& incident, size_t index) {
  const Response& response = incident.responses[index];
  const PendingKey key{incident.sequence, index};
  if (WaitingForTeam(incident, response)) {
    pending_.insert(key);
  } else {
    pending_.erase(key);
  }
}

void DispatchModule::RefreshIncident(const Incident& incident) {
  for (size_t i = 0; i < incident.responses.size(); ++i) {
    RefreshWatch(incident, i);
    RefreshPending(incident, i);
  }
}

void DispatchModule::FireBreach(Incident& incident, size_t index, Time now, std::string_view why,
                                Effects& out) {
  Response& response = incident.responses[index];
  const Time deadline = response.deadline->at;
  const Assignment* active = ActiveAssignment(incident, response.unit_id);
  response.breach_at = now;
  for (Duration lead : config_->warning_lead_times) {
    if (!Done(response, lead)) response.warnings_done.push_back(lead);
  }
  std::string text =
      StrCat(incident.id, ": ", response.unit_id, " was not on the scene by its deadline ",
             Local(deadline), " (", response.deadline->rule_text, ")");
  if (!why.empty()) {
    StrAppend(text, "; ", why);
  } else if (active == nullptr) {
    StrAppend(text, "; no team is assigned");
  }
  AddTimeline(incident, now, now, Actor::System(), "deadline_breach", response.unit_id, text);
  out.alerts.push_back(HqAlert{HqAlert::Severity::kCritical, "deadline_breach", incident.id,
                               response.unit_id, text});
  out.notices.push_back(FeedNotice{std::string(kIncidentRecord), incident.id, "deadline_breach",
                                   text, response.unit_id});
  if (!why.empty()) return;  // a late arrival: nobody needs chasing any more
  const std::vector<Person> recipients = Recipients(org_, incident, response);
  if (!recipients.empty()) {
    out.notifications.push_back(NotificationRequest{
        recipients, "deadline_breach",
        StrCat("【安定】", incident.id, "：", texts::UnitName(org_, response.unit_id),
               "已超过到达时限", Local(deadline), "，尚未确认到达，请立即报告。"),
        incident.id});
  }
}

Time DispatchModule::NextWakeup() const {
  return watch_.empty() ? Time::max() : watch_.begin()->due;
}

void DispatchModule::Tick(Time now, Effects& out) {
  while (!watch_.empty() && watch_.begin()->due <= now) {
    const WatchKey key = *watch_.begin();
    Incident* incident = IncidentBySequence(key.sequence);
    if (incident == nullptr) {
      // A parked incident the store cannot give now: a minute later.
      if (!IsParked(key.sequence)) Die(StrCat("watched incident #", key.sequence, " vanished"));
      watch_.erase(watch_.begin());
      const Time later = now + std::chrono::minutes(1);
      watch_.insert(WatchKey{later, key.sequence, key.response});
      watch_due_[{key.sequence, key.response}] = later;
      continue;
    }
    Response& response = incident->responses[key.response];
    const Time deadline = response.deadline->at;
    if (now >= deadline + kBreachAfter) {
      FireBreach(*incident, key.response, now, "", out);
      // A unit still waiting for a team gets the fastest one now, late.
      if (pending_.count(PendingKey{key.sequence, key.response}) != 0) {
        ProposeFor(*incident, key.response, now, out);
      }
    } else {
      // Every lead now due is done; only the most urgent one is announced.
      Duration fired = Duration::max();
      for (Duration lead : config_->warning_lead_times) {
        if (!Done(response, lead) && deadline - lead <= now) {
          response.warnings_done.push_back(lead);
          fired = std::min(fired, lead);
        }
      }
      const Assignment* active = ActiveAssignment(*incident, response.unit_id);
      const Duration left = deadline - now;
      const std::string text =
          StrCat(incident->id, ": ", response.unit_id, " has not confirmed arrival; deadline ",
                 Local(deadline), " in ", FormatDuration(left), " (", FormatDuration(fired),
                 " warning)", active == nullptr ? "; no team is assigned" : "");
      AddTimeline(*incident, now, now, Actor::System(), "deadline_warning", response.unit_id, text);
      out.alerts.push_back(HqAlert{HqAlert::Severity::kWarning, "deadline_warning", incident->id,
                                   response.unit_id, text});
      out.notices.push_back(FeedNotice{std::string(kIncidentRecord), incident->id,
                                       "deadline_warning", text, response.unit_id});
      const std::vector<Person> recipients = Recipients(org_, *incident, response);
      if (!recipients.empty()) {
        out.notifications.push_back(NotificationRequest{
            recipients, "deadline_warning",
            StrCat("【安定】", incident->id, "：距到达时限", Local(deadline), "还有",
                   std::chrono::duration_cast<std::chrono::minutes>(left).count(), "分钟，",
                   texts::UnitName(org_, response.unit_id), "尚未确认到达。"),
            incident->id});
      }
    }
    RefreshWatch(*incident, key.response);
    Touch(*incident, now, out);
  }
}

}  // namespace anding::core::dispatch

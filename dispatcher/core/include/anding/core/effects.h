// The vocabulary every domain module of the core uses to say what should
// happen outside it. A command on a module returns its result and appends
// to an Effects; the dispatcher's shell then persists the changed records,
// publishes the notices, sends the orders, raises the alerts and routes the
// domain events to the other modules, all after one commit.
//
// Rules for modules (see dispatcher/core/README.md):
//  * No sockets, SQL, protobuf or clock reads: time comes in as `now`.
//  * A command that fails returns a Status and leaves both the module's
//    state and the Effects untouched.
//  * Timers are not effects: each module reports NextWakeup() and does
//    everything due in Tick(now), remembering in its own (persisted) state
//    what already fired, so a restart fires overdue work exactly once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "anding/common/time.h"
#include "anding/core/org.h"
#include "anding/core/risk_level.h"

namespace anding::core {

// Who caused a change. Recorded with every change, shown in timelines.
struct Actor {
  enum class Kind { kAgent, kOperator, kSystem, kSms };
  Kind kind = Kind::kSystem;
  // Unit id for agents, operator name, phone number for SMS, empty for the
  // system (timers).
  std::string id;

  static Actor Agent(std::string unit_id) { return {Kind::kAgent, std::move(unit_id)}; }
  static Actor Operator(std::string name) { return {Kind::kOperator, std::move(name)}; }
  static Actor System() { return {Kind::kSystem, ""}; }
  static Actor Sms(std::string phone) { return {Kind::kSms, std::move(phone)}; }

  // "agent:mine-3", "operator:zhang", "system", "sms:+8613800000000".
  [[nodiscard]] std::string ToString() const;
  // Inverse of ToString; nullopt for malformed text.
  [[nodiscard]] static std::optional<Actor> Parse(std::string_view text);
  friend bool operator==(const Actor&, const Actor&) = default;
};

// A record whose persisted form must be rewritten after this command.
struct RecordRef {
  std::string kind;  // "incident", "ledger_item", "transfer", "account", ...
  std::string id;
  friend bool operator==(const RecordRef&, const RecordRef&) = default;
};

// A committed change, for the live feed and the dashboard.
struct FeedNotice {
  std::string kind;  // as RecordRef::kind, or "alert"
  std::string id;
  std::string state;    // new state or event name: "dispatched", "breach", ...
  std::string summary;  // one line, UTF-8
  std::string unit_id;  // unit concerned, if any
};

// Something HQ must look at now.
struct HqAlert {
  enum class Severity { kInfo, kWarning, kCritical };
  Severity severity = Severity::kWarning;
  // Machine-readable kind: "no_rule", "no_feasible_assignment",
  // "deadline_warning", "deadline_breach", "special_report", "overdraft",
  // "low_balance", "report_overdue", "agent_offline", ...
  std::string kind;
  std::string reference_id;  // incident, ledger item, account, unit
  std::string unit_id;
  std::string text;  // one or two lines, UTF-8
};

enum class OrderKind { kDispatch, kReminder, kSupervision, kNotice };

struct AssignedPerson {
  std::string member_id;
  Person person;
  std::string role;  // "leader", "staff", "driver"
};

struct DispatchDetails {
  std::string incident_id;
  std::string region_id;
  std::string address;
  Time arrive_by{};
  std::string team_id;
  std::vector<AssignedPerson> members;
  std::vector<std::string> vehicle_ids;
  std::string deadline_rule;  // which rule produced arrive_by, for people
  std::string summary;
  uint32_t persons = 0;  // petitioners at the scene
};

// An order for a unit's agent: stored, sent down the link, acknowledged.
struct OrderRequest {
  std::string unit_id;
  OrderKind kind = OrderKind::kNotice;
  std::string title;
  std::string text;
  std::string reference_id;
  std::optional<Time> respond_by;
  std::optional<DispatchDetails> dispatch;
};

// A message for people's phones (delivered by the notifications capability).
struct NotificationRequest {
  std::vector<Person> recipients;
  std::string template_id;  // "dispatch_order", "deadline_warning", ...
  std::string text;         // rendered text, UTF-8
  std::string reference_id;
};

// ---- events one module raises for another (routed by the core facade) ----

// An assignment was confirmed: people and vehicles are going.
struct DispatchConfirmed {
  std::string incident_id;
  std::string unit_id;             // the responding unit (whose reserve pays)
  std::string destination_region;  // region id of the incident
  RegionKind destination_kind = RegionKind::kOther;
  uint32_t people = 0;  // team members sent
  uint32_t vehicles = 0;
  double distance_km = 0;  // one way, from the unit to the scene
};

// A confirmed assignment was called off before the incident ended (replaced
// by a re-proposal, an override or a reassignment): its team stands down and
// the money held for its trip is no longer needed.
struct DispatchCancelled {
  std::string incident_id;
  std::string unit_id;  // the responding unit, as in its DispatchConfirmed
  std::string reason;
};

// The petitioners were persuaded to leave: teams come home, and the
// aftermath (善后) begins.
// (Every field after the id has a default, so `IncidentSettled{id}` is
// enough where only the id matters.)
struct IncidentSettled {
  std::string incident_id;
  std::vector<std::string> unit_ids{};  // the involved units, first = where it started
  std::string category_id{};            // may be empty
  std::string summary{};
  uint32_t persons = 0;
  RiskLevel grade = RiskLevel::kLow;
  Time settled_at{};  // as reported
};

// A new incident was registered.
struct IncidentReported {
  std::string incident_id;
  std::vector<std::string> unit_ids;  // the involved units
  std::string category_id;            // may be empty
  std::string summary;
  Time reported_at{};
};

// An early warning (苗头动向) was received and put on the ledger.
struct WarningReceived {
  std::string warning_id;
  std::string ledger_item_id;  // the item it created or was attached to
  std::string unit_id;
  std::string category_id;
  std::string summary;
  Time received_at{};
};

// The incident is closed (aftermath done).
struct IncidentClosed {
  std::string incident_id;
};

// The incident was reported in error and cancelled before it was settled:
// whatever was reserved for it is no longer needed.
struct IncidentCancelled {
  std::string incident_id;
  std::string reason;
};

using DomainEvent =
    std::variant<DispatchConfirmed, DispatchCancelled, IncidentSettled, IncidentClosed,
                 IncidentCancelled, IncidentReported, WarningReceived>;

struct Effects {
  std::vector<RecordRef> changed;
  std::vector<FeedNotice> notices;
  std::vector<HqAlert> alerts;
  std::vector<OrderRequest> orders;
  std::vector<NotificationRequest> notifications;
  std::vector<DomainEvent> events;

  [[nodiscard]] bool empty() const {
    return changed.empty() && notices.empty() && alerts.empty() && orders.empty() &&
           notifications.empty() && events.empty();
  }
  // Appends everything in `other`.
  void Append(Effects other);
};

}  // namespace anding::core

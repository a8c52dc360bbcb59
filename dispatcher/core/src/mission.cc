#include "anding/core/mission.h"

#include <algorithm>

namespace anding::core {

MissionConfig ReadMissionConfig(ConfigNode& root, const Organisation& org) {
  MissionConfig config;
  config.ledger = ledger::ReadLedgerConfig(root, org);
  config.funds = funds::ReadFundsConfig(root, org);
  config.dispatch = dispatch::ReadDispatchConfig(root, org);
  return config;
}

Result<std::unique_ptr<Mission>> Mission::Create(const Organisation& org, MissionConfig config,
                                                 MissionSnapshot snapshot) {
  ANDING_ASSIGN_OR_RETURN(funds::Funds funds,
                          funds::Funds::Restore(config.funds, std::move(snapshot.funds)));
  ANDING_ASSIGN_OR_RETURN(
      auto dispatch,
      dispatch::DispatchModule::Restore(config.dispatch, org, std::move(snapshot.dispatch)));
  return std::unique_ptr<Mission>(new Mission(org, std::move(config), std::move(snapshot.ledger),
                                              std::move(funds), std::move(dispatch)));
}

Mission::Mission(const Organisation& org, MissionConfig config, ledger::LedgerSnapshot ledger,
                 funds::Funds funds, std::unique_ptr<dispatch::DispatchModule> dispatch)
    : org_(org),
      config_(std::move(config)),
      ledger_(org, config_.ledger, std::move(ledger)),
      funds_(std::move(funds)),
      dispatch_(std::move(dispatch)) {}

Status Mission::Start(Time now, Effects& out) { return funds_.ApplyConfig(now, out); }

void Mission::Route(Time now, Effects& out) {
  // A confirmed dispatch holds its estimated cost on the responding unit's
  // reserve; settling or closing the incident releases what was not spent.
  // Events may raise further events; deliver until none are left.
  while (!out.events.empty()) {
    std::vector<DomainEvent> events = std::move(out.events);
    out.events.clear();
    for (const DomainEvent& event : events) funds_.OnEvent(event, now, out);
  }
}

Time Mission::NextWakeup() const {
  Time next = std::min(ledger_.NextWakeup(), dispatch_->NextWakeup());
  if (auto funds = funds_.NextWakeup()) next = std::min(next, *funds);
  return next;
}

void Mission::Tick(Time now, Effects& out) {
  ledger_.Tick(now, out);
  dispatch_->Tick(now, out);
  funds_.Tick(now, out);
  Route(now, out);
}

std::map<std::string, uint32_t, std::less<>> Mission::IncidentsOn(CivilDay day) const {
  std::map<std::string, uint32_t, std::less<>> counts;
  dispatch::IncidentFilter filter;
  filter.reported_since = org_.time_zone().StartOf(day);
  filter.reported_before = org_.time_zone().StartOf(day + 1);
  filter.limit = 0;
  for (const dispatch::Incident* incident : dispatch_->ListIncidents(filter)) {
    for (const auto& response : incident->responses) ++counts[response.unit_id];
  }
  return counts;
}

}  // namespace anding::core

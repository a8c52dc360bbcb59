#include "anding/core/mission.h"

#include <algorithm>

namespace anding::core {

MissionConfig ReadMissionConfig(ConfigNode& root, const Organisation& org) {
  MissionConfig config;
  config.ledger = ledger::ReadLedgerConfig(root, org);
  config.funds = funds::ReadFundsConfig(root, org);
  return config;
}

Result<std::unique_ptr<Mission>> Mission::Create(const Organisation& org, MissionConfig config,
                                                 MissionSnapshot snapshot) {
  ANDING_ASSIGN_OR_RETURN(funds::Funds funds,
                          funds::Funds::Restore(config.funds, std::move(snapshot.funds)));
  return std::unique_ptr<Mission>(
      new Mission(org, std::move(config), std::move(snapshot.ledger), std::move(funds)));
}

Mission::Mission(const Organisation& org, MissionConfig config, ledger::LedgerSnapshot ledger,
                 funds::Funds funds)
    : org_(org),
      config_(std::move(config)),
      ledger_(org, config_.ledger, std::move(ledger)),
      funds_(std::move(funds)) {}

Status Mission::Start(Time now, Effects& out) { return funds_.ApplyConfig(now, out); }

void Mission::Route(Time now, Effects& out) {
  // Events may raise further events; deliver until none are left.
  while (!out.events.empty()) {
    std::vector<DomainEvent> events = std::move(out.events);
    out.events.clear();
    for (const DomainEvent& event : events) funds_.OnEvent(event, now, out);
  }
}

Time Mission::NextWakeup() const {
  Time next = ledger_.NextWakeup();
  if (auto funds = funds_.NextWakeup()) next = std::min(next, *funds);
  return next;
}

void Mission::Tick(Time now, Effects& out) {
  ledger_.Tick(now, out);
  funds_.Tick(now, out);
  Route(now, out);
}

}  // namespace anding::core

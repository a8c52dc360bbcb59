#include "anding/core/mission.h"

namespace anding::core {

MissionConfig ReadMissionConfig(ConfigNode& root, const Organisation& org) {
  MissionConfig config;
  config.ledger = ledger::ReadLedgerConfig(root, org);
  return config;
}

Mission::Mission(const Organisation& org, MissionConfig config, MissionSnapshot snapshot)
    : org_(org),
      config_(std::move(config)),
      ledger_(org, config_.ledger, std::move(snapshot.ledger)) {}

void Mission::Route(Time /*now*/, Effects& out) {
  // No module reacts to another's events yet; they are consumed here so
  // that the shell sees only effects.
  out.events.clear();
}

Time Mission::NextWakeup() const { return ledger_.NextWakeup(); }

void Mission::Tick(Time now, Effects& out) {
  ledger_.Tick(now, out);
  Route(now, out);
}

}  // namespace anding::core

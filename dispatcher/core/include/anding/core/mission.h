// The mission: every domain module of the core under one roof, and the
// rules that connect them (design §2). The dispatcher's shell owns one
// Mission on its state thread; commands go to the modules (ledger(), ...),
// then Route() hands the domain events they raised to the modules that
// react to them, and Tick() runs every module's timers.
//
// Thread-safety: not thread-safe; owned by the dispatcher's state thread.
#pragma once

#include <map>
#include <memory>

#include "anding/common/config.h"
#include "anding/common/time.h"
#include "anding/core/dispatch/dispatch_module.h"
#include "anding/core/effects.h"
#include "anding/core/funds/funds.h"
#include "anding/core/ledger/ledger.h"
#include "anding/core/org.h"

namespace anding::core {

struct MissionConfig {
  ledger::LedgerConfig ledger;
  funds::FundsConfig funds;
  dispatch::DispatchConfig dispatch;
};

// Reads every module's section (`ledger:`, `funds:`, `dispatch:`) from the dispatcher's
// configuration, recording errors on the nodes.
[[nodiscard]] MissionConfig ReadMissionConfig(ConfigNode& root, const Organisation& org);

// What the store loaded, to rebuild every module.
struct MissionSnapshot {
  ledger::LedgerSnapshot ledger;
  funds::FundsState funds;
  dispatch::DispatchSnapshot dispatch;
};

class Mission {
 public:
  // Rebuilds every module from `snapshot` (empty for a new installation).
  // DataLoss when stored records contradict each other (funds whose
  // running balances differ from their transfers). `org` must outlive the
  // Mission.
  [[nodiscard]] static Result<std::unique_ptr<Mission>> Create(const Organisation& org,
                                                               MissionConfig config,
                                                               MissionSnapshot snapshot = {});

  // Brings configuration-derived records in line (fund accounts, opening
  // balances); call once after every start.
  [[nodiscard]] Status Start(Time now, Effects& out);

  [[nodiscard]] const Organisation& org() const { return org_; }
  [[nodiscard]] ledger::Ledger& ledger() { return ledger_; }
  [[nodiscard]] const ledger::Ledger& ledger() const { return ledger_; }
  [[nodiscard]] funds::Funds& funds() { return funds_; }
  [[nodiscard]] const funds::Funds& funds() const { return funds_; }
  [[nodiscard]] dispatch::DispatchModule& dispatch() { return *dispatch_; }
  [[nodiscard]] const dispatch::DispatchModule& dispatch() const { return *dispatch_; }

  // Incidents reported on local `day`, per involved unit (for the daily
  // summary).
  [[nodiscard]] std::map<std::string, uint32_t, std::less<>> IncidentsOn(CivilDay day) const;

  // Delivers the domain events in `out.events` to the modules that react
  // to them (appending what they do to `out`), until no new events remain.
  void Route(Time now, Effects& out);

  // The earliest instant any module has timed work.
  [[nodiscard]] Time NextWakeup() const;
  // Runs every module's due timers, then routes.
  void Tick(Time now, Effects& out);

 private:
  Mission(const Organisation& org, MissionConfig config, ledger::LedgerSnapshot ledger,
          funds::Funds funds, std::unique_ptr<dispatch::DispatchModule> dispatch);

  const Organisation& org_;
  MissionConfig config_;
  ledger::Ledger ledger_;
  funds::Funds funds_;
  std::unique_ptr<dispatch::DispatchModule> dispatch_;
};

}  // namespace anding::core

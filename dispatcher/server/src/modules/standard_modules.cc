#include "anding/dispatcher/standard_modules.h"

#include "aftermath/aftermath_module.h"
#include "alerts/alerts_module.h"
#include "anding/dispatcher/config.h"
#include "dispatch/dispatch_module.h"
#include "funds/funds_module.h"
#include "ledger/ledger_module.h"
#include "notify/notify_module.h"
#include "reports/reports_module.h"
#include "users/users_module.h"
#include "visits/visits_module.h"

namespace anding::dispatcher {
namespace {

// A factory for module `M` built from the context and `config`.
template <typename M, typename... Config>
ModuleFactory Make(Config... config) {
  return [=](ModuleContext& context) -> Result<std::unique_ptr<Module>> {
    return std::unique_ptr<Module>(std::make_unique<M>(context, config...));
  };
}

}  // namespace

std::vector<ModuleFactory> StandardModules(ConfigNode& root, const core::Organisation& org) {
  std::vector<ModuleFactory> modules;
  // Read first: every statistic rounds as the visits section says.
  const core::visits::VisitsConfig visits = core::visits::ReadVisitsConfig(root, org);
  modules.push_back(Make<AlertsModule>());
  modules.push_back(Make<LedgerModule>(core::ledger::ReadLedgerConfig(root, org), visits.rounding));
  // Read once: the notifications' recipient registry uses its team members.
  const core::dispatch::DispatchConfig dispatch = core::dispatch::ReadDispatchConfig(root, org);
  modules.push_back(Make<IncidentsModule>(dispatch, visits.rounding));
  modules.push_back(Make<FundsModule>(core::funds::ReadFundsConfig(root, org), visits.rounding));
  modules.push_back(UsersModule::Factory(core::users::ReadUsersConfig(root)));
  modules.push_back([config = core::notify::ReadNotifyConfig(root, org, dispatch)](
                        ModuleContext& context) { return NotifyModule::Create(context, config); });
  modules.push_back(Make<VisitsModule>(visits));
  modules.push_back(Make<AftermathModule>(core::aftermath::ReadAftermathConfig(root, org)));
  modules.push_back(Make<ReportsModule>());
  return modules;
}

Status CheckStandardConfig(const std::string& path) {
  ANDING_ASSIGN_OR_RETURN(ConfigDocument document, ConfigDocument::LoadFile(path));
  ConfigNode root = document.root();
  (void)ReadDispatcherConfig(root, document.directory());
  const core::Organisation org = core::Organisation::Read(root);
  (void)StandardModules(root, org);
  return document.Finish();
}

}  // namespace anding::dispatcher

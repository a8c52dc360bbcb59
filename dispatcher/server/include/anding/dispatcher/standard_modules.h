// The domain modules of a standard dispatcher, in the order they load and
// see domain events. Reads each module's section of the dispatcher's
// configuration (`ledger:`, `funds:`, `dispatch:`, ...), recording errors on
// the nodes (ConfigDocument::Finish reports them with file and line).
#pragma once

#include <vector>

#include "anding/common/config.h"
#include "anding/core/org.h"
#include "anding/dispatcher/module.h"

namespace anding::dispatcher {

[[nodiscard]] std::vector<ModuleFactory> StandardModules(ConfigNode& root,
                                                         const core::Organisation& org);

// Reads the configuration file at `path` as a standard dispatcher would
// start with it — the dispatcher's own sections, the organisation and every
// module's — and says whether it is valid: OK, or InvalidArgument listing
// every problem with file and line. Reads nothing else and starts nothing.
[[nodiscard]] Status CheckStandardConfig(const std::string& path);

}  // namespace anding::dispatcher

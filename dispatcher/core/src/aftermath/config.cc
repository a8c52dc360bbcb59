#include "anding/core/aftermath/config.h"

#include <algorithm>
#include <set>

#include "anding/common/strings.h"

namespace anding::core::aftermath {

std::vector<RootCause> DefaultRootCauses() {
  return {{"policy", "政策落实不到位"},     {"history", "历史遗留问题"},
          {"management", "管理不规范"},     {"communication", "沟通解释不到位"},
          {"excessive_demand", "诉求过高"}, {"other", "其他"}};
}

const std::vector<std::string_view>& ReviewFieldNames() {
  static const std::vector<std::string_view> kNames = {
      "investigation",  "solution",        "department",  "representatives_told",
      "root_cause",     "root_cause_text", "background",  "losses",
      "responsibility", "lessons",         "improvements"};
  return kNames;
}

AftermathConfig ReadAftermathConfig(ConfigNode& root, const Organisation& org) {
  AftermathConfig config;
  config.zone = org.time_zone();
  std::optional<ConfigNode> section = root.OptionalMap("aftermath");
  if (!section) return config;
  const int64_t watch = section->Get<int64_t>("watch_days", config.watch_days);
  if (watch < 1 || watch > 365) {
    section->Error("watch_days", "must be a number of days from 1 to 365");
  } else {
    config.watch_days = watch;
  }
  if (section->Has("root_causes")) {
    config.root_causes.clear();
    std::set<std::string> seen;
    for (ConfigNode& node : section->List("root_causes")) {
      RootCause cause{node.Get<std::string>("id"), node.Get<std::string>("name")};
      if (cause.id.empty() || cause.name.empty()) {
        node.Error("a root cause needs an id and a name");
      } else if (!seen.insert(cause.id).second) {
        node.Error("id", StrCat("root cause '", cause.id, "' is listed twice"));
      } else {
        config.root_causes.push_back(std::move(cause));
      }
    }
    if (config.root_causes.empty()) section->Error("root_causes", "needs at least one entry");
  }
  if (section->Has("mandatory")) {
    config.mandatory.clear();
    const auto& names = ReviewFieldNames();
    for (const std::string& field : section->Strings("mandatory")) {
      if (std::find(names.begin(), names.end(), field) == names.end()) {
        std::string known;
        for (std::string_view name : names) StrAppend(known, known.empty() ? "" : ", ", name);
        section->Error("mandatory",
                       StrCat("unknown review field '", field, "' (known: ", known, ")"));
      } else if (std::find(config.mandatory.begin(), config.mandatory.end(), field) ==
                 config.mandatory.end()) {
        config.mandatory.push_back(field);
      }
    }
  }
  return config;
}

}  // namespace anding::core::aftermath

#include "anding/dispatcher/enrolment.h"

#include <fstream>
#include <set>
#include <sstream>

#include "anding/common/strings.h"
#include "anding/runtime/curve_keys.h"

namespace anding::dispatcher {

Result<Enrolment> Enrolment::Parse(std::string_view text, const std::string& name) {
  Enrolment enrolment;
  std::set<std::string> agent_units;
  std::istringstream lines{std::string(text)};
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    // A comment starts with '#' at the start of the line or after a space
    // ('#' is also a Z85 key character).
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
        line.resize(i);
        break;
      }
    }
    std::istringstream fields(line);
    std::string kind, id, key, extra;
    if (!(fields >> kind)) continue;  // blank or comment
    const std::string where = StrCat(name, ":", number, ": ");
    if (!(fields >> id >> key) || (fields >> extra)) {
      return InvalidArgumentError(where + "expected '<agent|operator> <id> <public key>'");
    }
    Principal principal;
    if (kind == "agent") {
      principal.kind = Principal::Kind::kAgent;
      if (!agent_units.insert(id).second) {
        return InvalidArgumentError(StrCat(where, "unit '", id, "' is enrolled twice"));
      }
    } else if (kind == "operator") {
      principal.kind = Principal::Kind::kOperator;
    } else {
      return InvalidArgumentError(StrCat(where, "unknown kind '", kind, "' (agent or operator)"));
    }
    if (!runtime::IsZ85Key(key)) {
      return InvalidArgumentError(where + "not a Z85 CURVE public key (40 characters)");
    }
    principal.id = id;
    if (!enrolment.by_key_.emplace(key, principal).second) {
      return InvalidArgumentError(where + "this key is already enrolled on an earlier line");
    }
  }
  return enrolment;
}

Result<Enrolment> Enrolment::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFoundError(StrCat(path, ": cannot read the enrolled keys file"));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return Parse(buffer.str(), path);
}

std::optional<Principal> Enrolment::Find(std::string_view public_key) const {
  auto it = by_key_.find(public_key);
  if (it == by_key_.end()) return std::nullopt;
  return it->second;
}

bool Enrolment::HasAgent(std::string_view unit_id) const {
  for (const auto& [key, principal] : by_key_) {
    if (principal.kind == Principal::Kind::kAgent && principal.id == unit_id) return true;
  }
  return false;
}

}  // namespace anding::dispatcher

#include "anding/dispatcher/enrolment.h"

#include <fstream>
#include <map>
#include <sstream>

#include "anding/common/strings.h"
#include "anding/runtime/curve_keys.h"

namespace anding::dispatcher {
namespace {

// One line of the file, split: kind, id, key (empty for blank lines and
// comments), or the reason it is malformed.
struct Line {
  std::string kind, id, key;
  core::Role role = core::Role::kCommander;
  std::string unit_id;
  std::string problem;
  [[nodiscard]] bool blank() const { return kind.empty() && problem.empty(); }
};

// Reads "<role> [<unit>]" after an operator's key; the problem, or empty.
std::string ParseOperatorRole(std::istringstream& fields, Line& parsed) {
  constexpr std::string_view kRoles = "commander, petition_office, unit_officer <unit> or auditor";
  std::string role_name, extra;
  if (!(fields >> role_name)) {
    return StrCat("an operator key needs a role after it: ", kRoles);
  }
  const auto role = core::ParseRole(role_name);
  if (!role) return StrCat("unknown role '", role_name, "' (", kRoles, ")");
  parsed.role = *role;
  if (core::RoleNeedsUnit(*role) && !(fields >> parsed.unit_id)) {
    return "a unit_officer key needs the unit after the role";
  }
  if (fields >> extra) return StrCat("unexpected '", extra, "' after the role");
  return {};
}

Line Split(std::string line) {
  // A comment starts with '#' at the start of the line or after a space
  // ('#' is also a Z85 key character).
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      line.resize(i);
      break;
    }
  }
  std::istringstream fields(line);
  Line parsed;
  std::string extra;
  if (!(fields >> parsed.kind)) return parsed;
  if (!(fields >> parsed.id >> parsed.key)) {
    parsed.problem = "expected '<agent|operator> <id> <public key> [<role> [<unit>]]'";
  } else if (parsed.kind != "agent" && parsed.kind != "operator") {
    parsed.problem = StrCat("unknown kind '", parsed.kind, "' (agent or operator)");
  } else if (!runtime::IsZ85Key(parsed.key)) {
    parsed.problem = "not a Z85 CURVE public key (40 characters)";
  } else if (parsed.kind == "agent") {
    if (fields >> extra) parsed.problem = "expected 'agent <unit> <public key>'";
  } else {
    parsed.problem = ParseOperatorRole(fields, parsed);
  }
  return parsed;
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool IsAgentLineOf(const std::string& line, std::string_view unit_id) {
  std::istringstream fields(line);
  std::string kind, id;
  return (fields >> kind >> id) && kind == "agent" && id == unit_id;
}

}  // namespace

Enrolment Enrolment::Parse(std::string_view text, const std::string& name) {
  const std::vector<std::string> lines = Lines(text);
  // First pass: how often each agent unit and each key appears on valid
  // lines, so that ambiguous lines enrol nobody.
  std::map<std::string, int, std::less<>> units, keys;
  std::vector<Line> parsed;
  for (const std::string& line : lines) {
    parsed.push_back(Split(line));
    const Line& p = parsed.back();
    if (p.blank() || !p.problem.empty()) continue;
    if (p.kind == "agent") ++units[p.id];
    ++keys[p.key];
  }
  Enrolment enrolment;
  for (size_t i = 0; i < parsed.size(); ++i) {
    const Line& p = parsed[i];
    if (p.blank()) continue;
    std::string problem = p.problem;
    if (problem.empty() && p.kind == "agent" && units[p.id] > 1) {
      problem = StrCat("unit '", p.id, "' is enrolled on more than one line; none of them counts");
    } else if (problem.empty() && keys[p.key] > 1) {
      problem = "this key is enrolled on more than one line; none of them counts";
    }
    if (!problem.empty()) {
      enrolment.errors_.push_back(StrCat(name, ":", i + 1, ": ", problem));
      continue;
    }
    const auto kind = p.kind == "agent" ? Principal::Kind::kAgent : Principal::Kind::kOperator;
    Principal principal{kind, p.id};
    if (kind == Principal::Kind::kOperator) {
      principal.role = p.role;
      principal.unit_id = p.unit_id;
    }
    if (kind == Principal::Kind::kAgent) enrolment.agent_units_.insert(p.id);
    enrolment.by_key_.emplace(p.key, std::move(principal));
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

Result<std::string> Enrolment::WithAgent(std::string_view text, std::string_view unit_id,
                                         std::string_view public_key) {
  if (unit_id.empty() || unit_id.find_first_of(" \t\n#") != std::string_view::npos) {
    return InvalidArgumentError(StrCat("'", unit_id, "' is not a unit id"));
  }
  if (!runtime::IsZ85Key(std::string(public_key))) {
    return InvalidArgumentError("not a Z85 CURVE public key (40 characters)");
  }
  std::string out;
  for (const std::string& line : Lines(text)) {
    if (IsAgentLineOf(line, unit_id)) continue;
    const Line p = Split(line);
    if (p.problem.empty() && p.key == public_key) {
      return AlreadyExistsError(
          StrCat("this key is already enrolled for ", p.kind, " '", p.id, "'"));
    }
    out += line;
    out += '\n';
  }
  return StrCat(out, "agent ", unit_id, " ", public_key, "\n");
}

Result<std::string> Enrolment::WithoutAgent(std::string_view text, std::string_view unit_id) {
  std::string out;
  bool found = false;
  for (const std::string& line : Lines(text)) {
    if (IsAgentLineOf(line, unit_id)) {
      found = true;
      continue;
    }
    out += line;
    out += '\n';
  }
  if (!found) return NotFoundError(StrCat("no agent key is enrolled for '", unit_id, "'"));
  return out;
}

std::optional<Principal> Enrolment::Find(std::string_view public_key) const {
  auto it = by_key_.find(public_key);
  if (it == by_key_.end()) return std::nullopt;
  return it->second;
}

bool Enrolment::HasAgent(std::string_view unit_id) const {
  return agent_units_.find(unit_id) != agent_units_.end();
}

}  // namespace anding::dispatcher

// Who may talk to the dispatcher: the enrolled-keys file.
//
//   # kind      id        CURVE public key (Z85)                    role [unit]
//   agent       mine-1    rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7
//   operator    zhang     Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID  commander
//   operator    li        HJ?B6u=$5*/1^-0kRcu&o2(eKy?RvFQ8>[x+%6:T  unit_officer mine-1
//
// An operator line names the person (the user the audit trail records) and
// their role (anding/core/users/role.h), and for a unit officer the unit.
// An operator line without a role enrols nobody: a key that has had every
// power would otherwise keep it silently, and a mistyped role must not
// widen anybody's access — the line is named in errors() instead.
// An agent key speaks for exactly the unit on its line, never for the unit
// a message claims. Removing (or commenting out) a line revokes the key: new
// connections are refused and messages on existing connections are dropped
// as soon as the file is re-read.
//
// A mistake on one line never keeps the rest of the file from taking
// effect, and never admits anybody: the valid lines are enrolled, the lines
// in error are not (they are named in errors()). A unit or a key listed on
// two lines is ambiguous, so neither line is enrolled.
// Thread-safety: immutable value.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/status.h"
#include "anding/core/users/role.h"

namespace anding::dispatcher {

// Who is asking: an agent (for its unit) or a person (through the command
// line's CURVE key or a dashboard session), with the role the access
// policy applies.
struct Principal {
  enum class Kind { kAgent, kOperator };
  Principal() = default;
  Principal(Kind principal_kind, std::string principal_id)
      : kind(principal_kind), id(std::move(principal_id)) {}

  Kind kind = Kind::kAgent;
  std::string id;  // unit id or operator name
  // For operators: their role, and for a unit officer the unit.
  core::Role role = core::Role::kCommander;
  std::string unit_id;
  // Where the request came from, for the audit trail: "curve:<first 8
  // characters of the key>" or the HTTP peer address.
  std::string peer;
  friend bool operator==(const Principal&, const Principal&) = default;
};

class Enrolment {
 public:
  // Parses the file's text (`name` names it in errors): every valid line
  // is enrolled; a malformed line, a bad key, a key or an agent unit listed
  // twice are not, and are named in errors() with file and line.
  [[nodiscard]] static Enrolment Parse(std::string_view text, const std::string& name);
  // NotFound when the file cannot be read.
  [[nodiscard]] static Result<Enrolment> Load(const std::string& path);

  // The file's text with `unit_id`'s agent lines (valid or not) replaced by
  // one enrolling `public_key`. InvalidArgument for a malformed unit id or
  // key; AlreadyExists when the key is enrolled for somebody else.
  [[nodiscard]] static Result<std::string> WithAgent(std::string_view text,
                                                     std::string_view unit_id,
                                                     std::string_view public_key);
  // The file's text without `unit_id`'s agent lines. NotFound if it has none.
  [[nodiscard]] static Result<std::string> WithoutAgent(std::string_view text,
                                                        std::string_view unit_id);

  // The principal a public key (Z85) belongs to, if enrolled.
  [[nodiscard]] std::optional<Principal> Find(std::string_view public_key) const;
  // Whether the unit has an enrolled agent key.
  [[nodiscard]] bool HasAgent(std::string_view unit_id) const;
  [[nodiscard]] size_t size() const { return by_key_.size(); }
  [[nodiscard]] const std::map<std::string, Principal, std::less<>>& keys() const {
    return by_key_;
  }
  // "file:line: problem" for every line that was not enrolled.
  [[nodiscard]] const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::map<std::string, Principal, std::less<>> by_key_;
  // The units with an agent key (`agents list` asks for each of thousands).
  std::set<std::string, std::less<>> agent_units_;
  std::vector<std::string> errors_;
};

}  // namespace anding::dispatcher

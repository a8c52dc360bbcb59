// Who may talk to the dispatcher: the enrolled-keys file.
//
//   # kind      id        CURVE public key (Z85)
//   agent       mine-1    rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7
//   operator    zhang     Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID
//
// An agent key speaks for exactly the unit on its line, never for the unit
// a message claims. Removing (or commenting out) a line revokes the key: new
// connections are refused and messages on existing connections are dropped
// as soon as the file is re-read. Thread-safety: immutable value.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "anding/common/status.h"

namespace anding::dispatcher {

struct Principal {
  enum class Kind { kAgent, kOperator };
  Kind kind = Kind::kAgent;
  std::string id;  // unit id or operator name
  friend bool operator==(const Principal&, const Principal&) = default;
};

class Enrolment {
 public:
  // Parses the file's text. InvalidArgument naming file and line for a
  // malformed line, a bad key, a key listed twice, or an agent unit listed
  // twice.
  [[nodiscard]] static Result<Enrolment> Parse(std::string_view text, const std::string& name);
  [[nodiscard]] static Result<Enrolment> Load(const std::string& path);

  // The principal a public key (Z85) belongs to, if enrolled.
  [[nodiscard]] std::optional<Principal> Find(std::string_view public_key) const;
  // Whether the unit has an enrolled agent key.
  [[nodiscard]] bool HasAgent(std::string_view unit_id) const;
  [[nodiscard]] size_t size() const { return by_key_.size(); }
  [[nodiscard]] const std::map<std::string, Principal, std::less<>>& keys() const {
    return by_key_;
  }

 private:
  std::map<std::string, Principal, std::less<>> by_key_;
};

}  // namespace anding::dispatcher

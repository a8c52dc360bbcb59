// Who may ask what: one policy for every operator request, whichever way
// it came (the command line's CURVE key or a dashboard session), applied by
// ModuleHost::Serve before the module sees the request and to the answer
// before it leaves.
//
// The policy is a table by request case (access_policy.cc): the roles that
// may call it, and for a unit officer how the request is held to their own
// unit —
//   kDenied        unit officers may not call it at all;
//   kAny           it carries no unit's data (the dispatcher's health);
//   kRequestUnit   the request's unit_id must be the officer's unit (an
//                  empty one is set to it, so a list becomes the unit's);
//   kResponseUnit  the answer (one record) must belong to the officer's
//                  unit, or the answer is PermissionDenied.
// For every unit-officer answer, the lists in it keep only entries whose
// unit_id is the officer's. A case missing from the table is refused to
// everybody but commanders (a test keeps the table complete).
//
// Personal details — names and phone numbers of contacts, the names of
// petitioners and of who wrote, approved or confirmed something — are
// replaced by "***" in the answers to roles that do not need them (unit
// officers, who see HQ-wide views with other units' people in them, and
// auditors, who check actions, not people).
// Thread-safety: stateless functions over immutable tables.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "anding/common/status.h"
#include "anding/core/users/role.h"
#include "anding/dispatcher/enrolment.h"
#include "anding/v1/operator.pb.h"

namespace anding::dispatcher {

enum class UnitScope { kDenied, kAny, kRequestUnit, kResponseUnit };

// A set of roles, one bit per core::Role.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(std::initializer_list<core::Role> roles) {
    for (const core::Role role : roles) bits_ |= Bit(role);
  }
  [[nodiscard]] constexpr bool contains(core::Role role) const { return (bits_ & Bit(role)) != 0; }

 private:
  static constexpr uint8_t Bit(core::Role role) {
    return static_cast<uint8_t>(1u << static_cast<unsigned>(role));
  }
  uint8_t bits_ = 0;
};

struct CaseRule {
  v1::OperatorRequest::RequestCase request_case;
  RoleSet roles;
  UnitScope unit_scope = UnitScope::kDenied;
};

// The whole table, for tests and documentation.
[[nodiscard]] std::span<const CaseRule> AccessRules();
// The rule for `request_case`, or nullptr when the table has none.
[[nodiscard]] const CaseRule* FindAccessRule(v1::OperatorRequest::RequestCase request_case);

// Whether `role` sees personal details in answers.
[[nodiscard]] bool SeesPersonalDetails(core::Role role);

// Before the module: OK when `who` may make `request` (for a unit officer
// with kRequestUnit, after setting an empty unit_id to theirs);
// PermissionDenied, naming the request and the role, otherwise.
[[nodiscard]] Status Authorize(const Principal& who, v1::OperatorRequest& request);

// After the module: holds `response` to what `who` may see — a unit
// officer's lists keep their unit's entries only, a kResponseUnit answer of
// another unit becomes PermissionDenied, and personal details are masked
// for roles that do not see them. Errors pass unchanged.
void ShapeResponse(const Principal& who, const v1::OperatorRequest& request,
                   v1::OperatorResponse& response);

// Replaces the personal details in `message` (and every message inside it)
// by "***"; empty values stay empty. Returns how many values it masked.
size_t MaskPersonalDetails(google::protobuf::Message& message);

// The fully qualified names of the string fields that hold a person's name
// (besides every field of anding.v1.Contact), for tests.
[[nodiscard]] std::span<const std::string_view> PersonalFields();

}  // namespace anding::dispatcher

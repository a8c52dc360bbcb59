// The checks one field goes through at the edge, each naming the field
// when it fails ("ledger_register.responsible_leader.name: is required").
// The ranges are those of anding/common/limits.h. Private to anding_wire.
// Thread-safety: pure functions.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "anding/common/status.h"
#include "anding/v1/common.pb.h"
#include "anding/v1/reports.pb.h"

namespace anding::wire::checks {

// A field's dotted path, built only when a check fails: validation runs for
// every envelope, and almost all of them pass.
class Field {
 public:
  // A top-level field. `name` must outlive the Field.
  explicit Field(std::string_view name) : name_(name) {}
  // Field `name` of `parent`; with `index` >= 0, element `index` of the
  // repeated field `name` ("findings[3]"). `parent` must outlive this.
  Field(const Field& parent, std::string_view name, int index = -1)
      : parent_(&parent), name_(name), index_(index) {}

  [[nodiscard]] std::string Path() const;

 private:
  const Field* parent_ = nullptr;
  std::string_view name_;
  int index_ = -1;
};

// Whether an empty value (blank text, zero, an unset time) is refused.
enum class Presence { kOptional, kRequired };

// InvalidArgument "<path>: <problem>".
[[nodiscard]] Status Invalid(const Field& field, std::string_view problem);

// Valid UTF-8 of at most `max_chars` characters; when required, not blank.
[[nodiscard]] Status Text(const Field& field, std::string_view value, size_t max_chars,
                          Presence presence);

// At most `max` (and when required, at least 1).
[[nodiscard]] Status Count(const Field& field, uint64_t value, uint64_t max,
                           Presence presence = Presence::kOptional);

// An amount of money in fen: 1 to limits::kMaxAmountFen.
[[nodiscard]] Status Money(const Field& field, int64_t amount_fen);

// An instant within the accepted window (limits::kEarliestUnixSeconds to
// kLatestUnixSeconds); a timestamp of zero is unset.
[[nodiscard]] Status Instant(const Field& field, const google::protobuf::Timestamp& value,
                             Presence presence);

// A day written "YYYY-MM-DD" that exists, within the accepted years.
[[nodiscard]] Status Day(const Field& field, std::string_view value, Presence presence);

// A month written "YYYY-MM", within the accepted years.
[[nodiscard]] Status Month(const Field& field, std::string_view value, Presence presence);

// A ten-day period, month or quarter that exists, within the accepted years.
[[nodiscard]] Status Period(const Field& field, const v1::Period& period);

// An enum value this build knows; when required, not the *_UNSPECIFIED
// zero. `names` lists the accepted values for the message.
[[nodiscard]] Status KnownEnum(const Field& field, int value, bool (*is_valid)(int),
                               Presence presence, std::string_view names);

// Risk levels: known; unspecified unless required.
[[nodiscard]] Status Level(const Field& field, v1::RiskLevel level,
                           Presence presence = Presence::kOptional);

// A person to reach: name (required when `presence` is), E.164 phone if
// given, title.
[[nodiscard]] Status Contact(const Field& field, const v1::Contact& contact, Presence presence);

// A place: region id (required when `presence` is) and address.
[[nodiscard]] Status Place(const Field& field, const v1::Place& place, Presence presence);

// `value` is one of `words` (list "" among them where empty is allowed);
// otherwise InvalidArgument naming the field and the words.
[[nodiscard]] Status OneOf(const Field& field, std::string_view value,
                           std::initializer_list<std::string_view> words);

}  // namespace anding::wire::checks

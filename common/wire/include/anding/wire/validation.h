// The checks at the edge: every field of what an agent or an operator sends
// is held to the ranges the store and the core accept
// (anding/common/limits.h) before anything is stored or applied, so that
// one bad message is refused on its own and never fails a transaction
// that carries other agents' work.
//
// Checked here, without configuration: required fields, integers (sequence
// numbers, counts, money), instants (2000-01-01 to 2100-01-01 UTC), days
// and periods that exist, text length in characters and valid UTF-8, enum
// values that exist. Semantic checks (does this category exist, is this
// transition legal) belong to the domain core, which keeps its own checks
// of what it relies on as well.
//
// Every refusal is InvalidArgument with a message that starts with the
// field's dotted path: "early_warning.persons: must be at most 100000".
// Thread-safety: all functions are pure.
#pragma once

#include <optional>
#include <string_view>

#include "anding/common/status.h"
#include "anding/v1/envelope.pb.h"
#include "anding/v1/operator.pb.h"

namespace anding::wire {

// Checks on the envelope itself: a known schema_version and a payload set;
// for stored payloads also a canonical UUID message_id, a unit_id, a
// sequence from 1 to limits::kMaxSequence and a sent_at within the window.
// Sets `reason` to the Nack reason to answer with when it fails.
[[nodiscard]] Status ValidateEnvelope(const v1::Envelope& envelope, v1::NackReason* reason);

// Checks on the payload: required fields present, every count, amount,
// instant, day, period, enum and text within range.
[[nodiscard]] Status ValidatePayload(const v1::Envelope& envelope);

// Checks on an operator request's values: the money, counts, instants,
// days and texts it carries are within range and valid UTF-8. Whether a
// field is required is left to the module that serves the request (it
// answers with its own error).
[[nodiscard]] Status ValidateOperatorRequest(const v1::OperatorRequest& request);

// The Nack reason a sender should see for a Status from the core.
[[nodiscard]] v1::NackReason NackReasonFor(const Status& status);

// Number of Unicode code points in `text`, or nullopt when it is not valid
// UTF-8 (overlong forms, surrogates and values beyond U+10FFFF are not).
[[nodiscard]] std::optional<size_t> Utf8Length(std::string_view text);

}  // namespace anding::wire

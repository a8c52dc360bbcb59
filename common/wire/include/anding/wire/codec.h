// The edge between bytes on the wire and checked protobuf messages.
//
// Everything that arrives from another process is decoded and structurally
// validated here, once: size limits, protobuf well-formedness, no unknown
// fields, a known schema version, a canonical message id, a payload that is
// set. Semantic checks (does this category exist, is this transition legal)
// belong to the domain core, which never sees protobuf.
// Thread-safety: all functions are pure.
#pragma once

#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include <string>
#include <string_view>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/v1/envelope.pb.h"

namespace anding::wire {

// The largest Frame either side accepts (also ZMQ_MAXMSGSIZE).
inline constexpr size_t kMaxFrameBytes = 1 << 20;
// The most envelopes one Frame may carry.
inline constexpr int kMaxEnvelopesPerFrame = 1000;
// The schema version this build speaks.
inline constexpr uint32_t kSchemaVersion = v1::SCHEMA_VERSION_CURRENT;

[[nodiscard]] google::protobuf::Timestamp ToProto(Time t);
[[nodiscard]] Time FromProto(const google::protobuf::Timestamp& ts);
// True when `ts` is set (non-zero) and within protobuf's valid range.
[[nodiscard]] bool IsSet(const google::protobuf::Timestamp& ts);

// Parses `bytes` into `message`. InvalidArgument when the bytes are not a
// valid encoding, are larger than `max_bytes`, or carry fields this build
// does not know (at any depth).
[[nodiscard]] Status Decode(std::string_view bytes, google::protobuf::Message& message,
                            size_t max_bytes = kMaxFrameBytes);

// Decode plus: at least one envelope, at most kMaxEnvelopesPerFrame.
[[nodiscard]] Result<v1::Frame> DecodeFrame(std::string_view bytes);

// The bytes of each envelope in a Frame, in order, without parsing them
// (so that they can be decoded one by one, and stored exactly as
// received). InvalidArgument for a malformed or oversized frame, a field
// other than `envelopes`, no envelope, or more than kMaxEnvelopesPerFrame.
[[nodiscard]] Result<std::vector<std::string_view>> SplitFrame(std::string_view bytes);

// Appends one encoded envelope to the bytes of a Frame (field 1, length
// delimited): a frame built from envelopes already encoded, without
// parsing them again. The inverse of SplitFrame.
void AppendEnvelope(std::string& frame, std::string_view envelope);

// Structural checks on one envelope: canonical UUID message_id, non-empty
// unit_id, sequence > 0 for stored payloads, sent_at set, known
// schema_version, a payload set. Returns the Nack reason to use in
// `reason` when it fails.
[[nodiscard]] Status ValidateEnvelope(const v1::Envelope& envelope, v1::NackReason* reason);

// Payload checks that need no configuration: required fields present,
// counts and amounts in range, enum values known, text within length.
[[nodiscard]] Status ValidatePayload(const v1::Envelope& envelope);

// The payload's field name ("early_warning", "order", ...) or "" if unset.
[[nodiscard]] std::string PayloadKind(const v1::Envelope& envelope);

// True for payloads that are stored and acknowledged (not ack, nack,
// heartbeat).
[[nodiscard]] bool IsDurablePayload(const v1::Envelope& envelope);

// One human-readable line describing the envelope's payload, UTF-8.
[[nodiscard]] std::string Summarize(const v1::Envelope& envelope);

// The Nack reason a sender should see for a Status from the core.
[[nodiscard]] v1::NackReason NackReasonFor(const Status& status);

// Serialises `message` (deterministically, so equal content gives equal
// bytes: the intake compares retried content byte for byte).
[[nodiscard]] std::string Encode(const google::protobuf::Message& message);

// The same envelope content, ignoring transport-only differences: used to
// tell a retry (same content) from an id reused with different content.
[[nodiscard]] bool SameContent(const v1::Envelope& a, const v1::Envelope& b);

// Number of Unicode code points in UTF-8 `text` (for length limits).
[[nodiscard]] size_t Utf8Length(std::string_view text);

}  // namespace anding::wire

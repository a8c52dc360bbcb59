// Bytes on the wire and protobuf messages: framing, decoding with size and
// unknown-field checks, deterministic encoding, and timestamp conversion.
//
// Decoding checks structure only (well-formed protobuf, no fields this
// build does not know, within the size limits); what the values mean is
// checked by anding/wire/validation.h.
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
// `ts` as a Time. Only for timestamps within protobuf's valid range (IsSet,
// or every timestamp that passed validation).
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

// Serialises `message` (deterministically, so equal content gives equal
// bytes: the intake compares retried content byte for byte).
[[nodiscard]] std::string Encode(const google::protobuf::Message& message);

// The same envelope content, ignoring transport-only differences: used to
// tell a retry (same content) from an id reused with different content.
[[nodiscard]] bool SameContent(const v1::Envelope& a, const v1::Envelope& b);

}  // namespace anding::wire

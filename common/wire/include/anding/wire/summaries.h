// What an envelope is, in words: its payload's kind, whether it is stored,
// and one line for logs, the events table and the live feed.
// Thread-safety: all functions are pure.
#pragma once

#include <string>

#include "anding/v1/envelope.pb.h"

namespace anding::wire {

// The payload's field name ("early_warning", "order", ...) or "" if unset.
[[nodiscard]] std::string PayloadKind(const v1::Envelope& envelope);

// True for payloads that are stored and acknowledged (not ack, nack,
// heartbeat).
[[nodiscard]] bool IsDurablePayload(const v1::Envelope& envelope);

// One human-readable line describing the envelope's payload, UTF-8.
[[nodiscard]] std::string Summarize(const v1::Envelope& envelope);

}  // namespace anding::wire

// Message ids for `anding-agent import` that make the command safe to run
// again: a line's id depends only on the file's content, the line's number
// and the line itself, so re-running an interrupted import submits the same
// ids, which the agent's outbox and the dispatcher both recognise (neither
// stores a message id twice).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace anding::agent {

// The SHA-256 of `content` (32 raw bytes).
[[nodiscard]] std::string Sha256(std::string_view content);

// A canonical lower-case version-8 UUID (RFC 9562, custom) made of the first
// 122 bits of SHA-256(file_digest || line_number (8 bytes, big-endian) ||
// line). `file_digest` is Sha256 of the whole file.
[[nodiscard]] std::string ImportMessageId(std::string_view file_digest, uint64_t line_number,
                                          std::string_view line);

}  // namespace anding::agent

// Text from outside (agents' message ids and payloads, operators' request
// fields, peers' error details) is made safe before it reaches a log line:
// a hostile peer must not be able to forge a line, inject terminal escapes or
// fill the disk with one huge field. Every log call that prints such a
// string passes it through Printable.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace anding::runtime {

// `text` made printable on one line:
//  * a newline becomes "\n", carriage return "\r", tab "\t", a backslash
//    "\\"; other C0 controls and DEL become "\xNN"; the Unicode line breaks
//    U+0085, U+2028 and U+2029 become "\u0085", "\u2028", "\u2029";
//  * each byte that is not part of valid UTF-8 (overlong, surrogate, beyond
//    U+10FFFF, truncated) becomes U+FFFD;
//  * after `max_chars` characters (code points of `text`) the rest is cut
//    and replaced by "…(+N bytes)", N the number of bytes of `text` cut.
// Valid UTF-8 (Chinese included) otherwise passes through unchanged.
[[nodiscard]] std::string Printable(std::string_view text, size_t max_chars = 200);

}  // namespace anding::runtime

// How a phone counts a text message. An SMS carries 140 octets: 160 GSM
// 7-bit characters or 70 UCS-2 (UTF-16) units; a longer text is split into
// parts of 153 / 67 because each part carries a concatenation header. A
// character of the GSM extension table (€ [ ] { } \ ^ ~ | and form feed)
// takes two septets; a character outside the BMP (most emoji, rare CJK)
// takes two UTF-16 units. One character outside the GSM alphabet — any
// Chinese character — makes the whole text UCS-2.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace anding::core::notify {

enum class SmsEncoding { kGsm7, kUcs2 };

// "gsm7", "ucs2".
[[nodiscard]] std::string_view SmsEncodingName(SmsEncoding encoding);

struct SmsLength {
  SmsEncoding encoding = SmsEncoding::kGsm7;
  uint32_t characters = 0;  // Unicode code points
  uint32_t units = 0;       // septets (GSM 7-bit) or UTF-16 units (UCS-2)
  uint32_t parts = 0;       // messages the phone receives; 0 for an empty text
  // Units one message holds: 160 / 70 for a single message, 153 / 67 per
  // part when split.
  uint32_t units_per_part = 0;
};

// Counts `utf8` as a phone does. Parts are packed greedily and a character
// is never split between two parts (a two-septet extension character or a
// surrogate pair that does not fit starts the next part). Bytes that are
// not valid UTF-8 count as U+FFFD (which is UCS-2).
[[nodiscard]] SmsLength CountSms(std::string_view utf8);

// `utf8` cut to at most `max_parts` messages, at a character boundary, with
// "…" at the end when it was cut. Unchanged when it fits.
[[nodiscard]] std::string FitSms(std::string_view utf8, uint32_t max_parts);

// True when every code point of `utf8` is in the GSM 7-bit default
// alphabet or its extension table.
[[nodiscard]] bool IsGsm7(std::string_view utf8);

}  // namespace anding::core::notify

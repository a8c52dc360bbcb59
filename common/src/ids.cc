#include "anding/common/ids.h"

#include <fmt/format.h>
#include <sys/random.h>

#include <cstdio>
#include <cstdlib>

namespace anding {
namespace {

void OsRandom(uint8_t* out, size_t size) {
  size_t filled = 0;
  while (filled < size) {
    const ssize_t n = getrandom(out + filled, size - filled, 0);
    if (n < 0) {
      std::perror("getrandom");
      std::abort();  // no entropy means no safe ids: a broken invariant
    }
    filled += static_cast<size_t>(n);
  }
}

constexpr char kHex[] = "0123456789abcdef";

// The canonical lower-case text of 16 bytes: 8-4-4-4-12 hex digits.
std::string FormatUuid(const std::array<uint8_t, 16>& bytes) {
  std::string text;
  text.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kHex[bytes[i] >> 4]);
    text.push_back(kHex[bytes[i] & 0x0f]);
  }
  return text;
}

}  // namespace

std::string RandomUuid() {
  std::array<uint8_t, 16> bytes{};
  OsRandom(bytes.data(), bytes.size());
  bytes[6] = static_cast<uint8_t>(0x40 | (bytes[6] & 0x0f));
  bytes[8] = static_cast<uint8_t>(0x80 | (bytes[8] & 0x3f));
  return FormatUuid(bytes);
}

UuidV7Generator::UuidV7Generator(const Clock& clock, RandomSource random)
    : clock_(clock), random_(random ? std::move(random) : RandomSource(OsRandom)) {}

std::string UuidV7Generator::Next() {
  int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
          .count();
  if (ms <= last_ms_) {
    // Same millisecond (or the clock stepped back): keep ids increasing.
    ms = last_ms_;
    if (++counter_ > 0x0fff) {
      ++ms;
      counter_ = 0;
    }
  } else {
    counter_ = 0;
  }
  last_ms_ = ms;

  std::array<uint8_t, 16> bytes{};
  random_(bytes.data() + 8, 8);
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<uint8_t>(ms >> (8 * (5 - i)));
  bytes[6] = static_cast<uint8_t>(0x70 | ((counter_ >> 8) & 0x0f));
  bytes[7] = static_cast<uint8_t>(counter_ & 0xff);
  bytes[8] = static_cast<uint8_t>(0x80 | (bytes[8] & 0x3f));

  return FormatUuid(bytes);
}

std::string SequentialIdGenerator::Next() { return fmt::format("{}-{:06d}", prefix_, next_++); }

bool IsCanonicalUuid(std::string_view text) { return ParseUuid(text).has_value(); }

std::optional<UuidBits> ParseUuid(std::string_view text) {
  // One pass: dashes at 8, 13, 18 and 23, lower-case hex elsewhere.
  if (text.size() != 36) return std::nullopt;
  UuidBits bits;
  int nibbles = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return std::nullopt;
      continue;
    }
    uint64_t nibble = 0;
    if (c >= '0' && c <= '9') {
      nibble = static_cast<uint64_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      nibble = static_cast<uint64_t>(c - 'a' + 10);
    } else {
      return std::nullopt;
    }
    uint64_t& half = nibbles < 16 ? bits.high : bits.low;
    half = (half << 4) | nibble;
    ++nibbles;
  }
  return bits;
}

int64_t UuidV7Millis(UuidBits bits) {
  // Bits 48-51 hold the version; the 48 bits above them the milliseconds.
  if (((bits.high >> 12) & 0xf) != 7) return -1;
  return static_cast<int64_t>(bits.high >> 16);
}

int64_t UuidV7Millis(std::string_view text) {
  const auto bits = ParseUuid(text);
  return bits ? UuidV7Millis(*bits) : -1;
}

}  // namespace anding

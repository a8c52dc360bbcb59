// Unique, time-sortable identifiers (UUIDv7, RFC 9562): 48 bits of Unix
// milliseconds, then a 12-bit counter that keeps ids from one generator
// strictly increasing within a millisecond, then 62 random bits. The
// canonical lower-case text form sorts in creation order.
// Thread-safety: a generator is not thread-safe; give each thread its own.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "anding/common/clock.h"

namespace anding {

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new id, different from every id this generator returned before.
  [[nodiscard]] virtual std::string Next() = 0;
};

class UuidV7Generator final : public IdGenerator {
 public:
  // Fills `out` with random bytes. The default reads the OS CSPRNG.
  using RandomSource = std::function<void(uint8_t* out, size_t size)>;

  explicit UuidV7Generator(const Clock& clock, RandomSource random = {});
  [[nodiscard]] std::string Next() override;

 private:
  const Clock& clock_;
  RandomSource random_;
  int64_t last_ms_ = -1;
  uint16_t counter_ = 0;
};

// A random UUID (version 4: 122 bits from the OS CSPRNG), canonical
// lower-case text. For ids that must never repeat across processes and
// need no order (request ids).
[[nodiscard]] std::string RandomUuid();

// "prefix-000001", "prefix-000002", ...: deterministic ids for tests.
class SequentialIdGenerator final : public IdGenerator {
 public:
  explicit SequentialIdGenerator(std::string prefix) : prefix_(std::move(prefix)) {}
  [[nodiscard]] std::string Next() override;

 private:
  std::string prefix_;
  uint64_t next_ = 1;
};

// True for the canonical text form of a UUID (36 characters, lower-case
// hex, dashes at 8-4-4-4-12).
[[nodiscard]] bool IsCanonicalUuid(std::string_view text);

// The 128 bits of a UUID, most significant first: a compact key for maps.
struct UuidBits {
  uint64_t high = 0;
  uint64_t low = 0;
  friend bool operator==(const UuidBits&, const UuidBits&) = default;
};

// The bits of a canonical UUID; nullopt if `text` is not one.
[[nodiscard]] std::optional<UuidBits> ParseUuid(std::string_view text);

// The Unix millisecond timestamp inside a UUIDv7; -1 if `text` is not one.
[[nodiscard]] int64_t UuidV7Millis(std::string_view text);
[[nodiscard]] int64_t UuidV7Millis(UuidBits bits);

}  // namespace anding

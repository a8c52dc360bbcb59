// Password hashes: argon2id through libsodium's crypto_pwhash_str, at the
// configured strength. Hashing and verifying take tens of milliseconds and
// (at "interactive") 64 MiB on purpose: callers on the io thread hand them
// to a worker (the users module does for logins).
// Thread-safety: immutable after construction; every method may run on
// any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "anding/common/status.h"
#include "anding/core/users/config.h"

namespace anding::dispatcher {

class PasswordHasher {
 public:
  explicit PasswordHasher(core::users::HashStrength strength);

  // The crypto_pwhash_str string for `password`. ResourceExhausted when
  // the memory for it cannot be had.
  [[nodiscard]] Result<std::string> Hash(std::string_view password) const;
  // Whether `password` matches `hash` (false for a malformed hash).
  [[nodiscard]] bool Verify(std::string_view hash, std::string_view password) const;
  // Whether `hash` was made with other limits than the configured ones
  // (and should be replaced at the next successful login).
  [[nodiscard]] bool NeedsRehash(std::string_view hash) const;

 private:
  unsigned long long ops_limit_;
  size_t mem_limit_;
};

// `bytes` random bytes as lower-case hex (libsodium's randombytes).
[[nodiscard]] std::string RandomHex(size_t bytes);

}  // namespace anding::dispatcher

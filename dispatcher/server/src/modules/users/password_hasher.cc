#include "password_hasher.h"

#include <sodium.h>

#include <vector>

namespace anding::dispatcher {
namespace {
// sodium_init is idempotent and thread-safe; its result (-1 only when no
// randomness source exists) makes every later call abort, loudly.
[[maybe_unused]] const int kSodiumReady = sodium_init();
}  // namespace

PasswordHasher::PasswordHasher(core::users::HashStrength strength) {
  using core::users::HashStrength;
  switch (strength) {
    case HashStrength::kMinimum:
      ops_limit_ = crypto_pwhash_OPSLIMIT_MIN;
      mem_limit_ = crypto_pwhash_MEMLIMIT_MIN;
      break;
    case HashStrength::kInteractive:
      ops_limit_ = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      mem_limit_ = crypto_pwhash_MEMLIMIT_INTERACTIVE;
      break;
    case HashStrength::kModerate:
      ops_limit_ = crypto_pwhash_OPSLIMIT_MODERATE;
      mem_limit_ = crypto_pwhash_MEMLIMIT_MODERATE;
      break;
    case HashStrength::kSensitive:
      ops_limit_ = crypto_pwhash_OPSLIMIT_SENSITIVE;
      mem_limit_ = crypto_pwhash_MEMLIMIT_SENSITIVE;
      break;
  }
}

Result<std::string> PasswordHasher::Hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops_limit_, mem_limit_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return ResourceExhaustedError("not enough memory to hash the password; retry");
  }
  return std::string(out);
}

bool PasswordHasher::Verify(std::string_view hash, std::string_view password) const {
  // crypto_pwhash_str_verify wants a NUL-terminated string of at most
  // crypto_pwhash_STRBYTES.
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::NeedsRehash(std::string_view hash) const {
  if (hash.size() >= crypto_pwhash_STRBYTES) return true;
  const std::string terminated(hash);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), ops_limit_, mem_limit_) != 0;
}

std::string RandomHex(size_t bytes) {
  std::vector<unsigned char> random(bytes);
  randombytes_buf(random.data(), random.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), random.data(), random.size());
  hex.resize(bytes * 2);
  return hex;
}

}  // namespace anding::dispatcher

// CURVE key pairs (Z85 text, 40 characters each) and the files that hold
// them. A key file is small YAML:
//
//   # Anding CURVE key pair for mine-3. Keep this file secret.
//   public_key: "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
//   secret_key: "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6"
//
// A public-only file (to hand the dispatcher's key to agents) omits
// secret_key.
#pragma once

#include <string>
#include <string_view>

#include "anding/common/status.h"

namespace anding::runtime {

struct CurveKeyPair {
  std::string public_key;  // Z85, 40 characters
  std::string secret_key;  // Z85, 40 characters; empty in a public-only file
};

// True for 40 characters of the Z85 alphabet.
[[nodiscard]] bool IsZ85Key(std::string_view key);

// A fresh key pair. Unavailable if libzmq was built without CURVE.
[[nodiscard]] Result<CurveKeyPair> GenerateCurveKeyPair();

// Writes `pair` to `path` with mode 0600, refusing to overwrite an existing
// file unless `overwrite`. `comment` becomes the file's first line.
[[nodiscard]] Status WriteKeyFile(const std::string& path, const CurveKeyPair& pair,
                                  std::string_view comment, bool overwrite = false);

// Reads a key file. `require_secret` rejects a public-only file.
// Errors name the file and what is wrong.
[[nodiscard]] Result<CurveKeyPair> ReadKeyFile(const std::string& path, bool require_secret);

// The public key that belongs to `secret_key`.
[[nodiscard]] Result<std::string> PublicKeyFor(const std::string& secret_key);

}  // namespace anding::runtime

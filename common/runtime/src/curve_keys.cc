#include "anding/runtime/curve_keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "anding/common/config.h"
#include "anding/common/strings.h"

namespace anding::runtime {

bool IsZ85Key(std::string_view key) {
  static constexpr std::string_view kAlphabet =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
  if (key.size() != 40) return false;
  for (char c : key) {
    if (kAlphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

Result<CurveKeyPair> GenerateCurveKeyPair() {
  char public_key[41] = {};
  char secret_key[41] = {};
  if (zmq_curve_keypair(public_key, secret_key) != 0) {
    return UnavailableError(StrCat("cannot generate a CURVE key pair: ", zmq_strerror(errno)));
  }
  return CurveKeyPair{public_key, secret_key};
}

Result<std::string> PublicKeyFor(const std::string& secret_key) {
  char public_key[41] = {};
  if (!IsZ85Key(secret_key) || zmq_curve_public(public_key, secret_key.c_str()) != 0) {
    return InvalidArgumentError("not a valid CURVE secret key");
  }
  return std::string(public_key);
}

Status WriteKeyFile(const std::string& path, const CurveKeyPair& pair, std::string_view comment,
                    bool overwrite) {
  std::string text = StrCat("# ", comment, "\n", "public_key: \"", pair.public_key, "\"\n");
  if (!pair.secret_key.empty()) StrAppend(text, "secret_key: \"", pair.secret_key, "\"\n");
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
  }
  const int flags = O_WRONLY | O_CREAT | (overwrite ? O_TRUNC : O_EXCL);
  const int fd = ::open(path.c_str(), flags, pair.secret_key.empty() ? 0644 : 0600);
  if (fd < 0) {
    return errno == EEXIST
               ? AlreadyExistsError(StrCat(path, ": key file exists; not overwriting it"))
               : UnavailableError(StrCat(path, ": ", std::strerror(errno)));
  }
  // Root making a key in a directory that belongs to someone else (the
  // service user's /etc/anding/keys, as the packages set it up) makes it
  // for that user: the daemon must read it, and a secret key readable by
  // anyone else is refused.
  struct stat dir {};
  if (::geteuid() == 0 && ::stat(parent.empty() ? "." : parent.c_str(), &dir) == 0 &&
      dir.st_uid != 0) {
    if (::fchown(fd, dir.st_uid, dir.st_gid) != 0) {
      ::close(fd);
      ::unlink(path.c_str());
      return UnavailableError(
          StrCat(path, ": cannot give the key to its directory's owner: ", std::strerror(errno)));
    }
  }
  const ssize_t written = ::write(fd, text.data(), text.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size()) || !synced) {
    return UnavailableError(StrCat(path, ": could not write the key file"));
  }
  return OkStatus();
}

Result<CurveKeyPair> ReadKeyFile(const std::string& path, bool require_secret) {
  ANDING_ASSIGN_OR_RETURN(ConfigDocument doc, ConfigDocument::LoadFile(path));
  ConfigNode root = doc.root();
  CurveKeyPair pair;
  pair.public_key = root.Get<std::string>("public_key");
  pair.secret_key = require_secret ? root.Get<std::string>("secret_key")
                                   : root.Get<std::string>("secret_key", "");
  if (!pair.public_key.empty() && !IsZ85Key(pair.public_key)) {
    root.Error("public_key", "not a Z85 CURVE key (40 characters)");
  }
  if (!pair.secret_key.empty()) {
    if (!IsZ85Key(pair.secret_key)) {
      root.Error("secret_key", "not a Z85 CURVE key (40 characters)");
    } else if (auto derived = PublicKeyFor(pair.secret_key);
               derived.ok() && *derived != pair.public_key) {
      root.Error("public_key", "does not belong to secret_key");
    }
  }
  ANDING_RETURN_IF_ERROR(doc.Finish());
  if (require_secret) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 0077) != 0) {
      return PermissionDeniedError(
          StrCat(path, ": secret key file is readable by others; run chmod 600 ", path));
    }
  }
  return pair;
}

}  // namespace anding::runtime

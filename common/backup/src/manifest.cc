// The manifest's text, file digests, and the checks both halves share.
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "anding/common/strings.h"
#include "internal.h"

namespace anding::backup {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// A manifest value: the text between double quotes, or as it stands.
std::string Unquote(std::string_view value) {
  value = Trim(value);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  return std::string(value);
}

std::optional<int64_t> ToInt(std::string_view text) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string FormatManifest(const Manifest& m) {
  // Quoted values: a path may hold a colon or a '#'. Names and paths come
  // from our own configuration and CheckName, never with a quote in them.
  std::string text =
      StrCat("# anding backup manifest: what the file beside it holds.\n", "file: \"", m.file,
             "\"\n", "size_bytes: ", m.size_bytes, "\n", "sha256: \"", m.sha256, "\"\n",
             "taken_at: \"", m.taken_at, "\"\n", "source: \"", m.source, "\"\n", "schema:\n");
  for (const DomainVersion& d : m.schema) StrAppend(text, "  ", d.domain, ": ", d.version, "\n");
  return text;
}

Result<Manifest> ParseManifest(std::string_view text) {
  Manifest m;
  bool in_schema = false;
  bool has_size = false;
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (Trim(line).empty() || Trim(line).front() == '#') continue;
    const bool indented = line.front() == ' ';
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return InvalidArgumentError(StrCat("manifest line ", line_number, ": expected 'key: value'"));
    }
    const std::string_view key = Trim(line.substr(0, colon));
    const std::string value = Unquote(line.substr(colon + 1));
    if (indented && in_schema) {
      const auto version = ToInt(value);
      if (!version || *version < 0 || key.empty()) {
        return InvalidArgumentError(
            StrCat("manifest line ", line_number, ": expected 'domain: version'"));
      }
      m.schema.push_back({std::string(key), static_cast<int>(*version)});
      continue;
    }
    in_schema = false;
    if (key == "file") {
      m.file = value;
    } else if (key == "size_bytes") {
      const auto size = ToInt(value);
      if (!size || *size < 0) {
        return InvalidArgumentError(StrCat("manifest line ", line_number, ": bad size_bytes"));
      }
      m.size_bytes = *size;
      has_size = true;
    } else if (key == "sha256") {
      m.sha256 = value;
    } else if (key == "taken_at") {
      m.taken_at = value;
    } else if (key == "source") {
      m.source = value;
    } else if (key == "schema") {
      in_schema = true;
    }
    // Other keys are for readers: a later version may add some.
  }
  if (m.file.empty() || !has_size || m.sha256.size() != 64) {
    return InvalidArgumentError("not an anding backup manifest (file, size_bytes, sha256 needed)");
  }
  return m;
}

Result<FileDigest> DigestFile(const std::string& path) {
  if (sodium_init() < 0) return InternalError("libsodium cannot start");
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(StrCat("cannot read '", path, "'"));
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  FileDigest digest;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = in.gcount();
    if (got <= 0) break;
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buffer.data()),
                              static_cast<unsigned long long>(got));
    digest.size_bytes += got;
  }
  if (in.bad()) return UnavailableError(StrCat("error reading '", path, "'"));
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, hash);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  digest.sha256 = hex;
  return digest;
}

namespace internal {

Result<std::vector<DomainVersion>> ReadSchemaVersions(storage::Database& db) {
  std::vector<DomainVersion> versions;
  ANDING_ASSIGN_OR_RETURN(
      auto exists,
      db.Prepare(
          "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'"));
  ANDING_ASSIGN_OR_RETURN(const bool has_table, exists.Step());
  if (!has_table) return versions;
  ANDING_ASSIGN_OR_RETURN(auto s, db.Prepare("SELECT domain, MAX(version) FROM schema_migrations "
                                             "GROUP BY domain ORDER BY domain"));
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, s.Step());
    if (!row) break;
    versions.push_back({s.Text(0), static_cast<int>(s.Int64(1))});
  }
  return versions;
}

Status CheckIntegrity(storage::Database& db) {
  ANDING_ASSIGN_OR_RETURN(auto s, db.Prepare("PRAGMA integrity_check(10)"));
  std::string findings;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, s.Step());
    if (!row) break;
    const std::string line = s.Text(0);
    if (line == "ok") return OkStatus();
    StrAppend(findings, findings.empty() ? "" : "; ", line);
  }
  return DataLossError(StrCat("integrity check of '", db.path(), "' failed: ", findings));
}

Status SyncFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return UnavailableError(StrCat("cannot open '", path, "': ", std::strerror(errno)));
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) return UnavailableError(StrCat("cannot sync '", path, "': ", std::strerror(error)));
  return OkStatus();
}

Status SyncDirectory(const std::string& directory) { return SyncFile(directory); }

std::string DirectoryOf(const std::string& path) {
  const std::string parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

}  // namespace internal
}  // namespace anding::backup

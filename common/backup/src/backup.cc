#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include "anding/common/strings.h"
#include "anding/runtime/files.h"
#include "internal.h"

namespace anding::backup {
namespace {

constexpr std::string_view kPartial = ".partial";
constexpr std::string_view kManifest = ".manifest";

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool Exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(std::filesystem::symlink_status(path, ec));
}

// Removes `path` if it exists; its absence is not an error.
void RemoveIfThere(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove(path, ec);
}

// Copies `source`'s snapshot into `target` in steps; `source` holds a read
// transaction across the whole loop.
Status CopyPages(storage::Database& source, storage::Database& target, const CopyOptions& options,
                 Backup& out) {
  sqlite3_backup* copy = sqlite3_backup_init(target.handle(), "main", source.handle(), "main");
  if (copy == nullptr) return target.Error(sqlite3_errcode(target.handle()), "backup init");
  int rc = SQLITE_OK;
  bool cancelled = false;
  while (true) {
    if (options.cancel != nullptr && options.cancel->load()) {
      cancelled = true;
      break;
    }
    rc = sqlite3_backup_step(copy, options.pages_per_step);
    ++out.steps;
    if (rc == SQLITE_DONE) break;
    // BUSY or LOCKED: the target or source is locked for a moment; retry.
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    if (rc != SQLITE_OK || options.pause_between_steps.count() > 0) {
      std::this_thread::sleep_for(std::max(options.pause_between_steps,
                                           std::chrono::microseconds(rc == SQLITE_OK ? 0 : 1000)));
    }
  }
  out.pages = sqlite3_backup_pagecount(copy);
  const int finished = sqlite3_backup_finish(copy);
  if (cancelled) return AbortedError("the backup was cancelled: its owner is stopping");
  if (rc != SQLITE_DONE) return target.Error(rc, "backup step");
  if (finished != SQLITE_OK) return target.Error(finished, "backup finish");
  return OkStatus();
}

// Everything of TakeBackup but the final names: the copy at `partial`.
Status CopyInto(const std::string& source_path, const std::string& partial,
                const CopyOptions& options, Backup& out) {
  const auto started = std::chrono::steady_clock::now();
  storage::OpenOptions read_only;
  read_only.read_only = true;
  ANDING_ASSIGN_OR_RETURN(auto source, storage::Database::Open(source_path, read_only));
  // One read transaction for the versions and every page: the snapshot the
  // copy shows. A step between the owner's commits would otherwise see a
  // changed file and start the whole copy over.
  ANDING_RETURN_IF_ERROR(source->Exec("BEGIN"));
  Status copied = [&]() -> Status {
    ANDING_ASSIGN_OR_RETURN(out.manifest.schema, internal::ReadSchemaVersions(*source));
    storage::OpenOptions plain;
    plain.durable = false;
    ANDING_ASSIGN_OR_RETURN(auto target, storage::Database::Open(partial, plain));
    ANDING_RETURN_IF_ERROR(CopyPages(*source, *target, options, out));
    // A self-contained file: a rollback journal instead of the source's
    // WAL mode, so that the copy is one file and opens read-only anywhere.
    ANDING_RETURN_IF_ERROR(target->Exec("PRAGMA journal_mode = DELETE"));
    return internal::CheckIntegrity(*target);
  }();
  source->Rollback();
  out.copy_time = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  ANDING_RETURN_IF_ERROR(copied);
  return internal::SyncFile(partial);
}

}  // namespace

Status CheckName(std::string_view name) {
  if (name.empty() || name.size() > 128) {
    return InvalidArgumentError("a backup name has 1 to 128 characters");
  }
  if (name.find('/') != std::string_view::npos || name.find('\\') != std::string_view::npos) {
    return InvalidArgumentError(
        StrCat("a backup name is a file name, not a path: '", name,
               "' has a path separator (backups are written to the configured backup.directory)"));
  }
  if (name.front() == '.') return InvalidArgumentError("a backup name may not start with '.'");
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) {
      return InvalidArgumentError("a backup name may hold only letters, digits, '.', '_' and '-'");
    }
  }
  if (EndsWith(name, kPartial) || EndsWith(name, kManifest)) {
    return InvalidArgumentError(
        StrCat("a backup name may not end in ", kPartial, " or ", kManifest));
  }
  return OkStatus();
}

std::string CompactUtc(Time now) {
  // "2026-12-04T10:15:00.000Z" -> "20261204T101500Z".
  std::string compact;
  for (const char c : FormatUtc(now).substr(0, 19)) {
    if (c != '-' && c != ':') compact += c;
  }
  return compact + "Z";
}

std::string DefaultName(std::string_view prefix, Time now) {
  return StrCat(prefix, "-", CompactUtc(now), ".db");
}

std::string ManifestPath(const std::string& backup_path) { return StrCat(backup_path, kManifest); }

Result<Backup> TakeBackup(const std::string& source, const std::string& directory,
                          const std::string& name, Time now, const CopyOptions& options) {
  ANDING_RETURN_IF_ERROR(CheckName(name));
  if (options.pages_per_step < 1) return InvalidArgumentError("pages_per_step must be positive");
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) {
    return UnavailableError(
        StrCat("cannot create the backup directory '", directory, "': ", ec.message()));
  }
  Backup out;
  out.path = (std::filesystem::path(directory) / name).string();
  out.manifest_path = ManifestPath(out.path);
  if (Exists(out.path) || Exists(out.manifest_path)) {
    return AlreadyExistsError(
        StrCat("'", out.path, "' exists; a backup is never overwritten: choose another name"));
  }
  const std::string partial = StrCat(out.path, kPartial);
  // Left by a copy that was interrupted (one backup at a time writes here).
  RemoveIfThere(partial);
  RemoveIfThere(partial + "-journal");
  if (Status copied = CopyInto(source, partial, options, out); !copied.ok()) {
    RemoveIfThere(partial);
    RemoveIfThere(partial + "-journal");
    return copied;
  }
  auto digest = DigestFile(partial);
  if (!digest.ok()) {
    RemoveIfThere(partial);
    return digest.status();
  }
  // link() does not replace: a file that appeared meanwhile stays.
  if (::link(partial.c_str(), out.path.c_str()) != 0) {
    const int error = errno;
    RemoveIfThere(partial);
    if (error == EEXIST) {
      return AlreadyExistsError(StrCat("'", out.path, "' appeared while the backup was taken"));
    }
    return UnavailableError(StrCat("cannot name '", out.path, "': ", std::strerror(error)));
  }
  RemoveIfThere(partial);
  Manifest& m = out.manifest;
  m.file = name;
  m.size_bytes = digest->size_bytes;
  m.sha256 = digest->sha256;
  m.taken_at = FormatUtc(now);
  m.source = source;
  if (Status written = runtime::ReplaceFile(out.manifest_path, FormatManifest(m)); !written.ok()) {
    RemoveIfThere(out.path);
    return written;
  }
  ANDING_RETURN_IF_ERROR(internal::SyncDirectory(directory));
  return out;
}

}  // namespace anding::backup

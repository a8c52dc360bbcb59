#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "anding/common/strings.h"
#include "anding/runtime/files.h"
#include "internal.h"

namespace anding::backup {
namespace {

bool Exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(std::filesystem::symlink_status(path, ec));
}

Status Errno(std::string_view what, const std::string& path) {
  return UnavailableError(StrCat("cannot ", what, " '", path, "': ", std::strerror(errno)));
}

}  // namespace

Result<Manifest> VerifyBackup(const std::string& backup_path) {
  if (!Exists(backup_path)) return NotFoundError(StrCat("no backup at '", backup_path, "'"));
  const std::string manifest_path = ManifestPath(backup_path);
  auto text = runtime::ReadFile(manifest_path);
  if (!text.ok()) {
    return NotFoundError(StrCat("no manifest '", manifest_path,
                                "' beside the backup: without it the copy cannot be verified"));
  }
  auto manifest = ParseManifest(*text);
  if (!manifest.ok()) return Annotate(manifest.status(), manifest_path);
  ANDING_ASSIGN_OR_RETURN(const FileDigest digest, DigestFile(backup_path));
  if (digest.size_bytes != manifest->size_bytes || digest.sha256 != manifest->sha256) {
    return DataLossError(StrCat("'", backup_path,
                                "' is not the file its manifest describes: ", digest.size_bytes,
                                " bytes with SHA-256 ", digest.sha256, ", the manifest says ",
                                manifest->size_bytes, " bytes with ", manifest->sha256));
  }
  storage::OpenOptions read_only;
  read_only.read_only = true;
  ANDING_ASSIGN_OR_RETURN(auto db, storage::Database::Open(backup_path, read_only));
  ANDING_RETURN_IF_ERROR(internal::CheckIntegrity(*db));
  ANDING_ASSIGN_OR_RETURN(const auto schema, internal::ReadSchemaVersions(*db));
  if (schema != manifest->schema) {
    return DataLossError(
        StrCat("'", backup_path, "' holds other schema versions than its manifest lists"));
  }
  return *std::move(manifest);
}

Result<Restored> RestoreBackup(const std::string& backup_path, const std::string& database,
                               Time now) {
  Restored out;
  ANDING_ASSIGN_OR_RETURN(out.manifest, VerifyBackup(backup_path));
  const std::string directory = internal::DirectoryOf(database);
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return UnavailableError(StrCat("cannot create '", directory, "': ", ec.message()));

  // The copy arrives beside the database first, so that putting it in
  // place is one rename within one file system.
  const std::string incoming = StrCat(database, ".restoring");
  std::filesystem::remove(incoming, ec);
  std::filesystem::copy_file(backup_path, incoming, ec);
  if (ec) {
    return UnavailableError(
        StrCat("cannot copy '", backup_path, "' to '", incoming, "': ", ec.message()));
  }
  auto cleanup = [&] { std::filesystem::remove(incoming, ec); };
  if (Status synced = internal::SyncFile(incoming); !synced.ok()) {
    cleanup();
    return synced;
  }
  auto digest = DigestFile(incoming);
  if (!digest.ok() || digest->sha256 != out.manifest.sha256) {
    cleanup();
    return digest.ok() ? DataLossError(StrCat("the copy at '", incoming,
                                              "' differs from the backup; nothing was changed"))
                       : digest.status();
  }

  if (Exists(database)) {
    out.kept_aside = StrCat(database, ".before-restore-", CompactUtc(now));
    if (Exists(out.kept_aside)) {
      cleanup();
      return AlreadyExistsError(StrCat("'", out.kept_aside, "' exists; try again in a second"));
    }
    // Hard links first: the current database keeps its name until the
    // rename below replaces it, and the kept copy never goes away.
    for (const std::string suffix : {"", "-wal", "-shm"}) {
      const std::string from = database + suffix;
      if (!Exists(from)) continue;
      if (::link(from.c_str(), (out.kept_aside + suffix).c_str()) != 0) {
        const Status failed = Errno("keep aside", from);
        cleanup();
        return failed;
      }
    }
    // The WAL and its index belong to the old file: left beside the new
    // one, SQLite would replay the old transactions onto it.
    for (const std::string suffix : {"-wal", "-shm"}) {
      const std::string path = database + suffix;
      if (Exists(path) && ::unlink(path.c_str()) != 0) {
        const Status failed = Errno("remove", path);
        cleanup();
        return failed;
      }
    }
  }
  if (::rename(incoming.c_str(), database.c_str()) != 0) {
    const Status failed = Errno("rename the restored copy to", database);
    cleanup();
    // The old database stays: give it its WAL back.
    for (const std::string suffix : {"-wal", "-shm"}) {
      if (!out.kept_aside.empty() && Exists(out.kept_aside + suffix)) {
        ::link((out.kept_aside + suffix).c_str(), (database + suffix).c_str());
      }
    }
    return failed;
  }
  ANDING_RETURN_IF_ERROR(internal::SyncDirectory(directory));
  return out;
}

}  // namespace anding::backup

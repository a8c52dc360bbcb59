// Pieces the backup and restore halves share. Private to anding_backup.
#pragma once

#include <string>
#include <vector>

#include "anding/backup/backup.h"
#include "anding/storage/database.h"

namespace anding::backup::internal {

// Every domain's version in `db`'s schema_migrations, by domain name; none
// for a database that has no such table.
[[nodiscard]] Result<std::vector<DomainVersion>> ReadSchemaVersions(storage::Database& db);

// PRAGMA integrity_check on `db`: DataLoss with its first findings unless
// it answers "ok".
[[nodiscard]] Status CheckIntegrity(storage::Database& db);

// fsync of a file, and of a directory (so that a rename in it is durable).
[[nodiscard]] Status SyncFile(const std::string& path);
[[nodiscard]] Status SyncDirectory(const std::string& directory);

// The directory part of `path` ("." for a bare file name).
[[nodiscard]] std::string DirectoryOf(const std::string& path);

}  // namespace anding::backup::internal

// Backups of a live SQLite store — the dispatcher's database, an agent's
// outbox — and putting one back.
//
// A backup is a consistent copy taken while the owner keeps writing: SQLite's
// online backup API reads from a connection of its own that holds one read
// transaction for the whole copy. In WAL mode a reader never blocks the
// writer, and holding the snapshot keeps the copy from restarting whenever
// the writer commits (a copy between commits would start over forever on a
// busy store). The copy is then made self-contained (rollback journal, no
// -wal beside it), checked with PRAGMA integrity_check, synced, and
// described by a manifest next to it: size, SHA-256 and the schema version
// of every domain, read in the same snapshot as the copy.
//
// Restoring verifies a backup against its manifest and its integrity, keeps
// the current database aside (renamed, with its -wal, never deleted), and
// puts the copy in place with one rename. The caller makes sure nothing has
// the database open (the dispatcher holds its data directory's lock:
// anding/runtime/files.h).
//
// Thread-safety: free functions; each call uses its own connections, so
// calls may run on any thread. A call blocks for as long as the copy takes.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"

namespace anding::backup {

// A domain's schema version (storage::Database::SchemaVersion).
struct DomainVersion {
  std::string domain;
  int version = 0;
  friend bool operator==(const DomainVersion&, const DomainVersion&) = default;
};

// What a backup file holds: the content of its manifest.
struct Manifest {
  std::string file;  // the copy's file name, without its directory
  int64_t size_bytes = 0;
  std::string sha256;    // of the whole file, lowercase hex
  std::string taken_at;  // RFC 3339, UTC
  std::string source;    // the database it copies
  std::vector<DomainVersion> schema;
};

struct Backup {
  std::string path;           // the copy
  std::string manifest_path;  // its manifest
  Manifest manifest;
  // How the copy went: pages copied, in how many steps, how long it took.
  int64_t pages = 0;
  int64_t steps = 0;
  std::chrono::milliseconds copy_time{0};
};

struct CopyOptions {
  // Pages copied per step of sqlite3_backup_step: the unit of work between
  // two chances for the disk to serve the owner's commits.
  int pages_per_step = 256;
  // A rest after each step (zero: none), for a store whose disk is busy.
  std::chrono::microseconds pause_between_steps{0};
  // When set and true, the copy stops at the next step with Aborted (the
  // owner is shutting down).
  const std::atomic<bool>* cancel = nullptr;
};

// Whether `name` may name a backup file in a backup directory: 1 to 128
// letters, digits, '.', '_' or '-', not starting with '.', and none of the
// suffixes this code gives its own files. InvalidArgument saying why — in
// particular for a path separator: a name never leaves the directory.
[[nodiscard]] Status CheckName(std::string_view name);

// The default name of a backup taken at `now`: "<prefix>-20261204T101500Z.db".
[[nodiscard]] std::string DefaultName(std::string_view prefix, Time now);

// "20261204T101500Z": `now` for file names.
[[nodiscard]] std::string CompactUtc(Time now);

// The manifest of the backup at `backup_path`: "<backup_path>.manifest".
[[nodiscard]] std::string ManifestPath(const std::string& backup_path);

// Copies the database at `source` (which its owner may be writing) into
// `directory`/`name`, creating the directory if needed, and writes the
// manifest beside it; `now` is the manifest's taken_at. InvalidArgument
// for a bad name; AlreadyExists when the file (or its manifest) exists — a
// backup is never overwritten; DataLoss when the copy fails its integrity
// check; Unavailable for I/O errors. On failure nothing is left under
// `name` (a half-written "<name>.partial" is removed).
[[nodiscard]] Result<Backup> TakeBackup(const std::string& source, const std::string& directory,
                                        const std::string& name, Time now,
                                        const CopyOptions& options = {});

// Checks the backup at `backup_path` against its manifest: size, SHA-256,
// PRAGMA integrity_check, and the schema versions it holds. Returns the
// manifest. NotFound without the file or its manifest; DataLoss when
// anything differs (naming what).
[[nodiscard]] Result<Manifest> VerifyBackup(const std::string& backup_path);

struct Restored {
  Manifest manifest;
  // Where the database that was there now is ("" if there was none); its
  // -wal and -shm, if any, beside it with the same suffixes.
  std::string kept_aside;
};

// Puts the backup at `backup_path` in place of `database`, which nothing
// may have open. Verifies it first (as VerifyBackup), copies it beside
// `database` and checks the copy's checksum again, keeps the current file
// aside as "<database>.before-restore-<UTC>" (with its -wal and -shm: a
// database after kill -9 has committed data in its -wal), then renames the
// copy into place. Any error before the rename leaves `database` as it was.
[[nodiscard]] Result<Restored> RestoreBackup(const std::string& backup_path,
                                             const std::string& database, Time now);

// The manifest as text (YAML), and back. InvalidArgument for a text that
// is not a manifest.
[[nodiscard]] std::string FormatManifest(const Manifest& manifest);
[[nodiscard]] Result<Manifest> ParseManifest(std::string_view text);

// The SHA-256 (lowercase hex) and size of the file at `path`.
struct FileDigest {
  std::string sha256;
  int64_t size_bytes = 0;
};
[[nodiscard]] Result<FileDigest> DigestFile(const std::string& path);

}  // namespace anding::backup

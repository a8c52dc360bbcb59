// A thin, safe wrapper over one SQLite connection: prepared statements with
// typed binding, transactions, and per-domain versioned schema migrations.
//
// Every domain (intake, link, dispatch, funds, ledger, ...) owns its tables
// and its own migration track (schema_migrations.domain), so domains evolve
// independently. Repository functions for a domain take a Database& and are
// the only code that writes SQL for it; a future PostgreSQL backend
// re-implements those functions, not the core.
//
// Errors map to Status by what the caller should do: SQLITE_FULL, IOERR,
// BUSY and LOCKED are Unavailable (retry; nothing was committed);
// constraint violations are FailedPrecondition; anything else is Internal.
//
// Thread-safety: a Database is used by one thread at a time. The dispatcher
// has one writer connection (the commit thread) and separate read-only
// connections for queries.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "anding/common/status.h"

namespace anding::storage {

class Database;

// A prepared statement. Bind indexes start at 1, column indexes at 0.
class Statement {
 public:
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) noexcept;
  ~Statement();

  // Who keeps bound text and bytes: SQLite (a copy, the default), or the
  // caller, who keeps them unchanged until the statement is reset (no copy;
  // for rows written in bulk).
  enum class Keep { kCopy, kUntilReset };

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view text, Keep keep = Keep::kCopy);
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& BindBlob(int index, std::string_view bytes, Keep keep = Keep::kCopy);
  Statement& BindNull(int index);
  Statement& Bind(int index, std::optional<int64_t> value) {
    return value ? Bind(index, *value) : BindNull(index);
  }

  // Advances: true when a row is available, false when done.
  [[nodiscard]] Result<bool> Step();
  // Runs to completion, ignoring rows (INSERT/UPDATE/DELETE).
  [[nodiscard]] Status Run();
  // Ready for new bindings and another run.
  void Reset();

  [[nodiscard]] int64_t Int64(int column) const;
  [[nodiscard]] std::string Text(int column) const;
  [[nodiscard]] std::string Blob(int column) const;
  [[nodiscard]] bool IsNull(int column) const;
  [[nodiscard]] std::optional<int64_t> OptionalInt64(int column) const;

 private:
  friend class Database;
  Statement(Database* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Database* db_;
  sqlite3_stmt* stmt_;
  Status bind_error_;
};

struct OpenOptions {
  // Open read-only (queries); otherwise read-write, created if missing.
  bool read_only = false;
  // WAL journal and synchronous=FULL: a commit is on disk when it returns.
  bool durable = true;
  // Run WAL checkpoints automatically on commit. The dispatcher turns this
  // off on its writer and checkpoints from a separate connection, so that
  // checkpoints never stall a commit (and therefore an ack).
  bool auto_checkpoint = true;
  // Milliseconds to wait on a lock held by another connection.
  int busy_timeout_ms = 5000;
};

struct Migration {
  int version;              // 1, 2, 3, ... within its domain
  std::string description;  // what it changes, for the log
  std::string sql;          // one or more statements
};

// One domain's schema steps (sorted by version, starting at 1).
struct DomainSchema {
  std::string domain;
  std::vector<Migration> migrations;
};

// A domain whose stored schema is older than this build's.
struct PendingMigration {
  std::string domain;
  int from = 0;  // the stored version (0: the domain has no tables yet)
  int to = 0;    // the newest this build knows
};

class Database {
 public:
  // Opens (creating if allowed) the database at `path`. Unavailable if the
  // file cannot be opened.
  [[nodiscard]] static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                              const OpenOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements without results.
  [[nodiscard]] Status Exec(std::string_view sql);
  // Prepares a statement (not cached).
  [[nodiscard]] Result<Statement> Prepare(std::string_view sql);
  // A prepared statement kept for the connection's lifetime, reset and
  // ready to bind. For hot paths. The reference stays valid until close.
  [[nodiscard]] Result<Statement*> Cached(std::string_view sql);

  [[nodiscard]] Status Begin();  // BEGIN IMMEDIATE
  [[nodiscard]] Status Commit();
  void Rollback();  // best effort; logs nothing, never fails

  // Brings `domain`'s tables to the newest version in `migrations` (sorted
  // by version, starting at 1), all steps in one transaction. Fails with
  // FailedPrecondition if the file is newer than this build knows.
  [[nodiscard]] Status Migrate(std::string_view domain, const std::vector<Migration>& migrations);
  // The domains of `schema` whose stored version is older than their newest
  // step, in the order given. FailedPrecondition, naming the domain and
  // both versions, if any domain is stored at a version newer than this
  // build knows; Internal if steps are not numbered 1, 2, 3, ...
  [[nodiscard]] Result<std::vector<PendingMigration>> PendingMigrations(
      const std::vector<DomainSchema>& schema);
  // Runs every pending step of every domain in `schema` in ONE transaction
  // (SQLite's DDL is transactional): either the whole upgrade is stored, or
  // a failing step leaves the file as it was, and its error names the
  // domain and version. The same refusals as PendingMigrations.
  [[nodiscard]] Status MigrateAll(const std::vector<DomainSchema>& schema);
  // The version `domain` is at (0 = never migrated).
  [[nodiscard]] Result<int> SchemaVersion(std::string_view domain);

  // Rows changed by the last INSERT/UPDATE/DELETE.
  [[nodiscard]] int64_t Changes() const;
  [[nodiscard]] int64_t LastInsertRowId() const;
  // What a checkpoint saw: frames in the WAL and frames copied back into
  // the database file (all of them: the next write may restart the WAL
  // from its beginning instead of growing it).
  struct WalState {
    int log_frames = 0;
    int checkpointed_frames = 0;
    [[nodiscard]] bool fully_checkpointed() const { return checkpointed_frames >= log_frames; }
  };
  // Runs a passive WAL checkpoint (never blocks writers). A busy database
  // is not an error: the state then says what was copied.
  [[nodiscard]] Result<WalState> CheckpointPassive();

  [[nodiscard]] const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }

  // The Status for SQLite result `rc` in the current context.
  [[nodiscard]] Status Error(int rc, std::string_view context) const;

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// Runs `body` in a transaction: commits if it returns OK, rolls back
// otherwise, and returns its status (or the commit's).
template <typename Body>
[[nodiscard]] Status InTransaction(Database& db, Body&& body) {
  ANDING_RETURN_IF_ERROR(db.Begin());
  Status status = body();
  if (!status.ok()) {
    db.Rollback();
    return status;
  }
  status = db.Commit();
  if (!status.ok()) db.Rollback();
  return status;
}

}  // namespace anding::storage

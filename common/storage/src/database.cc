#include "anding/storage/database.h"

#include <algorithm>

#include "anding/common/strings.h"

namespace anding::storage {

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), bind_error_(std::move(other.bind_error_)) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = other.stmt_;
    bind_error_ = std::move(other.bind_error_);
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int index, int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_.ok()) bind_error_ = db_->Error(rc, "bind");
  return *this;
}

namespace {
sqlite3_destructor_type Destructor(Statement::Keep keep) {
  return keep == Statement::Keep::kCopy ? SQLITE_TRANSIENT : SQLITE_STATIC;
}
}  // namespace

Statement& Statement::Bind(int index, std::string_view text, Keep keep) {
  const int rc =
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), Destructor(keep), SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_.ok()) bind_error_ = db_->Error(rc, "bind");
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes, Keep keep) {
  const int rc = sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), Destructor(keep));
  if (rc != SQLITE_OK && bind_error_.ok()) bind_error_ = db_->Error(rc, "bind");
  return *this;
}

Statement& Statement::BindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_error_.ok()) bind_error_ = db_->Error(rc, "bind");
  return *this;
}

Result<bool> Statement::Step() {
  if (!bind_error_.ok()) return bind_error_;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->Error(rc, sqlite3_sql(stmt_));
}

Status Statement::Run() {
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool row, Step());
    if (!row) return OkStatus();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = OkStatus();
}

int64_t Statement::Int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::Text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string Statement::Blob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  if (data == nullptr) return {};
  return std::string(static_cast<const char*>(data),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::optional<int64_t> Statement::OptionalInt64(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int64(column);
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                 const OpenOptions& options) {
  sqlite3* handle = nullptr;
  const int flags =
      (options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = StrCat("cannot open database '", path,
                                 "': ", handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc));
    sqlite3_close(handle);
    return UnavailableError(std::move(message));
  }
  std::unique_ptr<Database> db(new Database(handle, path));
  sqlite3_extended_result_codes(handle, 1);
  sqlite3_busy_timeout(handle, options.busy_timeout_ms);
  ANDING_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys = ON;"));
  if (!options.read_only) {
    if (options.durable) {
      ANDING_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"));
    }
    if (!options.auto_checkpoint) {
      ANDING_RETURN_IF_ERROR(db->Exec("PRAGMA wal_autocheckpoint = 0;"));
    }
    ANDING_RETURN_IF_ERROR(db->Exec("PRAGMA journal_size_limit = 67108864;"));
  }
  return db;
}

Database::~Database() {
  cache_.clear();
  sqlite3_close(db_);
}

Status Database::Error(int rc, std::string_view context) const {
  std::string message = StrCat(context, ": ", sqlite3_errmsg(db_), " (", sqlite3_errstr(rc), ")");
  switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return UnavailableError(std::move(message));
    case SQLITE_CONSTRAINT:
      return FailedPreconditionError(std::move(message));
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return InvalidArgumentError(std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLossError(std::move(message));
    default:
      return InternalError(std::move(message));
  }
}

Status Database::Exec(std::string_view sql) {
  char* error = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    sqlite3_free(error);
    return Error(rc, text.size() > 80 ? text.substr(0, 80) + "..." : text);
  }
  return OkStatus();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return Error(rc, StrCat("prepare '", sql, "'"));
  return Statement(this, stmt);
}

Result<Statement*> Database::Cached(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    ANDING_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql));
    it = cache_.emplace(std::string(sql), std::make_unique<Statement>(std::move(stmt))).first;
  } else {
    it->second->Reset();
  }
  return it->second.get();
}

Status Database::Begin() { return Exec("BEGIN IMMEDIATE"); }
Status Database::Commit() { return Exec("COMMIT"); }
void Database::Rollback() {
  if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

int64_t Database::Changes() const { return sqlite3_changes64(db_); }
int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

Result<Database::WalState> Database::CheckpointPassive() {
  WalState state;
  const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                           &state.log_frames, &state.checkpointed_frames);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) return Error(rc, "wal checkpoint");
  return state;
}

Result<int> Database::SchemaVersion(std::string_view domain) {
  ANDING_RETURN_IF_ERROR(
      Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
           " domain TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL,"
           " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
           " PRIMARY KEY (domain, version))"));
  ANDING_ASSIGN_OR_RETURN(Statement stmt,
                          Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations "
                                  "WHERE domain = ?"));
  stmt.Bind(1, domain);
  ANDING_ASSIGN_OR_RETURN(const bool row, stmt.Step());
  return row ? static_cast<int>(stmt.Int64(0)) : 0;
}

Result<std::vector<PendingMigration>> Database::PendingMigrations(
    const std::vector<DomainSchema>& schema) {
  std::vector<PendingMigration> pending;
  for (const DomainSchema& domain : schema) {
    const auto& steps = domain.migrations;
    for (size_t i = 0; i < steps.size(); ++i) {
      if (steps[i].version != static_cast<int>(i) + 1) {
        return InternalError(StrCat(domain.domain, " migrations must be numbered 1, 2, 3, ..."));
      }
    }
    ANDING_ASSIGN_OR_RETURN(const int current, SchemaVersion(domain.domain));
    const int newest = steps.empty() ? 0 : steps.back().version;
    if (current > newest) {
      return FailedPreconditionError(StrCat("database '", path_, "' has ", domain.domain,
                                            " schema version ", current,
                                            " but this build knows only up to ", newest,
                                            "; refusing to run an older build on newer data"));
    }
    if (current < newest) pending.push_back({domain.domain, current, newest});
  }
  return pending;
}

Status Database::MigrateAll(const std::vector<DomainSchema>& schema) {
  ANDING_ASSIGN_OR_RETURN(const auto pending, PendingMigrations(schema));
  if (pending.empty()) return OkStatus();
  // One transaction for everything: a step that fails half-way through an
  // upgrade must not leave one domain new and the next old, which no build
  // can load.
  return InTransaction(*this, [&]() -> Status {
    for (const PendingMigration& step : pending) {
      const auto& domain = *std::find_if(schema.begin(), schema.end(), [&](const DomainSchema& d) {
        return d.domain == step.domain;
      });
      for (const Migration& m : domain.migrations) {
        if (m.version <= step.from) continue;
        ANDING_RETURN_IF_ERROR(
            Annotate(Exec(m.sql), StrCat(step.domain, " migration ", m.version)));
        ANDING_ASSIGN_OR_RETURN(Statement record,
                                Prepare("INSERT INTO schema_migrations (domain, version, "
                                        "description) VALUES (?, ?, ?)"));
        record.Bind(1, step.domain).Bind(2, int64_t{m.version}).Bind(3, m.description);
        ANDING_RETURN_IF_ERROR(record.Run());
      }
    }
    return OkStatus();
  });
}

Status Database::Migrate(std::string_view domain, const std::vector<Migration>& migrations) {
  return MigrateAll({{std::string(domain), migrations}});
}

}  // namespace anding::storage

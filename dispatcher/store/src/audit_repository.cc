#include "anding/store/audit_repository.h"

#include "anding/common/strings.h"

namespace anding::store {

std::vector<storage::Migration> AuditMigrations() {
  return {
      {1, "the audit trail: an append-only hash chain",
       R"sql(
CREATE TABLE audit_log (
  sequence INTEGER PRIMARY KEY CHECK (sequence > 0),
  at_us INTEGER NOT NULL,
  who TEXT NOT NULL,
  role TEXT NOT NULL,
  peer TEXT NOT NULL,
  kind TEXT NOT NULL,
  request TEXT NOT NULL,
  before_state TEXT NOT NULL,
  after_state TEXT NOT NULL,
  outcome TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_by_who ON audit_log (who, sequence);
CREATE INDEX audit_by_at ON audit_log (at_us);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE audit_records (
  record TEXT PRIMARY KEY,
  summary TEXT NOT NULL
);
)sql"},
  };
}

namespace {

constexpr std::string_view kColumns =
    "sequence, at_us, who, role, peer, kind, request, before_state, after_state, outcome, "
    "prev_hash, hash";

AuditRow ReadRow(const storage::Statement& s) {
  AuditRow row;
  row.sequence = static_cast<uint64_t>(s.Int64(0));
  row.at = FromUnixMicros(s.Int64(1));
  row.who = s.Text(2);
  row.role = s.Text(3);
  row.peer = s.Text(4);
  row.kind = s.Text(5);
  row.request = s.Text(6);
  row.before = s.Text(7);
  row.after = s.Text(8);
  row.outcome = s.Text(9);
  row.prev_hash = s.Text(10);
  row.hash = s.Text(11);
  return row;
}

}  // namespace

Result<std::optional<AuditHead>> LoadAuditHead(storage::Database& db) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * s,
      db.Cached("SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1"));
  ANDING_ASSIGN_OR_RETURN(const bool found, s->Step());
  if (!found) return std::optional<AuditHead>();
  AuditHead head{static_cast<uint64_t>(s->Int64(0)), s->Text(1)};
  s->Reset();
  return std::optional<AuditHead>(std::move(head));
}

Status InsertAuditRow(storage::Database& db, const AuditRow& row) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement * s,
                          db.Cached(StrCat("INSERT INTO audit_log (", kColumns,
                                           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")));
  s->Bind(1, static_cast<int64_t>(row.sequence))
      .Bind(2, ToUnixMicros(row.at))
      .Bind(3, row.who)
      .Bind(4, row.role)
      .Bind(5, row.peer)
      .Bind(6, row.kind)
      .Bind(7, row.request)
      .Bind(8, row.before)
      .Bind(9, row.after)
      .Bind(10, row.outcome)
      .Bind(11, row.prev_hash)
      .Bind(12, row.hash);
  return s->Run();
}

Result<std::string> LoadRecordSummary(storage::Database& db, std::string_view record) {
  ANDING_ASSIGN_OR_RETURN(storage::Statement * s,
                          db.Cached("SELECT summary FROM audit_records WHERE record = ?"));
  s->Bind(1, record);
  ANDING_ASSIGN_OR_RETURN(const bool found, s->Step());
  std::string summary = found ? s->Text(0) : std::string();
  s->Reset();
  return summary;
}

Status SaveRecordSummary(storage::Database& db, std::string_view record, std::string_view summary) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement * s,
      db.Cached("INSERT INTO audit_records (record, summary) VALUES (?, ?) "
                "ON CONFLICT (record) DO UPDATE SET summary = excluded.summary"));
  s->Bind(1, record).Bind(2, summary);
  return s->Run();
}

Result<std::vector<AuditRow>> ListAudit(storage::Database& db, const AuditQuery& query) {
  std::string sql = StrCat("SELECT ", kColumns, " FROM audit_log WHERE 1=1");
  if (!query.who.empty()) sql += " AND who = ?";
  if (!query.kind.empty()) sql += " AND kind = ?";
  if (query.from) sql += " AND at_us >= ?";
  if (query.to) sql += " AND at_us < ?";
  if (query.before_sequence != 0) sql += " AND sequence < ?";
  sql += StrCat(" ORDER BY sequence DESC LIMIT ", query.limit);
  ANDING_ASSIGN_OR_RETURN(storage::Statement s, db.Prepare(sql));
  int index = 1;
  if (!query.who.empty()) s.Bind(index++, query.who);
  if (!query.kind.empty()) s.Bind(index++, query.kind);
  if (query.from) s.Bind(index++, ToUnixMicros(*query.from));
  if (query.to) s.Bind(index++, ToUnixMicros(*query.to));
  if (query.before_sequence != 0) s.Bind(index++, static_cast<int64_t>(query.before_sequence));
  std::vector<AuditRow> rows;
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool more, s.Step());
    if (!more) return rows;
    rows.push_back(ReadRow(s));
  }
}

Status ForEachAuditRow(storage::Database& db, const std::function<void(const AuditRow&)>& visit) {
  ANDING_ASSIGN_OR_RETURN(
      storage::Statement s,
      db.Prepare(StrCat("SELECT ", kColumns, " FROM audit_log ORDER BY sequence")));
  while (true) {
    ANDING_ASSIGN_OR_RETURN(const bool more, s.Step());
    if (!more) return OkStatus();
    visit(ReadRow(s));
  }
}

}  // namespace anding::store

// Storage of the audit trail: an append-only table of who did what, from
// where, when, what it changed and how it ended, each entry chained to the
// one before it by a hash the shell computes (the store knows no hashing).
// SQLite triggers refuse every UPDATE and DELETE of the table, so changing
// it takes dropping them first — which the chain then reveals.
// Every function runs inside a transaction opened by the caller, or on a
// read connection.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/storage/database.h"

namespace anding::store {

// The schema of domain "audit".
[[nodiscard]] std::vector<storage::Migration> AuditMigrations();

struct AuditRow {
  uint64_t sequence = 0;  // 1, 2, 3, ...
  Time at{};
  std::string who;
  std::string role;
  std::string peer;
  std::string kind;
  std::string request;
  std::string before;
  std::string after;
  std::string outcome;
  std::string prev_hash;  // hex
  std::string hash;       // hex
};

// The newest entry's sequence and hash, or nullopt for an empty trail.
struct AuditHead {
  uint64_t sequence = 0;
  std::string hash;
};
[[nodiscard]] Result<std::optional<AuditHead>> LoadAuditHead(storage::Database& db);
// Appends `row` as it is (its sequence and hashes computed by the caller).
// FailedPrecondition if the sequence is taken.
[[nodiscard]] Status InsertAuditRow(storage::Database& db, const AuditRow& row);

// The summary last recorded for `record` ("kind/id"), or empty; and
// remembering a new one. The before-picture of the next audited change.
[[nodiscard]] Result<std::string> LoadRecordSummary(storage::Database& db, std::string_view record);
[[nodiscard]] Status SaveRecordSummary(storage::Database& db, std::string_view record,
                                       std::string_view summary);

struct AuditQuery {
  std::string who;               // empty = everybody
  std::string kind;              // empty = every kind
  std::optional<Time> from, to;  // at >= from, at < to
  uint64_t before_sequence = 0;  // 0 = from the newest
  uint32_t limit = 50;
};
// Newest first.
[[nodiscard]] Result<std::vector<AuditRow>> ListAudit(storage::Database& db,
                                                      const AuditQuery& query);
// Every entry in sequence order, one at a time (the trail may be long).
[[nodiscard]] Status ForEachAuditRow(storage::Database& db,
                                     const std::function<void(const AuditRow&)>& visit);

}  // namespace anding::store

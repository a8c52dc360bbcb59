// The audit trail as a hash chain. Every entry — an operator's request
// (allowed or refused), a login, a logout, a failed login, a change to an
// account — is appended with the SHA-256 of the previous entry's hash and
// its own canonical content, so that an entry changed, removed or moved
// afterwards breaks the chain at that place. The table refuses UPDATE and
// DELETE (anding/store/audit_repository.h); VerifyAuditChain finds what an
// attacker who dropped those triggers did.
//
// Canonical content: the entry's fields in a fixed order, each written as
// its length in decimal, ':', its bytes, ';' — sequence, at (microseconds
// since the epoch), who, role, peer, kind, request, before, after, outcome.
// hash = hex(SHA-256(prev_hash hex || content)); the first entry's
// prev_hash is 64 zeros.
// Thread-safety: AppendAuditEntry and VerifyAuditChain run on whichever
// thread owns the connection (the commit thread, the query thread).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "anding/common/status.h"
#include "anding/common/time.h"
#include "anding/core/effects.h"
#include "anding/dispatcher/enrolment.h"
#include "anding/storage/database.h"
#include "anding/store/audit_repository.h"
#include "anding/v1/operator.pb.h"

namespace anding::dispatcher {

// One entry before it is chained.
struct AuditEntry {
  Time at{};
  std::string who;
  std::string role;
  std::string peer;
  std::string kind;
  std::string request;
  std::string outcome;
  // The records the action changed: ("kind/id", "state — summary") after
  // the change. Their before-picture is looked up when the entry is written.
  std::vector<std::pair<std::string, std::string>> changes;
};

// An entry for `who` doing `kind` with `outcome` (OK: "ok").
[[nodiscard]] AuditEntry MakeAuditEntry(const Principal& who, std::string_view kind,
                                        const Status& outcome, Time at);
// The request as protobuf JSON with every field named "password" removed.
[[nodiscard]] std::string AuditRequestText(const v1::OperatorRequest& request);
// The changes named by the notices of a command's effects.
void AddAuditChanges(const std::vector<core::FeedNotice>& notices, AuditEntry& entry);

// Appends `entry` after the newest one (commit thread, inside the batch's
// transaction).
[[nodiscard]] Status AppendAuditEntry(storage::Database& db, const AuditEntry& entry);

// hex(SHA-256(prev_hash || canonical content of `row`)).
[[nodiscard]] std::string AuditEntryHash(const store::AuditRow& row);
[[nodiscard]] std::string Sha256Hex(std::string_view bytes);

struct AuditVerdict {
  bool intact = true;
  uint64_t checked = 0;
  uint64_t first_bad = 0;  // the first entry that does not fit; 0 when intact
  std::string problem;
  std::string head_hash;
};
// Recomputes the chain from the first entry and stops at the first one
// that does not fit: a gap in the sequence (entries deleted), a prev_hash
// that is not the previous entry's hash (entries reordered or removed), a
// hash that is not its content's (the entry was changed).
[[nodiscard]] Result<AuditVerdict> VerifyAuditChain(storage::Database& db);

}  // namespace anding::dispatcher

#include "audit_chain.h"

#include <google/protobuf/util/json_util.h>
#include <sodium.h>

#include "anding/common/strings.h"

namespace anding::dispatcher {
namespace {

const std::string kGenesis(64, '0');

void Put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

// Clears every field named "password", at any depth.
void RemovePasswords(google::protobuf::Message& message) {
  const auto* reflection = message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const auto* field : fields) {
    if (field->name() == "password") {
      reflection->ClearField(&message, field);
    } else if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE &&
               !field->is_repeated()) {
      RemovePasswords(*reflection->MutableMessage(&message, field));
    }
  }
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

std::string AuditEntryHash(const store::AuditRow& row) {
  std::string content = row.prev_hash;
  Put(content, std::to_string(row.sequence));
  Put(content, std::to_string(ToUnixMicros(row.at)));
  Put(content, row.who);
  Put(content, row.role);
  Put(content, row.peer);
  Put(content, row.kind);
  Put(content, row.request);
  Put(content, row.before);
  Put(content, row.after);
  Put(content, row.outcome);
  return Sha256Hex(content);
}

AuditEntry MakeAuditEntry(const Principal& who, std::string_view kind, const Status& outcome,
                          Time at) {
  AuditEntry entry;
  entry.at = at;
  entry.who = who.id;
  entry.role =
      who.kind == Principal::Kind::kAgent ? "agent" : std::string(core::RoleName(who.role));
  if (!who.unit_id.empty()) entry.role += StrCat(" ", who.unit_id);
  entry.peer = who.peer;
  entry.kind = std::string(kind);
  entry.outcome = outcome.ok() ? "ok" : outcome.ToString();
  return entry;
}

std::string AuditRequestText(const v1::OperatorRequest& request) {
  v1::OperatorRequest copy = request;
  RemovePasswords(copy);
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(copy, &json, options).ok()) {
    return copy.ShortDebugString();
  }
  return json;
}

void AddAuditChanges(const std::vector<core::FeedNotice>& notices, AuditEntry& entry) {
  for (const core::FeedNotice& notice : notices) {
    entry.changes.emplace_back(StrCat(notice.kind, "/", notice.id),
                               StrCat(notice.state, " — ", notice.summary));
  }
}

Status AppendAuditEntry(storage::Database& db, const AuditEntry& entry) {
  ANDING_ASSIGN_OR_RETURN(const auto head, store::LoadAuditHead(db));
  store::AuditRow row;
  row.sequence = head ? head->sequence + 1 : 1;
  row.prev_hash = head ? head->hash : kGenesis;
  row.at = entry.at;
  row.who = entry.who;
  row.role = entry.role;
  row.peer = entry.peer;
  row.kind = entry.kind;
  row.request = entry.request;
  row.outcome = entry.outcome;
  for (const auto& [record, after] : entry.changes) {
    ANDING_ASSIGN_OR_RETURN(const std::string before, store::LoadRecordSummary(db, record));
    row.before += StrCat(record, ": ", before.empty() ? "(not seen before)" : before, "\n");
    row.after += StrCat(record, ": ", after, "\n");
    ANDING_RETURN_IF_ERROR(store::SaveRecordSummary(db, record, after));
  }
  row.hash = AuditEntryHash(row);
  return store::InsertAuditRow(db, row);
}

Result<AuditVerdict> VerifyAuditChain(storage::Database& db) {
  AuditVerdict verdict;
  std::string previous = kGenesis;
  uint64_t expected = 1;
  const Status walked = store::ForEachAuditRow(db, [&](const store::AuditRow& row) {
    if (!verdict.intact) return;
    if (row.sequence != expected) {
      verdict.problem = StrCat("entries ", expected, "..", row.sequence - 1,
                               " are missing (deleted) before this one");
    } else if (row.prev_hash != previous) {
      verdict.problem =
          "it does not follow the entry before it (entries were reordered or removed)";
    } else if (AuditEntryHash(row) != row.hash) {
      verdict.problem = "its content does not match its hash (the entry was changed)";
    }
    if (!verdict.problem.empty()) {
      verdict.intact = false;
      verdict.first_bad = row.sequence;
      return;
    }
    ++verdict.checked;
    previous = row.hash;
    ++expected;
  });
  ANDING_RETURN_IF_ERROR(walked);
  if (verdict.intact && verdict.checked > 0) verdict.head_hash = previous;
  return verdict;
}

}  // namespace anding::dispatcher

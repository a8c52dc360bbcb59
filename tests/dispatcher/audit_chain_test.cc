// The audit trail's hash chain on a real SQLite file: appended entries
// verify; a changed, a deleted and a reordered entry are each found and
// named; the table itself refuses UPDATE and DELETE.
#include "audit_chain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "anding/store/audit_repository.h"
#include "support/process.h"

namespace anding::dispatcher {
namespace {

using ::testing::HasSubstr;

const Time kStart = FromUnixMicros(1'780'000'000'000'000);

class AuditChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::Database::Open(dir_.path() + "/audit.db");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate("audit", store::AuditMigrations()).ok());
    for (int i = 1; i <= 5; ++i) Append(i);
  }

  void Append(int i) {
    Principal who{Principal::Kind::kOperator, "zhang"};
    who.peer = "curve:Yne@$w-v";
    AuditEntry entry =
        MakeAuditEntry(who, "send_order", OkStatus(), kStart + std::chrono::seconds(i));
    entry.request = "{\"n\":" + std::to_string(i) + "}";
    entry.changes.emplace_back("ledger_item/L-1", "in_progress — update " + std::to_string(i));
    ASSERT_TRUE(storage::InTransaction(*db_, [&] { return AppendAuditEntry(*db_, entry); }).ok());
  }

  // As an attacker with the file would: drop the triggers, then edit.
  void Tamper(const std::string& sql) {
    ASSERT_TRUE(
        db_->Exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;").ok());
    ASSERT_TRUE(db_->Exec(sql).ok()) << sql;
  }

  AuditVerdict Verify() {
    auto verdict = VerifyAuditChain(*db_);
    EXPECT_TRUE(verdict.ok()) << verdict.status();
    return verdict.ok() ? *verdict : AuditVerdict{};
  }

  testing::TempDir dir_{"audit-chain"};
  std::unique_ptr<storage::Database> db_;
};

TEST_F(AuditChainTest, AnUntouchedChainVerifiesAndRecordsBeforeAndAfter) {
  const AuditVerdict verdict = Verify();
  EXPECT_TRUE(verdict.intact);
  EXPECT_EQ(verdict.checked, 5u);
  EXPECT_EQ(verdict.head_hash.size(), 64u);
  store::AuditQuery query;
  query.limit = 10;
  auto rows = store::ListAudit(*db_, query);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 5u);
  EXPECT_EQ(rows->front().sequence, 5u) << "newest first";
  EXPECT_EQ(rows->front().hash, verdict.head_hash);
  EXPECT_THAT(rows->front().before, HasSubstr("update 4"));
  EXPECT_THAT(rows->front().after, HasSubstr("update 5"));
  EXPECT_THAT(rows->back().before, HasSubstr("(not seen before)"));
  EXPECT_EQ(rows->back().prev_hash, std::string(64, '0'));
  EXPECT_EQ(rows->front().peer, "curve:Yne@$w-v");
}

TEST_F(AuditChainTest, TheTableRefusesUpdateAndDelete) {
  EXPECT_THAT(db_->Exec("UPDATE audit_log SET outcome = 'x' WHERE sequence = 2").message(),
              HasSubstr("append-only"));
  EXPECT_THAT(db_->Exec("DELETE FROM audit_log WHERE sequence = 2").message(),
              HasSubstr("append-only"));
  EXPECT_TRUE(Verify().intact);
}

TEST_F(AuditChainTest, AChangedEntryIsNamed) {
  Tamper("UPDATE audit_log SET who = 'li' WHERE sequence = 3");
  const AuditVerdict verdict = Verify();
  EXPECT_FALSE(verdict.intact);
  EXPECT_EQ(verdict.first_bad, 3u);
  EXPECT_EQ(verdict.checked, 2u);
  EXPECT_THAT(verdict.problem, HasSubstr("changed"));
}

TEST_F(AuditChainTest, ADeletedEntryIsNamed) {
  Tamper("DELETE FROM audit_log WHERE sequence = 2");
  const AuditVerdict verdict = Verify();
  EXPECT_FALSE(verdict.intact);
  EXPECT_EQ(verdict.first_bad, 3u);
  EXPECT_THAT(verdict.problem, HasSubstr("missing"));
}

TEST_F(AuditChainTest, ADeletionHiddenByRenumberingIsNamed) {
  Tamper(
      "DELETE FROM audit_log WHERE sequence = 2; "
      "UPDATE audit_log SET sequence = sequence - 1 WHERE sequence > 2");
  const AuditVerdict verdict = Verify();
  EXPECT_FALSE(verdict.intact);
  EXPECT_EQ(verdict.first_bad, 2u);
  EXPECT_THAT(verdict.problem, HasSubstr("does not follow"));
}

TEST_F(AuditChainTest, ReorderedEntriesAreNamed) {
  Tamper(
      "UPDATE audit_log SET sequence = 100 WHERE sequence = 2; "
      "UPDATE audit_log SET sequence = 2 WHERE sequence = 3; "
      "UPDATE audit_log SET sequence = 3 WHERE sequence = 100");
  const AuditVerdict verdict = Verify();
  EXPECT_FALSE(verdict.intact);
  EXPECT_EQ(verdict.first_bad, 2u);
  EXPECT_THAT(verdict.problem, HasSubstr("reordered"));
}

TEST_F(AuditChainTest, AnEntryRehashedByTheAttackerBreaksTheNextLink) {
  // Changing an entry and recomputing its own hash is not enough: the
  // next entry names the old hash.
  store::AuditQuery query;
  query.limit = 10;
  auto rows = store::ListAudit(*db_, query);
  ASSERT_TRUE(rows.ok());
  store::AuditRow third = (*rows)[2];
  ASSERT_EQ(third.sequence, 3u);
  third.who = "li";
  const std::string forged = AuditEntryHash(third);
  Tamper("UPDATE audit_log SET who = 'li', hash = '" + forged + "' WHERE sequence = 3");
  const AuditVerdict verdict = Verify();
  EXPECT_EQ(verdict.first_bad, 4u);
}

TEST(AuditRequestTextTest, PasswordsNeverReachTheTrail) {
  v1::OperatorRequest request;
  request.set_request_id("r1");
  request.mutable_add_user()->set_user("li");
  request.mutable_add_user()->set_password("secret-password-1");
  const std::string text = AuditRequestText(request);
  EXPECT_THAT(text, HasSubstr("\"li\""));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("secret-password-1")));
}

}  // namespace
}  // namespace anding::dispatcher

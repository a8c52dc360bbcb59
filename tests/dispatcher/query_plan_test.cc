// The store's queries of history tables follow an index: every statement a
// listing runs is captured as SQLite prepares it (sqlite3_trace_v2) and
// explained (EXPLAIN QUERY PLAN); a full SCAN of a history table (other
// than of a partial index, which holds only what is open), or a sort of
// one in a temporary b-tree, fails the test, naming the statement and its
// plan. The tables are empty: the plan is chosen from the schema
// and the statement, which is what keeps the answer's time bounded at ten
// million rows.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>
#include <string>
#include <vector>

#include "anding/common/strings.h"
#include "anding/store/link_repository.h"
#include "support/process.h"

namespace anding::store {
namespace {

// Tables that grow with the history: never scanned whole.
const std::set<std::string, std::less<>>& HistoryTables() {
  static const std::set<std::string, std::less<>> tables = {"events", "outbound"};
  return tables;
}

class QueryPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::Database::Open(dir_.path() + "/plans.db");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate("link", LinkMigrations()).ok());
    auto partial = db_->Prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'");
    ASSERT_TRUE(partial.ok());
    while (*partial->Step()) partial_indexes_.insert(partial->Text(0));
    sqlite3_trace_v2(db_->handle(), SQLITE_TRACE_STMT, &QueryPlanTest::Trace, this);
  }
  void TearDown() override { sqlite3_trace_v2(db_->handle(), 0, nullptr, nullptr); }

  static int Trace(unsigned, void* self, void* statement, void*) {
    const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(statement));
    if (sql != nullptr) static_cast<QueryPlanTest*>(self)->statements_.emplace_back(sql);
    return 0;
  }

  // The plan of every statement run since the last call; fails on a scan
  // or a sort of a history table.
  void ExpectIndexed(const std::string& what) {
    std::vector<std::string> statements = std::move(statements_);
    statements_.clear();
    ASSERT_FALSE(statements.empty()) << what << ": no statement ran";
    sqlite3_trace_v2(db_->handle(), 0, nullptr, nullptr);
    for (const std::string& sql : statements) {
      sqlite3_stmt* plan = nullptr;
      ASSERT_EQ(sqlite3_prepare_v2(db_->handle(), ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &plan,
                                   nullptr),
                SQLITE_OK)
          << sql << ": " << sqlite3_errmsg(db_->handle());
      std::string lines;
      std::vector<std::string> bad;
      while (sqlite3_step(plan) == SQLITE_ROW) {
        const std::string detail = reinterpret_cast<const char*>(sqlite3_column_text(plan, 3));
        lines += detail + "\n";
        const auto using_index = detail.find(" USING INDEX ");
        if (using_index != std::string::npos &&
            partial_indexes_.contains(detail.substr(using_index + 13))) {
          continue;  // the open rows only
        }
        for (const std::string& table : HistoryTables()) {
          if (detail == "SCAN " + table || detail.starts_with("SCAN " + table + " ") ||
              (detail.find("TEMP B-TREE") != std::string::npos &&
               sql.find(" " + table + " ") != std::string::npos)) {
            bad.push_back(detail);
          }
        }
      }
      sqlite3_finalize(plan);
      EXPECT_TRUE(bad.empty()) << what << " runs a full scan or sort of a history table:\n"
                               << sql << "\n"
                               << lines;
    }
    sqlite3_trace_v2(db_->handle(), SQLITE_TRACE_STMT, &QueryPlanTest::Trace, this);
  }

  testing::TempDir dir_{"queryplan"};
  std::unique_ptr<storage::Database> db_;
  std::vector<std::string> statements_;
  std::set<std::string, std::less<>> partial_indexes_;
};

TEST_F(QueryPlanTest, EveryEventListingFollowsAnIndex) {
  const std::string unit = "mine-3";
  const std::string kind = "early_warning";
  ASSERT_TRUE(ListEventPage(*db_, EventQuery{"", "", 50, ""}).ok());
  ExpectIndexed("events list");
  ASSERT_TRUE(ListEventPage(*db_, EventQuery{"", "", 50, "id:1795000000000000"}).ok());
  ExpectIndexed("events list --cursor");
  ASSERT_TRUE(ListEventPage(*db_, EventQuery{unit, "", 50, ""}).ok());
  ExpectIndexed("events list --unit");
  ASSERT_TRUE(ListEventPage(*db_, EventQuery{unit, "", 50, "mid:0190"}).ok());
  ExpectIndexed("events list --unit --cursor");
  ASSERT_TRUE(ListEventPage(*db_, EventQuery{"", kind, 50, ""}).ok());
  ExpectIndexed("events list --kind");
  ASSERT_TRUE(ListEventPage(*db_, EventQuery{"", kind, 50, "id:1795000000000000"}).ok());
  ExpectIndexed("events list --kind --cursor");
  ASSERT_TRUE(ListEventPage(*db_, EventQuery{unit, kind, 50, ""}).ok());
  ExpectIndexed("events list --unit --kind");
}

TEST_F(QueryPlanTest, TotalsAndTheStartCountNoHistory) {
  ASSERT_TRUE(CountEvents(*db_, EventQuery{}).ok());
  ExpectIndexed("the count of every event (the feed's, at start)");
  ASSERT_TRUE(CountEvents(*db_, EventQuery{"mine-3", "early_warning", 50, ""}).ok());
  ExpectIndexed("the total of one unit and kind");
  ASSERT_TRUE(ForEachEventSince(*db_, FromUnixMicros(1'795'000'000'000'000), [](EventKey) {}).ok());
  ExpectIndexed("the de-duplication window's ids");
  ASSERT_TRUE(FindEvent(*db_, "mine-3", "0190").ok());
  ExpectIndexed("one event by its id");
  ASSERT_TRUE(LoadPendingOutbound(*db_).ok());
  ExpectIndexed("the orders waiting for an ack");
}

}  // namespace
}  // namespace anding::store

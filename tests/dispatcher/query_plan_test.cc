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

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "anding/common/strings.h"
#include "anding/store/dispatch_repository.h"
#include "anding/store/funds_repository.h"
#include "anding/store/ledger_repository.h"
#include "anding/store/link_repository.h"
#include "anding/store/visits_repository.h"
#include "support/process.h"

namespace anding::store {
namespace {

// Tables that grow with the history: never scanned whole.
const std::set<std::string, std::less<>>& HistoryTables() {
  static const std::set<std::string, std::less<>> tables = {"events",
                                                            "dispatch_incidents",
                                                            "outbound",
                                                            "ledger_items",
                                                            "ledger_warnings",
                                                            "ledger_item_history",
                                                            "ledger_item_updates",
                                                            "ledger_item_warnings",
                                                            "ledger_daily_reports",
                                                            "ledger_screening_reports",
                                                            "ledger_screening_reminders",
                                                            "funds_transfers",
                                                            "funds_holds",
                                                            "funds_estimates",
                                                            "funds_expenses",
                                                            "visits",
                                                            "matters"};
  return tables;
}

// A ledger query with the fields `set` sets.
LedgerItemQuery Query(const std::function<void(LedgerItemQuery&)>& set) {
  LedgerItemQuery query;
  set(query);
  return query;
}

class QueryPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::Database::Open(dir_.path() + "/plans.db");
    ASSERT_TRUE(db.ok());
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate("link", LinkMigrations()).ok());
    ASSERT_TRUE(db_->Migrate("ledger", LedgerMigrations()).ok());
    ASSERT_TRUE(db_->Migrate("dispatch", DispatchMigrations()).ok());
    ASSERT_TRUE(db_->Migrate("funds", FundsMigrations()).ok());
    ASSERT_TRUE(db_->Migrate("visits", VisitsMigrations()).ok());
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
  // or a sort of a history table, and unless one of them follows index
  // `expected` when one is named.
  void ExpectIndexed(const std::string& what, const std::string& expected = "") {
    std::vector<std::string> statements = std::move(statements_);
    statements_.clear();
    ASSERT_FALSE(statements.empty()) << what << ": no statement ran";
    sqlite3_trace_v2(db_->handle(), 0, nullptr, nullptr);
    bool expected_used = expected.empty();
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
        if (using_index != std::string::npos) {
          const std::string index = detail.substr(using_index + 13);
          if (index == expected || index.starts_with(expected + " ")) expected_used = true;
        }
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
    EXPECT_TRUE(expected_used) << what << " does not follow index " << expected;
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
  ASSERT_TRUE(CountPendingOutbound(*db_).ok());
  ExpectIndexed("the count of the orders waiting for an ack");
  ASSERT_TRUE(LoadPendingOutbound(*db_, "zz-office", 0, 100, 64).ok());
  ExpectIndexed("a unit's next orders waiting for an ack");
  ASSERT_TRUE(LoadOutboundSequences(*db_).ok());
  ExpectIndexed("the last order sequence of each unit");
}

// What the ledger module loads at start and after a failed commit, and
// what it reads by key and by period for commands, summaries and
// statistics. One open and one closed-out item with a log entry each, so
// that every statement (the logs' too) runs.
TEST_F(QueryPlanTest, TheLedgersLoadAndItsQueriesFollowAnIndex) {
  namespace ledger = core::ledger;
  const Time t = FromUnixMicros(1'795'000'000'000'000);
  ledger::LedgerChangeSet changes;
  for (const bool closed : {false, true}) {
    ledger::LedgerItem item;
    item.id = closed ? "TZ-2026-0002" : "TZ-2026-0001";
    item.unit_id = "mine-3";
    item.category_id = "other";
    item.registered_at = t;
    item.updated_at = t;
    item.last_activity_at = t;
    item.deadline = t + std::chrono::hours(24);
    if (closed) {
      item.state = ledger::ItemState::kClosedOut;
      item.resolution = "x";
      item.confirmed_by_leader = "y";
      item.closed_out_at = t;
    }
    item.history.push_back(
        ledger::HistoryEntry{t, core::Actor::System(), "registered", {}, "", ""});
    item.updates.push_back(ledger::ProgressUpdate{t, core::Actor::System(), "", "z"});
    item.warning_ids.push_back("YJ-2026-0001");
    changes.items.push_back(ledger::LedgerItemChange{std::move(item), {}});
  }
  // Screening tracked, so that the load reads the periods not yet checked.
  changes.meta = ledger::LedgerMeta{};
  changes.meta->tracking_since = CivilDay(2026, 10, 1);
  ASSERT_TRUE(SaveLedgerChanges(*db_, changes).ok());
  statements_.clear();

  auto start = LoadOpenLedger(*db_, t, CivilDay(2026, 11, 1));
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_EQ(start->items.size(), 2u);
  ExpectIndexed(
      "the ledger's load (open items, those closed out, warnings and daily reports since, "
      "screenings of the periods not checked)");
  ASSERT_TRUE(FindDailyReport(*db_, "mine-3", CivilDay(2026, 11, 1)).ok());
  ExpectIndexed("one daily report by unit and day (a re-filing of an earlier day's)");
  ASSERT_TRUE(LoadDailyReportsOn(*db_, CivilDay(2026, 11, 1)).ok());
  ExpectIndexed("the daily reports of a day (an earlier day's summary)");
  const ledger::Period period{ledger::PeriodKind::kTenDay, 2026, 11, 1};
  ASSERT_TRUE(FindScreeningReport(*db_, "mine-3", period).ok());
  ExpectIndexed("one screening report by unit and period (a re-filing of a checked period's)");
  ASSERT_TRUE(LoadScreeningsOf(*db_, period).ok());
  ExpectIndexed("the screening reports and reminders of a period (its status)");
  auto found = FindLedgerItem(*db_, "TZ-2026-0002");
  ASSERT_TRUE(found.ok() && found->has_value());
  ExpectIndexed("one item by key (show, reopen)");
  auto by_unit = LoadLedgerItems(*db_, Query([&](LedgerItemQuery& q) { q.unit_id = "mine-3"; }));
  ASSERT_TRUE(by_unit.ok());
  EXPECT_EQ(by_unit->size(), 2u);
  ExpectIndexed("the items of a unit (list, export --unit)");
  auto registered = LoadLedgerItems(*db_, Query([&](LedgerItemQuery& q) {
    q.registered_from = t;
    q.registered_before = t + std::chrono::hours(1);
  }));
  ASSERT_TRUE(registered.ok());
  EXPECT_EQ(registered->size(), 2u);
  ExpectIndexed("the items registered in a period (statistics)");
  auto active = LoadLedgerItems(*db_, Query([&](LedgerItemQuery& q) {
    q.registered_before = t + std::chrono::hours(1);
    q.open_since = t;
  }));
  ASSERT_TRUE(active.ok());
  EXPECT_EQ(active->size(), 2u);
  ExpectIndexed("the items open in a period (an earlier day's or a month's summary)");
  auto open = LoadLedgerItems(*db_, Query([&](LedgerItemQuery& q) { q.not_closed_out = true; }));
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(open->size(), 1u);
  ExpectIndexed("the items not closed out");
  ASSERT_TRUE(LoadLedgerWarnings(*db_, t, t + std::chrono::hours(24)).ok());
  ExpectIndexed("the warnings of a day (an earlier day's summary)");
}

// What the dispatch module loads at start and after a failed commit, and
// what it reads by key, by page and by period for `incident show`,
// `incident list`, repeated requests and statistics. One open and one
// closed incident, so that every statement runs on rows.
TEST_F(QueryPlanTest, TheIncidentsLoadAndQueriesFollowAnIndex) {
  namespace dispatch = core::dispatch;
  const Time t = FromUnixMicros(1'795'000'000'000'000);
  dispatch::DispatchChangeSet changes;
  for (const bool closed : {false, true}) {
    dispatch::Incident incident;
    incident.id = closed ? "SJ-20261203-002" : "SJ-20261203-001";
    incident.sequence = closed ? 2 : 1;
    incident.state = closed ? dispatch::IncidentState::kClosed : dispatch::IncidentState::kReported;
    incident.report.place.region_id = "north";
    incident.report.persons = 1;
    incident.request_id = closed ? "req-2" : "req-1";
    incident.reported_at = t;
    incident.registered_at = t;
    incident.updated_at = t;
    incident.reported_by = core::Actor::System();
    changes.incidents.push_back(std::move(incident));
  }
  ASSERT_TRUE(SaveDispatchChanges(*db_, changes).ok());
  statements_.clear();

  auto start = LoadOpenDispatch(*db_, t + std::chrono::hours(1));
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_EQ(start->snapshot.incidents.size(), 1u);
  EXPECT_EQ(start->last_sequence, 2u);
  ExpectIndexed("the incidents' load (open ones, closed ones reported since)");
  auto found = FindStoredIncident(*db_, "SJ-20261203-002");
  ASSERT_TRUE(found.ok() && found->has_value());
  ExpectIndexed("one incident by key (incident show, a command naming it)");
  auto repeated = FindStoredIncidentByRequest(*db_, "req-2");
  ASSERT_TRUE(repeated.ok() && repeated->has_value());
  ExpectIndexed("one incident by its request id (a repeated report)");
  dispatch::IncidentFilter page;
  page.limit = 51;
  auto listed = LoadIncidents(*db_, page);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 2u);
  ExpectIndexed("a page of every incident (incident list)");
  page.before_sequence = 2;
  ASSERT_TRUE(LoadIncidents(*db_, page).ok());
  ExpectIndexed("the next page (incident list --page-token)");
  page.region_id = "north";
  ASSERT_TRUE(LoadIncidents(*db_, page).ok());
  ExpectIndexed("a page of a region (incident list --region)");
  page.region_id.clear();
  page.open_only = true;
  ASSERT_TRUE(LoadIncidents(*db_, page).ok());
  ExpectIndexed(
      "a page of open incidents, while some are left in the store (incident list --open)");
  dispatch::IncidentFilter period;
  period.limit = 0;
  period.reported_since = t;
  period.reported_before = t + std::chrono::hours(24);
  auto reported = LoadIncidents(*db_, period);
  ASSERT_TRUE(reported.ok());
  EXPECT_EQ(reported->size(), 2u);
  ExpectIndexed("the incidents reported in a period (stats responses, fund stats, a summary)");
  period.reported_since.reset();
  period.states = {dispatch::IncidentState::kClosed, dispatch::IncidentState::kCancelled};
  ASSERT_TRUE(LoadIncidents(*db_, period).ok());
  ExpectIndexed("the closed incidents reported before what is held");
}

TEST_F(QueryPlanTest, TheFundsLoadAndReadsFollowAnIndex) {
  // (store::CheckFundsTotals, the monthly reconciliation's check of the
  // whole book, reads every transfer by design and is not listed here.)
  const Time t = FromUnixMicros(1'795'000'000'000'000);
  auto state = LoadOpenFunds(*db_, t);
  ASSERT_TRUE(state.ok()) << state.status();
  ExpectIndexed("the funds' load (pending holds, records since an instant, the last sequence)");
  ASSERT_TRUE(FindFundsRecords(*db_, "tu-1").ok());
  ExpectIndexed("a record by id and its reversals (a retry, a reversal, a hold named)");
  ASSERT_TRUE(FindIncidentEstimates(*db_, "SJ-20261203-001").ok());
  ExpectIndexed("an incident's estimates (a confirmed dispatch's number)");
  ASSERT_TRUE(LoadIncidentFunds(*db_, {"SJ-20261203-001"}).ok());
  ExpectIndexed("an incident's money (funds incident, fund stats, a review's cost)");
  ASSERT_TRUE(LoadAccountTransfers(*db_, "reserve/mine-1", t).ok());
  ExpectIndexed("an account's transfers since an instant (funds statement)");
  ASSERT_TRUE(LoadFundsSince(*db_, t).ok());
  ExpectIndexed("the transfers and holds since an instant (funds reconcile)");
}

// What the visits module loads at start and after a failed commit (the
// repeat window's visits that name their group, through a partial index;
// the highest id), and what it reads for a command: a group's window for
// a backdated visit, one visit by id. (The petition matters: below.)
TEST_F(QueryPlanTest, TheVisitsLoadAndReadsFollowAnIndex) {
  core::visits::VisitsChangeSet changes;
  for (const char* contact : {"", "138"}) {
    core::visits::Visit visit;
    visit.id = contact[0] == '\0' ? "V-000001" : "V-000002";
    visit.day = CivilDay(2026, 11, 1);
    visit.unit_id = "mine-3";
    visit.category_id = "other";
    visit.contact = contact;
    changes.visits[visit.id] = visit;
  }
  ASSERT_TRUE(SaveVisitsChanges(*db_, changes).ok());
  statements_.clear();

  auto start = LoadVisitsState(*db_, CivilDay(2026, 9, 1));
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_EQ(start->visits.size(), 1u) << "the visit naming no group stays in the store";
  EXPECT_EQ(start->next_visit, 3);
  ExpectIndexed("the visits' load (the window's visits naming their group, the highest id)",
                "visits_grouped_by_day");
  auto window =
      LoadGroupVisits(*db_, "mine-3", "other", CivilDay(2026, 8, 1), CivilDay(2026, 11, 1));
  ASSERT_TRUE(window.ok());
  EXPECT_EQ(window->size(), 1u);
  ExpectIndexed("a group's repeat window (a backdated visit)");
  ASSERT_TRUE(FindVisit(*db_, "V-000001").ok());
  ExpectIndexed("one visit by id (a repeat_of, a matter's visit)");
  VisitQuery list;
  list.limit = 1;
  auto page = ListVisitPage(*db_, list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->visits.size(), 1u);
  ExpectIndexed("visits list");
  list.cursor = page->next_cursor;
  ASSERT_TRUE(ListVisitPage(*db_, list).ok());
  ExpectIndexed("visits list --cursor");
  list.unit_id = "mine-3";
  list.cursor.clear();
  ASSERT_TRUE(ListVisitPage(*db_, list).ok());
  ExpectIndexed("visits list --unit", "visits_by_unit");
  list.cursor = page->next_cursor;
  list.from = CivilDay(2026, 1, 1);
  list.repeats_only = true;
  ASSERT_TRUE(ListVisitPage(*db_, list).ok());
  ExpectIndexed("visits list --unit --from --repeats --cursor");
}

// What the visits module reads of the petition matters: at a start the
// ones in which a limit runs (through their partial index) and the
// highest number; one by id for a command that names another; and
// `matters list` a page at a time with each filter, along an index.
TEST_F(QueryPlanTest, TheMattersLoadAndReadsFollowAnIndex) {
  core::visits::VisitsChangeSet changes;
  for (const char* id : {"M-000001", "M-000002"}) {
    core::visits::Matter matter;
    matter.id = id;
    matter.unit_id = "mine-3";
    matter.summary = "事项";
    matter.received_day = CivilDay(2026, 11, 1);
    matter.state =
        id[7] == '1' ? core::visits::MatterState::kReceived : core::visits::MatterState::kConcluded;
    changes.matters[id] = matter;
  }
  ASSERT_TRUE(SaveVisitsChanges(*db_, changes).ok());
  statements_.clear();

  auto start = LoadVisitsState(*db_, CivilDay(2026, 9, 1));
  ASSERT_TRUE(start.ok()) << start.status();
  EXPECT_EQ(start->matters.size(), 1u) << "the concluded matter stays in the store";
  EXPECT_EQ(start->next_matter, 3);
  ExpectIndexed("the matters' load (the running ones, the highest number)", "matters_running");
  ASSERT_TRUE(FindMatter(*db_, "M-000002").ok());
  ExpectIndexed("one matter by id (a command naming one not held)");
  MatterQuery list;
  list.limit = 1;
  auto page = ListMatterPage(*db_, list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->next_cursor, "M-000001");
  ExpectIndexed("matters list", "matters_by_number");
  list.cursor = page->next_cursor;
  ASSERT_TRUE(ListMatterPage(*db_, list).ok());
  ExpectIndexed("matters list --cursor", "matters_by_number");
  list.unit_id = "mine-3";
  ASSERT_TRUE(ListMatterPage(*db_, list).ok());
  ExpectIndexed("matters list --unit --cursor", "matters_by_unit");
  list.unit_id.clear();
  list.state = "concluded";
  ASSERT_TRUE(ListMatterPage(*db_, list).ok());
  ExpectIndexed("matters list --state concluded --cursor", "matters_by_state");
  list.state.clear();
  list.open_only = true;
  ASSERT_TRUE(ListMatterPage(*db_, list).ok());
  ExpectIndexed("matters list --open --cursor", "matters_running");
  list.unit_id = "mine-3";
  list.state = "accepted";
  ASSERT_TRUE(ListMatterPage(*db_, list).ok());
  ExpectIndexed("matters list --open --unit --state accepted", "matters_running");
}

}  // namespace
}  // namespace anding::store

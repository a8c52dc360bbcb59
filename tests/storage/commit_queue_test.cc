#include "anding/storage/commit_queue.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>

#include "support/process.h"

namespace anding::storage {
namespace {

// Collects callbacks posted by the commit thread; the test thread runs
// them, standing in for the dispatcher's io_context.
class Mailbox {
 public:
  CommitQueue::Poster poster() {
    return [this](std::function<void()> task) {
      std::lock_guard lock(mutex_);
      tasks_.push_back(std::move(task));
      ready_.notify_all();
    };
  }
  // Runs posted tasks until `count` have run.
  void RunTasks(size_t count) {
    for (size_t i = 0; i < count; ++i) {
      std::function<void()> task;
      {
        std::unique_lock lock(mutex_);
        ASSERT_TRUE(
            ready_.wait_for(lock, std::chrono::seconds(30), [&] { return !tasks_.empty(); }));
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
};

class CommitQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() + "/q.db";
    auto db = Database::Open(path_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)
                    ->Exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, v INTEGER NOT NULL "
                           "CHECK (v >= 0))")
                    .ok());
  }
  int64_t Count() {
    auto db = Database::Open(path_, OpenOptions{true});
    auto stmt = (*db)->Prepare("SELECT COUNT(*) FROM rows");
    EXPECT_TRUE(*stmt->Step());
    return stmt->Int64(0);
  }
  static CommitQueue::Write Insert(int64_t v) {
    return [v](Database& db) {
      auto stmt = db.Cached("INSERT INTO rows (v) VALUES (?)");
      if (!stmt.ok()) return stmt.status();
      (*stmt)->Bind(1, v);
      return (*stmt)->Run();
    };
  }

  // A queue whose transactions start at least `interval` apart.
  Result<std::unique_ptr<CommitQueue>> StartPaced(std::chrono::microseconds interval) {
    CommitQueue::Options options;
    options.min_commit_interval = interval;
    return CommitQueue::Start(path_, mailbox_.poster(), options);
  }

  testing::TempDir dir_{"commitq"};
  std::string path_;
  Mailbox mailbox_;
};

TEST_F(CommitQueueTest, BatchesShareCommitsAndReportAfterThem) {
  auto queue = CommitQueue::Start(path_, mailbox_.poster());
  ASSERT_TRUE(queue.ok());
  std::vector<Status> results;
  constexpr int kBatches = 2000;
  for (int i = 0; i < kBatches; ++i) {
    (*queue)->Submit({Insert(i), Insert(i)}, [&](Status status) { results.push_back(status); });
  }
  mailbox_.RunTasks(kBatches);
  ASSERT_EQ(results.size(), static_cast<size_t>(kBatches));
  for (const auto& status : results) EXPECT_TRUE(status.ok());
  EXPECT_EQ(Count(), 2 * kBatches);
  const auto stats = (*queue)->stats();
  EXPECT_EQ(stats.writes, static_cast<uint64_t>(2 * kBatches));
  EXPECT_LT(stats.commits, static_cast<uint64_t>(kBatches)) << "no group commit happened";
}

TEST_F(CommitQueueTest, AGroupRefusedForItsContentCostsOnlyItselfAndThoseAfterIt) {
  auto queue = CommitQueue::Start(path_, mailbox_.poster());
  ASSERT_TRUE(queue.ok());
  Status status;
  CommitQueue::Refusals refused;
  // Groups 1 and 2 are fine; group 3 breaks the CHECK; group 4 comes after
  // it; the write without a group always runs.
  (*queue)->Submit({Insert(1), Insert(2), Insert(3), Insert(-1), Insert(5), Insert(6)},
                   {1, 1, 2, 3, 4, 0}, [&](Status s, CommitQueue::Refusals r) {
                     status = s;
                     refused = std::move(r);
                   });
  mailbox_.RunTasks(1);
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(refused.size(), 2u);
  EXPECT_EQ(refused[0].first, 3u);
  EXPECT_EQ(refused[0].second.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused[1].first, 4u);
  EXPECT_EQ(refused[1].second.code(), StatusCode::kUnavailable) << "told to retry";
  EXPECT_EQ(Count(), 4) << "groups 1 and 2 and the ungrouped write are stored";
  EXPECT_TRUE((*queue)->halted()) << "its owner's state holds what was refused";
  EXPECT_EQ((*queue)->stats().failed_commits, 0u);
  EXPECT_EQ((*queue)->stats().refused_groups, 2u);

  // A storage error is not a content error: nothing is stored.
  (*queue)->Resume();
  Status failed;
  (*queue)->Submit({[](Database&) { return UnavailableError("disk I/O error"); }}, {7},
                   [&](Status s, CommitQueue::Refusals) { failed = s; });
  mailbox_.RunTasks(1);
  EXPECT_EQ(failed.code(), StatusCode::kUnavailable);
  EXPECT_EQ((*queue)->stats().failed_commits, 1u);
}

TEST_F(CommitQueueTest, AFailedCommitStoresNothingAndHaltsUntilResumed) {
  auto queue = CommitQueue::Start(path_, mailbox_.poster());
  ASSERT_TRUE(queue.ok());
  Status bad, after, resumed;
  (*queue)->Submit({Insert(1), Insert(-1)}, [&](Status s) { bad = s; });
  mailbox_.RunTasks(1);
  EXPECT_EQ(bad.code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE((*queue)->halted());
  (*queue)->Submit({Insert(2)}, [&](Status s) { after = s; });
  mailbox_.RunTasks(1);
  EXPECT_EQ(after.code(), StatusCode::kUnavailable);
  EXPECT_EQ(Count(), 0) << "nothing of a failed or halted batch is stored";
  (*queue)->Resume();
  (*queue)->Submit({Insert(3)}, [&](Status s) { resumed = s; });
  mailbox_.RunTasks(1);
  EXPECT_TRUE(resumed.ok());
  EXPECT_EQ(Count(), 1);
  EXPECT_EQ((*queue)->stats().failed_commits, 1u);
}

TEST_F(CommitQueueTest, StopCommitsWhatWasSubmitted) {
  auto queue = CommitQueue::Start(path_, mailbox_.poster());
  int done = 0;
  for (int i = 0; i < 100; ++i) (*queue)->Submit({Insert(i)}, [&](Status s) { done += s.ok(); });
  (*queue)->Stop();
  mailbox_.RunTasks(100);
  EXPECT_EQ(done, 100);
  EXPECT_EQ(Count(), 100);
  Status late;
  (*queue)->Submit({Insert(1)}, [&](Status s) { late = s; });
  mailbox_.RunTasks(1);
  EXPECT_EQ(late.code(), StatusCode::kUnavailable);
}

// These tests only bound time from below (a transaction never starts
// early), so a slow machine cannot make them fail.
TEST_F(CommitQueueTest, TransactionsStartAtLeastTheIntervalApart) {
  auto queue = StartPaced(std::chrono::milliseconds(30));
  ASSERT_TRUE(queue.ok());
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 4; ++i) {  // one at a time: four transactions
    Status status;
    (*queue)->Submit({Insert(i)}, [&](Status s) { status = s; });
    mailbox_.RunTasks(1);
    ASSERT_TRUE(status.ok()) << status.message();
  }
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(3 * 30));
  EXPECT_EQ((*queue)->stats().commits, 4u);
  EXPECT_EQ(Count(), 4);
}

TEST_F(CommitQueueTest, WorkQueuedDuringTheIntervalSharesOneTransaction) {
  auto queue = StartPaced(std::chrono::milliseconds(500));
  ASSERT_TRUE(queue.ok());
  std::vector<int> order;
  (*queue)->Submit({Insert(0)}, [&](Status s) { order.push_back(s.ok() ? 0 : -1); });
  mailbox_.RunTasks(1);           // an idle queue commits at once
  for (int i = 1; i <= 3; ++i) {  // these wait out the interval together
    (*queue)->Submit({Insert(i)}, [&, i](Status s) { order.push_back(s.ok() ? i : -1); });
  }
  mailbox_.RunTasks(3);
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ((*queue)->stats().commits, 2u);
  EXPECT_EQ(Count(), 4);
}

TEST_F(CommitQueueTest, StopDoesNotWaitOutTheInterval) {
  auto queue = StartPaced(std::chrono::seconds(100));
  ASSERT_TRUE(queue.ok());
  Status first, second;
  (*queue)->Submit({Insert(1)}, [&](Status s) { first = s; });
  mailbox_.RunTasks(1);
  (*queue)->Submit({Insert(2)}, [&](Status s) { second = s; });
  (*queue)->Stop();  // would hang here for 100 s if Stop waited
  mailbox_.RunTasks(1);
  EXPECT_TRUE(first.ok());
  EXPECT_TRUE(second.ok()) << "what was submitted before Stop is committed";
  EXPECT_EQ(Count(), 2);
}

// A writer that commits without pause never lets a passive checkpoint catch
// up, so without the gated checkpoint the WAL would grow by every commit.
TEST_F(CommitQueueTest, TheWalStartsOverUnderSteadyLoad) {
  CommitQueue::Options options;
  options.checkpoint_interval = std::chrono::milliseconds(5);
  options.restart_after_frames = 64;
  auto queue = CommitQueue::Start(path_, mailbox_.poster(), options);
  ASSERT_TRUE(queue.ok());
  constexpr uint64_t kCommits = 2000;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  int64_t value = 0;
  while ((*queue)->stats().commits < kCommits || (*queue)->stats().gated_checkpoints < 3) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "no gated checkpoint happened";
    Status status;
    (*queue)->Submit({Insert(value++)}, [&](Status s) { status = s; });
    mailbox_.RunTasks(1);  // one commit at a time, back to back
    ASSERT_TRUE(status.ok()) << status.message();
  }
  EXPECT_EQ(Count(), value);
  // Every commit appends at least one 4 KiB page (plus its 24-byte frame
  // header) to the WAL; had it never started over, it would hold them all.
  const auto commits = (*queue)->stats().commits;
  const auto wal_bytes = std::filesystem::file_size(path_ + "-wal");
  EXPECT_LT(wal_bytes, commits * 4120 / 4) << commits << " commits";
  EXPECT_GT((*queue)->stats().longest_gate.count(), 0);
}

}  // namespace
}  // namespace anding::storage

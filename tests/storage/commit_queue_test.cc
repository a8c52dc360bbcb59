#include "anding/store/commit_queue.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <mutex>

#include "support/process.h"

namespace anding::store {
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
        ASSERT_TRUE(ready_.wait_for(lock, std::chrono::seconds(30), [&] { return !tasks_.empty(); }));
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
    ASSERT_TRUE((*db)->Exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, v INTEGER NOT NULL "
                            "CHECK (v >= 0))").ok());
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
    (*queue)->Submit({Insert(i), Insert(i)}, [&](Status status) {
      results.push_back(status);
    });
  }
  mailbox_.RunTasks(kBatches);
  ASSERT_EQ(results.size(), static_cast<size_t>(kBatches));
  for (const auto& status : results) EXPECT_TRUE(status.ok());
  EXPECT_EQ(Count(), 2 * kBatches);
  const auto stats = (*queue)->stats();
  EXPECT_EQ(stats.writes, static_cast<uint64_t>(2 * kBatches));
  EXPECT_LT(stats.commits, static_cast<uint64_t>(kBatches)) << "no group commit happened";
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

}  // namespace
}  // namespace anding::store

#include "committer.h"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "support/process.h"

namespace anding::dispatcher {
namespace {

class CommitterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() + "/c.db";
    auto db = storage::Database::Open(path_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("CREATE TABLE rows (v INTEGER NOT NULL CHECK (v >= 0))").ok());
    auto queue = storage::CommitQueue::Start(
        path_, [this](std::function<void()> task) { boost::asio::post(io_, std::move(task)); });
    ASSERT_TRUE(queue.ok());
    queue_ = std::move(*queue);
    committer_ = std::make_unique<Committer>(
        io_, *queue_, [this](const Status& status) { failures_.push_back(status); });
  }
  void TearDown() override {
    queue_->Stop();
    io_.poll();  // run what the queue reported while stopping
  }
  // Runs the io_context until `done` holds (deadline: 30 s).
  template <typename Pred>
  void RunUntil(Pred done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!done()) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "timed out";
      io_.run_one_for(std::chrono::milliseconds(50));
    }
  }
  static Committer::Write Insert(int64_t v) {
    return [v](storage::Database& db) {
      auto stmt = db.Cached("INSERT INTO rows (v) VALUES (?)");
      if (!stmt.ok()) return stmt.status();
      (*stmt)->Bind(1, v);
      return (*stmt)->Run();
    };
  }
  int64_t Count() {
    auto db = storage::Database::Open(path_, storage::OpenOptions{true});
    auto stmt = (*db)->Prepare("SELECT COUNT(*) FROM rows");
    EXPECT_TRUE(*stmt->Step());
    return stmt->Int64(0);
  }

  testing::TempDir dir_{"committer"};
  std::string path_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  std::unique_ptr<storage::CommitQueue> queue_;
  std::unique_ptr<Committer> committer_;
  std::vector<Status> failures_;
};

TEST_F(CommitterTest, CallbacksRunInOrderAfterTheirBatchIsDurable) {
  std::vector<std::string> ran;
  committer_->Add(Insert(1));
  committer_->OnCommitted([&] { ran.push_back("first"); });
  committer_->BeforeSubmit([&] {
    ran.push_back("before");
    committer_->Add(Insert(2));
    // Registered by a before-submit callback: runs in the same flush.
    committer_->BeforeSubmit([&] { ran.push_back("nested before"); });
  });
  committer_->OnCommitted([&] {
    ran.push_back("second");
    EXPECT_EQ(Count(), 2) << "callbacks run only once the batch is stored";
  });
  RunUntil([&] { return ran.size() == 4; });
  EXPECT_EQ(ran, (std::vector<std::string>{"before", "nested before", "first", "second"}));
  EXPECT_TRUE(failures_.empty());
}

TEST_F(CommitterTest, AFailedBatchAcknowledgesNothingAndRecoveryResumes) {
  bool acked = false;
  committer_->Add(Insert(1));
  committer_->Add(Insert(-1));  // violates the CHECK: the whole batch fails
  committer_->OnCommitted([&] { acked = true; });
  RunUntil([&] { return !failures_.empty(); });
  EXPECT_FALSE(acked) << "nothing of a failed batch is acknowledged";
  EXPECT_EQ(failures_[0].code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(committer_->failed());
  EXPECT_EQ(Count(), 0);

  // While failed: a batch is discarded, but its before-submit callbacks
  // still run (their owners reset what they collected for it).
  bool before_ran = false, discarded_acked = false;
  committer_->BeforeSubmit([&] {
    before_ran = true;
    committer_->Add(Insert(5));
  });
  committer_->OnCommitted([&] { discarded_acked = true; });
  RunUntil([&] { return before_ran; });
  io_.poll();
  EXPECT_FALSE(discarded_acked);
  EXPECT_EQ(Count(), 0);

  committer_->Resume();
  bool resumed = false;
  committer_->Add(Insert(7));
  committer_->OnCommitted([&] { resumed = true; });
  RunUntil([&] { return resumed; });
  EXPECT_EQ(Count(), 1);
  EXPECT_EQ(failures_.size(), 1u);
}

}  // namespace
}  // namespace anding::dispatcher

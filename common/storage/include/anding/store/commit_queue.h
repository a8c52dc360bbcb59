// Group commit: many writers, one transaction, one fsync.
//
// Callers Submit() a batch of writes with a completion callback. A single
// commit thread takes everything submitted so far, runs it in one SQLite
// transaction (WAL, synchronous=FULL) and then reports the outcome of each
// batch through `post`, which hands the callback to the caller's thread (the
// dispatcher's io_context). While one commit is on disk, new batches queue
// up and go into the next one, so throughput does not pay one fsync per
// event and no callback runs before its commit is durable.
//
// If any write in a transaction fails, the whole transaction is rolled back
// and every batch in it receives the error (nothing of it was stored). The
// queue then stops: every batch already queued or submitted later fails
// with Unavailable, unwritten, until Resume() — so the owner can rebuild its
// in-memory state from what is really stored before going on.
// A separate checkpoint thread runs passive WAL checkpoints on its own
// connection so that checkpoints never stall a commit.
//
// Thread-safety: Submit and Stop may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "anding/store/database.h"

namespace anding::store {

class CommitQueue {
 public:
  using Write = std::function<Status(Database&)>;
  using Done = std::function<void(Status)>;
  // Runs `task` on the owner's thread (for example boost::asio::post).
  using Poster = std::function<void(std::function<void()> task)>;

  struct Options {
    // At most this many writes per transaction (bounds commit latency).
    size_t max_writes_per_commit = 20000;
    // Interval between passive WAL checkpoints.
    std::chrono::milliseconds checkpoint_interval{250};
  };

  struct Stats {
    uint64_t commits = 0;
    uint64_t writes = 0;
    uint64_t failed_commits = 0;
  };

  // Opens a writer connection to `path` (already migrated) and starts the
  // commit and checkpoint threads.
  [[nodiscard]] static Result<std::unique_ptr<CommitQueue>> Start(const std::string& path,
                                                                  Poster post, Options options);
  [[nodiscard]] static Result<std::unique_ptr<CommitQueue>> Start(const std::string& path,
                                                                  Poster post) {
    return Start(path, std::move(post), Options{});
  }
  ~CommitQueue();

  // Queues `writes` for the next transaction; `done` later receives OK (all
  // committed) or the error (none committed), through the Poster.
  void Submit(std::vector<Write> writes, Done done);

  // After a failure: accept and commit work again.
  void Resume();
  [[nodiscard]] bool halted() const;

  // Commits everything already submitted, then stops the threads. Further
  // Submits fail with Unavailable.
  void Stop();

  [[nodiscard]] Stats stats() const;

 private:
  struct Batch {
    std::vector<Write> writes;
    Done done;
  };
  CommitQueue(std::unique_ptr<Database> writer, std::unique_ptr<Database> checkpointer,
              Poster post, Options options);
  void CommitLoop();
  void CheckpointLoop();

  std::unique_ptr<Database> writer_;
  std::unique_ptr<Database> checkpointer_;
  Poster post_;
  Options options_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;             // the commit thread: work or stop
  std::condition_variable checkpoint_wake_;  // the checkpoint thread: stop
  std::deque<Batch> queue_;
  bool stopping_ = false;
  bool halted_ = false;
  Stats stats_;

  std::thread commit_thread_;
  std::thread checkpoint_thread_;
};

}  // namespace anding::store

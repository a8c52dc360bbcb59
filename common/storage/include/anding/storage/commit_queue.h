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
//
// Unless the failure is in a write's content (a constraint, a value the
// schema refuses: IsContentError) and the writes carry groups (one input's
// writes, Submit with `groups`): then the transaction is run again with each
// group in a savepoint; the first group whose writes fail for their content
// is left out and named in its batch's Refusals with that error, the groups
// after it are left out as Unavailable (they may have copied records that
// hold its effects; their senders retry), and the groups before it commit.
// The queue stops after such a commit as after a failure, since its owner's
// state holds what was refused.
// Checkpoints run on their own thread and connection, so they do not stall
// commits, and keep the WAL from growing without bound under steady load.
// Transactions start at least `min_commit_interval` apart, so that under
// light load events share fsyncs (how and why: commit_queue.cc).
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

#include "anding/storage/database.h"

namespace anding::storage {

// True for errors caused by what a write stores (a constraint, a datatype,
// a value too big) rather than by the store (a full disk, I/O, a lock).
[[nodiscard]] bool IsContentError(const Status& status);

class CommitQueue {
 public:
  using Write = std::function<Status(Database&)>;
  using Done = std::function<void(Status)>;
  // The groups left out of a commit, each with the error of its write.
  using Refusals = std::vector<std::pair<uint64_t, Status>>;
  using GroupsDone = std::function<void(Status, Refusals)>;
  // Runs `task` on the owner's thread (for example boost::asio::post).
  using Poster = std::function<void(std::function<void()> task)>;

  struct Options {
    // At most this many writes per transaction (bounds commit latency).
    size_t max_writes_per_commit = 20000;
    // Interval between passive WAL checkpoints.
    std::chrono::milliseconds checkpoint_interval{250};
    // WAL size (pages) above which a checkpoint finishes under the commit
    // gate so that the WAL restarts (1,024 pages of 4 KiB: 4 MiB). The
    // gated pass waits for the sync of what it copies, 30-390 ms at full
    // load on the benchmark machine; a smaller WAL means shorter waits
    // (ack p99 at 20,000 events/s 24-26 ms against 29-38 ms with 16 MiB).
    int restart_after_frames = 1024;
    // Transactions start at least this far apart (zero: as soon as work is
    // queued). Bounds the fsyncs per second under light load.
    std::chrono::microseconds min_commit_interval{0};
  };

  struct Stats {
    uint64_t commits = 0;
    uint64_t writes = 0;
    uint64_t failed_commits = 0;
    // Groups left out of commits for their content.
    uint64_t refused_groups = 0;
    uint64_t checkpoints = 0;
    // Checkpoints finished under the commit gate, and the longest time the
    // gate was held for one (commits waited at most that long).
    uint64_t gated_checkpoints = 0;
    std::chrono::microseconds longest_gate{0};
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
  // The same with a group per write (0: no group; such writes must not
  // fail for their content): on a content error only the failing groups are
  // left out (see above). `done` receives OK and the refused groups, or the
  // error when nothing was stored.
  void Submit(std::vector<Write> writes, std::vector<uint64_t> groups, GroupsDone done);

  // After a failure: accept and commit work again.
  void Resume();
  [[nodiscard]] bool halted() const;

  // Commits everything already submitted, then stops the threads. Further
  // Submits fail with Unavailable.
  void Stop();

  [[nodiscard]] Stats stats() const;

  // For writes, on the commit thread: which attempt at a transaction is
  // running (a new number for each), and whether it runs groups in
  // savepoints. A write that stands for several groups (one statement for
  // many rows) does its whole work once per attempt normally, and only its
  // own group's part when isolating.
  [[nodiscard]] static uint64_t Attempt();
  [[nodiscard]] static bool Isolating();

 private:
  struct Batch {
    std::vector<Write> writes;
    std::vector<uint64_t> groups;  // empty, or one per write
    GroupsDone done;
    Refusals refused;
  };
  // Runs `batches` in one transaction with every group in a savepoint,
  // leaving out (and noting in its batch) each group whose writes fail for
  // their content. The error if anything else fails.
  Status CommitIsolated(std::vector<Batch>& batches, size_t& write_count);
  CommitQueue(std::unique_ptr<Database> writer, std::unique_ptr<Database> checkpointer, Poster post,
              Options options);
  void CommitLoop();
  void CheckpointLoop();
  void Checkpoint();

  std::unique_ptr<Database> writer_;
  std::unique_ptr<Database> checkpointer_;
  Poster post_;
  Options options_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;             // the commit thread: work or stop
  std::condition_variable checkpoint_wake_;  // the checkpoint thread: stop
  // Held by the commit thread around each transaction, and by the
  // checkpoint thread to finish a checkpoint with no commit in between.
  std::mutex commit_gate_;
  std::deque<Batch> queue_;
  // The commit thread waits for work (not for the interval): Submit wakes it.
  bool idle_ = false;
  bool stopping_ = false;
  bool halted_ = false;
  Stats stats_;

  std::thread commit_thread_;
  std::thread checkpoint_thread_;
};

}  // namespace anding::storage

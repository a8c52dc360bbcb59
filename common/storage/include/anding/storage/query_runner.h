// Runs read-only queries on a thread of its own, against its own connection,
// so that a long listing never delays intake on the owner's thread. The
// query function receives the connection; it posts its result back to the
// owner itself (for example with boost::asio::post).
// Thread-safety: Run may be called from any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "anding/storage/database.h"

namespace anding::storage {

class QueryRunner {
 public:
  using Query = std::function<void(Database&)>;

  [[nodiscard]] static Result<std::unique_ptr<QueryRunner>> Start(const std::string& path);
  ~QueryRunner();

  void Run(Query query);

 private:
  explicit QueryRunner(std::unique_ptr<Database> db);
  void Loop();

  std::unique_ptr<Database> db_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Query> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace anding::storage

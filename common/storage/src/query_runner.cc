#include "anding/storage/query_runner.h"

namespace anding::storage {

Result<std::unique_ptr<QueryRunner>> QueryRunner::Start(const std::string& path) {
  OpenOptions options;
  options.read_only = true;
  ANDING_ASSIGN_OR_RETURN(auto db, Database::Open(path, options));
  return std::unique_ptr<QueryRunner>(new QueryRunner(std::move(db)));
}

QueryRunner::QueryRunner(std::unique_ptr<Database> db) : db_(std::move(db)) {
  thread_ = std::thread([this] { Loop(); });
}

QueryRunner::~QueryRunner() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void QueryRunner::Run(Query query) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(query));
  }
  wake_.notify_one();
}

void QueryRunner::Loop() {
  while (true) {
    Query query;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      query = std::move(queue_.front());
      queue_.pop_front();
    }
    query(*db_);
  }
}

}  // namespace anding::storage

// Online backups of the dispatcher's database, asked for by a commander
// (`anding backup`, POST /api/v1/backup): the copy is taken on a thread of
// its own from its own read connection (anding/backup/backup.h), so that
// the commit thread and the io_context thread never wait for it, into the
// configured backup directory; the answer, and the audit record, come when
// it is checked and its manifest written. One backup at a time: a second
// request while one runs is refused (FailedPrecondition, 409 over HTTP).
//
// Thread-safety: io_context thread only (a Module); the copy runs on the
// module's worker thread and posts its outcome back.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "anding/backup/backup.h"
#include "anding/dispatcher/config.h"
#include "anding/dispatcher/module.h"
#include "spdlog/logger.h"

namespace anding::dispatcher {

class BackupModule final : public Module {
 public:
  BackupModule(ModuleContext& context, std::string database_path, BackupSettings settings);
  // Stops a copy under way (it is abandoned, its partial file removed) and
  // waits for the worker.
  ~BackupModule() override;

  [[nodiscard]] std::string_view name() const override { return "backup"; }
  [[nodiscard]] Status Load(storage::Database& db) override;
  [[nodiscard]] std::vector<v1::OperatorRequest::RequestCase> Requests() const override;
  void Serve(OperatorCall& call) override;
  void Collect(MetricsWriter& out) const override;

 private:
  void Finished(Result<backup::Backup> result, Time requested_at, OperatorCall::FinishFn finish);

  ModuleContext& context_;
  const std::string database_path_;
  const BackupSettings settings_;
  std::shared_ptr<spdlog::logger> log_;
  // The name of the backup under way, if one is.
  std::optional<std::string> running_;
  std::atomic<bool> cancel_{false};
  std::thread worker_;
  uint64_t succeeded_ = 0;
  uint64_t failed_ = 0;
  Time last_success_{};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The response for a backup taken at `taken_at`.
[[nodiscard]] v1::OperatorResponse BackupToProto(const backup::Backup& backup);

}  // namespace anding::dispatcher

#include "backup_module.h"

#include <boost/asio/post.hpp>

#include "anding/common/strings.h"
#include "anding/runtime/logging.h"
#include "anding/wire/encoding.h"

namespace anding::dispatcher {

v1::OperatorResponse BackupToProto(const backup::Backup& b) {
  v1::OperatorResponse response;
  v1::BackupResponse& out = *response.mutable_backup();
  out.set_path(b.path);
  out.set_manifest_path(b.manifest_path);
  out.set_size_bytes(b.manifest.size_bytes);
  out.set_sha256(b.manifest.sha256);
  for (const backup::DomainVersion& d : b.manifest.schema) {
    auto* version = out.add_schema();
    version->set_domain(d.domain);
    version->set_version(d.version);
  }
  if (auto taken = ParseRfc3339(b.manifest.taken_at); taken.ok()) {
    *out.mutable_taken_at() = wire::ToProto(*taken);
  }
  out.set_copy_ms(b.copy_time.count());
  out.set_steps(b.steps);
  out.set_pages(b.pages);
  return response;
}

BackupModule::BackupModule(ModuleContext& context, std::string database_path,
                           BackupSettings settings)
    : context_(context),
      database_path_(std::move(database_path)),
      settings_(std::move(settings)),
      log_(runtime::GetLogger("backup")) {}

BackupModule::~BackupModule() {
  *alive_ = false;
  cancel_ = true;
  if (worker_.joinable()) worker_.join();
}

Status BackupModule::Load(storage::Database&) { return OkStatus(); }

std::vector<v1::OperatorRequest::RequestCase> BackupModule::Requests() const {
  return {v1::OperatorRequest::kBackup};
}

void BackupModule::Serve(OperatorCall& call) {
  auto finish = call.Defer();
  if (!finish) return;
  const std::string& asked = call.request().backup().name();
  const std::string name = asked.empty() ? backup::DefaultName("anding", call.now()) : asked;
  if (Status valid = backup::CheckName(name); !valid.ok()) {
    (*finish)(valid, {});
    return;
  }
  if (running_) {
    (*finish)(FailedPreconditionError(StrCat("a backup is being taken ('", *running_,
                                             "'); one at a time: try again when it is done")),
              {});
    return;
  }
  // The previous worker has posted its outcome, so it has ended or is
  // about to.
  if (worker_.joinable()) worker_.join();
  running_ = name;
  const Time now = call.now();
  log_->info("backup '{}' of {} into {} requested by {}", name, database_path_, settings_.directory,
             call.who().id);
  backup::CopyOptions options;
  options.pages_per_step = static_cast<int>(settings_.pages_per_step);
  options.pause_between_steps =
      std::chrono::duration_cast<std::chrono::microseconds>(settings_.pause_between_steps);
  options.cancel = &cancel_;
  worker_ = std::thread(
      [this, name, now, options, finish = std::move(*finish), alive = alive_]() mutable {
        Result<backup::Backup> result =
            backup::TakeBackup(database_path_, settings_.directory, name, now, options);
        boost::asio::post(context_.io(), [this, alive, now, result = std::move(result),
                                          finish = std::move(finish)]() mutable {
          if (*alive) Finished(std::move(result), now, std::move(finish));
        });
      });
}

void BackupModule::Finished(Result<backup::Backup> result, Time requested_at,
                            OperatorCall::FinishFn finish) {
  running_.reset();
  if (!result.ok()) {
    ++failed_;
    log_->error("backup failed: {}", result.status().ToString());
    finish(result.status(), {});
    return;
  }
  ++succeeded_;
  last_success_ = requested_at;
  const backup::Backup& b = *result;
  log_->info("backup {}: {} bytes, SHA-256 {}, {} pages in {} steps, {} ms", b.path,
             b.manifest.size_bytes, b.manifest.sha256, b.pages, b.steps, b.copy_time.count());
  core::FeedNotice made{"backup", b.path, "written",
                        StrCat(b.manifest.size_bytes, " bytes, SHA-256 ", b.manifest.sha256), ""};
  finish(BackupToProto(b), {std::move(made)});
}

void BackupModule::Collect(MetricsWriter& out) const {
  out.Gauge("anding_backup_running", "1 while an online backup is being taken", running_ ? 1 : 0);
  out.Counter("anding_backups_total", "Online backups finished, by outcome",
              static_cast<double>(succeeded_), {{"outcome", "ok"}});
  out.Counter("anding_backups_total", "Online backups finished, by outcome",
              static_cast<double>(failed_), {{"outcome", "failed"}});
  if (succeeded_ > 0) {
    out.Gauge("anding_backup_last_success_seconds",
              "When the last successful backup was asked for (Unix time)",
              static_cast<double>(ToUnixMicros(last_success_)) / 1e6);
  }
}

}  // namespace anding::dispatcher

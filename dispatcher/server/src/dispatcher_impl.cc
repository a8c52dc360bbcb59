#include "dispatcher_impl.h"

#include <sys/resource.h>

#include <boost/asio/post.hpp>
#include <fstream>

#include "anding/backup/backup.h"
#include "anding/common/strings.h"
#include "anding/dispatcher/standard_modules.h"
#include "anding/runtime/allocator.h"
#include "anding/runtime/log_text.h"
#include "anding/runtime/logging.h"
#include "anding/runtime/systemd_notify.h"
#include "anding/store/link_repository.h"
#include "anding/wire/codec.h"
#include "modules/backup/backup_module.h"
#include "modules/link/link_module.h"

namespace anding::dispatcher {
namespace {

// The file's text, or empty when it cannot be read.
std::string ReadConfigText(const std::string& path) {
  if (path.empty()) return std::string();
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string_view KindName(const Principal& principal) {
  return principal.kind == Principal::Kind::kAgent ? "agent" : "operator";
}

// Each connected agent holds a descriptor here, besides the database, the
// HTTP clients and the feed: raises the soft limit on open files to the
// hard one, and warns when even that is too low for `units` agents.
void RaiseOpenFileLimit(size_t units, spdlog::logger& log) {
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) != 0) return;
  if (files.rlim_cur < files.rlim_max) {
    rlimit raised = files;
    raised.rlim_cur = files.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) files = raised;
  }
  const auto needed = static_cast<rlim_t>(units) + 1024;
  if (files.rlim_cur < needed) {
    log.warn(
        "open files are limited to {} and {} units' agents need about {}: agents beyond it "
        "cannot connect (raise LimitNOFILE= in the service unit, or ulimit -n)",
        static_cast<uint64_t>(files.rlim_cur), units, static_cast<uint64_t>(needed));
  }
}

}  // namespace

Result<std::unique_ptr<Dispatcher>> Dispatcher::Create(boost::asio::io_context& io,
                                                       Options options) {
  if (options.clock == nullptr) {
    return InvalidArgumentError("Dispatcher::Options.clock is required");
  }
  const DispatcherConfig& config = options.config;
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return UnavailableError(
        StrCat("cannot create data_dir '", config.data_dir, "': ", ec.message()));
  }
  // One dispatcher per data directory; a restore refuses while it runs.
  ANDING_ASSIGN_OR_RETURN(
      auto lock,
      runtime::DirectoryLock::Take(config.data_dir, StrCat("anding-dispatcher pid ", ::getpid())));
  ANDING_ASSIGN_OR_RETURN(auto keys, runtime::ReadKeyFile(config.link.secret_key_file, true));
  ANDING_ASSIGN_OR_RETURN(auto enrolment, Enrolment::Load(config.link.enrolled_keys_file));
  return std::unique_ptr<Dispatcher>(new DispatcherImpl(io, std::move(options), std::move(lock),
                                                        std::move(keys), std::move(enrolment)));
}

DispatcherImpl::DispatcherImpl(boost::asio::io_context& io, Options options,
                               runtime::DirectoryLock lock, runtime::CurveKeyPair keys,
                               Enrolment enrolment)
    : io_(io),
      options_(std::move(options)),
      config_(options_.config),
      data_lock_(std::move(lock)),
      keys_(std::move(keys)),
      enrolment_(std::move(enrolment)),
      log_(runtime::GetLogger("dispatcher")),
      scheduler_(io, *options_.clock),
      zmq_(1),
      sighup_(io, SIGHUP) {
  std::error_code ec;
  enrolment_mtime_ = std::filesystem::last_write_time(config_.link.enrolled_keys_file, ec);
  // A configuration built in code (tests) has no default from the reader.
  if (options_.config.backup.directory.empty()) {
    options_.config.backup.directory = options_.config.data_dir + "/backups";
  }
}

DispatcherImpl::~DispatcherImpl() {
  *alive_ = false;
  if (commits_) commits_->Stop();
}

std::optional<Principal> DispatcherImpl::FindKey(std::string_view public_key) const {
  return enrolment_.Find(public_key);
}

Status DispatcherImpl::Start() {
  started_at_ = scheduler_.clock().Now();
  ANDING_ASSIGN_OR_RETURN(db_, storage::Database::Open(config_.database_path));

  storage::CommitQueue::Options commit_options;
  commit_options.min_commit_interval =
      std::chrono::duration_cast<std::chrono::microseconds>(config_.min_commit_interval);
  ANDING_ASSIGN_OR_RETURN(
      commits_,
      storage::CommitQueue::Start(
          config_.database_path, [this](auto task) { boost::asio::post(io_, std::move(task)); },
          commit_options));
  ANDING_ASSIGN_OR_RETURN(queries_, storage::QueryRunner::Start(config_.database_path));
  committer_ = std::make_unique<Committer>(io_, *commits_,
                                           [this](const Status& status) { Recover(status); });

  auto lookup = [this](std::string_view key) { return FindKey(key); };
  zap_ = std::make_unique<ZapHandler>(io_, zmq_, lookup);
  feed_ = std::make_unique<Feed>(io_, zmq_, *committer_, keys_.secret_key);
  LinkServer::Handler handler;
  handler.on_seen = [this](const std::string& unit, bool reconnected) {
    agents_->OnSeen(unit);
    if (reconnected) orders_->OnConnected(unit);
  };
  handler.on_envelope = [this](const std::string& unit, const v1::Envelope& envelope,
                               std::string_view bytes) {
    agents_->OnSequence(unit, envelope.sequence());
    if (intake_->OnEnvelope(unit, envelope, bytes))
      agents_->OnFreshSequence(unit, envelope.sequence());
  };
  handler.on_control = [this](const std::string& unit, const v1::Envelope& envelope) {
    OnControl(unit, envelope);
  };
  link_ = std::make_unique<LinkServer>(io_, zmq_, scheduler_.clock(), config_.link,
                                       keys_.secret_key, lookup, std::move(handler));
  ops_ = std::make_unique<OpsServer>(
      io_, zmq_, keys_.secret_key, lookup,
      [this](const Principal& who, const v1::OperatorRequest& request, OpsServer::Reply reply) {
        modules_->Serve(who, request, std::move(reply));
      });
  intake_ = std::make_unique<Intake>(scheduler_.clock(), *committer_, *feed_, *link_, *db_,
                                     config_.dedupe_window);
  agents_ = std::make_unique<AgentRegistry>(scheduler_.clock(), *committer_, *feed_,
                                            config_.link.offline_after);
  orders_ = std::make_unique<OrderOutbox>(scheduler_.clock(), *committer_, *feed_, *link_, *db_,
                                          config_.link.order_retry,
                                          static_cast<uint32_t>(config_.link.orders_held_per_unit));
  clocks_ = std::make_unique<AgentClocks>(
      config_.link.clock_offset_threshold,
      [this](core::HqAlert alert) {
        if (modules_) modules_->RaiseAlert(std::move(alert), scheduler_.clock().Now());
      },
      [this](const std::string& unit, const ClockOffset& estimate) {
        agents_->OnClockEstimate(unit, estimate.offset, estimate.round_trip);
      });
  intake_->SetFilingJudge([this](const std::string& unit, const v1::Envelope& envelope, Time now) {
    return clocks_->Judge(unit, envelope.sequence(), wire::FromProto(envelope.sent_at()), now);
  });
  agents_->SetOnChange([this](const std::string& unit, bool online) {
    if (online) orders_->OnConnected(unit);
  });
  modules_ = std::make_unique<ModuleHost>(io_, scheduler_, options_.organisation, *committer_,
                                          *feed_, *queries_);
  ANDING_RETURN_IF_ERROR(modules_->Add(std::make_unique<LinkModule>(
      LinkParts{kVersion, started_at_, enrolment_, config_.link.enrolled_keys_file,
                [this] { ReloadEnrolment(); }, *intake_, *agents_, *orders_, *link_, *zap_, *feed_,
                *commits_, options_.organisation, *clocks_})));
  for (const ModuleFactory& factory : options_.modules) {
    ANDING_RETURN_IF_ERROR(modules_->Add(factory));
  }
  HttpFaceOptions face;
  face.metrics = config_.http.metrics;
  face.feed.max_queue_items = static_cast<size_t>(config_.http.websocket.max_queue_items);
  face.feed.max_queue_bytes = static_cast<size_t>(config_.http.websocket.max_queue_bytes);
  face.feed.max_message_bytes = static_cast<size_t>(config_.http.websocket.max_message_bytes);
  face.feed.max_incoming_bytes = static_cast<size_t>(config_.http.websocket.max_incoming_bytes);
  face.feed.idle_timeout = config_.http.websocket.idle_timeout;
  face.feed.handshake_timeout = config_.http.read_timeout;
  face.feed.max_clients = static_cast<size_t>(config_.http.max_connections);
  face.feed.send_buffer_bytes = static_cast<int>(config_.http.websocket.send_buffer_bytes);
  http_face_ = std::make_unique<HttpFace>(io_, *modules_, *feed_, face);
  committer_->SetLatencyObserver([this](std::chrono::steady_clock::duration latency) {
    http_face_->metrics().ObserveCommit(latency);
  });
  ANDING_RETURN_IF_ERROR(http_face_->AddRoutes(ShellParts{
      *link_, *intake_, *agents_, *orders_, *committer_, *feed_, http_face_->feed_clients(),
      *modules_, [this] { return loaded_ && !committer_->failed(); }}));
  ANDING_RETURN_IF_ERROR(modules_->Add(
      std::make_unique<BackupModule>(*modules_, config_.database_path, config_.backup)));
  ANDING_RETURN_IF_ERROR(Upgrade());
  intake_->SetApplier([this](const std::string& unit, const v1::Envelope& envelope, Time now) {
    return modules_->Apply(unit, envelope, now);
  });
  storage_alerts_ = std::make_unique<StorageFailureAlerts>(
      scheduler_, options_.organisation.time_zone(), [this](const core::HqAlert& alert) {
        modules_->RaiseAlert(alert, scheduler_.clock().Now());
        committer_->OnCommitted([this] { storage_alerts_->Reported(); });
      });

  ANDING_RETURN_IF_ERROR(LoadState());
  ReportEnrolmentProblems(enrolment_.errors());

  RaiseOpenFileLimit(options_.organisation.units().size(), *log_);
  zap_->Start();
  ANDING_RETURN_IF_ERROR(link_->Bind(config_.link.endpoint));
  ANDING_RETURN_IF_ERROR(ops_->Bind(config_.ops_endpoint));
  ANDING_RETURN_IF_ERROR(feed_->Bind(config_.feed_endpoint, config_.snapshot_endpoint));
  if (!config_.http.listen.empty()) {
    http_ = std::make_unique<HttpServer>(
        io_, config_.http,
        [this](std::string_view method, std::string_view path, std::string* route) {
          return modules_->FindRoute(method, path, route);
        },
        [this](const HttpRequest& request, boost::asio::ip::tcp::socket& socket,
               boost::beast::http::request<boost::beast::http::string_body>& raw) {
          return http_face_->Upgrade(request, socket, raw);
        },
        [this](std::string_view route, unsigned status,
               std::chrono::steady_clock::duration latency) {
          http_face_->metrics().ObserveHttp(route, status, latency);
        });
    ANDING_RETURN_IF_ERROR(http_->Start());
  }
  ANDING_RETURN_IF_ERROR(WriteEndpointsFile());

  ScheduleLiveness(scheduler_.clock().Now() + std::chrono::seconds(1));
  ScheduleOrderRetry(scheduler_.clock().Now() + config_.link.order_retry);
  enrolment_timer_ =
      scheduler_.ScheduleAfter(config_.link.enrolment_poll, [this] { PollEnrolment(); });
  config_text_at_start_ = config_text_reported_ = ReadConfigText(config_.config_path);
  WaitForSighup();
  modules_->StartTimers();
  log_->info(
      "ready: agents on {}, operators on {}, feed on {} (snapshots {}), HTTP on {}; {} keys "
      "enrolled",
      link_->endpoint(), ops_->endpoint(), feed_->publish_endpoint(), feed_->snapshot_endpoint(),
      http_ ? http_->address() : std::string("(off)"), enrolment_.size());
  return OkStatus();
}

Status DispatcherImpl::Upgrade() {
  const std::vector<storage::DomainSchema> schema = modules_->Schema();
  // Refuses a database from a newer build, naming the domain and versions.
  ANDING_ASSIGN_OR_RETURN(const auto pending, db_->PendingMigrations(schema));
  if (pending.empty()) return OkStatus();
  bool holds_data = false;
  {
    // Finished before the steps run: SQLite refuses to DROP while a read
    // statement of the same connection is open.
    ANDING_ASSIGN_OR_RETURN(auto count, db_->Prepare("SELECT COUNT(*) FROM schema_migrations"));
    ANDING_ASSIGN_OR_RETURN(const bool row, count.Step());
    holds_data = row && count.Int64(0) > 0;
  }
  std::string steps;
  for (const storage::PendingMigration& p : pending) {
    StrAppend(steps, steps.empty() ? "" : ", ", p.domain, " ", p.from, " -> ", p.to);
  }
  if (holds_data) {
    // Before the first step: the copy is how HQ goes back to the old build
    // if the new one misbehaves with upgraded data.
    const std::string name = PreUpgradeBackupName(pending, scheduler_.clock().Now());
    backup::CopyOptions options;
    options.pages_per_step = static_cast<int>(config_.backup.pages_per_step);
    auto taken = backup::TakeBackup(config_.database_path, config_.backup.directory, name,
                                    scheduler_.clock().Now(), options);
    if (!taken.ok()) {
      return Annotate(taken.status(), StrCat("the schema needs upgrading (", steps,
                                             ") but the backup before it failed; nothing was "
                                             "changed"));
    }
    log_->warn(
        "upgrading the schema ({}); the database as it was is backed up in {} ({} bytes, "
        "SHA-256 {})",
        steps, taken->path, taken->manifest.size_bytes, taken->manifest.sha256);
  } else {
    log_->info("creating the schema ({})", steps);
  }
  if (Status migrated = db_->MigrateAll(schema); !migrated.ok()) {
    return Annotate(migrated, StrCat("upgrading the schema (", steps,
                                     ") failed and was rolled back; the database is unchanged"));
  }
  return OkStatus();
}

std::string PreUpgradeBackupName(const std::vector<storage::PendingMigration>& pending, Time now) {
  std::string name = StrCat("pre-upgrade-", backup::CompactUtc(now));
  for (const storage::PendingMigration& p : pending) {
    // File names stay well below the file system's 255 bytes; the manifest
    // lists every version.
    if (name.size() > 100) {
      StrAppend(name, "-and-more");
      break;
    }
    StrAppend(name, "-", p.domain, p.from, "to", p.to);
  }
  return name + ".db";
}

Status DispatcherImpl::LoadState() {
  loaded_ = false;
  ANDING_RETURN_IF_ERROR(modules_->Load(*db_));
  ANDING_ASSIGN_OR_RETURN(const int64_t sequence, store::LoadCounter(*db_, "feed_sequence"));
  ANDING_ASSIGN_OR_RETURN(const uint64_t events, store::CountEvents(*db_, store::EventQuery{}));
  // Everybody starts offline; agents mark themselves online by talking.
  feed_->Restore(static_cast<uint64_t>(sequence), agents_->StatusView(), events);
  // Configuration-derived records (fund accounts, opening balances), after
  // the feed is restored so that what they publish is numbered on.
  ANDING_RETURN_IF_ERROR(modules_->StartModules());
  loaded_ = true;
  // A load decodes far more than it keeps (whole rows, to keep their keys
  // and timers): those pages go back now, not over the next minutes.
  runtime::ReturnFreedMemory();
  return OkStatus();
}

void DispatcherImpl::Recover(const Status& failure) {
  if (failure.code() == StatusCode::kAborted) {
    // Inputs refused by the store for their content: their neighbours were
    // stored, the store itself is fine (no storage-failure alert). Only the
    // state, which holds what was refused, is rebuilt.
    log_->error("{}; the sender(s) were told, rebuilding the state without it", failure.message());
    Reload();
    return;
  }
  storage_alerts_->Failed(failure);
  const Duration delay = storage_alerts_->RecoveryDelay();
  log_->critical(
      "STORAGE FAILURE ({} failed commits in this episode): {} — nothing from the "
      "failed batch was acknowledged; reloading state from the store {} and refusing "
      "new input until then",
      storage_alerts_->failed_commits(), failure.ToString(),
      delay == Duration::zero() ? std::string("now")
                                : StrCat("in ", delay / std::chrono::seconds(1), " s"));
  scheduler_.ScheduleAfter(delay, [this, alive = alive_] {
    if (*alive && !stopping_) Reload();
  });
}

void DispatcherImpl::Reload() {
  if (Status status = LoadState(); !status.ok()) {
    log_->critical("cannot reload state from the store ({}); retrying in 5s", status.ToString());
    scheduler_.ScheduleAfter(std::chrono::seconds(5), [this] { Reload(); });
    return;
  }
  committer_->Resume();
  log_->warn("state rebuilt from the store; accepting input again");
  storage_alerts_->Recovered();
}

Status DispatcherImpl::WriteEndpointsFile() {
  const std::string tmp = config_.endpoints_file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "# Written by anding-dispatcher at start-up: the endpoints it bound.\n"
        << "link: \"" << link_->endpoint() << "\"\n"
        << "ops: \"" << ops_->endpoint() << "\"\n"
        << "feed: \"" << feed_->publish_endpoint() << "\"\n"
        << "snapshot: \"" << feed_->snapshot_endpoint() << "\"\n"
        << "http: \"" << (http_ ? http_->address() : std::string()) << "\"\n"
        << "public_key: \"" << keys_.public_key << "\"\n"
        << "pid: " << ::getpid() << "\n";
    if (!out) return UnavailableError(StrCat("cannot write ", tmp));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, config_.endpoints_file, ec);
  if (ec)
    return UnavailableError(StrCat("cannot write ", config_.endpoints_file, ": ", ec.message()));
  return OkStatus();
}

void DispatcherImpl::ScheduleLiveness(Time at) {
  liveness_timer_ = scheduler_.ScheduleAt(at, [this] {
    if (stopping_) return;
    const Time now = scheduler_.clock().Now();
    if (now - last_feed_heartbeat_ >= std::chrono::seconds(1)) {
      last_feed_heartbeat_ = now;
      feed_->Heartbeat(now);
    }
    const Time next = std::min(agents_->CheckLiveness(), now + std::chrono::seconds(1));
    ScheduleLiveness(std::max(next, scheduler_.clock().Now() + std::chrono::milliseconds(100)));
  });
}

void DispatcherImpl::ScheduleOrderRetry(Time at) {
  retry_timer_ = scheduler_.ScheduleAt(at, [this] {
    if (stopping_) return;
    const Time next = orders_->Retry();
    ScheduleOrderRetry(std::max(next, scheduler_.clock().Now() + std::chrono::milliseconds(100)));
  });
}

void DispatcherImpl::PollEnrolment() {
  if (stopping_) return;
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(config_.link.enrolled_keys_file, ec);
  if (!ec && mtime != enrolment_mtime_) ReloadEnrolment();
  enrolment_timer_ =
      scheduler_.ScheduleAfter(config_.link.enrolment_poll, [this] { PollEnrolment(); });
}

void DispatcherImpl::WaitForSighup() {
  sighup_.async_wait([this, alive = alive_](const boost::system::error_code& ec, int) {
    if (ec || !*alive) return;
    log_->info("SIGHUP: re-reading the enrolled keys and checking the configuration file");
    // systemctl reload waits for READY=1 after RELOADING=1.
    runtime::NotifySystemd("RELOADING=1").IgnoreError();
    ReloadEnrolment();
    CheckConfigurationFile();
    runtime::NotifySystemd("READY=1").IgnoreError();
    WaitForSighup();
  });
}

void DispatcherImpl::CheckConfigurationFile() {
  if (config_.config_path.empty()) return;
  const std::string text = ReadConfigText(config_.config_path);
  if (text == config_text_reported_) {
    log_->info("configuration file {} unchanged since {}", config_.config_path,
               text == config_text_at_start_ ? "the start" : "the last reload");
    return;
  }
  config_text_reported_ = text;
  if (text == config_text_at_start_) {
    log_->info("configuration file {} is again as read at start", config_.config_path);
    return;
  }
  if (Status status = CheckStandardConfig(config_.config_path); !status.ok()) {
    log_->error(
        "configuration file {} is NOT valid; still running with the configuration read at "
        "start, and a restart would fail:\n{}",
        config_.config_path, status.message());
    modules_->RaiseAlert(core::HqAlert{core::HqAlert::Severity::kWarning, "configuration_invalid",
                                       config_.config_path, "",
                                       StrCat("调度服务配置文件有误，重启将失败 configuration "
                                              "file is not valid, a restart would fail: ",
                                              status.message())},
                         scheduler_.clock().Now());
    return;
  }
  log_->warn(
      "configuration file {} changed and is valid; it takes effect when the dispatcher restarts "
      "(systemctl restart anding-dispatcher): this one runs on the configuration read at start",
      config_.config_path);
}

void DispatcherImpl::ReloadEnrolment() {
  std::error_code ec;
  enrolment_mtime_ = std::filesystem::last_write_time(config_.link.enrolled_keys_file, ec);
  auto loaded = Enrolment::Load(config_.link.enrolled_keys_file);
  if (!loaded.ok()) {
    // A missing file is not a revocation: keep who is enrolled and say so.
    log_->error("enrolled keys NOT reloaded, keeping the previous list: {}",
                loaded.status().message());
    ReportEnrolmentProblems({loaded.status().message()});
    return;
  }
  const Time now = scheduler_.clock().Now();
  for (const auto& [key, principal] : enrolment_.keys()) {
    if (loaded->Find(key) == principal) continue;
    log_->warn("key of {} {} revoked", KindName(principal), principal.id);
    if (modules_) {
      modules_->Publish(
          RecordChangedItem("enrolment", principal.id, "revoked",
                            StrCat(KindName(principal), " key revoked"), principal.id),
          now);
    }
  }
  for (const auto& [key, principal] : loaded->keys()) {
    if (enrolment_.Find(key) == principal) continue;
    log_->info("key of {} {} enrolled", KindName(principal), principal.id);
    if (modules_) {
      modules_->Publish(
          RecordChangedItem("enrolment", principal.id, "enrolled",
                            StrCat(KindName(principal), " key enrolled"), principal.id),
          now);
    }
  }
  const size_t before = enrolment_.size();
  enrolment_ = std::move(*loaded);
  log_->info("enrolled keys reloaded: {} keys (was {})", enrolment_.size(), before);
  ReportEnrolmentProblems(enrolment_.errors());
}

void DispatcherImpl::ReportEnrolmentProblems(const std::vector<std::string>& problems) {
  // Reported once per distinct set: the file is polled, and an unchanged
  // mistake must not raise an alert every poll.
  if (problems == reported_enrolment_problems_) return;
  reported_enrolment_problems_ = problems;
  if (problems.empty()) return;
  for (const auto& problem : problems) log_->error("enrolled keys: {}", problem);
  if (!modules_) return;
  constexpr size_t kShown = 5;
  std::string text = StrCat(problems.size(), " line(s) of the enrolled-keys file enrol nobody:");
  for (size_t i = 0; i < problems.size() && i < kShown; ++i)
    StrAppend(text, i == 0 ? " " : "; ", problems[i]);
  if (problems.size() > kShown) StrAppend(text, "; …");
  modules_->RaiseAlert(core::HqAlert{core::HqAlert::Severity::kWarning, "enrolment_error",
                                     config_.link.enrolled_keys_file, "", text},
                       scheduler_.clock().Now());
}

void DispatcherImpl::OnControl(const std::string& unit_id, const v1::Envelope& envelope) {
  switch (envelope.payload_case()) {
    case v1::Envelope::kAck:
      orders_->OnAck(unit_id, envelope.ack().message_id());
      break;
    case v1::Envelope::kNack:
      log_->warn("agent {} refused message {}: {} {}", unit_id,
                 runtime::Printable(envelope.nack().message_id(), 60),
                 v1::NackReason_Name(envelope.nack().reason()),
                 runtime::Printable(envelope.nack().detail()));
      break;
    case v1::Envelope::kHeartbeat: {
      const Time received_at = scheduler_.clock().Now();
      v1::Envelope reply;
      reply.set_unit_id(unit_id);
      clocks_->OnHeartbeat(unit_id, envelope.heartbeat(), received_at, scheduler_.clock().Now(),
                           *reply.mutable_heartbeat());
      reply.mutable_heartbeat()->set_software_version(kVersion);
      reply.mutable_heartbeat()->set_outbox_depth(orders_->pending(unit_id));
      link_->Send(unit_id, std::move(reply));
      break;
    }
    default:
      break;
  }
}

void DispatcherImpl::Stop(std::function<void()> done) {
  if (stopping_) return;
  stopping_ = true;
  log_->info("stopping: no new input; committing what was accepted");
  scheduler_.Cancel(liveness_timer_);
  scheduler_.Cancel(retry_timer_);
  scheduler_.Cancel(enrolment_timer_);
  if (modules_) modules_->StopTimers();
  boost::system::error_code ignored;
  sighup_.cancel(ignored);
  if (link_) link_->Stop();
  if (ops_) ops_->Stop();
  if (http_) http_->Stop();
  if (zap_) zap_->Stop();
  if (http_face_) http_face_->Stop();
  stop_done_ = std::move(done);
  boost::asio::post(io_, [this] { FinishStopWhenDrained(); });
}

void DispatcherImpl::FinishStopWhenDrained() {
  // Wait until every accepted batch has been committed and acknowledged.
  if (committer_ && committer_->in_flight() > 0) {
    scheduler_.ScheduleAfter(std::chrono::milliseconds(5), [this] { FinishStopWhenDrained(); });
    return;
  }
  // Let the last acks leave the socket (they are sent at the end of a turn).
  boost::asio::post(io_, [this] {
    if (commits_) {
      commits_->Stop();
      const auto stats = commits_->stats();
      log_->info(
          "store: {} commits of {} writes ({} failed); {} checkpoints, {} restarted the WAL, "
          "commits waited at most {} ms for one",
          stats.commits, stats.writes, stats.failed_commits, stats.checkpoints,
          stats.gated_checkpoints, stats.longest_gate.count() / 1000);
    }
    log_->info("stopped");
    if (stop_done_) stop_done_();
  });
}

}  // namespace anding::dispatcher

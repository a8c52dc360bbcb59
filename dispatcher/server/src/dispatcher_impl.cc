#include "dispatcher_impl.h"

#include <boost/asio/post.hpp>
#include <fstream>

#include "anding/common/strings.h"
#include "anding/runtime/logging.h"
#include "anding/store/link_repository.h"
#include "anding/wire/codec.h"

namespace anding::dispatcher {

Result<std::unique_ptr<Dispatcher>> Dispatcher::Create(boost::asio::io_context& io,
                                                       Options options) {
  if (options.clock == nullptr) {
    return InvalidArgumentError("Dispatcher::Options.clock is required");
  }
  const DispatcherConfig& config = options.config;
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return UnavailableError(StrCat("cannot create data_dir '", config.data_dir, "': ", ec.message()));
  }
  ANDING_ASSIGN_OR_RETURN(auto keys, runtime::ReadKeyFile(config.link.secret_key_file, true));
  ANDING_ASSIGN_OR_RETURN(auto enrolment, Enrolment::Load(config.link.enrolled_keys_file));
  return std::unique_ptr<Dispatcher>(
      new DispatcherImpl(io, std::move(options), std::move(keys), std::move(enrolment)));
}

DispatcherImpl::DispatcherImpl(boost::asio::io_context& io, Options options,
                               runtime::CurveKeyPair keys, Enrolment enrolment)
    : io_(io),
      options_(std::move(options)),
      config_(options_.config),
      keys_(std::move(keys)),
      enrolment_(std::move(enrolment)),
      log_(runtime::GetLogger("dispatcher")),
      scheduler_(io, *options_.clock),
      zmq_(1),
      sighup_(io, SIGHUP) {
  std::error_code ec;
  enrolment_mtime_ = std::filesystem::last_write_time(config_.link.enrolled_keys_file, ec);
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
  ANDING_RETURN_IF_ERROR(db_->Migrate("link", store::LinkMigrations()));
  ANDING_RETURN_IF_ERROR(DomainService::Migrate(*db_));

  storage::CommitQueue::Options commit_options;
  commit_options.min_commit_interval =
      std::chrono::duration_cast<std::chrono::microseconds>(config_.min_commit_interval);
  ANDING_ASSIGN_OR_RETURN(
      commits_, storage::CommitQueue::Start(
                    config_.database_path,
                    [this](auto task) { boost::asio::post(io_, std::move(task)); }, commit_options));
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
    intake_->OnEnvelope(unit, envelope, bytes);
  };
  handler.on_control = [this](const std::string& unit, const v1::Envelope& envelope) {
    OnControl(unit, envelope);
  };
  link_ = std::make_unique<LinkServer>(io_, zmq_, config_.link, keys_.secret_key, lookup,
                                       std::move(handler));
  ops_ = std::make_unique<OpsServer>(
      io_, zmq_, keys_.secret_key, lookup,
      [this](const Principal& who, const v1::OperatorRequest& request, OpsServer::Reply reply) {
        HandleOperator(who, request, std::move(reply));
      });
  intake_ = std::make_unique<Intake>(scheduler_.clock(), *committer_, *feed_, *link_, *db_,
                                     config_.dedupe_window);
  agents_ = std::make_unique<AgentRegistry>(scheduler_.clock(), *committer_, *feed_,
                                            config_.link.offline_after);
  orders_ = std::make_unique<OrderOutbox>(scheduler_.clock(), *committer_, *feed_, *link_,
                                          config_.link.order_retry);
  agents_->SetOnChange([this](const std::string& unit, bool online) {
    if (online) orders_->OnConnected(unit);
  });
  domain_ = std::make_unique<DomainService>(scheduler_, options_.organisation, options_.mission,
                                            *committer_, *feed_, *orders_);
  intake_->SetApplier([this](const std::string& unit, const v1::Envelope& envelope, Time now) {
    return domain_->Apply(unit, envelope, now);
  });
  storage_alerts_ = std::make_unique<StorageFailureAlerts>(
      scheduler_, options_.organisation.time_zone(), [this](const core::HqAlert& alert) {
        domain_->RaiseAlert(alert, scheduler_.clock().Now());
        committer_->OnCommitted([this] { storage_alerts_->Reported(); });
      });

  ANDING_RETURN_IF_ERROR(LoadState());

  zap_->Start();
  ANDING_RETURN_IF_ERROR(link_->Bind(config_.link.endpoint));
  ANDING_RETURN_IF_ERROR(ops_->Bind(config_.ops_endpoint));
  ANDING_RETURN_IF_ERROR(feed_->Bind(config_.feed_endpoint, config_.snapshot_endpoint));
  ANDING_RETURN_IF_ERROR(WriteEndpointsFile());

  ScheduleLiveness(scheduler_.clock().Now() + std::chrono::seconds(1));
  ScheduleOrderRetry(scheduler_.clock().Now() + config_.link.order_retry);
  enrolment_timer_ = scheduler_.ScheduleAfter(config_.link.enrolment_poll, [this] { PollEnrolment(); });
  WaitForSighup();
  domain_->Start();
  log_->info("ready: agents on {}, operators on {}, feed on {} (snapshots {}); {} keys enrolled",
             link_->endpoint(), ops_->endpoint(), feed_->publish_endpoint(),
             feed_->snapshot_endpoint(), enrolment_.size());
  return OkStatus();
}

Status DispatcherImpl::LoadState() {
  ANDING_RETURN_IF_ERROR(domain_->Load(*db_));
  ANDING_RETURN_IF_ERROR(intake_->Load());
  ANDING_RETURN_IF_ERROR(agents_->Load(*db_));
  ANDING_RETURN_IF_ERROR(orders_->Load(*db_));
  ANDING_ASSIGN_OR_RETURN(const int64_t sequence, store::LoadCounter(*db_, "feed_sequence"));
  ANDING_ASSIGN_OR_RETURN(const uint64_t events, store::CountEvents(*db_, store::EventQuery{}));
  // Everybody starts offline; agents mark themselves online by talking.
  feed_->Restore(static_cast<uint64_t>(sequence), agents_->StatusView(), events);
  return OkStatus();
}

void DispatcherImpl::Recover(const Status& failure) {
  log_->critical("STORAGE FAILURE: {} — nothing from the failed batch was acknowledged; "
                 "reloading state from the store and refusing new input until it works",
                 failure.ToString());
  storage_alerts_->Failed(failure);
  Reload();
}

void DispatcherImpl::Reload() {
  if (Status status = LoadState(); !status.ok()) {
    log_->critical("cannot reload state from the store ({}); retrying in 5s", status.ToString());
    scheduler_.ScheduleAfter(std::chrono::seconds(5), [this] { Reload(); });
    return;
  }
  committer_->Resume();
  log_->warn("recovered from the storage failure; accepting input again");
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
        << "public_key: \"" << keys_.public_key << "\"\n"
        << "pid: " << ::getpid() << "\n";
    if (!out) return UnavailableError(StrCat("cannot write ", tmp));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, config_.endpoints_file, ec);
  if (ec) return UnavailableError(StrCat("cannot write ", config_.endpoints_file, ": ", ec.message()));
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
  enrolment_timer_ = scheduler_.ScheduleAfter(config_.link.enrolment_poll, [this] { PollEnrolment(); });
}

void DispatcherImpl::WaitForSighup() {
  sighup_.async_wait([this, alive = alive_](const boost::system::error_code& ec, int) {
    if (ec || !*alive) return;
    log_->info("SIGHUP: re-reading the enrolled keys");
    ReloadEnrolment();
    WaitForSighup();
  });
}

void DispatcherImpl::ReloadEnrolment() {
  std::error_code ec;
  enrolment_mtime_ = std::filesystem::last_write_time(config_.link.enrolled_keys_file, ec);
  auto loaded = Enrolment::Load(config_.link.enrolled_keys_file);
  if (!loaded.ok()) {
    log_->error("enrolled keys NOT reloaded, keeping the previous list: {}",
                loaded.status().message());
    return;
  }
  const size_t before = enrolment_.size();
  enrolment_ = std::move(*loaded);
  log_->info("enrolled keys reloaded: {} keys (was {})", enrolment_.size(), before);
}

void DispatcherImpl::OnControl(const std::string& unit_id, const v1::Envelope& envelope) {
  switch (envelope.payload_case()) {
    case v1::Envelope::kAck:
      orders_->OnAck(unit_id, envelope.ack().message_id());
      break;
    case v1::Envelope::kNack:
      log_->warn("agent {} refused message {}: {} {}", unit_id, envelope.nack().message_id(),
                 v1::NackReason_Name(envelope.nack().reason()), envelope.nack().detail());
      break;
    case v1::Envelope::kHeartbeat: {
      v1::Envelope reply;
      reply.set_unit_id(unit_id);
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
  if (domain_) domain_->Stop();
  boost::system::error_code ignored;
  sighup_.cancel(ignored);
  if (link_) link_->Stop();
  if (ops_) ops_->Stop();
  if (zap_) zap_->Stop();
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
      log_->info("store: {} commits of {} writes ({} failed); {} checkpoints, {} restarted the WAL, "
                 "commits waited at most {} ms for one",
                 stats.commits, stats.writes, stats.failed_commits, stats.checkpoints,
                 stats.gated_checkpoints, stats.longest_gate.count() / 1000);
    }
    log_->info("stopped");
    if (stop_done_) stop_done_();
  });
}

}  // namespace anding::dispatcher

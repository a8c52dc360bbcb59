#include "module_host.h"

#include <boost/asio/post.hpp>
#include <chrono>

#include "access_policy.h"
#include "anding/common/strings.h"
#include "anding/runtime/logging.h"
#include "anding/store/audit_repository.h"
#include "anding/wire/codec.h"
#include "audit_chain.h"

namespace anding::dispatcher {

namespace {
// Timers of the modules are checked at least this often (a clock that
// jumps, a wake-up computed before a change).
constexpr Duration kMaxTimerWait = std::chrono::minutes(1);

std::string_view RequestName(const v1::OperatorRequest& request) {
  const auto* field = request.GetReflection()->GetOneofFieldDescriptor(
      request, v1::OperatorRequest::descriptor()->FindOneofByName("request"));
  return field == nullptr ? std::string_view() : std::string_view(field->name());
}

int64_t WholeMillis(std::chrono::steady_clock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}
}  // namespace

Result<std::string> Module::Apply(const AgentInput& input, core::Effects&) {
  return InternalError(StrCat("module ", name(), " claimed a payload it does not apply: ",
                              wire::PayloadKind(input.envelope)));
}

void Module::Serve(OperatorCall& call) {
  call.Fail(InternalError(StrCat(
      "module ", name(), " claimed a request it does not serve: ", RequestName(call.request()))));
}

v1::FeedItem RecordChangedItem(std::string_view kind, std::string_view id, std::string_view state,
                               std::string_view summary, std::string_view unit_id) {
  v1::FeedItem item;
  auto* changed = item.mutable_record_changed();
  changed->set_kind(std::string(kind));
  changed->set_id(std::string(id));
  changed->set_state(std::string(state));
  changed->set_summary(std::string(summary));
  changed->set_unit_id(std::string(unit_id));
  return item;
}

// One operator request on its way through a module.
class ModuleHost::Call final : public OperatorCall {
 public:
  Call(ModuleHost& host, const Principal& who, const v1::OperatorRequest& request,
       OpsServer::Reply reply, Mode mode)
      : host_(host),
        who_(who),
        request_(request),
        reply_(std::move(reply)),
        now_(host.clock().Now()),
        mode_(mode) {}

  [[nodiscard]] const Principal& who() const override { return who_; }
  [[nodiscard]] const v1::OperatorRequest& request() const override { return request_; }
  [[nodiscard]] Time now() const override { return now_; }

  void Reply(v1::OperatorResponse response) override { reply_(std::move(response)); }
  void Fail(const Status& status) override { reply_(ErrorResponse(request_.request_id(), status)); }

  void Command(const CommandFn& command, RespondFn respond) override {
    if (mode_ == Mode::kReadOnly) {
      Fail(InvalidArgumentError(
          StrCat(RequestName(request_), " changes state: send it with POST, not GET")));
      return;
    }
    if (host_.committer_.failed()) {
      Fail(UnavailableError("the store is recovering from a failure; retry"));
      return;
    }
    // The request's writes are one group: refused alone if the store
    // refuses one for its content.
    const Committer::GroupScope group = host_.committer_.Group();
    core::Effects out;
    const Status status = command(out, now_);
    if (!status.ok()) {
      // Refused requests change nothing but are still audited.
      host_.Audit(who_, request_, status, {}, now_);
      Fail(status);
      return;
    }
    const Status executed = host_.Execute(out, now_);
    // Audited with what it changed (Execute adds the notices of the
    // modules' reactions).
    host_.Audit(who_, request_, executed, out.notices, now_);
    if (!executed.ok()) {
      Fail(executed);
      return;
    }
    auto reply = std::make_shared<OpsServer::Reply>(std::move(reply_));
    host_.committer_.OnCommitted([reply, respond = std::move(respond)] { (*reply)(respond()); });
    host_.committer_.OnRefused([reply, id = request_.request_id()](uint64_t, const Status& why) {
      (*reply)(ErrorResponse(
          id, why.code() == StatusCode::kUnavailable
                  ? why
                  : InvalidArgumentError(StrCat("refused by the store: ", why.message()))));
    });
  }

  std::optional<FinishFn> Defer() override {
    if (mode_ == Mode::kReadOnly) {
      Fail(InvalidArgumentError(
          StrCat(RequestName(request_), " acts on the server: send it with POST, not GET")));
      return std::nullopt;
    }
    if (host_.committer_.failed()) {
      Fail(UnavailableError("the store is recovering from a failure; retry"));
      return std::nullopt;
    }
    // The call ends with Serve; the answer needs copies of who asked what.
    return [&host = host_, alive = host_.alive_, who = who_, request = request_,
            reply = std::move(reply_)](Result<v1::OperatorResponse> outcome,
                                       std::vector<core::FeedNotice> made) mutable {
      if (!*alive) return;
      const Time now = host.clock().Now();
      const Status status = outcome.status();
      v1::OperatorResponse response =
          outcome.ok() ? *std::move(outcome) : ErrorResponse(request.request_id(), status);
      response.set_request_id(request.request_id());
      auto answer = std::make_shared<OpsServer::Reply>(std::move(reply));
      const Committer::GroupScope group = host.committer_.Group();
      host.Audit(who, request, status, made, now);
      host.committer_.OnCommitted(
          [answer, response = std::move(response)]() mutable { (*answer)(std::move(response)); });
      host.committer_.OnRefused([answer, id = request.request_id()](uint64_t, const Status& why) {
        (*answer)(ErrorResponse(id, why));
      });
    };
  }

  void Query(QueryFn query) override {
    host_.queries_.Run([&io = host_.io_, alive = host_.alive_, id = request_.request_id(),
                        query = std::move(query),
                        reply = std::move(reply_)](storage::Database& db) mutable {
      v1::OperatorResponse response = query(db);
      if (response.has_error()) response.set_request_id(id);
      boost::asio::post(
          io, [alive, reply = std::move(reply), response = std::move(response)]() mutable {
            if (*alive) reply(std::move(response));
          });
    });
  }

 private:
  ModuleHost& host_;
  const Principal& who_;
  const v1::OperatorRequest& request_;
  OpsServer::Reply reply_;
  Time now_;
  Mode mode_;
};

ModuleHost::ModuleHost(boost::asio::io_context& io, Scheduler& scheduler,
                       const core::Organisation& org, Committer& committer, Feed& feed,
                       storage::QueryRunner& queries)
    : io_(io),
      scheduler_(scheduler),
      org_(org),
      committer_(committer),
      feed_(feed),
      queries_(queries),
      log_(runtime::GetLogger("modules")) {}

ModuleHost::~ModuleHost() { *alive_ = false; }

Status ModuleHost::Add(const ModuleFactory& factory) {
  ANDING_ASSIGN_OR_RETURN(auto module, factory(*this));
  return Add(std::move(module));
}

Status ModuleHost::Add(std::unique_ptr<Module> module) {
  Module* added = module.get();
  for (const Module* existing : order_) {
    if (existing->name() == added->name()) {
      return InvalidArgumentError(StrCat("two modules are named '", added->name(), "'"));
    }
  }
  const auto payloads = added->Payloads();
  const auto requests = added->Requests();
  for (const auto payload : payloads) {
    if (auto it = by_payload_.find(payload); it != by_payload_.end()) {
      return InvalidArgumentError(StrCat("modules ", it->second->name(), " and ", added->name(),
                                         " both claim agent payload case ",
                                         static_cast<int>(payload)));
    }
  }
  for (const auto request : requests) {
    if (auto it = by_request_.find(request); it != by_request_.end()) {
      return InvalidArgumentError(StrCat("modules ", it->second->name(), " and ", added->name(),
                                         " both claim operator request case ",
                                         static_cast<int>(request)));
    }
  }
  for (const auto payload : payloads) by_payload_[payload] = added;
  for (const auto request : requests) by_request_[request] = added;
  order_.push_back(added);
  owned_.push_back(std::move(module));
  return OkStatus();
}

std::vector<storage::DomainSchema> ModuleHost::Schema() const {
  // The audit trail belongs to the host, which writes it.
  std::vector<storage::DomainSchema> schema{{"audit", store::AuditMigrations()}};
  for (const Module* module : order_) {
    auto steps = module->Migrations();
    if (steps.empty()) continue;
    schema.push_back({std::string(module->name()), std::move(steps)});
  }
  return schema;
}

Status ModuleHost::Migrate(storage::Database& db) { return db.MigrateAll(Schema()); }

Status ModuleHost::Load(storage::Database& db) {
  loaded_ = false;
  // What each module's load took, for the operator: a start or a recovery
  // that grows with the history shows here first.
  std::string took;
  const auto began = std::chrono::steady_clock::now();
  for (Module* module : order_) {
    const auto before = std::chrono::steady_clock::now();
    ANDING_RETURN_IF_ERROR(Annotate(module->Load(db), StrCat("loading ", module->name())));
    StrAppend(took, took.empty() ? "" : ", ", module->name(), " ",
              WholeMillis(std::chrono::steady_clock::now() - before), " ms");
  }
  log_->info("state loaded from the store in {} ms ({})",
             WholeMillis(std::chrono::steady_clock::now() - began), took);
  loaded_ = true;
  return OkStatus();
}

Status ModuleHost::StartModules() {
  const Time now = clock().Now();
  core::Effects out;
  for (Module* module : order_) {
    ANDING_RETURN_IF_ERROR(Annotate(module->Start(now, out), StrCat("starting ", module->name())));
  }
  ANDING_RETURN_IF_ERROR(Execute(out, now));
  if (running_) ArmTimer();
  return OkStatus();
}

Result<Applied> ModuleHost::Apply(const std::string& unit_id, const v1::Envelope& envelope,
                                  Time now) {
  auto it = by_payload_.find(envelope.payload_case());
  // Stored as an event; no module keeps state for it.
  if (it == by_payload_.end()) return Applied{};
  core::Effects out;
  Applied applied;
  ANDING_ASSIGN_OR_RETURN(applied.record_id, it->second->Apply({unit_id, envelope, now}, out));
  ANDING_RETURN_IF_ERROR(Execute(out, now));
  return applied;
}

void ModuleHost::Serve(const Principal& who, const v1::OperatorRequest& request,
                       OpsServer::Reply reply, Mode mode) {
  auto it = by_request_.find(request.request_case());
  if (it == by_request_.end()) {
    reply(ErrorResponse(request.request_id(), InvalidArgumentError("unknown request")));
    return;
  }
  // One policy for both transports (access_policy.h): the request may be
  // narrowed to the caller's unit, and the answer is held to what the
  // caller may see.
  v1::OperatorRequest allowed = request;
  if (Status status = Authorize(who, allowed); !status.ok()) {
    log_->warn("refused {} to {} ({}): {}", RequestName(request), who.id, core::RoleName(who.role),
               status.message());
    {
      const Committer::GroupScope group = committer_.Group();
      Audit(who, request, status, {}, clock().Now());
    }
    reply(ErrorResponse(request.request_id(), status));
    return;
  }
  auto shaped = [who, allowed, reply = std::move(reply)](v1::OperatorResponse response) {
    ShapeResponse(who, allowed, response);
    reply(std::move(response));
  };
  Call call(*this, who, allowed, std::move(shaped), mode);
  it->second->Serve(call);
}

void ModuleHost::CollectMetrics(MetricsWriter& out) const {
  for (const Module* module : order_) module->Collect(out);
}

void ModuleHost::Write(storage::CommitQueue::Write write) { committer_.Add(std::move(write)); }

void ModuleHost::AfterCommit(std::function<void()> fn) { committer_.OnCommitted(std::move(fn)); }

void ModuleHost::Publish(v1::FeedItem item, Time now) { feed_.Publish(std::move(item), now); }

void ModuleHost::RaiseAlert(core::HqAlert alert, Time now) {
  core::Effects out;
  out.alerts.push_back(std::move(alert));
  // An alert names no record, so recording it cannot fail.
  Execute(out, now).IgnoreError();
}

void ModuleHost::Change(const ChangeFn& change, std::function<void(const Status&)> done) {
  if (committer_.failed()) {
    done(UnavailableError("the store is recovering from a failure; retry"));
    return;
  }
  const Committer::GroupScope group = committer_.Group();
  const Time now = clock().Now();
  core::Effects out;
  if (Status status = change(out, now); !status.ok()) {
    done(status);
    return;
  }
  if (Status executed = Execute(out, now); !executed.ok()) {
    done(executed);
    return;
  }
  auto shared = std::make_shared<std::function<void(const Status&)>>(std::move(done));
  committer_.OnCommitted([shared] { (*shared)(OkStatus()); });
  committer_.OnRefused([shared](uint64_t, const Status& why) { (*shared)(why); });
}

Status ModuleHost::Route(std::string method, std::string path, HttpHandler handler) {
  if (path.empty() || path.front() != '/') {
    return InvalidArgumentError(StrCat("an HTTP route must start with '/': ", path));
  }
  auto [it, inserted] = routes_.emplace(std::pair(method, path), std::move(handler));
  if (!inserted) return InvalidArgumentError(StrCat("HTTP route taken: ", method, " ", path));
  return OkStatus();
}

const HttpHandler* ModuleHost::FindRoute(std::string_view method, std::string_view path,
                                         std::string* route) const {
  if (auto it = routes_.find(std::pair(std::string(method), std::string(path)));
      it != routes_.end()) {
    if (route != nullptr) *route = it->first.second;
    return &it->second;
  }
  // The longest prefix route: "/sms/*" matches "/sms/dlr".
  for (std::string_view prefix = path; !prefix.empty();) {
    const size_t slash = prefix.rfind('/');
    if (slash == std::string_view::npos) break;
    prefix = prefix.substr(0, slash);
    auto it = routes_.find(std::pair(std::string(method), StrCat(prefix, "/*")));
    if (it != routes_.end()) {
      if (route != nullptr) *route = it->first.second;
      return &it->second;
    }
  }
  return nullptr;
}

Status ModuleHost::Execute(core::Effects& out, Time now) {
  // Events may raise further events; deliver until none are left.
  while (!out.events.empty()) {
    std::vector<core::DomainEvent> events = std::move(out.events);
    out.events.clear();
    for (const core::DomainEvent& event : events) {
      for (Module* module : order_) module->OnEvent(event, now, out);
    }
  }
  for (Module* module : order_) {
    if (Status recorded = module->Record(out, now); !recorded.ok()) {
      // A bug: the core named a record it does not have. The in-memory
      // state ran ahead of what can be stored, so fail this batch: nothing
      // of it is acknowledged and every module is reloaded from the store.
      log_->critical("module {} cannot store the effects of a command: {}", module->name(),
                     recorded.ToString());
      committer_.Add([recorded](storage::Database&) { return recorded; });
      return recorded;
    }
  }
  for (const core::FeedNotice& notice : out.notices) {
    Publish(RecordChangedItem(notice.kind, notice.id, notice.state, notice.summary, notice.unit_id),
            now);
  }
  committer_.OnCommitted([this] { ArmTimer(); });
  return OkStatus();
}

void ModuleHost::Audit(const Principal& who, const v1::OperatorRequest& request,
                       const Status& outcome, const std::vector<core::FeedNotice>& changes,
                       Time now) {
  AuditEntry entry = MakeAuditEntry(who, RequestName(request), outcome, now);
  entry.request = AuditRequestText(request);
  AddAuditChanges(changes, entry);
  committer_.Add(
      [entry = std::move(entry)](storage::Database& db) { return AppendAuditEntry(db, entry); });
}

void ModuleHost::StartTimers() {
  running_ = true;
  ArmTimer();
}

void ModuleHost::StopTimers() {
  running_ = false;
  scheduler_.Cancel(timer_);
  timer_ = 0;
}

void ModuleHost::ArmTimer() {
  if (!running_ || !loaded_) return;
  const Time now = clock().Now();
  Time at = now + kMaxTimerWait;
  for (const Module* module : order_) at = std::min(at, module->NextWakeup());
  if (timer_ != 0 && timer_at_ <= at) return;
  scheduler_.Cancel(timer_);
  timer_at_ = at;
  timer_ = scheduler_.ScheduleAt(at, [this] {
    timer_ = 0;
    timer_at_ = Time::max();
    OnTimer();
  });
}

void ModuleHost::OnTimer() {
  if (!running_) return;
  if (committer_.failed()) {
    scheduler_.ScheduleAfter(std::chrono::seconds(1), [this] { ArmTimer(); });
    return;
  }
  const Time now = clock().Now();
  core::Effects out;
  for (Module* module : order_) module->Tick(now, out);
  if (Status status = Execute(out, now); !status.ok()) {
    log_->critical("timer work could not be stored: {}", status.ToString());
  }
}

}  // namespace anding::dispatcher

#include "fuzz_world.h"

#include <google/protobuf/stubs/logging.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "anding/common/strings.h"
#include "anding/dispatcher/config.h"
#include "anding/dispatcher/standard_modules.h"
#include "anding/runtime/logging.h"
#include "anding/store/audit_repository.h"
#include "anding/store/link_repository.h"
#include "anding/wire/encoding.h"
#include "anding/wire/summaries.h"
#include "audit_chain.h"

#ifndef ANDING_FUZZ_CONFIG
#error "ANDING_FUZZ_CONFIG (the dispatcher.yaml the fuzz world reads) must be defined"
#endif

namespace anding::fuzz {
namespace {

[[noreturn]] void Broken(std::string_view what) {
  std::fprintf(stderr, "\nINVARIANT BROKEN: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

// ANDING_FUZZ_VERBOSE=1 prints every verdict: to see what a seed or a
// finding does (`anding_fuzz_agent <file>`).
bool Verbose() {
  static const bool verbose = std::getenv("ANDING_FUZZ_VERBOSE") != nullptr;
  return verbose;
}

void Say(std::string_view what, std::string_view verdict) {
  if (Verbose()) std::fputs(StrCat(what, ": ", verdict, "\n").c_str(), stderr);
}

void RequireNotInternal(const Status& status, std::string_view what) {
  if (status.code() == StatusCode::kInternal) Broken(StrCat(what, ": ", status.ToString()));
}

std::string_view RequestName(const v1::OperatorRequest& request) {
  const auto* field = request.GetReflection()->GetOneofFieldDescriptor(
      request, v1::OperatorRequest::descriptor()->FindOneofByName("request"));
  return field == nullptr ? std::string_view() : std::string_view(field->name());
}

// A Database of its own in memory (no file, no WAL).
std::unique_ptr<storage::Database> OpenInMemory() {
  storage::OpenOptions options;
  options.durable = false;
  auto db = storage::Database::Open(":memory:", options);
  Require(db.status(), "opening an in-memory database");
  return std::move(*db);
}

}  // namespace

void Require(const Status& status, std::string_view what) {
  if (!status.ok()) Broken(StrCat(what, ": ", status.ToString()));
}

// One operator request on its way through a module, as ModuleHost::Call
// serves it, checking that it is answered exactly once and never with
// Internal.
class FuzzWorld::Call final : public dispatcher::OperatorCall {
 public:
  Call(FuzzWorld& world, const v1::OperatorRequest& request)
      : world_(world), request_(request), now_(world.clock_.Now()) {}

  [[nodiscard]] const dispatcher::Principal& who() const override { return who_; }
  [[nodiscard]] const v1::OperatorRequest& request() const override { return request_; }
  [[nodiscard]] Time now() const override { return now_; }

  void Reply(v1::OperatorResponse response) override {
    ++answers_;
    Say(RequestName(request_),
        response.has_error() ? StrCat(response.error().code(), ": ", response.error().message())
                             : "OK");
    if (response.has_error() && response.error().code() == "INTERNAL") {
      Broken(StrCat(RequestName(request_), " answered INTERNAL: ", response.error().message()));
    }
  }
  void Fail(const Status& status) override {
    ++answers_;
    Say(RequestName(request_), status.ToString());
    if (status.ok()) Broken(StrCat(RequestName(request_), " failed with OK"));
    RequireNotInternal(status, StrCat(RequestName(request_), " failed"));
  }
  void Command(const CommandFn& command, RespondFn respond) override {
    core::Effects out;
    const Status status = command(out, now_);
    dispatcher::AuditEntry entry =
        dispatcher::MakeAuditEntry(who_, RequestName(request_), status, now_);
    entry.request = dispatcher::AuditRequestText(request_);
    dispatcher::AddAuditChanges(out.notices, entry);
    world_.Write([entry = std::move(entry)](storage::Database& db) {
      return dispatcher::AppendAuditEntry(db, entry);
    });
    if (!status.ok()) {
      if (!out.empty()) Broken(StrCat(RequestName(request_), " was refused but left effects"));
      world_.Commit();
      Fail(status);
      return;
    }
    world_.Execute(out, now_);
    world_.Commit();
    Reply(respond());
  }
  void Query(QueryFn query) override { Reply(query(*world_.db_)); }
  // Work done elsewhere (an online backup's thread) is outside what one
  // input can reach here: refused as the host refuses it while its store
  // recovers, which the contract allows and the module must take.
  std::optional<FinishFn> Defer() override {
    Fail(UnavailableError("the fuzz world runs no deferred work"));
    return std::nullopt;
  }

  [[nodiscard]] int answers() const { return answers_; }

 private:
  FuzzWorld& world_;
  const dispatcher::Principal who_{dispatcher::Principal::Kind::kOperator, "fuzz"};
  const v1::OperatorRequest& request_;
  Time now_;
  int answers_ = 0;
};

FuzzWorld& FuzzWorld::Get() {
  static FuzzWorld* const world = new FuzzWorld();
  return *world;
}

FuzzWorld::FuzzWorld() : clock_(kStart) {
  runtime::LoggingOptions logging;
  logging.level = "off";
  Require(runtime::SetUpLogging(logging), "silencing the logs");
  // Protobuf logs every string that is not UTF-8 as it refuses it.
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel, const char*, int, const std::string&) {});

  auto document = ConfigDocument::LoadFile(ANDING_FUZZ_CONFIG);
  Require(document.status(), "reading " ANDING_FUZZ_CONFIG);
  ConfigNode root = document->root();
  // The shell's sections are read (and ignored) so that Finish() finds no
  // unknown keys.
  (void)dispatcher::ReadDispatcherConfig(
      root, std::filesystem::path(ANDING_FUZZ_CONFIG).parent_path().string());
  org_ = core::Organisation::Read(root);
  const auto factories = dispatcher::StandardModules(root, org_);
  Require(document->Finish(), "checking " ANDING_FUZZ_CONFIG);

  for (const auto& factory : factories) {
    auto module = factory(*this);
    Require(module.status(), "building a module");
    dispatcher::Module* added = module->get();
    for (const auto payload : added->Payloads()) by_payload_[payload] = added;
    for (const auto request : added->Requests()) by_request_[request] = added;
    order_.push_back(added);
    owned_.push_back(std::move(*module));
  }

  pristine_ = OpenInMemory();
  Require(pristine_->Migrate("link", store::LinkMigrations()), "migrating link");
  Require(pristine_->Migrate("audit", store::AuditMigrations()), "migrating audit");
  for (dispatcher::Module* module : order_) {
    Require(pristine_->Migrate(std::string(module->name()), module->Migrations()),
            StrCat("migrating ", module->name()));
  }
  db_ = pristine_.get();
  LoadModules();
  work_ = OpenInMemory();
  db_ = work_.get();
}

void FuzzWorld::Change(const ChangeFn& change, std::function<void(const Status&)> done) {
  core::Effects out;
  const Status status = change(out, clock_.Now());
  RequireNotInternal(status, "a module's change");
  if (!status.ok()) {
    if (!out.empty()) Broken("a refused change left effects");
    done(status);
    return;
  }
  Execute(out, clock_.Now());
  Commit();
  done(OkStatus());
}

Status FuzzWorld::Route(std::string method, std::string path, dispatcher::HttpHandler) {
  if (!routes_.emplace(method, path).second) {
    return InvalidArgumentError(StrCat(method, " ", path, " is routed twice"));
  }
  return OkStatus();
}

void FuzzWorld::LoadModules() {
  for (dispatcher::Module* module : order_) {
    Require(module->Load(*db_), StrCat("loading ", module->name()));
  }
  core::Effects out;
  for (dispatcher::Module* module : order_) {
    Require(module->Start(clock_.Now(), out), StrCat("starting ", module->name()));
  }
  Execute(out, clock_.Now());
  Commit();
}

void FuzzWorld::Reset() {
  sqlite3_backup* backup =
      sqlite3_backup_init(work_->handle(), "main", pristine_->handle(), "main");
  if (backup == nullptr) Broken(StrCat("backup: ", sqlite3_errmsg(work_->handle())));
  const int rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) Broken(StrCat("backup: ", sqlite3_errstr(rc)));
  writes_.clear();
  after_commit_.clear();
  delivered_.clear();
  clock_.Set(kStart);
  LoadModules();
}

Status FuzzWorld::Deliver(const std::string& unit_id, const v1::Envelope& envelope,
                          std::string_view bytes) {
  if (!delivered_.emplace(unit_id, envelope.message_id()).second) return OkStatus();
  const Time now = clock_.Now();
  std::string record_id;
  if (auto it = by_payload_.find(envelope.payload_case()); it != by_payload_.end()) {
    core::Effects out;
    auto applied = it->second->Apply({unit_id, envelope, now}, out);
    Say(wire::PayloadKind(envelope), applied.ok() ? *applied : applied.status().ToString());
    if (!applied.ok()) {
      RequireNotInternal(applied.status(), StrCat(wire::PayloadKind(envelope), " refused"));
      if (!out.empty())
        Broken(StrCat(wire::PayloadKind(envelope), " was refused but left effects"));
      return applied.status();
    }
    record_id = std::move(*applied);
    Execute(out, now);
  }
  // The event row, as the intake stores it with the batch.
  store::EventRow row;
  row.unit_id = unit_id;
  row.message_id = envelope.message_id();
  row.sequence = envelope.sequence();
  row.payload_kind = wire::PayloadKind(envelope);
  row.sent_at = wire::FromProto(envelope.sent_at());
  row.received_at = now;
  row.record_id = std::move(record_id);
  row.summary = wire::Summarize(envelope);
  row.envelope = std::string(bytes);
  Write([row = std::move(row)](storage::Database& db) {
    return store::InsertEvents(db, std::span<const store::EventRow>(&row, 1));
  });
  return OkStatus();
}

void FuzzWorld::Serve(const v1::OperatorRequest& request) {
  auto it = by_request_.find(request.request_case());
  if (it == by_request_.end()) return;
  Call call(*this, request);
  it->second->Serve(call);
  Commit();
  if (call.answers() != 1) {
    Broken(StrCat(RequestName(request), " was answered ", call.answers(), " times"));
  }
}

void FuzzWorld::CommitBatch() { Commit(); }

void FuzzWorld::Advance(Duration step) {
  const Time target = clock_.Now() + step;
  // Every module's timed work due by `target`, at the time it is due, as
  // the dispatcher's timer runs it.
  for (int round = 0;; ++round) {
    Time next = Time::max();
    for (const dispatcher::Module* module : order_) next = std::min(next, module->NextWakeup());
    if (next > target) break;
    if (round == 1000) Broken("the modules' timers make no progress");
    clock_.Set(std::max(next, clock_.Now()));
    core::Effects out;
    for (dispatcher::Module* module : order_) module->Tick(clock_.Now(), out);
    Execute(out, clock_.Now());
    Commit();
  }
  clock_.Set(target);
}

void FuzzWorld::Execute(core::Effects& out, Time now) {
  while (!out.events.empty()) {
    std::vector<core::DomainEvent> events = std::move(out.events);
    out.events.clear();
    for (const core::DomainEvent& event : events) {
      for (dispatcher::Module* module : order_) module->OnEvent(event, now, out);
    }
  }
  for (dispatcher::Module* module : order_) {
    Require(module->Record(out, now), StrCat("module ", module->name(), " records its changes"));
  }
}

void FuzzWorld::Commit() {
  if (!writes_.empty()) {
    const auto writes = std::move(writes_);
    writes_.clear();
    Require(storage::InTransaction(*db_,
                                   [&] {
                                     for (const auto& write : writes) {
                                       ANDING_RETURN_IF_ERROR(write(*db_));
                                     }
                                     return OkStatus();
                                   }),
            "committing the batch");
  }
  const auto after = std::move(after_commit_);
  after_commit_.clear();
  for (const auto& fn : after) fn();
}

void FuzzWorld::Write(storage::CommitQueue::Write write) { writes_.push_back(std::move(write)); }

void FuzzWorld::AfterCommit(std::function<void()> fn) { after_commit_.push_back(std::move(fn)); }

void FuzzWorld::Publish(v1::FeedItem, Time) {}

void FuzzWorld::RaiseAlert(core::HqAlert alert, Time now) {
  core::Effects out;
  out.alerts.push_back(std::move(alert));
  Execute(out, now);
}

}  // namespace anding::fuzz

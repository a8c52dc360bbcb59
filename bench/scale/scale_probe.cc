// What a dispatcher with a long history costs: start-up, recovery after a
// failed commit, resident memory, and the operator queries' latency.
//
//   scale_probe --config dispatcher.yaml --operator operator.yaml
//               [--samples N] [--account ACCOUNT] [--churn K] [--init]
//               [--exit-after-start]
//
// Runs the real dispatcher in this process (Dispatcher::Create and Start
// with StandardModules, as anding-dispatcher's main does, with the system
// clock) on the configuration's store, plus one module of its own, last in
// the list, that can make a commit fail. It reports:
//  * start_ms: Dispatcher::Create + Start (opening the store, loading every
//    module, binding the sockets) — what a restart costs before it serves;
//  * recovery_ms: from a write refused by the store (a content failure in
//    one input's group, which makes the shell rebuild every module's state
//    from the store, as after any failed commit) to the end of that rebuild
//    (the probe module's Start, which runs last);
//  * VmRSS / VmHWM of this process (/proc/self/status) after the start,
//    after the queries and after the recovery;
//  * p50 / p99 / max of `events list`, `ledger list --overdue`,
//    `incident list --open`, `funds statement --account ACCOUNT` and
//    `screening status --period` of last month (a period already checked
//    for missing reports), `visits list`, `matters list` and `matters
//    list --open` (the requests the CLI builds,
//    with its default limits) over the real
//    operator API (CURVE DEALER to the ops socket, OperatorClient), N
//    samples each, interleaved, after 5 warm-up rounds; and how many rows
//    each answered.
// --churn K then takes K incidents through the operator API as HQ would
// over a long run — each reported at one of the mines in Hebi, in turn
// (mine-3's team goes, at once with the demo's auto_confirm), then arrived,
// settled and in aftermath — and reports VmRSS / VmHWM after them: what a
// long-running dispatcher keeps of what it has finished with. (Each report
// at a mine still in aftermath raises a rebound alert for every such
// incident there, as it should: spread over the mines, these stay few.)
// --exit-after-start prints the start's figures and exits without
// destroying the dispatcher, for a heap profile of what a start holds
// (heaptrack scale_probe … --exit-after-start; heaptrack_print lists it
// as leaked).
// --init starts and stops once (creating the schema and the fund accounts)
// and reports the start only.
#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "anding/cli/operator_client.h"
#include "anding/cli/operator_config.h"
#include "anding/common/config.h"
#include "anding/common/strings.h"
#include "anding/core/ledger/period.h"
#include "anding/dispatcher/dispatcher.h"
#include "anding/dispatcher/standard_modules.h"
#include "anding/runtime/allocator.h"
#include "anding/runtime/logging.h"

namespace anding::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

double Ms(SteadyClock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// This process's resident memory from /proc/self/status, in KiB: VmRSS,
// VmHWM, and of VmRSS the anonymous part (the heap; the rest is mapped
// files: the program, libraries and the store's WAL index).
struct Resident {
  long rss = 0;
  long hwm = 0;
  long anon = 0;
};

Resident Memory() {
  std::ifstream status("/proc/self/status");
  std::string line;
  Resident resident;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) resident.rss = std::atol(line.c_str() + 6);
    if (line.rfind("VmHWM:", 0) == 0) resident.hwm = std::atol(line.c_str() + 6);
    if (line.rfind("RssAnon:", 0) == 0) resident.anon = std::atol(line.c_str() + 8);
  }
  return resident;
}

// VmRSS, VmHWM, the anonymous part, and what of it live objects take
// (jemalloc's stats.allocated; the rest is the allocator's free pages).
void PrintMemory(const char* when) {
  const Resident resident = Memory();
  std::printf("%s_rss_mib=%.1f %s_hwm_mib=%.1f %s_anon_mib=%.1f", when, resident.rss / 1024.0, when,
              resident.hwm / 1024.0, when, resident.anon / 1024.0);
  if (const std::optional<uint64_t> allocated = runtime::AllocatedBytes()) {
    std::printf(" %s_allocated_mib=%.1f", when, static_cast<double>(*allocated) / 1048576.0);
  }
  std::printf("\n");
}

// The module that makes one commit fail on demand, and marks when the
// state has been rebuilt (its Start runs last, after every Load).
class FaultModule final : public dispatcher::Module {
 public:
  explicit FaultModule(dispatcher::ModuleContext& context) : context_(context) {}

  [[nodiscard]] std::string_view name() const override { return "scale_probe"; }
  [[nodiscard]] Status Load(storage::Database&) override { return OkStatus(); }
  [[nodiscard]] Status Start(Time, core::Effects&) override {
    if (rebuilt_) {
      rebuilt_->set_value(SteadyClock::now());
      rebuilt_.reset();
    }
    return OkStatus();
  }
  [[nodiscard]] Status Record(const core::Effects&, Time) override {
    if (!armed_) return OkStatus();
    armed_ = false;
    context_.Write(
        [failed = failed_, once = std::make_shared<std::once_flag>()](storage::Database&) {
          // The write may run again when the batch is retried without its group.
          std::call_once(*once, [&] { failed->set_value(SteadyClock::now()); });
          return FailedPreconditionError("refused by scale_probe");
        });
    return OkStatus();
  }

  // On the io_context thread: the next change's write fails. `failed` gets
  // the instant the store refused it, `rebuilt` the end of the rebuild.
  void Trigger(std::shared_ptr<std::promise<SteadyClock::time_point>> failed,
               std::shared_ptr<std::promise<SteadyClock::time_point>> rebuilt) {
    armed_ = true;
    failed_ = std::move(failed);
    rebuilt_ = std::move(rebuilt);
    context_.Change([](core::Effects&, Time) { return OkStatus(); }, [](const Status&) {});
  }

 private:
  dispatcher::ModuleContext& context_;
  bool armed_ = false;
  std::shared_ptr<std::promise<SteadyClock::time_point>> failed_;
  std::shared_ptr<std::promise<SteadyClock::time_point>> rebuilt_;
};

struct Query {
  const char* name;
  v1::OperatorRequest request;
  std::vector<double> ms;
  int rows = -1;
  size_t bytes = 0;
};

int Rows(const v1::OperatorResponse& response) {
  if (response.has_list_events()) return response.list_events().events_size();
  if (response.has_ledger_items()) return response.ledger_items().items_size();
  if (response.has_incidents()) return response.incidents().incidents_size();
  if (response.has_statement()) return response.statement().lines_size();
  if (response.has_screening_status()) return response.screening_status().rows_size();
  if (response.has_visits()) return response.visits().visits_size();
  if (response.has_matters()) return response.matters().matters_size();
  return -1;
}

// Takes `count` incidents from report to aftermath through the operator
// API; how many steps failed (the first few are printed).
int Churn(cli::OperatorClient& client, const std::vector<std::string>& mines, int count) {
  int failures = 0;
  auto call = [&](const v1::OperatorRequest& request) -> std::optional<v1::OperatorResponse> {
    auto response = client.Call(request, std::chrono::seconds(60));
    if (response.ok()) return std::move(*response);
    if (++failures <= 3) std::fprintf(stderr, "churn: %s\n", response.status().ToString().c_str());
    return std::nullopt;
  };
  const auto started = SteadyClock::now();
  // Unique to this run: a request id repeated from an earlier run would
  // give that run's incident.
  const std::string run =
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  for (int i = 0; i < count; ++i) {
    v1::OperatorRequest report;
    report.set_request_id(StrCat("churn-", run, "-", i));
    auto* incident = report.mutable_report_incident()->mutable_report();
    incident->set_type(v1::INCIDENT_TYPE_GROUP_PETITION);
    incident->mutable_place()->set_region_id("hebi");
    incident->mutable_place()->set_address("市政府北门");
    incident->set_persons(5);
    const std::string& mine = mines[i % mines.size()];
    incident->add_involved_unit_ids(mine);
    incident->set_summary("退休职工集体上访");
    const auto reported = call(report);
    if (!reported) continue;
    const std::string id = reported->incident().incident().id();
    for (const v1::IncidentStep step :
         {v1::INCIDENT_STEP_ARRIVED, v1::INCIDENT_STEP_SETTLED, v1::INCIDENT_STEP_AFTERMATH}) {
      v1::OperatorRequest update;
      update.set_request_id(StrCat("churn-", id, "-", static_cast<int>(step)));
      auto* status = update.mutable_update_incident_status();
      status->set_unit_id(mine);
      status->mutable_update()->set_incident_id(id);
      status->mutable_update()->set_step(step);
      if (!call(update)) break;
    }
  }
  std::printf("churn_ms=%.0f\n", Ms(SteadyClock::now() - started));
  return failures;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t at = std::min(values.size() - 1, static_cast<size_t>(p * values.size()));
  return values[at];
}

int Main(int argc, char** argv) {
  std::string config_path;
  std::string operator_path;
  std::string account = "reserve/mine-3";
  int samples = 200;
  int churn = 0;
  bool init = false;
  bool exit_after_start = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--exit-after-start") {
      exit_after_start = true;
    } else if (flag == "--init") {
      init = true;
    } else if (i + 1 < argc && flag == "--config") {
      config_path = argv[++i];
    } else if (i + 1 < argc && flag == "--operator") {
      operator_path = argv[++i];
    } else if (i + 1 < argc && flag == "--samples") {
      samples = std::atoi(argv[++i]);
    } else if (i + 1 < argc && flag == "--account") {
      account = argv[++i];
    } else if (i + 1 < argc && flag == "--churn") {
      churn = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr,
                   "usage: %s --config dispatcher.yaml --operator operator.yaml "
                   "[--samples N] [--account ACCOUNT] [--churn K] [--init]\n",
                   argv[0]);
      return 2;
    }
  }
  if (config_path.empty() || (!init && operator_path.empty()) || samples < 1 || churn < 0) {
    std::fprintf(stderr, "%s: --config (and --operator unless --init) required\n", argv[0]);
    return 2;
  }
  auto document = ConfigDocument::LoadFile(config_path);
  if (!document.ok()) {
    std::fprintf(stderr, "%s\n", document.status().ToString().c_str());
    return 2;
  }
  ConfigNode root = document->root();
  SystemClock clock;
  dispatcher::Dispatcher::Options options;
  options.config = dispatcher::ReadDispatcherConfig(root, document->directory());
  options.config.config_path = config_path;
  options.organisation = core::Organisation::Read(root);
  // Last month: a screening period checked for missing reports.
  const core::ledger::Period last_month =
      core::ledger::PreviousPeriod(core::ledger::PeriodContaining(
          core::ledger::PeriodKind::kMonth, options.organisation.time_zone().DayOf(clock.Now())));
  std::vector<std::string> hebi_mines;
  for (const core::Unit& unit : options.organisation.units()) {
    if (unit.kind == core::UnitKind::kMine && unit.region_id == "hebi") {
      hebi_mines.push_back(unit.id);
    }
  }
  options.modules = dispatcher::StandardModules(root, options.organisation);
  options.clock = &clock;
  FaultModule* fault = nullptr;
  options.modules.push_back(
      [&fault](dispatcher::ModuleContext& context) -> Result<std::unique_ptr<dispatcher::Module>> {
        auto module = std::make_unique<FaultModule>(context);
        fault = module.get();
        return std::unique_ptr<dispatcher::Module>(std::move(module));
      });
  if (Status status = document->Finish(); !status.ok()) {
    std::fprintf(stderr, "invalid configuration: %s\n", status.ToString().c_str());
    return 2;
  }
  if (Status status = runtime::SetUpLogging(options.config.logging); !status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 2;
  }

  boost::asio::io_context io;
  const auto start = SteadyClock::now();
  auto created = dispatcher::Dispatcher::Create(io, std::move(options));
  if (!created.ok()) {
    std::fprintf(stderr, "create: %s\n", created.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<dispatcher::Dispatcher> daemon = std::move(*created);
  if (Status status = daemon->Start(); !status.ok()) {
    std::fprintf(stderr, "start: %s\n", status.ToString().c_str());
    return 1;
  }
  std::printf("start_ms=%.1f\n", Ms(SteadyClock::now() - start));
  PrintMemory("after_start");
  std::fflush(stdout);
  if (exit_after_start) {
    // The dispatcher is not destroyed: a heap profiler (heaptrack) reports
    // what the start holds as never freed.
    std::exit(0);
  }

  auto guard = boost::asio::make_work_guard(io);
  std::thread io_thread([&io] { io.run(); });
  const auto stop = [&] {
    std::promise<void> stopped;
    boost::asio::post(io, [&] { daemon->Stop([&] { stopped.set_value(); }); });
    stopped.get_future().wait();
    guard.reset();
    io.stop();
    io_thread.join();
  };
  if (init) {
    stop();
    return 0;
  }

  auto operator_config = cli::LoadOperatorConfig(operator_path);
  if (!operator_config.ok()) {
    std::fprintf(stderr, "operator config: %s\n", operator_config.status().ToString().c_str());
    stop();
    return 1;
  }
  cli::OperatorClient client(*operator_config);
  std::vector<Query> queries(8);
  queries[0].name = "events_list";
  queries[0].request.mutable_list_events()->set_limit(50);
  queries[1].name = "ledger_list_overdue";
  queries[1].request.mutable_list_ledger_items()->set_overdue_only(true);
  queries[2].name = "incident_list_open";
  queries[2].request.mutable_list_incidents()->set_open_only(true);
  queries[2].request.mutable_list_incidents()->set_limit(100);
  queries[3].name = "funds_statement";
  queries[3].request.mutable_statement()->set_account_id(account);
  queries[4].name = "screening_status_last_month";
  auto* period = queries[4].request.mutable_screening_status()->mutable_period();
  period->set_kind(v1::PERIOD_KIND_MONTH);
  period->set_year(static_cast<uint32_t>(last_month.year));
  period->set_index(static_cast<uint32_t>(last_month.index));
  queries[5].name = "visits_list";
  queries[5].request.mutable_list_visits()->set_limit(50);
  queries[6].name = "matters_list";
  queries[6].request.mutable_list_matters()->set_limit(50);
  queries[7].name = "matters_list_open";
  queries[7].request.mutable_list_matters()->set_open_only(true);
  queries[7].request.mutable_list_matters()->set_limit(50);
  int failures = 0;
  for (int round = 0; round < samples + 5; ++round) {
    for (Query& query : queries) {
      const auto before = SteadyClock::now();
      auto response = client.Call(query.request, std::chrono::seconds(60));
      const double ms = Ms(SteadyClock::now() - before);
      if (!response.ok()) {
        if (++failures <= 3) {
          std::fprintf(stderr, "%s: %s\n", query.name, response.status().ToString().c_str());
        }
        continue;
      }
      if (round >= 5) query.ms.push_back(ms);
      query.rows = Rows(*response);
      query.bytes = response->ByteSizeLong();
    }
  }
  for (const Query& query : queries) {
    std::printf("%s_p50_ms=%.2f %s_p99_ms=%.2f %s_max_ms=%.2f %s_rows=%d %s_bytes=%zu\n",
                query.name, Percentile(query.ms, 0.50), query.name, Percentile(query.ms, 0.99),
                query.name, Percentile(query.ms, 1.0), query.name, query.rows, query.name,
                query.bytes);
  }
  std::printf("query_failures=%d\n", failures);
  PrintMemory("after_queries");

  auto failed = std::make_shared<std::promise<SteadyClock::time_point>>();
  auto rebuilt = std::make_shared<std::promise<SteadyClock::time_point>>();
  auto failed_at = failed->get_future();
  auto rebuilt_at = rebuilt->get_future();
  boost::asio::post(io, [&, failed, rebuilt] { fault->Trigger(failed, rebuilt); });
  if (rebuilt_at.wait_for(std::chrono::minutes(5)) != std::future_status::ready) {
    std::fprintf(stderr, "the state was not rebuilt within 5 minutes\n");
  } else {
    std::printf("recovery_ms=%.1f\n", Ms(rebuilt_at.get() - failed_at.get()));
  }
  PrintMemory("after_recovery");
  // The dispatcher answers again after the rebuild.
  auto again = client.Call(queries[0].request, std::chrono::seconds(60));
  std::printf("answers_after_recovery=%s\n",
              again.ok() ? "yes" : again.status().ToString().c_str());
  if (churn > 0 && hebi_mines.empty()) {
    std::fprintf(stderr, "--churn: the configuration has no mine in Hebi\n");
    ++failures;
  } else if (churn > 0) {
    const int churn_failures = Churn(client, hebi_mines, churn);
    std::printf("churn_incidents=%d churn_failures=%d\n", churn, churn_failures);
    PrintMemory("after_churn");
    // What of it is the allocator's free memory, not records: glibc keeps
    // freed pages until they are trimmed.
    malloc_trim(0);
    PrintMemory("after_churn_trimmed");
    failures += churn_failures;
  }
  stop();
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace anding::bench

int main(int argc, char** argv) { return anding::bench::Main(argc, argv); }

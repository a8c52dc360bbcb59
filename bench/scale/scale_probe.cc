// What a dispatcher with a long history costs: start-up, recovery after a
// failed commit, resident memory, and the operator queries' latency.
//
//   scale_probe --config dispatcher.yaml --operator operator.yaml
//               [--samples N] [--account ACCOUNT] [--init]
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
//    `incident list --open` and `funds statement --account ACCOUNT` (the
//    requests the CLI builds, with its default limits) over the real
//    operator API (CURVE DEALER to the ops socket, OperatorClient), N
//    samples each, interleaved, after 5 warm-up rounds; and how many rows
//    each answered.
// --init starts and stops once (creating the schema and the fund accounts)
// and reports the start only.
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
#include <string>
#include <thread>
#include <vector>

#include "anding/cli/operator_client.h"
#include "anding/cli/operator_config.h"
#include "anding/common/config.h"
#include "anding/dispatcher/dispatcher.h"
#include "anding/dispatcher/standard_modules.h"
#include "anding/runtime/logging.h"

namespace anding::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

double Ms(SteadyClock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// VmRSS and VmHWM of this process, in KiB.
std::pair<long, long> Memory() {
  std::ifstream status("/proc/self/status");
  std::string line;
  long rss = 0;
  long hwm = 0;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) rss = std::atol(line.c_str() + 6);
    if (line.rfind("VmHWM:", 0) == 0) hwm = std::atol(line.c_str() + 6);
  }
  return {rss, hwm};
}

void PrintMemory(const char* when) {
  const auto [rss, hwm] = Memory();
  std::printf("%s_rss_mib=%.1f %s_hwm_mib=%.1f\n", when, rss / 1024.0, when, hwm / 1024.0);
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
  return -1;
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
  bool init = false;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--init") {
      init = true;
    } else if (i + 1 < argc && flag == "--config") {
      config_path = argv[++i];
    } else if (i + 1 < argc && flag == "--operator") {
      operator_path = argv[++i];
    } else if (i + 1 < argc && flag == "--samples") {
      samples = std::atoi(argv[++i]);
    } else if (i + 1 < argc && flag == "--account") {
      account = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: %s --config dispatcher.yaml --operator operator.yaml "
                   "[--samples N] [--account ACCOUNT] [--init]\n",
                   argv[0]);
      return 2;
    }
  }
  if (config_path.empty() || (!init && operator_path.empty()) || samples < 1) {
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
  std::vector<Query> queries(4);
  queries[0].name = "events_list";
  queries[0].request.mutable_list_events()->set_limit(50);
  queries[1].name = "ledger_list_overdue";
  queries[1].request.mutable_list_ledger_items()->set_overdue_only(true);
  queries[2].name = "incident_list_open";
  queries[2].request.mutable_list_incidents()->set_open_only(true);
  queries[2].request.mutable_list_incidents()->set_limit(100);
  queries[3].name = "funds_statement";
  queries[3].request.mutable_statement()->set_account_id(account);
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
  stop();
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace anding::bench

int main(int argc, char** argv) { return anding::bench::Main(argc, argv); }

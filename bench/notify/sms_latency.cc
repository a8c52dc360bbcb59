// notify_sms_latency: how long from a mine officer's
// `anding-agent report early-warning --major` to the leader's phone — the
// fake SMSC behind a real Kannel (bearerbox, smsbox) — receiving the
// special report, through the agent daemon's outbox, the link, the
// dispatcher's store and notification queue and Kannel's sendsms.
//
//   notify_sms_latency [--samples N]
//
// One report at a time (the next after the previous one's SMS arrived),
// the daemons on the system clock, their data under $TMPDIR (put it on
// the disk to measure). The SMS counts as received when the fake SMSC's
// log line is seen (polled every 2 ms). Prints one key=value line with
// p50/p99/max of the whole, the command's own part (it returns once the
// agent daemon has stored the report), and an fsync probe of $TMPDIR.
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "anding/common/strings.h"
#include "support/cluster.h"
#include "support/kannel.h"

namespace {

using Clock = std::chrono::steady_clock;
using anding::StrCat;
using anding::testing::Cluster;
using anding::testing::Kannel;

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  const size_t index = std::min(values.size() - 1, static_cast<size_t>(p / 100.0 * values.size()));
  std::nth_element(values.begin(), values.begin() + static_cast<long>(index), values.end());
  return values[index];
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("SMS latency through Kannel's fake SMS centre", "notify_sms_latency");
  int64_t samples = 40;
  app.add_option("--samples", samples, "how many SMS")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  if (const auto missing = Kannel::MissingBinaries(); !missing.empty()) {
    std::fprintf(stderr, "notify_sms_latency: Kannel is not installed (%s)\n",
                 missing.front().c_str());
    return 1;
  }
  constexpr char kLeader[] = "+8613800000031";  // the leader of mine-3
  const int http_port = Kannel::FreePort();
  anding::testing::TempDir kannel_dir("sms-latency-kannel");
  Kannel kannel(kannel_dir.path(), StrCat("http://127.0.0.1:", http_port,
                                          "/notify/kannel/mo?token=bench-token-0123456789"
                                          "&from=%p&text=%a"));
  anding::testing::ClusterOptions options;
  options.agent_units = {"mine-3"};
  options.http_listen = StrCat("127.0.0.1:", http_port);
  options.extra_dispatcher_yaml = StrCat(
      "ledger:\n  major_warning: {persons_threshold: 30}\nnotifications:\n  gateway:\n"
      "    kind: kannel\n    sendsms_url: \"",
      kannel.SendsmsUrl(),
      "\"\n    username: anding\n    password: anding-secret\n    sender: \"12110\"\n"
      "    callback_url: \"http://127.0.0.1:",
      http_port,
      "\"\n    callback_token: \"bench-token-0123456789\"\n"
      "  rate_limit: {messages: 10000, window: 1m}\n"
      "  escalation: {after: 1h, chain: [unit_leaders]}\n");
  Cluster cluster("sms-latency", options);
  kannel.Start();
  kannel.StartSmsc();
  cluster.StartDispatcher();
  cluster.StartAgent("mine-3");

  // fsync floor of the disk under the daemons' data.
  std::vector<double> fsync_ms;
  {
    const std::string path = cluster.dir() + "/fsync-probe.bin";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const std::string block(4096, 'p');
    for (int i = 0; fd >= 0 && i < 100; ++i) {
      const auto before = Clock::now();
      if (::pwrite(fd, block.data(), block.size(), 0) != 4096 || ::fdatasync(fd) != 0) break;
      fsync_ms.push_back(Ms(Clock::now() - before));
    }
    if (fd >= 0) ::close(fd);
  }

  std::vector<double> total_ms, command_ms;
  for (int64_t i = 0; i < samples; ++i) {
    const std::string marker = StrCat("时延样本", i);
    const auto start = Clock::now();
    auto report =
        cluster.Agent("mine-3", {"report", "early-warning", "--summary",
                                 StrCat("退休职工集结拟赴京 ", marker), "--persons", "40",
                                 "--category", "retiree-management", "--level", "high", "--major"});
    const auto returned = Clock::now();
    if (report.exit_code != 0) {
      std::fprintf(stderr, "notify_sms_latency: report failed: %s\n", report.err.c_str());
      return 1;
    }
    bool arrived = false;
    while (Clock::now() - start < std::chrono::seconds(30)) {
      for (const auto& sms : kannel.Received()) {
        if (sms.receiver == kLeader && sms.text.find(marker) != std::string::npos) arrived = true;
      }
      if (arrived) break;
      usleep(2000);
    }
    if (!arrived) {
      std::fprintf(stderr, "notify_sms_latency: sample %lld never arrived\n%s",
                   static_cast<long long>(i), kannel.Logs().c_str());
      return 1;
    }
    total_ms.push_back(Ms(Clock::now() - start));
    command_ms.push_back(Ms(returned - start));
    std::fprintf(stderr, "sample %lld: %.1f ms (command %.1f ms)\n", static_cast<long long>(i),
                 total_ms.back(), command_ms.back());
  }
  std::printf(
      "samples=%lld e2e_p50_ms=%.1f e2e_p99_ms=%.1f e2e_max_ms=%.1f command_p50_ms=%.1f "
      "command_p99_ms=%.1f fsync_p50_ms=%.2f fsync_p99_ms=%.2f\n",
      static_cast<long long>(samples), Percentile(total_ms, 50), Percentile(total_ms, 99),
      Percentile(total_ms, 100), Percentile(command_ms, 50), Percentile(command_ms, 99),
      Percentile(fsync_ms, 50), Percentile(fsync_ms, 99));
  return 0;
}

// What the benchmarks that drive real daemons share: a child process
// started with its output in a log and stopped with SIGTERM, a free port on
// 127.0.0.1, a process's CPU time and resident memory, the machine's busy
// and stolen CPU shares (/proc/stat), percentiles, the disk's fsync floor.
//
// Thread-safety: the functions keep no state.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace anding::bench {

// Prints "PROGRAM: message" on standard error and exits 1.
[[noreturn]] void Die(const std::string& program, const std::string& message);

// Starts argv[0] with argv, its standard output and error appended to `log`.
[[nodiscard]] pid_t Spawn(const std::vector<std::string>& argv, const std::string& log);
// SIGTERM, then waits for it; returns how long it took to exit.
std::chrono::steady_clock::duration Stop(pid_t pid);

// A TCP port on 127.0.0.1 that was free a moment ago.
[[nodiscard]] int FreePort();

// utime + stime of `pid`, in seconds.
[[nodiscard]] double ProcessCpuSeconds(pid_t pid);
// VmRSS of `pid`, in KiB (0 when it cannot be read).
[[nodiscard]] long ResidentKib(pid_t pid);

// The machine's CPU time since boot, in jiffies (/proc/stat, all CPUs):
// busy (user+nice+system+irq+softirq), idle (+iowait) and steal (time the
// hypervisor ran something else while this machine's CPUs wanted to run).
struct CpuTimes {
  long long busy = 0, idle = 0, steal = 0;
};
[[nodiscard]] CpuTimes ReadCpuTimes();
// `part` as a percentage of all the jiffies between `start` and `end`.
[[nodiscard]] double Share(const CpuTimes& start, const CpuTimes& end, long long part);

// The p-th percentile (0..100) of `values` (nearest rank; 0 when empty).
[[nodiscard]] double Percentile(std::vector<double> values, double p);

// The floor under any durable latency: `writes` 4 KiB writes (over 16
// blocks of one file in `dir`), each followed by fdatasync, each begun
// `spacing` after the one before (back to back when zero); the time of each
// write + fdatasync, ms. Exits through Die("fsync probe", ...) if a write
// fails.
[[nodiscard]] std::vector<double> FsyncProbe(const std::string& dir, int writes,
                                             std::chrono::milliseconds spacing);

}  // namespace anding::bench

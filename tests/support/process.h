// Child processes for integration tests: start a real binary with
// arguments, capture its output to files, signal it, wait for it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace anding::testing {

class Process {
 public:
  // Starts `binary` with `args`; stdout and stderr go to `log_prefix`.out /
  // .err. Aborts the test binary if fork/exec fails.
  Process(const std::string& binary, const std::vector<std::string>& args,
          const std::string& log_prefix);
  ~Process();  // SIGKILL if still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] bool running();
  void Signal(int signal);
  void Kill() { Signal(9); }
  // Waits up to `timeout` for exit; returns the exit status, or -1 on
  // timeout, 128+N when killed by signal N.
  int Wait(std::chrono::milliseconds timeout);
  // SIGTERM, wait up to `timeout`, then SIGKILL. Returns the exit status.
  int Stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  [[nodiscard]] std::string Stdout() const;
  [[nodiscard]] std::string Stderr() const;

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  std::string log_prefix_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a command to completion (killed after `timeout`).
CommandResult RunCommand(const std::string& binary, const std::vector<std::string>& args,
                         std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Polls `condition` every few milliseconds until it holds or `timeout`
// passes. Returns whether it held. Integration tests wait for conditions,
// never for fixed times.
bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
             std::chrono::milliseconds poll = std::chrono::milliseconds(20));

// A fresh empty directory under $TMPDIR (removed by the destructor unless
// the test failed and ANDING_KEEP_TEST_DIRS is set).
class TempDir {
 public:
  explicit TempDir(const std::string& name);
  ~TempDir();
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace anding::testing

#include "support/process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace anding::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

Process::Process(const std::string& binary, const std::vector<std::string>& args,
                 const std::string& log_prefix)
    : log_prefix_(log_prefix) {
  std::vector<std::string> argv_storage;
  argv_storage.push_back(binary);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const std::string out = log_prefix + ".out";
  const std::string err = log_prefix + ".err";
  pid_ = fork();
  if (pid_ < 0) {
    std::perror("fork");
    std::abort();
  }
  if (pid_ == 0) {
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    const int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    setpgid(0, 0);
    execv(binary.c_str(), argv.data());
    std::perror("execv");
    _exit(127);
  }
}

Process::~Process() {
  if (pid_ > 0 && status_ < 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

bool Process::running() {
  if (status_ >= 0) return false;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return true;
}

void Process::Signal(int signal) {
  if (status_ < 0) ::kill(pid_, signal);
}

int Process::Wait(std::chrono::milliseconds timeout) {
  WaitFor([this] { return !running(); }, timeout, std::chrono::milliseconds(5));
  return status_;
}

int Process::Stop(std::chrono::milliseconds timeout) {
  Signal(SIGTERM);
  if (Wait(timeout) >= 0) return status_;
  Signal(SIGKILL);
  return Wait(std::chrono::seconds(10));
}

std::string Process::Stdout() const { return ReadFile(log_prefix_ + ".out"); }
std::string Process::Stderr() const { return ReadFile(log_prefix_ + ".err"); }

CommandResult RunCommand(const std::string& binary, const std::vector<std::string>& args,
                         std::chrono::milliseconds timeout) {
  static int counter = 0;
  const std::string prefix =
      (std::filesystem::temp_directory_path() /
       ("anding-cmd-" + std::to_string(getpid()) + "-" + std::to_string(counter++)))
          .string();
  CommandResult result;
  {
    Process process(binary, args, prefix);
    result.exit_code = process.Wait(timeout);
    if (result.exit_code < 0) result.exit_code = process.Stop(std::chrono::seconds(1));
    result.out = process.Stdout();
    result.err = process.Stderr();
  }
  std::filesystem::remove(prefix + ".out");
  std::filesystem::remove(prefix + ".err");
  return result;
}

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
             std::chrono::milliseconds poll) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(poll);
  }
}

TempDir::TempDir(const std::string& name) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / ("anding-" + name + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const bool failed = test != nullptr && test->result()->Failed();
  if (failed && std::getenv("ANDING_KEEP_TEST_DIRS") != nullptr) {
    std::fprintf(stderr, "kept test directory %s\n", path_.c_str());
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace anding::testing

#include "pdf_printer.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "anding/common/strings.h"

extern char** environ;

namespace anding::cli {
namespace {

namespace fs = std::filesystem;

std::string FindBrowser(const PdfPrinterOptions& options) {
  if (!options.browser.empty()) return options.browser;
  if (const char* configured = std::getenv("ANDING_CHROMIUM"); configured && *configured) {
    return configured;
  }
  const char* path = std::getenv("PATH");
  for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
      const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  }
  return {};
}

// A private directory for the document, the browser's profile and its
// output, removed whatever happens.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    std::string pattern = (fs::temp_directory_path() / "anding-print-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string Tail(const fs::path& log) {
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  constexpr size_t kKeep = 600;
  if (text.size() > kKeep) text = "…" + text.substr(text.size() - kKeep);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

// Runs `argv` with its output in `log`; its exit status, or an error when
// it could not start or outlived `timeout` (it is killed then).
Result<int> Run(const std::vector<std::string>& argv, const fs::path& log,
                std::chrono::seconds timeout) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& word : argv) args.push_back(const_cast<char*>(word.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    return UnavailableError(StrCat("cannot start ", argv[0], ": ", std::strerror(spawned)));
  }
  // The browser takes a second or two; a child process offers no handle to
  // wait on with a deadline short of a signal handler, so it is polled.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (done < 0)
      return UnavailableError(StrCat("waiting for ", argv[0], ": ", std::strerror(errno)));
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return DeadlineExceededError(
          StrCat(argv[0], " did not finish printing within ", timeout.count(), " s"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

Status PrintHtmlToPdf(std::string_view html, const fs::path& pdf,
                      const PdfPrinterOptions& options) {
  const std::string browser = FindBrowser(options);
  if (browser.empty()) {
    return FailedPreconditionError(
        "printing to PDF needs Chromium (apt-get install chromium fonts-noto-cjk), or "
        "ANDING_CHROMIUM naming a Chromium-based browser");
  }
  ScratchDirectory scratch;
  if (scratch.path().empty()) return UnavailableError("cannot create a directory to print in");
  const fs::path document = scratch.path() / "document.html";
  const fs::path printed = scratch.path() / "document.pdf";
  {
    std::ofstream out(document, std::ios::binary);
    out << html;
    if (!out) return UnavailableError(StrCat("cannot write ", document.string()));
  }
  std::vector<std::string> argv = {
      browser,
      "--headless",
      "--disable-gpu",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-extensions",
      "--disable-sync",
      "--disable-background-networking",
      "--disable-component-update",
      // The document is self-contained: nothing may be fetched from anywhere.
      "--host-resolver-rules=MAP * ~NOTFOUND",
      "--user-data-dir=" + (scratch.path() / "profile").string(),
      "--no-pdf-header-footer",
      "--print-to-pdf=" + printed.string(),
      "file://" + document.string(),
  };
  // Chromium refuses to run as root inside its sandbox; the page is our own
  // escaped document, printed from a private profile.
  if (::geteuid() == 0) argv.insert(argv.begin() + 1, "--no-sandbox");
  const fs::path log = scratch.path() / "browser.log";
  auto exit_code = Run(argv, log, options.timeout);
  if (!exit_code.ok()) return exit_code.status();
  std::error_code error;
  const auto size = fs::file_size(printed, error);
  std::string magic(5, '\0');
  if (!error && size > 0) std::ifstream(printed, std::ios::binary).read(magic.data(), 5);
  if (*exit_code != 0 || error || magic != "%PDF-") {
    return UnavailableError(
        StrCat(browser, " did not print a PDF (exit ", *exit_code, "): ", Tail(log)));
  }
  // Copied into place only now, so a failed print leaves an earlier file.
  fs::copy_file(printed, pdf, fs::copy_options::overwrite_existing, error);
  if (error) return UnavailableError(StrCat("cannot write ", pdf.string(), ": ", error.message()));
  return OkStatus();
}

}  // namespace anding::cli

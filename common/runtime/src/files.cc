#include "anding/runtime/files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "anding/common/strings.h"

namespace anding::runtime {
namespace {

Status Fail(const std::string& path, std::string_view what) {
  return UnavailableError(StrCat(path, ": cannot ", what, ": ", std::strerror(errno)));
}

}  // namespace

Status ReplaceFile(const std::string& path, std::string_view text, mode_t mode) {
  const std::string tmp = StrCat(path, ".tmp.", ::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Fail(tmp, "create");
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const Status failed = Fail(tmp, "write");
      ::close(fd);
      ::unlink(tmp.c_str());
      return failed;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const Status failed = Fail(tmp, "sync");
    ::close(fd);
    ::unlink(tmp.c_str());
    return failed;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const Status failed = Fail(path, "replace");
    ::unlink(tmp.c_str());
    return failed;
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return OkStatus();
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(StrCat(path, ": cannot read it"));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Result<DirectoryLock> DirectoryLock::Take(const std::string& directory, std::string_view holder) {
  const std::string path = StrCat(directory, "/LOCK");
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Fail(path, "open");
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    std::string recorded(256, '\0');
    const ssize_t n = ::pread(fd, recorded.data(), recorded.size(), 0);
    recorded.resize(n > 0 ? static_cast<size_t>(n) : 0);
    while (!recorded.empty() && (recorded.back() == '\n' || recorded.back() == '\0')) {
      recorded.pop_back();
    }
    ::close(fd);
    if (error == EWOULDBLOCK) {
      return FailedPreconditionError(
          StrCat("data directory '", directory, "' is in use by ",
                 recorded.empty() ? std::string("another process") : recorded, " (it holds ", path,
                 "); stop it first"));
    }
    errno = error;
    return Fail(path, "lock");
  }
  const std::string text = StrCat(holder, "\n");
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, text.data(), text.size(), 0) < 0) {
    const Status failed = Fail(path, "write");
    ::close(fd);
    return failed;
  }
  return DirectoryLock(fd);
}

DirectoryLock& DirectoryLock::operator=(DirectoryLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace anding::runtime

// Files that other programs read while we rewrite them (the enrolled keys,
// the endpoints file): replaced whole, never seen half-written.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "anding/common/status.h"

namespace anding::runtime {

// Writes `text` to a temporary file beside `path`, syncs it, renames it over
// `path` and syncs the directory: a reader sees the old content or the new,
// and after a crash the file holds one of them. Unavailable (naming the
// path) when any step fails; the old file is then untouched.
[[nodiscard]] Status ReplaceFile(const std::string& path, std::string_view text,
                                 mode_t mode = 0644);

// The whole content of `path`. NotFound when it cannot be read.
[[nodiscard]] Result<std::string> ReadFile(const std::string& path);

// An exclusive hold on a data directory: its "<directory>/LOCK" file,
// locked with flock() for as long as this object lives (the kernel lets go
// when the process dies, kill -9 included). One daemon per data directory,
// and tools that replace its files (a restore) refuse while it runs.
class DirectoryLock {
 public:
  // Takes the lock, writing `holder` (what holds it: program and pid) into
  // the file. FailedPrecondition, naming the holder that is recorded there,
  // when another process holds it; Unavailable when the file cannot be made.
  [[nodiscard]] static Result<DirectoryLock> Take(const std::string& directory,
                                                  std::string_view holder);
  DirectoryLock(DirectoryLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DirectoryLock& operator=(DirectoryLock&& other) noexcept;
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;
  ~DirectoryLock();

 private:
  explicit DirectoryLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace anding::runtime

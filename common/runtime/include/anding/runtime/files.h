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

}  // namespace anding::runtime

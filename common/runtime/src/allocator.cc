#include "anding/runtime/allocator.h"

#include <cstddef>

// jemalloc's control interface, weak: resolved when the program is linked
// with jemalloc (Debian's builds it without a prefix), null otherwise.
extern "C" int mallctl(const char* name, void* old_value, size_t* old_length, void* new_value,
                       size_t new_length) __attribute__((weak));

namespace anding::runtime {
namespace {

// MALLCTL_ARENAS_ALL in <jemalloc/jemalloc.h>: every arena.
constexpr const char* kPurgeAllArenas = "arena.4096.purge";

}  // namespace

void ReturnFreedMemory() {
  if (mallctl == nullptr) return;
  mallctl(kPurgeAllArenas, nullptr, nullptr, nullptr, 0);
}

std::optional<uint64_t> AllocatedBytes() {
  if (mallctl == nullptr) return std::nullopt;
  // The statistics are a snapshot taken when the epoch advances.
  uint64_t epoch = 1;
  size_t length = sizeof(epoch);
  if (mallctl("epoch", &epoch, &length, &epoch, length) != 0) return std::nullopt;
  size_t allocated = 0;
  length = sizeof(allocated);
  if (mallctl("stats.allocated", &allocated, &length, nullptr, 0) != 0) return std::nullopt;
  return allocated;
}

}  // namespace anding::runtime

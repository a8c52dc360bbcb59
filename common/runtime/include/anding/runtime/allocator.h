// What the daemons ask of their allocator. They are linked with jemalloc
// (CMakeLists.txt says why); the sanitizer builds and the tests are not,
// and there every call does nothing.
//
//   LoadEverything();
//   runtime::ReturnFreedMemory();  // the load's temporaries leave the RSS now
#pragma once

#include <cstdint>
#include <optional>

namespace anding::runtime {

// Gives the pages that hold only freed memory back to the system at once.
// jemalloc keeps them for ~10 s of further activity (its decay), so right
// after a load that decoded much and kept little (a start, the rebuild after
// a failed commit) they would stay resident until the dispatcher is busy
// again. It walks every arena: call it where such a peak has just ended
// (it did not change a start's time measurably), not per request.
void ReturnFreedMemory();

// The bytes the program holds allocated now (jemalloc's stats.allocated):
// what its live objects cost, without the allocator's free pages. nullopt
// without jemalloc.
[[nodiscard]] std::optional<uint64_t> AllocatedBytes();

}  // namespace anding::runtime

// libFuzzer target: the operator path of the dispatcher. The input is a
// sequence of encoded OperatorRequests laid out like a Frame (field 1,
// length-delimited, repeated; see wire::SplitFrame), so that one input can
// register a ledger item and then update it. Each request is decoded as
// the operator API decodes it, checked by wire::ValidateOperatorRequest,
// and served by the standard module that claims it (FuzzWorld); then the
// modules' timers run for three days. FuzzWorld aborts when an invariant
// breaks; the sanitizers report the rest. Mutation is structure-aware
// (framed_mutator.h).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "anding/wire/encoding.h"
#include "anding/wire/validation.h"
#include "framed_mutator.h"
#include "fuzz_world.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace anding;
  // A few requests are enough to reach any state; many only slow it down.
  constexpr size_t kMaxRequests = 32;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto parts = wire::SplitFrame(bytes);
  if (!parts.ok() || parts->size() > kMaxRequests) return 0;
  fuzz::FuzzWorld& world = fuzz::FuzzWorld::Get();
  world.Reset();
  for (const std::string_view part : *parts) {
    v1::OperatorRequest request;
    if (!wire::Decode(part, request).ok()) continue;
    if (request.request_case() == v1::OperatorRequest::REQUEST_NOT_SET) continue;
    if (!wire::ValidateOperatorRequest(request).ok()) continue;
    world.Serve(request);
  }
  world.Advance(std::chrono::hours(72));
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return anding::fuzz::MutateFramed(anding::v1::OperatorRequest::default_instance(), data, size,
                                    max_size, seed);
}

extern "C" size_t LLVMFuzzerCustomCrossOver(const uint8_t* data1, size_t size1,
                                            const uint8_t* data2, size_t size2, uint8_t* out,
                                            size_t max_out_size, unsigned int seed) {
  return anding::fuzz::CrossOverFramed(data1, size1, data2, size2, out, max_out_size, seed);
}

// libFuzzer target: the dispatcher's agent-facing path. The input is the
// bytes of one message from an agent, taken as the link and the intake take
// it — wire::SplitFrame, wire::Decode, wire::ValidateEnvelope,
// wire::ValidatePayload — and every envelope that passes is applied by the
// module that serves it (FuzzWorld) and stored with its batch; then the
// modules' timers run for three days. FuzzWorld aborts when an invariant
// breaks (an Internal answer, a change that cannot be recorded, a batch
// that does not commit); the sanitizers report the rest. Mutation is
// structure-aware (framed_mutator.h).
//
// The unit is the one the envelope names: the link has checked that it is
// the unit the agent's key is enrolled for.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "anding/wire/encoding.h"
#include "anding/wire/summaries.h"
#include "anding/wire/validation.h"
#include "framed_mutator.h"
#include "fuzz_world.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace anding;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto parts = wire::SplitFrame(bytes);
  if (!parts.ok()) return 0;
  fuzz::FuzzWorld& world = fuzz::FuzzWorld::Get();
  world.Reset();
  for (const std::string_view part : *parts) {
    v1::Envelope envelope;
    if (!wire::Decode(part, envelope).ok()) continue;
    v1::NackReason reason = v1::NACK_REASON_UNSPECIFIED;
    if (!wire::ValidateEnvelope(envelope, &reason).ok()) continue;
    if (!wire::IsDurablePayload(envelope) || envelope.has_order()) continue;
    if (!wire::ValidatePayload(envelope).ok()) continue;
    world.Deliver(envelope.unit_id(), envelope, part).IgnoreError();
  }
  world.CommitBatch();
  world.Advance(std::chrono::hours(72));
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return anding::fuzz::MutateFramed(anding::v1::Envelope::default_instance(), data, size, max_size,
                                    seed);
}

extern "C" size_t LLVMFuzzerCustomCrossOver(const uint8_t* data1, size_t size1,
                                            const uint8_t* data2, size_t size2, uint8_t* out,
                                            size_t max_out_size, unsigned int seed) {
  return anding::fuzz::CrossOverFramed(data1, size1, data2, size2, out, max_out_size, seed);
}

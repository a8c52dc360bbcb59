// libFuzzer custom mutation for the fuzz targets' inputs: a Frame layout of
// encoded messages (field 1, length-delimited, repeated; wire::SplitFrame).
// Byte-level mutation of such input mostly breaks a length prefix, and
// rarely composes a value like a sequence of 2^63 inside an envelope; these
// keep the framing intact and mutate one message at a time — its fields
// through testing::MessageMutator, or its bytes through libFuzzer — or add,
// drop and splice whole messages.
// Thread-safety: libFuzzer calls them from one thread.
#pragma once

#include <google/protobuf/message.h>

#include <cstddef>
#include <cstdint>

namespace anding::fuzz {

// For LLVMFuzzerCustomMutator: `data` (of `size` bytes, room for
// `max_size`) mutated in place; returns the new size. `prototype` is the
// type of the framed messages.
size_t MutateFramed(const google::protobuf::Message& prototype, uint8_t* data, size_t size,
                    size_t max_size, unsigned int seed);

// For LLVMFuzzerCustomCrossOver: the first messages of one input followed
// by the last of the other, into `out`; returns its size (0 when the two do
// not combine).
size_t CrossOverFramed(const uint8_t* data1, size_t size1, const uint8_t* data2, size_t size2,
                       uint8_t* out, size_t max_out_size, unsigned int seed);

}  // namespace anding::fuzz

#include "framed_mutator.h"

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "anding/wire/encoding.h"
#include "support/message_mutator.h"

// libFuzzer's own mutation of a byte buffer.
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size);

namespace anding::fuzz {
namespace {

// The messages of a framed input, or none when it is not framed.
std::vector<std::string> Split(const uint8_t* data, size_t size) {
  auto parts = wire::SplitFrame(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parts.ok()) return {};
  return std::vector<std::string>(parts->begin(), parts->end());
}

std::string Join(const std::vector<std::string>& messages) {
  std::string bytes;
  for (const std::string& message : messages) wire::AppendEnvelope(bytes, message);
  return bytes;
}

std::string MutateBytes(std::string bytes) {
  const size_t size = bytes.size();
  bytes.resize(size * 2 + 64);
  bytes.resize(LLVMFuzzerMutate(reinterpret_cast<uint8_t*>(bytes.data()), size, bytes.size()));
  return bytes;
}

}  // namespace

size_t MutateFramed(const google::protobuf::Message& prototype, uint8_t* data, size_t size,
                    size_t max_size, unsigned int seed) {
  std::mt19937 random(seed);
  std::vector<std::string> messages = Split(data, size);
  if (messages.empty() || random() % 10 == 0) return LLVMFuzzerMutate(data, size, max_size);
  const size_t i = random() % messages.size();
  switch (random() % 8) {
    case 0:  // the same message again, later
      messages.insert(messages.begin() + static_cast<std::ptrdiff_t>(random() % messages.size()),
                      messages[i]);
      break;
    case 1:
      if (messages.size() > 1) messages.erase(messages.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    case 2:
    case 3:
      messages[i] = MutateBytes(messages[i]);
      break;
    default: {
      std::unique_ptr<google::protobuf::Message> message(prototype.New());
      if (!message->ParseFromString(messages[i])) {
        messages[i] = MutateBytes(messages[i]);
        break;
      }
      testing::MessageMutator mutator(seed);
      mutator.Mutate(*message);
      messages[i] = wire::Encode(*message);
      break;
    }
  }
  const std::string out = Join(messages);
  if (out.empty() || out.size() > max_size) return LLVMFuzzerMutate(data, size, max_size);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}

size_t CrossOverFramed(const uint8_t* data1, size_t size1, const uint8_t* data2, size_t size2,
                       uint8_t* out, size_t max_out_size, unsigned int seed) {
  std::mt19937 random(seed);
  const std::vector<std::string> first = Split(data1, size1);
  const std::vector<std::string> second = Split(data2, size2);
  if (first.empty() || second.empty()) return 0;
  std::vector<std::string> messages(
      first.begin(), first.begin() + 1 + static_cast<std::ptrdiff_t>(random() % first.size()));
  messages.insert(messages.end(),
                  second.begin() + static_cast<std::ptrdiff_t>(random() % second.size()),
                  second.end());
  const std::string bytes = Join(messages);
  if (bytes.size() > max_out_size) return 0;
  std::memcpy(out, bytes.data(), bytes.size());
  return bytes.size();
}

}  // namespace anding::fuzz

// Writes the fuzz targets' seed corpus: real envelopes and operator
// requests (tests/support/sample_messages.h), each alone and all of them in
// one input, in the layout each target reads.
//
//   anding_fuzz_seeds <dir>   writes <dir>/agent/* and <dir>/operator/*
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "anding/common/clock.h"
#include "anding/common/ids.h"
#include "anding/common/strings.h"
#include "anding/wire/encoding.h"
#include "anding/wire/summaries.h"
#include "fuzz_world.h"
#include "support/sample_messages.h"

namespace anding::fuzz {
namespace {

void WriteSeed(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    std::exit(1);
  }
}

// `messages` in the Frame layout (field 1, repeated) both targets read.
template <typename Message>
std::string Framed(const std::vector<Message>& messages) {
  std::string bytes;
  for (const Message& message : messages) wire::AppendEnvelope(bytes, wire::Encode(message));
  return bytes;
}

int Main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus directory>\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir / "agent");
  std::filesystem::create_directories(dir / "operator");

  ManualClock clock(FuzzWorld::kStart);
  // Fixed random bits: the same corpus on every build.
  UuidV7Generator ids(clock, [](uint8_t* out, size_t size) {
    for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(i * 37 + 11);
  });
  const auto envelopes = testing::SampleEnvelopes("mine-3", FuzzWorld::kStart, ids);
  for (size_t i = 0; i < envelopes.size(); ++i) {
    WriteSeed(dir / "agent" / StrCat(i, "-", wire::PayloadKind(envelopes[i])),
              Framed(std::vector<v1::Envelope>{envelopes[i]}));
  }
  WriteSeed(dir / "agent" / "all", Framed(envelopes));

  const auto requests = testing::SampleOperatorRequests(FuzzWorld::kStart);
  for (size_t i = 0; i < requests.size(); ++i) {
    WriteSeed(dir / "operator" / StrCat(i, "-", requests[i].request_id()),
              Framed(std::vector<v1::OperatorRequest>{requests[i]}));
  }
  // At most 32 requests per input: the first 32, and the rest after the
  // setup they need (the ledger item and the incident).
  const size_t half = std::min<size_t>(requests.size(), 32);
  WriteSeed(dir / "operator" / "first",
            Framed(std::vector<v1::OperatorRequest>(requests.begin(), requests.begin() + half)));
  std::vector<v1::OperatorRequest> rest = {requests[0]};
  for (const auto& request : requests) {
    if (request.has_report_incident()) rest.push_back(request);
  }
  rest.insert(rest.end(), requests.begin() + static_cast<std::ptrdiff_t>(half), requests.end());
  WriteSeed(dir / "operator" / "rest", Framed(rest));
  return 0;
}

}  // namespace
}  // namespace anding::fuzz

int main(int argc, char** argv) { return anding::fuzz::Main(argc, argv); }

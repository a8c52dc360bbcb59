// Random changes to protobuf messages of the kind a broken or hostile
// sender makes: one field, chosen anywhere in the message, set to a value
// at or just beyond one of the limits of anding/common/limits.h, or to the
// extremes of its type — 0, -1, the largest integers, instants at and
// beyond the 2000..2100 window and beyond protobuf's range, empty, blank,
// over-long or invalid UTF-8 text, ids nobody knows, days that do not
// exist, enum values that do not exist, lists one entry too long.
//
// The edge property test mutates real envelopes with it; the fuzz targets'
// custom mutators use it so that libFuzzer reaches such values inside the
// nested, length-delimited encoding, which byte-level mutation rarely does.
// Thread-safety: one instance per thread.
#pragma once

#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace anding::testing {

class MessageMutator {
 public:
  explicit MessageMutator(uint64_t seed) : random_(seed) {}

  // Changes one field of `message`, at most four levels down. A member of
  // a oneof other than the one set is chosen now and then (the message
  // then carries another kind of payload or request).
  void Mutate(google::protobuf::Message& message);

  // An instant at or beyond an edge of the accepted window or of
  // protobuf's range, with valid or invalid nanoseconds.
  void SetEdgeTime(google::protobuf::Timestamp& ts);

  // A random number in [0, n).
  [[nodiscard]] int Pick(int n);

 private:
  template <typename T>
  T PickOf(const std::vector<T>& values) {
    return values[static_cast<size_t>(Pick(static_cast<int>(values.size())))];
  }
  [[nodiscard]] const google::protobuf::FieldDescriptor* ChooseField(
      const google::protobuf::Message& message);
  void SetScalar(google::protobuf::Message& message,
                 const google::protobuf::FieldDescriptor* field);
  void AddScalars(google::protobuf::Message& message,
                  const google::protobuf::FieldDescriptor* field);
  [[nodiscard]] std::string Text();

  std::mt19937_64 random_;
};

}  // namespace anding::testing

#include "anding/wire/encoding.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "anding/common/strings.h"

namespace anding::wire {
namespace {

// Frame has one field: `repeated Envelope envelopes = 1` (wire type 2).
constexpr uint32_t kEnvelopesTag = (1 << 3) | 2;

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Where a message type can hold messages: its message-typed fields outside
// oneofs, and the oneofs with a message-typed member. Built once per type,
// so that checking a message costs a look at each of these, not a listing
// of every field set (reflection's ListFields sorts and checks every
// has-bit: it was most of the decoding time).
struct Nesting {
  std::vector<const FieldDescriptor*> fields;
  std::vector<const google::protobuf::OneofDescriptor*> oneofs;
};

// Nesting by message type. Descriptors of generated types live as long as
// the process; each thread fills its own cache (a few entries), so no lock
// is needed.
using NestingCache =
    absl::flat_hash_map<const google::protobuf::Descriptor*, std::unique_ptr<Nesting>>;

const Nesting& NestingOf(NestingCache& cache, const google::protobuf::Descriptor* type) {
  auto& slot = cache[type];
  if (slot) return *slot;
  slot = std::make_unique<Nesting>();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        field->real_containing_oneof() == nullptr) {
      slot->fields.push_back(field);
    }
  }
  for (int i = 0; i < type->oneof_decl_count(); ++i) {
    const auto* oneof = type->oneof_decl(i);
    if (oneof->is_synthetic()) continue;  // proto3 `optional`: a field above
    for (int j = 0; j < oneof->field_count(); ++j) {
      if (oneof->field(j)->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        slot->oneofs.push_back(oneof);
        break;
      }
    }
  }
  return *slot;
}

// Depth-first search for fields this build does not know.
bool FindUnknownFields(NestingCache& cache, const Message& message, std::string* where) {
  const auto* reflection = message.GetReflection();
  if (!reflection->GetUnknownFields(message).empty()) {
    *where = message.GetDescriptor()->full_name();
    return true;
  }
  auto nested = [&](const FieldDescriptor* field) {
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        if (FindUnknownFields(cache, reflection->GetRepeatedMessage(message, field, i), where)) {
          return true;
        }
      }
      return false;
    }
    return reflection->HasField(message, field) &&
           FindUnknownFields(cache, reflection->GetMessage(message, field), where);
  };
  const Nesting& nesting = NestingOf(cache, message.GetDescriptor());
  for (const auto* field : nesting.fields) {
    if (nested(field)) return true;
  }
  for (const auto* oneof : nesting.oneofs) {
    const FieldDescriptor* field = reflection->GetOneofFieldDescriptor(message, oneof);
    if (field != nullptr && field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        nested(field)) {
      return true;
    }
  }
  return false;
}

bool FindUnknownFields(const Message& message, std::string* where) {
  thread_local NestingCache cache;
  return FindUnknownFields(cache, message, where);
}
}  // namespace

google::protobuf::Timestamp ToProto(Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(ToUnixMicros(t));
}

Time FromProto(const google::protobuf::Timestamp& ts) {
  return FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(ts));
}

bool IsSet(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return false;
  return ts.seconds() >= google::protobuf::util::TimeUtil::kTimestampMinSeconds &&
         ts.seconds() <= google::protobuf::util::TimeUtil::kTimestampMaxSeconds &&
         ts.nanos() >= 0 && ts.nanos() < 1'000'000'000;
}

Status Decode(std::string_view bytes, Message& message, size_t max_bytes) {
  if (bytes.empty()) return InvalidArgumentError("empty message");
  if (bytes.size() > max_bytes) {
    return InvalidArgumentError(
        StrCat("message of ", bytes.size(), " bytes exceeds the limit of ", max_bytes));
  }
  google::protobuf::io::ArrayInputStream input(bytes.data(), static_cast<int>(bytes.size()));
  google::protobuf::io::CodedInputStream coded(&input);
  coded.SetRecursionLimit(32);
  if (!message.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) {
    return InvalidArgumentError(
        StrCat("not a valid ", message.GetDescriptor()->name(), " encoding"));
  }
  std::string where;
  if (FindUnknownFields(message, &where)) {
    return InvalidArgumentError(StrCat("unknown fields in ", where));
  }
  return OkStatus();
}

Result<v1::Frame> DecodeFrame(std::string_view bytes) {
  ANDING_ASSIGN_OR_RETURN(const auto parts, SplitFrame(bytes));
  v1::Frame frame;
  for (const std::string_view part : parts) {
    ANDING_RETURN_IF_ERROR(Decode(part, *frame.add_envelopes()));
  }
  return frame;
}

void AppendEnvelope(std::string& frame, std::string_view envelope) {
  using google::protobuf::io::CodedOutputStream;
  // The tag, then the length as a varint (protobuf's own writers).
  uint8_t header[10];  // two varint32s of at most 5 bytes each
  uint8_t* end = CodedOutputStream::WriteTagToArray(kEnvelopesTag, header);
  end = CodedOutputStream::WriteVarint32ToArray(static_cast<uint32_t>(envelope.size()), end);
  frame.append(reinterpret_cast<const char*>(header), static_cast<size_t>(end - header));
  frame.append(envelope);
}

Result<std::vector<std::string_view>> SplitFrame(std::string_view bytes) {
  if (bytes.empty()) return InvalidArgumentError("empty message");
  if (bytes.size() > kMaxFrameBytes) {
    return InvalidArgumentError(
        StrCat("message of ", bytes.size(), " bytes exceeds the limit of ", kMaxFrameBytes));
  }
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                               static_cast<int>(bytes.size()));
  std::vector<std::string_view> parts;
  while (true) {
    const uint32_t tag = input.ReadTag();
    if (tag == 0) {
      if (input.CurrentPosition() != static_cast<int>(bytes.size())) {
        return InvalidArgumentError("not a valid Frame encoding");
      }
      break;
    }
    if (tag != kEnvelopesTag) {
      return InvalidArgumentError(StrCat("unknown fields in anding.v1.Frame (tag ", tag, ")"));
    }
    uint32_t length = 0;
    if (!input.ReadVarint32(&length) ||
        static_cast<size_t>(input.CurrentPosition()) + length > bytes.size()) {
      return InvalidArgumentError("not a valid Frame encoding (truncated)");
    }
    parts.push_back(bytes.substr(static_cast<size_t>(input.CurrentPosition()), length));
    if (parts.size() > static_cast<size_t>(kMaxEnvelopesPerFrame)) {
      return InvalidArgumentError(
          StrCat("frame has more envelopes than the limit of ", kMaxEnvelopesPerFrame));
    }
    if (!input.Skip(static_cast<int>(length))) {
      return InvalidArgumentError("not a valid Frame encoding (truncated)");
    }
  }
  if (parts.empty()) return InvalidArgumentError("frame has no envelopes");
  return parts;
}

std::string Encode(const Message& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

bool SameContent(const v1::Envelope& a, const v1::Envelope& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

}  // namespace anding::wire

#include "support/message_mutator.h"

#include <limits>

#include "anding/common/limits.h"

namespace anding::testing {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr int kMaxDepth = 4;

}  // namespace

int MessageMutator::Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }

void MessageMutator::SetEdgeTime(google::protobuf::Timestamp& ts) {
  ts.set_seconds(PickOf<int64_t>({
      -62'135'596'800,                   // 0001-01-01
      0,                                 // unset (or 1970 with nanoseconds)
      limits::kEarliestUnixSeconds - 1,  // 1999-12-31T23:59:59Z
      limits::kEarliestUnixSeconds,      // 2000-01-01
      limits::kLatestUnixSeconds - 1,    // 2099-12-31T23:59:59Z
      limits::kLatestUnixSeconds,        // 2100-01-01
      253'402'300'799,                   // 9999-12-31T23:59:59Z
      int64_t{1} << 40,                  // beyond protobuf's range
      std::numeric_limits<int64_t>::min(),
      std::numeric_limits<int64_t>::max(),
  }));
  ts.set_nanos(
      PickOf<int32_t>({0, 1, -1, 999'999'999, 1'000'000'000, std::numeric_limits<int32_t>::min()}));
}

const FieldDescriptor* MessageMutator::ChooseField(const Message& message) {
  const auto* type = message.GetDescriptor();
  if (type->field_count() == 0) return nullptr;
  const FieldDescriptor* field = type->field(Pick(type->field_count()));
  // Mostly within the payload or request already chosen.
  if (const auto* oneof = field->real_containing_oneof(); oneof != nullptr && Pick(4) != 0) {
    if (const auto* set = message.GetReflection()->GetOneofFieldDescriptor(message, oneof)) {
      return set;
    }
  }
  return field;
}

void MessageMutator::Mutate(Message& message) {
  Message* at = &message;
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    const FieldDescriptor* field = ChooseField(*at);
    if (field == nullptr) return;
    const auto* reflection = at->GetReflection();
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        AddScalars(*at, field);
      } else {
        SetScalar(*at, field);
      }
      return;
    }
    Message* child = nullptr;
    if (!field->is_repeated()) {
      child = reflection->MutableMessage(at, field);
    } else if (reflection->FieldSize(*at, field) > 0 && Pick(2) == 0) {
      child =
          reflection->MutableRepeatedMessage(at, field, Pick(reflection->FieldSize(*at, field)));
    } else {
      // One more entry than a list may hold, now and then.
      const int copies = Pick(4) == 0 ? static_cast<int>(limits::kMaxListItems) + 1 : 1;
      for (int i = 0; i < copies; ++i) child = reflection->AddMessage(at, field);
    }
    if (auto* ts = dynamic_cast<google::protobuf::Timestamp*>(child)) {
      SetEdgeTime(*ts);
      return;
    }
    at = child;
  }
}

void MessageMutator::SetScalar(Message& message, const FieldDescriptor* field) {
  const auto* reflection = message.GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      reflection->SetInt32(&message, field,
                           PickOf<int32_t>({std::numeric_limits<int32_t>::min(), -1, 0, 1,
                                            std::numeric_limits<int32_t>::max()}));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      reflection->SetUInt32(
          &message, field,
          PickOf<uint32_t>({0, 1, 2099, 2100, limits::kMaxDailyCount, limits::kMaxDailyCount + 1,
                            limits::kMaxPersons, limits::kMaxPersons + 1,
                            std::numeric_limits<uint32_t>::max()}));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      reflection->SetInt64(
          &message, field,
          PickOf<int64_t>({std::numeric_limits<int64_t>::min(), -1, 0, 1, limits::kMaxAmountFen,
                           limits::kMaxAmountFen + 1, limits::kMaxHoldTimeoutSeconds + 1,
                           std::numeric_limits<int64_t>::max()}));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      reflection->SetUInt64(&message, field,
                            PickOf<uint64_t>({0, 1, limits::kMaxSequence, limits::kMaxSequence + 1,
                                              std::numeric_limits<uint64_t>::max()}));
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      reflection->SetDouble(&message, field,
                            PickOf<double>({-1, std::numeric_limits<double>::infinity(),
                                            std::numeric_limits<double>::quiet_NaN()}));
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      reflection->SetFloat(&message, field, std::numeric_limits<float>::quiet_NaN());
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      reflection->SetBool(&message, field, !reflection->GetBool(message, field));
      break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int past = field->enum_type()->value(field->enum_type()->value_count() - 1)->number();
      reflection->SetEnumValue(
          &message, field,
          PickOf<int>({-1, 0, 1, past, past + 1, std::numeric_limits<int32_t>::max()}));
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING:
      reflection->SetString(&message, field, Text());
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
}

void MessageMutator::AddScalars(Message& message, const FieldDescriptor* field) {
  const auto* reflection = message.GetReflection();
  const int copies = PickOf<int>({1, 2, static_cast<int>(limits::kMaxInvolvedUnits) + 1,
                                  static_cast<int>(limits::kMaxListItems) + 1});
  for (int i = 0; i < copies; ++i) {
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        reflection->AddString(&message, field, i == 0 ? Text() : std::to_string(i));
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        reflection->AddEnumValue(&message, field, PickOf<int>({-1, 0, 1, 99}));
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        reflection->AddUInt32(&message, field, std::numeric_limits<uint32_t>::max());
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        reflection->AddInt64(&message, field, std::numeric_limits<int64_t>::min());
        break;
      default:
        return;  // no other repeated scalars in Anding's messages
    }
  }
}

std::string MessageMutator::Text() {
  static const std::string kLongChinese = [] {
    std::string text;
    for (size_t i = 0; i <= limits::kMaxLineChars; ++i) text += "稳";
    return text;
  }();
  return PickOf<std::string>({
      "",
      " \t\n",
      "unknown-id-404",
      std::string(limits::kMaxIdChars + 1, 'x'),
      std::string(limits::kMaxNameChars + 1, 'n'),
      std::string(limits::kMaxTextChars + 1, 't'),
      kLongChinese,
      "truncated \xE7\xA8",
      "overlong \xC0\xAF",
      "surrogate \xED\xA0\x80",
      "beyond \xF4\x90\x80\x80",
      std::string("nul \0 inside", 12),
      "mine-6",
      "hq",
      "beijing",
      "reserve/mine-3",
      "pool",
      "2026-02-30",
      "0000-01-01",
      "2099-12-31",
      "9999-12-31",
      "2100-01",
      "1999-12-31..2100-01-01",
      "INC-20261127-001",
      "TZ-2026-0001",
      "+8613800000000",
      "+86 138",
  });
}

}  // namespace anding::testing

#include "field_checks.h"

#include "anding/common/limits.h"
#include "anding/common/strings.h"
#include "anding/common/time.h"
#include "anding/wire/validation.h"

namespace anding::wire {

std::optional<size_t> Utf8Length(std::string_view text) {
  size_t count = 0;
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {  // ASCII, the common case
      ++i;
      ++count;
      continue;
    }
    size_t length = 0;
    uint32_t code = 0;
    if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code = lead & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + length > text.size()) return std::nullopt;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and values beyond Unicode are invalid.
    constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return std::nullopt;
    }
    i += length;
    ++count;
  }
  return count;
}

namespace checks {
namespace {

bool IsBlank(std::string_view text) {
  for (const char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return false;
  }
  return true;
}

bool IsE164(std::string_view phone) {
  if (phone.size() < 6 || phone.size() > 16 || phone[0] != '+') return false;
  for (size_t i = 1; i < phone.size(); ++i) {
    if (phone[i] < '0' || phone[i] > '9') return false;
  }
  return true;
}

}  // namespace

std::string Field::Path() const {
  std::string path = parent_ == nullptr ? std::string() : parent_->Path();
  if (!path.empty() && !name_.empty()) path += '.';
  path += name_;
  if (index_ >= 0) StrAppend(path, "[", index_, "]");
  return path;
}

Status Invalid(const Field& field, std::string_view problem) {
  return InvalidArgumentError(StrCat(field.Path(), ": ", problem));
}

Status Text(const Field& field, std::string_view value, size_t max_chars, Presence presence) {
  const std::optional<size_t> length = Utf8Length(value);
  if (!length) return Invalid(field, "is not valid UTF-8");
  if (presence == Presence::kRequired && IsBlank(value)) return Invalid(field, "is required");
  if (*length > max_chars) {
    return Invalid(field, StrCat("is longer than ", max_chars, " characters"));
  }
  return OkStatus();
}

Status Count(const Field& field, uint64_t value, uint64_t max, Presence presence) {
  if (presence == Presence::kRequired && value == 0) return Invalid(field, "must be 1 or more");
  if (value > max) return Invalid(field, StrCat("must be at most ", max));
  return OkStatus();
}

Status Money(const Field& field, int64_t amount_fen) {
  if (amount_fen <= 0) return Invalid(field, "must be positive");
  if (amount_fen > limits::kMaxAmountFen) {
    return Invalid(field, StrCat("must be at most ", limits::kMaxAmountFen, " fen"));
  }
  return OkStatus();
}

Status Instant(const Field& field, const google::protobuf::Timestamp& value, Presence presence) {
  if (value.seconds() == 0 && value.nanos() == 0) {
    return presence == Presence::kRequired ? Invalid(field, "is required") : OkStatus();
  }
  if (value.nanos() < 0 || value.nanos() >= 1'000'000'000) {
    return Invalid(field, "is not a valid time (nanos out of range)");
  }
  if (value.seconds() < limits::kEarliestUnixSeconds ||
      value.seconds() >= limits::kLatestUnixSeconds) {
    return Invalid(field, "must be from 2000-01-01 to before 2100-01-01 (UTC)");
  }
  return OkStatus();
}

Status Day(const Field& field, std::string_view value, Presence presence) {
  if (value.empty() && presence == Presence::kOptional) return OkStatus();
  const auto day = ParseDay(value);
  if (!day.ok()) return Invalid(field, "must be a day written YYYY-MM-DD");
  if (day->year() < limits::kEarliestYear || day->year() > limits::kLatestYear) {
    return Invalid(field, "must be a day from 2000-01-01 to 2099-12-31");
  }
  return OkStatus();
}

Status Month(const Field& field, std::string_view value, Presence presence) {
  if (value.empty() && presence == Presence::kOptional) return OkStatus();
  // The first day of the month checks the digits, the dashes and the month.
  const auto day = ParseDay(StrCat(value, "-01"));
  if (value.size() != 7 || !day.ok()) return Invalid(field, "must be a month written YYYY-MM");
  if (day->year() < limits::kEarliestYear || day->year() > limits::kLatestYear) {
    return Invalid(field, "must be a month from 2000-01 to 2099-12");
  }
  return OkStatus();
}

Status Period(const Field& field, const v1::Period& period) {
  const Field kind(field, "kind");
  const Field index(field, "index");
  const Field ten_day(field, "ten_day");
  switch (period.kind()) {
    case v1::PERIOD_KIND_TEN_DAY:
      if (period.ten_day() < 1 || period.ten_day() > 3) {
        return Invalid(ten_day, "must be 1, 2 or 3 for a ten-day period");
      }
      [[fallthrough]];
    case v1::PERIOD_KIND_MONTH:
      if (period.index() < 1 || period.index() > 12) return Invalid(index, "must be a month 1–12");
      break;
    case v1::PERIOD_KIND_QUARTER:
      if (period.index() < 1 || period.index() > 4) return Invalid(index, "must be a quarter 1–4");
      break;
    default:
      return Invalid(kind, "must be TEN_DAY, MONTH or QUARTER");
  }
  if (period.kind() != v1::PERIOD_KIND_TEN_DAY && period.ten_day() != 0) {
    return Invalid(ten_day, "is only for ten-day periods");
  }
  if (period.year() < static_cast<uint32_t>(limits::kEarliestYear) ||
      period.year() > static_cast<uint32_t>(limits::kLatestYear)) {
    return Invalid(Field(field, "year"), "must be from 2000 to 2099");
  }
  return OkStatus();
}

Status KnownEnum(const Field& field, int value, bool (*is_valid)(int), Presence presence,
                 std::string_view names) {
  if (!is_valid(value) || (value == 0 && presence == Presence::kRequired)) {
    return Invalid(field, StrCat("must be ", names));
  }
  return OkStatus();
}

Status Level(const Field& field, v1::RiskLevel level, Presence presence) {
  return KnownEnum(field, level, v1::RiskLevel_IsValid, presence, "LOW, MEDIUM, HIGH or CRITICAL");
}

Status Contact(const Field& field, const v1::Contact& contact, Presence presence) {
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "name"), contact.name(), limits::kMaxNameChars, presence));
  if (!contact.phone().empty() && !IsE164(contact.phone())) {
    return Invalid(Field(field, "phone"), "must be E.164, e.g. +8613800000000");
  }
  return Text(Field(field, "title"), contact.title(), limits::kMaxNameChars, Presence::kOptional);
}

Status Place(const Field& field, const v1::Place& place, Presence presence) {
  ANDING_RETURN_IF_ERROR(
      Text(Field(field, "region_id"), place.region_id(), limits::kMaxIdChars, presence));
  return Text(Field(field, "address"), place.address(), limits::kMaxLineChars, Presence::kOptional);
}

Status OneOf(const Field& field, std::string_view value,
             std::initializer_list<std::string_view> words) {
  for (std::string_view word : words) {
    if (value == word) return OkStatus();
  }
  std::string expected;
  for (std::string_view word : words) {
    if (!word.empty()) StrAppend(expected, expected.empty() ? "" : ", ", word);
  }
  return Invalid(field, StrCat("must be one of ", expected));
}

}  // namespace checks
}  // namespace anding::wire

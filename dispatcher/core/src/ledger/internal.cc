#include "internal.h"

#include "anding/common/strings.h"

namespace anding::core::ledger::internal {
namespace {

using limits::kMaxListItems;
using limits::kMaxNameChars;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsE164(std::string_view phone) {
  if (phone.size() < 6 || phone.size() > 16 || phone[0] != '+') return false;
  for (size_t i = 1; i < phone.size(); ++i) {
    if (phone[i] < '0' || phone[i] > '9') return false;
  }
  return true;
}

}  // namespace

std::optional<size_t> Utf8Length(std::string_view text) {
  size_t count = 0;
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    uint32_t code = 0;
    if (lead < 0x80) {
      length = 1;
      code = lead;
    } else if ((lead & 0xE0) == 0xC0) {
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

std::string Trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && IsSpace(text[begin])) ++begin;
  while (end > begin && IsSpace(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

Status CheckText(std::string_view field, std::string_view text, size_t max_chars, bool required) {
  const auto length = Utf8Length(text);
  if (!length) return InvalidArgumentError(StrCat(field, " is not valid UTF-8"));
  if (required && Trim(text).empty()) return InvalidArgumentError(StrCat(field, " is required"));
  if (*length > max_chars) {
    return InvalidArgumentError(
        StrCat(field, " is too long (", *length, " characters; at most ", max_chars, ")"));
  }
  return OkStatus();
}

Status CheckPerson(std::string_view field, const Person& person, bool required) {
  ANDING_RETURN_IF_ERROR(CheckText(StrCat(field, ".name"), person.name, kMaxNameChars, required));
  ANDING_RETURN_IF_ERROR(CheckText(StrCat(field, ".title"), person.title, kMaxNameChars, false));
  const std::string phone = Trim(person.phone);
  if (!phone.empty() && !IsE164(phone)) {
    return InvalidArgumentError(
        StrCat(field, ".phone must be in E.164 form, for example +8613800000000"));
  }
  return OkStatus();
}

Status CheckNames(std::string_view field, const std::vector<std::string>& names) {
  if (names.size() > kMaxListItems) {
    return InvalidArgumentError(StrCat(field, " lists more than ", kMaxListItems, " names"));
  }
  for (size_t i = 0; i < names.size(); ++i) {
    ANDING_RETURN_IF_ERROR(CheckText(StrCat(field, "[", i, "]"), names[i], kMaxNameChars, true));
  }
  return OkStatus();
}

Person TrimPerson(const Person& person) {
  return Person{Trim(person.name), Trim(person.phone), Trim(person.title)};
}

std::string DescribePerson(const Person& person) {
  if (person.name.empty()) return "";
  std::string detail = person.title;
  if (!person.phone.empty()) detail += detail.empty() ? person.phone : "，" + person.phone;
  return detail.empty() ? person.name : StrCat(person.name, "（", detail, "）");
}

std::string Abbreviate(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (chars == max_chars) return StrCat(text.substr(0, i), "…");
    const auto lead = static_cast<unsigned char>(text[i]);
    i += lead < 0x80 ? 1 : (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : 4;
    ++chars;
  }
  return std::string(text);
}

void RecordChange(std::vector<FieldChange>& changes, std::string_view field,
                  std::string_view before, std::string_view after) {
  if (before == after) return;
  changes.push_back(FieldChange{std::string(field), std::string(before), std::string(after)});
}

void ApplyReopen(LedgerItem& item, std::string_view reason, std::optional<Time> new_deadline,
                 const Actor& who, Time now) {
  HistoryEntry entry;
  entry.at = now;
  entry.actor = who;
  entry.action = std::string(kActionReopened);
  entry.note = std::string(reason);
  RecordChange(entry.changes, "state", ItemStateName(item.state),
               ItemStateName(ItemState::kReopened));
  RecordChange(entry.changes, "resolution", item.resolution, "");
  RecordChange(entry.changes, "confirmed_by_leader", item.confirmed_by_leader, "");
  if (new_deadline && *new_deadline != item.deadline) {
    RecordChange(entry.changes, "deadline", FormatUtc(item.deadline), FormatUtc(*new_deadline));
    item.deadline = *new_deadline;
  }
  item.state = ItemState::kReopened;
  item.resolution.clear();
  item.confirmed_by_leader.clear();
  item.confirmed_at.reset();
  item.resolved_at.reset();
  item.closed_out_at.reset();
  item.reopened_at = now;
  item.reopen_count += 1;
  item.last_activity_at = now;
  item.updated_at = now;
  item.history.push_back(std::move(entry));
}

}  // namespace anding::core::ledger::internal

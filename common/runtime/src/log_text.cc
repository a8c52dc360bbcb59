#include "anding/runtime/log_text.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace anding::runtime {
namespace {

// The length of the valid UTF-8 sequence starting at text[i] and its code
// point, or 0 if the bytes there are not valid UTF-8.
size_t DecodeUtf8(std::string_view text, size_t i, uint32_t* code_point) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  size_t length = 0;
  uint32_t value = 0;
  uint32_t minimum = 0;
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  *code_point = value;
  return length;
}

}  // namespace

std::string Printable(std::string_view text, size_t max_chars) {
  std::string out;
  out.reserve(std::min(text.size(), max_chars * 4) + 16);
  size_t chars = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (chars == max_chars) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "\u2026(+%zu bytes)", text.size() - i);
      out += buf;
      break;
    }
    ++chars;
    uint32_t code_point = 0;
    const size_t length = DecodeUtf8(text, i, &code_point);
    if (length == 0) {
      out += "\uFFFD";
      ++i;
      continue;
    }
    char buf[8];
    switch (code_point) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\\':
        out += "\\\\";
        break;
      case 0x85:
      case 0x2028:
      case 0x2029:
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(code_point));
        out += buf;
        break;
      default:
        if (code_point < 0x20 || code_point == 0x7F) {
          std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(code_point));
          out += buf;
        } else {
          out.append(text.substr(i, length));
        }
    }
    i += length;
  }
  return out;
}

}  // namespace anding::runtime
